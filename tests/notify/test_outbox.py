"""The outbox on a real store, SQLite and PostgreSQL: written with the change, delivered
at least once, retried with back-off, never claimed by two deliverers at once."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta, timezone

import pytest
from sqlalchemy import Engine, inspect, select, text

from armsgate.errors import InputError
from armsgate.notify import (
    LogSender,
    Message,
    SendError,
    Status,
    counts,
    deliver,
    enqueue,
    outbox_messages,
    retry_delay,
)
from armsgate.notify import outbox as ob
from armsgate.store import schema as t
from tests.notify.conftest import T0, Clock, Recording, enqueued, messages


def rows(engine: Engine) -> dict[int, ob.OutboxRow]:
    with engine.connect() as conn:
        return {r.id: r for r in outbox_messages(conn, limit=1000)}


def test_the_migration_creates_the_table_of_the_schema(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("outbox")}
    assert columns == {c.name for c in t.outbox.columns}


def test_messages_leave_only_with_the_transaction_that_wrote_them(engine: Engine) -> None:
    def failing_command() -> None:
        with engine.begin() as conn:
            enqueue(conn, messages(2), at=T0)
            raise RuntimeError("the command failed")

    with pytest.raises(RuntimeError):
        failing_command()
    assert rows(engine) == {}
    ids = enqueued(engine, 2)
    stored = rows(engine)
    assert sorted(stored) == ids
    first = stored[ids[0]]
    assert (first.status, first.attempts, first.case_id, first.kind) == (
        Status.PENDING, 0, "RS-2025-0042", "consent_requested")
    assert first.created_at == T0
    assert "Југоимпорт СДПР ј.п." in first.body


def test_one_bad_message_writes_none(engine: Engine) -> None:
    good = messages(1)[0]
    bad = Message(good.kind, good.recipient, "two\nlines", good.body)
    with pytest.raises(InputError) as err, engine.begin() as conn:
        enqueue(conn, [good, bad])
    assert err.value.field == "messages[1].subject"
    with pytest.raises(InputError) as err, engine.begin() as conn:
        enqueue(conn, [good, Message(good.kind, "not an address", "s", "b")])
    assert err.value.field == "messages[1].recipient"
    assert rows(engine) == {}


def test_delivery_sends_each_pending_message_once(engine: Engine, wall: Clock) -> None:
    ids = enqueued(engine, 5)
    sender = Recording()
    report = deliver(engine, sender, limit=3, batch=2, now=wall)
    assert report.sent == ids[:3]
    assert sender.closed == 1
    report = deliver(engine, sender, now=wall)
    assert report.sent == ids[3:]
    assert [m.id for m in sender.sent] == ids
    assert deliver(engine, sender, now=wall).sent == []
    stored = rows(engine)
    assert {r.status for r in stored.values()} == {Status.SENT}
    assert {r.attempts for r in stored.values()} == {1}
    assert stored[ids[0]].sent_at == T0
    with engine.connect() as conn:
        assert counts(conn) == {"sent": 5}
        assert len(outbox_messages(conn, status="sent", case_id="RS-2025-0042")) == 5
        assert outbox_messages(conn, status="pending") == []


def test_the_log_sender_logs_the_whole_message(engine: Engine, wall: Clock,
                                               caplog: pytest.LogCaptureFixture) -> None:
    [msg_id] = enqueued(engine, 1)
    with caplog.at_level(logging.INFO, logger="armsgate.notify"):
        assert deliver(engine, LogSender(), now=wall).sent == [msg_id]
    assert "reviewer0@mod.gov.rs" in caplog.text
    assert "What to do:" in caplog.text


def test_a_failed_attempt_is_retried_later_then_given_up(engine: Engine, wall: Clock) -> None:
    a, b, c = enqueued(engine, 3)
    sender = Recording({a: SendError("451 try later"), b: SendError("550 no such user",
                                                                    permanent=True),
                        c: ValueError("a bug in the sender")})
    report = deliver(engine, sender, max_attempts=3, now=wall)
    assert (report.sent, report.retry, report.failed) == ([], [a, c], [b])
    stored = rows(engine)
    assert stored[a].status is Status.PENDING
    assert stored[a].last_error == "451 try later"
    assert stored[a].next_attempt_at == T0 + retry_delay(1)
    assert stored[b].status is Status.FAILED
    assert stored[c].last_error == "ValueError: a bug in the sender"
    assert deliver(engine, sender, now=wall).retry == []  # not due yet: back-off
    wall.advance(minutes=1)
    del sender.fail[c]
    report = deliver(engine, sender, max_attempts=3, now=wall)
    assert (report.sent, report.retry) == ([c], [a])
    wall.advance(minutes=2)
    report = deliver(engine, sender, max_attempts=3, now=wall)
    assert report.failed == [a]
    assert rows(engine)[a].attempts == 3
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=4)
    assert retry_delay(50) == timedelta(hours=6)


def test_an_unusable_relay_stops_the_run_without_counting_attempts(engine: Engine,
                                                                   wall: Clock) -> None:
    a, b, c = enqueued(engine, 3)
    sender = Recording({a: SendError("cannot reach the relay", stop=True)})
    report = deliver(engine, sender, now=wall)
    assert report.stopped == "cannot reach the relay"
    assert (report.sent, report.retry, report.failed) == ([], [], [])
    stored = rows(engine)
    assert [(stored[i].status, stored[i].attempts) for i in (a, b, c)] == [
        (Status.PENDING, 0)] * 3
    assert stored[a].last_error == "cannot reach the relay"
    assert deliver(engine, Recording(), now=wall).sent == [a, b, c]


def test_a_lapsed_claim_is_sent_again_at_least_once(engine: Engine, wall: Clock) -> None:
    a, b = enqueued(engine, 2)
    with engine.begin() as conn:  # a deliverer claims both, then dies
        assert [m.id for m in ob.claim(conn, 5, now=wall(), lease=timedelta(minutes=10),
                                       max_attempts=5)] == [a, b]
    sender = Recording()
    assert deliver(engine, sender, now=wall).sent == []  # still claimed
    wall.advance(minutes=11)
    assert deliver(engine, sender, now=wall).sent == [a, b]
    assert rows(engine)[a].attempts == 2


def test_a_message_its_deliverer_dies_on_each_time_fails(engine: Engine, wall: Clock) -> None:
    [a] = enqueued(engine, 1)
    for _ in range(2):
        with engine.begin() as conn:
            ob.claim(conn, 5, now=wall(), lease=timedelta(minutes=10), max_attempts=2)
        wall.advance(minutes=11)
    assert deliver(engine, Recording(), max_attempts=2, now=wall).sent == []
    assert rows(engine)[a].status is Status.FAILED
    assert "stopped while sending" in (rows(engine)[a].last_error or "")


class Meeting(Recording):
    """Each deliverer's first send waits until the other is sending too: both hold claims."""

    def __init__(self, barrier: threading.Barrier, log: list[int], lock: threading.Lock) -> None:
        super().__init__()
        self.barrier, self.log, self.lock = barrier, log, lock

    def send(self, message: ob.OutboxRow) -> None:
        if not self.sent:
            self.barrier.wait(timeout=20)
        super().send(message)
        with self.lock:
            self.log.append(message.id)


