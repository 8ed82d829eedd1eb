"""The first-steps guide's screenshots (``docs/images/``), taken from the seeded demo clinic at
desktop width, and the guide kept honest: every picture it shows is one taken here, and every
one taken here is shown in it."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, LiveClinic, log_in, open_page

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "first-steps.md"
IMAGES = DOCS / "images"
MAX_BYTES = 400_000
SHOTS = {
    "sign-in": (None, "/login"),
    "today": ("practitioner", "/"),
    "consultation": ("practitioner", "/clients/{client_id}/consultations/new"),
    "assessment": ("practitioner", "/consultations/{consultation_id}"),
    "plan": ("practitioner", "/plans/{plan_id}"),
    "runner": ("practitioner", "/sessions/{running_session_id}/run"),
    "handout": ("practitioner", "/plans/{plan_id}/handout"),
}
"""Each picture's name, who is signed in and the page (ids of the demo clinic in braces)."""


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("name", list(SHOTS))
def test_the_guides_screenshot_is_taken(
    name: str, browser: Browser, live_clinic: LiveClinic
) -> None:
    who, path = SHOTS[name]
    page = open_page(browser, live_clinic, DESKTOP)
    try:
        if who is not None:
            log_in(page, who)
        response = page.goto(path.format(**live_clinic.ids.paths()))
        assert response is not None
        assert response.status == 200, path
        target = IMAGES / f"{name}.png"
        target.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(target), full_page=False)
    finally:
        page.context.close()
    assert png_size(target) == (DESKTOP["width"], DESKTOP["height"])
    assert target.stat().st_size < MAX_BYTES


def test_the_guide_shows_exactly_the_screenshots_taken() -> None:
    shown = set(re.findall(r"\]\(images/([\w-]+)\.png\)", GUIDE.read_text(encoding="utf-8")))
    assert shown == set(SHOTS)
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/first-steps.md" in readme
