"""Validated input to domain values."""

from __future__ import annotations

import dataclasses
from datetime import date

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
