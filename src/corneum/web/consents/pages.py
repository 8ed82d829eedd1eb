"""Consent on the tablet: the procedure's consent text shown in the client's language, signed by
the client (drawn on a signature pad, or a typed full name and a ticked box), and stored with
the text's version and SHA-256; practitioners only, as in the API.

The form carries the version and hash of the text it showed; if the text has changed by the time
it is signed (a new knowledge base), the signature is refused and the new text shown, so a
consent never names a text the client did not see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from corneum.http.deps import ClockDep, KnowledgeDep, PathId, SessionDep
from corneum.knowledge import KnowledgeBase
from corneum.knowledge.consent import ConsentText, consent_text, default_consent_template
from corneum.knowledge.model import Procedure
from corneum.knowledge.translations import shipped_translation
from corneum.phrase import N_
from corneum.records.accounts.tables import User
from corneum.records.clients import service as clients
from corneum.records.clients.tables import Client
from corneum.records.clinic_time import clinic_clock
from corneum.records.consents import service as consents
from corneum.records.consents.schemas import SIGNATURE_BOX, ConsentCreate
from corneum.records.consents.tables import Consent
from corneum.records.errors import NotFoundError
from corneum.web import messages
from corneum.web.access import Csrf, PagePractitioner
from corneum.web.forms import Form, see_other, text
from corneum.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, knowledge_in
from corneum.web.sessions.runner import error_text, procedure_of
from corneum.web.shown import ShownKnowledge
from corneum.web.templating import render

router = APIRouter(include_in_schema=False)
VERSION_LANGUAGE = re.compile(r"-([a-z]{2})\+kb")
"""The language in a composed consent's version (``procedure@2026.1-ru+kb1.2.0``)."""

TEXT_CHANGED = N_(
    "The consent text has changed since this page was opened. Read it again, then sign."
)
SIGN_SOMEHOW = N_("Draw the signature, or tick the box to sign with the typed full name.")
SIGNATURE_UNREADABLE = N_("The drawing could not be kept. Clear it and sign again.")


@dataclass(frozen=True, slots=True)
class Signing:
    """What the signing form sent, and what is wrong with it."""

    signer_name: str
    signature_svg: str
    typed: bool
    errors: dict[str, str]


def composed(kb: KnowledgeBase, procedure: Procedure, language: str) -> ConsentText:
    """The procedure's consent as it reads now in ``language``."""
    translation = {} if language == DEFAULT_LANGUAGE else shipped_translation(language)
    template = default_consent_template()
    return consent_text(template, procedure, kb.version, language=language, translation=translation)


def current_text(kb: KnowledgeBase, procedure_id: str, language: str) -> ConsentText:
    """The consent text for the procedure (404 for an unknown procedure)."""
    procedure = procedure_of(kb, procedure_id)
    if procedure is None:
        raise NotFoundError("procedure", procedure_id)
    return composed(kb, procedure, language)


def text_language(asked: str, user: User) -> str:
    """The language asked for if the consent is written in it, else the user's, else English."""
    offered = default_consent_template().languages
    for candidate in (asked, user.language):
        if candidate in offered:
            return candidate
    return DEFAULT_LANGUAGE


def signed_text(kb: KnowledgeBase, consent: Consent) -> ConsentText | None:
    """The text signed: as stored with the consent, or else (a consent recorded with its hash
    only) the text as it reads now, in whichever language hashes to what was signed; None when
    none does any longer (the wording or the procedure has changed since)."""
    if consent.signed_text is not None:
        named = VERSION_LANGUAGE.search(consent.text_version)
        return ConsentText(
            consent.procedure_id or "",
            named[1] if named else "",
            consent.text_version,
            consent.signed_text,
        )
    procedure = procedure_of(kb, consent.procedure_id) if consent.procedure_id else None
    if procedure is None:
        return None
    for language in default_consent_template().languages:
        text_now = composed(kb, procedure, language)
        if text_now.sha256 == consent.text_sha256:
            return text_now
    return None


