"""What may enter the system, validated field by field (pydantic).

These models are the one definition of valid input for the scenario files,
register files, the CLI and (later) the HTTP API. They check types, sets and
formats; references between records are checked against what exists, by the
scenario validator or by the service.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
)

from armsgate.domain.model import CATEGORIES, Decision, Resolve, Role
from armsgate.errors import InputError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a real date: {value!r}") from exc
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


def _category(value: Any) -> str:
    if value not in CATEGORIES:
        raise ValueError(f"not an EU Common Military List category ML1..ML22: {value!r}")
    return str(value)


def _country(value: Any) -> str:
    from armsgate.reference.catalog import country_codes

    if not isinstance(value, str) or value not in country_codes():
        raise ValueError(f"not an officially assigned ISO 3166-1 alpha-2 code: {value!r}")
    return value


def _positive_number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"expected a number, got {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number <= 0:
        raise ValueError(f"must be a positive number, got {value!r}")
    if number > MAX_VALUE:
        raise ValueError(f"must be at most {MAX_VALUE:,} (EUR), got {value!r}")
    return number


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


# Bounds that keep every number inside the store's 64-bit columns (values kept in cents).
MAX_VALUE = Decimal(10) ** 15
MAX_QUANTITY = 10 ** 12


Day = Annotated[date, BeforeValidator(parse_day)]
Category = Annotated[str, BeforeValidator(_category)]
Country = Annotated[str, BeforeValidator(_country)]
Id = Annotated[StrictStr, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]
Text = Annotated[StrictStr, Field(max_length=10_000), AfterValidator(_no_nul)]
PositiveInt = Annotated[int, Field(strict=True, gt=0, le=MAX_QUANTITY)]
PositiveNumber = Annotated[Decimal, BeforeValidator(_positive_number)]


M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def field_path(prefix: str, loc: tuple[int | str, ...] | list[int | str]) -> str:
    """`submit` + ("goods", 0, "quantity") -> `submit.goods[0].quantity`."""
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse(model: type[M], data: Any, prefix: str = "", source: str | None = None) -> M:
    """Validate input; on the first problem raise InputError naming the field's path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        msg = {"extra_forbidden": "unknown key",
               "missing": "required field is missing"}.get(err["type"], err["msg"])
        msg = msg.removeprefix("Value error, ")
        raise InputError(field_path(prefix, loc), msg, source=source) from None


# --- world (registers and dated facts) -------------------------------------------------


class PartyIn(Model):
    id: Id
    name: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    country: Country
    roles: Annotated[list[Role], Field(min_length=1)]
    aliases: list[Annotated[StrictStr, Field(min_length=1)]] = []


class GoodsIn(Model):
    id: Id
    category: Category
    description: Text = ""
    kit_of: Id | None = None


class ListsIn(Model):
    white: list[Country] = []
    gray: list[Country] = []
    black: list[Country] = []


class EmbargoIn(Model):
    id: Id
    country: Country
    by: Text
    from_: Day = Field(alias="from")
    to: Day | None = None
    categories: list[Category] | None = None


class ConflictIn(Model):
    country: Country
    from_: Day = Field(alias="from")
    to: Day | None = None
    source: Text = ""


class ScreeningIn(Model):
    name: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    list: Text
    country: Country | None = None


class WorldIn(Model):
    parties: list[PartyIn] = []
    goods: list[GoodsIn] = []
    lists: ListsIn = ListsIn()
    embargoes: list[EmbargoIn] = []
    conflicts: list[ConflictIn] = []
    screening: list[ScreeningIn] = []


class NscIn(Model):
    always: StrictBool | None = None
    on_gray_list: StrictBool | None = None
    on_flags: StrictBool | None = None
    value_over: PositiveNumber | None = None


class PolicyIn(Model):
    """Policy keys to change; absent keys keep their value (merged key by key, nsc too)."""

    consents: list[Id] | None = None
    nsc: NscIn | None = None
    euc_required: StrictBool | None = None
    licence_days: PositiveInt | None = None


# --- actions -------------------------------------------------------------------------


class LineIn(Model):
    item: Id
    quantity: PositiveInt
    value: PositiveNumber


class CertificateLineIn(Model):
    item: Id
    quantity: PositiveInt


class CertificateIn(Model):
    number: StrictStr
    issuer: Id
    issued_on: Day
    valid_until: Day
    end_user: Id
    non_reexport: StrictBool
    goods: list[CertificateLineIn]


class Submit(Model):
    id: Id
    exporter: Id
    consignee: Id
    end_user: Id
    goods: Annotated[list[LineIn], Field(min_length=1)]
    intermediates: list[Id] = []
    route: list[Country] = []
    end_use: Text = ""
    euc: CertificateIn | None = None


class ScopeIn(Model):
    categories: list[Category] | None = None
    destinations: list[Country] | None = None


class Suspend(Model):
    id: Id
    scope: ScopeIn = ScopeIn()
    until: Day | None = None


class Lift(Model):
    id: Id


class ResolveIn(Model):
    id: Id
    application: Id
    decision: Resolve


class ConsentIn(Model):
    application: Id
    body: Id
    decision: Decision
    reason: Text = ""


class Decide(Model):
    application: Id


class EmbargoStep(Model):
    id: Id
    country: Country
    by: Text
    to: Day | None = None
    categories: list[Category] | None = None


class ConflictStep(Model):
    country: Country
    source: Text = ""
    to: Day | None = None


class Peace(Model):
    country: Country


class ListMove(Model):
    country: Country
    list: Literal["white", "gray", "black", "none"]


class Sanction(Model):
    name: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    list: Text
    country: Country | None = None


APP_STATES = ("in_review", "held", "refused", "approved")
LICENCE_STATES = ("active", "suspended", "revoked", "expired")
Flag = Literal[
    "assembly-kit", "re-export-risk", "transit-risk", "gray-list", "euc-missing", "euc-expired",
    "euc-issuer-unknown", "euc-mismatch", "euc-no-reexport", "euc-reused", "screening-hit",
    "non-state-embargo",
]
REASON_PATTERN = r"^(embargo|at-war|black-list|nsc-denied|objection:.+)$"
Reason = Annotated[StrictStr, Field(pattern=REASON_PATTERN)]


class Expect(Model):
    application: Id | None = None
    licence: Id | None = None
    state: Literal["in_review", "held", "refused", "approved",
                   "active", "suspended", "revoked", "expired"] | None = None
    outcome: Literal["refuse", "hold", "review"] | None = None
    reasons: list[Reason] | None = None
    flags: list[Flag] | None = None
    not_flags: list[Flag] | None = None
    consents: list[Id] | None = None


ACTIONS: dict[str, type[Model]] = {
    "submit": Submit,
    "suspend": Suspend,
    "lift": Lift,
    "resolve": ResolveIn,
    "consent": ConsentIn,
    "decide": Decide,
    "embargo": EmbargoStep,
    "conflict": ConflictStep,
    "peace": Peace,
    "list": ListMove,
    "sanction": Sanction,
    "policy": PolicyIn,
    "expect": Expect,
}


# --- register files (the world format, with what reference data needs on top) ----------


class RegisterEmbargoIn(EmbargoIn):
    target: Literal["government", "non_state_actors"] = "government"
    basis: Text = ""
    source: Text = ""
    verified: StrictBool = True
    note: Text = ""


class RegistersIn(WorldIn):
    """A register file: the `world` of a scenario, plus an optional `policy` in force from
    the start, and the embargo fields that reference data carries (target, basis, source)."""

    embargoes: list[RegisterEmbargoIn] = []  # type: ignore[assignment]
    policy: PolicyIn | None = None
