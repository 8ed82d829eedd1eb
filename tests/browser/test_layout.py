"""The layout check itself, on small hand-written pages: it finds the overlap and the overflow
put there on purpose, and nothing on pages that are laid out well."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP, TABLET
from tests.browser.layout import layout_problems

STYLE = (
    "<style>body { margin: 0; font: 16px/1.5 sans-serif; } * { box-sizing: border-box; }</style>"
)

CLEAN = """
<a href="#main" style="position: absolute; left: -999px">Skip to content</a>
<h1>Clients</h1>
<form><label for="q">Name</label> <input id="q" type="search" style="width: 100%; max-width: 26rem">
  <button>Search</button></form>
<p>A long paragraph with <a href="/x">a link that is long enough to wrap over two lines of
  text in a narrow column</a> and <strong>bold words</strong> after it, to show that a wrapped
  inline element is not taken for the rectangle around it.</p>
<div style="overflow-x: auto"><table style="width: 1600px"><tr><td>wide</td><td>but in its own
  scroller</td></tr></table></div>
<span style="position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0)">Read by screen readers only</span>
<ul><li>One</li><li>Two</li></ul>
<details><summary>Add a product</summary><label for="lot">Lot number</label>
  <input id="lot"><button>Add</button></details>
<p>Below a closed details, where its hidden content would be if it were laid out.</p>
<div style="display: flex; width: 200px; height: 40px"><span style="overflow: hidden;
  white-space: nowrap; text-overflow: ellipsis">A name too long for its box, ended on purpose
  </span></div>
<div style="width: 200px"><span style="display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; overflow: hidden">Three lines of text clamped to two with an ellipsis,
  as a calendar block may show a long name</span></div>
"""

BROKEN: list[tuple[str, str, list[str]]] = [
    (
        "two buttons on top of each other",
        '<div style="position: relative; height: 60px"><button style="position: absolute; '
        'left: 10px; top: 10px; width: 120px">Save</button><button style="position: absolute; '
        'left: 60px; top: 20px; width: 120px">Delete</button></div>',
        ['overlapping: button "Save" and button "Delete"'],
    ),
    (
        "a heading pulled over a paragraph",
        '<p>Intro text</p><h2 style="margin-top: -20px">Timeline</h2>',
        ['overlapping: p "Intro text" and h2 "Timeline"'],
    ),
    (
        "a field wider than the screen",
        '<label for="wide">Notes</label><input id="wide" style="width: 2000px">',
        ["the page scrolls sideways", "cut off: input#wide"],
    ),
    (
        "a table that does not fit",
        "<table><tr><td>" + "Unbreakable" * 30 + "</td><td>Next</td></tr></table>",
        ["the page scrolls sideways", 'cut off: td "UnbreakableUnbreakable', 'cut off: td "Next"'],
    ),
    (
        "a button cut short by a box that hides its overflow",
        '<div style="width: 100px; overflow: hidden"><button style="width: 300px">'
        "Start the plan</button></div>",
        ['cut off: button "Start the plan" is clipped by div'],
    ),
    (
        "text cut short mid-line by its own box",
        '<div style="display: flex; width: 120px; height: 2.5em"><span style="overflow: hidden">'
        "10:30 Ultrasonic back cleansing, Maren Holloway</span></div>",
        ['cut off: span "10:30 Ultrasonic back cleansing, Maren H" hides part of its own text'],
    ),
    (
        "a button cut short inside a box that scrolls sideways",
        '<div style="overflow-x: auto"><div style="width: 100px; overflow: hidden"><button '
        'style="width: 300px">Move here</button></div></div>',
        ['cut off: button "Move here" is clipped by div'],
    ),
    (
        "a link pushed off the right edge without scrolling the page",
        '<div style="position: fixed; left: 95%"><a href="/out">Log out of Corneum</a></div>',
        ['cut off: a "Log out of Corneum" ends at'],
    ),
]


@pytest.fixture(scope="module")
def sketch(browser: Browser) -> Iterator[Page]:
    """One blank page, reused: each test sets its own content and size."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def laid_out(page: Page, html: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 600})
    page.set_content(f"<!doctype html><html><head>{STYLE}</head><body>{html}</body></html>")
    return layout_problems(page)


@pytest.mark.parametrize("width", [DESKTOP["width"], TABLET["width"], 360])
def test_a_well_laid_out_page_has_no_problems(sketch: Page, width: int) -> None:
    assert laid_out(sketch, CLEAN, width) == []


@pytest.mark.parametrize(("name", "html", "expected"), BROKEN, ids=[row[0] for row in BROKEN])
def test_a_broken_layout_is_reported(
    sketch: Page, name: str, html: str, expected: list[str]
) -> None:
    problems = laid_out(sketch, html, TABLET["width"])
    for wanted in expected:
        assert any(problem.startswith(wanted) for problem in problems), (wanted, problems)
    assert len(problems) == len(expected), problems


def test_the_same_overlap_is_found_inside_a_clean_page(sketch: Page) -> None:
    overlap = BROKEN[0][1]
    problems = laid_out(sketch, CLEAN + overlap, TABLET["width"])
    assert problems == ['overlapping: button "Save" and button "Delete"']
