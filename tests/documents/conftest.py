"""A store with an issued licence whose parties write Serbian in both scripts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from armsgate.domain import inputs as i
from armsgate.services.authority import Authority

LICENCE = "RS-2025-0042"
EXPORTER = "Krušik a.d. Valjevo"
CYRILLIC = "Југоимпорт СДПР ј.п. Београд"
DIACRITICS = "Đorđević & Ćirić d.o.o. Čačak"  # the & also tests escaping in the layout
CONSIGNEE = "Armament Agency of Poland"
REGISTERS: dict[str, Any] = {
    "parties": [
        {"id": "krusik", "name": EXPORTER, "country": "RS", "roles": ["manufacturer", "exporter"]},
        {"id": "yugoimport", "name": CYRILLIC, "country": "RS", "roles": ["broker"]},
        {"id": "djc", "name": DIACRITICS, "country": "RS", "roles": ["broker"]},
        {"id": "pl-mod", "name": CONSIGNEE, "country": "PL",
         "roles": ["authority", "end_user", "consignee"]},
    ],
    "goods": [
        {"id": "rocket", "category": "ML4", "description": "122 mm rocket, high explosive"},
        {"id": "rocket-kit", "category": "ML16", "kit_of": "rocket",
         "description": "122 mm rocket, assembly kit"},
        {"id": "radio", "category": "ML11",
         "description": "Tactical radio station Žuta, žičana antena (Šabac)"},
    ],
}


def issue(authority: Authority, app_id: str = LICENCE) -> None:
    """Register, submit, consent and decide: the case ends with an active licence."""
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    assessment = authority.submit(i.parse(i.Submit, {
        "id": app_id, "exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
        "intermediates": ["yugoimport", "djc"], "route": ["HU", "SK"],
        "end_use": "Training stocks of the Polish Land Forces",
        "goods": [{"item": "rocket-kit", "quantity": 400, "value": 1250000.50},
                  {"item": "radio", "quantity": 12, "value": 84000}],
        "euc": {"number": "EUC-PL-2025-117", "issuer": "pl-mod", "issued_on": "2024-12-01",
                "valid_until": "2025-12-01", "end_user": "pl-mod", "non_reexport": True,
                "goods": [{"item": "rocket-kit", "quantity": 400},
                          {"item": "radio", "quantity": 12}]}}))
    assert assessment.outcome.value == "review", assessment.explain()
    for body in assessment.consents:
        authority.consent(i.ConsentIn(application=app_id, body=body, decision="consent"))
    assert authority.decide(i.Decide(application=app_id)).value == "approved"


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of white space made one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def licensed(authority: Authority) -> Authority:
    issue(authority)
    return authority
