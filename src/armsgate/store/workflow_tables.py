"""The review workflow's tables (services/drafts.py, workflow.py, consent_requests.py,
the outbox of notify/ and the certificates' files): part of the store's schema, which
`store.schema` gathers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from armsgate.store.metadata import ID, metadata

drafts = Table(
    # Applications an exporter prepares: the document is a valid `Submit` (domain.inputs);
    # submitting runs it as a submission and removes the draft.
    "drafts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exporter", ID, ForeignKey("parties.id"), nullable=False, index=True),
    Column("document", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

application_versions = Table(
    # The content of an application before each amendment (a `Submit` document); the
    # current content is the application's own rows.
    "application_versions", metadata,
    Column("application_id", ID, ForeignKey("applications.id"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),  # 1: as submitted
    Column("document", JSON, nullable=False),
    Column("seq", Integer, nullable=False),  # the event that made this content
    Column("replaced_seq", Integer, nullable=False),  # the amendment that replaced it
    Column("replaced_on", Date, nullable=False),
)

info_requests = Table(
    # A case returned to its exporter for more information: the question and the answer.
    # An unanswered row is the case's `awaiting` marker.
    "info_requests", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("asked_by", String(200), nullable=False),
    Column("asked_on", Date, nullable=False),
    Column("asked_seq", Integer, nullable=False),
    Column("answer", Text, nullable=True),
    Column("answered_by", String(200), nullable=True),
    Column("answered_on", Date, nullable=True),
    Column("answered_seq", Integer, nullable=True),
)

consent_requests = Table(
    # A body asked for its opinion on one content version of an application, due by
    # `deadline`: open -> answered (an opinion recorded), superseded (an amendment asked
    # again) or closed (the case left review); `overdue_seq` once time marked it overdue.
    "consent_requests", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, index=True),
    Column("body", String(100), nullable=False),
    Column("content_version", Integer, nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("seq", Integer, nullable=False),  # the event that asked
    Column("status", String(12), nullable=False),
    Column("ended_seq", Integer, nullable=True),  # the event that answered, superseded, closed
    Column("ended_on", Date, nullable=True),
    Column("overdue_seq", Integer, nullable=True),
    Column("overdue_on", Date, nullable=True),
    Index("ix_consent_requests_status_deadline", "status", "deadline"),
)

outbox = Table(
    # Notifications written in the transaction of the change that caused them (`seq`) and
    # delivered afterwards by `armsgate.notify.deliver`: pending -> sending (claimed until
    # `next_attempt_at`) -> sent; after a failed attempt back to pending (tried again from
    # `next_attempt_at`), or failed for good.
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("body", Text, nullable=False),
    Column("case_id", ID, nullable=True, index=True),
    Column("licence_id", ID, nullable=True),
    Column("seq", Integer, nullable=True),  # the event that caused it
    Column("status", String(10), nullable=False),  # pending | sending | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),  # or a claim's end
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_status_id", "status", "id"),
)

certificate_files = Table(
    # The end-user certificate's document (a PDF) as the exporter uploaded it with the
    # application, kept with its SHA-256 digest; written in the submission's transaction.
    "certificate_files", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("seq", Integer, nullable=False),  # the submission's event
)
