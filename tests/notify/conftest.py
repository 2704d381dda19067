"""Outbox fixtures: messages to enqueue, senders that record or fail, a clock to move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from armsgate.notify import CaseRef, Message, OutboxRow, SendError, consent_requested, enqueue

T0 = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
CASE = CaseRef(application="RS-2025-0042", exporter="Krušik a.d. Valjevo",
               consignee="Југоимпорт СДПР ј.п.", end_user="Armament Agency of Poland",
               destinations=("Poland (PL)",), goods=("10 x 122 mm rocket (ML4)",),
               value=Decimal("1000.00"))


def messages(n: int, case: CaseRef = CASE) -> list[Message]:
    return consent_requested(case, [f"reviewer{k}@mod.gov.rs" for k in range(n)],
                             body="defence", deadline=date(2025, 1, 24), seq=None)


def enqueued(engine: Engine, n: int) -> list[int]:
    with engine.begin() as conn:
        return enqueue(conn, messages(n), at=T0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Recording:
    """A sender that keeps what it was given; `fail` maps ids to the error to raise."""

    def __init__(self, fail: dict[int, Exception] | None = None) -> None:
        self.sent: list[OutboxRow] = []
        self.fail = fail or {}
        self.closed = 0

    def send(self, message: OutboxRow) -> None:
        error = self.fail.get(message.id)
        if error is not None:
            raise error
        self.sent.append(message)

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def wall() -> Clock:
    """The deliverer's wall clock, moved by hand."""
    return Clock()


__all__ = ["CASE", "T0", "Clock", "Recording", "SendError", "enqueued", "messages"]
