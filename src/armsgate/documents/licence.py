"""The export licence as a document: a plain value, and the conditions it carries.

`LicenceDocument` holds everything the printed licence shows, already in words (party
names, country names, category titles), so that rendering is layout only. It is built
from the store by `documents.build.licence_document` and checked by `check` before
rendering; bad values raise InputError naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from armsgate.errors import InputError

_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class DocParty:
    role: str  # "Exporter", "Consignee", "End user", "Intermediary"
    name: str
    country: str  # "Serbia (RS)"
    ref: str = ""  # the register's id


@dataclass(frozen=True, slots=True)
class DocGoods:
    """One line of goods. A kit is shown as the item it makes: its category is the made
    item's, and `makes` names that item."""

    description: str
    category: str  # EU Common Military List, e.g. ML4
    category_title: str
    quantity: int
    value: Decimal
    currency: str = "EUR"
    makes: str | None = None  # for a kit: the description of the item it makes


@dataclass(frozen=True, slots=True)
class LicenceDocument:
    number: str
    authority: str
    exporter: DocParty
    consignee: DocParty
    end_user: DocParty
    destination: str  # the end user's country, "Poland (PL)"
    goods: tuple[DocGoods, ...]
    end_use: str
    valid_from: date
    valid_to: date  # the last day of validity (inclusive)
    issued_on: date
    conditions: tuple[str, ...]
    intermediates: tuple[DocParty, ...] = ()
    route: tuple[str, ...] = ()  # transit countries, in order
    euc_reference: str | None = None
    consents: tuple[str, ...] = ()  # "Ministry of Defence: consent of 2025-01-03"
    application: str = ""
    state: str = "active"
    state_since: date | None = None

    @property
    def parties(self) -> tuple[DocParty, ...]:
        return (self.exporter, self.consignee, self.end_user, *self.intermediates)

    @property
    def currency(self) -> str:
        return self.goods[0].currency if self.goods else "EUR"

    @property
    def total_value(self) -> Decimal:
        return sum((g.value for g in self.goods), Decimal(0))


def check(doc: LicenceDocument) -> LicenceDocument:
    """The document, if it can be issued as it is; else InputError naming the field."""
    for field, text in (("number", doc.number), ("authority", doc.authority),
                        ("destination", doc.destination), ("end_use", doc.end_use)):
        if not text.strip():
            raise InputError(field, "is empty")
    for field, party in (("exporter", doc.exporter), ("consignee", doc.consignee),
                         ("end_user", doc.end_user),
                         *((f"intermediates[{n}]", p) for n, p in enumerate(doc.intermediates))):
        if not party.name.strip():
            raise InputError(f"{field}.name", "is empty")
    if not doc.goods:
        raise InputError("goods", "a licence covers at least one line of goods")
    currencies = {g.currency for g in doc.goods}
    for n, g in enumerate(doc.goods):
        where = f"goods[{n}]"
        if not g.description.strip():
            raise InputError(f"{where}.description", "is empty")
        if g.quantity <= 0:
            raise InputError(f"{where}.quantity", f"must be positive, not {g.quantity}")
        if g.value < 0:
            raise InputError(f"{where}.value", f"must not be negative, not {g.value}")
        if not _CURRENCY.fullmatch(g.currency) or len(currencies) > 1:
            raise InputError(f"{where}.currency", "one ISO 4217 code for every line")
    if doc.valid_to < doc.valid_from:
        raise InputError("valid_to", f"{doc.valid_to} is before valid_from {doc.valid_from}")
    if not doc.conditions:
        raise InputError("conditions", "a licence states its conditions")
    return doc


def licence_conditions(*, authority: str, end_user: str, destination: str, end_use: str,
                       valid_to: date, route: Sequence[str] = (),
                       euc_number: str | None = None,
                       euc_non_reexport: bool = False) -> tuple[str, ...]:
    """The conditions printed on every licence, in the words of the case (pure)."""
    reexport = (f"The goods shall not be re-exported, transferred or resold to any other "
                f"end user or country without the prior written consent of the {authority}.")
    if euc_number and euc_non_reexport:
        reexport += (f" The end user has undertaken the same in end-user certificate "
                     f"{euc_number}.")
    transit = (f"The goods shall be shipped only through {', '.join(route)}."
               if route else "Any transit country shall be declared to the customs "
                             "authority at export.")
    return (
        f"The goods shall be delivered only to the consignee named in this licence, for "
        f"{end_user} in {destination} as end user.",
        f"The goods shall be used only for the end use declared: {end_use}.",
        reexport,
        transit,
        f"The licence is valid until {valid_to.isoformat()} inclusive; no shipment may leave "
        "the Republic of Serbia under it after that day, nor while it is suspended.",
        "The exporter shall keep a record of every shipment under this licence and report it "
        f"to the {authority}, and shall obtain proof of delivery to the end user when asked.",
        "The licence may be suspended or revoked, in particular when an arms embargo, a "
        "suspension order or a decision of the National Security Council covers the goods "
        "or the destination; the exporter is notified.",
        "The licence is not transferable.",
    )
