"""Assessing clients and recording consultations, scoped by clinic and audited.

An assessment reads either an inline profile (no client data, nothing audited) or a stored
client: the profile is then built from the client's record as of the assessment date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from corneum.assessment import Assessment, Profile, assess, validate_profile
from corneum.assessment.phrases import phrase_of
from corneum.db.atomic import atomic
from corneum.knowledge import KnowledgeBase, default_knowledge_base
from corneum.records.clients import service as clients
from corneum.records.clients.schemas import (
    AllergyCreate,
    ClientUpdate,
    HistoryEntryCreate,
    HistoryEntryUpdate,
    MedicationCreate,
    MedicationUpdate,
)
from corneum.records.clients.tables import Allergy, Client, HistoryEntry, Medication
from corneum.records.consultations.schemas import (
    STORED_ASSESSMENT_VERSION,
    AssessmentCreate,
    ClientAssessmentCreate,
    ConsultationAnswers,
    StoredAssessment,
)
from corneum.records.consultations.tables import Consultation
from corneum.records.errors import InvalidInputError, Problem
from corneum.records.fields import EARLIEST, LATEST
from corneum.records.tenancy import audit_client, find_client, owned_rows, read_owned

Loc = tuple[str | int, ...]

REQUIRED_ON_RECORD = ("date_of_birth", "skin_type", "phototype")
"""What a stored client's record must hold before the client can be assessed."""

RECORD_SOURCES: dict[str | int, Loc] = {
    "age": ("client", "date_of_birth"),
    "skin_type": ("client", "skin_type"),
    "fitzpatrick": ("client", "phototype"),
    "conditions": ("client", "medical_history"),
    "medications": ("client", "medications"),
    "allergies": ("client", "allergies"),
    "risk_factors": ("client", "risk_factors"),
}
"""Where each profile field of a stored client comes from; the rest come from the request."""


def age_on(born: date, on: date) -> int:
    """Whole years from ``born`` to ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def profile_for_client(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    area: str,
    concerns: list[str],
    assessed_on: date,
    actor: int | None,
) -> dict[str, Any]:
    """The raw profile of a stored client as of ``assessed_on`` (see :func:`client_record_on`)
    for ``area`` and ``concerns``. Audited as a read of the client's record."""
    record = client_record_on(
        session=session, clinic_id=clinic_id, client_id=client_id, on=assessed_on, actor=actor,
        purpose="assessment",
    )  # fmt: skip
    return profile_data(record, area=area, concerns=concerns)


