"""The tables of the store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

`events` is the append-only log: every change enters there first, with the day
it takes effect (valid time), the moment it was recorded and who made it. The
other tables are the current projection of that log, shaped for the questions
the service asks: facts carry their period (`valid_from`, `valid_to`,
half-open) and the `seq` of the event that recorded them; applications are
indexed by destination and effective category so that a change re-assesses
only what it can touch. Money is kept in euro cents (integers).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from armsgate.store.metadata import ID as ID
from armsgate.store.metadata import metadata as metadata

# The review workflow's tables, declared apart: `schema` is every table of the store.
from armsgate.store.workflow_tables import application_versions as application_versions
from armsgate.store.workflow_tables import certificate_files as certificate_files
from armsgate.store.workflow_tables import consent_requests as consent_requests
from armsgate.store.workflow_tables import drafts as drafts
from armsgate.store.workflow_tables import info_requests as info_requests
from armsgate.store.workflow_tables import outbox as outbox

events = Table(
    "events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("day", Date, nullable=True),  # when it takes effect; null: in force from the start
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("outcome", JSON, nullable=True),  # what it examined and changed; null: nothing
)

meta = Table(
    "meta", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# --- accounts (armsgate.access) and the audit trail (armsgate.audit) -------------------

users = Table(
    "users", metadata,
    Column("username", String(100), primary_key=True),
    Column("display_name", String(500), nullable=False),
    Column("email", String(320), nullable=False),
    Column("role", String(20), nullable=False),  # armsgate.access.roles.UserRole
    Column("body", String(100), nullable=True),  # ministry reviewers: the consenting body
    Column("party_id", ID, ForeignKey("parties.id"), nullable=True),  # exporters: the company
    Column("password_hash", String(200), nullable=True),  # argon2; null: no password sign-in
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    # Machine clients' tokens, kept only as SHA-256 digests (the clear token is shown once).
    "api_tokens", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("username", String(100), ForeignKey("users.username"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

web_sessions = Table(
    "web_sessions", metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of the session token
    Column("username", String(100), ForeignKey("users.username"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    # Append-only and hash-chained: hash = HMAC-SHA256(key, prev_hash + canonical content),
    # the key held outside the database (armsgate.audit.chain).
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject_kind", String(40), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("assessment", JSON, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_subject", "subject_kind", "subject_id", "seq"),
)

audit_lock = Table(
    # One row (id 1), updated first by every append so that appenders take turns; it
    # holds the number of the audit key in force, set by a rotation in its transaction.
    "audit_lock", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("appends", Integer, nullable=False),
    Column("key_in_force", Integer, nullable=False, server_default="1"),
)

parties = Table(
    "parties", metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(500), nullable=False),
    Column("country", String(2), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("seq", Integer, nullable=False),
)

goods = Table(
    "goods", metadata,
    Column("id", ID, primary_key=True),
    Column("category", String(4), nullable=False),
    Column("description", Text, nullable=False),
    Column("kit_of", ID, nullable=True),
    Column("seq", Integer, nullable=False),
)

embargoes = Table(
    "embargoes", metadata,
    Column("id", ID, primary_key=True),
    Column("country", String(2), nullable=False, index=True),
    Column("by", String(200), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("categories", JSON, nullable=True),
    Column("target", String(20), nullable=False),
    Column("basis", Text, nullable=False),
    Column("seq", Integer, nullable=False),
)

conflicts = Table(
    "conflicts", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("country", String(2), nullable=False, index=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("source", Text, nullable=False),
    Column("seq", Integer, nullable=False),
)

list_entries = Table(
    "list_entries", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("country", String(2), nullable=False, index=True),
    Column("list", String(10), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("seq", Integer, nullable=False),
)

screening_entries = Table(
    # Entries of sanctions and denial lists: SPEC.md's `screening` and `sanction` entries and
    # the records of imported lists. A list version that drops or changes a record closes
    # its row (`valid_to`, `version_to`) and, for a change, opens a new one.
    "screening_entries", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("list", String(200), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("schema", String(20), nullable=False),
    Column("name", String(1000), nullable=False),  # the primary name
    Column("names", JSON, nullable=False),  # [{"name", "kind"}], the primary first
    Column("countries", JSON, nullable=False),
    Column("country_required", Boolean, nullable=False),  # SPEC.md: the party's country
    Column("birth_dates", JSON, nullable=False),
    Column("identifiers", JSON, nullable=False),
    Column("listed_on", Date, nullable=True),
    Column("programs", JSON, nullable=False),
    Column("remarks", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("version_from", Integer, nullable=True),
    Column("version_to", Integer, nullable=True),
    Column("seq", Integer, nullable=False),
    Index("ix_screening_entries_list_entity", "list", "entity_id"),
)

list_versions = Table(
    "list_versions", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("list", String(200), nullable=False, index=True),
    Column("format", String(40), nullable=False),
    Column("file_name", String(1000), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("records", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
)

screening_hits = Table(
    # Which party matches which entry, found when either was entered (the engine reads these).
    "screening_hits", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("party_id", ID, ForeignKey("parties.id"), nullable=False, index=True),
    Column("entry_pk", Integer, ForeignKey("screening_entries.pk"), nullable=False, index=True),
    Column("party_name", String(1000), nullable=False),
    Column("entry_name", String(1000), nullable=False),
    Column("score", Float, nullable=False),
    Column("romanisation", String(40), nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("seq", Integer, nullable=False),
    UniqueConstraint("party_id", "entry_pk"),
)

screening_dismissals = Table(
    # A reviewer's mark that a hit is a false positive; it holds while neither the entry
    # (its pk: a changed record gets a new row) nor the party (its fingerprint) changes.
    "screening_dismissals", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("party_id", ID, ForeignKey("parties.id"), nullable=False, index=True),
    Column("entry_pk", Integer, ForeignKey("screening_entries.pk"), nullable=False),
    Column("party_fingerprint", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("day", Date, nullable=False),
    Column("seq", Integer, nullable=False),
)

screening_index = Table(
    # The built name index of the entries, saved so that a new process loads it rather
    # than builds it (services/saved_index.py): one row, for the screening version it was
    # built from and a digest of the code that built it.
    "screening_index", metadata,
    Column("version", String(40), primary_key=True),  # meta.screening_version
    Column("code", String(64), primary_key=True),
    Column("entries", Integer, nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Column("data", LargeBinary, nullable=False),  # pickled and compressed
)

suspensions = Table(
    "suspensions", metadata,
    Column("id", ID, primary_key=True),
    Column("categories", JSON, nullable=True),
    Column("destinations", JSON, nullable=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("basis", Text, nullable=False),
    Column("seq", Integer, nullable=False),
)

policies = Table(
    "policies", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("valid_from", Date, nullable=True),
    Column("document", JSON, nullable=False),
    Column("seq", Integer, nullable=False),
)

applications = Table(
    "applications", metadata,
    Column("id", ID, primary_key=True),
    Column("exporter", ID, ForeignKey("parties.id"), nullable=False, index=True),
    Column("consignee", ID, ForeignKey("parties.id"), nullable=False),
    Column("end_user", ID, ForeignKey("parties.id"), nullable=False),
    Column("intermediates", JSON, nullable=False),
    Column("route", JSON, nullable=False),
    Column("end_use", Text, nullable=False),
    Column("euc", JSON, nullable=True),
    Column("euc_key", String(420), nullable=True, index=True),  # issuer + number
    Column("euc_cited_before", JSON, nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("seq", Integer, nullable=False, index=True),  # submission order: lists page by it
    Column("state", String(20), nullable=False, index=True),
    Column("state_since", Date, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),  # bumped by every change (optimistic locking)
    Column("amended_seq", Integer, nullable=True),  # the latest amendment's event, if any
    Column("appeal_of", ID, ForeignKey("applications.id"), nullable=True, index=True),
)

application_lines = Table(
    "application_lines", metadata,
    Column("application_id", ID, ForeignKey("applications.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("item", ID, ForeignKey("goods.id"), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Column("category", String(4), nullable=False),  # effective category (a kit: what it makes)
    Index("ix_lines_category_app", "category", "application_id"),
)

application_destinations = Table(
    "application_destinations", metadata,
    Column("application_id", ID, ForeignKey("applications.id"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Index("ix_destinations_country_app", "country", "application_id"),
)

resolutions = Table(
    "resolutions", metadata,
    Column("id", ID, primary_key=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, index=True),
    Column("decision", String(10), nullable=False),
    Column("day", Date, nullable=False),
    Column("seq", Integer, nullable=False),
)

opinions = Table(
    "opinions", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, index=True),
    Column("body", String(100), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("seq", Integer, nullable=False),
)

licences = Table(
    "licences", metadata,
    Column("id", ID, primary_key=True),
    Column("application_id", ID, ForeignKey("applications.id"), nullable=False, unique=True),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False, index=True),
    Column("state", String(20), nullable=False, index=True),
    Column("state_since", Date, nullable=False),
    Column("version", Integer, nullable=False),
)

state_changes = Table(
    "state_changes", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("seq", Integer, nullable=False, index=True),  # the event that caused it
    Column("subject", String(12), nullable=False),  # application | licence
    Column("subject_id", ID, nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("from_state", String(20), nullable=True),
    Column("to_state", String(20), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("note", Text, nullable=True),  # the written reason of a refusal or withdrawal
)
