"""Amendments of pending applications and appeals of refused ones.

An amendment is a new version of a pending application under the same id: new goods,
parties, route or certificate (the exporter stays). Its earlier content is kept in
`application_versions` as the submission that made it; the new content is judged as
on submission (the state may change: a new destination may be embargoed), the open
consent requests are superseded and every body the new assessment requires is asked
again. Opinions given before the amendment no longer count for the decision
(`cases.decide` reads only those recorded after `applications.amended_seq`), and the
council's agenda shows the case again when it needs the council.

An appeal of a refusal, lodged within `Deadlines.appeal_days` calendar days of it, is
a new case (a new id) with the same content, linked to the refused one by
`applications.appeal_of`, submitted and judged anew. A refused case is appealed once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Integer, String, bindparam, cast, delete, func, select, update

from armsgate.domain import convert
from armsgate.domain import inputs as i
from armsgate.domain.model import PENDING_STATES, AppState
from armsgate.errors import InputError, StateConflict
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.lifecycle import state_for
from armsgate.rules.working_days import Deadlines
from armsgate.services import cases, consent_requests, workflow
from armsgate.services.case_state import set_state, take
from armsgate.services.unit import Unit
from armsgate.store import schema as t
from armsgate.store.repository import application_rows, euc_key

AMENDMENTS = "amendments"  # meta: how many amendments were made (processes' caches sync)
_CONTENT = ("consignee", "end_user", "intermediates", "route", "end_use", "euc", "euc_key",
            "euc_cited_before", "value_cents")

_a, _v = t.applications, t.application_versions
_LAST_VERSION = select(func.max(_v.c.version)).where(_v.c.application_id == bindparam("app"))
_CITED_BEFORE = select(_a.c.id).where(_a.c.euc_key == bindparam("key"),
                                      _a.c.seq < bindparam("seq"))
_SET_CONTENT = update(_a).where(_a.c.id == bindparam("app")).values(
    {**{c: bindparam(f"b_{c}", type_=_a.c[c].type) for c in _CONTENT},
     "amended_seq": bindparam("b_amended_seq")})
_DROP_LINES = delete(t.application_lines).where(
    t.application_lines.c.application_id == bindparam("app"))
_DROP_DESTINATIONS = delete(t.application_destinations).where(
    t.application_destinations.c.application_id == bindparam("app"))
_COUNT = (update(t.meta).where(t.meta.c.key == AMENDMENTS)
          .values(value=cast(cast(t.meta.c.value, Integer) + 1, String)))
_APPEAL_OF = select(_a.c.appeal_of).where(_a.c.id == bindparam("app"))
_APPEALED = select(_a.c.id).where(_a.c.appeal_of == bindparam("app"))
_REFUSAL = select(_a.c.state, _a.c.state_since).where(_a.c.id == bindparam("app"))
_VERSIONS = select(_v).where(_v.c.application_id == bindparam("app")).order_by(_v.c.version)


def content_version(conn: Connection, app_id: str) -> int:
    """The number of the application's current content (1: as submitted)."""
    return int(conn.execute(_LAST_VERSION, {"app": app_id}).scalar_one_or_none() or 0) + 1


def current_after(earlier: Sequence[Mapping[str, object]]) -> int:
    """`content_version` from the earlier contents that `versions` gives (no statement)."""
    last = earlier[-1]["version"] if earlier else 0
    assert isinstance(last, int)
    return last + 1


def lineage(conn: Connection, app_id: str) -> list[str]:
    """The refused cases that this case appeals, nearest first (an appeal of an appeal...)."""
    found: list[str] = []
    current: str | None = app_id
    while current is not None:
        current = conn.execute(_APPEAL_OF, {"app": current}).scalar_one_or_none()
        if current is not None:
            if current in found:
                break
            found.append(current)
    return found