def client_record_on(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    on: date,
    actor: int | None,
    purpose: str,
) -> dict[str, Any]:
    """What the record says of the client on the day ``on``, as profile fields: age that day,
    skin type, phototype, risk factors, the conditions active that day (see
    :func:`active_on`) with the area each is confined to ("" for none), every medication with
    its last dose (one whose recorded last dose is after ``on`` was still being taken that
    day) and the allergies the knowledge base codes.

    Refuses (:class:`InvalidInputError`) a record without a date of birth, skin type or
    phototype, naming each missing field. Audited as a read of the record for ``purpose``."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    born, skin_type, phototype = client.date_of_birth, client.skin_type, client.phototype
    if born is None or skin_type is None or phototype is None:
        raise _incomplete(client)
    history = owned_rows(session, HistoryEntry, client.id)
    medications = owned_rows(session, Medication, client.id)
    allergies = owned_rows(session, Allergy, client.id)
    audit_client(
        session,
        actor=actor,
        action="read",
        client=client,
        detail={"purpose": purpose, "parts": ["client", "medical_history", "medications"]},
    )
    return {
        "age": age_on(born, on),
        "skin_type": skin_type,
        "fitzpatrick": phototype,
        "conditions": sorted(
            {(row.condition_code, row.area or "") for row in history if active_on(row, on)}
        ),
        "medications": [
            {"code": row.code, "last_taken": _taking_on(row.last_taken, on)} for row in medications
        ],
        "allergies": sorted({row.code for row in allergies if row.code}),
        "risk_factors": list(client.risk_factors),
        "assessed_on": on,
    }


def active_on(entry: HistoryEntry, day: date) -> bool:
    """Whether a history entry holds on ``day``: begun by then, not resolved before it and not
    past its expected end. An active entry with no dates holds on every day."""
    if entry.started_on is not None and entry.started_on > day:
        return False
    if entry.expected_end_on is not None and day >= entry.expected_end_on:
        return False
    if entry.status == "resolved":
        return entry.ended_on is not None and day < entry.ended_on
    return True


def _taking_on(last_taken: date | None, day: date) -> date | None:
    return None if last_taken is None or last_taken > day else last_taken


def profile_data(
    record: dict[str, Any], *, area: str, concerns: Sequence[str] = ()
) -> dict[str, Any]:
    """The raw profile of a record (:func:`client_record_on`) for ``area``: a condition
    confined to another area is elsewhere on the body; one with no area is in the treated area,
    the safer reading."""
    in_area: dict[str, bool] = {}
    for code, where in record["conditions"]:
        in_area[code] = in_area.get(code, False) or where in ("", area)
    conditions = [code if inside else {"code": code, "in_treated_area": False}
                  for code, inside in sorted(in_area.items())]  # fmt: skip
    return {**record, "conditions": conditions, "area": area, "concerns": list(concerns)}


def validated_record_profile(
    record: dict[str, Any], *, area: str, kb: KnowledgeBase, concerns: Sequence[str] = ()
) -> Profile:
    """A stored client's profile for ``area``, validated; an error in what the record holds is
    addressed at ``client.<field>``."""
    data = profile_data(record, area=area, concerns=concerns)
    return _validated(data, kb, _source_of, today=record["assessed_on"])


def assess_profile(
    data: dict[str, Any], *, kb: KnowledgeBase, today: date
) -> tuple[Profile, Assessment]:
    """Validate and assess an inline profile; errors are addressed at ``profile.<field>``."""
    profile = _validated(data, kb, lambda loc: ("body", "profile", *loc), today=today)
    return profile, assess(profile, kb, assessed_on=today)


def assess_client(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: ClientAssessmentCreate,
    today: date,
    actor: int | None,
    kb: KnowledgeBase,
) -> tuple[Profile, Assessment]:
    """Assess a stored client for ``data.area`` and ``data.concerns`` as of ``data.assessed_on``
    (default ``today``). An error in the request is addressed at its body field; an error in
    what the record holds (a code the knowledge base no longer has), at ``client.<field>``."""
    on = data.assessed_on or today
    raw = profile_for_client(
        session=session,
        clinic_id=clinic_id,
        client_id=client_id,
        area=data.area,
        concerns=data.concerns,
        assessed_on=on,
        actor=actor,
    )
    profile = _validated(raw, kb, _source_of)
    return profile, assess(profile, kb, assessed_on=on)


def run_assessment(
    *,
    session: Session,
    clinic_id: int,
    data: AssessmentCreate,
    today: date,
    actor: int | None,
    kb: KnowledgeBase,
) -> Assessment:
    """Assess whichever the request gives: an inline profile or a stored client."""
    if data.client_id is None:
        return assess_profile(data.profile or {}, kb=kb, today=today)[1]
    _, assessment = assess_client(
        session=session,
        clinic_id=clinic_id,
        client_id=data.client_id,
        data=data.for_client(),
        today=today,
        actor=actor,
        kb=kb,
    )
    return assessment


def create_consultation(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: ClientAssessmentCreate,
    today: date,
    actor: int | None,
    kb: KnowledgeBase,
) -> Consultation:
    """Assess a stored client and record the consultation with the profile it read."""
    profile, assessment = assess_client(
        session=session,
        clinic_id=clinic_id,
        client_id=client_id,
        data=data,
        today=today,
        actor=actor,
        kb=kb,
    )
    return record_consultation(
        session=session,
        clinic_id=clinic_id,
        client_id=client_id,
        profile=profile,
        assessment=assessment,
        actor=actor,
    )


def record_consultation(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    profile: Profile,
    assessment: Assessment,
    actor: int | None,
) -> Consultation:
    """Store the profile as assessed and the whole assessment with the knowledge base's
    version and hash, so the verdicts can be reproduced later."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    consultation = Consultation(
        client_id=client.id,
        profile=profile.model_dump(mode="json"),
        assessment=stored_form(assessment),
        kb_version=assessment.knowledge_base_version,
        kb_sha256=assessment.knowledge_base_sha256,
        created_by=actor,
    )
    session.add(consultation)
    session.flush()
    audit_client(
        session,
        actor=actor,
        action="create",
        client=client,
        resource="consultation",
        resource_id=consultation.id,
    )
    return consultation


