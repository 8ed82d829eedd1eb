"""A handout as an A4 PDF, written with fpdf2 in DejaVu Sans.

The font ships inside the package (``fonts/``, with its licence): it covers Cyrillic, and a
server must not depend on fonts its operating system may lack. fpdf2 embeds only the glyphs a
document uses, so a handout stays a few tens of kilobytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from corneum.web.handouts.handout import (
    FOR_CLIENT,
    HANDOUT,
    KB_VERSION,
    NOTHING,
    PAGE,
    SOURCES,
    SOURCES_NOTE,
    Advice,
    Handout,
    Part,
)

FONTS = Path(__file__).parent.parent / "fonts"
FAMILY = "DejaVu"
BODY = 11
LINE = 5.5
"""Line height in mm for body text."""
KEEP_WITH_HEADING = 25
"""Room (mm) a heading needs below it, or it starts the next page instead of ending this one."""

Gettext = Callable[[str], str]


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90)
        page = self.footer_text % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 5, page, align="C")


def handout_pdf(handout: Handout, *, language: str, gettext: Gettext) -> bytes:
    """The PDF of ``handout``, its fixed texts in ``language`` through ``gettext``."""
    document = _Document(gettext(PAGE))
    document.set_lang(language)
    document.set_title(f"{gettext(HANDOUT)}: {handout.procedure}")
    document.set_creator("Corneum")
    document.add_page()
    _title(document, handout, gettext)
    for part in handout.parts:
        _part(document, part, gettext)
    if not handout.parts:
        _paragraph(document, gettext(NOTHING))
    _sources(document, handout, gettext)
    return bytes(document.output())


def _title(document: FPDF, handout: Handout, gettext: Gettext) -> None:
    document.set_font(FAMILY, "B", 18)
    document.multi_cell(0, 9, handout.procedure, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    document.set_font(FAMILY, "", BODY)
    if handout.client_name:
        _paragraph(document, gettext(FOR_CLIENT) % {"name": handout.client_name})
    document.set_text_color(90)
    _paragraph(document, handout.summary)
    document.set_text_color(0)


def _part(document: FPDF, part: Part, gettext: Gettext) -> None:
    _heading(document, gettext(part.heading), 14)
    for group in part.groups:
        if group.title:
            _heading(document, group.title, 12)
        for advice in group.advice:
            _item(document, advice)


def _heading(document: FPDF, text: str, size: int) -> None:
    document.ln(3)
    if document.will_page_break(KEEP_WITH_HEADING):
        document.add_page()
    document.set_font(FAMILY, "B", size)
    document.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    document.ln(1)
    document.set_font(FAMILY, "", BODY)


def _item(document: FPDF, advice: Advice) -> None:
    """One instruction as a bullet with its source."""
    indent = 6
    text = f"{advice.text} [{advice.source}]"
    _start_page_if_split(document, text, document.epw - indent)
    top = document.get_y()
    document.cell(indent, LINE, "•")
    document.set_xy(document.l_margin + indent, top)
    _lines(document, text, document.epw - indent)


def _paragraph(document: FPDF, text: str) -> None:
    _start_page_if_split(document, text, document.epw)
    _lines(document, text, document.epw)


def _start_page_if_split(document: FPDF, text: str, width: float) -> None:
    """Move to a new page if ``text`` would not fit on this one: no paragraph is split."""
    height = document.multi_cell(width, LINE, text, dry_run=True, output="HEIGHT")
    assert isinstance(height, float | int)
    if document.will_page_break(height):
        document.add_page()


def _lines(document: FPDF, text: str, width: float) -> None:
    document.multi_cell(width, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    document.ln(1)


def _sources(document: FPDF, handout: Handout, gettext: Gettext) -> None:
    _heading(document, gettext(SOURCES), 12)
    document.set_font(FAMILY, "", 9)
    _paragraph(document, gettext(SOURCES_NOTE))
    for source, citation in handout.sources:
        _paragraph(document, f"[{source}] {citation}")
    _paragraph(document, f"{gettext(KB_VERSION)}: {handout.kb_version}")
