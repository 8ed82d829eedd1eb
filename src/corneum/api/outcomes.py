"""Outcomes and photos of sessions over HTTP; practitioners only.

A photo's bytes are served here only, to a practitioner of the client's clinic, each viewing
audited; never from ``/static``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from starlette.responses import Response

from corneum.http.deps import ClockDep, Paged, PathId, PhotoStoreDep, Practitioner, SessionDep
from corneum.records.errors import NotFoundError
from corneum.records.fields import Moment
from corneum.records.outcomes import service
from corneum.records.outcomes.schemas import (
    AreaCode,
    CourseOutcomeRead,
    OutcomeCreate,
    OutcomeRead,
    PhotoCreate,
    PhotoRead,
)
from corneum.records.outcomes.tables import PhotoMoment

router = APIRouter(tags=["outcomes"])
IMAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
}
"""A photo of a client is not kept in caches, and is only ever an image."""


@router.post(
    "/api/sessions/{session_id}/outcome",
    status_code=status.HTTP_201_CREATED,
    response_model=OutcomeRead,
)
def record_outcome(
    session_id: PathId, data: OutcomeCreate, user: Practitioner, session: SessionDep
) -> OutcomeRead:
    """Lesion counts by type, grades per scale and area, and a note; a second outcome for a
    session is 409 (replace it with PUT)."""
    outcome = service.record_outcome(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        actor=user.id,
    )
    return OutcomeRead.model_validate(outcome)


@router.put("/api/sessions/{session_id}/outcome", response_model=OutcomeRead)
def save_outcome(
    session_id: PathId, data: OutcomeCreate, user: Practitioner, session: SessionDep
) -> OutcomeRead:
    """Record the session's outcome or replace it whole (counts, grades and note)."""
    outcome = service.save_outcome(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        actor=user.id,
    )
    return OutcomeRead.model_validate(outcome)


@router.get("/api/sessions/{session_id}/outcome", response_model=OutcomeRead)
def get_outcome(session_id: PathId, user: Practitioner, session: SessionDep) -> OutcomeRead:
    """The session's outcome; 404 while none is recorded."""
    outcome = service.get_outcome(
        session=session, clinic_id=user.clinic_id, treatment_session_id=session_id, actor=user.id
    )
    return OutcomeRead.model_validate(outcome)


@router.get("/api/clients/{client_id}/outcomes", response_model=list[CourseOutcomeRead])
def list_outcomes(
    client_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[CourseOutcomeRead]:
    """The outcomes of the client's course, in the order of their sessions."""
    found = service.list_outcomes(
        session=session, clinic_id=user.clinic_id, client_id=client_id, actor=user.id
    )
    return page(
        [
            CourseOutcomeRead.model_validate(
                {
                    **OutcomeRead.model_validate(item.outcome).model_dump(),
                    "session_scheduled_at": item.session_scheduled_at,
                }
            )
            for item in found
        ]
    )


@router.post(
    "/api/sessions/{session_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoRead,
)
def add_photo(
    session_id: PathId,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or HEIC image")],
    area: Annotated[AreaCode, Form()],
    moment: Annotated[PhotoMoment, Form()],
    user: Practitioner,
    session: SessionDep,
    store: PhotoStoreDep,
    clock: ClockDep,
    taken_at: Annotated[Moment | None, Form()] = None,
) -> PhotoRead:
    """A before or after photo of one area (multipart form); JPEG, PNG or HEIC only, judged by the
    file's first bytes, up to the configured size."""
    # A plain function, so the database and the disk are used from the thread pool; the upload
    # is already spooled by the form parser, and at most one byte past the limit is read.
    image = file.file.read(store.max_bytes + 1)
    data = PhotoCreate(area=area, moment=moment, taken_at=taken_at)
    photo = service.add_photo(
        session=session,
        clinic_id=user.clinic_id,
        treatment_session_id=session_id,
        data=data,
        image=image,
        store=store,
        actor=user.id,
        now=clock(),
    )
    return PhotoRead.model_validate(photo)


@router.get("/api/sessions/{session_id}/photos", response_model=list[PhotoRead])
def list_photos(
    session_id: PathId, user: Practitioner, session: SessionDep, page: Paged
) -> list[PhotoRead]:
    """The session's photos' metadata; each image is at ``/api/photos/{id}``."""
    photos = service.list_photos(
        session=session, clinic_id=user.clinic_id, treatment_session_id=session_id, actor=user.id
    )
    return page([PhotoRead.model_validate(photo) for photo in photos])


@router.get(
    "/api/photos/{photo_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}},
)
def get_photo(
    photo_id: PathId, user: Practitioner, session: SessionDep, store: PhotoStoreDep
) -> Response:
    """The image itself; 404 also when its file has gone from the photo directory."""
    photo = service.get_photo(
        session=session, clinic_id=user.clinic_id, photo_id=photo_id, actor=user.id
    )
    try:
        image = store.read(photo.file_name)
    except FileNotFoundError:
        raise NotFoundError("image of photo", photo_id) from None
    return Response(image, media_type=photo.content_type, headers=IMAGE_HEADERS)


@router.get(
    "/api/photos/{photo_id}/thumbnail",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def get_thumbnail(
    photo_id: PathId, user: Practitioner, session: SessionDep, store: PhotoStoreDep
) -> Response:
    """A small JPEG of the image (at most 320 pixels a side), for lists and comparisons."""
    photo = service.get_photo(
        session=session, clinic_id=user.clinic_id, photo_id=photo_id, actor=user.id
    )
    try:
        image = store.read_thumbnail(photo.file_name)
    except FileNotFoundError:
        raise NotFoundError("thumbnail of photo", photo_id) from None
    return Response(image, media_type="image/jpeg", headers=IMAGE_HEADERS)