def get_consultation(
    *, session: Session, clinic_id: int, consultation_id: int, actor: int | None
) -> Consultation:
    return read_owned(
        session,
        Consultation,
        consultation_id,
        clinic_id=clinic_id,
        resource="consultation",
        actor=actor,
    )


def list_consultations(
    *, session: Session, clinic_id: int, client_id: int, actor: int | None
) -> list[Consultation]:
    """The client's consultations, oldest first."""
    client = find_client(session=session, clinic_id=clinic_id, client_id=client_id)
    audit_client(session, actor=actor, action="read", client=client, resource="consultation")
    return owned_rows(session, Consultation, client.id)


def _validated(
    data: dict[str, Any], kb: KnowledgeBase, locate: Callable[[Loc], Loc], today: date | None = None
) -> Profile:
    try:
        profile = validate_profile(data, kb, today=today)
    except ValidationError as exc:
        raise InvalidInputError.from_validation(exc, locate) from None
    _refuse_implausible_dates(profile, locate)
    return profile


def _refuse_implausible_dates(profile: Profile, locate: Callable[[Loc], Loc]) -> None:
    """Refuse a date no clinic could mean (a last dose in the year 9999), before the engine's
    wash-out arithmetic runs past the calendar's end."""
    dated: list[tuple[Loc, date | None]] = [(("assessed_on",), profile.assessed_on)]
    dated += [
        (("medications", index, "last_taken"), medication.last_taken)
        for index, medication in enumerate(profile.medications)
    ]
    problems = [
        Problem(loc=locate(loc), msg=f"must be from {EARLIEST} to {LATEST}", type="date_range")
        for loc, day in dated
        if day is not None and not EARLIEST <= day <= LATEST
    ]
    if problems:
        raise InvalidInputError(problems)


def _source_of(loc: Loc) -> Loc:
    """Where a stored client's profile field came from: the record (without the position in
    the built list, which is no position the caller knows) or the request body."""
    if loc and loc[0] in RECORD_SOURCES:
        return RECORD_SOURCES[loc[0]]
    return ("body", *loc)


def _incomplete(client: Client) -> InvalidInputError:
    return InvalidInputError(
        [
            Problem(
                loc=("client", field),
                msg=f"client {client.id} has no {field} on record; record it before assessing",
                type="missing",
            )
            for field in REQUIRED_ON_RECORD
            if getattr(client, field) is None
        ]
    )


@atomic
def consult(
    *,
    session: Session,
    clinic_id: int,
    client_id: int,
    data: ConsultationAnswers,
    today: date,
    actor: int | None,
    kb: KnowledgeBase,
) -> Consultation:
    """The consultation as one step: write the answers to the client's record (skin, risk
    factors, conditions, medications with their last doses, allergies), then assess her from
    the record and store the consultation with its notes. An active condition no longer
    ticked is resolved today (kept in the history); medications and allergies on record stay
    (a medication stopped is dated by its last dose)."""
    scope: dict[str, Any] = {
        "session": session,
        "clinic_id": clinic_id,
        "client_id": client_id,
        "actor": actor,
    }
    skin = {"date_of_birth": data.date_of_birth, "skin_type": data.skin_type}
    update = {**skin, "phototype": data.phototype, "risk_factors": data.risk_factors}
    clients.update_client(data=ClientUpdate.model_validate(update), **scope)
    _record_conditions(data, today, scope)
    _record_medications(data, today, scope)
    _record_allergies(data, kb, scope)
    request = ClientAssessmentCreate(area=data.area, concerns=data.concerns)
    consultation = create_consultation(data=request, today=today, kb=kb, **scope)
    consultation.note = data.note
    session.flush()
    return consultation


