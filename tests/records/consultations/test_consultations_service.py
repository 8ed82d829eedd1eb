"""A consultation keeps the profile and the assessment as they were, with the knowledge base's
version and hash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.assessment import Assessment, Profile, assess
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.clients.tables import Client, HistoryEntry, Medication
from corneum.records.consultations import service
from corneum.records.consultations.schemas import ClientAssessmentCreate, ConsultationRead
from corneum.records.consultations.tables import Consultation
from corneum.records.errors import InvalidInputError, NotFoundError

AUGUST = date(2026, 8, 1)
BACK = {"area": "back", "concerns": ["blackheads"]}


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


def assessment_of(
    db_session: Session, kb: KnowledgeBase, clinic: Clinic, client: Client, **data: Any
) -> tuple[Profile, Assessment]:
    return service.assess_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client.id,
        data=ClientAssessmentCreate.model_validate({**BACK, **data}),
        today=date(2026, 11, 23),
        actor=None,
        kb=kb,
    )


def test_a_stored_clients_profile_reads_active_history_and_dated_medications(
    db_session: Session, clinic: Clinic, practitioner: User, client_record: Client
) -> None:
    db_session.add_all(
        [
            HistoryEntry(client_id=client_record.id, condition_code="eczema", status="resolved"),
            HistoryEntry(client_id=client_record.id, condition_code="rosacea", status="active"),
            Medication(client_id=client_record.id, code="isotretinoin", last_taken=AUGUST),
            Medication(client_id=client_record.id, code="topical_retinoid"),
        ]
    )
    profile = service.profile_for_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        area="back",
        concerns=["blackheads"],
        assessed_on=date(2026, 4, 1),
        actor=practitioner.id,
    )
    assert profile["age"] == 30  # born 1995-04-02: the birthday is tomorrow
    assert (profile["skin_type"], profile["fitzpatrick"]) == ("oily", 3)
    assert profile["conditions"] == ["rosacea"]
    # On 1 April the client was still taking the isotretinoin she stopped in August.
    assert profile["medications"] == [
        {"code": "isotretinoin", "last_taken": None},
        {"code": "topical_retinoid", "last_taken": None},
    ]
    assert profile["risk_factors"] == ["frequent_stress"]
    read = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).one()
    assert (read.client_id, read.actor_id) == (client_record.id, practitioner.id)
    assert read.detail["purpose"] == "assessment"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(1990, 12, 31), date(2026, 12, 31), 36),
    ],
)
def test_age_counts_whole_years(born: date, on: date, age: int) -> None:
    assert service.age_on(born, on) == age


def test_a_record_without_what_an_assessment_needs_is_refused_naming_each_field(
    db_session: Session, kb: KnowledgeBase, clinic: Clinic, client_record: Client
) -> None:
    client_record.skin_type = None
    client_record.date_of_birth = None
    with pytest.raises(InvalidInputError) as refused:
        assessment_of(db_session, kb, clinic, client_record)
    assert [p["loc"] for p in refused.value.problems] == [
        ("client", "date_of_birth"),
        ("client", "skin_type"),
    ]


def test_a_code_the_knowledge_base_lost_is_blamed_on_the_record_not_the_request(
    db_session: Session, kb: KnowledgeBase, clinic: Clinic, client_record: Client
) -> None:
    db_session.add(HistoryEntry(client_id=client_record.id, condition_code="gone", status="active"))
    with pytest.raises(InvalidInputError) as refused:
        assessment_of(db_session, kb, clinic, client_record, concerns=["nope"])
    locs = sorted(str(p["loc"]) for p in refused.value.problems)
    assert locs == [str(("body", "concerns", 0)), str(("client", "medical_history"))]


def test_a_consultation_records_what_the_stored_client_was_assessed_on(
    db_session: Session, kb: KnowledgeBase, clinic: Clinic, client_record: Client
) -> None:
    db_session.add(Medication(client_id=client_record.id, code="isotretinoin", last_taken=AUGUST))
    consultation = service.create_consultation(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        data=ClientAssessmentCreate.model_validate(BACK),
        today=date(2026, 11, 23),
        actor=None,
        kb=kb,
    )
    laser = consultation.assessment["procedures"]
    (verdict,) = [p for p in laser if p["id"] == "laser_back_resurfacing"]
    assert verdict["verdict"] == "caution"  # KB 2.0: only an ablative regime is ruled out
    assert consultation.profile["medications"] == [
        {"code": "isotretinoin", "last_taken": "2026-08-01"}
    ]


def test_each_stored_reason_keeps_the_phrase_it_was_worded_from(
    consultation: Consultation, kb: KnowledgeBase
) -> None:
    stored = service.stored_assessment(consultation)
    assert stored.schema_version == 2
    peel = stored.verdict("atraumatic_back_cleansing")
    assert peel is not None
    by_rule = {reason.rule: reason.phrase for reason in peel.reasons}
    psoriasis = by_rule["s1_deep_cleansing.psoriasis"]
    assert psoriasis is not None
    assert psoriasis.id == "rule:s1_deep_cleansing.psoriasis"
    indication = by_rule["atraumatic_back_cleansing.indication.blackheads"]
    assert indication is not None
    assert indication.id == "Treats %(concern)s (weight %(weight)s of %(most)s)."
    assert indication.values["concern"] == kb.label("blackheads").lower()
