"""SmtpSender against a real SMTP server (aiosmtpd) started by the test, on both stores:
plain, STARTTLS with a certificate the sender must verify, credentials, refusals."""

from __future__ import annotations

import email
import email.policy
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from sqlalchemy import Engine

from armsgate.errors import InputError
from armsgate.notify import SmtpSender, Status, deliver, outbox_messages, sender_from_settings
from armsgate.settings import Settings
from tests.main_job import free_port
from tests.notify.conftest import Clock, enqueued


@dataclass
class Mailbox:
    """The server's handler: keeps what it accepts; refuses recipients by their local part."""

    mails: list[tuple[Envelope, EmailMessage]] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address.startswith("reviewer1@"):
            return "550 5.1.1 no such user"
        if address.startswith("reviewer2@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mails.append((envelope, parsed))
        self.sessions.append(session)
        return "250 OK"


@dataclass
class Server:
    mailbox: Mailbox
    port: int
    ca: trustme.CA | None = None
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)


def start(**kwargs: Any) -> tuple[Controller, Server]:
    mailbox = Mailbox()
    server = Server(mailbox, free_port())
    if kwargs.pop("tls", False):
        server.ca = trustme.CA()
        cert = server.ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)

        def authenticate(srv: Any, session: Session, envelope: Envelope, mechanism: str,
                         data: Any) -> AuthResult:
            assert isinstance(data, LoginPassword)
            server.logins.append((data.login, data.password))
            return AuthResult(success=(data.login, data.password) == (b"armsgate", b"s3cret"))

        kwargs.update(tls_context=context, require_starttls=True, authenticator=authenticate,
                      auth_require_tls=True)
    controller = Controller(mailbox, hostname="127.0.0.1", port=server.port, **kwargs)
    controller.start()
    return controller, server


@pytest.fixture
def plain() -> Iterator[Server]:
    controller, server = start()
    yield server
    controller.stop()


@pytest.fixture
def tls() -> Iterator[Server]:
    controller, server = start(tls=True)
    yield server
    controller.stop()


def test_messages_arrive_whole_over_smtp(engine: Engine, plain: Server, wall: Clock) -> None:
    ids = enqueued(engine, 1) + enqueued(engine, 1)
    sender = SmtpSender("127.0.0.1", plain.port, sender="Licensing <licensing@mtt.gov.rs>",
                        starttls=False, timeout=10)
    report = deliver(engine, sender, now=wall)
    assert report.sent == ids
    assert len(plain.mailbox.mails) == 2
    envelope, mail = plain.mailbox.mails[0]
    assert envelope.mail_from == "licensing@mtt.gov.rs"
    assert envelope.rcpt_tos == ["reviewer0@mod.gov.rs"]
    assert mail["Subject"].startswith("[armsgate] Consent requested: case RS-2025-0042")
    assert mail["Message-ID"].startswith(f"<outbox-{ids[0]}.")
    body = mail.get_content()
    assert "Југоимпорт СДПР ј.п." in body
    assert "Krušik a.d. Valjevo" in body
    with engine.connect() as conn:
        assert {r.status for r in outbox_messages(conn)} == {Status.SENT}


def test_refused_recipients_fail_or_wait_by_the_servers_code(engine: Engine, plain: Server,
                                                             wall: Clock) -> None:
    ok, gone, later = enqueued(engine, 3)
    sender = SmtpSender("127.0.0.1", plain.port, sender="licensing@mtt.gov.rs",
                        starttls=False, timeout=10)
    report = deliver(engine, sender, now=wall)
    assert (report.sent, report.failed, report.retry) == ([ok], [gone], [later])
    with engine.connect() as conn:
        stored = {r.id: r for r in outbox_messages(conn)}
    assert "550" in (stored[gone].last_error or "")
    assert stored[later].status is Status.PENDING


def test_starttls_with_a_verified_certificate_and_credentials_from_settings(
        engine: Engine, tls: Server, wall: Clock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert tls.ca is not None
    ca_file = tmp_path / "ca.pem"
    tls.ca.cert_pem.write_to_path(str(ca_file))
    for key, value in {"HOST": "127.0.0.1", "PORT": str(tls.port),
                       "FROM": "licensing@mtt.gov.rs", "USERNAME": "armsgate",
                       "PASSWORD": "s3cret", "CA_FILE": str(ca_file), "TIMEOUT": "10"}.items():
        monkeypatch.setenv(f"ARMSGATE_SMTP_{key}", value)
    sender = sender_from_settings(None, Settings())
    assert isinstance(sender, SmtpSender)
    [msg_id] = enqueued(engine, 1)
    assert deliver(engine, sender, now=wall).sent == [msg_id]
    assert tls.logins == [(b"armsgate", b"s3cret")]
    assert tls.mailbox.sessions[0].ssl is not None  # the mail went over TLS


def test_an_unverified_certificate_stops_the_run(engine: Engine, tls: Server,
                                                 wall: Clock) -> None:
    [msg_id] = enqueued(engine, 1)
    sender = SmtpSender("127.0.0.1", tls.port, sender="licensing@mtt.gov.rs", timeout=10,
                        ssl_context=ssl.create_default_context())  # does not know the test CA
    report = deliver(engine, sender, now=wall)
    assert report.stopped is not None
    assert "certificate" in report.stopped.lower()
    assert tls.mailbox.mails == []
    with engine.connect() as conn:
        [row] = outbox_messages(conn)
    assert (row.id, row.status, row.attempts) == (msg_id, Status.PENDING, 0)


def test_a_relay_that_cannot_be_reached_stops_the_run(engine: Engine, wall: Clock) -> None:
    enqueued(engine, 2)
    sender = SmtpSender("127.0.0.1", free_port(), sender="licensing@mtt.gov.rs",
                        starttls=False, timeout=5)
    report = deliver(engine, sender, now=wall)
    assert report.stopped is not None
    assert "cannot reach the relay" in report.stopped


def test_settings_refuse_unsafe_or_incomplete_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSGATE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("ARMSGATE_SMTP_USERNAME", "armsgate")
    with pytest.raises(ValueError, match="in clear"):
        Settings()
    monkeypatch.delenv("ARMSGATE_SMTP_USERNAME")
    monkeypatch.setenv("ARMSGATE_SMTP_PASSWORD", "x")
    with pytest.raises(ValueError, match="ARMSGATE_SMTP_USERNAME"):
        Settings()
    monkeypatch.delenv("ARMSGATE_SMTP_PASSWORD")
    monkeypatch.setenv("ARMSGATE_SMTP_FROM", "not an address")
    with pytest.raises(ValueError, match="e-mail address"):
        Settings()
    monkeypatch.delenv("ARMSGATE_SMTP_FROM")
    with pytest.raises(InputError) as err:
        sender_from_settings("smtp", Settings())
    assert err.value.field == "ARMSGATE_SMTP_HOST"
    with pytest.raises(InputError) as err:
        sender_from_settings("pigeon", Settings())
    assert err.value.field == "--sender"
