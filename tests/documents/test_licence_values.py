"""The licence document as a value: what `check` refuses (naming the field) and the
conditions it carries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from armsgate.documents import (
    DocGoods,
    DocParty,
    LicenceDocument,
    check,
    licence_conditions,
    render_pdf,
)
from armsgate.errors import InputError

GOODS = DocGoods("Tactical radio station", "ML11", "Electronic equipment", 12, Decimal("84000"))
DOC = LicenceDocument(
    number="RS-2025-0001", authority="Test Authority",
    exporter=DocParty("Exporter", "Zastava oružje a.d. Kragujevac", "Serbia (RS)"),
    consignee=DocParty("Consignee", "Armament Agency of Poland", "Poland (PL)"),
    end_user=DocParty("End user", "Armament Agency of Poland", "Poland (PL)"),
    destination="Poland (PL)", goods=(GOODS,), end_use="Training",
    valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31), issued_on=date(2025, 1, 1),
    conditions=("Not transferable.",))


def test_a_good_document_passes() -> None:
    assert check(DOC) is DOC


@pytest.mark.parametrize(("change", "field"), [
    ({"number": " "}, "number"),
    ({"end_use": ""}, "end_use"),
    ({"goods": ()}, "goods"),
    ({"goods": (replace(GOODS, quantity=0),)}, "goods[0].quantity"),
    ({"goods": (GOODS, replace(GOODS, value=Decimal(-1)))}, "goods[1].value"),
    ({"goods": (GOODS, replace(GOODS, currency="USD"))}, "goods[0].currency"),
    ({"goods": (replace(GOODS, currency="eur"),)}, "goods[0].currency"),
    ({"goods": (replace(GOODS, description=""),)}, "goods[0].description"),
    ({"valid_to": date(2024, 12, 31)}, "valid_to"),
    ({"conditions": ()}, "conditions"),
    ({"consignee": DocParty("Consignee", "", "PL")}, "consignee.name"),
    ({"intermediates": (DocParty("Intermediary", " ", "RS"),)}, "intermediates[0].name"),
])
def test_bad_documents_are_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    bad = replace(DOC, **change)
    with pytest.raises(InputError) as err:
        render_pdf(bad)
    assert err.value.field == field


def test_conditions_name_the_end_user_route_and_certificate() -> None:
    conditions = licence_conditions(
        authority="Test Authority", end_user="Armament Agency of Poland",
        destination="Poland (PL)", end_use="Training", valid_to=date(2025, 12, 31),
        route=("Hungary (HU)",), euc_number="EUC-1", euc_non_reexport=True)
    text = "\n".join(conditions)
    for needle in ("Armament Agency of Poland in Poland (PL)", "end use declared: Training",
                   "prior written consent of the Test Authority", "certificate EUC-1",
                   "only through Hungary (HU)", "valid until 2025-12-31 inclusive",
                   "not transferable"):
        assert needle in text, needle
    plain = "\n".join(licence_conditions(
        authority="A", end_user="E", destination="D", end_use="U", valid_to=date(2025, 1, 1)))
    assert "certificate" not in plain
    assert "transit country shall be declared" in plain
