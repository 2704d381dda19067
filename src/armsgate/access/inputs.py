"""What may enter the accounts layer, validated field by field (`domain.inputs.parse`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, StrictStr, ValidationInfo, field_validator

from armsgate.access.roles import UserRole
from armsgate.domain.inputs import Id, Model

USERNAME = r"^[a-z0-9][a-z0-9._-]{1,99}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Username = Annotated[StrictStr, Field(pattern=USERNAME)]
Email = Annotated[StrictStr, Field(pattern=EMAIL, max_length=320)]
Password = Annotated[SecretStr, Field(min_length=12, max_length=1024)]
Body = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{0,99}$")]


class NewUser(Model):
    username: Username
    display_name: Annotated[StrictStr, Field(min_length=1, max_length=500)]
    email: Email
    role: UserRole
    # the consenting body's code as the policy names it (defence, foreign_affairs, ...)
    body: Body | None = Field(default=None, validate_default=True)
    party_id: Id | None = Field(default=None, validate_default=True)  # the exporter's company
    password: Password | None = None  # none: no password sign-in (tokens only)

    @field_validator("body")
    @classmethod
    def _body_for_ministry(cls, value: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role is UserRole.MINISTRY and value is None:
            raise ValueError("a ministry reviewer needs the body it reviews for")
        if role is not None and role is not UserRole.MINISTRY and value is not None:
            raise ValueError(f"only a ministry reviewer has a body, not a {role.value}")
        return value

    @field_validator("party_id")
    @classmethod
    def _party_for_exporter(cls, value: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role is UserRole.EXPORTER and value is None:
            raise ValueError("an exporter needs its company's party id")
        if role is not None and role is not UserRole.EXPORTER and value is not None:
            raise ValueError(f"only an exporter has a company, not a {role.value}")
        return value


class NewPassword(Model):
    username: Username
    password: Password


class NewToken(Model):
    username: Username
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    days: Annotated[int, Field(strict=True, ge=1, le=366)] = 90
