"""The safety banner as pages show it: the summary a service made, its reasons worded in the
reader's language (see :mod:`corneum.web.verdicts`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corneum.knowledge import KnowledgeBase
from corneum.records.consultations.schemas import StoredReason
from corneum.records.screening.summary import SafetySummary
from corneum.web.verdicts import ReasonTexts, ReasonView, reason_view


@dataclass(frozen=True, slots=True)
class SafetyView:
    summary: SafetySummary
    barring: list[ReasonView]
    cautions: list[ReasonView]


def safety_view(summary: SafetySummary, shown: KnowledgeBase, english: KnowledgeBase) -> SafetyView:
    """``shown`` is the knowledge base in the page's language, ``english`` the one screening
    worded its reasons from."""
    texts = ReasonTexts.of(shown)
    return SafetyView(
        summary,
        [reason_view(read(reason), shown, texts, english) for reason in summary.barring],
        [reason_view(read(reason), shown, texts, english) for reason in summary.cautions],
    )


def read(reason: dict[str, Any]) -> StoredReason:
    return StoredReason.model_validate(reason)
