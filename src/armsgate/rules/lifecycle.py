"""The states of applications and licences, and how they move (SPEC.md), as pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from armsgate.domain.model import (
    PENDING_STATES,
    AppState,
    Decision,
    LicenceState,
    Opinion,
)
from armsgate.rules.engine import Assessment
from armsgate.rules.findings import Outcome

_BY_OUTCOME = {
    Outcome.REFUSE: AppState.REFUSED,
    Outcome.HOLD: AppState.HELD,
    Outcome.REVIEW: AppState.IN_REVIEW,
}


def application_state_after(state: AppState, assessment: Assessment
                            ) -> tuple[AppState, tuple[str, ...]]:
    """A pending application follows its assessment; refused and approved are final."""
    return state_for(state, assessment.outcome, assessment.reasons)


def state_for(state: AppState, outcome: Outcome, reasons: tuple[str, ...]
              ) -> tuple[AppState, tuple[str, ...]]:
    """`application_state_after` from the outcome and refusal reasons alone."""
    if state not in PENDING_STATES:
        return state, ()
    after = _BY_OUTCOME[outcome]
    return after, reasons if after is AppState.REFUSED else ()


def latest_opinions(opinions: Iterable[Opinion]) -> dict[str, Opinion]:
    """Each body's latest opinion (by the order in which they were recorded)."""
    latest: dict[str, Opinion] = {}
    for op in sorted(opinions, key=lambda o: o.seq):
        latest[op.body] = op
    return latest


def decision_on(state: AppState, latest: Mapping[str, Opinion], required: Iterable[str]
                ) -> tuple[AppState, tuple[str, ...]]:
    """The licensing decision: an objection refuses, all consents approve, else it waits."""
    if state is not AppState.IN_REVIEW:
        return state, ()
    objections = sorted(b for b, op in latest.items() if op.decision is Decision.OBJECT)
    if objections:
        return AppState.REFUSED, tuple(f"objection:{b}" for b in objections)
    if all(b in latest and latest[b].decision is Decision.CONSENT for b in required):
        return AppState.APPROVED, ()
    return state, ()


def missing_consents(latest: Mapping[str, Opinion], required: Iterable[str]) -> tuple[str, ...]:
    return tuple(b for b in required
                 if b not in latest or latest[b].decision is not Decision.CONSENT)


def expiry_day(issued_on: date, licence_days: int) -> date:
    """The first day on which a licence is expired."""
    return issued_on + timedelta(days=licence_days)


def licence_state_on(state: LicenceState, assessment: Assessment, *, denied: bool,
                     expires_on: date | None = None) -> LicenceState:
    """Expired wins over revoked; revoked on a prohibition or an NSC denial; else suspended
    while a suspension covers the application (as for a hold), else active."""
    return licence_state_for(state, assessment.outcome, assessment.day, denied=denied,
                             expires_on=expires_on)


def licence_state_for(state: LicenceState, outcome: Outcome, day: date, *, denied: bool,
                      expires_on: date | None = None) -> LicenceState:
    """`licence_state_on` from the application's outcome on `day` alone."""
    if state in (LicenceState.REVOKED, LicenceState.EXPIRED):
        return state
    if expires_on is not None and day >= expires_on:
        return LicenceState.EXPIRED
    if outcome is Outcome.REFUSE or denied:
        return LicenceState.REVOKED
    if outcome is Outcome.HOLD:
        return LicenceState.SUSPENDED
    return LicenceState.ACTIVE