def _record_conditions(data: ConsultationAnswers, today: date, scope: dict[str, Any]) -> None:
    """New conditions are added; an active one no longer ticked is resolved today (it stays
    in the history)."""
    active = [row for row in clients.list_history(**scope) if active_on(row, today)]
    for code in sorted(set(data.conditions) - {row.condition_code for row in active}):
        clients.add_history_entry(data=HistoryEntryCreate(condition_code=code), **scope)
    for row in active:
        if row.condition_code not in data.conditions:
            resolved = HistoryEntryUpdate(status="resolved")
            clients.update_history_entry(entry_id=row.id, data=resolved, today=today, **scope)


def _record_medications(data: ConsultationAnswers, today: date, scope: dict[str, Any]) -> None:
    on_record = {row.code: row for row in clients.list_medications(**scope)}
    for answer in data.medications:
        row = on_record.get(answer.code)
        if row is None:
            taken = MedicationCreate(code=answer.code, last_taken=answer.last_taken)
            clients.add_medication(data=taken, today=today, **scope)
        elif row.last_taken != answer.last_taken:
            change = MedicationUpdate(last_taken=answer.last_taken)
            clients.update_medication(medication_id=row.id, data=change, today=today, **scope)


def _record_allergies(data: ConsultationAnswers, kb: KnowledgeBase, scope: dict[str, Any]) -> None:
    on_record = clients.list_allergies(**scope)
    codes = {row.code for row in on_record if row.code}
    names = {row.allergen.casefold() for row in on_record}
    for code in sorted(set(data.allergies) - codes):
        allergy = AllergyCreate(allergen=kb.label(code), code=code)
        clients.add_allergy(data=allergy, **scope)
    for allergen in data.other_allergies:
        if allergen.casefold() not in names:
            clients.add_allergy(data=AllergyCreate(allergen=allergen), **scope)


def stored_assessment(consultation: Consultation) -> StoredAssessment:
    """The consultation's assessment through its typed model, whichever version stored it."""
    return StoredAssessment.model_validate(consultation.assessment)


def stored_form(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a consultation stores it: the engine's dictionary, its schema version,
    and beside each reason's English the phrase it was worded from (when the shipped knowledge
    base is the one that assessed), so a page shows it in its language without comparing
    English strings."""
    data = {**assessment.to_dict(), "schema_version": STORED_ASSESSMENT_VERSION}
    kb = default_knowledge_base()
    if kb.sha256 != assessment.knowledge_base_sha256:
        return data
    rule_texts = {rule.id: rule.reason.strip() for rules in kb.rules.values() for rule in rules}
    reasons = [r for p in data["procedures"] for r in p["reasons"]] + data.get("referrals", [])
    for reason in reasons:
        reason["phrase"] = _phrase_of(reason, kb, rule_texts)
    return data


def _phrase_of(
    reason: dict[str, Any], kb: KnowledgeBase, rule_texts: dict[str, str]
) -> dict[str, Any] | None:
    rule, text = str(reason["rule"]), str(reason["text"])
    worded = phrase_of(rule, reason.get("code"), kb)
    if worded is not None and worded.text == text:
        plain = {k: v for k, v in worded.values.items() if isinstance(v, str | int)}
        return {"id": worded.template, "values": plain}
    english = rule_texts.get(rule)
    if english is not None and text.startswith(english):
        return {"id": f"rule:{rule}", "values": {}}
    return None
