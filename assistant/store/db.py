"""The state database: one SQLAlchemy engine per URL (SQLite by default, PostgreSQL by URL).

Tables live beside the code that uses them (conversations, plans, jobs, keys) and all derive
from ``Base`` here, so ``create_all`` makes every table the app needs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from core.disk import disk_error, disk_problem
from core.errors import StoreError
from core.settings import Settings


class Base(DeclarativeBase):
    pass


_engines: dict[str, tuple[Engine, sessionmaker[Session]]] = {}
_lock = threading.Lock()


def unavailable(url: str, exc: BaseException) -> StoreError:
    """The ``StoreError`` (HTTP 503 ``store_unavailable``) for a database that cannot be used right now,
    naming the disk and path for SQLite and the server for PostgreSQL."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if _damaged(exc):
            return StoreError(f"the state database {path} is damaged or unreadable ({getattr(exc, 'orig', exc)}): move it aside "
                              "(Cehua then starts a new, empty one; its plans and conversations stay in the moved "
                              "file) or restore it from a backup")
        problem = disk_problem(path)
        text = str(getattr(exc, "orig", exc)).lower()
        if problem is None and ("full" in text or "readonly" in text or "read-only" in text):
            problem = f"the disk holding {Path(path).parent} is full or read-only"
        if problem is not None:
            return StoreError(f"cannot write the state database {path}: {problem}; free space there or "
                              "point CEHUA_HOME (or CEHUA_DATABASE_URL) at a writable disk with room")
        return StoreError(f"cannot use the state database {path} ({getattr(exc, 'orig', exc)}); check the "
                          "file and its folder, or point CEHUA_DATABASE_URL elsewhere")
    refusal = _REFUSAL.search(str(getattr(exc, "orig", exc)))
    if refusal is not None:
        # The server runs and said why it will not serve us: its reason and the fix, not an outage to wait out.
        reason = " ".join(refusal.group(1).split())
        missing = re.fullmatch(r'database "([^"]+)" does not exist', reason)
        fix = (f"create it (CREATE DATABASE {missing.group(1)}) or name an existing one in CEHUA_DATABASE_URL"
               if missing else "check the user and password in CEHUA_DATABASE_URL")
        return StoreError(f"the state database {engine_url_for_humans(url)} is unavailable: {reason}; {fix}")
    return StoreError(f"the state database {engine_url_for_humans(url)} is unavailable "
                      f"({exc.__class__.__name__}); check that it is running and CEHUA_DATABASE_URL, "
                      "then retry")


# PostgreSQL's refusals of a connection by a running server, as libpq words them (a missing database, role or
# password); "too many clients" and a server starting up are outages and keep the generic message.
_REFUSAL = re.compile(r'FATAL:\s+((?:database|role) "[^"]+" does not exist|password authentication failed for user '
                      r'"[^"]+")')


def _damaged(exc: BaseException) -> bool:
    """True for SQLite's own words for a damaged database file (a truncated one reads as an I/O error)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "file is not a database" in text or "malformed" in text or "disk i/o error" in text


def _is_outage(context: ExceptionContext) -> bool:
    """True for errors of the database itself (down, unreachable, disk full, a damaged file), not of our
    statements."""
    original = context.sqlalchemy_exception or context.original_exception
    return context.is_disconnect or isinstance(original, (OperationalError, InterfaceError)) or (
        not isinstance(original, DBAPIError) and isinstance(context.original_exception, OSError)) or (
        _damaged(context.original_exception))


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise (disk_error(exc, Path(path).parent) or unavailable(url, exc)) from exc
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _translate_outages(engine, url)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # WAL lets several API workers read while one writes.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; no fsync per commit
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    driver_url = url
    if url.startswith("postgresql://"):
        driver_url = "postgresql+psycopg://" + url[len("postgresql://"):]
    # A stopped or unreachable server fails within seconds instead of holding a request thread.
    connect_args = {"connect_timeout": 5} if driver_url.startswith("postgresql") else {}
    engine = create_engine(driver_url, pool_pre_ping=True, connect_args=connect_args)
    _translate_outages(engine, url)
    return engine


def _translate_outages(engine: Engine, url: str) -> None:
    """Every use of ``engine`` raises ``StoreError`` when the database is down or its disk is full,
    so each caller (routes, jobs, CLI) reports 503 ``store_unavailable`` instead of a traceback."""

    @event.listens_for(engine, "handle_error")
    def _outage(context: ExceptionContext) -> None:
        if _is_outage(context):
            raise unavailable(url, context.original_exception) from context.original_exception


def session_factory(settings: Settings) -> sessionmaker[Session]:
    """A session factory for the settings' database, with every table created."""
    url = settings.state_url
    with _lock:
        if url not in _engines:
            engine = _make_engine(url)
            try:
                _import_tables()
                Base.metadata.create_all(engine)
                _add_missing_columns(engine)
            except StoreError:
                engine.dispose()  # retried on the next call, once the database is back
                raise
            except SQLAlchemyError as exc:
                engine.dispose()
                if _damaged(exc):
                    raise unavailable(url, exc) from exc
                raise StoreError(
                    f"cannot open the state database {engine_url_for_humans(url)}: {exc.__class__.__name__}; "
                    "check CEHUA_DATABASE_URL and that the database is running"
                ) from exc
            _engines[url] = (engine, sessionmaker(engine, expire_on_commit=False))
        return _engines[url][1]


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on error."""
    session = session_factory(settings)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def engine_url_for_humans(url: str) -> str:
    """The URL with any password hidden."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user, has_password, _ = creds.partition(":")
        return f"{scheme}://{user}:***@{host}" if has_password else f"{scheme}://{user}@{host}"
    return url


def _add_missing_columns(engine: Engine) -> None:
    """Add nullable columns that newer code declares to tables an older version created
    (``create_all`` makes missing tables, never missing columns)."""
    inspector = inspect(engine)
    existing_tables = set(inspector.get_table_names())
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing_tables:
                continue
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))


def _import_tables() -> None:
    """Import every module that defines tables so ``create_all`` sees them."""
    import importlib

    for name in _TABLE_MODULES:
        importlib.import_module(name)


# Modules defining tables on ``Base``; add yours here.
_TABLE_MODULES: list[str] = [
    "assistant.store.keys",
    "assistant.store.plans",
    "assistant.store.jobs",
    "assistant.store.conversations",
    "assistant.store.integrations",
    "assistant.store.conversation_plans",
]


def dispose_all() -> None:
    """Close every engine (tests and shutdown)."""
    with _lock:
        for engine, _ in _engines.values():
            engine.dispose()
        _engines.clear()
