"""Screening on the day, the rule every path to a treatment goes through.

Creating a plan, booking (one session, a course, the optimiser's ``book``, reception's visit)
and starting a session's first stage each call :func:`require_screening`: the client is
assessed again for that procedure as of that day, from the record as it stands (conditions
active that day, medications with their last doses, allergies, age that day, what a patch test
with a reaction showed). A contraindicated verdict refuses with :class:`ContraindicatedError`,
which lists its reasons; a caution goes through and its reasons are returned for the booking or
the session to carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from corneum.assessment import Reason, assess
from corneum.assessment.result import ProcedureVerdict, Verdict
from corneum.knowledge import KnowledgeBase
from corneum.phrase import N_, Code, Phrase, Value, joined
from corneum.records.consultations.service import client_record_on, validated_record_profile
from corneum.records.errors import ConflictError, InvalidInputError
from corneum.records.patch_tests.service import reaction_conditions

INFORMATIONAL = frozenset({"allowed", "out_of_area", "indicated", "no_contraindication"})
"""Reason effects that neither bar nor caution: every other effect but ``contraindicated``
cautions (a relative contraindication, a caution, a referral the knowledge base asks for)."""
NOT_SCREENED_RULE = "screening.incomplete_record"
"""The rule id of the caution a booking carries when the record could not be screened."""
CODE = "%(code)s"
"""A phrase of one code: no words to translate, the code shown by its label."""
SEVERITY: dict[Verdict, int] = {"suitable": 0, "caution": 1, "contraindicated": 2}
CONTRAINDICATED = N_("%(procedure)s is contraindicated for this client on %(day)s: %(reasons)s")


@dataclass(frozen=True, slots=True)
class Screening:
    """One procedure screened for one client as of one day."""

    procedure_id: str
    on: date
    verdict: Verdict
    reasons: tuple[Reason, ...]
    """Only the reasons that bar or caution, each once."""

    @property
    def barring(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.effect == "contraindicated")

    @property
    def cautions(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.effect != "contraindicated")

    def stored_cautions(self) -> list[dict[str, Any]]:
        """The cautions as a booking or a session stores them."""
        return [reason.to_dict() for reason in self.cautions]


class ContraindicatedError(ConflictError):
    """Screening on the day found the procedure contraindicated: nobody may override it. The
    API answers 409 with ``reasons`` (rule, code, effect, source, text, eligible_from)."""

    def __init__(self, screening: Screening) -> None:
        values: dict[str, Value] = {
            "procedure": Code(screening.procedure_id),
            "day": screening.on.isoformat(),
            "reasons": labelled(screening.barring),
        }
        super().__init__("procedure_id", Phrase(CONTRAINDICATED, values))
        self.screening = screening
        self.reasons = [reason.to_dict() for reason in screening.barring]


def screen(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    procedure_id: str,
    area: str | None,
    on: date,
    kb: KnowledgeBase,
    actor: int | None,
    unscreened_is_caution: bool = False,
) -> Screening:
    """Assess the client for ``procedure_id`` as of ``on``. With no ``area`` every area the
    procedure treats is screened and the strictest verdict kept, since a rule may hold for one
    area only (a pacemaker under ultrasound over the chest).

    A record without what screening needs (date of birth, skin type, phototype) is refused
    (:class:`InvalidInputError` naming the fields), or with ``unscreened_is_caution`` gives a
    caution that says so: reception may book a new client's first visit before anyone has
    taken her history, and the session's first stage screens her again before it starts."""
    procedure = kb.procedure(procedure_id)
    areas = (area,) if area else tuple(procedure.areas)
    try:
        record = client_record_on(
            session=session, clinic_id=clinic_id, client_id=client_id, on=on, actor=actor,
            purpose="screening",
        )  # fmt: skip
        shown = reaction_conditions(session, client_id=client_id, on=on, kb=kb)
        record["conditions"] = sorted({*record["conditions"], *((code, "") for code in shown)})
        verdicts = [
            _verdict(validated_record_profile(record, area=each, kb=kb), kb, on, procedure_id)
            for each in areas
        ]
    except InvalidInputError as exc:
        if not unscreened_is_caution:
            raise
        return Screening(procedure_id, on, "caution", (_not_screened(exc),))
    worst = max(verdicts, key=lambda v: SEVERITY[v.verdict])
    return Screening(procedure_id, on, worst.verdict, _barring_and_cautions(verdicts))


def require_screening(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    procedure_id: str,
    area: str | None,
    on: date,
    kb: KnowledgeBase,
    actor: int | None,
    unscreened_is_caution: bool = False,
) -> Screening:
    """:func:`screen`, refusing a contraindicated verdict (:class:`ContraindicatedError`)."""
    screening = screen(
        session=session, clinic_id=clinic_id, client_id=client_id, procedure_id=procedure_id,
        area=area, on=on, kb=kb, actor=actor, unscreened_is_caution=unscreened_is_caution,
    )  # fmt: skip
    if screening.verdict == "contraindicated":
        raise ContraindicatedError(screening)
    return screening


def _not_screened(exc: InvalidInputError) -> Reason:
    """What the record lacks (or holds that screening cannot read, such as an age past 120 on
    a day at the calendar's end), as a caution."""
    problems = "; ".join(
        f"{str(problem['loc'][-1]).replace('_', ' ')}: {problem['msg']}" for problem in exc.problems
    )
    text = (
        f"Not screened: {problems}. Complete the client's record before the session; its "
        "first stage screens her again."
    )
    return Reason(NOT_SCREENED_RULE, None, "caution", "ClinicPractice", text)


def _verdict(profile: Any, kb: KnowledgeBase, on: date, procedure_id: str) -> ProcedureVerdict:
    return assess(profile, kb, assessed_on=on).verdict(procedure_id)


def _barring_and_cautions(verdicts: list[ProcedureVerdict]) -> tuple[Reason, ...]:
    seen: dict[tuple[str, str | None, str], Reason] = {}
    for verdict in verdicts:
        for reason in verdict.reasons:
            if reason.effect not in INFORMATIONAL:
                seen.setdefault((reason.rule, reason.code, reason.effect), reason)
    return tuple(seen.values())


def labelled(reasons: Iterable[Reason | dict[str, Any]]) -> Phrase:
    """The codes behind ``reasons`` as one phrase, each shown by its label in the reader's
    language (the API's English keeps the codes)."""
    codes = sorted({_code_of(reason) for reason in reasons})
    return joined([Phrase(CODE, {"code": Code(code)}) for code in codes])


def _code_of(reason: Reason | dict[str, Any]) -> str:
    if isinstance(reason, Reason):
        return str(reason.code or reason.rule)
    return str(reason.get("code") or reason.get("rule"))


def reason_key(reason: dict[str, Any]) -> str:
    """How an acknowledgement names a stored caution: its rule and the code that matched."""
    return f"{reason.get('rule')}|{reason.get('code') or ''}"
