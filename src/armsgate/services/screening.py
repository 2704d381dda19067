"""Screening parties against the entries of sanctions and denial lists.

Hits are found when either side enters the store: a party registered or changed is
screened against every entry, and entries added (a `sanction`, a register's screening
entries, a list import) are screened against every party. Each hit is a row of
`screening_hits` with the score and explanation of the scored matcher; the policy
engine reads the hits whose entry is in force on the day of an assessment. A hit that a
reviewer marked as a false positive stays out of the assessment until the party or the
entry changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, delete, or_, select
from sqlalchemy.exc import DBAPIError

from armsgate.domain.model import Party
from armsgate.errors import InputError, NotFound
from armsgate.screening.index import NameIndex
from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatch, ScoredMatcher
from armsgate.services import saved_index
from armsgate.services.saved_index import paused_gc
from armsgate.services.unit import Unit, get_meta, set_meta
from armsgate.store import schema as t
from armsgate.store.repository import party_fingerprint

VERSION_KEY = "screening_version"
_DIRECT = 20_000  # entries x parties up to which new entries are scored without an index


@dataclass(frozen=True, slots=True)
class EntryRef:
    """What the index keeps of an entry besides its names."""

    pk: int
    list: str
    entity_id: str
    name: str
    required_country: str | None  # SPEC.md entries: the party's country must be this


def candidate_of(row: Mapping[str, Any]) -> Candidate:
    names = tuple(n["name"] for n in row["names"] if n["kind"] != "weak-alias") or (row["name"],)
    return Candidate(names, row["schema"] if row["schema"] != "unknown" else None,
                     tuple(row["countries"]), tuple(row["birth_dates"]),
                     tuple((k, v) for k, v in row["identifiers"]))


def ref_of(row: Mapping[str, Any]) -> EntryRef:
    required = row["countries"][0] if row["country_required"] and row["countries"] else None
    return EntryRef(row["pk"], row["list"], row["entity_id"], row["name"], required)


def build_index(rows: Iterable[Any], matcher: ScoredMatcher, *, keep: bool = False
                ) -> NameIndex[EntryRef]:
    """An index of these entries; `keep`: it lives on (see `saved_index.paused_gc`)."""
    index: NameIndex[EntryRef] = NameIndex(matcher)
    with paused_gc() as pause:
        index.extend((candidate_of(r), ref_of(r)) for r in rows)
        pause.freeze = keep and saved_index.keep(index)
    return index


class Screener:
    """The matcher and, per process, the index of every entry in the store (every row,
    closed ones too: a party screened anew keeps its hits for `assess --at` a past day)."""

    def __init__(self, matcher: ScoredMatcher | None = None) -> None:
        self.matcher = matcher or ScoredMatcher()
        self._index: tuple[str, NameIndex[EntryRef]] | None = None
        self._unsaved: str | None = None  # the version of an index built, not yet saved
        self._closed: tuple[str, date, frozenset[int]] | None = None

    def index(self, conn: Connection, *, save: bool = True) -> NameIndex[EntryRef]:
        """The index of the entries as `conn` sees them: this process's, else the one saved
        in the store for the screening version, else built (and saved in `conn`'s
        transaction, unless `save` is false)."""
        version = get_meta(conn, VERSION_KEY) or "0"
        if self._index is None or self._index[0] != version:
            if self._index is not None:
                self._index = None
                saved_index.release()
            index = saved_index.load(conn, version, self.matcher)
            self._unsaved = None if index is not None else version
            if index is None:
                index = build_index(conn.execute(select(t.screening_entries)).mappings(),
                                    self.matcher, keep=True)
            self._index = (version, index)
        if save and self._unsaved == version:
            saved_index.save(conn, version, self._index[1])
            self._unsaved = None
        return self._index[1]

    def lookup(self, engine: Engine, query: NameQuery, day: date, *,
               include_non_matches: bool = False) -> list[tuple[EntryRef, ScoredMatch]]:
        """`search` of the entries in force on `day` (a read: an index built here is saved
        in a short transaction of its own, if the entries have not changed meanwhile)."""
        with engine.connect() as conn:
            index = self.index(conn, save=False)
            closed = self._out_of_force(conn, day)
        if self._unsaved is not None:
            try:
                with engine.begin() as conn:
                    if (get_meta(conn, VERSION_KEY) or "0") == self._unsaved:
                        saved_index.save(conn, self._unsaved, index)
            except DBAPIError:
                pass  # busy or racing: a cache only, the next process builds it again
            self._unsaved = None
        return [(ref, m) for ref, m in self.search(index, query,
                                                   include_non_matches=include_non_matches)
                if ref.pk not in closed]

    def _out_of_force(self, conn: Connection, day: date) -> frozenset[int]:
        """The entries not in force on `day` (closed by a later list version)."""
        version = get_meta(conn, VERSION_KEY) or "0"
        if self._closed is None or self._closed[:2] != (version, day):
            e = t.screening_entries
            pks = conn.execute(select(e.c.pk).where(or_(e.c.valid_to <= day,
                                                        e.c.valid_from > day))).scalars()
            self._closed = (version, day, frozenset(pks))
        return self._closed[2]

    def search(self, index: NameIndex[EntryRef], query: NameQuery, *,
               include_non_matches: bool = False) -> list[tuple[EntryRef, ScoredMatch]]:
        """Entries matching a query; an entry with a required country only in that country."""
        found = []
        for hit in index.search(query, include_non_matches=include_non_matches):
            ref = hit.payload
            elsewhere = ref.required_country not in (None, query.country)
            if elsewhere and not include_non_matches:
                continue
            found.append((ref, hit.match))
        return found

    def party_hits(self, index: NameIndex[EntryRef], party: Party
                   ) -> dict[int, tuple[EntryRef, ScoredMatch]]:
        """The best match per entry over the party's name and aliases."""
        best: dict[int, tuple[EntryRef, ScoredMatch]] = {}
        for name in party.names:
            for ref, match in self.search(index, NameQuery(name, country=party.country)):
                if ref.pk not in best or match.score > best[ref.pk][1].score:
                    best[ref.pk] = (ref, match)
        return best

    # --- keeping the hits up to date, inside a unit of work ---------------------------------

    def screen_parties(self, u: Unit, parties: Iterable[Party]) -> int:
        """Screen these parties against every entry (their old hits are replaced)."""
        index = self.index(u.conn)
        rows: list[dict[str, Any]] = []
        for party in parties:
            u.conn.execute(delete(t.screening_hits).where(t.screening_hits.c.party_id == party.id))
            rows += [_hit_row(party, ref, m, u.seq) for ref, m in
                     self.party_hits(index, party).values()]
        return _insert(u.conn, rows)

    def screen_entries(self, u: Unit, entry_pks: list[int],
                       skip_parties: frozenset[str] = frozenset()) -> int:
        """Screen every party (but those already screened) against these new entries."""
        if not entry_pks:
            return 0
        e = t.screening_entries
        rows = []
        for start in range(0, len(entry_pks), 2_000):
            rows += list(u.conn.execute(select(e).where(
                e.c.pk.in_(entry_pks[start:start + 2_000]))).mappings())
        parties = [p for p in u.world.parties.values() if p.id not in skip_parties]
        if len(rows) * len(parties) <= _DIRECT:
            hits = [_hit_row(party, ref, m, u.seq) for party in parties
                    for ref, m in self._direct(rows, party).values()]
        else:
            index = build_index(rows, self.matcher)
            hits = [_hit_row(party, ref, m, u.seq) for party in parties
                    for ref, m in self.party_hits(index, party).values()]
        return _insert(u.conn, hits)

    def _direct(self, rows: list[Any], party: Party) -> dict[int, tuple[EntryRef, ScoredMatch]]:
        """`party_hits` by scoring every entry: cheaper than an index for a few entries."""
        best: dict[int, tuple[EntryRef, ScoredMatch]] = {}
        for row in rows:
            ref = ref_of(row)
            if ref.required_country not in (None, party.country):
                continue
            candidate = candidate_of(row)
            for name in party.names:
                match = self.matcher.score(NameQuery(name, country=party.country), candidate)
                if match.match and (ref.pk not in best or match.score > best[ref.pk][1].score):
                    best[ref.pk] = (ref, match)
        return best


