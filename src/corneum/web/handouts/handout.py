"""What a handout says, taken from the knowledge base: a procedure's pre-treatment instructions,
its aftercare and its home-care plans, each instruction with its source. The print page and the
PDF both show this one value, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Instruction
from corneum.phrase import N_
from corneum.records.errors import NotFoundError

BEFORE = N_("Before the procedure")
AFTER = N_("After the procedure")
HOME_CARE = N_("Home care between visits")
HANDOUT = N_("Handout")
FOR_CLIENT = N_("Prepared for %(name)s")
SOURCES = N_("Sources")
SOURCES_NOTE = N_("Each instruction names its source in brackets.")
KB_VERSION = N_("Knowledge base version")
NOTHING = N_("The knowledge base holds no instructions for this procedure.")
PAGE = N_("Page %(page)s of %(pages)s")


@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    source: str
    """The source's id, shown after the text; ``Handout.sources`` gives its citation."""


@dataclass(frozen=True, slots=True)
class Group:
    title: str | None
    """A home-care plan's title; None for a part's only group."""
    advice: tuple[Advice, ...]


@dataclass(frozen=True, slots=True)
class Part:
    heading: str
    """A message id: translated where it is shown."""
    groups: tuple[Group, ...]


@dataclass(frozen=True, slots=True)
class Handout:
    procedure_id: str
    procedure: str
    summary: str
    parts: tuple[Part, ...]
    """Only the parts the knowledge base has instructions for, in the order of care."""
    sources: tuple[tuple[str, str], ...]
    """Every source an instruction cites, as (id, citation), in order of first citation."""
    kb_version: str
    client_name: str | None = None


def handout_for(kb: KnowledgeBase, procedure_id: str, *, client_name: str | None = None) -> Handout:
    """The handout of one procedure, for a client when ``client_name`` is given, in the
    language of ``kb`` (a view of :func:`corneum.web.i18n.knowledge_in`); an unknown procedure
    is not found."""
    try:
        procedure = kb.procedure(procedure_id)
    except KeyError:
        raise NotFoundError("procedure", procedure_id) from None
    home = [kb.home_care[plan_id] for plan_id in procedure.home_care]
    candidates = (
        Part(BEFORE, (_group(None, procedure.pre_treatment),)),
        Part(AFTER, (_group(None, procedure.aftercare),)),
        Part(HOME_CARE, tuple(_group(plan.title, plan.rules) for plan in home)),
    )
    parts = tuple(part for part in candidates if any(group.advice for group in part.groups))
    return Handout(
        procedure_id=procedure.id,
        procedure=procedure.name,
        summary=procedure.summary,
        parts=parts,
        sources=_cited(kb, parts),
        kb_version=kb.version,
        client_name=client_name,
    )


def _group(title: str | None, instructions: Iterable[Instruction]) -> Group:
    return Group(title, tuple(Advice(item.text, item.source) for item in instructions))


def _cited(kb: KnowledgeBase, parts: Iterable[Part]) -> tuple[tuple[str, str], ...]:
    ids = [advice.source for part in parts for group in part.groups for advice in group.advice]
    return tuple((source, kb.sources[source].citation) for source in dict.fromkeys(ids))