def amend(u: Unit, cmd: i.Submit, deadlines: Deadlines, *,
          expected_version: int | None = None) -> Assessment:
    """A new version of a pending application (`cmd.id`), judged as on submission."""
    taken = take(u, cmd.id, expected_version, "amend.id")
    if taken.state not in PENDING_STATES:
        raise StateConflict(f"application {cmd.id!r} is {taken.state.value}: only a case in "
                            "review or held can be amended")
    if cmd.exporter != taken.exporter:
        raise InputError("amend.exporter", f"an amendment keeps the exporter "
                                           f"{taken.exporter!r}")
    cases.check_references(u, cmd)
    old = u.cache.load(u.conn, [cmd.id])[cmd.id]
    number = content_version(u.conn, cmd.id)
    u.event("amend", {"application": cmd.id, "content_version": number + 1,
                      "submit": cmd.model_dump(mode="json")})
    u.conn.execute(_v.insert().values(
        application_id=cmd.id, version=number, document=convert.document(convert.submission(old)),
        seq=taken.amended_seq or old.seq, replaced_seq=u.seq, replaced_on=u.day))
    same_case = set(lineage(u.conn, cmd.id))
    cited: tuple[str, ...] = ()
    if cmd.euc is not None:
        key = euc_key(cmd.euc.issuer, cmd.euc.number)
        cited = tuple(sorted(a for a in u.conn.execute(_CITED_BEFORE, {"key": key, "seq": old.seq})
                             .scalars() if a != cmd.id and a not in same_case))
    assert old.submitted_on is not None
    new = convert.application(cmd, day=old.submitted_on, seq=old.seq, cited_before=cited)
    view = u.view()
    assessment = u.assessment = assess(new, view)
    after, reasons = state_for(taken.state, assessment.outcome, assessment.reasons)
    dests = {view.world.parties[p].country
             for p in (new.consignee, new.end_user, *new.intermediates)}
    row, lines, dest_rows = application_rows(new, view.categories, dests, after.value, reasons,
                                             old.submitted_on)
    u.conn.execute(_SET_CONTENT, {**{f"b_{c}": row[c] for c in _CONTENT}, "app": cmd.id,
                                  "b_amended_seq": u.seq})
    u.conn.execute(_DROP_LINES, {"app": cmd.id})
    u.conn.execute(_DROP_DESTINATIONS, {"app": cmd.id})
    u.conn.execute(t.application_lines.insert(), lines)
    u.conn.execute(t.application_destinations.insert(), dest_rows)
    u.cache.put(new)
    if after is not taken.state:
        set_state(u, cmd.id, taken.state, after, reasons)
    _count_amendment(u)
    consent_requests.supersede(u, cmd.id)
    if after in PENDING_STATES:
        consent_requests.request(u, cmd.id, assessment.consents, number + 1, deadlines)
    return assessment


def _count_amendment(u: Unit) -> None:
    """Bump the meta count that tells other processes to forget the applications they keep."""
    if u.conn.execute(_COUNT).rowcount == 0:
        u.conn.execute(t.meta.insert().values(key=AMENDMENTS, value="1"))


def appeal(u: Unit, app_id: str, deadlines: Deadlines, *, new_id: str | None = None,
           expected_version: int | None = None) -> Assessment:
    """Appeal a refusal: a new case `new_id` (default `<id>-appeal`) with the refused
    case's content, linked to it, submitted and judged anew."""
    taken = take(u, app_id, expected_version, "appeal.application")
    if taken.state is not AppState.REFUSED:
        raise StateConflict(f"application {app_id!r} is {taken.state.value}: only a refusal "
                            "can be appealed")
    refused_on = u.conn.execute(_REFUSAL, {"app": app_id}).one().state_since
    last_day = deadlines.appeal_until(refused_on)
    if u.day > last_day:
        raise StateConflict(f"the refusal of {app_id!r} on {refused_on.isoformat()} could be "
                            f"appealed until {last_day.isoformat()} "
                            f"({deadlines.appeal_days} days)")
    earlier = u.conn.execute(_APPEALED, {"app": app_id}).scalar_one_or_none()
    if earlier is not None:
        raise StateConflict(f"the refusal of {app_id!r} is already appealed by {earlier!r}")
    new_id = workflow.text(new_id or f"{app_id}-appeal", "appeal.id")
    old = u.cache.load(u.conn, [app_id])[app_id]
    cmd = convert.submission(old).model_copy(update={"id": new_id})
    same_case = {app_id, *lineage(u.conn, app_id)}
    return workflow.submit(u, cmd, deadlines, appeal_of=app_id, same_case=same_case,
                           kind="appeal")


def versions(conn: Connection, app_id: str) -> list[dict[str, object]]:
    """The earlier contents of an application, oldest first, each with the events that made
    and replaced it."""
    return [{k: v for k, v in r.items() if k != "application_id"}
            for r in conn.execute(_VERSIONS, {"app": app_id}).mappings()]
