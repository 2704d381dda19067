"""Consent requests: the bodies asked for their opinion on a case, each by a deadline.

At submission, and again after an amendment, one request goes to each body that the
assessment requires, due in `Deadlines.consent_working_days` working days. The
National Security Council is not asked here: its cases are on the council's agenda
(`workflow.nsc_agenda`). A request is `answered` when the body's opinion is recorded,
`superseded` when an amendment asks again about the new content, and `closed` when
the case leaves review by a decision, a withdrawal or a refusal, or when a new policy no
longer requires the body (which then asks each pending case of the bodies it adds:
`follow_policy`). The passing of time
(`observe`) marks each open request of a pending case overdue once, the day after its
deadline, and lists it on the unit (`Unit.consents_overdue`) for its notification.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, exists, func, select, update

from armsgate.domain.model import PENDING_STATES, ConsentRequest
from armsgate.rules.engine import NSC
from armsgate.rules.working_days import Deadlines
from armsgate.services.unit import Unit
from armsgate.store import schema as t

OPEN, ANSWERED, SUPERSEDED, CLOSED = "open", "answered", "superseded", "closed"

_r, _a = t.consent_requests, t.applications
_PENDING = [s.value for s in PENDING_STATES]
_INSERT = _r.insert().returning(_r.c.pk, _r.c.body)
_END = update(_r).where(_r.c.application_id == bindparam("app"), _r.c.status == OPEN).values(
    status=bindparam("b_status"), ended_seq=bindparam("b_seq"), ended_on=bindparam("b_day"))
_ANSWER = update(_r).where(_r.c.application_id == bindparam("app"), _r.c.status == OPEN,
                           _r.c.body == bindparam("b_body")).values(
    status=ANSWERED, ended_seq=bindparam("b_seq"), ended_on=bindparam("b_day"))
_LATE = (select(_r.c.pk, _r.c.application_id, _r.c.body, _r.c.requested_on, _r.c.deadline,
                _r.c.seq, _r.c.overdue_on)
         .join(_a, _a.c.id == _r.c.application_id)
         .where(_r.c.status == OPEN, _r.c.deadline < bindparam("day"), _a.c.state.in_(_PENDING))
         .order_by(_r.c.deadline, _r.c.application_id, _r.c.body))
_OVERDUE = (update(_r).where(_r.c.pk.in_(bindparam("ids", expanding=True)),
                            _r.c.overdue_seq.is_(None))
            .values(overdue_seq=bindparam("b_seq"), overdue_on=bindparam("b_day"))
            .returning(_r.c.pk))
_OF_CASE = select(_r).where(_r.c.application_id == bindparam("app")).order_by(_r.c.pk)
_INSERT_MANY = _r.insert().returning(_r.c.pk, _r.c.application_id, _r.c.body)
_RELEASE = update(_r).where(
    _r.c.status == OPEN, _r.c.body.in_(bindparam("bodies", expanding=True)),
    _r.c.application_id.in_(select(_a.c.id).where(_a.c.state.in_(_PENDING)))).values(
    status=CLOSED, ended_seq=bindparam("b_seq"), ended_on=bindparam("b_day"))
_v, _o = t.application_versions, t.opinions
_CONTENT = (select(func.coalesce(func.max(_v.c.version), 0) + 1)
            .where(_v.c.application_id == _a.c.id).scalar_subquery())
# Pending cases (with their current content's number) that :body has neither an open
# request on, nor given its opinion on since their latest amendment.
_NOT_YET_ASKED = (
    select(_a.c.id, _CONTENT)
    .where(_a.c.state.in_(_PENDING),
           ~exists().where(_r.c.application_id == _a.c.id, _r.c.body == bindparam("body"),
                           _r.c.status == OPEN),
           ~exists().where(_o.c.application_id == _a.c.id, _o.c.body == bindparam("body"),
                           _o.c.seq > func.coalesce(_a.c.amended_seq, 0)))
    .order_by(_a.c.seq))


def request(u: Unit, app_id: str, bodies: Iterable[str], content_version: int,
            deadlines: Deadlines) -> list[ConsentRequest]:
    """Ask each body (but the council) for its opinion on this content of the case."""
    due = deadlines.consent_due(u.day)
    rows = [{"application_id": app_id, "body": b, "content_version": content_version,
             "requested_on": u.day, "deadline": due, "seq": u.seq, "status": OPEN}
            for b in dict.fromkeys(bodies) if b != NSC]
    if not rows:
        return []
    made = [ConsentRequest(r.pk, app_id, r.body, u.day, due, u.seq)
            for r in u.conn.execute(_INSERT, rows)]
    u.consents_requested.extend(made)
    return made


def follow_policy(u: Unit, before: Sequence[str], after: Sequence[str],
                  deadlines: Deadlines) -> list[ConsentRequest]:
    """A policy changed the bodies whose consent every case needs (`before` -> `after`):
    each pending case is asked of each body added, about its current content, unless that
    body gave its opinion on that content already or has an open request; the open
    requests of the bodies no longer required are closed. Returns the requests made."""
    added = [b for b in dict.fromkeys(after) if b not in before and b != NSC]
    removed = [b for b in dict.fromkeys(before) if b not in after and b != NSC]
    if removed:
        u.conn.execute(_RELEASE, {"bodies": removed, "b_seq": u.seq, "b_day": u.day})
    if not added:
        return []
    due = deadlines.consent_due(u.day)
    rows = [{"application_id": app_id, "body": body, "content_version": version,
             "requested_on": u.day, "deadline": due, "seq": u.seq, "status": OPEN}
            for body in added
            for app_id, version in u.conn.execute(_NOT_YET_ASKED, {"body": body})]
    if not rows:
        return []
    made = [ConsentRequest(r.pk, r.application_id, r.body, u.day, due, u.seq)
            for r in u.conn.execute(_INSERT_MANY, rows)]
    u.consents_requested.extend(made)
    return made


def answered(u: Unit, app_id: str, body: str) -> None:
    """The body's opinion is recorded: its open request (if any) is answered."""
    u.conn.execute(_ANSWER, {"app": app_id, "b_body": body, "b_seq": u.seq, "b_day": u.day})


