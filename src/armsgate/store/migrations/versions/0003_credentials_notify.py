"""notify the servers of every change to accounts, API tokens and web sessions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 06:30:00

A server process on PostgreSQL keeps the accounts of the credentials it resolved
(`access.cache`) while it listens on the channel `armsgate_credentials`: these triggers
notify it of any UPDATE, DELETE or TRUNCATE of `users`, `api_tokens` and `web_sessions`,
whoever makes it (the service, the CLI, another process, a statement typed by hand).
A notification is delivered when its transaction commits. SQLite has no such channel:
nothing to do there (a server on SQLite keeps no credentials).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("users", "api_tokens", "web_sessions")
_FUNCTION = "armsgate_credentials_changed"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('armsgate_credentials', TG_TABLE_NAME);
            RETURN NULL;
        END $$""")
    for table in _TABLES:
        op.execute(f"CREATE TRIGGER {table}_credentials_changed "
                   f"AFTER UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_credentials_changed ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
