"""A practitioner's paths through the web app in a real browser, by labels and roles as a person
finds their way.

The first is the consultation: log in, find the client, run the wizard (adding a condition that
bars most procedures), read the assessment with its reasons and sources, log out.

The second is a whole course's first visit: the consultation, a plan started from the
assessment, the course proposed and booked, the booking on the week calendar; the next morning
the visit started from the day's list, the consent signed on the pad, the protocol runner with
its timer surviving a reload, stages checked off, a product and its lot number; then the outcome
and its chart, the handout and its PDF, and log out. The server's clock
is the test's: it moves to the visit's morning and on through the timed stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.model import Stage
from corneum.records.auth.service import TOKEN_LIFETIME
from corneum.records.demo.data import CLIENTS, ClientSpec
from corneum.web.i18n import day_in
from tests.api.conftest import FakeClock
from tests.browser.clinic import FEATURED, LOGINS, PASSWORD, TIMEZONE
from tests.browser.conftest import LiveClinic

BARRED_CLIENT = CLIENTS[1]
"""Whose consultation adds psoriasis: a client the course path below does not touch."""
COURSE_PROCEDURE = "atraumatic_back_cleansing"
"""Recommended for the featured client's back, done by the cosmetologist, with a timed stage
(the moisturising napkins)."""
TIMER_MOVED_ON = timedelta(minutes=4)
PRODUCT = ("Clarex antibacterial lotion", "CX-2611-07")
"""A product used in the timed stage and its lot number."""
COUNTS = {"open_comedones": 7, "closed_comedones": 4, "papules": 2, "pustules": 1, "nodules": 0}
GRADE = ("cass", "back", 2)
"""The grade given after the visit: scale, area, value."""


def log_in_with_the_keyboard(page: Page, who: str) -> None:
    """Tab to "Skip to content", past the header, then type the email and password."""
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(LOGINS[who])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def find_client(page: Page, client: ClientSpec) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Clients").click()
    search = page.get_by_label("Name")
    search.fill(client.family_name)
    # No Enter: the results come in through htmx as the name is typed.
    result = page.get_by_role("link", name=f"{client.family_name}, {client.given_name}")
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{client.given_name} {client.family_name}"
    )


def answer_the_wizard(page: Page, client: ClientSpec, *, psoriasis: bool) -> None:
    """The record fills in what it knows; the practitioner asks about the back's blackheads
    (and, if ``psoriasis``, adds it), moving through the form with the keyboard where a person
    would."""
    page.get_by_role("link", name="New consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New consultation")
    expect(page.get_by_label("Skin type")).to_have_value(client.skin_type)
    page.get_by_label("Area to treat").select_option(label="Back")
    blackheads = page.get_by_role("checkbox", name="Blackheads (open comedones)")
    blackheads.focus()
    if not blackheads.is_checked():
        page.keyboard.press("Space")
    expect(blackheads).to_be_checked()
    if psoriasis:
        page.get_by_role("checkbox", name="Psoriasis", exact=True).check()
    answer_none_where_nothing_applies(page)
    page.get_by_role("button", name="Assess and save").press("Enter")


def answer_none_where_nothing_applies(page: Page) -> None:
    """Every list is answered: where the record ticked nothing, the "none" box."""
    for name in ("conditions", "medications", "allergies", "risk_factors"):
        ticked = page.locator(f'input[name="{name}"]:checked').count()
        typed = name == "allergies" and page.locator("#other_allergies").input_value().strip()
        if not ticked and not typed:
            page.locator(f"#no_{name}").check()


def verdict_cards(page: Page) -> Locator:
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    expect(page).to_have_url(re.compile(r"/consultations/\d+$"))
    return page.locator("ol.verdicts > li")


def read_the_assessment(page: Page) -> None:
    cards = verdict_cards(page)
    expect(cards.first).to_contain_text("Recommended")
    assert cards.count() > 1
    for index in range(cards.count()):
        card = cards.nth(index)
        expect(card.get_by_role("heading", level=2)).not_to_be_empty()
        if "folded" in (card.get_attribute("class") or ""):
            expect(card.locator(".reasons li").first).not_to_be_visible()
            card.locator("summary").click()  # the others are folded with their verdict
        expect(card.locator(".reasons li").first).to_be_visible()
        expect(card.locator("cite").first).not_to_be_empty()
    barred = page.locator(".reasons li").filter(has_text="Psoriasis")
    barred = barred.filter(has_text="Absolute contraindication")
    reference = barred.first.locator("cite a")
    expect(reference).to_have_attribute("title", re.compile("Seed document S1"))
    expect(page.locator("#sources")).to_contain_text("Seed document S1")
    expect(page.locator("dd", has_text="Psoriasis")).to_be_visible()


def test_log_in_find_a_client_consult_read_the_assessment_log_out(page: Page) -> None:
    log_in_with_the_keyboard(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.get_by_role("table")).to_be_visible()
    find_client(page, BARRED_CLIENT)
    answer_the_wizard(page, BARRED_CLIENT, psoriasis=True)
    read_the_assessment(page)
    page.get_by_role("link", name="Back to the client's record").click()
    expect(page.locator(".timeline")).to_contain_text("Psoriasis")
    log_out(page)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/clients")
    expect(page).to_have_url(re.compile(r"/login\?next=/clients$"))


@dataclass(frozen=True)
class Visit:
    """The first session of the course as the plan page lists it."""

    booking_id: int
    starts: datetime
    """In the clinic's time zone."""


