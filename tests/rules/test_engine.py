"""The policy engine against SPEC.md, one rule at a time (pure: no database)."""

from __future__ import annotations

import pytest

from armsgate.domain.model import CertificateLine as CLine
from armsgate.domain.model import (
    DestinationList,
    EmbargoTarget,
    GoodsLine,
    Resolution,
    Resolve,
    Role,
    ScreeningEntry,
)
from armsgate.rules.findings import Effect, Outcome
from tests.rules.builders import (
    DAY,
    application,
    assess_on,
    certificate,
    conflict,
    day,
    embargo,
    line,
    listing,
    party,
    policy,
    resolution,
    screen,
    suspension,
    world,
)

GRAY, BLACK, WHITE = DestinationList.GRAY, DestinationList.BLACK, DestinationList.WHITE


def test_clean_application_is_in_review_without_flags() -> None:
    a = assess_on(application(id="APP-9"), on=DAY)
    assert (a.application, a.day, a.outcome, a.flags, a.reasons) == (
        "APP-9", DAY, Outcome.REVIEW, frozenset(), ())


# --- prohibitions ------------------------------------------------------------------------


@pytest.mark.parametrize(("item", "categories"), [
    ("RIFLE", ("ML1",)),
    ("RIFLE", ()),  # no categories: all of them
    ("KIT", ("ML1",)),  # a kit counts as the item it makes ...
    ("KIT2", ("ML1", "ML5")),  # ... through a chain of kits
])
def test_embargo_refuses_when_it_covers_the_effective_category(item: str,
                                                               categories: tuple[str, ...]) -> None:
    a = assess_on(application(line(item)), world(embargoes=(embargo("AE", *categories),)))
    assert (a.outcome, a.reasons) == (Outcome.REFUSE, ("embargo",))


@pytest.mark.parametrize(("item", "categories"), [
    ("RIFLE", ("ML3",)),
    ("KIT", ("ML22",)),  # the kit's own category is not its effective one
    ("KIT2", ("ML20", "ML22")),
])
def test_embargo_does_not_cover_another_category(item: str, categories: tuple[str, ...]) -> None:
    a = assess_on(application(line(item)), world(embargoes=(embargo("AE", *categories),)))
    assert a.outcome is Outcome.REVIEW
    assert "embargo" not in a.reasons


@pytest.mark.parametrize(("fields", "country"), [
    ({}, "AE"),  # consignee and end user
    ({"consignee": "BRK"}, "CY"),  # consignee only
    ({"end_user": "USER_DE"}, "DE"),  # end user only
    ({"intermediates": ("BRK",)}, "CY"),  # an intermediate
])
def test_embargo_on_any_destination_refuses(fields: dict[str, object], country: str) -> None:
    a = assess_on(application(**fields), world(embargoes=(embargo(country),)))
    assert a.reasons == ("embargo",)


@pytest.mark.parametrize(("on", "refused"), [(-1, False), (0, True), (9, True), (10, False)])
def test_embargo_period_edges(on: int, refused: bool) -> None:
    w = world(embargoes=(embargo("AE", start=day(0), end=day(10)),))
    assert (assess_on(application(), w, day(on)).outcome is Outcome.REFUSE) is refused


@pytest.mark.parametrize("country", ["RS", "TR"])  # the exporter's country; a route country
def test_embargo_on_a_non_destination_is_no_prohibition(country: str) -> None:
    a = assess_on(application(route=("TR",)), world(embargoes=(embargo(country),)))
    assert a.outcome is Outcome.REVIEW
    assert a.reasons == ()


def test_at_war_refuses_while_the_conflict_is_in_force() -> None:
    w = world(conflicts=(conflict("AE", start=day(-5), end=day(5)),))
    assert assess_on(application(), w).reasons == ("at-war",)
    assert assess_on(application(), w, day(5)).outcome is Outcome.REVIEW
    assert assess_on(application(intermediates=("BRK",)),
                     world(conflicts=(conflict("CY"),))).reasons == ("at-war",)


