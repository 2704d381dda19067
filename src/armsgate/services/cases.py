"""Cases: submission, opinions, the licensing decision and special resolutions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select, update

from armsgate.domain import convert
from armsgate.domain import inputs as i
from armsgate.domain.model import AppState, Decision, LicenceState, Opinion, Resolve
from armsgate.errors import InputError, NotFound
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.lifecycle import (
    decision_on,
    expiry_day,
    latest_opinions,
)
from armsgate.services.reassess import ChangeReport, Scope, change, record_changes
from armsgate.services.unit import Unit
from armsgate.store import schema as t
from armsgate.store.repository import application_rows, euc_key
from armsgate.store.statements import by_id

_OUTCOME_STATE = {"refuse": AppState.REFUSED, "hold": AppState.HELD, "review": AppState.IN_REVIEW}


def _check_parties(u: Unit, refs: Iterable[tuple[str, str]]) -> None:
    for field, party_id in refs:
        if party_id not in u.world.parties:
            raise NotFound(field, f"no party {party_id!r}")


def submit(u: Unit, cmd: i.Submit) -> Assessment:
    """Register an application and judge it on the day of submission."""
    if u.conn.execute(by_id(t.applications, "id"), {"id": cmd.id}).first() is not None:
        raise InputError("submit.id", f"{cmd.id!r} is already used")
    refs = [("submit.exporter", cmd.exporter), ("submit.consignee", cmd.consignee),
            ("submit.end_user", cmd.end_user)]
    refs += [(f"submit.intermediates[{n}]", p) for n, p in enumerate(cmd.intermediates)]
    if cmd.euc is not None:
        refs += [("submit.euc.issuer", cmd.euc.issuer), ("submit.euc.end_user", cmd.euc.end_user)]
    _check_parties(u, refs)
    items = [(f"submit.goods[{n}].item", g.item) for n, g in enumerate(cmd.goods)]
    if cmd.euc is not None:
        items += [(f"submit.euc.goods[{n}].item", g.item) for n, g in enumerate(cmd.euc.goods)]
    for field, item in items:
        if item not in u.world.goods:
            raise NotFound(field, f"no goods item {item!r}")
    cited: tuple[str, ...] = ()
    if cmd.euc is not None:
        key = euc_key(cmd.euc.issuer, cmd.euc.number)
        cited = tuple(sorted(u.conn.execute(_CITING, {"key": key}).scalars()))
    seq = u.event("submit", cmd.model_dump(mode="json"))
    app = convert.application(cmd, day=u.day, seq=seq, cited_before=cited)
    view = u.view()
    assessment = assess(app, view)
    state = _OUTCOME_STATE[assessment.outcome.value]
    reasons = assessment.reasons if state is AppState.REFUSED else ()
    dests = {view.world.parties[p].country
             for p in (app.consignee, app.end_user, *app.intermediates)}
    row, lines, dest_rows = application_rows(app, view.categories, dests, state.value, reasons,
                                             u.day)
    u.conn.execute(_INSERT_APPLICATION, row)
    u.conn.execute(_INSERT_LINE, lines)
    u.conn.execute(_INSERT_DESTINATION, dest_rows)
    u.cache.put(app)
    _note(u, "application", app.id, "", state.value, reasons)
    return assessment


def _application_state(u: Unit, app_id: str, field: str) -> AppState:
    state = u.conn.execute(by_id(t.applications, "state"), {"id": app_id}).scalar_one_or_none()
    if state is None:
        raise NotFound(field, f"no application {app_id!r}")
    return AppState(state)


def opinions_of(u: Unit, app_id: str) -> list[Opinion]:
    return [Opinion(r.application_id, r.body, Decision(r.decision), r.day, r.seq, r.reason)
            for r in u.conn.execute(_OPINIONS, {"app": app_id})]


def consent(u: Unit, cmd: i.ConsentIn) -> None:
    """Record a body's opinion; it changes no state (SPEC.md)."""
    _application_state(u, cmd.application, "consent.application")
    u.event("consent", cmd.model_dump(mode="json"))
    u.conn.execute(_INSERT_OPINION, {
        "application_id": cmd.application, "body": cmd.body, "decision": cmd.decision.value,
        "reason": cmd.reason, "day": u.day, "seq": u.seq})


