"""Statements built once, and id lists bound as one parameter.

Building a SQLAlchemy statement (coercing its clauses and computing its cache key)
costs more than running it on a small table: in the scenario benchmark, building
17,000 statements took about 3 s of 15. The commands' frequent statements are
therefore built once, with named parameters, by the cached functions here.

A list of ids is bound as ONE parameter, so that the statement's text does not
depend on the list's length: on PostgreSQL as `col = ANY(:ids)` with an array, on
SQLite as `col IN (SELECT value FROM json_each(:ids))` with a JSON array. Either
way a statement is compiled once, whatever the number of ids, and there is no
limit on the number of SQL variables.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY


def in_list(dialect: str, column: Any, name: str) -> ColumnElement[bool]:
    """`column IN :name`, where :name is bound with `list_value`."""
    if dialect == "postgresql":
        clause: ColumnElement[bool] = column == any_(bindparam(name, type_=ARRAY(String)))
        return clause
    values = func.json_each(bindparam(name, type_=String)).table_valued("value")
    inside: ColumnElement[bool] = column.in_(select(values.c.value))
    return inside


def list_value(conn: Connection, values: Iterable[str]) -> Any:
    """The bound value of a list parameter made by `in_list`."""
    items = list(values)
    return items if conn.dialect.name == "postgresql" else json.dumps(items)


@functools.cache
def select_all(table: Table) -> Select[Any]:
    return select(table)


@functools.cache
def by_id(table: Table, *columns: str) -> Select[Any]:
    """The given columns (all if none) of the row whose `id` is :id."""
    cols: list[Any] = [table.c[c] for c in columns] or [table]
    return select(*cols).where(table.c.id == bindparam("id"))


@functools.cache
def by_ids(dialect: str, table: Table, key: str, *columns: str) -> Select[Any]:
    """The given columns (all if none) of the rows whose `key` column is in :ids."""
    cols: list[Any] = [table.c[c] for c in columns] or [table]
    return select(*cols).where(in_list(dialect, table.c[key], "ids"))
