"""Alembic environment: runs on the connection that `init_store` passes in."""

from alembic import context

from armsgate.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through armsgate.store.database.init_store")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
