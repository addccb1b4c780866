"""API keys and their rate-limit counters, kept in the state database.

A key is ``ch_`` plus a random secret; only its sha256 is stored, with a short prefix shown in
listings so a person can tell keys apart. Server keys may call everything; widget keys only chat
and drafting, and only from their allowed origins. Rate counters are fixed one-minute windows in
the database, so several API workers share them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import time
import uuid
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel
from sqlalchemy import Connection, DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.store.db import Base
from core.errors import AuthError, InputError, LimitError, NotFoundError

KeyKind = Literal["server", "widget"]
KEY_PREFIX = "ch_"
_SHOWN_CHARS = 10


class KeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    rate_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class KeyOriginRow(Base):
    __tablename__ = "api_key_origins"

    key_id: Mapped[str] = mapped_column(String(32), ForeignKey("api_keys.id"), primary_key=True)
    origin: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)


class RateCounterRow(Base):
    __tablename__ = "rate_counters"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ApiKey(BaseModel):
    """A key as listings and the API see it (never the secret)."""

    id: str
    name: str
    kind: KeyKind
    prefix: str
    origins: list[str]
    rate_limit: int | None = None
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    @property
    def status(self) -> str:
        """'active', 'revoked' or 'expired'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= _now():
            return "expired"
        return "active"


class CreatedKey(BaseModel):
    """A new key: the secret is shown once, here, and never again."""

    key: str
    info: ApiKey


class RateLimitExceeded(LimitError):
    """Too many requests for one key in the current window; ``retry_after`` is in seconds."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands datetimes back without tzinfo; everything we store is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def hash_secret(key: str) -> str:
    """The sha256 hex digest a key is stored and looked up by."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it in the Origin header."""
    raw = origin.strip()
    problem = InputError(f"origin '{origin}': write it as scheme://host[:port], e.g. https://shop.example.com")
    try:  # urlsplit and .port raise ValueError for "http://[::1" or a port over 65535
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise problem from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or (parts.path not in ("", "/")) \
            or parts.query or parts.fragment or parts.username:
        raise problem
    host = parts.hostname.lower()
    default = {"http": 80, "https": 443}[parts.scheme]
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}"


def _to_model(row: KeyRow, origins: list[str]) -> ApiKey:
    return ApiKey(
        id=row.id, name=row.name, kind=row.kind,  # type: ignore[arg-type]
        prefix=row.prefix, origins=sorted(origins), rate_limit=row.rate_limit,
        created_at=_aware(row.created_at), expires_at=_aware(row.expires_at),  # type: ignore[arg-type]
        revoked_at=_aware(row.revoked_at),
    )


def create_key(
    session: Session,
    name: str | None = None,
    *,
    kind: str = "server",
    origins: list[str] | None = None,
    expires_days: float | None = None,
    rate_limit: int | None = None,
) -> CreatedKey:
    """A new key stored hashed; the returned ``key`` is the only copy of the secret.

    Without a name, a widget key is named after its first origin's host and a server key 'server'."""
    if kind not in ("server", "widget"):
        raise InputError(f"key kind '{kind}': use 'server' or 'widget'")
    clean_origins = sorted({normalize_origin(o) for o in origins or []})
    if name is None:
        name = urlsplit(clean_origins[0]).netloc if clean_origins else kind
    name = name.strip()
    if not name:
        raise InputError("key name is empty: pass --name, e.g. --name shop-widget, or leave it out")
    if kind == "widget" and not clean_origins:
        raise InputError("a widget key needs at least one --origin, e.g. --origin https://shop.example.com")
    if kind == "server" and clean_origins:
        raise InputError("--origin only applies to widget keys: add --kind widget")
    if expires_days is not None and not (0 < expires_days <= 36500):
        raise InputError(f"--expires-days {expires_days}: give a number of days between 1 and 36500")
    if rate_limit is not None and rate_limit < 1:
        raise InputError(f"--rate-limit {rate_limit}: give a number of requests per minute of at least 1")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    row = KeyRow(
        id=uuid.uuid4().hex, name=name, kind=kind, prefix=secret[:_SHOWN_CHARS],
        secret_hash=hash_secret(secret), rate_limit=rate_limit, created_at=now,
        expires_at=now + dt.timedelta(days=expires_days) if expires_days is not None else None,
    )
    session.add(row)
    session.flush()
    for origin in clean_origins:
        session.add(KeyOriginRow(key_id=row.id, origin=origin))
    session.flush()
    return CreatedKey(key=secret, info=_to_model(row, clean_origins))


def list_keys(session: Session) -> list[ApiKey]:
    """Every key ever created, oldest first, revoked and expired ones included."""
    rows = session.scalars(select(KeyRow).order_by(KeyRow.created_at)).all()
    origins: dict[str, list[str]] = {}
    for o in session.scalars(select(KeyOriginRow)).all():
        origins.setdefault(o.key_id, []).append(o.origin)
    return [_to_model(r, origins.get(r.id, [])) for r in rows]


