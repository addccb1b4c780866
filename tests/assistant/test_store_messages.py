"""What a PostgreSQL that refuses Cehua says: the server's own reason and the fix, not only the error's class."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from assistant.store.db import engine_url_for_humans, unavailable

# psycopg's words, as PostgreSQL 15 gave them to `cehua keys list` (copied from a real session).
_NO_DATABASE = ('connection failed: connection to server at "127.0.0.1", port 55428 failed: FATAL:  database '
                '"cehua_prod" does not exist')
_NO_ROLE = ('connection failed: connection to server at "127.0.0.1", port 55428 failed: FATAL:  role "planner" does '
            'not exist')
_BAD_PASSWORD = ('connection failed: connection to server at "127.0.0.1", port 55428 failed: FATAL:  password '
                 'authentication failed for user "cehua"')
_REFUSED = ('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n\tIs the '
            'server running on that host and accepting TCP/IP connections?')


def _refused_with(words: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception(words))


@pytest.mark.parametrize(("url", "words", "message"), [
    ("postgresql://cehua@127.0.0.1:55428/cehua_prod", _NO_DATABASE,
     "the state database postgresql://cehua@127.0.0.1:55428/cehua_prod is unavailable: database \"cehua_prod\" does "
     "not exist; create it (CREATE DATABASE cehua_prod) or name an existing one in CEHUA_DATABASE_URL"),
    ("postgresql://planner@127.0.0.1:55428/cehua", _NO_ROLE,
     "the state database postgresql://planner@127.0.0.1:55428/cehua is unavailable: role \"planner\" does not exist; "
     "check the user and password in CEHUA_DATABASE_URL"),
    ("postgresql://cehua:secret@127.0.0.1:55428/cehua", _BAD_PASSWORD,
     "the state database postgresql://cehua:***@127.0.0.1:55428/cehua is unavailable: password authentication failed "
     "for user \"cehua\"; check the user and password in CEHUA_DATABASE_URL"),
    ("postgresql://cehua@127.0.0.1:1/cehua", _REFUSED,
     "the state database postgresql://cehua@127.0.0.1:1/cehua is unavailable (OperationalError); check that it is "
     "running and CEHUA_DATABASE_URL, then retry"),
])
def test_a_refusal_names_the_server_s_reason_and_its_fix(url: str, words: str, message: str) -> None:
    """A database name that does not exist was reported "unavailable (OperationalError); check that it is running":
    the server was running, and the admin went looking for an outage instead of creating the database."""
    assert unavailable(url, _refused_with(words)).message == message


def test_a_url_without_a_password_is_not_shown_with_one() -> None:
    """'postgresql://cehua:***@…' for a URL with no password sent the admin looking for where a password came from."""
    assert engine_url_for_humans("postgresql://cehua@db:5432/cehua") == "postgresql://cehua@db:5432/cehua"
    assert engine_url_for_humans("postgresql://cehua:s3cr@t@db/cehua") == "postgresql://cehua:***@db/cehua"
