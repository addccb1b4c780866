"""Settings read from the environment: the public address replies link to, and errors that name the setting."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant.cli import main
from core.errors import InputError
from core.settings import Settings, get_settings


@pytest.mark.parametrize(("written", "kept"), [
    ("https://cehua.example.com", "https://cehua.example.com"),
    ("https://cehua.example.com/tools/", "https://cehua.example.com/tools"),
    ("  http://10.0.0.5:8000  ", "http://10.0.0.5:8000"),
    ("", None),
])
def test_cehua_public_url_is_kept_without_its_trailing_slash(written: str, kept: str | None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_PUBLIC_URL", written)
    assert Settings().public_url == kept


@pytest.mark.parametrize("written", ["cehua.example.com", "ftp://cehua.example.com", "https://", "https://x.com/?a=1",
                                     "https://x.com/#top", "https://cehua example.com"])
def test_a_malformed_cehua_public_url_is_one_error_naming_the_setting_and_the_fix(
        written: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_PUBLIC_URL", written)
    get_settings.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert caught.value.message == (f"CEHUA_PUBLIC_URL '{written}' is not a web address: write the address people "
                                    "open this server at, such as https://cehua.example.com or http://10.0.0.5:8000")


def test_the_cli_says_a_malformed_setting_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_PUBLIC_URL", "cehua.example.com")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["ask", "预算怎么分配?"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert result.output == ("error: CEHUA_PUBLIC_URL 'cehua.example.com' is not a web address: write the address "
                             "people open this server at, such as https://cehua.example.com or http://10.0.0.5:8000\n")


_DATABASE_FIX = ("Cehua keeps its state in PostgreSQL or SQLite: write postgresql://USER:PASSWORD@HOST:5432/DB, "
                 "or leave it unset for SQLite under CEHUA_HOME")


@pytest.mark.parametrize(("written", "said"), [
    ("mysql://root:s3cret@db/cehua", "CEHUA_DATABASE_URL is a mysql:// address: "),
    ("mongodb+srv://u:p@cluster/db", "CEHUA_DATABASE_URL is a mongodb+srv:// address: "),
    ("cehua.db", "CEHUA_DATABASE_URL 'cehua.db' is not a database address: "),
])
def test_a_database_cehua_cannot_use_is_one_error_naming_the_setting_and_never_the_password(
        written: str, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """mysql://…, a bare file name or any other scheme stopped every command with a SQLAlchemy traceback
    (No module named 'MySQLdb', Could not parse SQLAlchemy URL)."""
    monkeypatch.setenv("CEHUA_DATABASE_URL", written)
    get_settings.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert caught.value.message == said + _DATABASE_FIX
    assert "s3cret" not in caught.value.message


@pytest.mark.parametrize(("written", "kept"), [
    ("postgres://u:p@db:5432/cehua", "postgresql://u:p@db:5432/cehua"),  # Heroku's and Render's spelling
    ("postgresql://u:p@db/cehua", "postgresql://u:p@db/cehua"),
    ("postgresql+psycopg://u@db/cehua", "postgresql+psycopg://u@db/cehua"),
    ("sqlite:////var/lib/cehua/state.db", "sqlite:////var/lib/cehua/state.db"),
    ("", None),
])
def test_the_database_urls_cehua_can_use_are_kept(written: str, kept: str | None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_DATABASE_URL", written)
    assert Settings().database_url == kept


@pytest.mark.parametrize(("name", "written", "said"), [
    # -5 let `cehua serve` start and then answered every streamed chat with 500 internal_error.
    ("CEHUA_SSE_KEEPALIVE_SECONDS", "-5", "CEHUA_SSE_KEEPALIVE_SECONDS: Input should be greater than 0"),
    ("CEHUA_SSE_KEEPALIVE_SECONDS", "0", "CEHUA_SSE_KEEPALIVE_SECONDS: Input should be greater than 0"),
    ("CEHUA_MODEL_DEADLINE", "-1", "CEHUA_MODEL_DEADLINE: Input should be greater than 0"),
    ("CEHUA_MODEL_FIRST_TOKEN_TIMEOUT", "0", "CEHUA_MODEL_FIRST_TOKEN_TIMEOUT: Input should be greater than 0"),
    ("CEHUA_MODEL_TIMEOUT", "-3", "CEHUA_MODEL_TIMEOUT: Input should be greater than 0"),
    ("CEHUA_MODEL_MAX_RETRIES", "-1", "CEHUA_MODEL_MAX_RETRIES: Input should be greater than or equal to 0"),
    ("CEHUA_MAX_QUESTION_CHARS", "0", "CEHUA_MAX_QUESTION_CHARS: Input should be greater than 0"),
    ("CEHUA_MAX_UPLOAD_BYTES", "-1", "CEHUA_MAX_UPLOAD_BYTES: Input should be greater than 0"),
    ("CEHUA_MAX_REQUEST_BYTES", "0", "CEHUA_MAX_REQUEST_BYTES: Input should be greater than 0"),
])
def test_a_number_setting_out_of_range_is_one_error_naming_the_setting(
        name: str, written: str, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, written)
    get_settings.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert caught.value.message == said
