"""Export everything held on a client; erase it, leaving only the audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corneum.assessment import Profile, assess
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.calendar.bookings import service as calendar
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.feeds import links as feed_links
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import HoursSpan, HoursWrite, RoomCreate
from corneum.records.calendar.waitlist import service as waitlist
from corneum.records.calendar.waitlist.schemas import WaitingCreate
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import (
    AllergyCreate,
    ClientCreate,
    HistoryEntryCreate,
    MedicationCreate,
)
from corneum.records.clients.tables import Client
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.service import record_consent
from corneum.records.consultations.service import record_consultation
from corneum.records.errors import NotFoundError
from corneum.records.outcomes.photos import PhotoStore
from corneum.records.outcomes.schemas import OutcomeCreate, PhotoCreate
from corneum.records.outcomes.service import add_photo, record_outcome
from corneum.records.portal import service as portal
from corneum.records.portal.schemas import PortalLinkCreate
from corneum.records.portal.tables import PortalSession
from corneum.records.privacy.service import erase_client, export_client
from corneum.records.sessions.schemas import (
    AcknowledgementCreate,
    AdverseEventCreate,
    ObservationCreate,
    ProductCreate,
    StageCreate,
)
from corneum.records.sessions.service import (
    acknowledge_cautions,
    record_adverse_event,
    record_observation,
    record_product,
    record_stage,
)
from corneum.records.sessions.tables import TreatmentSession
from corneum.records.tables import metadata
from tests.api.images import png

SIGNED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
PNG = png()


@pytest.fixture
def photos(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos", max_bytes=1024 * 1024)


@pytest.fixture
def full_record(
    db_session: Session,
    kb: KnowledgeBase,
    make_profile: Callable[..., Profile],
    clinic: Clinic,
    practitioner: User,
    client_record: Client,
    visit: TreatmentSession,
    photos: PhotoStore,
) -> Client:
    """The client with something in every table a client owns."""
    ids: dict[str, Any] = {"session": db_session, "clinic_id": clinic.id, "actor": practitioner.id}
    owner: dict[str, Any] = {**ids, "client_id": client_record.id}
    clients.add_history_entry(**owner, data=HistoryEntryCreate(condition_code="herpes_history"))
    clients.add_medication(
        **owner, data=MedicationCreate(code="topical_retinoid"), today=SIGNED.date()
    )
    clients.add_allergy(**owner, data=AllergyCreate(allergen="latex"))
    profile = make_profile(conditions=["herpes_history"])
    record_consultation(
        **owner, profile=profile, assessment=assess(profile, kb, assessed_on=date(2026, 11, 23))
    )
    consent = ConsentCreate(
        text_version="2026-1", text_sha256="ab" * 32, signer_name="Ana Lopez", signed_at=SIGNED
    )
    record_consent(**owner, data=consent)
    in_visit: dict[str, Any] = {**ids, "treatment_session_id": visit.id}
    acknowledge_cautions(**in_visit, data=AcknowledgementCreate(), kb=kb, now=visit.scheduled_at)
    stage = StageCreate(stage_index=0, name="cleansing", started_at=visit.scheduled_at)
    record_stage(**in_visit, data=stage, kb=kb, now=visit.scheduled_at)
    record_product(**in_visit, data=ProductCreate(name="Gel", lot_number="L1"), kb=kb)
    record_observation(**in_visit, data=ObservationCreate(observed_at=SIGNED, text="calm"))
    adverse = AdverseEventCreate(occurred_at=SIGNED, kind="erythema", severity="mild")
    record_adverse_event(**in_visit, data=adverse)
    book_a_visit(db_session, kb, clinic, practitioner, client_record)
    record_outcome(**in_visit, data=OutcomeCreate(papules=2))
    before = PhotoCreate(area="back", moment="before")
    add_photo(**in_visit, data=before, image=PNG, store=photos, now=SIGNED)
    return client_record


def test_an_export_holds_everything_on_the_client_as_json(
    db_session: Session, clinic: Clinic, full_record: Client
) -> None:
    exported = export_client(
        session=db_session, clinic_id=clinic.id, client_id=full_record.id, actor=None
    )
    assert json.loads(json.dumps(exported)) == exported
    assert exported["client"]["family_name"] == "Lopez"
    assert exported["medical_history"][0]["condition_code"] == "herpes_history"
    assert exported["medications"][0]["code"] == "topical_retinoid"
    assert exported["allergies"][0]["allergen"] == "latex"
    assert exported["consultations"][0]["profile"]["conditions"] == ["herpes_history"]
    assert exported["consents"][0]["signer_name"] == "Ana Lopez"
    assert exported["treatment_plans"][0]["procedure_id"] == "atraumatic_back_cleansing"
    [visit] = exported["treatment_sessions"]
    assert visit["products"][0]["lot_number"] == "L1"
    assert visit["observations"][0]["text"] == "calm"
    assert exported["outcomes"][0]["papules"] == 2
    assert exported["photos"][0]["area"] == "back"
    [booking] = exported["bookings"]
    assert (booking["procedure_id"], booking["status"]) == ("chemical_peel", "booked")
    [reminder] = exported["reminders"]
    assert (reminder["booking_id"], reminder["recipient"]) == (booking["id"], "ana@example.org")


def test_an_export_is_audited(db_session: Session, clinic: Clinic, full_record: Client) -> None:
    export_client(session=db_session, clinic_id=clinic.id, client_id=full_record.id, actor=None)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.client_id == full_record.id
    assert event.detail["rows"]["medical_history"] == 1


def book_a_visit(
    session: Session, kb: KnowledgeBase, clinic: Clinic, practitioner: User, client: Client
) -> None:
    """A booking on the calendar: its holds, history and reminder go with the client."""
    resources.create_room(session=session, clinic_id=clinic.id, data=RoomCreate(name="A"))
    hours = [HoursSpan(weekday=0, starts=time(9), ends=time(18))]
    resources.put_hours(
        session=session,
        clinic_id=clinic.id,
        practitioner_id=practitioner.id,
        data=HoursWrite(spans=hours),
    )
    calendar.book(
        session=session,
        clinic_id=clinic.id,
        kb=kb,
        data=BookingCreate(
            client_id=client.id,
            procedure_id="chemical_peel",
            start=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
        ),
        actor=practitioner.id,
        now=SIGNED,
    )
    person = feed_links.Person(clinic.id, client_id=client.id)
    feed_links.issue(session=session, person=person, actor=practitioner.id, now=SIGNED)
    _, link = portal.create_link(
        session=session, clinic_id=clinic.id, client_id=client.id,
        data=PortalLinkCreate(language="ru"), actor=practitioner.id, now=SIGNED,
    )  # fmt: skip
    signed_in = PortalSession(
        client_id=client.id, link_id=link.id, token_sha256="0" * 64, expires_at=SIGNED
    )
    session.add(signed_in)
    waiting = WaitingCreate(
        client_id=client.id, procedure_id="chemical_peel", earliest=date(2026, 12, 1),
        latest=date(2026, 12, 5),
    )  # fmt: skip
    waitlist.add_waiting(
        session=session, clinic_id=clinic.id, kb=kb, data=waiting, actor=practitioner.id
    )


def rows_of_client(session: Session, client_id: int, session_ids: list[int]) -> dict[str, int]:
    """Every row in every table that refers to the client or to one of the client's sessions."""
    counts = {}
    for table in metadata.sorted_tables:
        if table.name == "audit_events":
            continue
        for column, ids in (("client_id", [client_id]), ("session_id", session_ids)):
            if column in table.c:
                counted = select(func.count()).where(table.c[column].in_(ids))
                counts[f"{table.name}.{column}"] = session.scalar(counted) or 0
        if table.name == "clients":
            counts["clients.id"] = (
                session.scalar(select(func.count()).where(table.c.id == client_id)) or 0
            )
    return counts