def test_two_deliverers_at_once_never_send_a_message_twice(engine: Engine) -> None:
    ids = enqueued(engine, 12)
    barrier, log, lock = threading.Barrier(2), [], threading.Lock()
    senders = [Meeting(barrier, log, lock) for _ in range(2)]
    errors: list[BaseException] = []

    def run(sender: Meeting) -> None:
        try:
            deliver(engine, sender, batch=3)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(log) == ids  # every message once
    assert all(s.sent for s in senders)  # and both deliverers took part
    assert {r.status for r in rows(engine).values()} == {Status.SENT}


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_postgres_claims_skip_rows_locked_by_another_deliverer(engine: Engine,
                                                               wall: Clock) -> None:
    assert engine.dialect.name == "postgresql"
    a, b, c = enqueued(engine, 3)
    with engine.connect() as other, other.begin():
        other.execute(text("SET LOCAL lock_timeout = '5s'"))
        other.execute(select(t.outbox.c.id).where(t.outbox.c.id.in_([a, b]))
                      .with_for_update())
        with engine.begin() as conn:  # does not wait for `other`: skips its rows
            conn.execute(text("SET LOCAL lock_timeout = '2s'"))
            claimed = ob.claim(conn, 5, now=wall(), lease=timedelta(minutes=10),
                               max_attempts=5)
        assert [m.id for m in claimed] == [c]


def test_listing_checks_the_status(engine: Engine) -> None:
    with pytest.raises(InputError) as err, engine.connect() as conn:
        outbox_messages(conn, status="lost")
    assert err.value.field == "status"


def test_a_deliverer_clock_in_another_time_zone_keeps_the_back_off(engine: Engine) -> None:
    [a] = enqueued(engine, 1)
    belgrade = Clock()
    belgrade.now = T0.astimezone(timezone(timedelta(hours=1)))
    sender = Recording({a: SendError("451 try later")})
    assert deliver(engine, sender, now=belgrade).retry == [a]
    del sender.fail[a]
    belgrade.advance(seconds=59)
    assert deliver(engine, sender, now=belgrade).sent == []
    belgrade.advance(seconds=1)
    assert deliver(engine, sender, now=belgrade).sent == [a]
    assert rows(engine)[a].sent_at == T0 + timedelta(minutes=1)