def bump(conn: Connection) -> None:
    set_meta(conn, VERSION_KEY, str(int(get_meta(conn, VERSION_KEY) or 0) + 1))


def _hit_row(party: Party, ref: EntryRef, match: ScoredMatch, seq: int) -> dict[str, Any]:
    return {"party_id": party.id, "entry_pk": ref.pk, "party_name": match.query_name,
            "entry_name": match.candidate_name, "score": round(match.score, 4),
            "romanisation": match.romanisation,
            "explanation": {"text": match.explanation,
                            "features": {f.name: round(f.contribution, 4)
                                         for f in match.features if f.value}},
            "seq": seq}


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> int:
    if rows:
        conn.execute(t.screening_hits.insert(), rows)
    return len(rows)


def dismiss(u: Unit, party_id: str, entry_pk: int, reason: str) -> None:
    h = t.screening_hits
    if u.conn.execute(select(h.c.pk).where(h.c.party_id == party_id, h.c.entry_pk == entry_pk)
                      ).first() is None:
        raise NotFound("hit", f"party {party_id!r} has no hit on entry {entry_pk}")
    if not reason.strip():
        raise InputError("reason", "say why the hit is a false positive")
    u.event("dismiss-hit", {"party": party_id, "entry": entry_pk, "reason": reason})
    u.conn.execute(t.screening_dismissals.insert().values(
        party_id=party_id, entry_pk=entry_pk,
        party_fingerprint=party_fingerprint(u.world.parties[party_id]), reason=reason,
        actor=u.actor, day=u.day, seq=u.seq))
    u.refresh("hits")
