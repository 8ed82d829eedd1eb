"""The outcome pages over real HTTP: counts and grades entered as plain-language choices,
charted and tabled over the course; errors beside their field with nothing saved lost; photos
uploaded, compared before/after, and shown only to the clinic's practitioners."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from tests.api import builders
from tests.api.conftest import LiveApi
from tests.api.images import pixels, png
from tests.web.browser import Browser, parse

COUNTS = {"open_comedones": "14", "closed_comedones": "6", "papules": "3", "pustules": "1"}


def course_with_sessions(api: LiveApi, count: int) -> tuple[int, list[int]]:
    client_id = builders.new_client(api)
    plan_id = builders.new_plan(api, client_id)
    visits = [
        builders.new_session(api, plan_id, scheduled_at=f"2026-12-{1 + 14 * i:02d}T10:00:00Z")
        for i in range(count)
    ]
    return client_id, visits


def entry(session_id: int) -> str:
    return f"/sessions/{session_id}/outcome"


def post_outcome(browser: Browser, session_id: int, data: dict[str, str]) -> httpx.Response:
    return browser.submit(entry(session_id), entry(session_id), data)


def points(html: str, chart: str, series: str) -> list[tuple[str, str]]:
    """(session index, value) of every point of one line of one chart."""
    section = html.split(f'id="{chart}"', 1)[1].split("</figure>", 1)[0]
    pattern = (
        rf'class="chart-point"[^>]*data-series="{series}" data-session="(\d+)" data-value="(\d+)"'
    )
    return [(session, value) for session, value in re.findall(pattern, section)]


def test_counts_and_grades_are_saved_charted_and_tabled(api: LiveApi) -> None:
    client_id, visits = course_with_sessions(api, 2)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        form = browser.page(entry(visits[0]))
        assert form.unlabelled() == []
        first = post_outcome(browser, visits[0], {**COUNTS, "grade-cass-back": "3"})
        second = post_outcome(
            browser, visits[1], {"open_comedones": "5", "papules": "0", "grade-cass-back": "2"}
        )
        course = browser.get(f"/clients/{client_id}/outcomes")
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == f"/clients/{client_id}/outcomes"
    assert course.status_code == 200
    html = course.text
    assert points(html, "chart-grades", "cass-back") == [("0", "3"), ("1", "2")]
    assert points(html, "chart-counts", "non_inflammatory") == [("0", "20"), ("1", "5")]
    assert points(html, "chart-counts", "inflammatory") == [("0", "4"), ("1", "0")]
    assert points(html, "chart-counts", "nodular") == []
    rows = re.findall(r'<tr data-session-id="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(session_id) for session_id, _ in rows] == visits
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for _, row in rows]
    assert cells[0] == ["14", "6", "3", "1", "—", "3"]
    assert cells[1] == ["5", "—", "0", "—", "—", "2"]
    stored = builders.fetched(api, "practitioner", f"/api/sessions/{visits[0]}/outcome")
    assert stored["grades"] == [{"scale": "cass", "area": "back", "value": 3}]


def test_grades_are_offered_in_plain_words_from_the_knowledge_base(api: LiveApi) -> None:
    _, visits = course_with_sessions(api, 1)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.page(entry(visits[0]))
    names = {field.attrs.get("name") for field in page.fields}
    assert {"grade-cass-face", "grade-cass-chest", "grade-cass-back", "grade-iga-face"} <= names
    assert "grade-iga-back" not in names
    text = page.visible_text()
    assert "5 — Very severe" in text
    assert "CASS — Back" in text


def test_an_out_of_range_grade_is_refused_beside_its_field_and_loses_nothing(
    api: LiveApi,
) -> None:
    _, visits = course_with_sessions(api, 1)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        assert (
            post_outcome(browser, visits[0], {**COUNTS, "grade-iga-face": "2"}).status_code == 303
        )
        refused = post_outcome(
            browser, visits[0], {"open_comedones": "2", "grade-iga-face": "7", "pustules": "-1"}
        )
    assert refused.status_code == 422
    page = parse(refused.text)
    iga = next(f for f in page.fields if f.attrs.get("name") == "grade-iga-face")
    assert iga.attrs.get("aria-invalid") == "true"
    assert 'id="grade-iga-face-error"' in refused.text
    assert 'id="pustules-error"' in refused.text
    typed = next(f for f in page.fields if f.attrs.get("name") == "open_comedones")
    assert typed.attrs["value"] == "2"
    stored = builders.fetched(api, "practitioner", f"/api/sessions/{visits[0]}/outcome")
    assert stored["open_comedones"] == 14
    assert stored["grades"] == [{"scale": "iga", "area": "face", "value": 2}]


def upload(browser: Browser, session_id: int, image: bytes, **fields: str) -> httpx.Response:
    """Post the page's photo form as a browser does: to its action, whose query string carries
    the CSRF token (checked before the file is read)."""
    page = browser.get(entry(session_id)).text
    found = re.search(r'<form id="photo-form"[^>]* action="([^"]+)"', page)
    assert found is not None
    action = html.unescape(found.group(1))
    assert action.startswith(f"/sessions/{session_id}/photos?csrf_token=")
    data: dict[str, Any] = {"area": "back", "moment": "before", **fields}
    files = {"file": ("photo.png", image, "image/png")}
    return browser.http.post(action, data=data, files=files)


def test_photos_are_compared_before_and_after_and_served_to_the_practitioner(
    api: LiveApi,
) -> None:
    client_id, visits = course_with_sessions(api, 1)
    before, after = png(rgb=(220, 90, 90)), png(rgb=(230, 200, 190))
    with Browser(api) as browser:
        browser.log_in("practitioner")
        assert upload(browser, visits[0], before).status_code == 303
        assert upload(browser, visits[0], after, moment="after").status_code == 303
        course = browser.get(f"/clients/{client_id}/outcomes").text
        pair = course.split(f'class="photo-pair" data-area="back" data-session-id="{visits[0]}"')[1]
        sources = re.findall(r'<img src="(/api/photos/\d+)"', pair.split("</div>\n  </div>")[0])
        served = [browser.get(source).content for source in sources]
    assert [pixels(image) for image in served] == [pixels(before), pixels(after)]
    with Browser(api) as other:
        other.log_in("other")
        assert other.get(sources[0]).status_code == 404
    with Browser(api) as reception:
        reception.log_in("reception")
        assert reception.get(sources[0]).status_code == 403
        assert reception.get(f"/clients/{client_id}/outcomes").status_code == 403


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(api: LiveApi) -> None:
    _, visits = course_with_sessions(api, 1)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        refused = upload(browser, visits[0], b"%PDF-1.7 not a photo")
        no_area = upload(browser, visits[0], png(), area="")
        listed = builders.fetched(api, "practitioner", f"/api/sessions/{visits[0]}/photos")
    assert refused.status_code == no_area.status_code == 422
    assert 'id="file-error"' in refused.text
    assert 'id="area-error"' in no_area.text
    assert listed == []


@pytest.mark.parametrize(("who", "status"), [("reception", 403), ("admin", 403), ("other", 404)])
def test_only_the_clinics_practitioners_see_the_outcome_pages(
    api: LiveApi, who: str, status: int
) -> None:
    client_id, visits = course_with_sessions(api, 1)
    with Browser(api) as browser:
        browser.log_in(who)
        assert browser.get(entry(visits[0])).status_code == status
        assert browser.get(f"/clients/{client_id}/outcomes").status_code == status


def test_the_clients_record_links_to_the_outcomes_and_lists_them(api: LiveApi) -> None:
    client_id, visits = course_with_sessions(api, 1)
    grade = {"scale": "cass", "area": "back", "value": 3}
    builders.created(api, "practitioner", f"/api/sessions/{visits[0]}/outcome", {"grades": [grade]})
    with Browser(api) as browser:
        browser.log_in("practitioner")
        html = browser.get(f"/clients/{client_id}").text
    assert f'href="/clients/{client_id}/outcomes"' in html
    assert f'<a href="/sessions/{visits[0]}/outcome">CASS — Back 3</a>' in html


def test_the_outcome_pages_speak_russian(api: LiveApi) -> None:
    client_id, visits = course_with_sessions(api, 1)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        browser.submit("/", "/language", {"language": "ru", "next": "/"})
        try:
            entry_text = browser.page(entry(visits[0])).visible_text()
            course_text = browser.page(f"/clients/{client_id}/outcomes").visible_text()
        finally:
            browser.submit("/", "/language", {"language": "en", "next": "/"})  # kept on the account
    assert "Число элементов" in entry_text
    assert "Сохранить результат" in entry_text
    assert "Фото до и после" in course_text
