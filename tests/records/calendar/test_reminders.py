"""Reminders: a booking fills the outbox; ``corneum worker`` sends what is due to a real SMTP
server on loopback, and retries later when the server is down."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from corneum.cli.worker import run_once
from corneum.config import Settings
from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.knowledge import KnowledgeBase
from corneum.records.accounts.schemas import ClinicCreate, UserCreate
from corneum.records.accounts.service import create_clinic, create_user
from corneum.records.calendar.bookings import service
from corneum.records.calendar.bookings.schemas import BookingCreate
from corneum.records.calendar.resources import service as resources
from corneum.records.calendar.resources.schemas import HoursWrite, RoomCreate
from corneum.records.clients.schemas import ClientCreate
from corneum.records.clients.service import create_client
from corneum.records.reminders.tables import OutboxMessage
from tests.records.calendar.conftest import MONDAY_10, NOW, OFFICE


class Inbox:
    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def sessions(empty_database_url: URL) -> Iterator[sessionmaker[Session]]:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def booked(sessions: sessionmaker[Session], kb: KnowledgeBase) -> None:
    """A clinic with a client who gave an email, booked for Monday 10:00 (UTC clinic)."""
    with sessions() as session, session.begin():
        clinic = create_clinic(session=session, data=ClinicCreate(name="Clear Skin"))
        user = create_user(
            session=session,
            clinic_id=clinic.id,
            data=UserCreate.model_validate(
                {
                    "email": "mia@example.org",
                    "password": "correct horse battery staple",
                    "role": "practitioner",
                    "qualifications": ["cosmetologist"],
                }
            ),
            actor=None,
        )
        resources.create_room(session=session, clinic_id=clinic.id, data=RoomCreate(name="A"))
        resources.put_hours(
            session=session,
            clinic_id=clinic.id,
            practitioner_id=user.id,
            data=HoursWrite(spans=OFFICE),
        )
        client = create_client(
            session=session,
            clinic_id=clinic.id,
            data=ClientCreate(given_name="Ana", family_name="Lopez", email="ana@example.org"),
            actor=None,
        )
        service.book(
            session=session,
            clinic_id=clinic.id,
            kb=kb,
            data=BookingCreate(client_id=client.id, procedure_id="chemical_peel", start=MONDAY_10),
            actor=None,
            now=NOW,
        )


def settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="clinic@example.org")


def outbox(sessions: sessionmaker[Session]) -> OutboxMessage:
    with sessions() as session:
        (message,) = session.scalars(select(OutboxMessage))
        return message


def test_the_worker_sends_the_reminder_when_due_and_only_once(
    sessions: sessionmaker[Session], kb: KnowledgeBase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    booked(sessions, kb)
    due = MONDAY_10 - timedelta(hours=24)
    assert run_once(sessions, settings(port), lambda: due - timedelta(minutes=1)) == (0, 0)
    assert run_once(sessions, settings(port), lambda: due) == (1, 0)
    assert run_once(sessions, settings(port), lambda: due + timedelta(hours=1)) == (0, 0)
    (envelope,) = inbox.received
    assert envelope.rcpt_tos == ["ana@example.org"]
    email = message_from_bytes(envelope.content)
    assert email["Subject"] == "Your appointment at Clear Skin"
    body = email.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Monday 30 November 2026 at 09:00" in body.decode()
    assert outbox(sessions).sent_at == due


def test_a_failed_send_is_retried_later_with_backoff(
    sessions: sessionmaker[Session], kb: KnowledgeBase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    booked(sessions, kb)
    due = MONDAY_10 - timedelta(hours=24)
    nobody_listens = free_port()
    assert run_once(sessions, settings(nobody_listens), lambda: due) == (0, 1)
    failed = outbox(sessions)
    assert (failed.attempts, failed.sent_at) == (1, None)
    assert failed.last_error == "ConnectionRefusedError"
    assert failed.next_attempt_at == due + timedelta(minutes=1)
    assert run_once(sessions, settings(port), lambda: due + timedelta(seconds=30)) == (0, 0)
    later: datetime = due + timedelta(minutes=1)
    assert run_once(sessions, settings(port), lambda: later) == (1, 0)
    assert len(inbox.received) == 1