def start_a_plan(page: Page, kb: KnowledgeBase) -> None:
    """From the assessment, on the recommended procedure's own card."""
    name = kb.procedure(COURSE_PROCEDURE).name
    card = verdict_cards(page).filter(has=page.get_by_role("heading", name=name))
    expect(card).to_contain_text("Recommended")
    expect(
        card.locator(".reasons li", has_text="History of herpes").locator("cite")
    ).not_to_be_empty()
    card.get_by_role("button", name="Start a plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan: {name}")
    expect(page.get_by_role("link", name="The assessment this plan follows")).to_be_visible()


def book_the_course(page: Page, kb: KnowledgeBase) -> Visit:
    """Propose the course with the signed-in cosmetologist, check the proposal keeps the
    knowledge base's intervals, book it; the first visit."""
    course = kb.procedure(COURSE_PROCEDURE).course
    assert course is not None
    assert course.sessions is not None
    assert course.interval_days is not None
    expect(page.locator(".course-interval")).to_have_attribute(
        "data-min-days", str(course.interval_days.min)
    )
    page.get_by_label("Practitioner").select_option(label=LOGINS["practitioner"])
    page.get_by_role("button", name="Propose the sessions").click()
    proposed = page.locator(".proposed-sessions li")
    expect(proposed).to_have_count(course.sessions.min)
    starts = [
        datetime.fromisoformat(proposed.nth(i).get_attribute("data-slot-start") or "")
        for i in range(course.sessions.min)
    ]
    gaps = [(later.date() - earlier.date()).days for earlier, later in pairwise(starts)]
    assert all(course.interval_days.min <= gap for gap in gaps), gaps
    page.get_by_role("button", name=f"Book the proposed sessions ({len(starts)})").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+#sessions$"))
    rows = page.locator("table.bookings tbody tr")
    expect(rows).to_have_count(len(starts))
    expect(page.get_by_text("Every planned session is booked.")).to_be_visible()
    first = rows.first
    expect(first).to_contain_text(day_in("en", starts[0]))
    expect(first).to_contain_text(f"{starts[0]:%H:%M}")
    return Visit(int(first.get_attribute("data-booking-id") or 0), starts[0])


