"""Working days and the workflow's deadlines (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armsgate.rules.working_days import (
    Deadlines,
    add_working_days,
    is_working_day,
    working_days_between,
)


def test_fifteen_working_days_skip_weekends() -> None:
    # Wednesday 1 January 2025: three weeks of working days later.
    assert add_working_days(date(2025, 1, 1), 15) == date(2025, 1, 22)
    # Friday: the next working day is Monday.
    assert add_working_days(date(2025, 1, 3), 1) == date(2025, 1, 6)
    # Saturday and Sunday count from Monday.
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 6)
    assert add_working_days(date(2025, 1, 5), 1) == date(2025, 1, 6)


def test_public_holidays_are_not_working_days() -> None:
    # Serbia: New Year 1-2 January, Orthodox Christmas 7 January 2025.
    holidays = frozenset({date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 7)})
    assert not is_working_day(date(2025, 1, 7), holidays)
    assert add_working_days(date(2024, 12, 31), 1, holidays) == date(2025, 1, 3)
    assert Deadlines.of(holidays=holidays).consent_due(date(2025, 1, 1)) == date(2025, 1, 24)


def test_appeal_deadline_is_in_calendar_days() -> None:
    assert Deadlines().appeal_until(date(2025, 1, 31)) == date(2025, 3, 2)
    assert Deadlines.of(appeal_days=8).appeal_until(date(2025, 1, 31)) == date(2025, 2, 8)


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="consent_working_days"):
        Deadlines.of(consent_working_days=0)
    with pytest.raises(ValueError, match="appeal_days"):
        Deadlines.of(appeal_days=0)
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2025, 1, 1), 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=1, max_value=60),
       st.sets(st.integers(min_value=0, max_value=90), max_size=10))
def test_the_deadline_is_the_nth_working_day(start: date, n: int, offsets: set[int]) -> None:
    holidays = frozenset(start + timedelta(days=k) for k in offsets)
    due = add_working_days(start, n, holidays)
    assert is_working_day(due, holidays)
    assert working_days_between(start, due, holidays) == n
    assert working_days_between(start, due - timedelta(days=1), holidays) == n - 1
