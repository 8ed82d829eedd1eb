"""A client's clinical record as one timeline, newest first, with labels instead of codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_
from corneum.records.clients import service as clients
from corneum.records.consents import service as consents
from corneum.records.consultations import service as consultations
from corneum.records.outcomes import service as outcomes
from corneum.records.plans import service as plans
from corneum.records.sessions import service as sessions
from corneum.web import messages
from corneum.web.outcomes import texts as outcome_texts
from corneum.web.outcomes.course import grade_label
from corneum.web.scope import ClientScope
from corneum.web.sessions import runner


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
    plan_rows = plans.list_plans(**scope)
    entries += [
        Entry(
            row.created_at,
            N_("Plan"),
            procedure_name(kb, row.procedure_id),
            messages.PLAN_STATUS[row.status],
            link=f"/plans/{row.id}",
        )
        for row in plan_rows
    ]
    entries += _sessions_and_consents(scope, kb, {row.id: row.procedure_id for row in plan_rows})
    entries += _outcomes(scope, kb)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _outcomes(scope: ClientScope, kb: KnowledgeBase) -> list[Entry]:
    """Each recorded outcome, its grades in short (CASS — Back 3), linked to its form."""
    return [
        Entry(
            item.session_scheduled_at,
            outcome_texts.OUTCOME,
            ", ".join(f"{grade_label(kb, g.scale, g.area)} {g.value}" for g in item.outcome.grades)
            or "—",
            link=f"/sessions/{item.outcome.session_id}/outcome",
        )
        for item in outcomes.list_outcomes(**scope)
    ]


def _sessions_and_consents(
    scope: ClientScope, kb: KnowledgeBase, procedures: dict[int, str]
) -> list[Entry]:
    """Each session, linked to its protocol runner, and each signed consent."""
    visits = [
        Entry(
            row.scheduled_at,
            N_("Session"),
            procedure_name(kb, procedures.get(row.plan_id, "")),
            runner.SESSION_STATUS[row.status],
            link=f"/sessions/{row.id}/run",
        )
        for row in sessions.list_treatment_sessions(**scope)
    ]
    signed = [
        Entry(
            row.signed_at,
            N_("Consent"),
            procedure_name(kb, row.procedure_id) if row.procedure_id else row.text_version,
            N_("signed"),
            link=f"/consents/{row.id}",
        )
        for row in consents.list_consents(**scope)
    ]
    return visits + signed
