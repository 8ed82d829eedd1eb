"""The knowledge base as a page shows it: in the user's language.

Pages that store anything (an assessment, a plan) keep using the knowledge base itself; this
view only relabels, so what is saved never depends on who looked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from corneum.http.deps import KnowledgeDep
from corneum.knowledge import KnowledgeBase
from corneum.web.access import MaybeUser
from corneum.web.i18n import knowledge_in
from corneum.web.templating import language_of


async def shown_knowledge(request: Request, kb: KnowledgeDep, user: MaybeUser) -> KnowledgeBase:
    return knowledge_in(kb, language_of(request, user))


ShownKnowledge = Annotated[KnowledgeBase, Depends(shown_knowledge)]