def see_it_on_the_week_calendar(page: Page, kb: KnowledgeBase, visit: Visit) -> None:
    """From the plan's booking to the practitioner's week, where the visit is one block with
    its stages, on its day; then back to the booking from the block, which offers to run it."""
    page.locator(f'tr[data-booking-id="{visit.booking_id}"]').get_by_role(
        "link", name="Move or cancel"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Booking")
    expect(page.locator(".booking-status")).to_have_text("booked")
    page.get_by_role("link", name="Show in the week calendar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LOGINS["practitioner"])
    day = page.locator(f'.week-day[data-day="{visit.starts.date().isoformat()}"]')
    procedure = kb.procedure(COURSE_PROCEDURE)
    block = day.get_by_role("link", name=f"{procedure.name} · {FEATURED.given_name}")
    expect(block).to_have_count(1)
    expect(block).to_contain_text(f"{visit.starts:%H:%M}")
    timed = next(stage for stage in procedure.stages if stage.timer)
    expect(block).to_have_accessible_name(re.compile(re.escape(timed.name)))
    block.click()
    expect(page).to_have_url(re.compile(rf"/calendar/bookings/{visit.booking_id}$"))
    expect(page.get_by_role("button", name="Run the session")).to_be_visible()


@contextmanager
def the_morning_of(clock: FakeClock, visit: Visit) -> Iterator[None]:
    """The server's clock at the visit's start, put back afterwards."""
    before = clock.now
    clock.now = visit.starts.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC)
    try:
        yield
    finally:
        clock.now = before


def open_the_runner_from_today(page: Page, kb: KnowledgeBase, signed_out: bool) -> int:
    """On the visit's morning (signing in again if yesterday's sign-in has run out by then),
    start the visit from the day's list; the treatment session's id."""
    page.goto("/")
    if signed_out:
        expect(page).to_have_url(re.compile(r"/login"))
        log_in_with_the_keyboard(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    name = kb.procedure(COURSE_PROCEDURE).name
    row = page.get_by_role("row").filter(has_text=name).filter(has_text=FEATURED.family_name)
    row.get_by_role("button", name="Run the session").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/run$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    found = re.search(r"/sessions/(\d+)/run", page.url)
    assert found is not None
    return int(found[1])


def sign_the_consent(page: Page, kb: KnowledgeBase) -> None:
    """From the runner, the procedure's consent: its text shown with its version, the client's
    name typed and a signature drawn on the pad with the pointer, as on the tablet."""
    page.get_by_role("link", name="Consent for this procedure").click()
    expect(page.get_by_label("Procedure")).to_have_value(COURSE_PROCEDURE)
    text = page.locator("#consent-text")
    expect(text).to_contain_text(kb.procedure(COURSE_PROCEDURE).name)
    version = text.get_attribute("data-text-version") or ""
    assert version
    signer = f"{FEATURED.given_name} {FEATURED.family_name}"
    page.get_by_label("Full name of the person signing").fill(signer)
    pad = page.get_by_role("img", name="Signature pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 9):
        dip = 0.3 if step % 2 else 0.7
        page.mouse.move(box["x"] + 20 + step * box["width"] / 10, box["y"] + box["height"] * dip)
    page.mouse.up()
    expect(page.locator("#signature_svg")).to_have_value(re.compile(r"^M[\d. ]+( L[\d. ]+){8}$"))
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signed consent")
    expect(page.locator("#consent-signer")).to_have_text(signer)
    expect(page.locator("#consent-version")).to_have_attribute("data-version", version)
    expect(page.locator("#consent-signature")).to_have_attribute("data-signature-method", "drawn")


def stage_card(page: Page, index: int) -> Locator:
    return page.locator(f"#stage-{index}")


def start_and_check_off(page: Page, index: int) -> None:
    card = stage_card(page, index)
    card.get_by_role("button", name="Start").click()
    expect(stage_card(page, index)).to_have_attribute("data-stage-state", "running")
    check_off = stage_card(page, index).get_by_role("button", name="Check off")
    check_off.focus()
    page.keyboard.press("Enter")
    expect(stage_card(page, index)).to_have_attribute("data-stage-state", "done")


def run_the_timed_stage(page: Page, clock: FakeClock, index: int, stage: Stage) -> None:
    """Start it; its countdown is the stage's shortest duration. Some minutes on (the server's
    clock moved), a reload shows it still running with that much less left."""
    assert stage.duration_minutes is not None
    stage_card(page, index).get_by_role("button", name="Start").click()
    timer = stage_card(page, index).get_by_role("timer")
    full = stage.duration_minutes.min * 60
    expect(timer).to_have_attribute("data-remaining-seconds", str(full))
    expect(timer).to_contain_text("Time left")
    clock.now += TIMER_MOVED_ON
    page.reload()
    expect(stage_card(page, index)).to_have_attribute("data-stage-state", "running")
    timer = stage_card(page, index).get_by_role("timer")
    left = full - int(TIMER_MOVED_ON.total_seconds())
    expect(timer).to_have_attribute("data-remaining-seconds", str(left))
    minutes = left // 60
    expect(timer.locator(".timer-clock")).to_have_text(
        re.compile(rf"^(0?{minutes}:00|0?{minutes - 1}:5\d)$")
    )


def add_the_product(page: Page, index: int) -> None:
    card = stage_card(page, index)
    card.get_by_text("Add a product used").click()
    card.get_by_label("Product").fill(PRODUCT[0])
    card.get_by_label("Lot number").fill(PRODUCT[1])
    card.get_by_role("button", name="Add product").click()
    used = stage_card(page, index).locator(".products li")
    expect(used).to_contain_text(PRODUCT[0])
    expect(used.locator(".lot")).to_have_text(PRODUCT[1])


def acknowledge_the_cautions(page: Page) -> None:
    """Safety first: the banner's cautions, read and acknowledged with a note, if any."""
    expect(page.locator("#safety")).to_be_visible()
    if page.locator("#acknowledge").count():
        page.get_by_label("Note").fill("Discussed with the client.")
        page.get_by_role("button", name="I have read the cautions").click()
        expect(page.locator("#acknowledged")).to_contain_text("Discussed with the client.")


def run_the_protocol(page: Page, clock: FakeClock, kb: KnowledgeBase) -> None:
    """The stages in order, the timed one with its timer; a product with its lot number; the
    session completed."""
    stages = kb.procedure(COURSE_PROCEDURE).stages
    expect(page.locator("ol.stages > li")).to_have_count(len(stages))
    acknowledge_the_cautions(page)
    timed = next(index for index, stage in enumerate(stages) if stage.timer)
    for index in range(timed):
        start_and_check_off(page, index)
    run_the_timed_stage(page, clock, timed, stages[timed])
    stage_card(page, timed).get_by_role("button", name="Check off").click()
    expect(stage_card(page, timed)).to_have_attribute("data-stage-state", "done")
    add_the_product(page, timed)
    for index in range(timed + 1, len(stages)):
        start_and_check_off(page, index)
    expect(page.get_by_text("Stages not checked off")).to_have_count(0)
    page.get_by_role("button", name="Complete the session").click()
    expect(page.locator("#runner")).to_have_attribute("data-session-status", "completed")


def record_the_outcome(page: Page, kb: KnowledgeBase, session_id: int) -> None:
    """Counts and a grade for the visit, then the course's chart and table show them."""
    page.get_by_role("link", name="Outcome of the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome of the session")
    labels = {lesion.code: lesion.label for lesion in kb.lesions}
    for code, count in COUNTS.items():
        page.get_by_label(labels[code], exact=True).fill(str(count))
    scale_id, area, value = GRADE
    scale = kb.scales[scale_id]
    grade = scale.grade(value)
    assert grade is not None
    page.get_by_label(f"{scale.abbreviation} — {kb.label(area)}").select_option(
        label=f"{value} — {grade.label}"
    )
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Outcomes: {FEATURED.given_name} {FEATURED.family_name}"
    )
    row = page.locator(f'#outcome-table tr[data-session-id="{session_id}"]')
    for code, count in COUNTS.items():
        expect(row.locator(f'td[data-column="{code}"]')).to_have_text(str(count))
    expect(row.locator(f'td[data-column="{scale_id}-{area}"]')).to_have_text(str(value))
    groups: dict[str, int] = {}
    for lesion in kb.lesions:
        groups[lesion.group] = groups.get(lesion.group, 0) + COUNTS[lesion.code]
    for group, total in groups.items():
        expect(last_point(page, "#chart-counts", group)).to_have_attribute("data-value", str(total))
    expect(last_point(page, "#chart-grades", f"{scale_id}-{area}")).to_have_attribute(
        "data-value", str(value)
    )


def last_point(page: Page, chart: str, series: str) -> Locator:
    """The series' point of the latest session recorded (the visit just held)."""
    return page.locator(f'{chart} circle.chart-point[data-series="{series}"]').last


def print_the_handout(page: Page, kb: KnowledgeBase) -> None:
    """The procedure's handout from the main menu, its print page, and its PDF."""
    name = kb.procedure(COURSE_PROCEDURE).name
    page.get_by_role("navigation").get_by_role("link", name="Handouts").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.locator(".handout-part").first.locator("li").first).to_be_visible()
    pdf = page.get_by_role("link", name="Download PDF")
    with page.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename == f"handout-{COURSE_PROCEDURE}.pdf"
    answer = page.request.get(pdf.get_attribute("href") or "")
    assert answer.ok
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF-")


def test_a_course_from_the_consultation_to_the_first_visit_and_its_handout(
    page: Page, live_clinic: LiveClinic
) -> None:
    kb = default_knowledge_base()
    clock = live_clinic.clock
    signed_in_at = clock.now
    log_in_with_the_keyboard(page, "practitioner")
    find_client(page, FEATURED)
    answer_the_wizard(page, FEATURED, psoriasis=False)
    start_a_plan(page, kb)
    visit = book_the_course(page, kb)
    see_it_on_the_week_calendar(page, kb, visit)
    with the_morning_of(clock, visit):
        signed_out = clock.now - signed_in_at >= TOKEN_LIFETIME
        session_id = open_the_runner_from_today(page, kb, signed_out)
        sign_the_consent(page, kb)
        assert open_the_runner_from_today(page, kb, signed_out=False) == session_id
        run_the_protocol(page, clock, kb)
        record_the_outcome(page, kb, session_id)
        print_the_handout(page, kb)
        log_out(page)
