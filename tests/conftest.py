"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from corneum.assessment import Assessment, Profile, assess, validate_profile
from corneum.knowledge import KnowledgeBase, default_knowledge_base

ASSESSED_ON = date(2026, 11, 23)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


def profile_data(**overrides: Any) -> dict[str, Any]:
    """A healthy adult with oily back skin and blackheads; override any field."""
    data: dict[str, Any] = {
        "age": 29,
        "skin_type": "oily",
        "fitzpatrick": 3,
        "area": "back",
        "concerns": ["blackheads"],
        "conditions": [],
        "medications": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_profile(kb: KnowledgeBase) -> Callable[..., Profile]:
    def make(**overrides: Any) -> Profile:
        return validate_profile(profile_data(**overrides), kb)

    return make


@pytest.fixture
def assess_with(kb: KnowledgeBase) -> Callable[..., Assessment]:
    """Assess a profile built from the defaults plus ``overrides`` on a fixed date."""

    def run(**overrides: Any) -> Assessment:
        return assess(validate_profile(profile_data(**overrides), kb), kb, assessed_on=ASSESSED_ON)

    return run
