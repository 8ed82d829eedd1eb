"""A stored assessment as the consultation page shows it: recommended procedures first, every
code replaced by its label and every source by its citation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corneum.knowledge import KnowledgeBase
from corneum.web import messages


@dataclass(frozen=True, slots=True)
class ReasonView:
    effect: str
    text: str
    about: str
    source: str
    eligible_from: str


@dataclass(frozen=True, slots=True)
class ProcedureView:
    id: str
    name: str
    verdict: str
    verdict_text: str
    recommended: bool
    reasons: list[ReasonView]


def reason_view(reason: Mapping[str, Any], kb: KnowledgeBase) -> ReasonView:
    source = kb.sources.get(reason["source"])
    code = reason.get("code")
    return ReasonView(
        effect=messages.EFFECTS.get(reason["effect"], reason["effect"]),
        text=reason["text"],
        about=kb.label(str(code)) if code else "",
        source=source.citation if source else reason["source"],
        eligible_from=reason.get("eligible_from") or "",
    )


def procedure_views(assessment: Mapping[str, Any], kb: KnowledgeBase) -> list[ProcedureView]:
    """Every procedure of the assessment: the recommended ones in their order, then the rest
    as the engine listed them."""
    recommended: list[str] = list(assessment.get("recommended", []))
    rank = {procedure_id: index for index, procedure_id in enumerate(recommended)}
    procedures = sorted(assessment["procedures"], key=lambda item: rank.get(item["id"], len(rank)))
    return [
        ProcedureView(
            id=item["id"],
            name=_name(kb, item),
            verdict=item["verdict"],
            verdict_text=messages.VERDICTS[item["verdict"]],
            recommended=item["id"] in rank,
            reasons=[reason_view(reason, kb) for reason in item["reasons"]],
        )
        for item in procedures
    ]


def _name(kb: KnowledgeBase, item: Mapping[str, Any]) -> str:
    """The procedure's name in the page's language; as stored, for one the knowledge base no
    longer has."""
    try:
        return kb.procedure(item["id"]).name
    except KeyError:
        return str(item["name"])
