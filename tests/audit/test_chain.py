"""The pure hash chain: rows, verification against edits, deletions and a log cut short."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armsgate.audit.chain import (
    GENESIS,
    Entry,
    Head,
    Row,
    canonical_text,
    jsonable,
    make_row,
    row_hash,
    verify_rows,
)
from armsgate.audit.replay import replay, state_on

KEY = b"k" * 32
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def chain(n: int, key: bytes = KEY) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        entry = Entry("officer-1", "case.decide", "application", f"APP-{seq % 3}",
                      before={"state": "in_review"}, after={"state": "approved", "n": seq},
                      assessment={"outcome": "review", "reasons": []})
        row = make_row(key, entry, seq=seq, prev_hash=prev,
                       recorded_at=T0 + timedelta(days=seq))
        rows.append(row)
        prev = row.hash
    return rows


def head_of(rows: list[Row]) -> Head:
    return Head(rows[-1].seq, rows[-1].hash)


def rehash_from(rows: list[Row], start: int, hasher: str) -> list[Row]:
    """What an attacker without the key does: recompute every hash from `start` on."""
    out = rows[: start - 1]
    prev = out[-1].hash if out else GENESIS
    for row in rows[start - 1:]:
        message = prev.encode() + b"\n" + canonical_text(row.content()).encode()
        if hasher == "sha256":
            digest = hashlib.sha256(message).hexdigest()
        else:
            digest = row_hash(b"wrong-key" * 4, prev, row.content())
        row = replace(row, prev_hash=prev, hash=digest)
        out.append(row)
        prev = digest
    return out


def test_an_intact_chain_verifies() -> None:
    rows = chain(10)
    report = verify_rows(rows, KEY, head_of(rows))
    assert report.intact, report.problems
    assert report.rows == 10
    assert report.last == head_of(rows)
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def test_an_empty_log_without_a_head_is_intact() -> None:
    assert verify_rows([], KEY, None).intact


def test_an_edited_row_is_found() -> None:
    rows = chain(10)
    rows[4] = replace(rows[4], after={"state": "refused", "n": 5})
    report = verify_rows(rows, KEY, head_of(rows))
    assert not report.intact
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (5, "edited")
    assert len(report.problems) == 1  # the next row still links to the stored hash


@pytest.mark.parametrize("hasher", ["sha256", "wrong-key"])
def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_found(hasher: str) -> None:
    rows = chain(10)
    rows[4] = replace(rows[4], actor="mallory")
    forged = rehash_from(rows, 5, hasher)
    report = verify_rows(forged, KEY, head_of(forged))  # even with a forged head
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (5, "edited")
    assert {p.kind for p in report.problems} <= {"edited"}


def test_a_deleted_row_is_found() -> None:
    rows = chain(10)
    del rows[3]
    report = verify_rows(rows, KEY, Head(10, chain(10)[-1].hash))
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (4, "missing")
    assert [p.kind for p in report.problems] == ["missing", "relinked"]


def test_a_deleted_row_relinked_without_the_key_is_found() -> None:
    rows = chain(10)
    del rows[3]
    renumbered = [replace(r, seq=i) for i, r in enumerate(rows, start=1)]
    forged = rehash_from(renumbered, 4, "sha256")
    report = verify_rows(forged, KEY, head_of(chain(10)))
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (4, "edited")
    assert "cut-short" in {p.kind for p in report.problems}


@pytest.mark.parametrize("keep", [0, 1, 7])
def test_a_log_cut_short_is_found(keep: int) -> None:
    rows = chain(8)
    head = head_of(rows)
    report = verify_rows(rows[:keep], KEY, head)
    assert report.first is not None
    assert report.first.kind == "cut-short"
    assert report.first.seq == keep + 1
    assert "seq 8" in report.first.detail


def test_rows_after_the_head_are_a_note_not_a_failure() -> None:
    rows = chain(6)
    report = verify_rows(rows, KEY, Head(4, rows[3].hash))
    assert report.intact
    assert "2 row(s) after the recorded head" in report.notes[0]


def test_a_log_without_a_recorded_head_is_not_intact() -> None:
    report = verify_rows(chain(3), KEY, None)
    assert report.first is not None
    assert report.first.kind == "no-head"


def test_a_key_holder_rewriting_rows_before_the_head_is_caught_by_the_head() -> None:
    rows = chain(5)
    head = head_of(rows)
    rows[1] = replace(rows[1], actor="mallory")
    prev = rows[0].hash
    rewritten = rows[:1]
    for row in rows[1:]:  # recomputed WITH the key
        row = make_row(KEY, Entry(row.actor, row.action, row.subject_kind, row.subject_id,
                                  row.before, row.after, row.assessment),
                       seq=row.seq, prev_hash=prev, recorded_at=row.recorded_at)
        rewritten.append(row)
        prev = row.hash
    report = verify_rows(rewritten, KEY, head)
    assert [p.kind for p in report.problems] == ["head-mismatch"]


def test_out_of_order_rows_are_reported() -> None:
    rows = chain(4)
    report = verify_rows([rows[0], rows[2], rows[1], rows[3]], KEY, head_of(rows))
    assert report.first is not None
    assert report.first.kind == "missing"
    assert "out-of-order" in {p.kind for p in report.problems}


def test_problems_are_capped() -> None:
    rows = rehash_from([replace(r, actor="x") for r in chain(30)], 1, "sha256")
    report = verify_rows(rows, KEY, head_of(rows), limit=5)
    assert len(report.problems) == 5
    assert report.more_problems == 25
    assert report.to_json()["first_broken_seq"] == 1


class Colour(StrEnum):
    RED = "red"


def test_jsonable_turns_values_into_plain_json() -> None:
    value = {"day": date(2025, 1, 2), "at": datetime(2025, 1, 2, 3, 4, 5),
             "money": Decimal("12.50"), "set": frozenset({"b", "a"}), "tuple": (1, 2),
             "enum": Colour.RED, 3: None}
    assert jsonable(value) == {"day": "2025-01-02", "at": "2025-01-02T03:04:05.000000+00:00",
                               "money": "12.50", "set": ["a", "b"], "tuple": [1, 2],
                               "enum": "red", "3": None}
    with pytest.raises(ValueError, match="finite"):
        jsonable(float("nan"))
    with pytest.raises(TypeError, match="object"):
        jsonable(object())


def test_recorded_at_is_hashed_in_utc_whatever_the_zone() -> None:
    entry = Entry("a", "b", "c", "d")
    naive = make_row(KEY, entry, seq=1, prev_hash=GENESIS, recorded_at=T0.replace(tzinfo=None))
    zoned = make_row(KEY, entry, seq=1, prev_hash=GENESIS,
                     recorded_at=T0.astimezone(ZoneInfo("Europe/Belgrade")))
    assert naive.hash == zoned.hash == make_row(KEY, entry, seq=1, prev_hash=GENESIS,
                                                recorded_at=T0).hash


def test_seq_starts_at_one() -> None:
    with pytest.raises(ValueError, match="seq starts at 1"):
        make_row(KEY, Entry("a", "b", "c", "d"), seq=0, prev_hash=GENESIS, recorded_at=T0)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(before=json_values, after=json_values)
def test_a_row_read_back_from_json_hashes_alike(before: object, after: object) -> None:
    row = make_row(KEY, Entry("a", "act", "k", "id", before, after), seq=1, prev_hash=GENESIS,
                   recorded_at=T0)
    stored = json.loads(json.dumps({"before": row.before, "after": row.after}))
    back = replace(row, before=stored["before"], after=stored["after"])
    assert verify_rows([back], KEY, Head(1, row.hash)).intact


def test_replay_gives_the_after_images_up_to_a_day() -> None:
    rows = [r for r in chain(9) if r.subject_id == "APP-1"]  # seqs 1, 4, 7
    assert [s.seq for s in replay(rows)] == [1, 4, 7]
    assert [s.seq for s in replay(rows, date(2025, 3, 5))] == [1, 4]
    shot = state_on(rows, date(2025, 3, 6))
    assert shot is not None
    assert (shot.seq, shot.state) == (4, {"state": "approved", "n": 4})
    assert state_on(rows, date(2025, 3, 1)) is None
    assert shot.to_json()["recorded_at"] == "2025-03-05T09:30:00.000000+00:00"
