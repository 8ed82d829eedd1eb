"""The reasons the engine words itself (an indication met, an area not treated, a screening
that found nothing) as phrases (:mod:`corneum.phrase`): the engine writes the English; a page
puts the values, labelled in its own language, into the template's translation."""

from __future__ import annotations

from corneum.knowledge.base import KnowledgeBase
from corneum.knowledge.model import Indication, Procedure
from corneum.phrase import N_, Phrase

MAX_WEIGHT = 3
OUT_OF_AREA = N_("Not done on the %(area)s; it treats: %(areas)s.")
INDICATED = N_("Treats %(concern)s (weight %(weight)s of %(most)s).")
SCREENED = N_("None of the %(count)s contraindications and cautions on record applies.")
NO_RULES = N_("Its sources record no contraindication.")


def out_of_area(procedure: Procedure, area: str, kb: KnowledgeBase) -> Phrase:
    areas = ", ".join(kb.label(a).lower() for a in procedure.areas)
    return Phrase(OUT_OF_AREA, {"area": kb.label(area).lower(), "areas": areas})


def indicated(indication: Indication, kb: KnowledgeBase) -> Phrase:
    concern = kb.label(indication.concern).lower()
    return Phrase(INDICATED, {"concern": concern, "weight": indication.weight, "most": MAX_WEIGHT})


def screened(procedure: Procedure, kb: KnowledgeBase) -> Phrase:
    count = sum(rule.effect != "allowed" for rule in kb.rules[procedure.id])
    return Phrase(SCREENED, {"count": count}) if count else Phrase(NO_RULES, {})


def phrase_of(rule_id: str, code: str | None, kb: KnowledgeBase) -> Phrase | None:
    """The phrase the engine words for a reason with this rule id and client code, from
    ``kb``'s labels; None for a knowledge-base rule's own reason or an id ``kb`` lacks."""
    procedure_id, _, kind = rule_id.partition(".")
    procedure = next((p for p in kb.procedures if p.id == procedure_id), None)
    if procedure is None:
        return None
    if kind == "screening":
        return screened(procedure, kb)
    if kind == "areas" and code:
        return out_of_area(procedure, code, kb)
    concern = kind.removeprefix("indication.")
    if concern != kind:
        found = [i for i in procedure.indications if i.concern == concern]
        return indicated(found[0], kb) if found else None
    return None
