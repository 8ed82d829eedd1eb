"""Phrases: one English text for what is stored and what the API answers, and the same text in
a page's language, nested phrases and knowledge-base codes included."""

from __future__ import annotations

from corneum.phrase import Code, Phrase, joined

CATALOGUE = {
    "the new time is not free: %(what)s": "новое время занято: %(what)s",
    "%(resource)s is held at %(time)s": "%(resource)s занят в %(time)s",
    "room %(id)s": "кабинет %(id)s",
    "the clinic has no %(kind)s in service": "в клинике нет: %(kind)s",
}
LABELS = {"laser": "Лазер"}


def in_russian(phrase: Phrase) -> str:
    return phrase.said(lambda t: CATALOGUE.get(t, t), lambda c: LABELS.get(c, c))


def test_a_nested_phrase_is_said_in_english_and_in_the_pages_language() -> None:
    room = Phrase("room %(id)s", {"id": 3})
    held = Phrase(
        "%(resource)s is held at %(time)s", {"resource": room, "time": "2026-11-30 10:30"}
    )
    phrase = Phrase("the new time is not free: %(what)s", {"what": held})
    assert phrase.text == "the new time is not free: room 3 is held at 2026-11-30 10:30"
    assert in_russian(phrase) == "новое время занято: кабинет 3 занят в 2026-11-30 10:30"


def test_a_code_is_itself_in_english_and_its_label_in_a_page() -> None:
    phrase = Phrase("the clinic has no %(kind)s in service", {"kind": Code("laser")})
    assert phrase.text == "the clinic has no laser in service"
    assert in_russian(phrase) == "в клинике нет: Лазер"


def test_joined_phrases_read_as_the_english_joined_with_semicolons() -> None:
    parts = [Phrase("room %(id)s", {"id": n}) for n in (1, 2, 3)]
    assert joined(parts).text == "; ".join(part.text for part in parts)
    assert in_russian(joined(parts)) == "кабинет 1; кабинет 2; кабинет 3"
    assert joined(parts[:1]) == parts[0]


def test_a_verbatim_text_is_shown_as_it_is_even_with_a_percent_sign() -> None:
    phrase = Phrase.verbatim("50% of (the) %(slots)s")
    assert phrase.text == in_russian(phrase) == "50% of (the) %(slots)s"
