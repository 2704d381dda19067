"""The policy engine: one application, judged on one day, with reasons.

`assess` is pure and deterministic: the same application and the same day view
give the same assessment, whatever the order of its lines or parties. It never
reads a clock or a database; the caller builds the `DayView`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from armsgate.domain.model import (
    Application,
    DestinationList,
    EmbargoTarget,
    Role,
)
from armsgate.rules.findings import DIVERSION_FLAGS, Effect, Finding, Outcome
from armsgate.rules.world import DayView

NSC = "nsc"


@dataclass(frozen=True, slots=True)
class Assessment:
    application: str
    day: date
    outcome: Outcome
    flags: frozenset[str]
    reasons: tuple[str, ...]  # refusal codes, sorted
    consents: tuple[str, ...]  # required bodies: policy order, then nsc
    findings: tuple[Finding, ...]

    def explain(self) -> list[str]:
        return [f.explain() for f in self.findings]


def assess(app: Application, view: DayView) -> Assessment:
    parties = view.world.parties
    goods = view.world.goods
    line_categories = frozenset(view.categories[line.item] for line in app.lines)
    dests = tuple(sorted({parties[i].country for i in (app.consignee, app.end_user,
                                                        *app.intermediates)}))
    findings: list[Finding] = []
    findings += _prohibitions(dests, line_categories, view)
    findings += _suspensions(app, dests, line_categories, view)
    findings += _party_flags(app, view)
    findings += _route_flags(app, view)
    findings += _certificate_flags(app, view)
    if any(goods[line.item].kit_of is not None for line in app.lines):
        kits = sorted({line.item for line in app.lines if goods[line.item].kit_of is not None})
        findings.append(Finding.of("assembly-kit", items=kits,
                                   makes=sorted({view.categories[k] for k in kits})))
    flags = frozenset(f.code for f in findings if f.effect is Effect.FLAG)
    consent_findings = _consents(app, flags, view)
    findings += consent_findings
    effects = {f.effect for f in findings}
    outcome = (Outcome.REFUSE if Effect.REFUSE in effects
               else Outcome.HOLD if Effect.HOLD in effects else Outcome.REVIEW)
    reasons = tuple(sorted({f.code for f in findings if f.effect is Effect.REFUSE}))
    consents = [b for b in view.policy.consents if b != NSC]
    if any(f.code == NSC for f in consent_findings):
        consents.append(NSC)
    return Assessment(app.id, view.day, outcome, flags, reasons, tuple(consents),
                      tuple(sorted(set(findings))))


def _prohibitions(dests: tuple[str, ...], categories: frozenset[str],
                  view: DayView) -> list[Finding]:
    found: list[Finding] = []
    for country in dests:
        for embargo in view.embargoes.get(country, ()):
            covered = sorted(c for c in categories if embargo.covers(c))
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


def _suspensions(app: Application, dests: tuple[str, ...], categories: frozenset[str],
                 view: DayView) -> list[Finding]:
    found: list[Finding] = []
    allowed = view.allowed_at.get(app.id)
    for order in view.suspensions:
        hit_dests = dests if order.destinations is None else tuple(
            d for d in dests if d in order.destinations)
        hit_cats = categories if order.categories is None else categories & order.categories
        if not hit_dests or not hit_cats:
            continue
        if allowed is not None and allowed.seq > order.seq:
            found.append(Finding.of("special-resolution", order=order.id, resolution=allowed.id,
                                    resolved_on=allowed.day))
        else:
            found.append(Finding.of("suspension", order=order.id, categories=sorted(hit_cats),
                                    destinations=hit_dests, since=order.period.start,
                                    until=order.period.end))
    return found


def _party_flags(app: Application, view: DayView) -> list[Finding]:
    parties = view.world.parties
    found: list[Finding] = []
    consignee = parties[app.consignee]
    why = []
    if app.consignee != app.end_user:
        why.append("consignee-is-not-end-user")
    if app.intermediates:
        why.append("intermediates")
    roles = consignee.roles & {Role.ASSEMBLER, Role.BROKER}
    if roles:
        why.append("consignee-is-" + "-and-".join(sorted(roles)))
    if why:
        found.append(Finding.of("re-export-risk", because=why,
                                intermediates=sorted(app.intermediates) or None))
    screened = sorted(set(app.screened_party_ids))
    for party_id in screened:
        for hit in view.screen(parties[party_id]):
            found.append(Finding.of("screening-hit", party=party_id, name=hit.match.name,
                                    entry=hit.entry.name, list=hit.entry.list,
                                    entry_id=hit.entry.entry_id or None,
                                    score=f"{hit.match.score:.2f}",
                                    romanisation=hit.match.romanisation))
    return found


def _route_flags(app: Application, view: DayView) -> list[Finding]:
    found: list[Finding] = []
    for country in sorted(set(app.route)):
        why = []
        if view.embargoes.get(country):
            why.append("embargo")
        if country in view.at_war:
            why.append("at-war")
        listed = view.lists.get(country)
        if listed in (DestinationList.GRAY, DestinationList.BLACK):
            why.append(f"{listed}-list")
        if why:
            found.append(Finding.of("transit-risk", country=country, because=why))
    return found


def _certificate_flags(app: Application, view: DayView) -> list[Finding]:
    euc = app.euc
    if euc is None:
        return [Finding.of("euc-missing")] if view.policy.euc_required else []
    parties = view.world.parties
    found: list[Finding] = []
    if euc.valid_until < view.day:
        found.append(Finding.of("euc-expired", number=euc.number, valid_until=euc.valid_until))
    issuer = parties.get(euc.issuer)
    user_country = parties[app.end_user].country
    if issuer is None or Role.AUTHORITY not in issuer.roles or issuer.country != user_country:
        found.append(Finding.of("euc-issuer-unknown", number=euc.number, issuer=euc.issuer,
                                end_user_country=user_country))
    asked: Counter[str] = Counter()
    for line in app.lines:
        asked[line.item] += line.quantity
    covered: Counter[str] = Counter()
    for cline in euc.goods:
        covered[cline.item] += cline.quantity
    short = sorted(item for item, qty in asked.items() if covered[item] < qty)
    if euc.end_user != app.end_user or short:
        found.append(Finding.of("euc-mismatch", number=euc.number,
                                certificate_end_user=euc.end_user if euc.end_user != app.end_user
                                else None, items_not_covered=short or None))
    if not euc.non_reexport:
        found.append(Finding.of("euc-no-reexport", number=euc.number))
    if app.euc_cited_before:
        found.append(Finding.of("euc-reused", number=euc.number, issuer=euc.issuer,
                                cited_by=sorted(app.euc_cited_before)))
    return found


def _consents(app: Application, flags: frozenset[str], view: DayView) -> list[Finding]:
    policy = view.policy
    found: list[Finding] = []
    bodies = [b for b in policy.consents if b != NSC]
    if bodies:
        found.append(Finding.of("consents", bodies=",".join(bodies)))
    nsc = policy.nsc
    why: list[str] = []
    if nsc.always or NSC in policy.consents:
        why.append("always")
    if nsc.on_gray_list and "gray-list" in flags:
        why.append("gray-list")
    diversion = sorted(flags & DIVERSION_FLAGS)
    if nsc.on_flags and diversion:
        why.append("flags:" + "+".join(diversion))
    if nsc.value_over is not None and app.total_value > nsc.value_over:
        why.append(f"value>{nsc.value_over}")
    if why:
        found.append(Finding.of("nsc", because=why))
    return found
