"""The store's `MetaData` (with the constraint naming convention that the migrations
use) and the type of identifiers, shared by the modules that declare tables. It holds
every table once `store.schema` is imported (as the migrations do)."""

from __future__ import annotations

from sqlalchemy import MetaData, String

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(200)
