"""The one clock of the system, injected wherever the day matters.

The service runs on `SystemClock`; the scenario runner and the tests on a
`SimulatedClock` that they move forward step by step. Nothing else in the code
reads the time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


class SimulatedClock:
    """A clock that shows the day it was last set to; it never goes backwards."""

    def __init__(self, day: date) -> None:
        self._day = day

    def set(self, day: date) -> None:
        if day < self._day:
            raise ValueError(f"the clock cannot go back from {self._day} to {day}")
        self._day = day

    def now(self) -> datetime:
        return datetime.combine(self._day, time(12, 0), tzinfo=UTC)

    def today(self) -> date:
        return self._day
