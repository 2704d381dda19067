"""The end-user certificate's document, uploaded with a submission and kept with its hash.

`submit_with_certificate` is the submission (`workflow.submit`, as `Authority.submit`
runs it) and the document's row in one unit of work: one transaction, so an application
refused as input keeps no file and a file that cannot be kept submits nothing. The
document is audited as its own subject (`certificate-file`, the case's id) with its
digest, in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from armsgate.audit.chain import Entry
from armsgate.domain import inputs as i
from armsgate.errors import InputError
from armsgate.rules.engine import Assessment
from armsgate.services import workflow
from armsgate.services.authority import Authority
from armsgate.store import schema as t

MAX_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"


@dataclass(frozen=True)
class Upload:
    file_name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_pdf(upload: Upload, field: str = "euc_file") -> None:
    """A PDF of at most 10 MiB, named; InputError at `field` otherwise."""
    if not upload.content:
        raise InputError(field, "choose the certificate's PDF file")
    if len(upload.content) > MAX_BYTES:
        raise InputError(field, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if not upload.content.startswith(b"%PDF-"):
        raise InputError(field, "the file is not a PDF (it does not start with %PDF-)")
    if not upload.file_name.strip() or len(upload.file_name) > 255:
        raise InputError(field, "the file needs a name of at most 255 characters")


def submit_with_certificate(authority: Authority, cmd: i.Submit, upload: Upload | None,
                            *, actor: str) -> Assessment:
    """Submit `cmd` and keep its certificate's document (if any) in the same transaction."""
    if upload is not None:
        check_pdf(upload)
        if cmd.euc is None:
            raise InputError("euc.number", "a certificate's file needs the certificate")
    with authority.unit(actor) as u:
        assessment = workflow.submit(u, cmd, authority.deadlines)
        if upload is not None:
            u.conn.execute(t.certificate_files.insert().values(
                application_id=cmd.id, file_name=upload.file_name, media_type=PDF,
                size=len(upload.content), sha256=upload.sha256, content=upload.content,
                uploaded_by=actor, uploaded_at=u.now, seq=u.seq))
            if u.trail is not None:
                u.trail.append(u.conn, Entry(
                    actor, "certificate.attach", "certificate-file", cmd.id, after={
                        "event": u.seq, "file_name": upload.file_name,
                        "size": len(upload.content), "sha256": upload.sha256,
                        "certificate": None if cmd.euc is None else cmd.euc.number}), u.now)
    return assessment
