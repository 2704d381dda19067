"""The facts the policy engine judges with, and their view on one day.

`World` holds every register and dated fact as the store knows them now.
`DayView` indexes the facts in force on one day so that assessing many
applications on that day costs a few dictionary look-ups each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from armsgate.domain.model import (
    ConflictEntry,
    DestinationList,
    Embargo,
    GoodsItem,
    ListEntry,
    Party,
    Policy,
    PolicyVersion,
    Resolution,
    Resolve,
    ScreeningEntry,
    Suspension,
)
from armsgate.rules.findings import Finding
from armsgate.rules.names import MinimalNameMatcher, NameMatch, NameMatcher


class KitLoopError(ValueError):
    """A chain of `kit_of` references loops back on itself."""


def effective_categories(goods: Mapping[str, GoodsItem]) -> dict[str, str]:
    """The effective category of every item: its own, or for a kit that of the item it makes
    (followed through any number of kits; a chain that loops raises KitLoopError)."""
    result: dict[str, str] = {}
    for start in goods:
        path: list[str] = []
        on_path: set[str] = set()
        item_id = start
        while item_id not in result:
            if item_id in on_path:
                raise KitLoopError(" -> ".join([*path, item_id]))
            path.append(item_id)
            on_path.add(item_id)
            item = goods[item_id]
            if item.kit_of is None:
                result[item_id] = item.category
                break
            item_id = item.kit_of
        category = result[item_id]
        for member in path:
            result[member] = category
    return result


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A party's name or alias that matches a screening entry."""

    party: str
    entry: ScreeningEntry
    match: NameMatch


@dataclass(frozen=True)
class World:
    parties: Mapping[str, Party] = field(default_factory=dict)
    goods: Mapping[str, GoodsItem] = field(default_factory=dict)
    embargoes: tuple[Embargo, ...] = ()
    conflicts: tuple[ConflictEntry, ...] = ()
    lists: tuple[ListEntry, ...] = ()
    screening: tuple[ScreeningEntry, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    policies: tuple[PolicyVersion, ...] = ()
    # Screening results found by the service (party id -> hits); None: match `screening`
    # entries here, on the fly, with the view's matcher.
    hits: Mapping[str, tuple[ScreeningHit, ...]] | None = None

    @cached_property
    def categories(self) -> dict[str, str]:
        """Effective category of each goods item (raises KitLoopError on a loop)."""
        return effective_categories(self.goods)

    def policy_on(self, day: date) -> Policy:
        in_force = [p for p in self.policies if p.start is None or p.start <= day]
        if not in_force:
            return Policy()
        return max(in_force, key=lambda p: (p.start or date.min, p.seq)).policy

    def policy_at_start(self) -> Policy:
        """The policy in force from the start (the defaults unless a register set one)."""
        start = [p for p in self.policies if p.start is None]
        return max(start, key=lambda p: p.seq).policy if start else Policy()

    def boundaries(self) -> frozenset[date]:
        """Every day on which some dated fact starts or stops holding."""
        days: set[date] = set()
        for facts in (self.embargoes, self.conflicts, self.lists, self.screening, self.suspensions):
            for fact in facts:
                days.update(fact.period.boundaries())
        return frozenset(days)


ScreenFn = Callable[[Party], tuple[ScreeningHit, ...]]


class DayView:
    """The facts of a `World` in force on one day, indexed for assessment."""

    def __init__(
        self,
        world: World,
        day: date,
        matcher: NameMatcher | None = None,
        screening: Mapping[str, tuple[ScreeningHit, ...]] | None = None,
    ) -> None:
        self.world = world
        self.day = day
        self.policy = world.policy_on(day)
        bodies = tuple(b for b in self.policy.consents if b != "nsc")
        self.consent_bodies = bodies
        self.consent_findings = [Finding.of("consents", bodies=bodies)] if bodies else []
        self.categories = world.categories
        self.kit_items = frozenset(g.id for g in world.goods.values() if g.kit_of is not None)
        # Every collection is put in a fixed order here, once, so that an assessment never
        # depends on the order in which the store returned the facts.
        self.embargoes: dict[str, list[Embargo]] = defaultdict(list)
        for e in sorted(world.embargoes, key=lambda e: e.id):
            if e.period.holds_on(day):
                self.embargoes[e.country].append(e)
        self.at_war: dict[str, ConflictEntry] = {}  # the earliest entry in force per country
        for c in sorted(world.conflicts, key=lambda c: (c.period.start or date.min, c.seq)):
            if c.period.holds_on(day):
                self.at_war.setdefault(c.country, c)
        self.lists: dict[str, DestinationList] = {
            entry.country: entry.list
            for entry in sorted(world.lists, key=lambda e: e.seq)
            if entry.period.holds_on(day)
        }
        self.suspensions = tuple(s for s in sorted(world.suspensions, key=lambda s: (s.seq, s.id))
                                 if s.period.holds_on(day))
        self._orders_by_category: dict[str, list[Suspension]] = defaultdict(list)
        for s in self.suspensions:
            for category in s.categories or ():
                self._orders_by_category[category].append(s)
        self._orders_for: dict[frozenset[str], tuple[Suspension, ...]] = {}
        self._memo: dict[Hashable, list[Finding]] = {}
        self.allowed_at: dict[str, Resolution] = {}  # the latest `allow` per application
        self.denied: dict[str, Resolution] = {}  # the first `deny` per application
        for r in sorted(world.resolutions, key=lambda r: r.seq):
            if r.day > day:
                continue
            if r.decision is Resolve.ALLOW:
                self.allowed_at[r.application] = r
            else:
                self.denied.setdefault(r.application, r)
        self._entries = tuple(
            s for s in sorted(world.screening, key=lambda s: (s.seq, s.entry_id, s.name, s.list))
            if s.period.holds_on(day))
        self._matcher = matcher or MinimalNameMatcher()
        self._hits: dict[str, tuple[ScreeningHit, ...]] = dict(screening or {})

    def memo(self, key: Hashable, compute: Callable[[], list[Finding]]) -> list[Finding]:
        """Findings that depend on the view and `key` only, computed once per view."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute()
        return found

    def suspensions_for(self, categories: frozenset[str]) -> tuple[Suspension, ...]:
        """The orders in force whose categories meet these, in the view's fixed order."""
        found = self._orders_for.get(categories)
        if found is None:
            hits = {id(s) for c in categories for s in self._orders_by_category.get(c, ())}
            found = tuple(s for s in self.suspensions
                          if s.categories is None or id(s) in hits)
            self._orders_for[categories] = found
        return found

    def screen(self, party: Party) -> tuple[ScreeningHit, ...]:
        """The screening entries in force that a party's name or aliases match (cached)."""
        cached = self._hits.get(party.id)
        if cached is None:
            if self.world.hits is not None:
                cached = tuple(h for h in self.world.hits.get(party.id, ())
                               if h.entry.period.holds_on(self.day))
            else:
                cached = tuple(screen_party(party, self._entries, self._matcher))
            self._hits[party.id] = cached
        return cached


def screen_party(
    party: Party, entries: Iterable[ScreeningEntry], matcher: NameMatcher
) -> Iterable[ScreeningHit]:
    """SPEC.md: a name or alias matches the entry's name and, where it has one, its country."""
    for entry in entries:
        if entry.country is not None and entry.country != party.country:
            continue
        for name in party.names:
            match = matcher.compare(name, entry.name)
            if match is not None:
                yield ScreeningHit(party.id, entry, match)
                break
