"""The reference data shipped with armsgate, as register input and policy changes."""

from __future__ import annotations

from armsgate.domain import inputs as i
from armsgate.reference import catalog


def reference_registers() -> i.RegistersIn:
    """The UN arms embargoes in force that name a country, as a register file.

    Embargoes on listed persons and groups with no country (ISIL/Al-Qaida) are
    screening matters, not destination rules, and are left out here.
    """
    embargoes = []
    for e in catalog.un_embargoes():
        if e.country is None:
            continue
        embargoes.append({
            "id": e.id, "country": e.country, "by": e.by, "from": e.from_, "to": e.to,
            "categories": list(e.categories) if e.categories else None,
            "target": e.target, "basis": "; ".join(e.resolutions), "source": e.source,
            "verified": e.verified, "note": e.note,
        })
    return i.parse(i.RegistersIn, {"embargoes": [
        {k: v for k, v in e.items() if v is not None} for e in embargoes]},
        source="reference/data/un_embargoes.yaml")


def reference_policy(name: str) -> tuple[i.PolicyIn, str | None]:
    """A shipped policy as a policy change, and the day from which it holds."""
    p = catalog.policy(name)
    change = i.parse(i.PolicyIn, {
        "consents": list(p.consents),
        "nsc": {"always": p.nsc.always, "on_gray_list": p.nsc.on_gray_list,
                "on_flags": p.nsc.on_flags,
                **({"value_over": p.nsc.value_over} if p.nsc.value_over is not None else {})},
        "euc_required": p.euc_required, "licence_days": p.licence_days,
    }, source=f"reference/data/policies/{name}.yaml")
    return change, None if p.from_ is None else p.from_.isoformat()
