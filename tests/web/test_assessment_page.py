"""The assessment page a practitioner reads in a minute: the recommended procedures first, open,
with why; the others folded with their verdict in the summary; each source once, in a numbered
list the reasons point to."""

from __future__ import annotations

import re

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser


def test_recommended_first_the_rest_folded_each_source_once(api: LiveApi) -> None:
    client_id = builders.new_client(api)
    consultation = builders.new_consultation(api, client_id)
    recommended = consultation["assessment"]["recommended"]
    assert recommended
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(f"/consultations/{consultation['id']}").text
    cards = re.findall(r'<li class="card verdict-(\w+)( folded)?">', html)
    opened = [card for card in cards if not card[1]]
    assert len(opened) == len(recommended)
    assert cards[: len(opened)] == opened, "the recommended come first"
    folded = html.count("<details>")
    assert folded == len(cards) - len(opened) > 0
    for summary in re.findall(r"<summary>(.*?)</summary>", html, re.S):
        assert re.search(r'<span class="tag">\w', summary), "a folded card shows its verdict"
    listed = re.findall(r'<li id="source-(\d+)">([^<]+)</li>', html)
    assert [int(number) for number, _ in listed] == list(range(1, len(listed) + 1))
    citations = [citation for _, citation in listed]
    assert len(set(citations)) == len(citations), "each source once"
    pointers = re.findall(r'<a href="#source-(\d+)" title="([^"]+)">\[(\d+)\]</a>', html)
    assert pointers
    for number, title, shown in pointers:
        assert number == shown
        assert citations[int(number) - 1] == title
    body = re.sub(r'<section class="card" id="sources">.*?</section>', "", html, flags=re.S)
    for citation in citations:
        visible = re.sub(r'title="[^"]*"', "", body)
        assert citation not in visible, "a citation is written out only in the list"
