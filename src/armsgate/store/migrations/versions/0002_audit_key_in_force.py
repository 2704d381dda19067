"""the audit key in force, kept in the appenders' lock row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:30:00

Every append reads the number of the key in force under the lock it takes, so a process
that was running when `armsgate audit rotate-key` ran goes on under the new key. A store
made before holds its number only in its last rotation row: copied here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As they were when this migration was written (audit.chain.ROTATION, ROTATION_SUBJECT).
_ROTATION = "audit.key-rotated"
_ROTATION_SUBJECT = ("audit", "key")


def upgrade() -> None:
    with op.batch_alter_table("audit_lock") as batch:
        batch.add_column(sa.Column("key_in_force", sa.Integer(), nullable=False,
                                   server_default="1"))
    log = sa.table("audit_log", sa.column("seq", sa.Integer()),
                   sa.column("action", sa.String()), sa.column("subject_kind", sa.String()),
                   sa.column("subject_id", sa.String()), sa.column("after", sa.JSON()))
    after = op.get_bind().execute(
        sa.select(log.c.after)
        .where(log.c.action == _ROTATION, log.c.subject_kind == _ROTATION_SUBJECT[0],
               log.c.subject_id == _ROTATION_SUBJECT[1])
        .order_by(log.c.seq.desc()).limit(1)).scalar_one_or_none()
    number = after.get("key") if isinstance(after, dict) else None
    if isinstance(number, int) and number > 1:
        lock = sa.table("audit_lock", sa.column("id", sa.Integer()),
                        sa.column("key_in_force", sa.Integer()))
        op.execute(lock.update().where(lock.c.id == 1).values(key_in_force=number))


def downgrade() -> None:
    with op.batch_alter_table("audit_lock") as batch:
        batch.drop_column("key_in_force")