def supersede(u: Unit, app_id: str) -> None:
    """An amendment: the open requests are replaced by new ones about the new content."""
    u.conn.execute(_END, {"app": app_id, "b_status": SUPERSEDED, "b_seq": u.seq, "b_day": u.day})


def close(u: Unit, app_id: str) -> None:
    """The case left review: nothing more is asked of anyone."""
    u.conn.execute(_END, {"app": app_id, "b_status": CLOSED, "b_seq": u.seq, "b_day": u.day})


def _request(r: Any) -> ConsentRequest:
    return ConsentRequest(r.pk, r.application_id, r.body, r.requested_on, r.deadline, r.seq)


def late(conn: Connection, day: date) -> list[ConsentRequest]:
    """Open requests of pending cases whose deadline is before `day`, whether or not
    already marked overdue."""
    return [_request(r) for r in conn.execute(_LATE, {"day": day})]


def newly_overdue(conn: Connection, day: date) -> list[ConsentRequest]:
    """The late requests not yet marked overdue."""
    return [_request(r) for r in conn.execute(_LATE, {"day": day}) if r.overdue_on is None]


def mark_overdue(u: Unit, requests: Sequence[ConsentRequest]) -> list[ConsentRequest]:
    """Mark these requests overdue by the unit's event, and list them on the unit. Each is
    marked once: of two units observing the same day at once (two workers), the second
    finds it marked when the first commits, and lists only what it marked itself."""
    if not requests:
        return []
    marked = set(u.conn.execute(_OVERDUE, {"ids": [r.key for r in requests], "b_seq": u.seq,
                                           "b_day": u.day}).scalars())
    done = [r for r in requests if r.key in marked]
    u.consents_overdue.extend(done)
    return done


def of_case(conn: Connection, app_id: str) -> list[dict[str, Any]]:
    """Every request of a case, oldest first, as the case view shows them."""
    return [{k: v for k, v in r.items() if k != "application_id"}
            for r in conn.execute(_OF_CASE, {"app": app_id}).mappings()]


def overdue(conn: Connection, day: date) -> list[dict[str, Any]]:
    """The unanswered requests of pending cases past their deadline on `day`."""
    return [{"id": r.key, "application": r.application, "body": r.body,
             "requested_on": r.requested_on, "deadline": r.deadline,
             "days_late": (day - r.deadline).days} for r in late(conn, day)]



_NEXT = (select(func.min(_r.c.deadline)).join(_a, _a.c.id == _r.c.application_id)
         .where(_r.c.status == OPEN, _r.c.overdue_on.is_(None), _r.c.deadline >= bindparam("day"),
                _a.c.state.in_(_PENDING)))


def next_overdue(conn: Connection, today: date) -> date | None:
    """The next day after `today` on which an open request becomes overdue."""
    deadline = conn.execute(_NEXT, {"day": today}).scalar_one_or_none()
    return None if deadline is None else deadline + timedelta(days=1)