def test_erasure_leaves_no_personal_row_but_an_audit_record(
    db_session: Session,
    clinic: Clinic,
    practitioner: User,
    full_record: Client,
    photos: PhotoStore,
) -> None:
    client_id = full_record.id
    session_ids = list(
        db_session.scalars(
            select(TreatmentSession.id).where(TreatmentSession.client_id == client_id)
        )
    )
    before = rows_of_client(db_session, client_id, session_ids)
    assert all(before.values()), before
    assert len(list(photos.directory.iterdir())) == 2  # the photo and its thumbnail
    counts = erase_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_id,
        actor=practitioner.id,
        photos=photos,
    )
    assert list(photos.directory.iterdir()) == []
    db_session.expire_all()
    assert set(rows_of_client(db_session, client_id, session_ids).values()) == {0}
    erasure = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
    assert (erasure.client_id, erasure.actor_id) == (client_id, practitioner.id)
    assert erasure.detail == {"rows": counts}
    assert counts["clients"] == 1
    assert "Lopez" not in json.dumps(erasure.detail)
    with pytest.raises(NotFoundError):
        clients.get_client(session=db_session, clinic_id=clinic.id, client_id=client_id, actor=None)


def test_an_erased_clients_id_is_never_given_again(
    db_session: Session, clinic: Clinic, client_record: Client, photos: PhotoStore
) -> None:
    erase_client(
        session=db_session,
        clinic_id=clinic.id,
        client_id=client_record.id,
        actor=None,
        photos=photos,
    )
    newcomer = clients.create_client(
        session=db_session,
        clinic_id=clinic.id,
        data=ClientCreate(given_name="Leo", family_name="Diaz"),
        actor=None,
    )
    assert newcomer.id > client_record.id


def test_another_clinic_cannot_erase_a_client(
    db_session: Session, other_clinic: Clinic, client_record: Client, photos: PhotoStore
) -> None:
    with pytest.raises(NotFoundError):
        erase_client(
            session=db_session,
            clinic_id=other_clinic.id,
            client_id=client_record.id,
            actor=None,
            photos=photos,
        )
