"""How messages leave: a small `Sender` protocol, with SMTP and the log behind it."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Protocol

from armsgate.errors import InputError
from armsgate.notify.outbox import OutboxRow
from armsgate.settings import Settings

log = logging.getLogger("armsgate.notify")


class SendError(Exception):
    """A message could not be sent. `permanent`: trying again will not help (the relay
    refused the recipient or the message). `stop`: the relay itself is unusable (down,
    refusing our credentials), so the run stops instead of failing every message."""

    def __init__(self, message: str, *, permanent: bool = False, stop: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.stop = stop


class Sender(Protocol):
    def send(self, message: OutboxRow) -> None:
        """Send one message or raise SendError (any other exception counts as transient)."""

    def close(self) -> None:
        """Release what the sender holds (a connection); it may be used again after."""


def email_message(message: OutboxRow, sender: str) -> EmailMessage:
    """The e-mail of an outbox message. Its Message-ID depends only on the outbox row, so a
    message sent twice (at-least-once delivery) carries the same Message-ID both times."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "armsgate.invalid"
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at)
    stamp = message.created_at.strftime("%Y%m%d%H%M%S")
    mail["Message-ID"] = f"<outbox-{message.id}.{stamp}@{domain}>"
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    mail["X-Armsgate-Kind"] = message.kind
    if message.case_id:
        mail["X-Armsgate-Case"] = message.case_id
    if message.licence_id:
        mail["X-Armsgate-Licence"] = message.licence_id
    mail.set_content(message.body)
    return mail


class LogSender:
    """Writes each message to the log (logger `armsgate.notify`, level INFO)."""

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger

    def send(self, message: OutboxRow) -> None:
        self.logger.info("message %d (%s) to %s: %s\n%s", message.id, message.kind,
                         message.recipient, message.subject, message.body)

    def close(self) -> None:
        return None


class SmtpSender:
    """Sends through an SMTP relay (smtplib), one connection per delivery run.

    With `starttls` the connection is upgraded before anything else is said, and the
    relay's certificate is verified (against `ssl_context`, or the system's CAs).
    Credentials are only ever sent after STARTTLS."""

    def __init__(self, host: str, port: int = 587, *, sender: str, starttls: bool = True,
                 username: str | None = None, password: str | None = None,
                 ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0) -> None:
        if username is not None and not starttls:
            raise InputError("username", "credentials are only sent after STARTTLS")
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password = starttls, username, password
        self.ssl_context, self.timeout = ssl_context, timeout
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpSender:
        if not s.smtp_host:
            raise InputError("ARMSGATE_SMTP_HOST", "set the mail relay to send by SMTP "
                                                   "(or use --sender log)")
        context = None
        if s.smtp_ca_file is not None:
            try:
                context = ssl.create_default_context(cafile=str(s.smtp_ca_file))
            except (OSError, ssl.SSLError) as exc:
                raise InputError("ARMSGATE_SMTP_CA_FILE", str(exc)) from None
        password = None if s.smtp_password is None else s.smtp_password.get_secret_value()
        return cls(s.smtp_host, s.smtp_port, sender=s.smtp_from, starttls=s.smtp_starttls,
                   username=s.smtp_username, password=password, ssl_context=context,
                   timeout=s.smtp_timeout)

    def _connect(self) -> smtplib.SMTP:
        where = f"{self.host}:{self.port}"
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot reach the relay {where}: {exc}", stop=True) from exc
        try:
            if self.starttls:
                smtp.starttls(context=self.ssl_context or ssl.create_default_context())
            if self.username is not None:
                smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise SendError(f"the relay {where} refused the session: {exc}",
                            stop=True) from exc
        return smtp

    def send(self, message: OutboxRow) -> None:
        mail = email_message(message, self.sender)
        for fresh in (False, True):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                self._smtp.send_message(mail)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if fresh:
                    raise SendError(f"the relay closed the connection: {exc}") from exc
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                raise SendError(f"recipient refused: {exc.recipients}",
                                permanent=all(c >= 500 for c in codes)) from exc
            except smtplib.SMTPResponseException as exc:
                text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
                    exc.smtp_error, bytes) else str(exc.smtp_error)
                raise SendError(f"relay answered {exc.smtp_code} {text}",
                                permanent=exc.smtp_code >= 500) from exc
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise SendError(f"sending failed: {exc}") from exc

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def sender_from_settings(kind: str | None, s: Settings) -> Sender:
    """`smtp`, `log`, or None: SMTP when ARMSGATE_SMTP_HOST is set, else the log."""
    chosen = kind or ("smtp" if s.smtp_host else "log")
    if chosen == "smtp":
        return SmtpSender.from_settings(s)
    if chosen == "log":
        return LogSender()
    raise InputError("--sender", f"{kind!r} is not smtp or log")
