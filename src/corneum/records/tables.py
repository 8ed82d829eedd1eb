"""Every table of every area, imported together so that the metadata Alembic compares is whole."""

from corneum.db.base import Base
from corneum.records.accounts.tables import Clinic, User
from corneum.records.audit.tables import AuditEvent
from corneum.records.auth.tables import AuthToken, SignInBucket, SignInLimit
from corneum.records.calendar.bookings.tables import Booking, BookingEvent, BookingHold
from corneum.records.calendar.feeds.tables import FeedToken
from corneum.records.calendar.resources.tables import (
    CalendarSettings,
    DayOff,
    Device,
    Maintenance,
    Room,
    WorkingHours,
)
from corneum.records.calendar.waitlist.tables import WaitingClient
from corneum.records.clients.tables import Allergy, Client, HistoryEntry, Medication
from corneum.records.consents.tables import Consent
from corneum.records.consultations.tables import Consultation
from corneum.records.offerings.tables import Offering
from corneum.records.outcomes.tables import Outcome, OutcomeGrade, OutcomePhoto
from corneum.records.patch_tests.tables import PatchTest
from corneum.records.plans.tables import TreatmentPlan
from corneum.records.portal.tables import (
    ClientPreference,
    PortalLink,
    PortalSession,
    PortalSettings,
)
from corneum.records.reminders.tables import OutboxMessage
from corneum.records.sessions.tables import (
    AdverseEvent,
    Observation,
    PerformedStage,
    ProductUse,
    TreatmentSession,
)

metadata = Base.metadata

__all__ = [
    "AdverseEvent",
    "Allergy",
    "AuditEvent",
    "AuthToken",
    "Booking",
    "BookingEvent",
    "BookingHold",
    "CalendarSettings",
    "Client",
    "ClientPreference",
    "Clinic",
    "Consent",
    "Consultation",
    "DayOff",
    "Device",
    "FeedToken",
    "HistoryEntry",
    "Maintenance",
    "Medication",
    "Observation",
    "Offering",
    "OutboxMessage",
    "Outcome",
    "OutcomeGrade",
    "OutcomePhoto",
    "PatchTest",
    "PerformedStage",
    "PortalLink",
    "PortalSession",
    "PortalSettings",
    "ProductUse",
    "Room",
    "SignInBucket",
    "SignInLimit",
    "TreatmentPlan",
    "TreatmentSession",
    "User",
    "WaitingClient",
    "WorkingHours",
    "metadata",
]
