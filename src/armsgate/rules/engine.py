"""The policy engine: one application, judged on one day, with reasons.

`assess` is pure and deterministic: the same application and the same day view
give the same assessment, whatever the order of its lines or parties. It never
reads a clock or a database; the caller builds the `DayView`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from armsgate.domain.model import (
    Application,
    DestinationList,
    EmbargoTarget,
    Resolution,
    Role,
)
from armsgate.rules.findings import DIVERSION_FLAGS, Effect, Finding, Outcome
from armsgate.rules.world import DayView, ScreeningHit

NSC = "nsc"


class Assessment(NamedTuple):
    application: str
    day: date
    outcome: Outcome
    flags: frozenset[str]
    reasons: tuple[str, ...]  # refusal codes, sorted
    consents: tuple[str, ...]  # required bodies: policy order, then nsc
    findings: tuple[Finding, ...]

    def explain(self) -> list[str]:
        return [f.explain() for f in self.findings]


def judge(app_id: str, dests: Sequence[str], categories: frozenset[str], view: DayView
          ) -> tuple[Outcome, tuple[str, ...], list[Finding]]:
    """SPEC.md's assessment steps 1 and 2, which alone decide states: the outcome, the
    refusal reasons and the findings of prohibitions and suspensions (with the flags found
    on the way: gray list, non-state embargo). `dests` are sorted; `categories` effective."""
    key = (tuple(dests), categories)
    findings = list(view.memo(("prohibitions", key),
                              lambda: _prohibitions(dests, categories, view)))
    if view.suspensions:
        allowed = view.allowed_at.get(app_id)
        if allowed is None:
            findings += view.memo(("suspensions", key),
                                  lambda: _suspensions(None, dests, categories, view))
        else:
            findings += _suspensions(allowed, dests, categories, view)
    refusals = [f.code for f in findings if f.effect is Effect.REFUSE]
    if refusals:
        return Outcome.REFUSE, tuple(sorted(set(refusals))), findings
    if any(f.effect is Effect.HOLD for f in findings):
        return Outcome.HOLD, (), findings
    return Outcome.REVIEW, (), findings


def destinations(app: Application, view: DayView) -> list[str]:
    """The countries of the consignee, the end user and each intermediate, sorted."""
    parties = view.world.parties
    return sorted({parties[app.consignee].country, parties[app.end_user].country,
                   *(parties[p].country for p in app.intermediates)})


def assess(app: Application, view: DayView) -> Assessment:
    """Judge one application on the view's day: outcome, flags, reasons, consents, findings.

    Findings come out in a fixed order (the view orders its facts; parties, countries and
    items are taken sorted), so the result does not depend on the order of lines or parties.
    """
    categories = view.categories
    line_categories = frozenset([categories[line.item] for line in app.lines])
    outcome, reasons, findings = judge(app.id, destinations(app, view), line_categories, view)
    findings += _party_flags(app, view)
    if app.route:
        findings += _route_flags(app, view)
    findings += _certificate_flags(app, view)
    kit_items = view.kit_items
    kits = sorted({line.item for line in app.lines if line.item in kit_items})
    if kits:
        findings.append(Finding.of("assembly-kit", items=tuple(kits),
                                   makes=tuple(sorted({categories[k] for k in kits}))))
    flags = frozenset([f.code for f in findings if f.effect is Effect.FLAG])
    findings += view.consent_findings
    consents = view.consent_bodies
    value_over = view.policy.nsc.value_over
    over = value_over is not None and app.total_value > value_over
    nsc = view.memo(("nsc", flags, over), lambda: _nsc(flags, over, view))
    if nsc:
        findings += nsc
        consents = (*consents, NSC)
    return Assessment(app.id, view.day, outcome, flags, reasons, consents, tuple(findings))


def _prohibitions(dests: Sequence[str], categories: frozenset[str], view: DayView
                  ) -> list[Finding]:
    found: list[Finding] = []
    for country in dests:
        for embargo in view.embargoes.get(country, ()):
            covered = tuple(sorted(categories if embargo.categories is None
                                   else categories & embargo.categories))
            if covered:
                code = ("embargo" if embargo.target is EmbargoTarget.GOVERNMENT
                        else "non-state-embargo")
                found.append(Finding.of(code, embargo=embargo.id, country=country, by=embargo.by,
                                        categories=covered, basis=embargo.basis or None))
        conflict = view.at_war.get(country)
        if conflict is not None:
            found.append(Finding.of("at-war", country=country, since=conflict.period.start,
                                    source=conflict.source or None))
        listed = view.lists.get(country)
        if listed is DestinationList.BLACK:
            found.append(Finding.of("black-list", country=country))
        elif listed is DestinationList.GRAY:
            found.append(Finding.of("gray-list", country=country))
    return found


def _suspensions(allowed: Resolution | None, dests: Sequence[str], categories: frozenset[str],
                 view: DayView) -> list[Finding]:
    found: list[Finding] = []
    for order in view.suspensions_for(categories):
        hit_dests = tuple(dests) if order.destinations is None else tuple(
            d for d in dests if d in order.destinations)
        hit_cats = categories if order.categories is None else categories & order.categories
        if not hit_dests or not hit_cats:
            continue
        if allowed is not None and allowed.seq > order.seq:
            found.append(Finding.of("special-resolution", order=order.id, resolution=allowed.id,
                                    resolved_on=allowed.day))
        else:
            found.append(Finding.of("suspension", order=order.id,
                                    categories=tuple(sorted(hit_cats)),
                                    destinations=hit_dests, since=order.period.start,
                                    until=order.period.end))
    return found


def _party_flags(app: Application, view: DayView) -> list[Finding]:
    parties = view.world.parties
    found: list[Finding] = []
    why: list[str] = []
    if app.consignee != app.end_user:
        why.append("consignee-is-not-end-user")
    if app.intermediates:
        why.append("intermediates")
    roles = parties[app.consignee].roles & _RESELLERS
    if roles:
        why.append("consignee-is-" + "-and-".join(sorted(roles)))
    if why:
        found.append(Finding.of("re-export-risk", because=tuple(why),
                                intermediates=tuple(sorted(app.intermediates)) or None))
    for party_id in sorted(set(app.screened_party_ids)):
        found += [_hit_finding("screening-hit", hit) for hit in view.screen(parties[party_id])]
    return found


def _hit_finding(code: str, hit: ScreeningHit) -> Finding:
    """A screening hit with what the reviewer needs: the entry (and its number, which a
    dismissal names), the names that matched, the score and the matcher's explanation."""
    return Finding.of(code, party=hit.party, name=hit.match.name, entry=hit.entry.name,
                      list=hit.entry.list, entry_id=hit.entry.entry_id or None,
                      entry_no=hit.entry.key or None, score=f"{hit.match.score:.2f}",
                      romanisation=hit.match.romanisation,
                      explanation=hit.match.explanation or None)