def signing_page(
    request: Request,
    *,
    user: User,
    client: Client,
    kb: KnowledgeBase,
    procedure_id: str,
    language: str,
    signing: Signing | None = None,
) -> Response:
    """The text and the signing form; with no procedure chosen, the choice of one, named in
    the user's language (the text is in ``language``, whoever reads the page)."""
    consent = current_text(kb, procedure_id, language) if procedure_id else None
    shown = knowledge_in(kb, user.language)
    offered = default_consent_template().languages
    context = {
        "user": user,
        "client": client,
        "procedures": sorted(shown.procedures, key=lambda p: p.name),
        "procedure_id": procedure_id,
        "text_language": language,
        "text_languages": {code: name for code, name in LANGUAGES.items() if code in offered},
        "consent": consent,
        "box": SIGNATURE_BOX,
        "signing": signing or Signing("", "", typed=False, errors={}),
        "errors": signing.errors if signing else {},
    }
    status_code = 422 if signing and signing.errors else 200
    return render(request, "consent.html", context, status_code=status_code)


def read_signing(form: FormData) -> Signing:
    """The form's signature; a drawing wins over the typed-name box when both are given."""
    signing = Signing(
        signer_name=text(form, "signer_name"),
        signature_svg=text(form, "signature_svg"),
        typed=form.get("typed_signature") == "yes",
        errors={},
    )
    if not signing.signer_name:
        signing.errors["signer_name"] = messages.REQUIRED
    if not signing.signature_svg and not signing.typed:
        signing.errors["signature"] = SIGN_SOMEHOW
    return signing


@router.get("/clients/{client_id}/consents/new")
def new(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    procedure: str = "",
    language: str = "",
) -> Response:
    """The consent text of the chosen procedure in the chosen language, ready to be signed on
    the tablet."""
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return signing_page(
        request,
        user=user,
        client=client,
        kb=kb,
        procedure_id=procedure[:64],
        language=text_language(language, user),
    )


@router.post("/clients/{client_id}/consents", dependencies=[Csrf])
def sign(
    request: Request,
    client_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    clock: ClockDep,
    form: Form,
) -> Response:
    """Store the signed consent with the version and hash of the text that was shown."""
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    procedure_id = text(form, "procedure_id")
    language = text_language(text(form, "language"), user)
    shown = current_text(kb, procedure_id, language)
    signing = read_signing(form)
    if (text(form, "text_version"), text(form, "text_sha256")) != (shown.version, shown.sha256):
        signing.errors["consent"] = TEXT_CHANGED
    data = None if signing.errors else _consent_create(shown, signing, clock(), signing.errors)
    if data is None:
        return signing_page(
            request,
            user=user,
            client=client,
            kb=kb,
            procedure_id=procedure_id,
            language=language,
            signing=signing,
        )
    consent = consents.record_consent(
        session=session, clinic_id=user.clinic_id, client_id=client.id, data=data, actor=user.id
    )
    return see_other(f"/consents/{consent.id}")


def _consent_create(
    shown: ConsentText, signing: Signing, now: datetime, errors: dict[str, str]
) -> ConsentCreate | None:
    """The consent to store, or None with the schema's refusals added to ``errors``."""
    drawn = bool(signing.signature_svg)
    body = {
        "text_version": shown.version,
        "text_sha256": shown.sha256,
        "signer_name": signing.signer_name,
        "signed_at": now,
        "procedure_id": shown.procedure_id,
        "signature_method": "drawn" if drawn else "typed",
        "signature_svg": signing.signature_svg if drawn else None,
        "signed_text": shown.text,
    }
    try:
        return ConsentCreate.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            if field == "signature_svg":
                errors["signature"] = SIGNATURE_UNREADABLE
            else:
                errors[field or "signer_name"] = error_text(error["type"])
        return None


@router.get("/consents/{consent_id}")
def show(
    request: Request,
    consent_id: PathId,
    user: PagePractitioner,
    session: SessionDep,
    kb: KnowledgeDep,
    shown: ShownKnowledge,
) -> Response:
    """A signed consent: who signed, when, how, and the text if it still reads the same; the
    procedure named in the user's language."""
    consent = consents.get_consent(
        session=session, clinic_id=user.clinic_id, consent_id=consent_id, actor=user.id
    )
    client = clients.get_client(
        session=session, clinic_id=user.clinic_id, client_id=consent.client_id, actor=user.id
    )
    procedure = procedure_of(shown, consent.procedure_id) if consent.procedure_id else None
    wall = clinic_clock(session, user.clinic_id)
    context = {
        "user": user,
        "client": client,
        "consent": consent,
        "procedure": procedure.name if procedure else "",
        "signed_at": wall.local(consent.signed_at),
        "text": signed_text(kb, consent),
        "box": SIGNATURE_BOX,
    }
    return render(request, "consent_signed.html", context)
