"""The name index saved in the store (SQLite and PostgreSQL): loaded by a new process,
rebuilt when the entries or the code change, never trusted to run code."""

from __future__ import annotations

import pickle
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.screening.matcher import NameQuery, ScoredMatcher
from armsgate.services import saved_index
from armsgate.services import screening as screening_service
from armsgate.services.authority import Authority
from armsgate.store import schema as t

HEADER = "name,aliases,country,type,identifiers,listed_on,source\n"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def saved(engine: Engine) -> list[Any]:
    s = t.screening_index
    with engine.connect() as conn:
        return list(conn.execute(select(s.c.version, s.c.code, s.c.entries)))


def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise AssertionError("the index was built, not loaded")
    monkeypatch.setattr(screening_service, "build_index", fail)


@pytest.fixture
def listed(authority: Authority, tmp_path: Path) -> Authority:
    authority.import_list(write(tmp_path / "d.csv", ["Alpha Trading LLC,,AE,company,,,",
                                                     "Крушик АД,,RS,company,,,"]), "csv")
    return authority


def test_a_new_process_loads_the_index_saved_by_the_first(
        listed: Authority, engine: Engine, clock: SimulatedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert saved(engine) == []
    first = listed.screen(NameQuery("Krusik AD", country="RS"))
    [(version, _, entries)] = saved(engine)
    assert entries == 2
    no_build(monkeypatch)
    again = Authority(engine, clock).screen(NameQuery("Krusik AD", country="RS"))
    assert [r for r, _ in again] == [r for r, _ in first]
    assert [(v, n) for v, _, n in saved(engine)] == [(version, 2)]


def test_a_list_change_makes_a_new_index(listed: Authority, engine: Engine,
                                         clock: SimulatedClock, tmp_path: Path) -> None:
    listed.screen(NameQuery("Alpha Trading"))
    [(before, _, _)] = saved(engine)
    clock.set(date(2025, 2, 1))
    listed.import_list(write(tmp_path / "d.csv", ["Alpha Trading LLC,,AE,company,,,",
                                                  "Beta Holding GmbH,,DE,company,,,"]), "csv")
    fresh = Authority(engine, clock)
    assert [r.name for r, _ in fresh.screen(NameQuery("Beta Holding"))] == ["Beta Holding GmbH"]
    [(after, _, entries)] = saved(engine)
    assert after != before
    assert entries == 3  # the closed row stays in the index, out of `screen`'s answers


def test_screen_answers_with_the_entries_in_force_only(
        listed: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    clock.set(date(2025, 2, 1))
    listed.import_list(write(tmp_path / "d.csv", ["Alpha Trading LLC,Alpha FZE,AE,company,,,"]),
                       "csv")
    [(ref, _)] = listed.screen(NameQuery("Alpha Trading LLC"))  # the changed row, once
    assert ref.name == "Alpha Trading LLC"
    assert listed.screen(NameQuery("Krusik AD", country="RS")) == []  # removed


def test_registering_a_party_saves_the_index_in_its_transaction(
        listed: Authority, engine: Engine, clock: SimulatedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Authority(engine, clock)
    fresh.import_registers(i.parse(i.RegistersIn, {"parties": [
        {"id": "k", "name": "Krušik a.d. Valjevo", "country": "RS", "roles": ["exporter"]}]}))
    assert len(saved(engine)) == 1
    no_build(monkeypatch)
    assert Authority(engine, clock).screen(NameQuery("Krusik", country="RS"))


def test_an_altered_row_is_not_run_but_rebuilt(listed: Authority, engine: Engine,
                                                clock: SimulatedClock) -> None:
    listed.screen(NameQuery("Alpha Trading"))

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (print, ("code ran",))

    evil = zlib.compress(pickle.dumps(Payload()))
    with pytest.raises(pickle.UnpicklingError):
        saved_index.undump(evil, ScoredMatcher())
    with engine.begin() as conn:
        conn.execute(update(t.screening_index).values(data=evil))
    hits = Authority(engine, clock).screen(NameQuery("Alpha Trading"))
    assert [r.name for r, _ in hits] == ["Alpha Trading LLC"]
    with engine.connect() as conn:
        data = conn.execute(select(t.screening_index.c.data)).scalar_one()
        assert conn.execute(select(func.count()).select_from(t.screening_index)
                            ).scalar_one() == 1
    assert data != evil  # rebuilt and saved over it


def test_another_matcher_does_not_read_the_index_of_this_one() -> None:
    assert saved_index.code_key(ScoredMatcher()) != saved_index.code_key(
        ScoredMatcher(threshold=0.9))
