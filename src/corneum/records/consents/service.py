"""Recording and reading signed consents, scoped by clinic and audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corneum.knowledge import KnowledgeBase
from corneum.knowledge.consent import ConsentText, consent_text, default_consent_template
from corneum.knowledge.model import Procedure
from corneum.knowledge.translations import shipped_translation
from corneum.records.consents.schemas import ConsentCreate
from corneum.records.consents.tables import Consent
from corneum.records.tenancy import audit_client, find_client, owned_rows, read_owned


def record_consent(
    *, session: Session, clinic_id: int, client_id: int, data: ConsentCreate, actor: int | None
) -> Consent:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    consent = Consent(client_id=client.id, recorded_by=actor, **data.model_dump())
    session.add(consent)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="consent",
        resource_id=consent.id,
    )
    return consent


def list_consents(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Consent]:
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="consent")
    return owned_rows(session, Consent, client.id)


def get_consent(*, session: Session, clinic_id: int, consent_id: int, actor: int | None) -> Consent:
    """One signed consent of the clinic's clients, its reading audited."""
    return read_owned(
        session, Consent, consent_id, clinic_id=clinic_id, resource="consent", actor=actor
    )


def current_consent(kb: KnowledgeBase, procedure: Procedure, language: str) -> ConsentText:
    """The procedure's consent as it reads now in ``language`` (English where the shipped
    wording has no such language)."""
    template = default_consent_template()
    if language not in template.languages:
        language = "en"
    translation = {} if language == "en" else shipped_translation(language)
    return consent_text(template, procedure, kb.version, language=language, translation=translation)


def current_consent_hashes(kb: KnowledgeBase, procedure: Procedure) -> frozenset[str]:
    """The SHA-256 of the procedure's consent as it reads now, in every shipped language."""
    languages = default_consent_template().languages
    return frozenset(current_consent(kb, procedure, language).sha256 for language in languages)


def has_current_consent(
    session: Session, *, client_id: int, procedure: Procedure, kb: KnowledgeBase
) -> bool:
    """Whether the client signed the procedure's consent in the wording in use now: the text
    hashes to the current text in one of its languages."""
    hashes = current_consent_hashes(kb, procedure)
    statement = select(Consent.text_sha256).where(
        Consent.client_id == client_id, Consent.procedure_id == procedure.id
    )
    return any(sha in hashes for sha in session.scalars(statement))
