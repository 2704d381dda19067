"""Small builders of domain values for the pure rules tests (no database).

A default world holds a Serbian exporter, a buyer in the UAE that is both consignee and
end user, the UAE's competent authority, and a few goods (a rifle, ammunition, a kit of
the rifle and a kit of that kit). `application()` builds a clean application: one line,
a certificate that covers it, issued by the authority of the end user's country, with a
non-re-export clause. Assessed on `DAY` in the default world it is `review` with no flag.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from armsgate.domain.model import (
    Application,
    CertificateLine,
    ConflictEntry,
    Decision,
    DestinationList,
    Embargo,
    EmbargoTarget,
    EndUserCertificate,
    GoodsItem,
    GoodsLine,
    ListEntry,
    NscPolicy,
    Opinion,
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
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.findings import Outcome
from armsgate.rules.world import DayView, World

DAY = date(2025, 6, 24)


def day(offset: int) -> date:
    """`DAY` moved by `offset` days."""
    return DAY + timedelta(days=offset)


def party(id_: str, country: str, *roles: Role, name: str | None = None,
          aliases: tuple[str, ...] = ()) -> Party:
    return Party(id_, name or f"Party {id_}", country, frozenset(roles), aliases)


PARTIES: tuple[Party, ...] = (
    party("EXP", "RS", Role.EXPORTER, Role.MANUFACTURER, name="Yugoimport Beograd"),
    party("BUY", "AE", Role.CONSIGNEE, Role.END_USER, name="Gulf Defence Procurement"),
    party("CONS", "AE", Role.CONSIGNEE, name="Desert Freight Forwarding"),
    party("ASM", "AE", Role.CONSIGNEE, Role.END_USER, Role.ASSEMBLER, name="Emirates Assembly"),
    party("BRK", "CY", Role.BROKER, Role.CONSIGNEE, name="Aegean Brokerage"),
    party("USER_DE", "DE", Role.END_USER, Role.CONSIGNEE, name="Bundeswehr Beschaffung"),
    party("AUTH", "AE", Role.AUTHORITY, name="Ministry of Defence Abu Dhabi"),
    party("AUTH_DE", "DE", Role.AUTHORITY, name="Bundesamt Ausfuhrkontrolle"),
)
AUTHORITY_OF = {"AE": "AUTH", "DE": "AUTH_DE"}

GOODS: tuple[GoodsItem, ...] = (
    GoodsItem("RIFLE", "ML1"),
    GoodsItem("AMMO", "ML3"),
    GoodsItem("KIT", "ML22", kit_of="RIFLE"),  # own category differs from what it makes
    GoodsItem("KIT2", "ML20", kit_of="KIT"),  # a kit of a kit
)


def world(*, parties: tuple[Party, ...] = (), goods: tuple[GoodsItem, ...] = (),
          policy: Policy | None = None, **facts: object) -> World:
    """The default world, plus extra parties or goods, facts and a policy from the start."""
    if policy is not None:
        facts["policies"] = (PolicyVersion(None, policy),)
    return World(
        parties={p.id: p for p in (*PARTIES, *parties)},
        goods={g.id: g for g in (*GOODS, *goods)},
        **facts,  # type: ignore[arg-type]
    )


def line(item: str = "RIFLE", quantity: int = 10, value: str | int = 1000) -> GoodsLine:
    return GoodsLine(item, quantity, Decimal(value))


def certificate(**fields: object) -> EndUserCertificate:
    base = EndUserCertificate(
        number="EUC-1", issuer="AUTH", issued_on=day(-30), valid_until=day(180),
        end_user="BUY", non_reexport=True, goods=(CertificateLine("RIFLE", 10),),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


_COVERING = certificate()  # marker: "a certificate that covers the lines"


def application(*lines: GoodsLine, euc: EndUserCertificate | None = _COVERING,
                **fields: object) -> Application:
    """A clean application; by default its certificate covers its lines exactly and is
    issued by the authority of its end user's country."""
    lines = lines or (line(),)
    app = replace(Application("APP-1", "EXP", "BUY", "BUY", lines), **fields)  # type: ignore[arg-type]
    if euc is _COVERING:
        country = {p.id: p.country for p in PARTIES}.get(app.end_user, "")
        euc = certificate(
            issuer=AUTHORITY_OF.get(country, "AUTH"), end_user=app.end_user,
            goods=tuple(CertificateLine(ln.item, ln.quantity) for ln in lines),
        )
    return replace(app, euc=euc)


def period(start: date | None = None, end: date | None = None) -> Period:
    return Period(start, end)


def embargo(country: str, *categories: str, start: date | None = None,
            end: date | None = None, id_: str = "EMB-1", seq: int = 1,
            target: EmbargoTarget = EmbargoTarget.GOVERNMENT) -> Embargo:
    return Embargo(id_, country, "UN", Period(start, end),
                   frozenset(categories) if categories else None, target, "UNSC res. 0000", seq)


def conflict(country: str, start: date | None = None, end: date | None = None,
             source: str = "UCDP", seq: int = 1) -> ConflictEntry:
    return ConflictEntry(country, Period(start, end), source, seq)


def listing(country: str, which: DestinationList, seq: int = 1) -> ListEntry:
    return ListEntry(country, which, Period(), seq)


def screen(name: str, country: str | None = None, entry_id: str = "") -> ScreeningEntry:
    return ScreeningEntry(name, "UN 1267", country, entry_id=entry_id)


def suspension(id_: str = "SUS-1", *, categories: tuple[str, ...] | None = None,
               destinations: tuple[str, ...] | None = None, start: date | None = None,
               end: date | None = None, seq: int = 10) -> Suspension:
    return Suspension(
        id_, Period(start, end),
        None if categories is None else frozenset(categories),
        None if destinations is None else frozenset(destinations),
        seq, "Art. 16(4)",
    )


def resolution(decision: Resolve, seq: int, *, application: str = "APP-1",
               on: date = DAY, id_: str | None = None) -> Resolution:
    return Resolution(id_ or f"RES-{seq}", application, decision, on, seq)


def policy(*, nsc: NscPolicy | None = None, **fields: object) -> Policy:
    return replace(Policy(), nsc=nsc or NscPolicy(), **fields)  # type: ignore[arg-type]


def assess_on(app: Application, w: World | None = None, on: date = DAY) -> Assessment:
    return assess(app, DayView(w if w is not None else world(), on))


def assessment(outcome: Outcome, reasons: tuple[str, ...] = (), on: date = DAY) -> Assessment:
    """A bare assessment, for the lifecycle functions that only read outcome, reasons, day."""
    return Assessment("APP-1", on, outcome, frozenset(), reasons, (), ())


def opinion(body: str, decision: Decision, seq: int, application: str = "APP-1") -> Opinion:
    return Opinion(application, body, decision, DAY, seq)
