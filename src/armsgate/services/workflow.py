"""The review workflow around SPEC.md's states, without changing what SPEC.md defines.

- Submission asks each body that the assessment requires for its consent, with a
  deadline (`consent_requests`).
- A case can be returned to its exporter for more information: the officer's question
  and the exporter's answer (`info_requests`). The case stays `in_review` (or `held`)
  for the rules; while a question is unanswered the case is *awaiting the exporter*.
- Its exporter can withdraw a pending case: `withdrawn` is final, and no re-assessment
  touches it (it is not among `PENDING_STATES`).
- An officer can refuse a pending case on a criterion of the EU Common Position
  2008/944/CFSP with a written reason: reason `criterion-N`, the text kept in the
  `state_changes` row.

Every command takes the case first (`case_state.take`: optimistic locking) and returns
its `CaseStatus`, with the version to quote in the next command.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Connection, bindparam, exists, func, select, update

from armsgate.domain import inputs as i
from armsgate.domain.model import PENDING_STATES, Application, AppState
from armsgate.errors import InputError, StateConflict
from armsgate.rules.engine import NSC, Assessment, destinations
from armsgate.rules.findings import Outcome
from armsgate.rules.working_days import Deadlines
from armsgate.rules.world import DayView, World
from armsgate.services import cases, consent_requests
from armsgate.services.assessed import Assessed
from armsgate.services.case_state import Taken, set_state, take
from armsgate.services.unit import ApplicationCache, Unit
from armsgate.store import schema as t

# The criteria of Council Common Position 2008/944/CFSP (Article 2), as amended by
# Council Decision (CFSP) 2019/1560.
CRITERIA: dict[int, str] = {
    1: "respect for the international obligations and commitments of Member States, in "
       "particular the sanctions adopted by the UN Security Council or the EU",
    2: "respect for human rights in the country of final destination and respect by that "
       "country of international humanitarian law",
    3: "internal situation in the country of final destination (tensions or armed conflicts)",
    4: "preservation of regional peace, security and stability",
    5: "national security of the Member States and of friendly and allied countries",
    6: "behaviour of the buyer country with regard to the international community, notably "
       "its attitude to terrorism, the nature of its alliances and respect for international "
       "law",
    7: "existence of a risk that the military technology or equipment will be diverted "
       "within the buyer country or re-exported under undesirable conditions",
    8: "compatibility of the exports with the technical and economic capacity of the "
       "recipient country",
}
MAX_TEXT = 10_000


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """A case after a command: its state and the version to quote in the next command."""

    application: str
    state: AppState
    version: int


def submit(u: Unit, cmd: i.Submit, deadlines: Deadlines, *, appeal_of: str | None = None,
           same_case: Collection[str] = (), kind: str = "submit",
           extra: Mapping[str, Any] | None = None) -> Assessment:
    """SPEC.md's submission, then a consent request to each body the assessment requires
    (none when it is refused at once). `kind` and `extra`: the event's kind and what its
    payload says besides the submission (an appeal, a draft)."""
    assessment = cases.submit(u, cmd, appeal_of=appeal_of, same_case=same_case, kind=kind,
                              extra=extra)
    if assessment.outcome is not Outcome.REFUSE:
        consent_requests.request(u, cmd.id, assessment.consents, 1, deadlines)
    return assessment


def text(value: object, field: str, *, required: bool = True) -> str:
    """Free text given by a person: a string of at most 10,000 characters, not blank when
    `required`; InputError naming `field` otherwise."""
    if not isinstance(value, str):
        raise InputError(field, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise InputError(field, f"at most {MAX_TEXT} characters, got {len(value)}")
    if required and not value.strip():
        raise InputError(field, "must not be empty")
    return value.strip()


def _pending(taken: Taken, app_id: str, action: str) -> None:
    if taken.state not in PENDING_STATES:
        raise StateConflict(f"application {app_id!r} is {taken.state.value}: only a case in "
                            f"review or held can be {action}")


_q = t.info_requests
_OPEN_QUESTION = (select(_q.c.pk, _q.c.asked_on, _q.c.question)
                  .where(_q.c.application_id == bindparam("app"), _q.c.answered_seq.is_(None))
                  .order_by(_q.c.pk.desc()).limit(1))
_ANSWER = update(_q).where(_q.c.pk == bindparam("asked")).values(
    answer=bindparam("b_answer"), answered_by=bindparam("actor"),
    answered_on=bindparam("day"), answered_seq=bindparam("seq"))
_QUESTIONS = select(_q).where(_q.c.application_id == bindparam("app")).order_by(_q.c.pk)


def ask(u: Unit, app_id: str, question: str, *, expected_version: int | None = None
        ) -> CaseStatus:
    """Return a pending case to its exporter with a question; it stays in review."""
    question = text(question, "ask.question")
    taken = take(u, app_id, expected_version, "ask.application")
    _pending(taken, app_id, "returned to its exporter")
    open_question = u.conn.execute(_OPEN_QUESTION, {"app": app_id}).first()
    if open_question is not None:
        raise StateConflict(f"application {app_id!r} already awaits its exporter's answer to "
                            f"the question of {open_question.asked_on.isoformat()}")
    u.event("ask", {"application": app_id, "question": question})
    u.conn.execute(_q.insert().values(application_id=app_id, question=question,
                                      asked_by=u.actor, asked_on=u.day, asked_seq=u.seq))
    return CaseStatus(app_id, taken.state, taken.version)


def answer(u: Unit, app_id: str, reply: str, *, expected_version: int | None = None
           ) -> CaseStatus:
    """The exporter's answer to the open question: the case no longer awaits it."""
    reply = text(reply, "answer.text")
    taken = take(u, app_id, expected_version, "answer.application")
    _pending(taken, app_id, "answered")
    open_question = u.conn.execute(_OPEN_QUESTION, {"app": app_id}).first()
    if open_question is None:
        raise StateConflict(f"application {app_id!r} awaits no answer from its exporter")
    u.event("answer", {"application": app_id, "text": reply})
    u.conn.execute(_ANSWER, {"asked": open_question.pk, "b_answer": reply,
                             "actor": u.actor, "day": u.day, "seq": u.seq})
    return CaseStatus(app_id, taken.state, taken.version)


