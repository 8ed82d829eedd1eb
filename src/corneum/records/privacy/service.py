"""Export everything held on one client, and erase it. Both are audited; the audit trail (ids,
actions, times, never personal data) is what remains of an erased client.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import ColumnElement, CursorResult, delete, select
from sqlalchemy.orm import Session

from corneum.db.types import utcnow
from corneum.records.audit import service as audit
from corneum.records.calendar.bookings.tables import Booking
from corneum.records.calendar.feeds.tables import FeedToken
from corneum.records.calendar.waitlist.tables import WaitingClient
from corneum.records.clients.schemas import (
    AllergyRead,
    ClientRead,
    HistoryEntryRead,
    MedicationRead,
)
from corneum.records.clients.tables import Allergy, Client, HistoryEntry, Medication
from corneum.records.consents.schemas import ConsentRead
from corneum.records.consents.tables import Consent
from corneum.records.consultations.schemas import ConsultationRead
from corneum.records.consultations.tables import Consultation
from corneum.records.outcomes.photos import EXTENSIONS, PhotoStore
from corneum.records.outcomes.schemas import OutcomeRead, PhotoRead
from corneum.records.outcomes.service import outcomes_of, photos_of
from corneum.records.outcomes.tables import Outcome, OutcomePhoto
from corneum.records.patch_tests.schemas import PatchTestRead
from corneum.records.patch_tests.tables import PatchTest
from corneum.records.plans.schemas import PlanRead
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.portal.tables import ClientPreference, PortalLink, PortalSession
from corneum.records.privacy.schemas import BookingExport, ReminderExport
from corneum.records.reminders.tables import OutboxMessage
from corneum.records.sessions.schemas import SessionRead
from corneum.records.sessions.service import sessions_of
from corneum.records.sessions.tables import (
    AdverseEvent,
    Observation,
    PerformedStage,
    ProductUse,
    TreatmentSession,
)
from corneum.records.tenancy import audit_client, find_client, owned_rows

EXPORT_FORMAT = "corneum.client-export/1"

OWNED: dict[str, tuple[type[Any], type[BaseModel]]] = {
    "medical_history": (HistoryEntry, HistoryEntryRead),
    "medications": (Medication, MedicationRead),
    "allergies": (Allergy, AllergyRead),
    "consultations": (Consultation, ConsultationRead),
    "consents": (Consent, ConsentRead),
    "treatment_plans": (TreatmentPlan, PlanRead),
    "bookings": (Booking, BookingExport),
    "patch_tests": (PatchTest, PatchTestRead),
}
"""The export's sections of rows that carry the client's id, with the schema each is shown in."""

SESSION_DETAILS = (PerformedStage, ProductUse, Observation, AdverseEvent, Outcome, OutcomePhoto)
ERASE_ORDER = (
    WaitingClient,
    PortalSession,
    PortalLink,
    ClientPreference,
    FeedToken,
    PatchTest,
    TreatmentSession,
    TreatmentPlan,
    Consultation,
    Consent,
    HistoryEntry,
    Medication,
    Allergy,
)
"""Tables holding the client's id, children before the rows they refer to."""


def export_client(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> dict[str, Any]:
    """Everything held on the client as one JSON-ready object, sections in a fixed order."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    sections: dict[str, list[dict[str, Any]]] = {
        name: _dump(schema, owned_rows(session, table, client.id))
        for name, (table, schema) in OWNED.items()
    }
    sections["treatment_sessions"] = _dump(SessionRead, sessions_of(session, client.id))
    sections["outcomes"] = _dump(OutcomeRead, outcomes_of(session, client.id))
    sections["photos"] = _dump(PhotoRead, photos_of(session, client.id))
    sections["reminders"] = _dump(ReminderExport, _reminders_of(session, client.id))
    audit_client(
        session,
        actor=actor,
        action="export",
        client=client,
        detail={"rows": {name: len(rows) for name, rows in sections.items()}},
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "client": ClientRead.model_validate(client).model_dump(mode="json"),
        **sections,
    }


def export_archive(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None, photos: PhotoStore
) -> bytes:
    """The export as a ZIP: ``export.json`` (the same object as :func:`export_client`) and
    each photo's image as ``photos/<photo id>.<jpg|png>``. An image whose file has gone from
    the photo directory is listed in ``photos/missing.txt`` instead of failing the export."""
    export = export_client(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    buffer = io.BytesIO()
    missing: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", json.dumps(export, ensure_ascii=False, indent=2))
        for photo in photos_of(session, client_id):
            try:
                image = photos.read(photo.file_name)
            except FileNotFoundError:
                missing.append(str(photo.id))
                continue
            name = f"photos/{photo.id}{EXTENSIONS[photo.content_type]}"
            archive.writestr(name, image, compress_type=zipfile.ZIP_STORED)
        if missing:
            archive.writestr("photos/missing.txt", "\n".join(missing) + "\n")
    return buffer.getvalue()


def erase_client(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None, photos: PhotoStore
) -> dict[str, int]:
    """Delete the client and every row they own; return how many rows went from each table.

    Rows are deleted child first through the session, so no stale copy of an erased row stays in
    it (the database's ON DELETE CASCADE is the safety net, not the mechanism). The photos'
    image files are deleted from ``photos`` too. The audit trail keeps the client's id and a
    count of what was erased.
    """
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    erased_id, clinic = client.id, client.clinic_id
    visits = list(
        session.scalars(select(TreatmentSession.id).where(TreatmentSession.client_id == erased_id))
    )
    files = [photo.file_name for photo in photos_of(session, erased_id)]
    counts = {
        table.__tablename__: _delete(session, table, table.session_id.in_(visits))
        for table in SESSION_DETAILS
    }
    for name in files:
        photos.delete(name)
    for table in ERASE_ORDER:
        counts[table.__tablename__] = _delete(session, table, table.client_id == erased_id)
    counts["clients"] = _delete(session, Client, Client.id == erased_id)
    audit.record(
        session=session,
        actor_id=actor,
        action="erase",
        resource="client",
        resource_id=erased_id,
        client_id=erased_id,
        clinic_id=clinic,
        detail={"rows": counts},
    )
    return counts


def _reminders_of(session: Session, client_id: int) -> list[OutboxMessage]:
    bookings = select(Booking.id).where(Booking.client_id == client_id)
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.booking_id.in_(bookings))
        .order_by(OutboxMessage.id)
    )
    return list(session.scalars(statement))


def _delete(session: Session, table: type[Any], condition: ColumnElement[bool]) -> int:
    result = session.execute(delete(table).where(condition))
    return cast(CursorResult[Any], result).rowcount


def _dump(schema: type[BaseModel], rows: list[Any]) -> list[dict[str, Any]]:
    return [schema.model_validate(row).model_dump(mode="json") for row in rows]
