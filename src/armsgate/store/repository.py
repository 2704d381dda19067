"""Rows to domain values and back: the only place that knows both shapes."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from armsgate.domain.model import (
    Application,
    CertificateLine,
    ConflictEntry,
    DestinationList,
    Embargo,
    EmbargoTarget,
    EndUserCertificate,
    GoodsItem,
    GoodsLine,
    ListEntry,
    NscPolicy,
    Party,
    Period,
    Policy,
    PolicyVersion,
    Resolution,
    Resolve,
    Role,
    ScreeningEntry,
    Suspension,
)
from armsgate.rules.names import NameMatch
from armsgate.rules.world import ScreeningHit, World
from armsgate.store import schema as t
from armsgate.store.statements import by_ids, list_value, select_all

CHUNK = 2_000


def cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def euros(value_cents: int) -> Decimal:
    return Decimal(value_cents) / 100


def _period(row: RowMapping) -> Period:
    return Period(row["valid_from"], row["valid_to"])


def _frozen(values: Sequence[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def policy_to_json(policy: Policy) -> dict[str, Any]:
    nsc = policy.nsc
    return {
        "consents": list(policy.consents),
        "nsc": {"always": nsc.always, "on_gray_list": nsc.on_gray_list,
                "on_flags": nsc.on_flags,
                "value_over": None if nsc.value_over is None else str(nsc.value_over)},
        "euc_required": policy.euc_required,
        "licence_days": policy.licence_days,
    }


def policy_from_json(doc: Mapping[str, Any]) -> Policy:
    nsc = doc["nsc"]
    value_over = nsc.get("value_over")
    return Policy(
        consents=tuple(doc["consents"]),
        nsc=NscPolicy(always=nsc["always"], on_gray_list=nsc["on_gray_list"],
                      on_flags=nsc["on_flags"],
                      value_over=None if value_over is None else Decimal(value_over)),
        euc_required=doc["euc_required"],
        licence_days=doc["licence_days"],
    )


def euc_to_json(euc: EndUserCertificate | None) -> dict[str, Any] | None:
    if euc is None:
        return None
    return {
        "number": euc.number, "issuer": euc.issuer, "issued_on": euc.issued_on.isoformat(),
        "valid_until": euc.valid_until.isoformat(), "end_user": euc.end_user,
        "non_reexport": euc.non_reexport,
        "goods": [{"item": g.item, "quantity": g.quantity} for g in euc.goods],
    }


def euc_from_json(doc: Mapping[str, Any] | None) -> EndUserCertificate | None:
    if doc is None:
        return None
    return EndUserCertificate(
        number=doc["number"], issuer=doc["issuer"],
        issued_on=date.fromisoformat(doc["issued_on"]),
        valid_until=date.fromisoformat(doc["valid_until"]), end_user=doc["end_user"],
        non_reexport=doc["non_reexport"],
        goods=tuple(CertificateLine(g["item"], g["quantity"]) for g in doc["goods"]),
    )


def party_from_row(r: RowMapping) -> Party:
    return Party(r["id"], r["name"], r["country"], frozenset(Role(x) for x in r["roles"]),
                 tuple(r["aliases"]))


def _rows(conn: Connection, table: Any) -> Iterator[RowMapping]:
    return iter(conn.execute(select_all(table)).mappings())


def load_parties(conn: Connection) -> dict[str, Party]:
    return {r["id"]: party_from_row(r) for r in _rows(conn, t.parties)}


def load_goods(conn: Connection) -> dict[str, GoodsItem]:
    return {r["id"]: GoodsItem(r["id"], r["category"], r["description"], r["kit_of"])
            for r in _rows(conn, t.goods)}


def load_embargoes(conn: Connection) -> tuple[Embargo, ...]:
    return tuple(Embargo(r["id"], r["country"], r["by"], _period(r), _frozen(r["categories"]),
                         EmbargoTarget(r["target"]), r["basis"], r["seq"])
                 for r in _rows(conn, t.embargoes))


def load_conflicts(conn: Connection) -> tuple[ConflictEntry, ...]:
    return tuple(ConflictEntry(r["country"], _period(r), r["source"], r["seq"])
                 for r in _rows(conn, t.conflicts))


def load_lists(conn: Connection) -> tuple[ListEntry, ...]:
    return tuple(ListEntry(r["country"], DestinationList(r["list"]), _period(r), r["seq"])
                 for r in _rows(conn, t.list_entries))


def screening_entry(r: RowMapping) -> ScreeningEntry:
    countries = tuple(r["countries"])
    return ScreeningEntry(
        name=r["name"], list=r["list"],
        country=countries[0] if r["country_required"] and countries else None,
        period=_period(r), entry_id=r["entity_id"], seq=r["seq"],
        aliases=tuple(n["name"] for n in r["names"][1:] if n["kind"] != "weak-alias"),
        schema=r["schema"], countries=countries, birth_dates=tuple(r["birth_dates"]),
        identifiers=tuple((k, v) for k, v in r["identifiers"]), key=r["pk"])


def entry_row(entry: ScreeningEntry) -> dict[str, Any]:
    """A row for a SPEC.md screening entry (name, list, optional country)."""
    names = [{"name": entry.name, "kind": "primary"},
             *({"name": a, "kind": "alias"} for a in entry.aliases)]
    countries = [entry.country] if entry.country else list(entry.countries)
    row = {"list": entry.list, "entity_id": entry.entry_id, "schema": entry.schema,
           "name": entry.name, "names": names, "countries": countries,
           "country_required": entry.country is not None,
           "birth_dates": list(entry.birth_dates),
           "identifiers": [list(i) for i in entry.identifiers], "listed_on": None,
           "programs": [], "remarks": "", "valid_from": entry.period.start,
           "valid_to": entry.period.end, "version_from": None, "version_to": None,
           "seq": entry.seq}
    row["fingerprint"] = fingerprint(row)
    return row


def fingerprint(row: Mapping[str, Any]) -> str:
    keys = ("list", "schema", "names", "countries", "country_required", "birth_dates",
            "identifiers", "programs", "remarks")
    text = json.dumps({k: row[k] for k in keys}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def load_suspensions(conn: Connection) -> tuple[Suspension, ...]:
    return tuple(Suspension(r["id"], _period(r), _frozen(r["categories"]),
                            _frozen(r["destinations"]), r["seq"], r["basis"])
                 for r in _rows(conn, t.suspensions))


def load_resolutions(conn: Connection) -> tuple[Resolution, ...]:
    return tuple(Resolution(r["id"], r["application_id"], Resolve(r["decision"]), r["day"],
                            r["seq"]) for r in _rows(conn, t.resolutions))


def load_policies(conn: Connection) -> tuple[PolicyVersion, ...]:
    return tuple(PolicyVersion(r["valid_from"], policy_from_json(r["document"]), r["seq"])
                 for r in _rows(conn, t.policies))


def load_hits(conn: Connection, parties: Mapping[str, Party] | None = None
              ) -> dict[str, tuple[ScreeningHit, ...]]:
    """Screening hits with their entries, but those dismissed for the party as it is now
    (`parties`: the parties as they are, if the caller has them)."""
    d = t.screening_dismissals
    if parties is None:
        parties = load_parties(conn)
    dismissed = {(r.party_id, r.entry_pk) for r in conn.execute(select_all(d))
                 if r.party_id in parties and r.party_fingerprint == party_fingerprint(
                     parties[r.party_id])}
    hits: dict[str, list[ScreeningHit]] = defaultdict(list)
    rows = conn.execute(_HITS).mappings()
    for r in rows:
        if (r["party_id"], r["pk"]) in dismissed:
            continue
        match = NameMatch(r["party_name"], r["entry_name"], r["score"], r["romanisation"],
                          r["explanation"].get("text", ""))
        hits[r["party_id"]].append(ScreeningHit(r["party_id"], screening_entry(r), match))
    return {k: tuple(v) for k, v in hits.items()}


_h, _e = t.screening_hits, t.screening_entries
_HITS = (select(_h.c.party_id, _h.c.party_name, _h.c.entry_name, _h.c.score, _h.c.romanisation,
                _h.c.explanation, _e)
         .join(_e, _e.c.pk == _h.c.entry_pk).order_by(_h.c.party_id, _h.c.entry_pk))


def party_fingerprint(party: Party) -> str:
    """What a dismissal of a hit holds on: the party's name, country and aliases."""
    text = json.dumps([party.name, party.country, sorted(party.aliases)], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


WORLD_PARTS: dict[str, Callable[[Connection], Any]] = {
    "parties": load_parties,
    "goods": load_goods,
    "embargoes": load_embargoes,
    "conflicts": load_conflicts,
    "lists": load_lists,
    "hits": load_hits,
    "suspensions": load_suspensions,
    "resolutions": load_resolutions,
    "policies": load_policies,
}


def load_world(conn: Connection) -> World:
    """Every register and dated fact, as the store knows them now."""
    return World(**{name: load(conn) for name, load in WORLD_PARTS.items()})


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def load_applications(conn: Connection, ids: Iterable[str]) -> dict[str, Application]:
    """The applications with these ids, with their lines, loaded in chunks."""
    result: dict[str, Application] = {}
    for chunk in _chunks(sorted(set(ids))):
        lines: dict[str, list[tuple[int, GoodsLine]]] = defaultdict(list)
        dialect, ids = conn.dialect.name, {"ids": list_value(conn, chunk)}
        q = by_ids(dialect, t.application_lines, "application_id")
        for r in conn.execute(q, ids).mappings():
            lines[r["application_id"]].append(
                (r["line_no"], GoodsLine(r["item"], r["quantity"], euros(r["value_cents"]))))
        for r in conn.execute(by_ids(dialect, t.applications, "id"), ids).mappings():
            result[r["id"]] = application_from_row(
                r, [line for _, line in sorted(lines[r["id"]], key=lambda x: x[0])])
    return result


def application_from_row(r: RowMapping, lines: Sequence[GoodsLine]) -> Application:
    return Application(
        id=r["id"], exporter=r["exporter"], consignee=r["consignee"], end_user=r["end_user"],
        lines=tuple(lines), intermediates=tuple(r["intermediates"]), route=tuple(r["route"]),
        end_use=r["end_use"], euc=euc_from_json(r["euc"]), submitted_on=r["submitted_on"],
        seq=r["seq"], euc_cited_before=tuple(r["euc_cited_before"]),
    )


def application_rows(app: Application, categories: Mapping[str, str],
                     destinations: Iterable[str], state: str, reasons: Sequence[str],
                     day: date) -> tuple[dict[str, Any], list[dict[str, Any]],
                                         list[dict[str, Any]]]:
    """The rows of a new application: itself, its lines and its destinations."""
    euc = app.euc
    row = {
        "id": app.id, "exporter": app.exporter, "consignee": app.consignee,
        "end_user": app.end_user, "intermediates": list(app.intermediates),
        "route": list(app.route), "end_use": app.end_use, "euc": euc_to_json(euc),
        "euc_key": None if euc is None else euc_key(euc.issuer, euc.number),
        "euc_cited_before": list(app.euc_cited_before), "submitted_on": day, "seq": app.seq,
        "state": state, "state_since": day, "reasons": list(reasons),
        "value_cents": cents(app.total_value), "version": 1,
    }
    lines = [{"application_id": app.id, "line_no": n, "item": line.item,
              "quantity": line.quantity, "value_cents": cents(line.value),
              "category": categories[line.item]} for n, line in enumerate(app.lines, 1)]
    dests = [{"application_id": app.id, "country": c} for c in sorted(set(destinations))]
    return row, lines, dests


def euc_key(issuer: str, number: str) -> str:
    return f"{issuer}\x1f{number}"
