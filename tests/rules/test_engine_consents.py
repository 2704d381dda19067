"""The policy engine against SPEC.md: the consents each case needs, and the findings that
explain an assessment (pure: no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from armsgate.domain.model import (
    Application,
    DestinationList,
    EmbargoTarget,
    NscPolicy,
    Policy,
    PolicyVersion,
)
from armsgate.rules.engine import Assessment
from armsgate.rules.findings import RULES, Effect, Outcome
from tests.rules.builders import (
    application,
    assess_on,
    certificate,
    conflict,
    day,
    embargo,
    line,
    listing,
    policy,
    screen,
    suspension,
    world,
)
from tests.rules.test_engine import LISTED

GRAY, BLACK = DestinationList.GRAY, DestinationList.BLACK


# --- required consents -------------------------------------------------------------------

NOT_ON_GRAY = NscPolicy(on_gray_list=False)


@pytest.mark.parametrize(("pol", "app", "facts", "consents"), [
    (policy(), application(), {}, ("defence", "foreign_affairs")),
    (policy(consents=("interior",)), application(), {}, ("interior",)),
    (policy(nsc=NscPolicy(always=True)), application(), {}, ("defence", "foreign_affairs", "nsc")),
    (policy(), application(), {"lists": (listing("AE", GRAY),)},
     ("defence", "foreign_affairs", "nsc")),
    # gray-list is not a diversion flag
    (policy(nsc=NOT_ON_GRAY), application(), {"lists": (listing("AE", GRAY),)},
     ("defence", "foreign_affairs")),
    (policy(nsc=NOT_ON_GRAY), application(intermediates=("BRK",)), {},
     ("defence", "foreign_affairs", "nsc")),
    (policy(nsc=NscPolicy(on_flags=False)), application(intermediates=("BRK",)), {},
     ("defence", "foreign_affairs")),
], ids=["default", "custom", "always", "gray", "gray-not-diversion", "diversion", "flags-off"])
def test_required_consents(pol: Policy, app: Application, facts: dict[str, object],
                           consents: tuple[str, ...]) -> None:
    assert assess_on(app, world(policy=pol, **facts)).consents == consents


@pytest.mark.parametrize(("values", "nsc"), [((1000,), False), ((600, 401), True), ((1001,), True)])
def test_nsc_when_the_total_value_is_strictly_over(values: tuple[int, ...], nsc: bool) -> None:
    w = world(policy=policy(nsc=NscPolicy(value_over=Decimal(1000))))
    app = application(*(line("RIFLE", 1, v) for v in values))
    assert ("nsc" in assess_on(app, w).consents) is nsc


def test_consents_are_computed_whatever_the_outcome() -> None:
    a = assess_on(application(intermediates=("BRK",)), world(embargoes=(embargo("AE"),)))
    assert a.outcome is Outcome.REFUSE
    assert a.consents == ("defence", "foreign_affairs", "nsc")


def test_the_policy_in_force_on_the_day_counts() -> None:
    w = world(policies=(PolicyVersion(day(1), policy(consents=("interior",))),))
    assert assess_on(application(), w).consents == ("defence", "foreign_affairs")
    assert assess_on(application(), w, day(1)).consents == ("interior",)


# --- findings ----------------------------------------------------------------------------


def _busy_assessment() -> Assessment:
    w = world(
        parties=(LISTED,),
        embargoes=(embargo("AE", "ML1"), embargo("CY", target=EmbargoTarget.NON_STATE_ACTORS,
                                                  id_="EMB-2")),
        conflicts=(conflict("CY"), conflict("TR")), lists=(listing("AE", BLACK),),
        screening=(screen("Jugo Trade"),), suspensions=(suspension(),),
        policy=policy(nsc=NscPolicy(always=True)),
    )
    app = application(line("KIT"), line("AMMO", 3), consignee="HIT", intermediates=("BRK",),
                      route=("TR",), euc=certificate(valid_until=day(-1), non_reexport=False),
                      euc_cited_before=("APP-0",))
    return assess_on(app, w)


def test_every_finding_carries_its_rule_and_a_basis() -> None:
    a = _busy_assessment()
    assert len(a.findings) > 10
    for f in a.findings:
        assert f.rule == RULES[f.code].id
        assert f.basis
    assert {f.code for f in a.findings if f.effect is Effect.FLAG} == a.flags


def test_reasons_are_sorted_and_come_from_refusing_findings() -> None:
    a = _busy_assessment()
    assert a.reasons == ("at-war", "black-list", "embargo")
    assert set(a.reasons) == {f.code for f in a.findings if f.effect is Effect.REFUSE}


def test_findings_explain_themselves() -> None:
    a = assess_on(application(), world(embargoes=(embargo("AE", "ML1"),)))
    lines = a.explain()
    assert len(lines) == len(a.findings)
    [text] = [t for t in lines if t.startswith("[P1-EMBARGO]")]
    assert "embargo=EMB-1" in text
    assert "country=AE" in text
    assert "criterion 1" in text
