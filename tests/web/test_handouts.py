"""Handouts: every pre-treatment, aftercare and home-care instruction of a procedure, as the
knowledge base holds it, with its source, on a print page and in a PDF; in the user's language;
with the client's name only when reached from the client's plan, by staff who deal with clients,
and audited."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest
from pypdf import PdfReader

from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.knowledge.model import Instruction
from corneum.knowledge.translations import shipped_translation, translatable_texts
from corneum.web.handouts import handout as texts
from corneum.web.i18n import load_translations
from tests.api import builders
from tests.api.conftest import LiveApi
from tests.web.browser import Browser, parse
from tests.web.staff import log_in_as, new_staff

KB: KnowledgeBase = default_knowledge_base()
PROCEDURES = [procedure.id for procedure in KB.procedures]
RUSSIAN = load_translations("ru")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def instructions(procedure_id: str) -> Iterator[Instruction]:
    """Everything a handout must say: the procedure's own lists and its home-care plans'."""
    procedure = KB.procedure(procedure_id)
    yield from procedure.pre_treatment
    yield from procedure.aftercare
    for plan_id in procedure.home_care:
        yield from KB.home_care[plan_id].rules


def handout_texts(procedure_id: str) -> dict[str, str]:
    """The English of every translatable text a procedure's handout shows, by key."""
    plans = KB.procedure(procedure_id).home_care
    prefixes = (f"procedures.{procedure_id}.", *(f"home_care.{plan}." for plan in plans))
    return {key: text for key, text in translatable_texts(KB).items() if key.startswith(prefixes)}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return squeezed(" ".join(page.extract_text() for page in reader.pages))