def test_black_list_refuses_gray_and_white_do_not() -> None:
    assert assess_on(application(), world(lists=(listing("AE", BLACK),))).reasons == (
        "black-list",)
    for which in (GRAY, WHITE):
        assert assess_on(application(), world(lists=(listing("AE", which),))).reasons == ()


def test_every_prohibition_is_a_reason_sorted() -> None:
    w = world(embargoes=(embargo("AE"),), conflicts=(conflict("CY"),),
              lists=(listing("DE", BLACK),))
    a = assess_on(application(consignee="BRK", end_user="USER_DE", intermediates=("BUY",)), w)
    assert a.reasons == ("at-war", "black-list", "embargo")


def test_non_state_embargo_flags_and_does_not_refuse() -> None:
    target = EmbargoTarget.NON_STATE_ACTORS
    a = assess_on(application(), world(embargoes=(embargo("AE", target=target),)))
    assert a.outcome is Outcome.REVIEW
    assert "non-state-embargo" in a.flags
    assert a.reasons == ()


# --- hold and special resolution ---------------------------------------------------------


def test_refuse_beats_hold() -> None:
    a = assess_on(application(), world(embargoes=(embargo("AE"),), suspensions=(suspension(),)))
    assert (a.outcome, a.reasons) == (Outcome.REFUSE, ("embargo",))
    assert any(f.effect is Effect.HOLD for f in a.findings)


@pytest.mark.parametrize(("item", "categories", "destinations"), [
    ("RIFLE", None, None),  # scope absent: all
    ("RIFLE", ("ML1",), ("AE",)),
    ("RIFLE", ("ML1",), None),
    ("RIFLE", None, ("AE", "IQ")),
    ("KIT", ("ML1",), None),  # a kit counts as the item it makes
])
def test_hold_when_a_suspension_covers(item: str, categories: tuple[str, ...] | None,
                                       destinations: tuple[str, ...] | None) -> None:
    sus = suspension(categories=categories, destinations=destinations)
    a = assess_on(application(line(item)), world(suspensions=(sus,)))
    assert (a.outcome, a.reasons) == (Outcome.HOLD, ())


@pytest.mark.parametrize(("item", "fields", "categories", "destinations"), [
    ("RIFLE", {}, ("ML3",), None),  # category outside scope
    ("KIT", {}, ("ML22",), None),  # the kit's own category is not its effective one
    ("RIFLE", {}, None, ("IQ",)),  # destination outside scope
    ("RIFLE", {"route": ("IQ",)}, None, ("IQ",)),  # a route country is no destination
])
def test_review_when_the_suspension_scope_does_not_cover(
        item: str, fields: dict[str, object], categories: tuple[str, ...] | None,
        destinations: tuple[str, ...] | None) -> None:
    sus = suspension(categories=categories, destinations=destinations)
    a = assess_on(application(line(item), **fields), world(suspensions=(sus,)))
    assert a.outcome is Outcome.REVIEW


def test_hold_only_while_the_suspension_is_in_force() -> None:
    w = world(suspensions=(suspension(start=day(0), end=day(3)),))
    outcomes = [assess_on(application(), w, day(d)).outcome for d in (-1, 0, 2, 3)]
    assert outcomes == [Outcome.REVIEW, Outcome.HOLD, Outcome.HOLD, Outcome.REVIEW]


def test_special_resolution_allow_made_after_the_suspension_releases() -> None:
    w = world(suspensions=(suspension(seq=10),), resolutions=(resolution(Resolve.ALLOW, 11),))
    a = assess_on(application(), w)
    assert a.outcome is Outcome.REVIEW
    assert [f.code for f in a.findings if f.effect is Effect.RELEASE] == ["special-resolution"]


@pytest.mark.parametrize("res", [
    resolution(Resolve.ALLOW, 9),  # made before the suspension
    resolution(Resolve.ALLOW, 11, on=day(1)),  # dated after the view's day
    resolution(Resolve.ALLOW, 11, application="APP-2"),  # on another application
    resolution(Resolve.DENY, 11),
], ids=["before", "future", "other-app", "deny"])
def test_special_resolution_that_does_not_release(res: Resolution) -> None:
    w = world(suspensions=(suspension(seq=10),), resolutions=(res,))
    assert assess_on(application(), w).outcome is Outcome.HOLD


