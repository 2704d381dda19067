"""The one typed settings object, read from the environment (prefix ARMSGATE_).

| variable | meaning | default |
| --- | --- | --- |
| ARMSGATE_DATABASE_URL | the store (SQLAlchemy URL) | sqlite:///armsgate.db |
| ARMSGATE_TODAY | fixes the service's day (YYYY-MM-DD), for demos and audits | the real date |
| ARMSGATE_ACTOR | who is recorded as making CLI changes | the OS user |
"""

from __future__ import annotations

import getpass
from datetime import date

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARMSGATE_", extra="ignore")

    database_url: str = Field(default="sqlite:///armsgate.db", min_length=1)
    today: date | None = None
    actor: str = Field(default_factory=getpass.getuser)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("use a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql:"):
            value = "postgresql+psycopg:" + value.removeprefix("postgresql:")
        return value
