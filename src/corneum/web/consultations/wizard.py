"""The consultation wizard's answers: read from the posted form and handed to the
consultations service (:func:`corneum.records.consultations.service.consult`), which writes
them to the record, assesses and stores the consultation.

Every list the engine reads (conditions, medications, allergies, risk factors) is answered
either by ticking what applies or by ticking its "none" box: a blank is not an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from corneum.phrase import N_
from corneum.records.clients import service as clients
from corneum.records.consultations.schemas import ConsultationAnswers
from corneum.records.consultations.service import active_on
from corneum.web import messages
from corneum.web.forms import text, texts
from corneum.web.scope import ClientScope

LISTS = ("conditions", "medications", "allergies", "risk_factors")
"""The answers that are lists, each with its "none" box (``no_<name>``)."""
TICK_OR_NONE = N_("Tick what applies, or tick “none”.")
NOT_BOTH = N_("Tick either items or “none”, not both.")
LAST_DOSE_FUTURE = N_("The last dose cannot be after today; leave it empty while taking it.")
FIELD_OF = {"phototype": "phototype", "last_taken": "medications"}


@dataclass
class Answers:
    """What the practitioner chose or typed, as the form shows it again."""

    date_of_birth: str = ""
    skin_type: str = ""
    phototype: str = ""
    area: str = ""
    concerns: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    last_taken: dict[str, str] = field(default_factory=dict)
    """The last dose typed beside each medication (empty: taking it now)."""
    allergies: list[str] = field(default_factory=list)
    other_allergies: str = ""
    """Allergens the knowledge base has no code for, one per line."""
    risk_factors: list[str] = field(default_factory=list)
    none: set[str] = field(default_factory=set)
    """The lists answered "none"."""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_answers(form: FormData, today: date) -> tuple[Answers, ConsultationAnswers | None]:
    """The form's answers, and the service's request once nothing is wrong with them (else
    None, with an error beside each field)."""
    answers = Answers(
        date_of_birth=text(form, "date_of_birth"),
        skin_type=text(form, "skin_type"),
        phototype=text(form, "phototype"),
        area=text(form, "area"),
        concerns=texts(form, "concerns"),
        conditions=texts(form, "conditions"),
        medications=texts(form, "medications"),
        allergies=texts(form, "allergies"),
        other_allergies=text(form, "other_allergies"),
        risk_factors=texts(form, "risk_factors"),
        none={name for name in LISTS if text(form, f"no_{name}")},
        note=text(form, "note"),
    )
    answers.last_taken = {code: text(form, f"last_taken-{code}") for code in answers.medications}
    _every_list_answered(answers)
    request = _request(answers, today)
    return answers, None if answers.errors else request


def _every_list_answered(answers: Answers) -> None:
    for name in LISTS:
        chosen = bool(getattr(answers, name)) or (name == "allergies" and answers.other_allergies)
        if chosen and name in answers.none:
            answers.errors[name] = NOT_BOTH
        elif not chosen and name not in answers.none:
            answers.errors[name] = TICK_OR_NONE


def _request(answers: Answers, today: date) -> ConsultationAnswers | None:
    medications = [
        {"code": code, "last_taken": answers.last_taken.get(code) or None}
        for code in answers.medications
    ]
    body = {
        "date_of_birth": answers.date_of_birth,
        "skin_type": answers.skin_type,
        "phototype": answers.phototype or None,
        "area": answers.area,
        "concerns": answers.concerns,
        "conditions": answers.conditions,
        "medications": medications,
        "allergies": answers.allergies,
        "other_allergies": [
            line.strip() for line in answers.other_allergies.splitlines() if line.strip()
        ],
        "risk_factors": answers.risk_factors,
        "note": answers.note or None,
    }
    try:
        request = ConsultationAnswers.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            answers.errors.setdefault(name, _message(name, error["type"]))
        return None
    if any(m.last_taken and m.last_taken > today for m in request.medications):
        answers.errors["medications"] = LAST_DOSE_FUTURE
        return None
    return request


def _message(name: str, error_type: str) -> str:
    if error_type == "missing" or (error_type.endswith("_type") and name != "date_of_birth"):
        return messages.REQUIRED
    if name in ("date_of_birth", "medications"):
        return messages.INVALID_DATE
    return messages.CHOOSE_FROM_LIST


def answers_from_record(
    *, session: Session, clinic_id: int, client_id: int, actor: int, today: date
) -> Answers:
    """The wizard's starting answers: what the client's record already holds."""
    scope = ClientScope(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    client = clients.get_client(**scope)
    history = clients.list_history(**scope)
    medications = clients.list_medications(**scope)
    allergies = clients.list_allergies(**scope)
    return Answers(
        date_of_birth=client.date_of_birth.isoformat() if client.date_of_birth else "",
        skin_type=client.skin_type or "",
        phototype=str(client.phototype or ""),
        conditions=sorted({row.condition_code for row in history if active_on(row, today)}),
        medications=sorted({row.code for row in medications}),
        last_taken={
            row.code: row.last_taken.isoformat() if row.last_taken else "" for row in medications
        },
        allergies=sorted({row.code for row in allergies if row.code}),
        other_allergies="\n".join(row.allergen for row in allergies if not row.code),
        risk_factors=list(client.risk_factors),
    )