def test_special_resolution_releases_only_the_suspensions_before_it() -> None:
    w = world(suspensions=(suspension("S1", seq=10), suspension("S2", seq=20)),
              resolutions=(resolution(Resolve.ALLOW, 15),))
    a = assess_on(application(), w)
    assert a.outcome is Outcome.HOLD
    assert {f.code for f in a.findings} >= {"special-resolution", "suspension"}


# --- flags -------------------------------------------------------------------------------


def test_assembly_kit_flag() -> None:
    assert "assembly-kit" in assess_on(application(line("AMMO"), line("KIT"))).flags
    assert "assembly-kit" not in assess_on(application(line("AMMO"), line("RIFLE"))).flags


@pytest.mark.parametrize(("fields", "because"), [
    ({"consignee": "CONS"}, "consignee-is-not-end-user"),
    ({"intermediates": ("BRK",)}, "intermediates"),
    ({"consignee": "ASM", "end_user": "ASM"}, "consignee-is-assembler"),
    ({"consignee": "BRK", "end_user": "BRK"}, "consignee-is-broker"),
])
def test_re_export_risk_each_cause(fields: dict[str, object], because: str) -> None:
    a = assess_on(application(**fields))
    [finding] = [f for f in a.findings if f.code == "re-export-risk"]
    assert finding.fact_text()["because"] == because


def test_no_re_export_risk_when_the_consignee_is_the_end_user() -> None:
    assert "re-export-risk" not in assess_on(application(consignee="BUY", end_user="BUY")).flags


@pytest.mark.parametrize("facts", [
    {"embargoes": (embargo("TR", "ML14"),)},  # any embargo, whatever its categories
    {"embargoes": (embargo("TR", target=EmbargoTarget.NON_STATE_ACTORS),)},
    {"conflicts": (conflict("TR"),)},
    {"lists": (listing("TR", GRAY),)},
    {"lists": (listing("TR", BLACK),)},
], ids=["embargo", "non-state-embargo", "at-war", "gray", "black"])
def test_transit_risk_each_cause(facts: dict[str, object]) -> None:
    a = assess_on(application(route=("TR",)), world(**facts))
    assert "transit-risk" in a.flags
    assert a.outcome is Outcome.REVIEW


def test_no_transit_risk_on_a_clean_or_white_route() -> None:
    a = assess_on(application(route=("TR", "BG")), world(lists=(listing("TR", WHITE),)))
    assert "transit-risk" not in a.flags


def test_gray_list_flags_a_destination_not_a_route_country() -> None:
    gray_cy = world(lists=(listing("CY", GRAY),))
    assert "gray-list" in assess_on(application(intermediates=("BRK",)), gray_cy).flags
    assert "gray-list" not in assess_on(application(route=("CY",)), gray_cy).flags


def test_euc_missing_only_when_required() -> None:
    assert "euc-missing" in assess_on(application(euc=None)).flags
    not_required = world(policy=policy(euc_required=False))
    assert "euc-missing" not in assess_on(application(euc=None), not_required).flags
    assert "euc-missing" not in assess_on(application()).flags


def test_certificate_flags_are_judged_even_when_not_required() -> None:
    app = application(euc=certificate(valid_until=day(-1)))
    assert "euc-expired" in assess_on(app, world(policy=policy(euc_required=False))).flags


@pytest.mark.parametrize(("valid_until", "expired"), [(-1, True), (0, False), (1, False)])
def test_euc_expired_is_valid_through_valid_until(valid_until: int, expired: bool) -> None:
    app = application(euc=certificate(valid_until=day(valid_until)))
    assert ("euc-expired" in assess_on(app).flags) is expired


