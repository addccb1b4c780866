"""``cehua keys``: create, list and revoke the API keys the HTTP API requires once any exists."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from assistant.cli import main
from core.settings import get_settings

if TYPE_CHECKING:
    from assistant.store.keys import ApiKey

# The state store (SQLAlchemy, about a second to import) is imported by the commands that use it, so
# every other ``cehua`` command starts without it.


def _row(key: ApiKey) -> dict[str, object]:
    return {
        "id": key.id, "name": key.name, "kind": key.kind, "prefix": key.prefix, "origins": key.origins,
        "rate_limit": key.rate_limit, "status": key.status,
        "created_at": key.created_at.isoformat(),
        "expires_at": key.expires_at.isoformat() if key.expires_at else None,
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@main.group("keys")
def keys_group() -> None:
    """Manage API keys (stored hashed; the secret is shown once, at creation)."""


@keys_group.command("create")
@click.option("--name", default=None,
              help="A name to recognise the key by, e.g. shop-widget (default: the widget's origin host, or 'server').")
@click.option("--kind", type=click.Choice(["server", "widget"]), default="server", show_default=True,
              help="server: every endpoint; widget: chat and drafting from its origins only.")
@click.option("--origin", "origins", multiple=True, metavar="URL",
              help="Allowed page origin for a widget key (repeatable), e.g. https://shop.example.com.")
@click.option("--expires-days", type=float, default=None, help="Expire the key after this many days.")
@click.option("--rate-limit", type=int, default=None, help="Requests per minute (default: CEHUA_RATE_LIMIT_PER_MINUTE).")
@click.option("--json", "as_json", is_flag=True, help='Print {"key": ..., ...} as JSON.')
def create(name: str | None, kind: str, origins: tuple[str, ...], expires_days: float | None, rate_limit: int | None,
           as_json: bool) -> None:
    """Create a key and print its secret (the only time it is shown)."""
    from assistant.store.db import session_scope
    from assistant.store.keys import create_key

    with session_scope(get_settings()) as session:
        created = create_key(session, name, kind=kind, origins=list(origins), expires_days=expires_days,
                             rate_limit=rate_limit)
    if as_json:
        click.echo(json.dumps({"key": created.key, **_row(created.info)}, ensure_ascii=False))
        return
    click.echo(created.key)
    click.echo(f"created {created.info.kind} key '{created.info.name}' (id {created.info.id}); "
               "store it now — it cannot be shown again", err=True)


@keys_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(as_json: bool) -> None:
    """List keys (prefix, kind, origins, status); secrets are never shown."""
    from assistant.store.db import session_scope
    from assistant.store.keys import list_keys

    with session_scope(get_settings()) as session:
        keys = list_keys(session)
    if as_json:
        click.echo(json.dumps([_row(k) for k in keys], ensure_ascii=False))
        return
    if not keys:
        click.echo("no keys: the API is open to anyone who can reach it (create one with `cehua keys create`)")
        return
    for k in keys:
        extra = f"  origins={','.join(k.origins)}" if k.origins else ""
        expires = f"  expires={k.expires_at:%Y-%m-%d}" if k.expires_at else ""
        click.echo(f"{k.id}  {k.prefix}…  {k.kind:<6}  {k.status:<7}  {k.name}{extra}{expires}")


@keys_group.command("revoke")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print the revoked key as JSON.")
def revoke(ref: str, as_json: bool) -> None:
    """Revoke the key with this id, prefix or name (requests with it then get 401)."""
    from assistant.store.db import session_scope
    from assistant.store.keys import revoke_key

    with session_scope(get_settings()) as session:
        key = revoke_key(session, ref)
    if as_json:
        click.echo(json.dumps(_row(key), ensure_ascii=False))
    else:
        click.echo(f"revoked key '{key.name}' ({key.prefix}…)")
