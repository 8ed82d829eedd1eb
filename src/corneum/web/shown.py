"""The knowledge base as a page shows it: in the user's language.

Pages that store anything (an assessment, a plan) keep using the knowledge base itself; this
view only relabels, so what is saved never depends on who looked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from corneum.api.deps import KnowledgeDep
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.translations import shipped_translation, translated
from corneum.web.access import MaybeUser
from corneum.web.i18n import DEFAULT_LANGUAGE
from corneum.web.templating import language_of

_VIEWS: dict[tuple[str, str], KnowledgeBase] = {}
"""Translated views by (knowledge base hash, language): made once per process."""


def knowledge_in(kb: KnowledgeBase, language: str) -> KnowledgeBase:
    if language == DEFAULT_LANGUAGE:
        return kb
    key = (kb.sha256, language)
    if key not in _VIEWS:
        _VIEWS[key] = translated(kb, shipped_translation(language))
    return _VIEWS[key]


async def shown_knowledge(request: Request, kb: KnowledgeDep, user: MaybeUser) -> KnowledgeBase:
    return knowledge_in(kb, language_of(request, user))


ShownKnowledge = Annotated[KnowledgeBase, Depends(shown_knowledge)]
