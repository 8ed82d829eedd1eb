"""What the client pages share: the form's fields as typed, read into the API's schemas with
the refusals worded beside each field, the choices' labels, and a client's age."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from corneum.phrase import N_
from corneum.records.clients.schemas import ClientCreate, ClientUpdate
from corneum.records.clients.tables import Client
from corneum.web import messages
from corneum.web.forms import text
from corneum.web.i18n import LANGUAGES

M = TypeVar("M", bound=BaseModel)
TEXT_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "preferred_language",
    "address",
    "emergency_contact",
    "referral_source",
    "notes",
)
"""The form's fields besides the marketing consent (a tick box)."""
NAMES = ("given_name", "family_name")
SEXES: dict[str, str] = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other")}
REFERRALS: dict[str, str] = {
    "recommendation": N_("Recommended by someone"),
    "search": N_("Internet search"),
    "social_media": N_("Social media"),
    "advertising": N_("Advertising"),
    "walk_in": N_("Passed by the clinic"),
    "doctor": N_("Sent by a doctor"),
    "other": N_("Other"),
}
INVALID_EMAIL = N_("Not one valid e-mail address.")
INVALID_PHONE = N_("Not a phone number: digits, spaces, brackets and dashes, a + first if any.")
TOO_LONG = N_("Too long.")
NOT_ACCEPTED = N_("Not accepted: check what you typed.")
ERROR_TEXTS = {
    "missing": messages.REQUIRED,
    "string_too_short": messages.REQUIRED,
    "string_too_long": TOO_LONG,
    "literal_error": messages.CHOOSE_FROM_LIST,
    "date_past": messages.INVALID_DATE,
    "date_from_datetime_parsing": messages.INVALID_DATE,
    "email": INVALID_EMAIL,
    "string_pattern_mismatch": INVALID_PHONE,
}


@dataclass
class ClientForm:
    """The form as typed (shown again, whole, when it is refused) and its refusals by field."""

    values: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TEXT_FIELDS, ""))
    marketing_consent: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def posted(cls, form: FormData) -> ClientForm:
        return cls(
            values={name: text(form, name) for name in TEXT_FIELDS},
            marketing_consent=form.get("marketing_consent") == "yes",
        )

    @classmethod
    def of(cls, client: Client) -> ClientForm:
        """The form filled in from the record, to edit it."""
        values = {name: getattr(client, name) for name in TEXT_FIELDS}
        shown = {name: "" if value is None else str(value) for name, value in values.items()}
        return cls(values=shown, marketing_consent=client.marketing_consent)

    def body(self) -> dict[str, Any]:
        """The fields as the schemas take them: a field left empty is none (names excepted,
        so an empty name is refused beside its field)."""
        body: dict[str, Any] = {
            name: value if value or name in NAMES else None for name, value in self.values.items()
        }
        return {**body, "marketing_consent": self.marketing_consent}

    def create(self) -> ClientCreate | None:
        """The new client, or None with the refusals in :attr:`errors`."""
        body = {name: value for name, value in self.body().items() if value is not None}
        return self._validated(ClientCreate, body)

    def update(self) -> ClientUpdate | None:
        """Every field of the form, a field left empty cleared; or None with the refusals."""
        return self._validated(ClientUpdate, self.body())

    def _validated(self, model: type[M], body: dict[str, Any]) -> M | None:
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "given_name"
                self.errors.setdefault(name, ERROR_TEXTS.get(error["type"], NOT_ACCEPTED))
            return None


def choices() -> dict[str, Any]:
    """The form's lists, for the template (labels it translates)."""
    return {"sexes": SEXES, "referrals": REFERRALS, "client_languages": LANGUAGES}


def age_on(born: date | None, day: date) -> int | None:
    """Full years from ``born`` to ``day``."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
