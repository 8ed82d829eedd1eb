"""Screen a client against every procedure and rank the ones to offer.

Pure and deterministic: the result depends only on the profile, the knowledge base and the
assessment date, which the caller supplies; the engine never reads the clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from corneum.assessment import phrases
from corneum.assessment.phrases import MAX_WEIGHT
from corneum.assessment.profile import Profile
from corneum.assessment.result import Assessment, ProcedureVerdict, Reason, ReasonEffect, Verdict
from corneum.knowledge.base import (
    CompiledRule,
    KnowledgeBase,
    age_token,
    area_token,
    phototype_token,
)
from corneum.knowledge.model import Indication, Procedure

_EFFECT_ORDER: dict[ReasonEffect, int] = {
    "contraindicated": 0,
    "refer": 1,
    "relative_contraindication": 2,
    "caution": 3,
    "allowed": 4,
    "out_of_area": 5,
    "indicated": 6,
    "no_contraindication": 7,
}
_VERDICT_OF_EFFECT: dict[ReasonEffect, Verdict] = {
    "contraindicated": "contraindicated",
    "refer": "contraindicated",
    "relative_contraindication": "caution",
    "caution": "caution",
    "allowed": "suitable",
}
_VERDICT_RANK: dict[Verdict, int] = {"suitable": 0, "caution": 1, "contraindicated": 2}


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a condition the client has comes from: a code in the profile, perhaps dated."""

    client_code: str
    last_taken: date | None = None
    default_washout_days: int | None = None
    default_washout_months: int | None = None
    elsewhere: bool = False
    """A condition the profile places outside the treated area."""


def assess(profile: Profile, kb: KnowledgeBase, *, assessed_on: date) -> Assessment:
    """Assess ``profile`` against every procedure in ``kb`` as of ``assessed_on``.

    ``profile.assessed_on``, when given, takes precedence over the caller's date, so a stored
    consultation is reproduced as of the day it was made.
    """
    on = profile.assessed_on or assessed_on
    prepared = _prepared(kb)
    client = _client_tokens(profile, kb)
    holding = _rule_reasons(kb, client, profile, on, prepared)
    verdicts = tuple(
        _assess_procedure(p, profile, holding.get(p.id, []), prepared) for p in kb.procedures
    )
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
        referrals=_referrals(verdicts),
    )


def _referrals(verdicts: tuple[ProcedureVerdict, ...]) -> tuple[Reason, ...]:
    """Every red flag once (by rule's local id and client code), in procedure order."""
    found: dict[tuple[str, str | None], Reason] = {}
    for verdict in verdicts:
        for reason in verdict.reasons:
            if reason.effect == "refer":
                found.setdefault((reason.rule.partition(".")[2], reason.code), reason)
    return tuple(found.values())


def _client_tokens(profile: Profile, kb: KnowledgeBase) -> dict[str, list[_Origin]]:
    """Everything rules can match on the client, each with where it came from: conditions
    (direct, implied or through a medication, each knowing whether it is in the treated
    area), allergies, the skin type, the phototype, the age and the treated area."""
    tokens: dict[str, list[_Origin]] = {
        profile.skin_type: [_Origin(profile.skin_type)],
        phototype_token(profile.fitzpatrick): [_Origin(phototype_token(profile.fitzpatrick))],
        area_token(profile.area): [_Origin(profile.area)],
    }
    for threshold in kb.age_thresholds:
        if profile.age < threshold:
            tokens[age_token(threshold)] = [_Origin("age")]

    def add(condition: str, origin: _Origin) -> None:
        tokens.setdefault(condition, []).append(origin)
        for implied in kb.implied_conditions.get(condition, ()):
            tokens.setdefault(implied, []).append(origin)

    for condition in profile.conditions:
        add(condition.code, _Origin(condition.code, elsewhere=not condition.in_treated_area))
    for allergy in profile.allergies:
        tokens.setdefault(allergy, []).append(_Origin(allergy))
    for entry in profile.medications:
        term = kb.medications[entry.code]
        days = 1 if term.while_taking else term.washout_days
        add(term.implies, _Origin(entry.code, entry.last_taken, days, term.washout_months))
    return tokens


def _assess_procedure(
    procedure: Procedure, profile: Profile, reasons: list[Reason], prepared: _Prepared
) -> ProcedureVerdict:
    verdict = _verdict(reasons)
    area_covered = profile.area in procedure.areas
    if not area_covered:
        reasons.append(prepared.out_of_area[procedure.id][profile.area])
    indicated = prepared.indicated[procedure.id]
    total = 0
    for concern in profile.concerns:
        match = indicated.get(concern)
        if match is not None:
            total += match[0]
            reasons.append(match[1])
    if verdict == "suitable":
        reasons.append(prepared.screened[procedure.id])
    score = 0.0
    if area_covered and profile.concerns:
        score = round(total / (MAX_WEIGHT * len(profile.concerns)), 3)
    return ProcedureVerdict(
        procedure.id, procedure.name, verdict, score, area_covered, tuple(reasons)
    )


def _rule_reasons(
    kb: KnowledgeBase,
    client: dict[str, list[_Origin]],
    profile: Profile,
    on: date,
    prepared: _Prepared,
) -> dict[str, list[Reason]]:
    """The reasons of every rule that holds, by procedure id, ordered by effect then by the
    rule's place in the data; one per client code and effect, so a fact reached twice
    (herpes is also an infection) is not repeated."""
    found: dict[str, list[_Found]] = {}
    area = profile.area
    # A shared rule set's rule is indexed once per procedure that takes it, under one id:
    # what it finds for this client is worked out once.
    decided: dict[str, tuple[Reason, object] | None] = {}
    for token, origins in client.items():
        for entry in kb.rule_index.get(token, ()):
            rule = entry.rule
            if rule.areas and area not in rule.areas:
                continue
            if rule.id in decided:
                outcome = decided[rule.id]
            else:
                reason = _holding(rule, origins, on, prepared)
                outcome = None if reason is None else (reason, _unique_by(rule, reason))
                decided[rule.id] = outcome
            if outcome is not None:
                reason, key = outcome
                item = (_EFFECT_ORDER[reason.effect], entry.position, reason, key)
                found.setdefault(entry.procedure_id, []).append(item)
    return {procedure_id: _ordered_unique(items) for procedure_id, items in found.items()}