def decide(u: Unit, cmd: i.Decide) -> AppState:
    """Refuse on an objection, approve and issue a licence with every consent, else wait."""
    before = _application_state(u, cmd.application, "decide.application")
    u.event("decide", cmd.model_dump(mode="json"))
    if before is not AppState.IN_REVIEW:
        return before
    app = u.cache.load(u.conn, [cmd.application])[cmd.application]
    view = u.view()
    assessment = assess(app, view)
    after, reasons = decision_on(before, latest_opinions(opinions_of(u, app.id)),
                                 assessment.consents)
    if after is before:
        return before
    _set_state(u, app.id, before, after, reasons)
    if after is AppState.APPROVED:
        expires = expiry_day(u.day, view.policy.licence_days)
        u.conn.execute(t.licences.insert().values(
            id=app.id, application_id=app.id, issued_on=u.day, expires_on=expires,
            state=LicenceState.ACTIVE.value, state_since=u.day, version=1))
        _note(u, "licence", app.id, "", LicenceState.ACTIVE.value, ())
    return after


def resolve(u: Unit, cmd: i.ResolveIn) -> ChangeReport:
    """A special resolution: `allow` releases the case from earlier suspensions and records
    the NSC's consent; `deny` refuses a pending case and revokes a live licence."""
    if u.conn.execute(by_id(t.resolutions, "id"), {"id": cmd.id}).first() is not None:
        raise InputError("resolve.id", f"{cmd.id!r} is already used")
    before = _application_state(u, cmd.application, "resolve.application")
    u.event("resolve", cmd.model_dump(mode="json"))
    u.conn.execute(t.resolutions.insert().values(
        id=cmd.id, application_id=cmd.application, decision=cmd.decision.value, day=u.day,
        seq=u.seq))
    if cmd.decision is Resolve.ALLOW:
        u.conn.execute(t.opinions.insert().values(
            application_id=cmd.application, body="nsc", decision=Decision.CONSENT.value,
            reason=f"special resolution {cmd.id}", day=u.day, seq=u.seq))
    elif before in (AppState.IN_REVIEW, AppState.HELD):
        _set_state(u, cmd.application, before, AppState.REFUSED, ("nsc-denied",))
    u.refresh("resolutions")
    u.reassess(Scope(applications=frozenset({cmd.application})))
    return u.report


def _set_state(u: Unit, app_id: str, before: AppState, after: AppState,
               reasons: tuple[str, ...]) -> None:
    a = t.applications
    u.conn.execute(update(a).where(a.c.id == app_id).values(
        state=after.value, reasons=list(reasons), state_since=u.day, version=a.c.version + 1))
    _note(u, "application", app_id, before.value, after.value, reasons)


_CITING = select(t.applications.c.id).where(t.applications.c.euc_key == bindparam("key"))
_OPINIONS = select(t.opinions).where(t.opinions.c.application_id == bindparam("app"))
_INSERT_APPLICATION = t.applications.insert()
_INSERT_LINE = t.application_lines.insert()
_INSERT_DESTINATION = t.application_destinations.insert()
_INSERT_OPINION = t.opinions.insert()


def _note(u: Unit, subject: str, app_id: str, before: str, after: str,
          reasons: tuple[str, ...]) -> None:
    app = u.cache.load(u.conn, [app_id])[app_id]
    noted = change(subject, app, before, after, reasons, u.world.parties)
    u.report.changes.append(noted)
    record_changes(u.conn, u.seq, u.day, [noted])
