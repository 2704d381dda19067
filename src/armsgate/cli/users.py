"""`armsgate users ...`: accounts, passwords and API tokens (each change audited)."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from armsgate.access import inputs as ai
from armsgate.access.service import Accounts
from armsgate.audit.trail import AuditTrail
from armsgate.cli.context import clock, guarded, settings
from armsgate.cli.output import console, print_json
from armsgate.domain.inputs import parse
from armsgate.errors import InputError
from armsgate.store.database import open_store, require_current

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="print JSON")
ROLES = "exporter, officer, ministry, nsc-secretary, nsc-member, analyst, auditor, admin"


def open_accounts() -> tuple[Accounts, str]:
    """The accounts service on the configured store, and the actor recorded for changes."""
    s = settings()
    engine = open_store(s.database_url)
    require_current(engine)
    return Accounts(engine, clock(s), AuditTrail.from_settings(s)), s.actor


def _read_password(from_stdin: bool, field: str) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError(field, "no password on standard input")
        return line
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@app.command("add")
@guarded
def add(username: str = typer.Argument(..., help="the sign-in name (lower case)"),
        role: str = typer.Option(..., "--role", help=f"one of: {ROLES}"),
        name: str = typer.Option(..., "--name", help="the person's display name"),
        email: str = typer.Option(..., "--email", help="where notifications go"),
        body: str | None = typer.Option(
            None, "--body", help="ministry reviewers: the consenting body's code as the "
                                 "policy names it (defence, foreign_affairs, ...)"),
        party: str | None = typer.Option(None, "--party",
                                         help="exporters: the company's party id"),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="read a password from standard input (without it "
                                            "the account signs in with API tokens only)"),
        json: bool = JSON) -> None:
    """Create an account with its role."""
    doc = {"username": username, "display_name": name, "email": email, "role": role,
           "body": body, "party_id": party}
    if password_stdin:
        doc["password"] = _read_password(True, "password")
    cmd = parse(ai.NewUser, doc)
    accounts, actor = open_accounts()
    user = accounts.add_user(cmd, actor)
    print_json(user.to_json()) if json else console.print(
        f"account {user.username} created ({user.role.value})")


@app.command("list")
@guarded
def list_(json: bool = JSON) -> None:
    """Every account: role, body or company, active or not."""
    accounts, _ = open_accounts()
    users = accounts.users()
    if json:
        print_json([u.to_json() for u in users])
        return
    table = Table("username", "name", "role", "body / company", "active", "password")
    for u in users:
        table.add_row(u.username, u.display_name, u.role.value, u.body or u.party_id or "",
                      "yes" if u.active else "no", "yes" if u.has_password else "no")
    console.print(table)


@app.command("disable")
@guarded
def disable(username: str, json: bool = JSON) -> None:
    """Disable an account: its tokens are revoked and its sessions end."""
    accounts, actor = open_accounts()
    user = accounts.disable_user(username, actor)
    print_json(user.to_json()) if json else console.print(f"account {username} disabled")


@app.command("password")
@guarded
def password(username: str,
             stdin: bool = typer.Option(False, "--stdin",
                                        help="read the password from standard input"),
             json: bool = JSON) -> None:
    """Set an account's password (prompted twice unless --stdin); its sessions end."""
    cmd = parse(ai.NewPassword, {"username": username,
                                 "password": _read_password(stdin, "password")})
    accounts, actor = open_accounts()
    user = accounts.set_password(cmd, actor)
    print_json(user.to_json()) if json else console.print(f"password of {username} set")


@app.command("token")
@guarded
def token(username: str,
          name: str = typer.Option(..., "--name", help="what the token is for"),
          days: int = typer.Option(90, "--days", help="days until it expires (1 to 366)"),
          json: bool = JSON) -> None:
    """Issue an API token; it is printed once and only its SHA-256 digest is stored."""
    cmd = parse(ai.NewToken, {"username": username, "name": name, "days": days})
    accounts, actor = open_accounts()
    issued = accounts.issue_token(cmd, actor)
    if json:
        print_json({**issued.info.to_json(), "token": issued.token})
        return
    expires = issued.info.expires_at
    console.print(f"token {issued.info.id} for {username}, expires "
                  f"{expires.date() if expires else 'never'}; it is shown only now:")
    print(issued.token)


@app.command("revoke")
@guarded
def revoke(token_id: int = typer.Argument(..., help="the token's id (from `users tokens`)"),
           json: bool = JSON) -> None:
    """Revoke an API token."""
    accounts, actor = open_accounts()
    info = accounts.revoke_token(token_id, actor)
    print_json(info.to_json()) if json else console.print(f"token {token_id} revoked")


@app.command("tokens")
@guarded
def tokens(username: str | None = typer.Argument(None, help="one account's only"),
           json: bool = JSON) -> None:
    """API tokens (never their text): name, account, created, expires, revoked."""
    accounts, _ = open_accounts()
    found = accounts.tokens(username)
    if json:
        print_json([i.to_json() for i in found])
        return
    table = Table("id", "username", "name", "created", "expires", "revoked")
    for i in found:
        table.add_row(str(i.id), i.username, i.name, str(i.created_at.date()),
                      str(i.expires_at.date()) if i.expires_at else "never",
                      str(i.revoked_at.date()) if i.revoked_at else "")
    console.print(table)
