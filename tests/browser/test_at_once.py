"""Requests that arrive together, as they do from a real browser: a page's photos load side by
side, and the desk computer and the treatment-room tablet open records at the same moment.

On SQLite every audited read writes its audit row in the transaction that read the record.
Two such requests at once: the second to write finds the database changed since its read and
SQLite refused it at once ("database is locked", whatever the busy timeout), so the page or the
photo answered 500 — until requests took SQLite's write lock before they read (``BEGIN
IMMEDIATE``, ``corneum.db.engine.request_session_factory``), which these tests keep so.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveClinic, log_in

ROUNDS = 3
FETCH_ALL = """
async (paths) => {
  const answers = await Promise.all(paths.map((path) => fetch(path, {redirect: 'manual'})));
  return answers.map((answer, i) => [paths[i], answer.status]);
}
"""


def statuses_at_once(page: Page, paths: list[str]) -> list[Any]:
    """Each path's status, all fetched by the page at the same moment."""
    found: Any = page.evaluate(FETCH_ALL, paths)
    assert isinstance(found, list)
    return found


def test_the_photos_of_a_course_all_load(page: Page, live_clinic: LiveClinic) -> None:
    log_in(page, "practitioner")
    page.goto(f"/clients/{live_clinic.ids.client_id}/outcomes")
    photos = page.locator("figure.photo img")
    assert photos.count() >= 2
    for index in range(photos.count()):
        photo = photos.nth(index)
        photo.scroll_into_view_if_needed()
        expect(photo).to_have_js_property("complete", True)
    sources = [photos.nth(i).get_attribute("src") or "" for i in range(photos.count())]
    for _ in range(ROUNDS):
        answers = statuses_at_once(page, sources)
        assert all(status == 200 for _, status in answers), answers
    widths = [photos.nth(i).evaluate("image => image.naturalWidth") for i in range(photos.count())]
    assert all(width > 0 for width in widths), widths


def test_two_people_open_records_at_the_same_moment(page: Page, live_clinic: LiveClinic) -> None:
    log_in(page, "practitioner")
    ids = live_clinic.ids
    paths = [
        f"/clients/{ids.client_id}",
        f"/plans/{ids.plan_id}",
        f"/sessions/{ids.running_session_id}/run",
        f"/calendar/bookings/{ids.booking_id}",
    ]
    for _ in range(ROUNDS):
        answers = statuses_at_once(page, paths)
        assert all(status == 200 for _, status in answers), answers
