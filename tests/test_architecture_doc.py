"""docs/architecture.md stays true: every module, function or class it names in backticks
(``corneum.…``) can be imported, and every repository path it names exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "architecture.md"
TICKED = re.findall(r"`([^`\n]+)`", DOC.read_text(encoding="utf-8"))
DOTTED = sorted({t for t in TICKED if re.fullmatch(r"corneum(\.\w+)+", t)})
PATHS = sorted({t for t in TICKED if re.fullmatch(r"[\w./-]+\.(py|md|yaml|toml)", t)})


def resolves(dotted: str) -> bool:
    """A module, or an attribute of the longest importable module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_the_page_names_code() -> None:
    assert len(DOTTED) >= 30
    assert PATHS


@pytest.mark.parametrize("dotted", DOTTED)
def test_every_named_module_and_function_exists(dotted: str) -> None:
    assert resolves(dotted), f"docs/architecture.md names {dotted}, which does not exist"


@pytest.mark.parametrize("path", PATHS)
def test_every_named_path_exists(path: str) -> None:
    assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which does not exist"


def test_the_readme_links_to_it() -> None:
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
