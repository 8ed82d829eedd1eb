"""A client's clinical record as one timeline, newest first, with labels instead of codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.records.clients import service as clients
from corneum.records.consultations import service as consultations
from corneum.records.plans import service as plans
from corneum.web import messages
from corneum.web.messages import N_
from corneum.web.scope import ClientScope


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline. ``kind`` and ``status`` are texts for the template to
    translate; ``title`` is already a label (the knowledge base's) or a date."""

    at: datetime
    kind: str
    title: str
    status: str = ""
    link: str = ""


def procedure_name(kb: KnowledgeBase, procedure_id: str) -> str:
    try:
        return kb.procedure(procedure_id).name
    except KeyError:
        return procedure_id


def clinical_timeline(
    *, session: Session, clinic_id: int, client_id: int, actor: int, kb: KnowledgeBase
) -> list[Entry]:
    """Medical history, medications, consultations and plans, newest first; every part read
    through its service, so each is audited."""
    scope = ClientScope(session=session, clinic_id=clinic_id, client_id=client_id, actor=actor)
    entries = [
        Entry(
            row.created_at,
            N_("Medical history"),
            kb.label(row.condition_code),
            messages.HISTORY_STATUS[row.status],
        )
        for row in clients.list_history(**scope)
    ]
    entries += [
        Entry(
            row.created_at,
            N_("Medication"),
            kb.label(row.code),
            N_("stopped") if row.last_taken else N_("taking"),
        )
        for row in clients.list_medications(**scope)
    ]
    entries += [
        Entry(
            row.created_at,
            N_("Consultation"),
            kb.label(str(row.profile.get("area", ""))),
            link=f"/consultations/{row.id}",
        )
        for row in consultations.list_consultations(**scope)
    ]
    entries += [
        Entry(
            row.created_at,
            N_("Plan"),
            procedure_name(kb, row.procedure_id),
            messages.PLAN_STATUS[row.status],
        )
        for row in plans.list_plans(**scope)
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
