"""Recording and reading consultations, scoped by clinic and audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from corneum.assessment import Assessment, Profile
from corneum.records.clients.service import audit_client, find_client, find_owned, owned_rows
from corneum.records.consultations.tables import Consultation


def record_consultation(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    profile: Profile,
    assessment: Assessment,
    actor: int | None,
) -> Consultation:
    """Store the profile as assessed and the whole assessment with the knowledge base's
    version and hash, so the verdicts can be reproduced later."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    consultation = Consultation(
        client_id=client.id,
        profile=profile.model_dump(mode="json"),
        assessment=assessment.to_dict(),
        kb_version=assessment.knowledge_base_version,
        kb_sha256=assessment.knowledge_base_sha256,
        created_by=actor,
    )
    session.add(consultation)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="consultation",
        resource_id=consultation.id,
    )
    return consultation


def get_consultation(
    *, session: Session, clinic_id: int, consultation_id: int, actor: int | None
) -> Consultation:
    consultation, client = find_owned(
        session, Consultation, consultation_id, clinic_id=clinic_id, resource="consultation"
    )
    audit_client(
        session,
        actor=actor,
        action="read",
        client=client,
        resource="consultation",
        resource_id=consultation.id,
    )
    return consultation


def list_consultations(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Consultation]:
    """The client's consultations, oldest first."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="consultation")
    return owned_rows(session, Consultation, client.id)
