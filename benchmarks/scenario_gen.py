"""A seeded generator of large, valid scenario files (SPEC.md, version 1.2).

`generate(seed, applications, steps)` returns the scenario as a mapping ready to be
written as YAML (JSON is YAML 1.2), with dates non-decreasing over a year, ids unique
and every reference naming something that exists by then. `expect` steps are written
with every key (state, outcome, reasons, flags, consents) left to be filled in: the
benchmark fills them from a first run. Alongside, `Oracle` predicts from SPEC.md alone,
without armsgate, when an application must be refused (embargo, at-war, black-list).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from armsgate.domain.model import CATEGORIES
from benchmarks.generate import COUNTRIES, HOME, company_name

START = date(2025, 1, 1)
DAYS = 365
BODIES = ("defence", "foreign_affairs", "nsc")
WORLD_KINDS = {"suspend": 15, "lift": 11, "embargo": 10, "conflict": 9, "peace": 8,
               "list": 14, "resolve": 15, "policy": 6, "sanction": 8}  # shares, in percent
OTHER_KINDS = {"consent": 46, "decide": 25, "expect": 29}


@dataclass
class Oracle:
    """The prohibitions of SPEC.md, tracked step by step: what must refuse, and why."""

    category: dict[str, str]  # effective category of each goods item
    country: dict[str, str]  # country of each party
    embargoes: list[tuple[str, date, date | None, frozenset[str] | None]] = field(
        default_factory=list)
    conflicts: list[list[Any]] = field(default_factory=list)  # [country, from, to]
    lists: dict[str, list[tuple[date | None, str]]] = field(default_factory=dict)

    def reasons(self, dests: set[str], cats: set[str], day: date) -> set[str]:
        found = set()
        for country, start, end, covered in self.embargoes:
            if (country in dests and start <= day and (end is None or day < end)
                    and (covered is None or cats & covered)):
                found.add("embargo")
        if any(c in dests and s <= day and (e is None or day < e) for c, s, e in self.conflicts):
            found.add("at-war")
        for country in dests:
            moves = [m for m in self.lists.get(country, []) if m[0] is None or m[0] <= day]
            if moves and moves[-1][1] == "black":
                found.add("black-list")
        return found


def _world(rng: random.Random, oracle: Oracle) -> tuple[dict[str, Any], dict[str, list[str]]]:
    others = [c for c in COUNTRIES if c != HOME]
    countries = rng.sample(others, 40)
    parties: list[dict[str, Any]] = []
    pools: dict[str, list[str]] = {"exporter": [], "end_user": [], "broker": [], "countries":
                                   countries}
    for cc in countries:
        parties.append({"id": f"MOD-{cc}", "name": f"Ministry of Defence {cc}", "country": cc,
                        "roles": ["authority", "end_user", "consignee"]})
        pools["end_user"].append(f"MOD-{cc}")
    for n in range(80):
        kind = ["exporter", "end_user", "end_user", "broker"][n % 4]
        country = HOME if kind == "exporter" else rng.choice(countries)
        roles = {"exporter": ["manufacturer", "exporter"], "end_user": ["end_user", "consignee"],
                 "broker": [rng.choice(["broker", "assembler"]), "consignee"]}[kind]
        parties.append({"id": f"P{n:03d}", "name": company_name(rng), "country": country,
                        "roles": roles})
        pools[kind].append(f"P{n:03d}")
    goods: list[dict[str, Any]] = [{"id": f"G{n:02d}", "category": rng.choice(CATEGORIES[:12])}
                                   for n in range(32)]
    goods += [{"id": f"K{n}", "category": "ML16", "kit_of": f"G{n:02d}"} for n in range(8)]
    oracle.category.update({g["id"]: g["category"] for g in goods[:32]})
    oracle.category.update({f"K{n}": oracle.category[f"G{n:02d}"] for n in range(8)})
    oracle.country.update({p["id"]: p["country"] for p in parties})
    listed = rng.sample(countries, 9)
    lists = {"white": listed[:4], "gray": listed[4:7], "black": listed[7:]}
    for name, ccs in lists.items():
        for cc in ccs:
            oracle.lists[cc] = [(None, name)]
    embargoes = []
    for n, cc in enumerate(rng.sample(countries, 4)):
        cats = sorted(rng.sample(CATEGORIES[:12], 3)) if n % 2 else None
        start = START - timedelta(days=rng.randint(100, 900))
        embargoes.append({"id": f"WE-{n}", "country": cc, "by": "UN", "from": start.isoformat(),
                          **({"categories": cats} if cats else {})})
        oracle.embargoes.append((cc, start, None, None if cats is None else frozenset(cats)))
    conflicts = []
    for cc in rng.sample(countries, 3):
        start = START - timedelta(days=rng.randint(30, 400))
        conflicts.append({"country": cc, "from": start.isoformat(), "source": "generated"})
        oracle.conflicts.append([cc, start, None])
    screening = [{"name": rng.choice(parties[40:])["name"] if n % 3 == 0 else company_name(rng),
                  "list": "UN"} for n in range(10)]
    world = {"parties": parties, "goods": goods, "lists": lists, "embargoes": embargoes,
             "conflicts": conflicts, "screening": screening}
    return world, pools


class _Steps:
    def __init__(self, rng: random.Random, pools: dict[str, list[str]], oracle: Oracle,
                 world: dict[str, Any]) -> None:
        self.rng, self.pools, self.oracle = rng, pools, oracle
        self.items = [g["id"] for g in world["goods"]]
        self.parties = {p["id"]: p for p in world["parties"]}
        self.apps: list[str] = []
        self.open_orders: list[str] = []
        self.counter: Counter[str] = Counter()
        # expect step number -> application, prohibitions on its submission day and on the day
        self.expected: dict[int, tuple[str, set[str], set[str]]] = {}
        self.submits: dict[str, tuple[set[str], set[str], set[str]]] = {}  # dests, cats, reasons

    def _id(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}-{self.counter[prefix]}"

    def _recent_app(self) -> str:
        return self.apps[max(0, len(self.apps) - 1 - int(self.rng.expovariate(1 / 40)))]

    def make(self, kind: str, day: date, number: int) -> dict[str, Any]:
        rng, later = self.rng, (day + timedelta(days=self.rng.randint(10, 120))).isoformat()
        countries = self.pools["countries"]
        if kind == "submit":
            return {"submit": self._submit(day)}
        if kind == "suspend":
            oid = self._id("S")
            self.open_orders.append(oid)
            scope: dict[str, Any] = {"categories": sorted(rng.sample(CATEGORIES[:12], 2))}
            if rng.random() < 0.5:
                scope["destinations"] = sorted(rng.sample(countries, 5))
            return {"suspend": {"id": oid, "scope": scope,
                                **({"until": later} if rng.random() < 0.3 else {})}}
        if kind == "lift":
            oid = self.open_orders.pop(rng.randrange(len(self.open_orders)))
            return {"lift": {"id": oid}}
        if kind == "embargo":
            cc, cats = rng.choice(countries), sorted(rng.sample(CATEGORIES[:12], 2))
            to = later if rng.random() < 0.5 else None
            self.oracle.embargoes.append((cc, day, None if to is None else date.fromisoformat(to),
                                          frozenset(cats)))
            return {"embargo": {"id": self._id("E"), "country": cc, "by": "EU",
                                "categories": cats, **({"to": to} if to else {})}}
        if kind == "conflict":
            cc, to = rng.choice(countries), later if rng.random() < 0.3 else None
            self.oracle.conflicts.append([cc, day, None if to is None else date.fromisoformat(to)])
            return {"conflict": {"country": cc, "source": "generated",
                                 **({"to": to} if to else {})}}
        if kind == "peace":
            at_war = [c for c, s, e in self.oracle.conflicts if s <= day and (e is None or day < e)]
            cc = rng.choice(at_war or countries)
            for entry in self.oracle.conflicts:
                if entry[0] == cc and entry[1] <= day and (entry[2] is None or day < entry[2]):
                    entry[2] = day
            return {"peace": {"country": cc}}
        if kind == "list":
            cc, name = rng.choice(countries), rng.choice(["white", "gray", "gray", "black", "none"])
            self.oracle.lists.setdefault(cc, []).append((day, name))
            return {"list": {"country": cc, "list": name}}
        if kind == "resolve":
            return {"resolve": {"id": self._id("R"), "application": self._recent_app(),
                                "decision": "allow" if rng.random() < 0.85 else "deny"}}
        if kind == "policy":
            return {"policy": rng.choice([
                {"nsc": {"value_over": rng.choice([1_000_000, 5_000_000, 20_000_000])}},
                {"licence_days": rng.choice([90, 180, 365, 730])},
                {"euc_required": rng.random() < 0.7}, {"nsc": {"on_flags": rng.random() < 0.6}}])}
        if kind == "sanction":
            name = (self.parties[rng.choice(self.pools["broker"])]["name"] if rng.random() < 0.3
                    else company_name(rng))
            return {"sanction": {"name": name, "list": "EU"}}
        if kind == "consent":
            return {"consent": {"application": self._recent_app(), "body": rng.choice(BODIES),
                                "decision": "consent" if rng.random() < 0.92 else "object"}}
        if kind == "decide":
            return {"decide": {"application": self._recent_app()}}
        app = self._recent_app() if rng.random() < 0.7 else rng.choice(self.apps)
        app_dests, app_cats, at_submit = self.submits[app]
        self.expected[number] = (app, at_submit, self.oracle.reasons(app_dests, app_cats, day))
        return {"expect": {"application" if rng.random() < 0.6 else "licence": app}}

    def _submit(self, day: date) -> dict[str, Any]:
        rng, pools = self.rng, self.pools
        app_id = self._id("APP")
        end_user = rng.choice(pools["end_user"])
        consignee = end_user if rng.random() < 0.75 else rng.choice(pools["broker"])
        lines = [{"item": rng.choice(self.items), "quantity": rng.randint(1, 5000),
                  "value": rng.randint(1_000, 9_000_000)} for _ in range(rng.randint(1, 3))]
        sub: dict[str, Any] = {"id": app_id, "exporter": rng.choice(pools["exporter"]),
                               "consignee": consignee, "end_user": end_user, "goods": lines}
        if rng.random() < 0.15:
            sub["intermediates"] = [rng.choice(pools["broker"])]
        if rng.random() < 0.2:
            sub["route"] = rng.sample(pools["countries"], 2)
        if rng.random() < 0.9:
            country = self.parties[end_user]["country"]
            issued = day - timedelta(days=rng.randint(5, 120))
            sub["euc"] = {"number": f"EUC-{app_id}" if rng.random() < 0.97 else "EUC-DUP",
                          "issuer": f"MOD-{country}", "issued_on": issued.isoformat(),
                          "valid_until": (issued + timedelta(days=rng.randint(60, 400))
                                          ).isoformat(),
                          "end_user": end_user, "non_reexport": rng.random() < 0.9,
                          "goods": [{"item": g["item"], "quantity": g["quantity"]}
                                    for g in lines]}
        self.apps.append(app_id)
        dests = {self.oracle.country[p] for p in (consignee, end_user,
                                                  *sub.get("intermediates", []))}
        cats = {self.oracle.category[g["item"]] for g in lines}
        self.submits[app_id] = (dests, cats, self.oracle.reasons(dests, cats, day))
        return sub


Predictions = dict[int, tuple[str, set[str], set[str]]]


def generate(seed: int, applications: int, steps: int
             ) -> tuple[dict[str, Any], Predictions, Counter[str]]:
    """The scenario; for each expect step (by number) the application and the prohibitions
    the oracle finds on its submission day and on the step's day; the steps of each kind."""
    rng = random.Random(seed)
    oracle = Oracle({}, {})
    world, pools = _world(rng, oracle)
    gen = _Steps(rng, pools, oracle, world)
    rest = steps - applications
    world_steps = round(rest * 0.48)  # about a third of all steps change the world
    wanted = Counter({k: round(world_steps * v / 100) for k, v in WORLD_KINDS.items()})
    wanted.update({k: round((rest - world_steps) * v / 100) for k, v in OTHER_KINDS.items()})
    wanted["expect"] += rest - sum(wanted.values())
    wanted["submit"] = applications
    days = sorted(START + timedelta(days=rng.randrange(DAYS)) for _ in range(steps))
    out: list[dict[str, Any]] = []
    done: Counter[str] = Counter()
    for number, day in enumerate(days, 1):
        kinds = [k for k, n in wanted.items() if n > done[k]]
        kind = rng.choices(kinds, [wanted[k] - done[k] for k in kinds])[0]
        if kind not in ("submit", "suspend", "lift", "embargo", "conflict", "peace", "list",
                        "policy", "sanction") and not gen.apps:
            kind = "submit"
        if kind == "lift" and not gen.open_orders:
            kind = "suspend"
        done[kind] += 1
        out.append({"date": day.isoformat(), **gen.make(kind, day, number)})
    scenario = {"name": f"Generated scenario (seed {seed}): {applications} applications, "
                        f"{steps} steps over a year",
                "policy": {"nsc": {"value_over": 5_000_000}}, "world": world, "steps": out}
    return scenario, gen.expected, done
