"""Seeded generators of worlds and applications, shared by the benchmarks.

Everything here is a pure function of a `random.Random(seed)`: the same seed gives the
same world and the same applications, so a figure in docs/performance.md can be
reproduced. Nothing touches a database; the benchmarks store or judge what is made here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from armsgate.domain.model import (
    CATEGORIES,
    Application,
    CertificateLine,
    ConflictEntry,
    DestinationList,
    Embargo,
    EmbargoTarget,
    EndUserCertificate,
    GoodsItem,
    GoodsLine,
    ListEntry,
    NscPolicy,
    Party,
    Period,
    Policy,
    PolicyVersion,
    Resolution,
    Resolve,
    Role,
    ScreeningEntry,
    Suspension,
)
from armsgate.reference.catalog import country_codes
from armsgate.rules.names import NameMatch
from armsgate.rules.world import ScreeningHit, World

HOME = "RS"  # the exporting country
COUNTRIES: tuple[str, ...] = tuple(sorted(country_codes()))  # 249 officially assigned codes
# Serbia exports mostly ammunition (ML3), rockets and mortar rounds (ML4) and small arms.
CATEGORY_WEIGHTS: dict[str, int] = {c: 2 for c in CATEGORIES} | {
    "ML1": 10, "ML2": 6, "ML3": 20, "ML4": 12, "ML5": 3, "ML6": 4, "ML10": 3, "ML11": 3}
SYLLABLES = ("ka", "ro", "mi", "sa", "del", "vor", "tan", "lu", "bra", "ne", "zo", "kri",
             "pe", "sto", "gar", "lin", "mo", "ve", "dar", "ul", "tek", "po", "len", "ost")
LEGAL_FORMS = ("a.d.", "d.o.o.", "Ltd", "LLC", "GmbH", "JSC", "SA", "", "")


@dataclass(frozen=True)
class WorldSize:
    countries: int = 250  # capped at the 249 officially assigned ISO 3166-1 codes
    embargoes: int = 50
    conflicts: int = 20
    suspensions: int = 10
    parties: int = 1000
    goods: int = 300
    kits: int = 60
    gray: int = 20
    black: int = 5
    screening: int = 25
    resolutions: int = 0  # special resolutions on applications APP-0..APP-(n-1)


@dataclass(frozen=True)
class Generated:
    """A world and the pools that applications draw their parties and goods from."""

    world: World
    day: date
    exporters: tuple[str, ...]
    end_users: tuple[str, ...]
    brokers: tuple[str, ...]  # consignees that are not the end user: brokers, assemblers
    intermediaries: tuple[str, ...]
    authorities: dict[str, str]  # country -> the competent authority's party id
    items: tuple[str, ...]
    route_countries: tuple[str, ...]
    prohibited: frozenset[str]  # countries under an embargo, at war or black-listed on `day`

    def without_prohibited(self) -> Generated:
        """The same world, but applications only name parties of unprohibited countries."""
        ok = {p.id for p in self.world.parties.values() if p.country not in self.prohibited}

        def keep(ids: Sequence[str]) -> tuple[str, ...]:
            return tuple(i for i in ids if i in ok)

        return Generated(self.world, self.day, self.exporters, keep(self.end_users),
                         keep(self.brokers), keep(self.intermediaries),
                         {c: p for c, p in self.authorities.items() if p in ok}, self.items,
                         self.route_countries, self.prohibited)


def company_name(rng: random.Random) -> str:
    words = [("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))).capitalize()
             for _ in range(rng.randint(2, 3))]
    form = rng.choice(LEGAL_FORMS)
    return " ".join([*words, form]) if form else " ".join(words)


def _parties(rng: random.Random, size: WorldSize, countries: Sequence[str]
             ) -> tuple[dict[str, Party], dict[str, list[str]]]:
    parties: dict[str, Party] = {}
    pools: dict[str, list[str]] = {"exporter": [], "end_user": [], "broker": [], "inter": []}
    for cc in countries:
        pid = f"MOD-{cc}"
        parties[pid] = Party(pid, f"Ministry of Defence {cc}", cc,
                             frozenset({Role.AUTHORITY, Role.END_USER, Role.CONSIGNEE}))
        pools["end_user"].append(pid)
    others = [c for c in countries if c != HOME]
    for n in range(max(0, size.parties - len(countries))):
        pid = f"P{n:05d}"
        kind = rng.choices(["exporter", "end_user", "broker", "inter"], [6, 50, 24, 20])[0]
        country = HOME if kind == "exporter" else rng.choice(others)
        roles = {
            "exporter": {Role.MANUFACTURER, Role.EXPORTER},
            "end_user": {Role.END_USER, Role.CONSIGNEE},
            "broker": {rng.choice([Role.BROKER, Role.ASSEMBLER]), Role.CONSIGNEE},
            "inter": {rng.choice([Role.BROKER, Role.CARRIER])},
        }[kind]
        aliases = (company_name(rng),) if rng.random() < 0.1 else ()
        parties[pid] = Party(pid, company_name(rng), country, frozenset(roles), aliases)
        pools[kind].append(pid)
    return parties, pools


def _goods(rng: random.Random, size: WorldSize) -> dict[str, GoodsItem]:
    cats, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    goods = {f"G{n:04d}": GoodsItem(f"G{n:04d}", rng.choices(cats, weights)[0], f"item {n}")
             for n in range(size.goods)}
    makes = list(goods)
    for n in range(size.kits):
        kid = f"K{n:04d}"
        goods[kid] = GoodsItem(kid, rng.choice(CATEGORIES), f"kit {n}", rng.choice(makes))
        if rng.random() < 0.2:  # a kit of a kit now and then
            makes.append(kid)
    return goods


def _period(rng: random.Random, day: date, ongoing: float) -> Period:
    """A period that started well before `day` and has no boundary within 30 days after."""
    start = day - timedelta(days=rng.randint(30, 4000))
    r = rng.random()
    if r < ongoing:
        return Period(start, None)
    if r < (1 + ongoing) / 2:
        return Period(start, day + timedelta(days=rng.randint(30, 2000)))
    return Period(start, start + timedelta(days=rng.randint(1, (day - start).days)))


def _categories(rng: random.Random, none_share: float) -> frozenset[str] | None:
    if rng.random() < none_share:
        return None
    return frozenset(rng.sample(CATEGORIES, rng.randint(1, 6)))


def make_world(rng: random.Random, size: WorldSize, day: date) -> Generated:
    """A world of registers and dated facts as they stand on `day` (seq numbers from 1)."""
    countries = list(COUNTRIES[:size.countries])
    if HOME not in countries:
        countries[-1] = HOME
    others = [c for c in countries if c != HOME]
    parties, pools = _parties(rng, size, countries)
    goods = _goods(rng, size)
    seq = iter(range(1, 1_000_000))
    embargoes = tuple(
        Embargo(f"E{n:03d}", cc, rng.choice(["UN", "EU", "OSCE", "national"]),
                _period(rng, day, 0.75), _categories(rng, 0.5),
                EmbargoTarget.NON_STATE_ACTORS if rng.random() < 0.1 else EmbargoTarget.GOVERNMENT,
                seq=next(seq))
        for n, cc in enumerate(rng.sample(others, min(size.embargoes, len(others)))))
    conflicts = tuple(ConflictEntry(cc, _period(rng, day, 0.8), "generated", next(seq))
                      for cc in rng.sample(others, min(size.conflicts, len(others))))
    listed = rng.sample(others, min(size.gray + size.black, len(others)))
    lists = tuple(ListEntry(cc, DestinationList.GRAY if n < size.gray else DestinationList.BLACK,
                            Period(), next(seq)) for n, cc in enumerate(listed))
    names = [p for p in parties.values() if not p.id.startswith("MOD-")]
    screening = tuple(
        ScreeningEntry(rng.choice(names).name if rng.random() < 0.5 else company_name(rng),
                       rng.choice(["UN", "EU", "OFAC"]),
                       None if rng.random() < 0.5 else rng.choice(others),
                       entry_id=f"S{n:03d}", seq=next(seq))
        for n in range(size.screening))
    suspensions = tuple(
        Suspension(f"SUSP-{n}", _period(rng, day, 0.6), _categories(rng, 0.2),
                   None if rng.random() < 0.6 else frozenset(rng.sample(others, 10)), next(seq))
        for n in range(size.suspensions))
    resolutions = tuple(
        Resolution(f"R-{n}", f"APP-{n}", Resolve.ALLOW if rng.random() < 0.9 else Resolve.DENY,
                   day - timedelta(days=rng.randint(0, 20)), next(seq) + rng.randint(-40, 40))
        for n in range(size.resolutions))
    policy = Policy(nsc=NscPolicy(value_over=Decimal(5_000_000)))
    world = World(parties=parties, goods=goods, embargoes=embargoes, conflicts=conflicts,
                  lists=lists, screening=screening, suspensions=suspensions,
                  resolutions=resolutions, policies=(PolicyVersion(None, policy, 0),))
    prohibited = ({e.country for e in embargoes if e.period.holds_on(day)}
                  | {c.country for c in conflicts if c.period.holds_on(day)}
                  | {e.country for e in lists if e.list is DestinationList.BLACK})
    return Generated(world, day, tuple(pools["exporter"]), tuple(pools["end_user"]),
                     tuple(pools["broker"]), tuple(pools["inter"]),
                     {c: f"MOD-{c}" for c in countries}, tuple(goods), tuple(others),
                     frozenset(prohibited))


def screening_hits(rng: random.Random, g: Generated, share: float = 0.01
                   ) -> dict[str, tuple[ScreeningHit, ...]]:
    """Precomputed screening results: no hit for most parties, one for about `share`."""
    entries = g.world.screening
    hits: dict[str, tuple[ScreeningHit, ...]] = {}
    for party in g.world.parties.values():
        if entries and rng.random() < share:
            entry = rng.choice(entries)
            match = NameMatch(party.name, entry.name, 0.9, "latin", "generated")
            hits[party.id] = (ScreeningHit(party.id, entry, match),)
        else:
            hits[party.id] = ()
    return hits


def make_application(rng: random.Random, g: Generated, app_id: str, submitted_on: date,
                     seq: int, max_lines: int = 5) -> Application:
    """One application of 1..max_lines lines, with a certificate most of the time."""
    parties = g.world.parties
    end_user = rng.choice(g.end_users)
    consignee = end_user if rng.random() < 0.7 or not g.brokers else rng.choice(g.brokers)
    intermediates: tuple[str, ...] = ()
    if rng.random() < 0.2 and g.intermediaries:
        intermediates = tuple(rng.sample(g.intermediaries, rng.randint(1, 2)))
    route = tuple(rng.sample(g.route_countries, rng.randint(1, 2))) if rng.random() < 0.3 else ()
    lines = tuple(GoodsLine(rng.choice(g.items), rng.randint(1, 5000),
                            Decimal(rng.randint(10_000, 200_000_000)) / 100)
                  for _ in range(rng.randint(1, max_lines)))
    euc = None
    if rng.random() < 0.9:
        country = parties[end_user].country
        issuer = g.authorities.get(country, end_user)
        if rng.random() < 0.05:
            issuer = rng.choice(list(g.authorities.values()))
        issued = submitted_on - timedelta(days=rng.randint(5, 200))
        covered = [CertificateLine(line.item, line.quantity) for line in lines]
        if rng.random() < 0.05:
            covered = covered[1:]
        euc = EndUserCertificate(
            f"EUC-{app_id}", issuer, issued, issued + timedelta(days=rng.randint(150, 730)),
            end_user if rng.random() < 0.97 else consignee, rng.random() < 0.93, tuple(covered))
    cited = (f"APP-{rng.randint(0, 999)}",) if rng.random() < 0.02 else ()
    return Application(app_id, rng.choice(g.exporters), consignee, end_user, lines,
                       intermediates, route, "generated", euc, submitted_on, seq, cited)


def destinations(app: Application, parties: Mapping[str, Party]) -> set[str]:
    """The application's destinations: the countries of consignee, end user, intermediates."""
    return {parties[p].country for p in (app.consignee, app.end_user, *app.intermediates)}
