"""Composing notifications: pure functions, one message per address, texts that say what to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from armsgate.errors import InputError
from armsgate.notify import (
    CaseRef,
    Kind,
    Message,
    OutboxRow,
    Status,
    case_held,
    check_address,
    consent_overdue,
    consent_requested,
    email_message,
    licence_revoked,
    licence_suspended,
)
from armsgate.notify.messages import long_date, money

CASE = CaseRef(application="RS-2025-0042", exporter="Krušik a.d. Valjevo",
               consignee="Југоимпорт СДПР ј.п.", end_user="Armament Agency of Poland",
               destinations=("Poland (PL)",), goods=("10 x 122 mm rocket (ML4)",),
               value=Decimal("1250000.50"))
DUE = date(2025, 1, 24)


def test_consent_requested_says_who_what_and_by_when() -> None:
    messages = consent_requested(CASE, ["mod@mod.gov.rs", "duty@mod.gov.rs", "mod@mod.gov.rs"],
                                 body="defence", deadline=DUE, seq=7)
    assert [m.recipient for m in messages] == ["mod@mod.gov.rs", "duty@mod.gov.rs"]
    m = messages[0]
    assert (m.kind, m.case_id, m.licence_id, m.seq) == (Kind.CONSENT_REQUESTED, CASE.application,
                                                        None, 7)
    assert "\n" not in m.subject
    assert "RS-2025-0042" in m.subject
    assert "2025-01-24" in m.subject
    for needle in ("To the Ministry of Defence", "Krušik a.d. Valjevo", "Југоимпорт СДПР ј.п.",
                   "Poland (PL)", "10 x 122 mm rocket (ML4)", "EUR 1,250,000.50",
                   "What to do:", "by Friday 24 January 2025",
                   "Ministry of Internal and Foreign Trade of the Republic of Serbia", "event 7"):
        assert needle in m.body, needle


def test_consent_overdue_counts_the_days_late() -> None:
    [m] = consent_overdue(CASE, ["mfa@mfa.gov.rs"], body="foreign_affairs", deadline=DUE,
                          today=date(2025, 1, 27), seq=9, authority="Test Authority")
    assert m.kind is Kind.CONSENT_OVERDUE
    assert "Ministry of Foreign Affairs" in m.subject
    assert "3 days overdue" in m.body
    assert "Test Authority" in m.body
    [one] = consent_overdue(CASE, ["mfa@mfa.gov.rs"], body="foreign_affairs", deadline=DUE,
                            today=date(2025, 1, 25), seq=9)
    assert "1 day overdue" in one.body


def test_an_overdue_consent_is_after_its_deadline() -> None:
    with pytest.raises(InputError) as err:
        consent_overdue(CASE, ["mfa@mfa.gov.rs"], body="foreign_affairs", deadline=DUE,
                        today=DUE, seq=9)
    assert err.value.field == "today"


@pytest.mark.parametrize(("compose", "kind", "needle"), [
    (lambda: case_held(CASE, ["x@krusik.rs"], day=DUE, reasons=["order S-1 (ML4 to PL)"],
                       seq=3), Kind.CASE_HELD, "not refused"),
    (lambda: licence_suspended(CASE, ["x@krusik.rs"], licence="L-1", day=DUE,
                               reasons=["order S-1 (ML4 to PL)"], seq=3),
     Kind.LICENCE_SUSPENDED, "make no further shipment"),
    (lambda: licence_revoked(CASE, ["x@krusik.rs"], licence="L-1", day=DUE,
                             reasons=["NSC resolution R-9"], seq=3),
     Kind.LICENCE_REVOKED, "Return the original licence document"),
])
def test_holds_suspensions_and_revocations_give_reasons_and_the_day(
        compose: Callable[[], list[Message]], kind: Kind, needle: str) -> None:
    [m] = compose()
    assert m.kind is kind
    assert needle in m.body
    assert "Why:\n  - " in m.body
    assert "Friday 24 January 2025" in m.body
    assert "2025-01-24" in m.subject
    if kind is not Kind.CASE_HELD:
        assert m.licence_id == "L-1"
        assert "L-1" in m.subject


@pytest.mark.parametrize("bad", ["", "nobody", "a@b@c", "Name <a@b.rs>", "a@b.rs\r\nBcc: x@y",
                                 "a @b.rs", "ђорђе@b.rs", "a@-b.rs", "a,b@c.rs"])
def test_bad_addresses_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InputError) as err:
        consent_requested(CASE, ["ok@mod.gov.rs", bad], body="defence", deadline=DUE, seq=1)
    assert err.value.field == "recipients[1]"


@pytest.mark.parametrize("good", ["a@b", "first.last+tag@mod.gov.rs", "o'brien@x-y.example"])
def test_plain_addresses_are_accepted(good: str) -> None:
    assert check_address(good, "to") == good


def test_dates_and_money_do_not_depend_on_the_locale() -> None:
    assert long_date(date(2025, 6, 23)) == "Monday 23 June 2025"
    assert money(Decimal("1234.5")) == "EUR 1,234.50"


def test_the_email_of_an_outbox_row() -> None:
    [m] = consent_requested(CASE, ["mod@mod.gov.rs"], body="defence", deadline=DUE, seq=7)
    row = OutboxRow(41, datetime(2025, 1, 2, 9, 30, tzinfo=UTC), m.kind.value, m.recipient,
                    m.subject, m.body, m.case_id, None, 7, Status.SENDING, 1, None, None, None)
    mail = email_message(row, "Licensing <licensing@mtt.gov.rs>")
    assert mail["To"] == "mod@mod.gov.rs"
    assert mail["From"] == "Licensing <licensing@mtt.gov.rs>"
    assert mail["Message-ID"] == "<outbox-41.20250102093000@mtt.gov.rs>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-Armsgate-Case"] == "RS-2025-0042"
    assert "Југоимпорт" in mail.get_content()
    assert email_message(row, "licensing@mtt.gov.rs")["Message-ID"] == mail["Message-ID"]
