"""States of applications and licences (SPEC.md "States"), as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from armsgate.domain.model import AppState, Decision, LicenceState, Opinion
from armsgate.rules.findings import Outcome
from armsgate.rules.lifecycle import (
    application_state_after,
    decision_on,
    expiry_day,
    latest_opinions,
    licence_state_on,
    missing_consents,
)
from tests.rules.builders import assessment, day, opinion

CONSENT, OBJECT = Decision.CONSENT, Decision.OBJECT
REQUIRED = ("defence", "foreign_affairs")

# --- application_state_after -------------------------------------------------------------


@pytest.mark.parametrize("state", [AppState.IN_REVIEW, AppState.HELD])
@pytest.mark.parametrize(("outcome", "after"), [
    (Outcome.REVIEW, AppState.IN_REVIEW),
    (Outcome.HOLD, AppState.HELD),
    (Outcome.REFUSE, AppState.REFUSED),
])
def test_a_pending_application_follows_its_assessment(state: AppState, outcome: Outcome,
                                                      after: AppState) -> None:
    reasons = ("embargo",) if outcome is Outcome.REFUSE else ()
    assert application_state_after(state, assessment(outcome, reasons)) == (after, reasons)


def test_refusal_records_every_prohibition_code() -> None:
    refused = assessment(Outcome.REFUSE, ("at-war", "embargo"))
    assert application_state_after(AppState.HELD, refused) == (
        AppState.REFUSED, ("at-war", "embargo"))


@pytest.mark.parametrize("state", [AppState.REFUSED, AppState.APPROVED])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_refused_and_approved_are_final(state: AppState, outcome: Outcome) -> None:
    reasons = ("embargo",) if outcome is Outcome.REFUSE else ()
    assert application_state_after(state, assessment(outcome, reasons)) == (state, ())


# --- decision_on -------------------------------------------------------------------------


def _decide(*opinions: Opinion, required: tuple[str, ...] = REQUIRED,
            state: AppState = AppState.IN_REVIEW) -> tuple[AppState, tuple[str, ...]]:
    return decision_on(state, latest_opinions(opinions), required)


def test_all_required_consents_approve() -> None:
    assert _decide(opinion("defence", CONSENT, 1), opinion("foreign_affairs", CONSENT, 2)) == (
        AppState.APPROVED, ())


def test_no_required_consents_approves() -> None:
    assert _decide(required=()) == (AppState.APPROVED, ())


def test_an_objection_refuses_with_objection_body() -> None:
    got = _decide(opinion("defence", CONSENT, 1), opinion("foreign_affairs", OBJECT, 2))
    assert got == (AppState.REFUSED, ("objection:foreign_affairs",))


def test_an_objection_by_a_body_that_is_not_required_refuses() -> None:
    got = _decide(opinion("defence", CONSENT, 1), opinion("foreign_affairs", CONSENT, 2),
                  opinion("interior", OBJECT, 3))
    assert got == (AppState.REFUSED, ("objection:interior",))


def test_every_objecting_body_is_a_reason_sorted() -> None:
    got = _decide(opinion("nsc", OBJECT, 1), opinion("defence", OBJECT, 2))
    assert got == (AppState.REFUSED, ("objection:defence", "objection:nsc"))


def test_a_consent_after_an_objection_counts() -> None:
    # given out of order: the latest by seq counts, not the last in the list
    got = _decide(opinion("defence", CONSENT, 5), opinion("defence", OBJECT, 1),
                  opinion("foreign_affairs", CONSENT, 2))
    assert got == (AppState.APPROVED, ())


def test_an_objection_after_a_consent_counts() -> None:
    got = _decide(opinion("defence", OBJECT, 5), opinion("defence", CONSENT, 1),
                  opinion("foreign_affairs", CONSENT, 2))
    assert got == (AppState.REFUSED, ("objection:defence",))


@pytest.mark.parametrize("required", [REQUIRED, (*REQUIRED, "nsc")])
def test_missing_consents_wait(required: tuple[str, ...]) -> None:
    latest = latest_opinions([opinion("defence", CONSENT, 1)])
    assert decision_on(AppState.IN_REVIEW, latest, required) == (AppState.IN_REVIEW, ())
    assert missing_consents(latest, required) == required[1:]


@pytest.mark.parametrize("state", [AppState.HELD, AppState.REFUSED, AppState.APPROVED])
def test_decide_on_another_state_changes_nothing(state: AppState) -> None:
    assert _decide(opinion("defence", OBJECT, 1), state=state) == (state, ())
    assert _decide(opinion("defence", CONSENT, 1), opinion("foreign_affairs", CONSENT, 2),
                   state=state) == (state, ())


# --- licence_state_on --------------------------------------------------------------------

LIVE = [LicenceState.ACTIVE, LicenceState.SUSPENDED]
EXPIRES = day(10)


@pytest.mark.parametrize("state", LIVE)
@pytest.mark.parametrize(("outcome", "denied", "after"), [
    (Outcome.REVIEW, False, LicenceState.ACTIVE),
    (Outcome.HOLD, False, LicenceState.SUSPENDED),
    (Outcome.REFUSE, False, LicenceState.REVOKED),
    (Outcome.REVIEW, True, LicenceState.REVOKED),  # a special resolution `deny`
    (Outcome.HOLD, True, LicenceState.REVOKED),
])
def test_a_live_licence_follows_its_assessment(state: LicenceState, outcome: Outcome,
                                               denied: bool, after: LicenceState) -> None:
    got = licence_state_on(state, assessment(outcome), denied=denied, expires_on=EXPIRES)
    assert got is after


@pytest.mark.parametrize("state", LIVE)
@pytest.mark.parametrize(("on", "expired"), [(9, False), (10, True), (11, True)])
def test_a_licence_expires_on_its_expiry_day(state: LicenceState, on: int,
                                            expired: bool) -> None:
    got = licence_state_on(state, assessment(Outcome.REVIEW, on=day(on)), denied=False,
                           expires_on=EXPIRES)
    assert (got is LicenceState.EXPIRED) is expired


@pytest.mark.parametrize(("outcome", "denied"), [(Outcome.REFUSE, False), (Outcome.REVIEW, True)])
def test_expiry_wins_over_revocation_on_the_same_day(outcome: Outcome, denied: bool) -> None:
    got = licence_state_on(LicenceState.ACTIVE, assessment(outcome, on=EXPIRES), denied=denied,
                           expires_on=EXPIRES)
    assert got is LicenceState.EXPIRED


@pytest.mark.parametrize("state", [LicenceState.REVOKED, LicenceState.EXPIRED])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_revoked_and_expired_are_final(state: LicenceState, outcome: Outcome) -> None:
    for on in (day(0), day(20)):  # before and after expiry
        got = licence_state_on(state, assessment(outcome, on=on), denied=False,
                               expires_on=EXPIRES)
        assert got is state


def test_without_an_expiry_day_a_licence_does_not_expire() -> None:
    got = licence_state_on(LicenceState.ACTIVE, assessment(Outcome.REVIEW, on=date(2999, 1, 1)),
                           denied=False)
    assert got is LicenceState.ACTIVE


# --- expiry_day --------------------------------------------------------------------------


@pytest.mark.parametrize(("issued", "days", "expires"), [
    (date(2025, 6, 24), 365, date(2026, 6, 24)),
    (date(2024, 1, 1), 365, date(2024, 12, 31)),  # a leap year
    (date(2025, 12, 31), 1, date(2026, 1, 1)),
])
def test_expiry_day_is_the_first_expired_day(issued: date, days: int, expires: date) -> None:
    assert expiry_day(issued, days) == expires
    on_issue = assessment(Outcome.REVIEW, on=issued)
    assert licence_state_on(LicenceState.ACTIVE, on_issue, denied=False,
                            expires_on=expiry_day(issued, days)) is LicenceState.ACTIVE
