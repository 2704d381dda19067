"""`armsgate licence ...`: the documents of issued licences."""

from __future__ import annotations

from pathlib import Path

import typer

from armsgate.cli.context import guarded, settings
from armsgate.cli.output import console, print_json
from armsgate.errors import InputError
from armsgate.store.database import open_store, require_current

app = typer.Typer(no_args_is_help=True)


@app.command("pdf")
@guarded
def pdf(
    licence: str = typer.Argument(..., help="the licence's number (id)"),
    output: Path = typer.Option(..., "-o", "--output", help="the PDF file to write"),
    json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Write the licence document as a PDF: number, parties, goods, conditions, validity."""
    from armsgate.documents import licence_document, render_pdf  # ReportLab: slow to import

    s = settings()
    engine = open_store(s.database_url)
    require_current(engine)
    with engine.connect() as conn:
        doc = licence_document(conn, licence, authority=s.authority_name)
    data = render_pdf(doc)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise InputError("--output", f"cannot write {output}: {exc.strerror}") from None
    if json:
        print_json({"licence": doc.number, "state": doc.state, "file": str(output),
                    "bytes": len(data)})
    else:
        console.print(f"licence {doc.number} ({doc.state}) written to {output} "
                      f"({len(data):,} bytes)")
