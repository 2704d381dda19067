"""The notifications, composed as plain values: who gets what, about which case, and why.

Pure functions: no database, clock or network. Each takes what the caller knows about the
case (`CaseRef`), the addresses of those concerned and the `seq` of the event that caused
the message, and returns one `Message` per address. Every text says who writes, which case,
what happened, what to do and by when. The service is Serbian; the texts are in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from armsgate.errors import InputError
from armsgate.reference.labels import body_name
from armsgate.settings import DEFAULT_AUTHORITY


class Kind(StrEnum):
    CONSENT_REQUESTED = "consent_requested"
    CONSENT_OVERDUE = "consent_overdue"
    CASE_HELD = "case_held"
    LICENCE_SUSPENDED = "licence_suspended"
    LICENCE_REVOKED = "licence_revoked"


@dataclass(frozen=True, slots=True)
class CaseRef:
    """What a message says about a case (see `notify.facts.case_ref` to read it)."""

    application: str
    exporter: str  # names, not ids
    consignee: str
    end_user: str
    destinations: tuple[str, ...]  # "Poland (PL)"
    goods: tuple[str, ...]  # "10 x 122 mm rocket (ML4)"
    value: Decimal
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class Message:
    """One notification to one address, as it enters the outbox."""

    kind: Kind
    recipient: str
    subject: str
    body: str
    case_id: str | None = None
    licence_id: str | None = None
    seq: int | None = None  # the event that caused it


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
PREFIX = "[armsgate]"


def long_date(day: date) -> str:
    """`Friday 24 January 2025`, whatever the locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def money(value: Decimal, currency: str = "EUR") -> str:
    return f"{currency} {value:,.2f}"


def check_address(address: str, field: str) -> str:
    """One plain e-mail address (ASCII, no display name); InputError naming `field` if not."""
    if not _ADDRESS.fullmatch(address) or len(address) > 320:
        raise InputError(field, f"{address!r} is not one e-mail address (name@domain)")
    return address


