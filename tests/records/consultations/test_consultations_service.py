"""A consultation keeps the profile and the assessment as they were, with the knowledge base's
version and hash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from corneum.assessment import Profile, assess
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.clients.tables import Client
from corneum.records.consultations import service
from corneum.records.consultations.schemas import ConsultationRead
from corneum.records.consultations.tables import Consultation
from corneum.records.errors import NotFoundError


@pytest.fixture
def consultation(
    db_session: Session,
    kb: KnowledgeBase,
    make_profile: Callable[..., Profile],
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
) -> Consultation:
    profile = make_profile(conditions=["psoriasis"], assessed_on="2026-11-23")
    return service.record_consultation(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        profile=profile,
        assessment=assess(profile, kb, assessed_on=date(2026, 11, 23)),
        actor=practitioner.id,
    )


def test_a_consultation_stores_profile_assessment_and_knowledge_base(
    db_session: Session, kb: KnowledgeBase, clinic: Clinic, consultation: Consultation
) -> None:
    db_session.expire_all()
    stored = service.get_consultation(
        session=db_session, clinic_id=clinic.id, consultation_id=consultation.id, actor=None
    )
    assert stored.profile["conditions"] == ["psoriasis"]
    assert (stored.kb_version, stored.kb_sha256) == (kb.version, kb.sha256)
    assert stored.assessment["knowledge_base"] == {"version": kb.version, "sha256": kb.sha256}
    assert stored.assessment["assessed_on"] == "2026-11-23"
    assert ConsultationRead.model_validate(stored).created_by == stored.created_by


def test_consultations_are_listed_per_client(
    db_session: Session, clinic: Clinic, client_record: Client, consultation: Consultation
) -> None:
    listed = service.list_consultations(
        session=db_session, clinic_id=clinic.id, client_id=client_record.id, actor=None
    )
    assert [c.id for c in listed] == [consultation.id]


def test_another_clinic_cannot_read_a_consultation(
    db_session: Session, other_clinic: Clinic, consultation: Consultation
) -> None:
    with pytest.raises(NotFoundError, match="consultation"):
        service.get_consultation(
            session=db_session,
            clinic_id=other_clinic.id,
            consultation_id=consultation.id,
            actor=None,
        )
