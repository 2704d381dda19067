"""Building a licence's document from what the store holds (licence, application, parties,
goods, opinions), in words ready to print."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from armsgate.documents.licence import DocGoods, DocParty, LicenceDocument, licence_conditions
from armsgate.domain.model import Decision
from armsgate.errors import NotFound
from armsgate.reference.labels import body_name, category_title, country_label
from armsgate.settings import DEFAULT_AUTHORITY
from armsgate.store import schema as t
from armsgate.store.repository import euc_from_json, euros

_KIT_DEPTH = 50


def licence_document(conn: Connection, licence_id: str, *,
                     authority: str = DEFAULT_AUTHORITY) -> LicenceDocument:
    """The document of licence `licence_id` as the store holds it now (its state too)."""
    lic = conn.execute(select(t.licences).where(t.licences.c.id == licence_id)
                       ).mappings().first()
    if lic is None:
        raise NotFound("licence", f"no licence {licence_id!r}")
    app_id = lic["application_id"]
    app = conn.execute(select(t.applications).where(t.applications.c.id == app_id)
                       ).mappings().one()
    euc = euc_from_json(app["euc"])
    ids = {app["exporter"], app["consignee"], app["end_user"], *app["intermediates"]}
    if euc is not None:
        ids.add(euc.issuer)
    parties = {r["id"]: r for r in conn.execute(
        select(t.parties).where(t.parties.c.id.in_(sorted(ids)))).mappings()}

    def party(role: str, party_id: str) -> DocParty:
        row = parties.get(party_id)
        if row is None:
            return DocParty(role, party_id, "", party_id)
        return DocParty(role, row["name"], country_label(row["country"]), party_id)

    end_user = party("End user", app["end_user"])
    valid_to = lic["expires_on"] - timedelta(days=1)  # expires_on: the first day out
    euc_ref = None
    if euc is not None:
        issuer = parties[euc.issuer]["name"] if euc.issuer in parties else euc.issuer
        euc_ref = (f"No. {euc.number}, issued by {issuer} on {euc.issued_on.isoformat()}, "
                   f"valid until {euc.valid_until.isoformat()}")
    end_use = app["end_use"].strip() or (
        f"as stated in end-user certificate {euc.number}" if euc is not None
        else "not stated in the application")
    route = tuple(country_label(c) for c in app["route"])
    return LicenceDocument(
        number=licence_id, authority=authority, application=app_id,
        exporter=party("Exporter", app["exporter"]),
        consignee=party("Consignee", app["consignee"]), end_user=end_user,
        intermediates=tuple(party("Intermediary", p) for p in app["intermediates"]),
        destination=end_user.country or app["end_user"], route=route,
        goods=_goods(conn, app_id), end_use=end_use, euc_reference=euc_ref,
        consents=_consents(conn, app_id), valid_from=lic["issued_on"], valid_to=valid_to,
        issued_on=lic["issued_on"], state=lic["state"], state_since=lic["state_since"],
        conditions=licence_conditions(
            authority=authority, end_user=end_user.name,
            destination=end_user.country or app["end_user"], end_use=end_use,
            valid_to=valid_to, route=route, euc_number=None if euc is None else euc.number,
            euc_non_reexport=euc is not None and euc.non_reexport),
    )


def _goods(conn: Connection, app_id: str) -> tuple[DocGoods, ...]:
    ln = t.application_lines
    lines = conn.execute(select(ln).where(ln.c.application_id == app_id)
                         .order_by(ln.c.line_no)).mappings().all()
    goods = {r["id"]: r for r in conn.execute(select(t.goods)).mappings()} if lines else {}
    result = []
    for line in lines:
        item = goods.get(line["item"])
        description = (item["description"] or item["id"]) if item else line["item"]
        made = _made_item(goods, line["item"])
        makes = None
        if made is not None:
            makes = made["description"] or made["id"]
        category = line["category"]  # the effective one: a kit's is what it makes
        result.append(DocGoods(description, category, category_title(category),
                               line["quantity"], euros(line["value_cents"]), makes=makes))
    return tuple(result)


def _made_item(goods: Mapping[str, RowMapping], item_id: str) -> RowMapping | None:
    """For a kit, the item it finally makes (through kits of kits); None for other items."""
    item = goods.get(item_id)
    made = None
    for _ in range(_KIT_DEPTH):
        if item is None or item["kit_of"] is None:
            return made
        made = item = goods.get(item["kit_of"])
    return made


def _consents(conn: Connection, app_id: str) -> tuple[str, ...]:
    """Each body's latest opinion, when it is a consent (a licence exists only with them)."""
    o = t.opinions.c
    latest: dict[str, Any] = {}
    for r in conn.execute(select(o.body, o.decision, o.day, o.reason)
                          .where(o.application_id == app_id).order_by(o.seq, o.pk)):
        latest[r.body] = r
    return tuple(f"{body_name(body)}: consent of {r.day.isoformat()}"
                 + (f" ({r.reason})" if r.reason else "")
                 for body, r in latest.items()
                 if r.decision == Decision.CONSENT.value)
