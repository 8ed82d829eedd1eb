"""What a handout says, taken from the knowledge base: a procedure's pre-treatment instructions,
its aftercare and its home-care plans, each instruction with its source. The print page and the
PDF both show this one value, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.model import Instruction
from corneum.records.errors import NotFoundError
from corneum.web.messages import N_

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


def handout_for(
    kb: KnowledgeBase,
    procedure_id: str,
    *,
    client_name: str | None = None,
    translation: Mapping[str, str] | None = None,
) -> Handout:
    """The handout of one procedure, for a client when ``client_name`` is given, its texts
    from ``translation`` (see :mod:`corneum.knowledge.translations`) where it has them; an
    unknown procedure is not found."""
    try:
        procedure = kb.procedure(procedure_id)
    except KeyError:
        raise NotFoundError("procedure", procedure_id) from None
    words = _Words(translation or {})
    key = f"procedures.{procedure.id}"
    home = [kb.home_care[plan_id] for plan_id in procedure.home_care]
    candidates = (
        Part(BEFORE, (words.group(None, f"{key}.pre_treatment", procedure.pre_treatment),)),
        Part(AFTER, (words.group(None, f"{key}.aftercare", procedure.aftercare),)),
        Part(
            HOME_CARE,
            tuple(
                words.group(
                    words(f"home_care.{plan.id}.title", plan.title),
                    f"home_care.{plan.id}.rules",
                    plan.rules,
                )
                for plan in home
            ),
        ),
    )
    parts = tuple(part for part in candidates if any(group.advice for group in part.groups))
    return Handout(
        procedure_id=procedure.id,
        procedure=words(f"{key}.name", procedure.name),
        summary=words(f"{key}.summary", procedure.summary),
        parts=parts,
        sources=_cited(kb, parts),
        kb_version=kb.version,
        client_name=client_name,
    )


@dataclass(frozen=True, slots=True)
class _Words:
    """A text in the handout's language, by its key; the English where there is none."""

    translation: Mapping[str, str]

    def __call__(self, key: str, english: str) -> str:
        return self.translation.get(key, english)

    def group(self, title: str | None, key: str, instructions: Iterable[Instruction]) -> Group:
        advice = tuple(
            Advice(self(f"{key}.{index}", item.text), item.source)
            for index, item in enumerate(instructions)
        )
        return Group(title, advice)


def _cited(kb: KnowledgeBase, parts: Iterable[Part]) -> tuple[tuple[str, str], ...]:
    ids = [advice.source for part in parts for group in part.groups for advice in group.advice]
    return tuple((source, kb.sources[source].citation) for source in dict.fromkeys(ids))
