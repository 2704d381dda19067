"""The licence document read from the store (SQLite and PostgreSQL), rendered as a PDF whose
text carries its number, parties (Cyrillic and Latin with diacritics), goods and validity."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from armsgate.clock import SimulatedClock
from armsgate.documents import LicenceDocument, licence_document, render_pdf
from armsgate.domain import inputs as i
from armsgate.errors import NotFound
from armsgate.services.authority import Authority
from tests.documents.conftest import (
    CONSIGNEE,
    CYRILLIC,
    DIACRITICS,
    EXPORTER,
    LICENCE,
    pdf_text,
)


def document(authority: Authority, licence: str = LICENCE) -> LicenceDocument:
    with authority.engine.connect() as conn:
        return licence_document(conn, licence, authority="Ministry of Internal and Foreign "
                                                         "Trade of the Republic of Serbia")


def test_the_document_holds_the_case_in_words(licensed: Authority) -> None:
    doc = document(licensed)
    assert doc.number == LICENCE
    assert [(p.role, p.name, p.country) for p in doc.parties] == [
        ("Exporter", EXPORTER, "Serbia (RS)"), ("Consignee", CONSIGNEE, "Poland (PL)"),
        ("End user", CONSIGNEE, "Poland (PL)"), ("Intermediary", CYRILLIC, "Serbia (RS)"),
        ("Intermediary", DIACRITICS, "Serbia (RS)")]
    assert doc.destination == "Poland (PL)"
    assert doc.route == ("Hungary (HU)", "Slovakia (SK)")
    kit, radio = doc.goods
    assert (kit.description, kit.category, kit.makes) == (
        "122 mm rocket, assembly kit", "ML4", "122 mm rocket, high explosive")  # as it makes
    assert (radio.category, radio.makes, radio.quantity) == ("ML11", None, 12)
    assert doc.total_value == Decimal("1334000.50")
    assert (doc.valid_from, doc.valid_to, doc.issued_on) == (
        date(2025, 1, 1), date(2025, 12, 31), date(2025, 1, 1))
    assert doc.euc_reference == ("No. EUC-PL-2025-117, issued by Armament Agency of Poland on "
                                 "2024-12-01, valid until 2025-12-01")
    assert "Ministry of Defence: consent of 2025-01-01" in doc.consents
    assert any("re-exported" in c and "EUC-PL-2025-117" in c for c in doc.conditions)
    assert any("Hungary (HU), Slovakia (SK)" in c for c in doc.conditions)
    assert doc.state == "active"


def test_the_pdf_text_has_number_parties_goods_and_validity(licensed: Authority) -> None:
    data = render_pdf(document(licensed))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for needle in (f"No. {LICENCE}", EXPORTER, CYRILLIC, DIACRITICS, CONSIGNEE,
                   "122 mm rocket, assembly kit", "Kit of parts for: 122 mm rocket, high explosive",
                   "Tactical radio station Žuta, žičana antena (Šabac)", "ML4", "ML11", "400", "12",
                   "1,250,000.50", "1,334,000.50", "Poland (PL)",
                   "Training stocks of the Polish Land Forces", "EUC-PL-2025-117",
                   "Valid from 2025-01-01 to 2025-12-31", "shall not be re-exported",
                   "Ministry of Internal and Foreign Trade of the Republic of Serbia"):
        assert needle in text, needle
    for letter in "čćšžđČĆŠŽĐ":  # each written by a party or a goods line, each read back
        assert letter in text, letter
    info = PdfReader(io.BytesIO(data)).metadata
    assert info is not None
    assert info.title == f"Export licence {LICENCE}"


def test_the_same_document_gives_the_same_bytes(licensed: Authority) -> None:
    doc = document(licensed)
    assert render_pdf(doc) == render_pdf(doc)


def test_a_suspended_licence_says_so(licensed: Authority, clock: SimulatedClock) -> None:
    clock.set(date(2025, 2, 3))
    licensed.suspend(i.parse(i.Suspend, {"id": "S1", "scope": {"categories": ["ML4"]}}))
    doc = document(licensed)
    assert (doc.state, doc.state_since) == ("suspended", date(2025, 2, 3))
    assert "Status: SUSPENDED since 2025-02-03" in pdf_text(render_pdf(doc))


def test_a_long_licence_runs_over_pages(licensed: Authority) -> None:
    doc = document(licensed)
    many = replace(doc, goods=doc.goods * 40)
    data = render_pdf(many)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    assert "page 2" in (reader.pages[1].extract_text() or "")


def test_an_unknown_licence_is_not_found(licensed: Authority) -> None:
    with pytest.raises(NotFound) as err:
        document(licensed, "NOPE")
    assert err.value.field == "licence"
