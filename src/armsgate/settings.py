"""The one typed settings object, read from the environment (prefix ARMSGATE_).

| variable | meaning | default |
| --- | --- | --- |
| ARMSGATE_DATABASE_URL | the store (SQLAlchemy URL) | sqlite:///armsgate.db |
| ARMSGATE_TODAY | fixes the service's day (YYYY-MM-DD), for demos and audits | the real date |
| ARMSGATE_ACTOR | who is recorded as making CLI changes | the OS user |
| ARMSGATE_AUDIT_KEY_FILE | the audit trail's HMAC key (PostgreSQL: required) | by the SQLite file |
| ARMSGATE_AUDIT_HEAD_FILE | the audit trail's head (PostgreSQL: required) | by the SQLite file |

The audit trail's key and head live outside the database. On SQLite they default to the
store's file name + `.audit-key` and `.audit-head`, and `armsgate init` makes the key (random,
mode 0600). On PostgreSQL both must be set and the key must exist: at least 32 bytes, not
readable by group or others, e.g. `(umask 077; openssl rand -hex 32 > FILE)`.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from armsgate.audit.files import key_problem


def _beside_store(url: str, suffix: str) -> Path:
    """`store.db` + suffix beside a SQLite file; in the working directory for one in memory."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return Path("armsgate" + suffix)
    path = Path(database)
    return path.with_name(path.name + suffix)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARMSGATE_", extra="ignore")

    database_url: str = Field(default="sqlite:///armsgate.db", min_length=1)
    today: date | None = None
    actor: str = Field(default_factory=getpass.getuser)
    # Path() means unset: derived from a SQLite store's file, required on PostgreSQL.
    audit_key_file: Path = Field(default=Path(), validate_default=True)
    audit_head_file: Path = Field(default=Path(), validate_default=True)

    @field_validator("audit_key_file")
    @classmethod
    def _audit_key(cls, value: Path, info: ValidationInfo) -> Path:
        url = info.data.get("database_url")
        if url is None:  # the URL's own error is reported
            return value
        on_postgres = url.startswith("postgresql")
        if value == Path():
            if on_postgres:
                raise ValueError(
                    "required on PostgreSQL: a file with the audit trail's HMAC key, kept "
                    "outside the database, e.g. `(umask 077; openssl rand -hex 32 > FILE)`")
            value = _beside_store(url, ".audit-key")
        problem = key_problem(value, required=on_postgres)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("audit_head_file")
    @classmethod
    def _audit_head(cls, value: Path, info: ValidationInfo) -> Path:
        url = info.data.get("database_url")
        if url is None or value != Path():
            return value
        if url.startswith("postgresql"):
            raise ValueError("required on PostgreSQL: the file where the audit trail's head "
                             "is recorded, outside the database")
        return _beside_store(url, ".audit-head")

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("use a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql:"):
            value = "postgresql+psycopg:" + value.removeprefix("postgresql:")
        return value
