"""The one typed settings object, read from the environment (prefix ARMSGATE_).

| variable | meaning | default |
| --- | --- | --- |
| ARMSGATE_DATABASE_URL | the store (SQLAlchemy URL) | sqlite:///armsgate.db |
| ARMSGATE_TODAY | fixes the service's day (YYYY-MM-DD), for demos and audits | the real date |
| ARMSGATE_ACTOR | who is recorded as making CLI changes | the OS user |
| ARMSGATE_AUDIT_KEY_FILE | the audit trail's HMAC key (PostgreSQL: required) | by the SQLite file |
| ARMSGATE_AUDIT_HEAD_FILE | the audit trail's head (PostgreSQL: required) | by the SQLite file |
| ARMSGATE_AUTHORITY_NAME | the licensing authority named in messages and licences | see below |
| ARMSGATE_SMTP_HOST | the mail relay of `outbox deliver`; unset: messages are logged | unset |
| ARMSGATE_SMTP_PORT | the relay's port | 587 |
| ARMSGATE_SMTP_FROM | the sender address of notifications | armsgate@localhost |
| ARMSGATE_SMTP_STARTTLS | STARTTLS, verifying the relay's certificate (true/false) | true |
| ARMSGATE_SMTP_USERNAME | the relay's user name; refused without STARTTLS | none |
| ARMSGATE_SMTP_PASSWORD | its password; needs ARMSGATE_SMTP_USERNAME | none |
| ARMSGATE_SMTP_CA_FILE | CA certificates (PEM) that verify the relay | the system's |
| ARMSGATE_SMTP_TIMEOUT | seconds to wait for the relay | 30 |
| ARMSGATE_CONSENT_WORKING_DAYS | working days a consulted body has to give its opinion | 15 |
| ARMSGATE_APPEAL_DAYS | days after a refusal to appeal it; an assumption: check the law | 30 |
| ARMSGATE_PUBLIC_HOLIDAYS | holidays (not working days), JSON: `["2025-01-07"]` | none |
| ARMSGATE_THREADS | a server process's thread pool (routes not quick); its connections | 2 |
| ARMSGATE_CREDENTIAL_CACHE | keep resolved credentials (PostgreSQL; docs/access.md) | true |

The 30 days to appeal a refusal are an assumption of this system, to be checked against the
national law on foreign trade in arms before use; working days are Monday to Friday, less the
public holidays listed.

The default authority is the Ministry of Internal and Foreign Trade of the Republic of Serbia
(the ministry in charge of foreign trade issues arms-export licences).

The audit trail's key and head live outside the database. On SQLite they default to the
store's file name + `.audit-key` and `.audit-head`, and `armsgate init` makes the key (random,
mode 0600). On PostgreSQL both must be set and the key must exist: at least 32 bytes, not
readable by group or others, e.g. `(umask 077; openssl rand -hex 32 > FILE)`.
"""

from __future__ import annotations

import getpass
from datetime import date
from email.utils import parseaddr
from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from armsgate.audit.files import key_problem
from armsgate.rules.working_days import Deadlines

DEFAULT_AUTHORITY = "Ministry of Internal and Foreign Trade of the Republic of Serbia"


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
    # The thread pool of a server process, for the routes that are not quick (`api.access.
    # route`; a quick one runs on the event loop), and as many pooled connections to
    # PostgreSQL, plus the loop's and the scheduled job's. The work is Python's, under one
    # lock (the GIL): more threads contend for it and cost more CPU a request
    # (docs/performance.md, the same load: 2 threads 285-311 requests/s, 16 threads 226-235).
    threads: int = Field(default=2, ge=1, le=200)
    # A server on PostgreSQL keeps the credentials it resolved, emptied at every change
    # the store notifies (docs/access.md); false: every request reads them again.
    credential_cache: bool = True
    today: date | None = None
    actor: str = Field(default_factory=getpass.getuser)
    # Path() means unset: derived from a SQLite store's file, required on PostgreSQL.
    audit_key_file: Path = Field(default=Path(), validate_default=True)
    audit_head_file: Path = Field(default=Path(), validate_default=True)
    authority_name: str = Field(default=DEFAULT_AUTHORITY, min_length=1)
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_from: str = "armsgate@localhost"
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_ca_file: Path | None = None
    smtp_timeout: float = Field(default=30.0, gt=0)
    consent_working_days: int = Field(default=15, ge=1, le=365)
    appeal_days: int = Field(default=30, ge=1, le=3650)
    public_holidays: list[date] = []

    def deadlines(self) -> Deadlines:
        """The review workflow's time limits."""
        return Deadlines.of(self.consent_working_days, self.appeal_days, self.public_holidays)

    @field_validator("smtp_from")
    @classmethod
    def _an_address(cls, value: str) -> str:
        _name, address = parseaddr(value)
        if not address or "@" not in address or any(c in value for c in "\r\n"):
            raise ValueError("give one e-mail address, e.g. armsgate@authority.gov.rs")
        return value

    @field_validator("smtp_username")
    @classmethod
    def _credentials_need_tls(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and not info.data.get("smtp_starttls", True):
            raise ValueError("credentials would be sent in clear: keep ARMSGATE_SMTP_STARTTLS")
        return value

    @field_validator("smtp_password")
    @classmethod
    def _password_needs_user(cls, value: SecretStr | None,
                             info: ValidationInfo) -> SecretStr | None:
        if value is not None and not info.data.get("smtp_username"):
            raise ValueError("set ARMSGATE_SMTP_USERNAME with the password")
        return value

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
