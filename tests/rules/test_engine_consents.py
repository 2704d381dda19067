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
from tests.rules import builders as b
from tests.rules.test_engine import LISTED

GRAY, BLACK = DestinationList.GRAY, DestinationList.BLACK


# --- required consents -------------------------------------------------------------------

NOT_ON_GRAY = NscPolicy(on_gray_list=False)


@pytest.mark.parametrize(("pol", "app", "facts", "consents"), [
    (b.policy(), b.application(), {}, ("defence", "foreign_affairs")),
    (b.policy(consents=("interior",)), b.application(), {}, ("interior",)),
    (b.policy(nsc=NscPolicy(always=True)), b.application(), {},
     ("defence", "foreign_affairs", "nsc")),
    (b.policy(), b.application(), {"lists": (b.listing("AE", GRAY),)},
     ("defence", "foreign_affairs", "nsc")),
    # gray-list is not a diversion flag
    (b.policy(nsc=NOT_ON_GRAY), b.application(), {"lists": (b.listing("AE", GRAY),)},
     ("defence", "foreign_affairs")),
    (b.policy(nsc=NOT_ON_GRAY), b.application(intermediates=("BRK",)), {},
     ("defence", "foreign_affairs", "nsc")),
    (b.policy(nsc=NscPolicy(on_flags=False)), b.application(intermediates=("BRK",)), {},
     ("defence", "foreign_affairs")),
], ids=["default", "custom", "always", "gray", "gray-not-diversion", "diversion", "flags-off"])
def test_required_consents(pol: Policy, app: Application, facts: dict[str, object],
                           consents: tuple[str, ...]) -> None:
    assert b.assess_on(app, b.world(policy=pol, **facts)).consents == consents


@pytest.mark.parametrize(("values", "nsc"), [((1000,), False), ((600, 401), True), ((1001,), True)])
def test_nsc_when_the_total_value_is_strictly_over(values: tuple[int, ...], nsc: bool) -> None:
    w = b.world(policy=b.policy(nsc=NscPolicy(value_over=Decimal(1000))))
    app = b.application(*(b.line("RIFLE", 1, v) for v in values))
    assert ("nsc" in b.assess_on(app, w).consents) is nsc


def test_consents_are_computed_whatever_the_outcome() -> None:
    a = b.assess_on(b.application(intermediates=("BRK",)), b.world(embargoes=(b.embargo("AE"),)))
    assert a.outcome is Outcome.REFUSE
    assert a.consents == ("defence", "foreign_affairs", "nsc")


def test_the_policy_in_force_on_the_day_counts() -> None:
    w = b.world(policies=(PolicyVersion(b.day(1), b.policy(consents=("interior",))),))
    assert b.assess_on(b.application(), w).consents == ("defence", "foreign_affairs")
    assert b.assess_on(b.application(), w, b.day(1)).consents == ("interior",)


# --- findings ----------------------------------------------------------------------------


def _busy_assessment() -> Assessment:
    w = b.world(
        parties=(LISTED,),
        embargoes=(b.embargo("AE", "ML1"), b.embargo("CY", target=EmbargoTarget.NON_STATE_ACTORS,
                                                  id_="EMB-2")),
        conflicts=(b.conflict("CY"), b.conflict("TR")), lists=(b.listing("AE", BLACK),),
        screening=(b.screen("Jugo Trade"),), suspensions=(b.suspension(),),
        policy=b.policy(nsc=NscPolicy(always=True)),
    )
    app = b.application(b.line("KIT"), b.line("AMMO", 3), consignee="HIT", intermediates=("BRK",),
                      route=("TR",), euc=b.certificate(valid_until=b.day(-1), non_reexport=False),
                      euc_cited_before=("APP-0",))
    return b.assess_on(app, w)


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
    a = b.assess_on(b.application(), b.world(embargoes=(b.embargo("AE", "ML1"),)))
    lines = a.explain()
    assert len(lines) == len(a.findings)
    [text] = [t for t in lines if t.startswith("[P1-EMBARGO]")]
    assert "embargo=EMB-1" in text
    assert "country=AE" in text
    assert "criterion 1" in text