@pytest.mark.parametrize(("issuer", "fields", "unknown"), [
    ("AUTH", {}, False),
    ("BUY", {}, True),  # a party, but not an authority
    ("AUTH_DE", {}, True),  # an authority of another country
    ("NOBODY", {}, True),  # no such party
    ("AUTH", {"consignee": "USER_DE"}, False),  # the consignee's country does not matter
    ("AUTH_DE", {"consignee": "USER_DE"}, True),
])
def test_euc_issuer_unknown(issuer: str, fields: dict[str, object], unknown: bool) -> None:
    app = application(euc=certificate(issuer=issuer), **fields)
    assert ("euc-issuer-unknown" in assess_on(app).flags) is unknown


@pytest.mark.parametrize(("lines", "cert", "mismatch"), [
    ((line("RIFLE", 10),), {"end_user": "ASM"}, True),  # another end user
    ((line("RIFLE", 10), line("AMMO", 5)), {}, True),  # AMMO not covered
    ((line("RIFLE", 6), line("RIFLE", 5)), {}, True),  # 11 asked, 10 covered
    ((line("RIFLE", 6), line("RIFLE", 4)), {}, False),  # 10 asked, 10 covered
    ((line("RIFLE", 10),), {"goods": (CLine("RIFLE", 4), CLine("RIFLE", 6))}, False),
    ((line("RIFLE", 9),), {"goods": (CLine("RIFLE", 10), CLine("AMMO", 3))}, False),
    ((line("KIT", 10),), {}, True),  # a kit is not the item it makes
    ((line("RIFLE", 10),), {"goods": (CLine("KIT", 10),)}, True),
])
def test_euc_mismatch(lines: tuple[GoodsLine, ...], cert: dict[str, object],
                      mismatch: bool) -> None:
    app = application(*lines, euc=certificate(**cert))
    assert ("euc-mismatch" in assess_on(app).flags) is mismatch


def test_euc_no_reexport() -> None:
    assert "euc-no-reexport" in assess_on(
        application(euc=certificate(non_reexport=False))).flags


def test_euc_reused() -> None:
    assert "euc-reused" in assess_on(application(euc_cited_before=("APP-0",))).flags
    assert "euc-reused" not in assess_on(application(euc_cited_before=())).flags


LISTED = party("HIT", "AE", Role.CONSIGNEE, Role.END_USER, name="Gulf Star General Trading LLC",
               aliases=("Jugo Trade",))


@pytest.mark.parametrize(("entry", "hit"), [
    (screen("GULF STAR GENERAL TRADING L.L.C."), True),  # name, without country
    (screen("Star Gulf General Trading", country="AE"), True),  # the party's country
    (screen("Gulf Star General Trading", country="IR"), False),  # another country
    (screen("JUGO-TRADE", country="AE"), True),  # an alias
    (screen("Star Logistics"), False),  # one word in common only
])
def test_screening_hit(entry: ScreeningEntry, hit: bool) -> None:
    w = world(parties=(LISTED,), screening=(entry,))
    assert ("screening-hit" in assess_on(application(consignee="HIT", end_user="HIT"), w).flags
            ) is hit


@pytest.mark.parametrize("fields", [
    {"exporter": "HIT"}, {"consignee": "HIT"}, {"end_user": "HIT"}, {"intermediates": ("HIT",)},
])
def test_screening_covers_every_screened_party(fields: dict[str, object]) -> None:
    w = world(parties=(LISTED,), screening=(screen("Jugo Trade"),))
    assert "screening-hit" in assess_on(application(**fields), w).flags


def test_an_issuer_hit_is_shown_but_sets_no_flag() -> None:
    # SPEC.md's `screening-hit` names exporter, consignee, end user and intermediates: the
    # certificate's issuer is screened too, and its hit is a note for the reviewer.
    w = world(screening=(screen("Ministry of Defence Abu Dhabi", entry_id="X-1"),))
    a = assess_on(application(), w)
    assert "screening-hit" not in a.flags
    assert a.consents == assess_on(application()).consents
    [note] = [f for f in a.findings if f.code == "euc-issuer-screening"]
    assert note.effect is Effect.NOTE
    assert note.fact_text()["party"] == "AUTH"
    assert note.fact_text()["entry_id"] == "X-1"
    assert "explanation" in note.fact_text()
    assert "euc-issuer-screening" not in {f.code for f in assess_on(application()).findings}
