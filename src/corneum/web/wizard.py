"""The consultation wizard's answers: read from the posted form, checked against the knowledge
base, written to the client's record and assessed through the consultations service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from corneum.knowledge import KnowledgeBase
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import ClientUpdate, HistoryEntryCreate
from corneum.records.consultations import service as consultations
from corneum.records.consultations.schemas import ClientAssessmentCreate
from corneum.records.consultations.tables import Consultation
from corneum.web import messages
from corneum.web.forms import text, texts
from corneum.web.scope import ClientScope


@dataclass
class Answers:
    """What the practitioner chose; every code is one the knowledge base has once ``errors``
    is empty."""

    date_of_birth: str = ""
    skin_type: str = ""
    phototype: str = ""
    area: str = ""
    concerns: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def read_answers(form: FormData, kb: KnowledgeBase, today: date) -> Answers:
    """The form's answers with an error beside each field that is missing or not a choice."""
    answers = Answers(
        date_of_birth=text(form, "date_of_birth"),
        skin_type=text(form, "skin_type"),
        phototype=text(form, "phototype"),
        area=text(form, "area"),
        concerns=texts(form, "concerns"),
        conditions=texts(form, "conditions"),
    )
    singles = {"skin_type": "skin_types", "phototype": "phototypes", "area": "areas"}
    for name, kind in singles.items():
        value = getattr(answers, name)
        if not value:
            answers.errors[name] = messages.REQUIRED
        elif value not in kb.codes(kind):
            answers.errors[name] = messages.CHOOSE_FROM_LIST
    for name, kind in {"concerns": "concerns", "conditions": "conditions"}.items():
        if not set(getattr(answers, name)) <= set(kb.codes(kind)):
            answers.errors[name] = messages.CHOOSE_FROM_LIST
    if _birth_date(answers.date_of_birth, today) is None:
        answers.errors["date_of_birth"] = messages.INVALID_DATE
    return answers


def _birth_date(value: str, today: date) -> date | None:
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born < today else None


def answers_from_record(*, session: Session, clinic_id: int, client_id: int, actor: int) -> Answers:
    """The wizard's starting answers: what the client's record already holds."""
    client = clients.get_client(
        session=session, clinic_id=clinic_id, client_id=client_id, actor=actor
    )
    history = clients.list_history(
        session=session, clinic_id=clinic_id, client_id=client_id, actor=actor
    )
    return Answers(
        date_of_birth=client.date_of_birth.isoformat() if client.date_of_birth else "",
        skin_type=client.skin_type or "",
        phototype=str(client.phototype or ""),
        conditions=sorted({row.condition_code for row in history if row.status == "active"}),
    )


def record_consultation(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    answers: Answers,
    actor: int,
    kb: KnowledgeBase,
    today: date,
) -> Consultation:
    """Write the skin and the newly named conditions to the client's record, then assess and
    store the consultation exactly as ``POST /api/clients/{id}/consultations`` does."""
    scope = ClientScope(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    update = ClientUpdate.model_validate(
        {
            "date_of_birth": answers.date_of_birth,
            "skin_type": answers.skin_type,
            "phototype": int(answers.phototype),
        }
    )
    clients.update_client(data=update, **scope)
    active = {row.condition_code for row in clients.list_history(**scope) if row.status == "active"}
    for code in sorted(set(answers.conditions) - active):
        clients.add_history_entry(data=HistoryEntryCreate(condition_code=code), **scope)
    request = ClientAssessmentCreate(area=answers.area, concerns=answers.concerns)
    return consultations.create_consultation(data=request, today=today, kb=kb, **scope)
