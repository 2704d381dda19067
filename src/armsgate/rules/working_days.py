"""Deadlines of the review workflow: working days and calendar days, as pure functions.

A working day is Monday to Friday, unless it is a public holiday of the calendar
(settings `ARMSGATE_PUBLIC_HOLIDAYS`). A consent requested on day D with N working
days is due on the N-th working day after D (D itself is not counted), and is
overdue from the day after. An appeal of a refusal may be lodged up to and
including `appeal_days` calendar days after the day of the refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

SATURDAY = 5


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The workflow's time limits (settings `consent_working_days`, `appeal_days`,
    `public_holidays`)."""

    consent_working_days: int = 15
    appeal_days: int = 30  # an assumption: check it against the national law
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.consent_working_days < 1:
            raise ValueError("consent_working_days must be at least 1")
        if self.appeal_days < 1:
            raise ValueError("appeal_days must be at least 1")

    @classmethod
    def of(cls, consent_working_days: int = 15, appeal_days: int = 30,
           holidays: Iterable[date] = ()) -> Deadlines:
        return cls(consent_working_days, appeal_days, frozenset(holidays))

    def consent_due(self, requested_on: date) -> date:
        """The last day on which a consent requested on `requested_on` is on time."""
        return add_working_days(requested_on, self.consent_working_days, self.holidays)

    def appeal_until(self, refused_on: date) -> date:
        """The last day on which a refusal of `refused_on` may be appealed."""
        return refused_on + timedelta(days=self.appeal_days)


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, n: int, holidays: frozenset[date] = frozenset()) -> date:
    """The n-th working day after `start` (n >= 1; `start` itself never counts)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    day = start
    left = n
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(after: date, through: date,
                         holidays: frozenset[date] = frozenset()) -> int:
    """The number of working days in (after, through]."""
    count = 0
    day = after
    while day < through:
        day += timedelta(days=1)
        count += is_working_day(day, holidays)
    return count
