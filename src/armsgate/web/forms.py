"""Forms: what was typed, and each problem at the input it concerns.

Inputs are named by the path of the value they give in the command (`goods[0].quantity`,
`euc.issued_on`), so a validation error's path (pydantic's, or an `InputError`'s field
from the service) names the input to show it at. `Form.problem(exc)` files an error
there, or at the form as a whole when no input matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from armsgate.domain.inputs import field_path
from armsgate.errors import ArmsgateError, InputError, StateConflict

FORM = "_form"  # the key of a problem that concerns the form as a whole
LINES = 5  # goods lines offered by the submission form
_PREFIXES = ("submit.", "body.", "path.", "query.", "form.")


@dataclass
class Form:
    """A form's values (as typed) and its problems (input name -> message)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()  # the inputs the form has

    @classmethod
    def of(cls, data: Mapping[str, Any], names: set[str] | frozenset[str]) -> Form:
        values = {k: v.strip() for k, v in data.items() if isinstance(v, str)}
        return cls(values, {}, frozenset(names))

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def add(self, name: str, message: str) -> None:
        target = name if name in self.names else FORM
        text = message if target != FORM or not name else f"{name}: {message}"
        self.errors.setdefault(target, text)

    def problem(self, exc: ArmsgateError, rename: Mapping[str, str] | None = None) -> None:
        """File a service's error at its input (its field, without the command's prefix)."""
        if isinstance(exc, InputError):
            name = exc.field
            for prefix in _PREFIXES:
                name = name.removeprefix(prefix)
            self.add(_renamed(name, rename), exc.problem)
        else:
            self.add(FORM, exc.message)

    def invalid(self, exc: ValidationError, rename: Mapping[str, str] | None = None) -> None:
        """Every problem pydantic found, each at its input."""
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            name = field_path("", loc)
            message = {"missing": "required", "extra_forbidden": "unknown input"}.get(
                err["type"], str(err["msg"]).removeprefix("Value error, "))
            if err.get("input") in ("", None) and err["type"] != "extra_forbidden":
                message = "required"
            self.add(_renamed(name, rename), message)

    @property
    def ok(self) -> bool:
        return not self.errors


def status_of(exc: ArmsgateError) -> int:
    """A form shown again: 409 when the record's state or version does not allow it, 422
    for bad input (a reference to a record that does not exist too)."""
    return 409 if isinstance(exc, StateConflict) else 422


def _renamed(name: str, rename: Mapping[str, str] | None) -> str:
    """The input that a problem's path names: renamed, or the list's own input."""
    table = rename or {}
    return table.get(name) or table.get(_base(name)) or _base(name)


def _base(name: str) -> str:
    """`route[1]` -> `route`: a list typed in one input."""
    return re.sub(r"\[\d+\]$", "", name)


def validate(form: Form, model: type[BaseModel], data: Mapping[str, Any],
             rename: Mapping[str, str] | None = None) -> Any:
    """The model, or None with every problem filed in `form`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        form.invalid(exc, rename)
        return None


def words(text: str) -> list[str]:
    """A list typed in one input, separated by commas or spaces."""
    return [w for w in re.split(r"[\s,;]+", text) if w]


def number(text: str) -> Any:
    """Typed digits as a number (the model then judges it); anything else as typed."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() else value


# --- the submission form ----------------------------------------------------------------

SUBMISSION_INPUTS = {"id", "consignee", "end_user", "intermediates", "route", "end_use",
                     "euc.number", "euc.issuer", "euc.issued_on", "euc.valid_until",
                     "euc.end_user", "euc.non_reexport", "euc_file",
                     *(f"goods[{n}].{k}" for n in range(LINES)
                       for k in ("item", "quantity", "value", "euc_quantity"))}


def submission(form: Form, exporter: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The `Submit` document that the form gives, and how to rename the paths of its
    problems to the form's inputs (blank goods lines are left out, so a line's index in
    the document can differ from its row in the form)."""
    v = form.get
    rename: dict[str, str] = {}
    goods: list[dict[str, Any]] = []
    euc_goods: list[dict[str, Any]] = []
    for row in range(LINES):
        cells = [v(f"goods[{row}].{k}") for k in ("item", "quantity", "value", "euc_quantity")]
        if not any(cells):
            continue
        n = len(goods)
        for k in ("item", "quantity", "value"):
            rename[f"goods[{n}].{k}"] = f"goods[{row}].{k}"
        rename[f"euc.goods[{n}].item"] = f"goods[{row}].item"
        rename[f"euc.goods[{n}].quantity"] = f"goods[{row}].euc_quantity"
        rename[f"goods[{n}]"] = f"goods[{row}].item"
        goods.append({"item": cells[0], "quantity": number(cells[1]), "value": number(cells[2])})
        euc_goods.append({"item": cells[0], "quantity": number(cells[3] or cells[1])})
    rename["goods"] = "goods[0].item"
    doc: dict[str, Any] = {
        "id": v("id"), "exporter": exporter, "consignee": v("consignee"),
        "end_user": v("end_user"), "goods": goods, "intermediates": words(v("intermediates")),
        "route": [w.upper() for w in words(v("route"))], "end_use": v("end_use")}
    if any(v(f"euc.{k}") for k in ("number", "issuer", "issued_on", "valid_until", "end_user")):
        doc["euc"] = {"number": v("euc.number"), "issuer": v("euc.issuer"),
                      "issued_on": v("euc.issued_on"), "valid_until": v("euc.valid_until"),
                      "end_user": v("euc.end_user"),
                      "non_reexport": v("euc.non_reexport") == "yes", "goods": euc_goods}
        rename["euc.goods"] = "goods[0].euc_quantity"
    for name in ("id", "consignee", "end_user", "end_use"):
        if not v(name) and name != "end_use":
            form.add(name, "required")
    return doc, rename
