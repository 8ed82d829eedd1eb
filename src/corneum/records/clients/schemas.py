"""Clients and their history, as the API and the CLI take and give them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, PastDate, StringConstraints, model_validator

from corneum.records.accounts.tables import Language
from corneum.records.clients.tables import HistoryStatus, ReferralSource, Sex
from corneum.records.fields import (
    AllergyCode,
    AreaCode,
    ConditionCode,
    Email,
    Input,
    MedicationCode,
    Name,
    Note,
    Output,
    Phone,
    Phototype,
    PlausibleDate,
    RiskFactorCode,
    SkinTypeCode,
)

REQUIRED_ON_UPDATE = ("given_name", "family_name", "risk_factors", "marketing_consent")
CLINICAL_FIELDS = frozenset({"skin_type", "phototype", "risk_factors"})
"""Fields reception may neither read nor write."""
Contact = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
"""Who to call in an emergency and how: a name, a relation, a number."""


class ClientCreate(Input):
    given_name: Name
    family_name: Name
    email: Email | None = None
    phone: Phone | None = None
    address: Note | None = None
    date_of_birth: PastDate | None = None
    sex: Sex | None = None
    preferred_language: Language | None = None
    """The language the client reads: consent texts and handouts are offered in it."""
    emergency_contact: Contact | None = None
    referral_source: ReferralSource | None = None
    """How the client heard of the clinic."""
    marketing_consent: bool = False
    """Whether the client agrees to receive offers and news (never needed for care)."""
    notes: Note | None = None
    skin_type: SkinTypeCode | None = None
    phototype: Phototype | None = None
    risk_factors: list[RiskFactorCode] = Field(default_factory=list)


class ClientUpdate(Input):
    """Only the fields given change; a field given as null is cleared where that is allowed."""

    given_name: Name | None = None
    family_name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: Note | None = None
    date_of_birth: PastDate | None = None
    sex: Sex | None = None
    preferred_language: Language | None = None
    emergency_contact: Contact | None = None
    referral_source: ReferralSource | None = None
    marketing_consent: bool | None = None
    notes: Note | None = None
    skin_type: SkinTypeCode | None = None
    phototype: Phototype | None = None
    risk_factors: list[RiskFactorCode] | None = None

    @model_validator(mode="after")
    def _required_not_cleared(self) -> Self:
        for field in REQUIRED_ON_UPDATE:
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be cleared")
        return self


class ClientContactRead(Output):
    """What reception sees: who the client is and how to reach them, nothing clinical."""

    id: int
    clinic_id: int
    given_name: str
    family_name: str
    email: str | None
    phone: str | None
    address: str | None
    date_of_birth: date | None
    sex: Sex | None = None
    preferred_language: Language | None = None
    emergency_contact: str | None = None
    referral_source: ReferralSource | None = None
    marketing_consent: bool = False
    marketing_consent_at: datetime | None = None
    notes: str | None = None


class ClientRead(ClientContactRead):
    """What a practitioner sees: the contact details and the skin on record."""

    skin_type: str | None
    phototype: int | None
    risk_factors: list[str]
    created_at: datetime
    updated_at: datetime


class HistoryEntryCreate(Input):
    condition_code: ConditionCode
    status: HistoryStatus = "active"
    started_on: date | None = None
    ended_on: date | None = None
    expected_end_on: date | None = None
    """For a temporary condition (a sunburn, a flare, a pregnancy): when it should be over."""
    area: AreaCode | None = None
    """Where it is, when confined to one area; none for everywhere or not stated."""
    note: Note | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValueError("ended_on is before started_on")
        return self


class HistoryEntryUpdate(Input):
    """A condition resolved (``status: resolved``, ``ended_on`` defaulting to today), come
    back (``active``), or its expected end or note changed. The entry stays in the history."""

    status: HistoryStatus | None = None
    started_on: date | None = None
    ended_on: date | None = None
    expected_end_on: date | None = None
    note: Note | None = None


class HistoryEntryRead(Output):
    id: int
    client_id: int
    condition_code: str
    status: HistoryStatus
    started_on: date | None
    ended_on: date | None
    expected_end_on: date | None = None
    area: str | None = None
    note: str | None
    created_at: datetime


class MedicationCreate(Input):
    code: MedicationCode
    last_taken: PlausibleDate | None = None
    """The last dose, if the client has stopped; leave out while the client still takes it."""
    note: Note | None = None


class MedicationUpdate(Input):
    """A medication stopped (the day of its last dose) or its note changed."""

    last_taken: PlausibleDate | None = None
    note: Note | None = None


class MedicationRead(Output):
    id: int
    client_id: int
    code: str
    last_taken: date | None
    note: str | None
    created_at: datetime


class AllergyCreate(Input):
    allergen: Name
    """The allergen as the client names it."""
    code: AllergyCode | None = None
    """The knowledge base's code for it, which screening reads (salicylates, egg, latex...)."""
    reaction: Note | None = None
    note: Note | None = None


class AllergyRead(Output):
    id: int
    client_id: int
    allergen: str
    code: str | None = None
    reaction: str | None
    note: str | None
    created_at: datetime
