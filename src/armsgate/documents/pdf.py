"""The licence as a PDF (ReportLab), in DejaVu Sans: Serbian Latin and Cyrillic alike.

ReportLab (BSD licence) lays the document out; the fonts are vendored in `fonts/`
(DejaVu: Bitstream Vera licence, see fonts/LICENSE) and embedded as subsets, with a
ToUnicode map, so that the text of the PDF can be searched and extracted. Output is
byte-for-byte reproducible for the same document (ReportLab's invariant mode).
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from importlib.resources import as_file, files
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from armsgate.documents.licence import DocGoods, LicenceDocument, check

FONT, BOLD = "ArmsgateSans", "ArmsgateSans-Bold"
_GREY = colors.Color(0.35, 0.35, 0.35)
_RULE = colors.Color(0.6, 0.6, 0.6)


@cache
def register_fonts() -> None:
    """Register the vendored DejaVu Sans with ReportLab (once per process)."""
    folder = files("armsgate.documents") / "fonts"
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        with as_file(folder / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=_GREY),
        "authority": ParagraphStyle("authority", parent=base, fontName=BOLD, fontSize=11,
                                    leading=14),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19,
                                spaceBefore=4 * mm, spaceAfter=1 * mm),
        "number": ParagraphStyle("number", parent=base, fontName=BOLD, fontSize=12,
                                 leading=15, spaceAfter=2 * mm),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=10.5,
                                  leading=14, spaceBefore=4 * mm, spaceAfter=1.5 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=BOLD, fontSize=8.5,
                                   leading=10.5),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=10.5,
                              alignment=TA_RIGHT),
        "status": ParagraphStyle("status", parent=base, fontName=BOLD, fontSize=11,
                                 leading=14, textColor=colors.Color(0.7, 0, 0)),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _grid(rows: list[list[Flowable]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, _RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _parties(doc: LicenceDocument, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Flowable]] = [[_p(h, s["cellhead"]) for h in ("Role", "Name", "Country")]]
    rows += [[_p(p.role, s["cell"]), _p(p.name, s["cell"]), _p(p.country, s["cell"])]
             for p in doc.parties]
    return _grid(rows, [28 * mm, 100 * mm, 42 * mm])


def _goods_line(n: int, g: DocGoods, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = escape(g.description)
    if g.makes:
        text += f"<br/>Kit of parts for: {escape(g.makes)}"
    category = f"<b>{escape(g.category)}</b>"
    if g.category_title:
        category += f"<br/>{escape(g.category_title)}"
    return [_p(str(n), s["cell"]), Paragraph(text, s["cell"]), Paragraph(category, s["cell"]),
            _p(f"{g.quantity:,}", s["num"]), _p(_amount(g.value), s["num"])]


def _goods(doc: LicenceDocument, s: dict[str, ParagraphStyle]) -> Table:
    head = ["No.", "Description", "EU Common Military List", "Quantity",
            f"Value ({doc.currency})"]
    rows: list[list[Flowable]] = [[_p(h, s["cellhead"]) for h in head]]
    rows += [_goods_line(n, g, s) for n, g in enumerate(doc.goods, 1)]
    rows.append([_p("", s["cell"]), _p("Total", s["cellhead"]), _p("", s["cell"]),
                 _p("", s["cell"]), _p(_amount(doc.total_value), s["num"])])
    return _grid(rows, [11 * mm, 61 * mm, 48 * mm, 21 * mm, 29 * mm])


def _facts(doc: LicenceDocument, s: dict[str, ParagraphStyle]) -> Table:
    rows = [("Destination", doc.destination)]
    if doc.route:
        rows.append(("Transit", ", ".join(doc.route)))
    rows += [("End use", doc.end_use),
             ("End-user certificate", doc.euc_reference or "none")]
    if doc.application:
        rows.append(("Application", doc.application))
    table = Table([[_p(k, s["cellhead"]), _p(v, s["cell"])] for k, v in rows],
                  colWidths=[40 * mm, 130 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return table


def _story(doc: LicenceDocument) -> list[Flowable]:
    s = _styles()
    story: list[Flowable] = [
        _p(doc.authority, s["authority"]),
        _p("Republic of Serbia", s["small"]),
        _p("Licence for the export of arms and military equipment", s["title"]),
        _p(f"No. {doc.number}", s["number"]),
    ]
    if doc.state != "active":
        since = f" since {doc.state_since.isoformat()}" if doc.state_since else ""
        story.append(_p(f"Status: {doc.state.upper()}{since}. This licence may not be used.",
                        s["status"]))
    story += [
        _p(f"Valid from {doc.valid_from.isoformat()} to {doc.valid_to.isoformat()} "
           f"(inclusive). Date of issue: {doc.issued_on.isoformat()}.", s["body"]),
        _p("Parties", s["heading"]), _parties(doc, s),
        _p("Goods", s["heading"]), _goods(doc, s),
        _p("Destination and end use", s["heading"]), _facts(doc, s),
    ]
    if doc.consents:
        story += [_p("Consents obtained", s["heading"]),
                  ListFlowable([_p(c, s["body"]) for c in doc.consents], bulletType="bullet",
                               bulletFontName=FONT, bulletFontSize=8, leftIndent=5 * mm)]
    story += [
        _p("Conditions", s["heading"]),
        ListFlowable([_p(c, s["body"]) for c in doc.conditions], bulletType="1",
                     bulletFormat="%s.", bulletFontName=FONT, bulletFontSize=9.5,
                     leftIndent=6 * mm),
        Spacer(1, 8 * mm),
        KeepTogether([
            _p(f"Issued on {doc.issued_on.isoformat()} for the {doc.authority}.", s["body"]),
            Spacer(1, 12 * mm),
            _p("______________________________", s["body"]),
            _p("Authorised officer (signature and seal)", s["small"]),
        ]),
    ]
    return story


def render_pdf(doc: LicenceDocument) -> bytes:
    """The licence as PDF bytes (A4); InputError naming the field if the document is bad."""
    check(doc)
    register_fonts()
    buffer = io.BytesIO()
    number = doc.number

    def footer(canvas: Canvas, template: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(_GREY)
        canvas.drawString(20 * mm, 12 * mm, f"Export licence {number}")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=f"Export licence {doc.number}", author=doc.authority,
        subject=f"Licence {doc.number}: {doc.exporter.name} to {doc.destination}",
        creator="armsgate", invariant=True)
    template.build(_story(doc), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
