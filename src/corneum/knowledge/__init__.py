"""The clinical knowledge base: procedures, vocabulary, rules and sources, as validated data."""

from corneum.knowledge.base import CompiledRule, KnowledgeBase
from corneum.knowledge.load import (
    KnowledgeBaseError,
    default_knowledge_base,
    load_knowledge_base,
)

__all__ = [
    "CompiledRule",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "default_knowledge_base",
    "load_knowledge_base",
]