def _recipients(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n, address in enumerate(addresses):
        seen.setdefault(check_address(address, f"recipients[{n}]"), None)
    return list(seen)


def _case_block(case: CaseRef) -> str:
    goods = "\n".join(f"  - {line}" for line in case.goods) or "  - (none recorded)"
    return (f"Case:        {case.application}\n"
            f"Exporter:    {case.exporter}\n"
            f"Consignee:   {case.consignee}\n"
            f"End user:    {case.end_user}\n"
            f"Destination: {', '.join(case.destinations) or '(none recorded)'}\n"
            f"Value:       {money(case.value, case.currency)}\n"
            f"Goods:\n{goods}")


def _reasons(reasons: Sequence[str]) -> str:
    return "\n".join(f"  - {r}" for r in reasons) if reasons else "  - (no reason recorded)"


def _footer(authority: str, seq: int | None) -> str:
    cause = f" (event {seq})" if seq is not None else ""
    return (f"\n\n--\nSent automatically by armsgate for the {authority}{cause}.\n"
            "Do not reply to this message; act in armsgate or contact the licensing officer.")


def _messages(kind: Kind, recipients: Iterable[str], subject: str, body: str, *,
              case: CaseRef, seq: int | None, licence: str | None = None) -> list[Message]:
    return [Message(kind, address, subject, body, case.application, licence, seq)
            for address in _recipients(recipients)]


def consent_requested(case: CaseRef, recipients: Iterable[str], *, body: str, deadline: date,
                      seq: int | None, authority: str = DEFAULT_AUTHORITY) -> list[Message]:
    """A consulted body is asked for its consent to a case, by a deadline."""
    name = body_name(body)
    subject = (f"{PREFIX} Consent requested: case {case.application} "
               f"({case.exporter}), due {deadline.isoformat()}")
    text = (f"To the {name},\n\n"
            f"The {authority} asks for the consent of the {name} to the export "
            f"licence application below.\n\n{_case_block(case)}\n\n"
            f"What to do: review the case and record the {name}'s opinion (consent, or "
            f"objection with its reasons) in armsgate by {long_date(deadline)}.\n"
            "The case cannot be decided until every required body has answered."
            + _footer(authority, seq))
    return _messages(Kind.CONSENT_REQUESTED, recipients, subject, text, case=case, seq=seq)


def consent_overdue(case: CaseRef, recipients: Iterable[str], *, body: str, deadline: date,
                    today: date, seq: int | None,
                    authority: str = DEFAULT_AUTHORITY) -> list[Message]:
    """A body's consent was due on `deadline` and has not been recorded by `today`."""
    if today <= deadline:
        raise InputError("today", f"{today.isoformat()} is not after the deadline "
                                  f"{deadline.isoformat()}")
    name = body_name(body)
    late = (today - deadline).days
    subject = (f"{PREFIX} Consent overdue: case {case.application}, "
               f"{name}, due {deadline.isoformat()}")
    text = (f"To the {name},\n\n"
            f"The opinion of the {name} on the case below was due on {long_date(deadline)} "
            f"and is {late} day{'s' if late != 1 else ''} overdue.\n\n{_case_block(case)}\n\n"
            "What to do: record the opinion in armsgate today, or tell the licensing "
            "officer when it will come and why it is late. The case stays undecided until "
            "then." + _footer(authority, seq))
    return _messages(Kind.CONSENT_OVERDUE, recipients, subject, text, case=case, seq=seq)


def case_held(case: CaseRef, recipients: Iterable[str], *, day: date, reasons: Sequence[str],
              seq: int | None, authority: str = DEFAULT_AUTHORITY) -> list[Message]:
    """A case is held (a suspension order or a hold finding covers it)."""
    subject = f"{PREFIX} Case {case.application} held from {day.isoformat()}"
    text = (f"The export licence application below is held from {long_date(day)}.\n\n"
            f"{_case_block(case)}\n\nWhy:\n{_reasons(reasons)}\n\n"
            "What this means: the case is not refused. It cannot be decided while it is "
            "held; it is judged again when what holds it ends (an order lifted or expired) "
            "or when the National Security Council adopts a special resolution on it.\n"
            "What to do: nothing for now. You will be told of the decision. Questions go to "
            "the licensing officer." + _footer(authority, seq))
    return _messages(Kind.CASE_HELD, recipients, subject, text, case=case, seq=seq)


def licence_suspended(case: CaseRef, recipients: Iterable[str], *, licence: str, day: date,
                      reasons: Sequence[str], seq: int | None,
                      authority: str = DEFAULT_AUTHORITY) -> list[Message]:
    """A live licence is suspended: no shipment may leave under it until it is restored."""
    subject = f"{PREFIX} Licence {licence} suspended from {day.isoformat()}: do not ship"
    text = (f"Export licence {licence} (case {case.application}) is suspended with effect "
            f"from {long_date(day)}.\n\n{_case_block(case)}\n\nWhy:\n{_reasons(reasons)}\n\n"
            "What to do: make no further shipment under this licence from that day, and "
            "stop any shipment that has not yet left the Republic of Serbia. Report to the "
            f"{authority} any shipment made under the licence on or after that day. The "
            "licence can be used again only once the authority tells you it is restored."
            + _footer(authority, seq))
    return _messages(Kind.LICENCE_SUSPENDED, recipients, subject, text, case=case, seq=seq,
                     licence=licence)


def licence_revoked(case: CaseRef, recipients: Iterable[str], *, licence: str, day: date,
                    reasons: Sequence[str], seq: int | None,
                    authority: str = DEFAULT_AUTHORITY) -> list[Message]:
    """A licence is revoked for good."""
    subject = f"{PREFIX} Licence {licence} revoked from {day.isoformat()}"
    text = (f"Export licence {licence} (case {case.application}) is revoked with effect "
            f"from {long_date(day)}.\n\n{_case_block(case)}\n\nWhy:\n{_reasons(reasons)}\n\n"
            "What to do: make no further shipment under this licence; goods not yet "
            "exported may not leave the Republic of Serbia under it. Return the original "
            f"licence document to the {authority} and report the shipments already made. "
            "An export of these goods needs a new application." + _footer(authority, seq))
    return _messages(Kind.LICENCE_REVOKED, recipients, subject, text, case=case, seq=seq,
                     licence=licence)
