"""Screen a client against every procedure and rank the ones to offer.

Pure and deterministic: the result depends only on the profile, the knowledge base and the
assessment date, which the caller supplies; the engine never reads the clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from corneum.assessment.profile import Profile
from corneum.assessment.result import Assessment, ProcedureVerdict, Reason, ReasonEffect, Verdict
from corneum.knowledge.base import CompiledRule, KnowledgeBase
from corneum.knowledge.model import Procedure

MAX_WEIGHT = 3
_EFFECT_ORDER: dict[ReasonEffect, int] = {
    "contraindicated": 0,
    "relative_contraindication": 1,
    "caution": 2,
    "allowed": 3,
    "out_of_area": 4,
    "indicated": 5,
    "no_contraindication": 6,
}
_VERDICT_RANK: dict[Verdict, int] = {"suitable": 0, "caution": 1, "contraindicated": 2}


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a condition the client has comes from: a code in the profile, perhaps dated."""

    client_code: str
    last_taken: date | None = None
    default_washout_days: int | None = None


def assess(profile: Profile, kb: KnowledgeBase, *, assessed_on: date) -> Assessment:
    """Assess ``profile`` against every procedure in ``kb`` as of ``assessed_on``.

    ``profile.assessed_on``, when given, takes precedence over the caller's date, so a stored
    consultation is reproduced as of the day it was made.
    """
    on = profile.assessed_on or assessed_on
    facts = _client_conditions(profile, kb)
    verdicts = tuple(_assess_procedure(p, profile, facts, kb, on) for p in kb.procedures)
    recommended = sorted(
        (v for v in verdicts if v.verdict != "contraindicated" and v.score > 0),
        key=lambda v: (_VERDICT_RANK[v.verdict], -v.score, v.id),
    )
    return Assessment(
        knowledge_base_version=kb.version,
        knowledge_base_sha256=kb.sha256,
        assessed_on=on,
        procedures=verdicts,
        recommended=tuple(v.id for v in recommended),
    )


def _client_conditions(profile: Profile, kb: KnowledgeBase) -> dict[str, list[_Origin]]:
    """Every condition the client has, directly, by implication or through a medication."""
    facts: dict[str, list[_Origin]] = {}

    def add(condition: str, origin: _Origin) -> None:
        facts.setdefault(condition, []).append(origin)
        for implied in kb.implied_conditions.get(condition, ()):
            facts.setdefault(implied, []).append(origin)

    for code in profile.conditions:
        add(code, _Origin(code))
    for entry in profile.medications:
        term = kb.medications[entry.code]
        add(term.implies, _Origin(entry.code, entry.last_taken, term.washout_days))
    return facts


def _assess_procedure(
    procedure: Procedure,
    profile: Profile,
    facts: dict[str, list[_Origin]],
    kb: KnowledgeBase,
    on: date,
) -> ProcedureVerdict:
    rules = kb.rules[procedure.id]
    reasons: list[Reason] = []
    seen: set[tuple[str | None, str]] = set()
    for rule in rules:
        reason = _apply(rule, profile, facts, on)
        if reason is not None and (reason.code, reason.effect) not in seen:
            seen.add((reason.code, reason.effect))
            reasons.append(reason)
    verdict = _verdict(reasons)
    area_covered = profile.area in procedure.areas
    if not area_covered:
        reasons.append(_out_of_area(procedure, profile, kb))
    weights = kb.weights[procedure.id]
    matched = [c for c in profile.concerns if c in weights]
    reasons.extend(_indicated(procedure, concern, weights[concern], kb) for concern in matched)
    if verdict == "suitable":
        reasons.append(_screened(procedure, sum(r.effect != "allowed" for r in rules)))
    score = 0.0
    if area_covered and profile.concerns:
        total = sum(weights[c] for c in matched)
        score = round(total / (MAX_WEIGHT * len(profile.concerns)), 3)
    reasons.sort(key=lambda r: _EFFECT_ORDER[r.effect])
    return ProcedureVerdict(
        id=procedure.id,
        name=procedure.name,
        verdict=verdict,
        score=score,
        area_covered=area_covered,
        reasons=tuple(reasons),
    )


def _apply(
    rule: CompiledRule, profile: Profile, facts: dict[str, list[_Origin]], on: date
) -> Reason | None:
    if rule.areas and profile.area not in rule.areas:
        return None
    if rule.subject == "phototype":
        if profile.fitzpatrick not in rule.phototypes:
            return None
        return _reason(rule, f"fitzpatrick_{profile.fitzpatrick}")
    if rule.subject == "skin_type":
        return _reason(rule, profile.skin_type) if profile.skin_type == rule.code else None
    assert rule.code is not None
    holding = [(o, _eligible_from(o, rule)) for o in facts.get(rule.code, ())]
    holding = [(o, end) for o, end in holding if end is None or on < end]
    if not holding:
        return None
    # An undated origin (still taking it, or a bare condition) outlasts any dated one.
    undated = [o for o, end in holding if end is None]
    if undated:
        return _reason(rule, undated[0].client_code)
    origin, end = max(holding, key=lambda pair: pair[1] or date.min)
    return _reason(rule, origin.client_code, end)


def _eligible_from(origin: _Origin, rule: CompiledRule) -> date | None:
    """The first day the rule stops holding for this origin; None if it holds without end."""
    if origin.last_taken is None:
        return None
    if rule.washout_months is not None:
        return _add_months(origin.last_taken, rule.washout_months)
    days = rule.washout_days or origin.default_washout_days
    if days is None:
        return None
    return origin.last_taken + timedelta(days=days)


def _add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end (31 August + 6 months = 28 February)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _reason(rule: CompiledRule, code: str, eligible_from: date | None = None) -> Reason:
    text = rule.reason.strip()
    if eligible_from is not None:
        text = f"{text} Eligible from {eligible_from.isoformat()}."
    return Reason(
        rule=rule.id,
        code=code,
        effect=rule.effect,
        source=rule.source,
        text=text,
        eligible_from=eligible_from,
        note=rule.note,
    )


def _verdict(reasons: list[Reason]) -> Verdict:
    effects = {r.effect for r in reasons}
    if "contraindicated" in effects:
        return "contraindicated"
    if effects & {"relative_contraindication", "caution"}:
        return "caution"
    return "suitable"


def _out_of_area(procedure: Procedure, profile: Profile, kb: KnowledgeBase) -> Reason:
    areas = ", ".join(kb.label(a).lower() for a in procedure.areas)
    return Reason(
        rule=f"{procedure.id}.areas",
        code=profile.area,
        effect="out_of_area",
        source=procedure.sources[0],
        text=f"Not done on the {kb.label(profile.area).lower()}; it treats: {areas}.",
    )


def _indicated(procedure: Procedure, concern: str, weight: int, kb: KnowledgeBase) -> Reason:
    indication = next(i for i in procedure.indications if i.concern == concern)
    return Reason(
        rule=f"{procedure.id}.indication.{concern}",
        code=concern,
        effect="indicated",
        source=indication.source,
        text=f"Treats {kb.label(concern).lower()} (weight {weight} of {MAX_WEIGHT}).",
    )


def _screened(procedure: Procedure, rule_count: int) -> Reason:
    if rule_count:
        text = f"None of the {rule_count} contraindications and cautions on record applies."
    else:
        text = "Its sources record no contraindication."
    return Reason(
        rule=f"{procedure.id}.screening",
        code=None,
        effect="no_contraindication",
        source=procedure.sources[0],
        text=text,
    )
