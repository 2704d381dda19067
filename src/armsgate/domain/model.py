"""The registers and facts of a licensing authority, as plain immutable values.

Nothing here touches a database, a clock or a file: the policy engine works on
these values, and storage converts rows to and from them. Every fact that can
change over time carries the `Period` in which it holds (valid time) and the
sequence number of the event that recorded it (`seq`), so that "made at a later
step" is a comparison of numbers, never of wall-clock times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

CATEGORIES: tuple[str, ...] = tuple(f"ML{n}" for n in range(1, 23))


class Role(StrEnum):
    MANUFACTURER = "manufacturer"
    EXPORTER = "exporter"
    BROKER = "broker"
    CONSIGNEE = "consignee"
    ASSEMBLER = "assembler"
    END_USER = "end_user"
    CARRIER = "carrier"
    AUTHORITY = "authority"


class DestinationList(StrEnum):
    WHITE = "white"
    GRAY = "gray"
    BLACK = "black"


class EmbargoTarget(StrEnum):
    """Whom an embargo is aimed at: the whole country, or only non-state actors in it."""

    GOVERNMENT = "government"
    NON_STATE_ACTORS = "non_state_actors"


class Decision(StrEnum):
    CONSENT = "consent"
    OBJECT = "object"


class Resolve(StrEnum):
    ALLOW = "allow"
    DENY = "deny"


class AppState(StrEnum):
    IN_REVIEW = "in_review"
    HELD = "held"
    REFUSED = "refused"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"  # by its exporter, while pending (beyond SPEC.md); final


PENDING_STATES = frozenset({AppState.IN_REVIEW, AppState.HELD})


class LicenceState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


LIVE_LICENCE_STATES = frozenset({LicenceState.ACTIVE, LicenceState.SUSPENDED})


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval of days: holds on D when start <= D < end; None is unbounded."""

    start: date | None = None
    end: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def boundaries(self) -> tuple[date, ...]:
        """The days on which this period starts or stops holding."""
        return tuple(d for d in (self.start, self.end) if d is not None)


ALWAYS = Period()


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    country: str
    roles: frozenset[Role]
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GoodsItem:
    id: str
    category: str
    description: str = ""
    kit_of: str | None = None


@dataclass(frozen=True, slots=True)
class Embargo:
    id: str
    country: str
    by: str
    period: Period
    categories: frozenset[str] | None = None  # None: every category
    target: EmbargoTarget = EmbargoTarget.GOVERNMENT
    basis: str = ""
    seq: int = 0

    def covers(self, category: str) -> bool:
        return self.categories is None or category in self.categories


@dataclass(frozen=True, slots=True)
class ConflictEntry:
    country: str
    period: Period
    source: str = ""
    seq: int = 0


@dataclass(frozen=True, slots=True)
class ListEntry:
    """A country's place on a destination list during a period."""

    country: str
    list: DestinationList
    period: Period
    seq: int = 0


@dataclass(frozen=True, slots=True)
class ScreeningEntry:
    """A listed party. `country`, where set, must be the party's (SPEC.md entries);
    `countries`, birth dates and identifiers of list records only corroborate a match."""

    name: str
    list: str
    country: str | None = None
    period: Period = ALWAYS
    entry_id: str = ""
    seq: int = 0
    aliases: tuple[str, ...] = ()
    schema: str = "unknown"
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    key: int = 0  # the store's row number

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Suspension:
    id: str
    period: Period
    categories: frozenset[str] | None = None  # None: every category
    destinations: frozenset[str] | None = None  # None: every country
    seq: int = 0
    basis: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    id: str
    application: str
    decision: Resolve
    day: date
    seq: int


@dataclass(frozen=True, slots=True)
class Opinion:
    application: str
    body: str
    decision: Decision
    day: date
    seq: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """A body asked for its opinion on a case, due by `deadline` (the last day on time)."""

    key: int  # the store's row number
    application: str
    body: str
    requested_on: date
    deadline: date
    seq: int  # the event that asked


@dataclass(frozen=True, slots=True)
class NscPolicy:
    always: bool = False
    on_gray_list: bool = True
    on_flags: bool = True
    value_over: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    consents: tuple[str, ...] = ("defence", "foreign_affairs")
    nsc: NscPolicy = field(default_factory=NscPolicy)
    euc_required: bool = True
    licence_days: int = 365


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """The whole policy in force from `start` (until a later version replaces it)."""

    start: date | None
    policy: Policy
    seq: int = 0


@dataclass(frozen=True, slots=True)
class GoodsLine:
    item: str
    quantity: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class CertificateLine:
    item: str
    quantity: int


@dataclass(frozen=True, slots=True)
class EndUserCertificate:
    number: str
    issuer: str
    issued_on: date
    valid_until: date  # the last day of validity (inclusive)
    end_user: str
    non_reexport: bool
    goods: tuple[CertificateLine, ...]


@dataclass(frozen=True, slots=True)
class Application:
    id: str
    exporter: str
    consignee: str
    end_user: str
    lines: tuple[GoodsLine, ...]
    intermediates: tuple[str, ...] = ()
    route: tuple[str, ...] = ()
    end_use: str = ""
    euc: EndUserCertificate | None = None
    submitted_on: date | None = None
    seq: int = 0
    # Applications submitted earlier that cite a certificate of the same issuer and number:
    # a fact fixed at submission (SPEC.md `euc-reused`), kept so that assessment stays pure.
    euc_cited_before: tuple[str, ...] = ()

    @property
    def total_value(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def screened_party_ids(self) -> tuple[str, ...]:
        """Parties screened for `screening-hit`: exporter, consignee, end user, intermediates."""
        return (self.exporter, self.consignee, self.end_user, *self.intermediates)


@dataclass(frozen=True, slots=True)
class Licence:
    id: str
    application: str
    issued_on: date
    expires_on: date  # the first day on which it is expired
    state: LicenceState