_Found = tuple[int, int, Reason, object]


def _unique_by(rule: CompiledRule, reason: Reason) -> object:
    """What a reason is told once by: a condition's client code and wash-out (a fact reached
    twice, herpes being also an infection, is told once; two windows for one drug are both
    told), else the rule's own id (age and area rules each stand alone)."""
    if rule.subject != "condition":
        return rule.id
    return (reason.code, rule.washout_months, rule.washout_days)


"""A reason found: its effect's rank, the rule's place, the reason, and what it is unique by
(a condition's code, so a fact reached twice is told once; else the rule's id)."""


def _ordered_unique(items: list[_Found]) -> list[Reason]:
    if len(items) == 1:
        return [items[0][2]]
    items.sort(key=lambda item: (item[0], item[1]))
    reasons: list[Reason] = []
    seen: set[tuple[object, str]] = set()
    for _, _, reason, unique_by in items:
        if (unique_by, reason.effect) not in seen:
            seen.add((unique_by, reason.effect))
            reasons.append(reason)
    return reasons


def _holding(
    rule: CompiledRule, origins: list[_Origin], on: date, prepared: _Prepared
) -> Reason | None:
    """The rule's reason if it holds on ``on`` for any of the origins, else None.

    An origin without an end (a bare condition, a medication still taken, or no wash-out
    known) outlasts any dated one; among dated ones the latest end is reported."""
    latest: tuple[date, _Origin] | None = None
    for origin in origins:
        if rule.local and origin.elsewhere:
            continue
        end = _eligible_from(origin, rule)
        if end is None:
            return _standing_reason(rule, origin.client_code, prepared)
        if on < end and (latest is None or end > latest[0]):
            latest = (end, origin)
    if latest is None:
        return None
    return _reason(rule, latest[1].client_code, latest[0])


def _eligible_from(origin: _Origin, rule: CompiledRule) -> date | None:
    """The first day the rule stops holding for this origin; None if it holds without end
    (no date, no wash-out known, or an end past the last date a calendar can hold)."""
    if origin.last_taken is None:
        return None
    try:
        if rule.washout_months is not None:
            return _add_months(origin.last_taken, rule.washout_months)
        if rule.washout_days is not None:
            return origin.last_taken + timedelta(days=rule.washout_days)
        if origin.default_washout_months is not None:
            return _add_months(origin.last_taken, origin.default_washout_months)
        days = origin.default_washout_days
        return None if days is None else origin.last_taken + timedelta(days=days)
    except (OverflowError, ValueError):
        return None


def _add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end (31 August + 6 months = 28 February)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Reasons that depend only on the knowledge base, built once per knowledge base."""

    indicated: dict[str, dict[str, tuple[int, Reason]]]
    """By procedure and concern: the indication's weight and its reason."""
    screened: dict[str, Reason]
    out_of_area: dict[str, dict[str, Reason]]
    standing: dict[tuple[str, str], Reason]
    """Reasons of rules that hold with no end date, by rule id and client code, as met."""


_PREPARED: dict[str, _Prepared] = {}


def _prepared(kb: KnowledgeBase) -> _Prepared:
    prepared = _PREPARED.get(kb.sha256)
    if prepared is None:
        prepared = _Prepared(
            indicated={
                p.id: {i.concern: (i.weight, _indicated(p, i, kb)) for i in p.indications}
                for p in kb.procedures
            },
            screened={p.id: _screened(p, kb) for p in kb.procedures},
            out_of_area={
                p.id: {area: _out_of_area(p, area, kb) for area in kb.codes("areas")}
                for p in kb.procedures
            },
            standing={},
        )
        _PREPARED[kb.sha256] = prepared
    return prepared


def _standing_reason(rule: CompiledRule, code: str, prepared: _Prepared) -> Reason:
    """The reason of a rule that holds with no end date, for one client code."""
    reason = prepared.standing.get((rule.id, code))
    if reason is None:
        reason = prepared.standing[(rule.id, code)] = _reason(rule, code)
    return reason


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
    """The verdict of a procedure from its rule reasons, which come ordered by effect."""
    if not reasons:
        return "suitable"
    return _VERDICT_OF_EFFECT[reasons[0].effect]


def _out_of_area(procedure: Procedure, area: str, kb: KnowledgeBase) -> Reason:
    return Reason(
        rule=f"{procedure.id}.areas",
        code=area,
        effect="out_of_area",
        source=procedure.sources[0],
        text=phrases.out_of_area(procedure, area, kb).text,
    )


def _indicated(procedure: Procedure, indication: Indication, kb: KnowledgeBase) -> Reason:
    return Reason(
        rule=f"{procedure.id}.indication.{indication.concern}",
        code=indication.concern,
        effect="indicated",
        source=indication.source,
        text=phrases.indicated(indication, kb).text,
    )


def _screened(procedure: Procedure, kb: KnowledgeBase) -> Reason:
    return Reason(
        rule=f"{procedure.id}.screening",
        code=None,
        effect="no_contraindication",
        source=procedure.sources[0],
        text=phrases.screened(procedure, kb).text,
    )
