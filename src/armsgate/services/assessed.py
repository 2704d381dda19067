"""Assessments kept by the process between requests.

`assess` is pure: an application's assessment depends on the application, the world and
the day, nothing else. The service keeps the world of the store's current world version
(one `World` object until a change of the world) and the applications it loaded (one
`Application` object each until an amendment, `ApplicationCache`). So an assessment made
for the same application object, under the same world object, on the same day, is the
one that judging again would give, and a page that shows many cases (the council's
agenda, the work queue filtered by a flag) judges only the cases that are new to it since
the last change of the world or day: after an opinion, a submission or a question, one
case at most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from armsgate.domain.model import Application
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.names import NameMatcher
from armsgate.rules.world import DayView, World
from armsgate.services.heap import BULK, settle

__all__ = ["Assessed"]

T = TypeVar("T")


class _Entry(NamedTuple):
    app: Application
    assessment: Assessment
    derived: dict[str, Any]  # what pages derive from the two (`Assessed.derived`)


class _Kept(NamedTuple):
    world: World
    day: date
    view: DayView
    found: dict[str, _Entry]


class Assessed:
    """The assessments of one world and day, by application id (each with the application
    object judged); all forgotten when the world or the day moves, or past `limit`."""

    def __init__(self, matcher: NameMatcher, limit: int = 200_000) -> None:
        self._matcher = matcher
        self._limit = limit
        self._kept: _Kept | None = None

    def view(self, world: World, day: date) -> DayView:
        """The view of `world` on `day` that the kept assessments were made with."""
        return self._current(world, day).view

    def of(self, apps: Mapping[str, Application], world: World, day: date
           ) -> dict[str, Assessment]:
        """The assessment of each application of `apps` in `world` on `day`."""
        kept = self._current(world, day)  # this call reads and writes this one only, so a
        found, view = kept.found, kept.view  # thread that meets a newer world never mixes
        out: dict[str, Assessment] = {}
        made = 0
        for app_id, app in apps.items():
            entry = found.get(app_id)
            if entry is None or entry.app is not app:
                if len(found) >= self._limit:
                    found.clear()
                entry = found[app_id] = _Entry(app, assess(app, view), {})
                made += 1
            out[app_id] = entry.assessment
        if made >= BULK:
            settle()
        return out

    def renew(self, world: World, day: date) -> None:
        """Judge again, in `world` on `day`, the applications judged in another world or on
        another day: called by the process that changed the world, after the commit, so
        that the pages it serves next find their cases judged (another process of a server
        does it in its scheduled job, `Authority.refresh`)."""
        kept = self._kept
        if kept is None or not kept.found or (kept.world is world and kept.day == day):
            return
        self.of({app_id: entry.app for app_id, entry in kept.found.items()}, world, day)

    def derived(self, app_id: str, assessment: Assessment, name: str,
                make: Callable[[], T]) -> T:
        """`make()`, kept with the application's assessment while it is `assessment`: what a
        page derives from an application and its assessment alone (the agenda's summary)."""
        kept = self._kept
        entry = None if kept is None else kept.found.get(app_id)
        if entry is None or entry.assessment is not assessment:
            return make()
        if name not in entry.derived:
            entry.derived[name] = make()
        value: T = entry.derived[name]
        return value

    def _current(self, world: World, day: date) -> _Kept:
        kept = self._kept
        if kept is None or kept.world is not world or kept.day != day:
            kept = self._kept = _Kept(world, day, DayView(world, day, self._matcher), {})
        return kept
