"""A stored assessment as the consultation page shows it: recommended procedures first, every
code replaced by its label, every source by its citation, and every rule's reason in the page's
language.

A stored assessment keeps its reasons in English, as the engine wrote them. The page finds each
reason's rule by its id and shows the rule's reason from the knowledge base it is given (a
translated view for a Russian user), as long as the stored text is still that rule's English;
a reason the engine words itself, or one the knowledge base has since reworded, is shown as
stored. Nothing stored changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from corneum.assessment import phrases
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.translations import rule_reasons
from corneum.phrase import Phrase
from corneum.records.consultations.schemas import StoredAssessment, StoredReason, StoredVerdict
from corneum.web import messages


@dataclass(frozen=True, slots=True)
class ReasonView:
    effect: str
    text: str
    about: str
    source: str
    eligible_from: date | None
    phrase: Phrase | None = None
    """For a reason the engine words itself: its template (a catalogue message id) and values
    in the page's language; the page translates it in place of ``text``."""


@dataclass(frozen=True, slots=True)
class ProcedureView:
    id: str
    name: str
    verdict: str
    verdict_text: str
    recommended: bool
    reasons: list[ReasonView]


@dataclass(frozen=True, slots=True)
class ReasonTexts:
    """Every rule's reason by rule id: as the engine words it (``kb.rules`` keeps the English in
    a translated view too) and as the page shows it."""

    english: Mapping[str, str]
    shown: Mapping[str, str]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> ReasonTexts:
        english = {rule.id: rule.reason.strip() for rules in kb.rules.values() for rule in rules}
        return cls(english, rule_reasons(kb))

    def text(self, reason: StoredReason, *, current: bool = False) -> str:
        """The stored reason's text as the page shows it. The engine may follow a rule's reason
        with the day it stops holding; the page says that day apart (``eligible_from``). With
        ``current`` (stored by this knowledge base) its phrase says which rule worded it;
        otherwise the stored English is compared with the rule's."""
        stored = reason.text
        english, shown = self.english.get(reason.rule), self.shown.get(reason.rule)
        if english is None or shown is None:
            return stored
        if current and reason.phrase is not None:
            return shown if reason.phrase.id == f"rule:{reason.rule}" else stored
        if stored == english or (reason.eligible_from and stored.startswith(english)):
            return shown
        return stored


def engine_phrase(
    reason: StoredReason, english: KnowledgeBase, shown: KnowledgeBase, *, current: bool = False
) -> Phrase | None:
    """A reason the engine worded itself, with ``shown``'s labels, as long as the stored text
    is still what the engine writes from ``english`` (known from its stored phrase when
    ``current``); None for any other reason."""
    if current and reason.phrase is not None:
        if reason.phrase.id.startswith("rule:"):
            return None
        return phrases.phrase_of(reason.rule, reason.code, shown)
    worded = phrases.phrase_of(reason.rule, reason.code, english)
    if worded is None or worded.text != reason.text:
        return None
    return phrases.phrase_of(reason.rule, reason.code, shown)


def reason_view(
    reason: StoredReason,
    kb: KnowledgeBase,
    texts: ReasonTexts,
    english: KnowledgeBase,
    *,
    current: bool = False,
) -> ReasonView:
    source = kb.sources.get(reason.source)
    return ReasonView(
        effect=messages.EFFECTS.get(reason.effect, reason.effect),
        text=texts.text(reason, current=current),
        about=kb.label(reason.code) if reason.code else "",
        source=source.citation if source else reason.source,
        eligible_from=reason.eligible_from,
        phrase=engine_phrase(reason, english, kb, current=current),
    )


def procedure_views(
    assessment: StoredAssessment, kb: KnowledgeBase, english: KnowledgeBase | None = None
) -> list[ProcedureView]:
    """Every procedure of the assessment: the recommended ones in their order, then the rest
    as the engine listed them. ``kb`` is the page's view of the knowledge base, ``english``
    the one the engine worded its reasons from (``kb`` itself when not given)."""
    rank = {procedure_id: index for index, procedure_id in enumerate(assessment.recommended)}
    procedures = sorted(assessment.procedures, key=lambda item: rank.get(item.id, len(rank)))
    texts = ReasonTexts.of(kb)
    current = assessment.knowledge_base.sha256 == (english or kb).sha256
    return [
        ProcedureView(
            id=item.id,
            name=_name(kb, item),
            verdict=item.verdict,
            verdict_text=messages.VERDICTS[item.verdict],
            recommended=item.id in rank,
            reasons=[
                reason_view(r, kb, texts, english or kb, current=current) for r in item.reasons
            ],
        )
        for item in procedures
    ]


def numbered_sources(
    referrals: Sequence[ReasonView], procedures: Sequence[ProcedureView]
) -> dict[str, int]:
    """Each source the page cites, numbered in the order it is first cited: the page names it
    once, in its list of references, and each reason points there by number."""
    cited = [r.source for r in referrals] + [r.source for p in procedures for r in p.reasons]
    return {source: number for number, source in enumerate(dict.fromkeys(cited), start=1)}


def _name(kb: KnowledgeBase, item: StoredVerdict) -> str:
    """The procedure's name in the page's language; as stored, for one the knowledge base no
    longer has."""
    try:
        return kb.procedure(item.id).name
    except KeyError:
        return item.name