def find_key(session: Session, ref: str) -> KeyRow:
    """The key whose id, full prefix or name is ``ref``; NotFoundError or an ambiguity error otherwise."""
    ref = ref.strip()
    rows = session.scalars(
        select(KeyRow).where((KeyRow.id == ref) | (KeyRow.prefix == ref) | (KeyRow.name == ref))
    ).all()
    if not rows:
        raise NotFoundError(f"no key '{ref}': see `cehua keys list` for ids, prefixes and names")
    if len(rows) > 1:
        raise InputError(f"'{ref}' names {len(rows)} keys: revoke by id (see `cehua keys list`)")
    return rows[0]


def revoke_key(session: Session, ref: str) -> ApiKey:
    """Mark the key revoked (kept for the record); later calls with it get 401."""
    row = find_key(session, ref)
    if row.revoked_at is None:
        row.revoked_at = _now()
        session.flush()
    origins = list(session.scalars(select(KeyOriginRow.origin).where(KeyOriginRow.key_id == row.id)))
    return _to_model(row, origins)


def any_keys(session: Session | Connection) -> bool:
    """True once any key has been created: from then on every /v1 call needs one.

    Takes a bare connection too: the API asks this on every unauthenticated call, and a Core
    connection costs a fraction of an ORM session."""
    return session.execute(select(KeyRow.id).limit(1)).first() is not None


_KEY_COLUMNS = (KeyRow.id, KeyRow.name, KeyRow.kind, KeyRow.prefix, KeyRow.rate_limit, KeyRow.created_at,
                KeyRow.expires_at, KeyRow.revoked_at)


def authenticate(session: Session | Connection, key: str) -> ApiKey:
    """The active key matching ``key`` (one indexed lookup); AuthError when unknown, revoked or expired.

    Selects plain columns, so it runs on a bare connection as well as on a session."""
    row = session.execute(select(*_KEY_COLUMNS).where(KeyRow.secret_hash == hash_secret(key))).first()
    if row is None:
        raise AuthError("unknown API key: check the Authorization: Bearer header (see `cehua keys list`)",
                        code="invalid_key")
    if row.revoked_at is not None:
        raise AuthError(f"API key {row.prefix}… was revoked: create a new one with `cehua keys create`",
                        code="revoked_key")
    expires = _aware(row.expires_at)
    if expires is not None and expires <= _now():
        raise AuthError(f"API key {row.prefix}… expired on {expires:%Y-%m-%d %H:%M} UTC: "
                        "create a new one with `cehua keys create`", code="expired_key")
    origins: list[str] = []
    if row.kind == "widget":
        origins = sorted(session.scalars(select(KeyOriginRow.origin).where(KeyOriginRow.key_id == row.id)))
    return ApiKey(id=row.id, name=row.name, kind=row.kind, prefix=row.prefix, origins=origins,
                  rate_limit=row.rate_limit, created_at=_aware(row.created_at),  # type: ignore[arg-type]
                  expires_at=expires, revoked_at=None)


def origin_allowed(session: Session | Connection, origin: str) -> bool:
    """True when an active widget key lists ``origin`` (used to answer CORS preflights)."""
    try:
        origin = normalize_origin(origin)
    except InputError:
        return False
    now = _now()
    rows = session.execute(
        select(KeyRow.expires_at)
        .join(KeyOriginRow, KeyOriginRow.key_id == KeyRow.id)
        .where(KeyOriginRow.origin == origin, KeyRow.revoked_at.is_(None))
    ).all()
    return any(_aware(r[0]) is None or _aware(r[0]) > now for r in rows)  # type: ignore[operator]


def visitor_counter(key_id: str, client: str) -> str:
    """The rate counter id of one visitor (client address) of a widget key."""
    return hashlib.sha256(f"{key_id}\n{client}".encode()).hexdigest()[:32]


def hit_rate_limit(session: Session | Connection, key_id: str, limit: int, *, now: float | None = None,
                   visitor: bool = False) -> int:
    """Count one request for ``key_id`` (a key's, or a ``visitor_counter``) in this minute;
    RateLimitExceeded once over ``limit``.

    Returns the count so far in the window. The increment is a single upsert, so workers sharing
    the database share the counter.
    """
    now = time.time() if now is None else now
    window = int(now // 60)
    dialect = (session.dialect if isinstance(session, Connection) else session.get_bind().dialect).name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(RateCounterRow).values(key_id=key_id, window=window, count=1).on_conflict_do_update(
        index_elements=[RateCounterRow.key_id, RateCounterRow.window],
        set_={"count": RateCounterRow.count + 1},
    )
    count = int(session.execute(upsert.returning(RateCounterRow.count)).scalar_one())
    if count == 1:
        # First request of a new window: old windows are no longer needed.
        session.execute(
            delete(RateCounterRow).where(RateCounterRow.key_id == key_id, RateCounterRow.window < window)
        )
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * 60 - now))
        if visitor:
            message = (f"rate limit of {limit} requests per minute reached for one visitor of this widget: "
                       f"retry in {retry_after} s (the server sets it with CEHUA_VISITOR_RATE_LIMIT_PER_MINUTE)")
        else:
            message = (f"rate limit of {limit} requests per minute reached for this key: retry in {retry_after} s "
                       "or ask for a higher limit (`cehua keys create --rate-limit N`)")
        raise RateLimitExceeded(message, retry_after=retry_after)
    return count