def withdraw(u: Unit, app_id: str, reason: str = "", *, expected_version: int | None = None
             ) -> CaseStatus:
    """The exporter withdraws a pending case: `withdrawn`, final."""
    reason = text(reason, "withdraw.reason", required=False)
    taken = take(u, app_id, expected_version, "withdraw.application")
    _pending(taken, app_id, "withdrawn")
    u.event("withdraw", {"application": app_id, "reason": reason})
    set_state(u, app_id, taken.state, AppState.WITHDRAWN, (), note=reason or None)
    consent_requests.close(u, app_id)
    return CaseStatus(app_id, AppState.WITHDRAWN, taken.version)


def refuse(u: Unit, app_id: str, criterion: object, reason: str, *,
           expected_version: int | None = None) -> CaseStatus:
    """An officer refuses a pending case on a criterion (1 to 8) of the EU Common Position
    2008/944/CFSP, with a written reason: `refused`, reason `criterion-N`."""
    if isinstance(criterion, bool) or not isinstance(criterion, int) or criterion not in CRITERIA:
        raise InputError("refuse.criterion", "a criterion of the EU Common Position "
                                             f"2008/944/CFSP is a number 1 to 8, got {criterion!r}")
    reason = text(reason, "refuse.reason")
    taken = take(u, app_id, expected_version, "refuse.application")
    _pending(taken, app_id, "refused")
    u.event("refuse", {"application": app_id, "criterion": criterion, "reason": reason})
    set_state(u, app_id, taken.state, AppState.REFUSED, (f"criterion-{criterion}",),
              note=reason)
    consent_requests.close(u, app_id)
    return CaseStatus(app_id, AppState.REFUSED, taken.version)


def questions(conn: Connection, app_id: str) -> list[dict[str, Any]]:
    """The questions put to the exporter and the answers, oldest first."""
    return [{k: v for k, v in r.items() if k != "application_id"}
            for r in conn.execute(_QUESTIONS, {"app": app_id}).mappings()]


def awaiting(state: str, asked: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The `awaiting` marker of a case: since when and what it awaits from its exporter."""
    if state not in {s.value for s in PENDING_STATES}:
        return None
    for q in reversed(asked):
        if q["answered_seq"] is None:
            return {"party": "exporter", "since": q["asked_on"], "question": q["question"]}
    return None


_a, _o, _res = t.applications, t.opinions, t.resolutions
_since = func.coalesce(_a.c.amended_seq, 0)
_BEFORE_COUNCIL = (
    select(_a.c.id, _a.c.state, _a.c.version, _a.c.submitted_on)
    .where(_a.c.state.in_([s.value for s in PENDING_STATES]),
           ~exists().where(_o.c.application_id == _a.c.id, _o.c.body == NSC, _o.c.seq > _since),
           ~exists().where(_res.c.application_id == _a.c.id, _res.c.seq > _since))
    .order_by(_a.c.seq))


def _summary(app: Application, a: Assessment, view: DayView) -> dict[str, Any]:
    """An agenda entry's assessment summary (the same while the assessment is)."""
    return {"exporter": app.exporter, "destinations": destinations(app, view),
            "value": app.total_value, "outcome": a.outcome.value, "flags": sorted(a.flags),
            "reasons": list(a.reasons), "consents": list(a.consents),
            "why": [f.explain() for f in a.findings if f.code == "nsc"]}


def nsc_agenda(conn: Connection, world: World, day: date, cache: ApplicationCache,
               assessed: Assessed) -> list[dict[str, Any]]:
    """The cases awaiting the National Security Council on `day`: pending, the council
    among the consents their assessment requires, and neither its opinion nor a special
    resolution since their latest version; each with its assessment summary."""
    rows = conn.execute(_BEFORE_COUNCIL).all()
    apps = cache.load(conn, [r.id for r in rows])
    judged = assessed.of(apps, world, day)
    view = assessed.view(world, day)
    agenda: list[dict[str, Any]] = []
    for r in rows:
        app, a = apps[r.id], judged[r.id]
        if NSC not in a.consents:
            continue
        summary = assessed.derived(r.id, a, "agenda", partial(_summary, app, a, view))
        agenda.append({"application": app.id, "state": r.state, "version": r.version,
                       "submitted_on": r.submitted_on, **summary})
    return agenda
