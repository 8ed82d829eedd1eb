"""Recording and reading signed consents, scoped by clinic and audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from corneum.records.clients.service import audit_client, find_client, owned_rows, read_owned
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.tables import Consent


def record_consent(
    *, session: Session, clinic_id: int, client_id: int, data: ConsentCreate, actor: int | None
) -> Consent:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    consent = Consent(client_id=client.id, recorded_by=actor, **data.model_dump())
    session.add(consent)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="consent",
        resource_id=consent.id,
    )
    return consent


def list_consents(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Consent]:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="consent")
    return owned_rows(session, Consent, client.id)


def get_consent(*, session: Session, clinic_id: int, consent_id: int, actor: int | None) -> Consent:
    """One signed consent of the clinic's clients, its reading audited."""
    return read_owned(
        session, Consent, consent_id, clinic_id=clinic_id, resource="consent", actor=actor
    )