_RESELLERS = frozenset({Role.ASSEMBLER, Role.BROKER})


def _route_flags(app: Application, view: DayView) -> list[Finding]:
    found: list[Finding] = []
    for country in sorted(set(app.route)):
        why = []
        if view.embargoes.get(country):
            why.append("embargo")
        if country in view.at_war:
            why.append("at-war")
        listed = view.lists.get(country)
        if listed is DestinationList.GRAY or listed is DestinationList.BLACK:
            why.append(f"{listed}-list")
        if why:
            found.append(Finding.of("transit-risk", country=country, because=tuple(why)))
    return found


def _certificate_flags(app: Application, view: DayView) -> list[Finding]:
    euc = app.euc
    if euc is None:
        return [_EUC_MISSING] if view.policy.euc_required else []
    parties = view.world.parties
    found: list[Finding] = []
    if euc.valid_until < view.day:
        found.append(Finding.of("euc-expired", number=euc.number, valid_until=euc.valid_until))
    issuer = parties.get(euc.issuer)
    user_country = parties[app.end_user].country
    if issuer is None or Role.AUTHORITY not in issuer.roles or issuer.country != user_country:
        found.append(Finding.of("euc-issuer-unknown", number=euc.number, issuer=euc.issuer,
                                end_user_country=user_country))
    if issuer is not None:
        # Shown to the reviewer, but no flag: SPEC.md's `screening-hit` names the exporter,
        # the consignee, the end user and the intermediates only.
        found += [_hit_finding("euc-issuer-screening", hit) for hit in view.screen(issuer)]
    asked: dict[str, int] = {}
    for line in app.lines:
        asked[line.item] = asked.get(line.item, 0) + line.quantity
    covered: dict[str, int] = {}
    for cline in euc.goods:
        covered[cline.item] = covered.get(cline.item, 0) + cline.quantity
    short = tuple(sorted(item for item, qty in asked.items() if covered.get(item, 0) < qty))
    other_user = euc.end_user != app.end_user
    if other_user or short:
        found.append(Finding.of("euc-mismatch", number=euc.number,
                                certificate_end_user=euc.end_user if other_user else None,
                                items_not_covered=short or None))
    if not euc.non_reexport:
        found.append(Finding.of("euc-no-reexport", number=euc.number))
    if app.euc_cited_before:
        found.append(Finding.of("euc-reused", number=euc.number, issuer=euc.issuer,
                                cited_by=tuple(sorted(app.euc_cited_before))))
    return found


_EUC_MISSING = Finding.of("euc-missing")


def _nsc(flags: frozenset[str], over_value: bool, view: DayView) -> list[Finding]:
    """Why the National Security Council must consent, if it must."""
    policy = view.policy
    nsc = policy.nsc
    why: list[str] = []
    if nsc.always or NSC in policy.consents:
        why.append("always")
    if nsc.on_gray_list and "gray-list" in flags:
        why.append("gray-list")
    if nsc.on_flags:
        diversion = flags & DIVERSION_FLAGS
        if diversion:
            why.append("flags:" + "+".join(sorted(diversion)))
    if over_value:
        why.append(f"value>{nsc.value_over}")
    return [Finding.of("nsc", because=tuple(why))] if why else []
