"""Notifications: an outbox written with the change, delivered afterwards by a sender.

    messages = consent_requested(case_ref(u.conn, app_id), emails, body="defence",
                                 deadline=due, seq=u.seq)
    enqueue(u.conn, messages, at=u.now)          # inside the command's transaction
    ...
    deliver(engine, SmtpSender.from_settings(settings))   # later: the scheduled job

`messages` composes (pure), `outbox` stores and claims, `senders` sends (SMTP or the log),
`deliver` runs the claim -> send -> record loop. Recipients are addresses: whoever calls
resolves roles, bodies and parties to their users' e-mail addresses.
"""

from armsgate.notify.deliver import DeliveryReport, deliver, retry_delay
from armsgate.notify.facts import case_ref
from armsgate.notify.messages import (
    CaseRef,
    Kind,
    Message,
    case_held,
    check_address,
    consent_overdue,
    consent_requested,
    licence_revoked,
    licence_suspended,
)
from armsgate.notify.outbox import OutboxRow, Status, counts, enqueue, outbox_messages
from armsgate.notify.senders import (
    LogSender,
    Sender,
    SendError,
    SmtpSender,
    email_message,
    sender_from_settings,
)

__all__ = [
    "CaseRef",
    "DeliveryReport",
    "Kind",
    "LogSender",
    "Message",
    "OutboxRow",
    "SendError",
    "Sender",
    "SmtpSender",
    "Status",
    "case_held",
    "case_ref",
    "check_address",
    "consent_overdue",
    "consent_requested",
    "counts",
    "deliver",
    "email_message",
    "enqueue",
    "licence_revoked",
    "licence_suspended",
    "outbox_messages",
    "retry_delay",
    "sender_from_settings",
]
