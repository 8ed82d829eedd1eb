"""What a person reads carries no ISO date: the pages a practitioner and a receptionist visit,
in English and in Russian, write days as the language does ("7 December 2026", "7 декабря 2026")
on the clinic's clock. Machine-read places (an input's value, ``datetime=``, links, data
attributes) may keep ISO; the visible text and the labels read aloud (aria-label, alt, title)
may not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from babel.dates import format_date

from corneum.web.i18n import DAY_PATTERN
from tests.api import builders, calendar_builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser
from tests.web.staff import log_in_as, new_staff

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
READ_ALOUD = ("aria-label", "alt", "title")
BORN = date(1988, 12, 7)
STARTED = date(2019, 5, 14)


@dataclass
class Readable(HTMLParser):
    """The text and read-aloud attributes of a page, without its scripts and styles."""

    parts: list[str]
    _hidden: int = 0

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.parts.extend(value or "" for name, value in attrs if name in READ_ALOUD)

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = Readable([])
    parser.feed(html)
    return " ".join(parser.parts)


@dataclass(frozen=True)
class Records:
    client_id: int
    consultation_id: int
    plan_id: int
    booking_id: int
    practitioner_id: int
    week: str


def records(api: LiveApi) -> Records:
    """A client born on a known day with a condition since a known day, consulted, planned and
    booked in the calendar."""
    client_id = builders.new_client(api, date_of_birth=BORN.isoformat())
    body = {"condition_code": "herpes_history", "status": "active", "started_on": str(STARTED)}
    builders.created(api, "practitioner", f"/api/clients/{client_id}/history", body)
    consultation = builders.new_consultation(api, client_id)
    plan_id = builders.new_plan(api, client_id)
    booking = calendar_builders.new_booking(api, plan_id)
    week = booking["start"][:10]
    return Records(
        client_id, consultation["id"], plan_id, booking["id"], booking["practitioner_id"], week
    )


def test_no_page_a_person_reads_shows_an_iso_date(api: LiveApi) -> None:
    made = records(api)
    paths = [
        "/",
        f"/clients?q={builders.CLIENT['family_name']}",
        f"/clients/{made.client_id}",
        f"/consultations/{made.consultation_id}",
        f"/plans/{made.plan_id}",
        f"/calendar?week={made.week}&practitioner={made.practitioner_id}",
        f"/calendar/bookings/{made.booking_id}",
        f"/clients/{made.client_id}/outcomes",
        "/handouts",
    ]
    for language in ("en", "ru"):
        with Browser(api) as browser:
            log_in_as(browser, new_staff(api, language=language))
            for path in paths:
                response = browser.get(path)
                assert response.status_code == 200, (language, path, response.status_code)
                text = readable(response.text)
                assert not ISO_DATE.findall(text), (language, path, ISO_DATE.findall(text))
            record = readable(browser.get(f"/clients/{made.client_id}").text)
            assert format_date(BORN, DAY_PATTERN, locale=language) in record
            assert format_date(STARTED, DAY_PATTERN, locale=language) in record


@pytest.mark.parametrize(
    ("language", "written"), [("en", "7 December 2026"), ("ru", "7 декабря 2026")]
)
def test_a_day_is_written_as_the_language_writes_it(language: str, written: str) -> None:
    assert format_date(date(2026, 12, 7), DAY_PATTERN, locale=language) == written