def test_every_procedure_has_something_to_hand_out() -> None:
    """Otherwise the tests below would pass on an empty handout."""
    assert all(any(instructions(procedure_id)) for procedure_id in PROCEDURES)


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_the_print_page_shows_every_instruction_with_its_source(
    api: LiveApi, procedure_id: str
) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        page = browser.page(f"/handouts/{procedure_id}").visible_text()
    assert KB.procedure(procedure_id).name in page
    for item in instructions(procedure_id):
        assert f"{squeezed(item.text)} [{item.source}]" in page
        assert squeezed(KB.sources[item.source].citation) in page


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_the_pdf_holds_every_instruction_with_its_source(api: LiveApi, procedure_id: str) -> None:
    with Browser(api) as browser:
        browser.log_in("practitioner")
        response = browser.get(f"/handouts/{procedure_id}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="handout-{procedure_id}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert KB.procedure(procedure_id).name in text
    for item in instructions(procedure_id):
        assert f"{squeezed(item.text)} [{item.source}]" in text
        assert squeezed(KB.sources[item.source].citation) in text


def test_the_print_page_prints_on_a4_without_the_navigation(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        html = browser.get(f"/handouts/{PROCEDURES[0]}").text
        css = browser.get("/static/corneum.css").text
    assert 'href="/static/corneum.css"' in html
    printing = css.split("@media print", 1)[1]
    assert "size: A4" in printing
    assert re.search(r"\.bar[^{]*\{\s*display: none", printing)
    assert "break-inside: avoid" in printing


def test_a_russian_user_gets_the_handout_in_russian(api: LiveApi) -> None:
    procedure_id = "atraumatic_back_cleansing"
    headings = [RUSSIAN.gettext(heading) for heading in (texts.BEFORE, texts.AFTER, texts.SOURCES)]
    assert all(CYRILLIC.search(heading) for heading in headings)  # translated at all
    with Browser(api) as browser:
        log_in_as(browser, new_staff(api, language="ru"))
        html = browser.get(f"/handouts/{procedure_id}").text
        pdf = pdf_text(browser.get(f"/handouts/{procedure_id}.pdf").content)
    page = parse(html).visible_text()
    assert '<html lang="ru">' in html
    for heading in [*headings, RUSSIAN.gettext(texts.HOME_CARE)]:
        assert heading in page
        assert heading in pdf
    assert texts.BEFORE not in pdf
    russian = shipped_translation("ru")
    for key, english in handout_texts(procedure_id).items():
        assert squeezed(russian[key]) in page, key
        assert squeezed(russian[key]) in pdf, key
        assert squeezed(english) not in pdf, key


def test_an_unknown_procedure_has_no_handout(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        assert browser.get("/handouts/no_such_procedure").status_code == 404
        assert browser.get("/handouts/no_such_procedure.pdf").status_code == 404


@pytest.mark.parametrize("path", ["/handouts", "/handouts/chemical_peel", "/handouts/x.pdf"])
def test_handouts_need_a_signed_in_user(api: LiveApi, path: str) -> None:
    with Browser(api) as browser:
        response = browser.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


def test_the_index_links_every_procedures_handout_and_pdf(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("admin")
        html = browser.get("/handouts").text
    for procedure_id in PROCEDURES:
        assert f'href="/handouts/{procedure_id}"' in html
        assert f'href="/handouts/{procedure_id}.pdf"' in html


def a_clients_plan(api: LiveApi) -> tuple[int, int, str]:
    """A client with a Cyrillic name and a plan; (client id, plan id, full name)."""
    family = f"Иванова{uuid4().hex[:6]}"
    client_id = builders.new_client(api, given_name="Людмила", family_name=family)
    return client_id, builders.new_plan(api, client_id), f"Людмила {family}"


def handout_reads(api: LiveApi, client_id: int, actor_id: int) -> set[str]:
    events = builders.fetched(
        api, "admin", "/api/audit", client_id=client_id, actor_id=actor_id, action="read"
    )["items"]
    return {event["resource_type"] for event in events}


@pytest.mark.parametrize("who", ["practitioner", "reception"])
def test_a_plans_handout_names_the_client_and_is_audited(api: LiveApi, who: str) -> None:
    client_id, plan_id, name = a_clients_plan(api)
    with Browser(api) as browser:
        browser.log_in(who)
        html = browser.get(f"/plans/{plan_id}/handout").text
        pdf = browser.get(f"/plans/{plan_id}/handout.pdf")
    page = parse(html).visible_text()
    assert name in page
    assert f'href="/plans/{plan_id}/handout.pdf"' in html
    assert pdf.headers["content-type"] == "application/pdf"
    assert name not in pdf.headers["content-disposition"]
    assert name in pdf_text(pdf.content)
    for item in instructions(builders.ACNE_PROCEDURE):
        assert squeezed(item.text) in page
    assert handout_reads(api, client_id, builders.user_id(api, who)) >= {"plan", "client"}


def test_a_procedures_handout_names_nobody(api: LiveApi) -> None:
    _, _, name = a_clients_plan(api)
    with Browser(api) as browser:
        browser.log_in("practitioner")
        page = browser.get(f"/handouts/{builders.ACNE_PROCEDURE}").text
        pdf = pdf_text(browser.get(f"/handouts/{builders.ACNE_PROCEDURE}.pdf").content)
    prepared_for = texts.FOR_CLIENT.split("%")[0]
    assert prepared_for not in pdf
    assert prepared_for not in page
    assert name not in page


@pytest.mark.parametrize(("who", "status"), [("admin", 403), ("other", 404), ("other_admin", 403)])
@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_a_plans_handout_is_for_the_clinics_client_staff_only(
    api: LiveApi, who: str, status: int, suffix: str
) -> None:
    _, plan_id, name = a_clients_plan(api)
    with Browser(api) as browser:
        browser.log_in(who)
        response = browser.get(f"/plans/{plan_id}/handout{suffix}")
    assert response.status_code == status
    assert name not in response.text


def test_every_field_of_the_handout_pages_has_a_label(api: LiveApi) -> None:
    with Browser(api) as browser:
        browser.log_in("reception")
        for path in ("/handouts", f"/handouts/{PROCEDURES[0]}"):
            assert parse(browser.get(path).text).unlabelled() == []


def test_the_pdf_is_not_kept_in_caches(api: LiveApi) -> None:
    _, plan_id, _ = a_clients_plan(api)
    with Browser(api) as browser:
        browser.log_in("reception")
        response: httpx.Response = browser.get(f"/plans/{plan_id}/handout.pdf")
    assert response.headers["cache-control"] == "no-store"
