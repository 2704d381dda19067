"""Properties of the engine: order independence, kit recursion, edges of intervals."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsgate.domain.model import (
    CATEGORIES,
    Application,
    CertificateLine,
    DestinationList,
    EmbargoTarget,
    GoodsItem,
    Period,
    Resolve,
)
from armsgate.rules.engine import Assessment
from armsgate.rules.findings import Outcome
from armsgate.rules.world import KitLoopError, World, effective_categories
from tests.rules.builders import (
    PARTIES,
    application,
    assess_on,
    certificate,
    conflict,
    day,
    embargo,
    line,
    listing,
    resolution,
    screen,
    suspension,
    world,
)

FAST = settings(derandomize=True, max_examples=150, deadline=None)

COUNTRIES = ("AE", "CY", "DE", "TR", "IQ", "RS")
CATS = ("ML1", "ML3", "ML20", "ML22")
ITEMS = ("RIFLE", "AMMO", "KIT", "KIT2")
CONSIGNEES = ("BUY", "CONS", "ASM", "BRK", "USER_DE")
USERS = ("BUY", "ASM", "USER_DE", "BRK")

offsets = st.integers(-3, 3)
maybe_day = st.none() | offsets.map(day)
scope = st.none() | st.frozensets(st.sampled_from(CATS), min_size=1)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date | None, date | None]:
    start, end = draw(maybe_day), draw(maybe_day)
    if start is not None and end is not None and end <= start:
        end = start + timedelta(days=1)
    return start, end


@st.composite
def worlds(draw: st.DrawFn) -> World:
    embargoes = tuple(
        replace(embargo(c, *(cats or ()), start=p[0], end=p[1], id_=f"E{i}", seq=i), target=t)
        for i, (c, cats, p, t) in enumerate(draw(st.lists(st.tuples(
            st.sampled_from(COUNTRIES), scope, periods(), st.sampled_from(EmbargoTarget)),
            max_size=4))))
    # overlapping entries of one country allowed: the earliest in force is the one cited
    conflicts = tuple(conflict(c, *p, source=f"S{i}", seq=i) for i, (c, p) in enumerate(draw(
        st.lists(st.tuples(st.sampled_from(COUNTRIES), periods()), max_size=3))))
    lists = tuple(listing(c, which, seq=i) for i, (c, which) in enumerate(draw(st.lists(
        st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(DestinationList)),
        max_size=3, unique_by=lambda x: x[0]))))
    suspensions = tuple(
        suspension(f"S{i}", categories=None if cats is None else tuple(cats),
                   destinations=None if dests is None else tuple(dests),
                   start=p[0], end=p[1], seq=10 + 10 * i)
        for i, (cats, dests, p) in enumerate(draw(st.lists(st.tuples(
            scope, st.none() | st.frozensets(st.sampled_from(COUNTRIES), min_size=1), periods()),
            max_size=3))))
    resolutions = tuple(
        resolution(decision, seq, on=on, id_=f"R{seq}")
        for seq, decision, on in draw(st.lists(st.tuples(
            st.integers(1, 50), st.sampled_from(Resolve), offsets.map(day)),
            max_size=2, unique_by=lambda x: x[0])))
    names = [p.name for p in PARTIES[:6]]
    screening = tuple(screen(name, country) for name, country in draw(st.lists(st.tuples(
        st.sampled_from(names), st.none() | st.sampled_from(COUNTRIES)), max_size=2)))
    return world(embargoes=embargoes, conflicts=conflicts, lists=lists,
                 suspensions=suspensions, resolutions=resolutions, screening=screening)


@st.composite
def applications(draw: st.DrawFn) -> Application:
    lines = [line(item, qty, value) for item, qty, value in draw(st.lists(st.tuples(
        st.sampled_from(ITEMS), st.integers(1, 5), st.integers(1, 900)), min_size=1,
        max_size=4))]
    app = application(
        *lines, consignee=draw(st.sampled_from(CONSIGNEES)), end_user=draw(st.sampled_from(USERS)),
        intermediates=tuple(draw(st.lists(st.sampled_from(CONSIGNEES), max_size=3, unique=True))),
        route=tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True))),
    )
    if draw(st.booleans()):  # a certificate that may or may not cover the lines
        goods = draw(st.lists(st.tuples(st.sampled_from(ITEMS), st.integers(1, 6)), max_size=4))
        app = replace(app, euc=certificate(goods=tuple(CertificateLine(*g) for g in goods)))
    return app


def _key(a: Assessment) -> tuple[object, ...]:
    return (a.outcome, a.flags, a.reasons, a.consents, a.findings)


def _shuffled(rnd: random.Random, items: tuple[object, ...]) -> tuple[object, ...]:
    out = list(items)
    rnd.shuffle(out)
    return tuple(out)


@FAST
@given(app=applications(), w=worlds(), on=offsets.map(day), rnd=st.randoms(use_true_random=False))
def test_assessment_does_not_depend_on_order(app: Application, w: World, on: date,
                                             rnd: random.Random) -> None:
    expected = assess_on(app, w, on)
    euc = app.euc and replace(app.euc, goods=_shuffled(rnd, app.euc.goods))
    app2 = replace(app, lines=_shuffled(rnd, app.lines), euc=euc,
                   intermediates=_shuffled(rnd, app.intermediates),
                   route=_shuffled(rnd, app.route))
    w2 = replace(w, **{name: _shuffled(rnd, getattr(w, name)) for name in (
        "embargoes", "conflicts", "lists", "suspensions", "resolutions", "screening")})
    assert _key(assess_on(app2, w2, on)) == _key(expected)


def test_overlapping_conflict_entries_do_not_depend_on_order() -> None:
    entries = (conflict("AE", day(-10), source="UCDP", seq=1),
               conflict("AE", day(-2), source="national", seq=2))
    one = assess_on(application(), world(conflicts=entries))
    other = assess_on(application(), world(conflicts=entries[::-1]))
    assert one.reasons == other.reasons == ("at-war",)
    assert one.findings == other.findings


# --- kit recursion -----------------------------------------------------------------------


def _chain(length: int, base: str, kit_categories: list[str]) -> dict[str, GoodsItem]:
    goods = {"I0": GoodsItem("I0", base)}
    for i in range(1, length + 1):
        goods[f"I{i}"] = GoodsItem(f"I{i}", kit_categories[i % len(kit_categories)],
                                   kit_of=f"I{i - 1}")
    return goods


@FAST
@given(length=st.integers(0, 60), base=st.sampled_from(CATEGORIES),
       kit_categories=st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=5),
       rnd=st.randoms(use_true_random=False))
def test_a_chain_of_kits_has_the_category_of_its_base_item(
        length: int, base: str, kit_categories: list[str], rnd: random.Random) -> None:
    items = list(_chain(length, base, kit_categories).values())
    rnd.shuffle(items)  # the order in which goods are listed does not matter
    assert set(effective_categories({g.id: g for g in items}).values()) == {base}


def test_a_very_long_chain_of_kits_resolves() -> None:
    goods = _chain(3000, "ML4", ["ML9"])
    assert effective_categories(dict(reversed(goods.items())))["I3000"] == "ML4"


@FAST
@given(loop=st.integers(1, 6), tail=st.integers(0, 4), rnd=st.randoms(use_true_random=False))
def test_a_kit_loop_raises(loop: int, tail: int, rnd: random.Random) -> None:
    # L0 -> L1 -> ... -> L(loop-1) -> L0, and T0 -> ... -> T(tail-1) -> L0 leading into it
    goods = [GoodsItem(f"L{i}", "ML1", kit_of=f"L{(i + 1) % loop}") for i in range(loop)]
    goods += [GoodsItem(f"T{i}", "ML2", kit_of=f"T{i + 1}" if i + 1 < tail else "L0")
              for i in range(tail)]
    goods.append(GoodsItem("PLAIN", "ML3"))
    rnd.shuffle(goods)
    with pytest.raises(KitLoopError):
        effective_categories({g.id: g for g in goods})
    with pytest.raises(KitLoopError):
        _ = world(goods=tuple(goods)).categories


# --- edges of intervals ------------------------------------------------------------------

some_day = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@FAST
@given(start=st.none() | some_day, end=st.none() | some_day, d=some_day)
def test_period_is_half_open(start: date | None, end: date | None, d: date) -> None:
    expected = (start is None or start <= d) and (end is None or d < end)
    assert Period(start, end).holds_on(d) is expected


@FAST
@given(d=some_day)
def test_period_holds_on_its_start_not_on_its_end(d: date) -> None:
    assert Period(d, d + timedelta(days=1)).holds_on(d)
    assert not Period(d - timedelta(days=1), d).holds_on(d)
    assert not Period(d, d).holds_on(d)  # empty
    assert Period().holds_on(d)


@FAST
@given(d=some_day, length=st.integers(1, 400))
def test_embargo_starts_refusing_on_its_first_day(d: date, length: int) -> None:
    w = world(embargoes=(embargo("AE", start=d, end=d + timedelta(days=length)),))
    assert assess_on(application(), w, d).outcome is Outcome.REFUSE
    assert assess_on(application(), w, d - timedelta(days=1)).outcome is Outcome.REVIEW


@FAST
@given(d=some_day, start=st.none() | st.integers(1, 400))
def test_embargo_stops_refusing_on_its_end_day(d: date, start: int | None) -> None:
    begins = None if start is None else d - timedelta(days=start)
    w = world(embargoes=(embargo("AE", start=begins, end=d),))
    assert assess_on(application(), w, d - timedelta(days=1)).outcome is Outcome.REFUSE
    assert assess_on(application(), w, d).outcome is Outcome.REVIEW
