"""Moments in time come back as the same instant, in UTC, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from corneum.records.audit.tables import AuditEvent

MADRID_SUMMER = timezone(timedelta(hours=2))


def stored_at(db_session: Session, moment: datetime) -> datetime:
    event = AuditEvent(action="read", resource_type="test", at=moment)
    db_session.add(event)
    db_session.flush()
    db_session.expire(event)
    return db_session.scalars(select(AuditEvent.at).where(AuditEvent.id == event.id)).one()


def test_an_aware_time_round_trips_as_the_same_instant_in_utc(db_session: Session) -> None:
    moment = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=MADRID_SUMMER)
    back = stored_at(db_session, moment)
    assert back == moment
    assert back.utcoffset() == timedelta(0)
    assert back.hour == 7


def test_a_utc_time_keeps_its_microseconds(db_session: Session) -> None:
    moment = datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert stored_at(db_session, moment) == moment


def test_a_naive_time_is_refused(db_session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        stored_at(db_session, datetime(2026, 7, 1, 9, 30))


def test_times_compare_across_zones_in_queries(db_session: Session) -> None:
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    stored_at(db_session, moment)
    just_before_in_madrid = datetime(2026, 3, 1, 13, 59, tzinfo=timezone(timedelta(hours=2)))
    found = db_session.scalars(
        select(AuditEvent.at).where(
            AuditEvent.resource_type == "test", AuditEvent.at > just_before_in_madrid
        )
    ).all()
    assert found == [moment]
