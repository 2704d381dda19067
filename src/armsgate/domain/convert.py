"""Validated input to domain values."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from armsgate.domain import inputs as i
from armsgate.domain.model import (
    Application,
    CertificateLine,
    EndUserCertificate,
    GoodsItem,
    GoodsLine,
    Party,
    Policy,
)


def party(p: i.PartyIn) -> Party:
    return Party(p.id, p.name, p.country, frozenset(p.roles), tuple(p.aliases))


def goods_item(g: i.GoodsIn) -> GoodsItem:
    return GoodsItem(g.id, g.category, g.description, g.kit_of)


def merge_policy(policy: Policy, change: i.PolicyIn) -> Policy:
    """Policy values merged key by key, inside `nsc` too (SPEC.md `policy` step)."""
    nsc = policy.nsc
    if change.nsc is not None:
        nsc = dataclasses.replace(nsc, **change.nsc.model_dump(exclude_none=True))
    return Policy(
        consents=policy.consents if change.consents is None else tuple(change.consents),
        nsc=nsc,
        euc_required=policy.euc_required if change.euc_required is None else change.euc_required,
        licence_days=policy.licence_days if change.licence_days is None
        else change.licence_days,
    )


def application(s: i.Submit, *, day: date, seq: int, cited_before: tuple[str, ...]
                ) -> Application:
    euc = None
    if s.euc is not None:
        e = s.euc
        euc = EndUserCertificate(
            e.number, e.issuer, e.issued_on, e.valid_until, e.end_user, e.non_reexport,
            tuple(CertificateLine(g.item, g.quantity) for g in e.goods))
    return Application(
        id=s.id, exporter=s.exporter, consignee=s.consignee, end_user=s.end_user,
        lines=tuple(GoodsLine(g.item, g.quantity, g.value) for g in s.goods),
        intermediates=tuple(s.intermediates), route=tuple(s.route), end_use=s.end_use,
        euc=euc, submitted_on=day, seq=seq, euc_cited_before=cited_before,
    )


def submission(app: Application) -> i.Submit:
    """An application's content as the submission that would make it (amendments keep the
    earlier versions so; an appeal resubmits it)."""
    euc = None
    if app.euc is not None:
        e = app.euc
        euc = i.CertificateIn(
            number=e.number, issuer=e.issuer, issued_on=e.issued_on, valid_until=e.valid_until,
            end_user=e.end_user, non_reexport=e.non_reexport,
            goods=[i.CertificateLineIn(item=g.item, quantity=g.quantity) for g in e.goods])
    return i.Submit(
        id=app.id, exporter=app.exporter, consignee=app.consignee, end_user=app.end_user,
        goods=[i.LineIn(item=g.item, quantity=g.quantity, value=g.value) for g in app.lines],
        intermediates=list(app.intermediates), route=list(app.route), end_use=app.end_use,
        euc=euc)


def document(cmd: i.Submit) -> dict[str, Any]:
    """A submission as a JSON document that `Submit` reads back to the same value (values
    as JSON numbers: whole euros as integers, others as the shortest decimal)."""
    doc: dict[str, Any] = _json_numbers(cmd.model_dump(mode="python"))
    return doc


def _json_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_numbers(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
