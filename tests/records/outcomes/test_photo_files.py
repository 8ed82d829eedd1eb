"""A photo's image file lives exactly as long as its row: a transaction that does not commit
takes its files with it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from corneum.records.accounts.tables import Clinic, User
from corneum.records.outcomes.photos import PhotoStore
from corneum.records.outcomes.schemas import PhotoCreate
from corneum.records.outcomes.service import add_photo
from corneum.records.sessions.tables import TreatmentSession
from tests.api.images import pixels, png

PNG = png()
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _add(
    session: Session, clinic: Clinic, user: User, visit: TreatmentSession, store: PhotoStore
) -> str:
    photo = add_photo(
        session=session,
        clinic_id=clinic.id,
        treatment_session_id=visit.id,
        data=PhotoCreate(area="back", moment="before"),
        image=PNG,
        store=store,
        actor=user.id,
        now=NOW,
    )
    return photo.file_name


def test_a_rolled_back_photo_leaves_no_file(
    db_session: Session, clinic: Clinic, practitioner: User, visit: TreatmentSession, tmp_path: Path
) -> None:
    store = PhotoStore(tmp_path, max_bytes=1024)
    db_session.commit()
    name = _add(db_session, clinic, practitioner, visit, store)
    assert (tmp_path / name).is_file()
    db_session.rollback()
    assert not (tmp_path / name).exists()


def test_a_committed_photo_keeps_its_file_through_later_rollbacks(
    db_session: Session, clinic: Clinic, practitioner: User, visit: TreatmentSession, tmp_path: Path
) -> None:
    store = PhotoStore(tmp_path, max_bytes=1024)
    name = _add(db_session, clinic, practitioner, visit, store)
    db_session.commit()
    db_session.rollback()
    db_session.close()
    assert pixels((tmp_path / name).read_bytes()) == pixels(PNG)


def test_a_session_closed_without_commit_deletes_its_files(
    db_session: Session, clinic: Clinic, practitioner: User, visit: TreatmentSession, tmp_path: Path
) -> None:
    store = PhotoStore(tmp_path, max_bytes=1024)
    db_session.commit()
    name = _add(db_session, clinic, practitioner, visit, store)
    db_session.close()
    assert not (tmp_path / name).exists()
