"""Documents the authority issues: the export licence, as a value and as a PDF.

    doc = licence_document(conn, "RS-2025-0042", authority=settings.authority_name)
    pdf = render_pdf(doc)      # bytes

`licence` holds the value and its conditions (pure), `build` reads it from the store,
`pdf` lays it out with ReportLab in the vendored DejaVu Sans (Latin and Cyrillic).
"""

from armsgate.documents.build import licence_document
from armsgate.documents.licence import (
    DocGoods,
    DocParty,
    LicenceDocument,
    check,
    licence_conditions,
)
from armsgate.documents.pdf import render_pdf

__all__ = ["DocGoods", "DocParty", "LicenceDocument", "check", "licence_conditions",
           "licence_document", "render_pdf"]
