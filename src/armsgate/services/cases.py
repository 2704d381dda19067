"""Cases: submission, opinions, the licensing decision and special resolutions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

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
from armsgate.services import consent_requests
from armsgate.services.case_state import take
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


def submit(u: Unit, cmd: i.Submit, *, appeal_of: str | None = None,
           same_case: Collection[str] = (), kind: str = "submit",
           extra: Mapping[str, Any] | None = None) -> Assessment:
    """Register an application and judge it on the day of submission. An appeal names the
    refused case (`appeal_of`); the cases it continues (`same_case`) do not count as
    citing its certificate before it. `kind`, `extra`: the event's kind and payload."""
    if u.conn.execute(by_id(t.applications, "id"), {"id": cmd.id}).first() is not None:
        raise InputError("submit.id", f"{cmd.id!r} is already used")
    check_references(u, cmd)
    cited = citing(u, cmd, exclude=same_case)
    seq = u.event(kind, {**cmd.model_dump(mode="json"), **(extra or {})})
    app = convert.application(cmd, day=u.day, seq=seq, cited_before=cited)
    view = u.view()
    assessment = u.assessment = assess(app, view)
    state = _OUTCOME_STATE[assessment.outcome.value]
    reasons = assessment.reasons if state is AppState.REFUSED else ()
    dests = {view.world.parties[p].country
             for p in (app.consignee, app.end_user, *app.intermediates)}
    row, lines, dest_rows = application_rows(app, view.categories, dests, state.value, reasons,
                                             u.day)
    if appeal_of is not None:
        row["appeal_of"] = appeal_of
    u.conn.execute(_INSERT_APPLICATION, row)
    u.conn.execute(_INSERT_LINE, lines)
    u.conn.execute(_INSERT_DESTINATION, dest_rows)
    u.cache.put(app)
    _note(u, "application", app.id, "", state.value, reasons)
    return assessment


def check_references(u: Unit, cmd: i.Submit) -> None:
    """Every party and goods item that a submission names exists (NotFound names it)."""
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


def citing(u: Unit, cmd: i.Submit, exclude: Collection[str] = ()) -> tuple[str, ...]:
    """The applications already in the store that cite the submission's certificate."""
    if cmd.euc is None:
        return ()
    key = euc_key(cmd.euc.issuer, cmd.euc.number)
    return tuple(sorted(a for a in u.conn.execute(_CITING, {"key": key}).scalars()
                        if a not in exclude and a != cmd.id))


def opinions_of(u: Unit, app_id: str) -> list[Opinion]:
    return [Opinion(r.application_id, r.body, Decision(r.decision), r.day, r.seq, r.reason)
            for r in u.conn.execute(_OPINIONS, {"app": app_id})]


def consent(u: Unit, cmd: i.ConsentIn, expected_version: int | None = None) -> None:
    """Record a body's opinion (it answers the body's consent request); it changes no
    state (SPEC.md)."""
    take(u, cmd.application, expected_version, "consent.application")
    u.event("consent", cmd.model_dump(mode="json"))
    u.conn.execute(_INSERT_OPINION, {
        "application_id": cmd.application, "body": cmd.body, "decision": cmd.decision.value,
        "reason": cmd.reason, "day": u.day, "seq": u.seq})
    consent_requests.answered(u, cmd.application, cmd.body)


def decide(u: Unit, cmd: i.Decide, expected_version: int | None = None) -> AppState:
    """Refuse on an objection, approve and issue a licence with every consent, else wait.
    Only the opinions recorded since the application's latest version count."""
    taken = take(u, cmd.application, expected_version, "decide.application")
    before = taken.state
    u.event("decide", cmd.model_dump(mode="json"))
    if before is not AppState.IN_REVIEW:
        return before
    app = u.cache.load(u.conn, [cmd.application])[cmd.application]
    view = u.view()
    assessment = u.assessment = assess(app, view)
    current = [o for o in opinions_of(u, app.id) if o.seq > taken.content_since]
    after, reasons = decision_on(before, latest_opinions(current), assessment.consents)
    if after is before:
        return before
    _set_state(u, app.id, before, after, reasons)
    consent_requests.close(u, app.id)
    if after is AppState.APPROVED:
        expires = expiry_day(u.day, view.policy.licence_days)
        u.conn.execute(t.licences.insert().values(
            id=app.id, application_id=app.id, issued_on=u.day, expires_on=expires,
            state=LicenceState.ACTIVE.value, state_since=u.day, version=1))
        _note(u, "licence", app.id, "", LicenceState.ACTIVE.value, ())
    return after


def resolve(u: Unit, cmd: i.ResolveIn, expected_version: int | None = None) -> ChangeReport:
    """A special resolution: `allow` releases the case from earlier suspensions and records
    the NSC's consent; `deny` refuses a pending case and revokes a live licence."""
    before = take(u, cmd.application, expected_version, "resolve.application").state
    if u.conn.execute(by_id(t.resolutions, "id"), {"id": cmd.id}).first() is not None:
        raise InputError("resolve.id", f"{cmd.id!r} is already used")
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
        consent_requests.close(u, cmd.application)
    u.refresh("resolutions")
    u.reassess(Scope(applications=frozenset({cmd.application})))
    return u.report


def _set_state(u: Unit, app_id: str, before: AppState, after: AppState,
               reasons: tuple[str, ...]) -> None:
    """A state change of a case taken by this command (`take` bumped its version)."""
    a = t.applications
    u.conn.execute(update(a).where(a.c.id == app_id).values(
        state=after.value, reasons=list(reasons), state_since=u.day))
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
