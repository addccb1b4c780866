"""Settings read from the environment (``CEHUA_*``, ``OPENAI_*``) and injected where needed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.errors import InputError


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("cehua", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable, with offline-friendly defaults."""

    model_config = SettingsConfigDict(env_prefix="CEHUA_", extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=_default_home, description="Data directory (index, database).")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL for state; default sqlite under home."
    )
    chroma_url: str | None = Field(
        default=None, description="Chroma server URL (http://host:port); default embedded under home."
    )
    collection: str = "guidebooks"

    # Model provider (OpenAI-compatible). No key means offline.
    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CEHUA_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "CEHUA_OPENAI_BASE_URL")
    )
    model: str = Field(default="gpt-4o-mini", validation_alias=AliasChoices("CEHUA_MODEL", "OPENAI_MODEL"))
    embedding_model: str | None = Field(
        default=None, description="OpenAI-compatible embedding model; unset means the local fitted embedding."
    )
    model_timeout: float = Field(default=60.0, gt=0, description="Seconds one read from the model may wait (per request).")
    # Bounds on a whole model call, retries included, so a hung or trickling model cannot hold a
    # request (or a thread) for long: the first token must come within the first, the reply end
    # within the second.
    model_first_token_timeout: float = Field(default=30.0, gt=0, description="Seconds until the model's first token.")
    model_deadline: float = Field(default=120.0, gt=0, description="Seconds for a whole model reply, retries included.")
    model_max_retries: int = Field(default=2, ge=0)
    # Requests waiting on the model at once per process, in their own threads: more queue there
    # instead of taking the threads that search, health and key checks run on.
    model_concurrency: int = 32
    sse_keepalive_seconds: float = Field(default=15.0, gt=0, description="Comment frames on idle event streams.")
    max_concurrency: int = 4
    # Sections of one plan drafted with a model at once: a 9-section plan is one wave of calls.
    # Separate from max_concurrency (drafting jobs per process), so a single plan stays fast
    # without letting many plans run at once.
    section_concurrency: int = 9

    # Serving. The numbers above and below are bounded (gt/ge), so a negative or zero one in the environment
    # stops `cehua` with one line naming it, instead of starting a server whose streams or uploads all fail.
    max_question_chars: int = Field(default=4000, gt=0)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_request_bytes: int = Field(default=1024 * 1024, gt=0, description="Largest JSON request body the API accepts.")
    rate_limit_per_minute: int = 120
    # One visitor (client address) of a widget key: a share of the key's quota, so one person
    # cannot use up a site's whole budget for every other visitor.
    visitor_rate_limit_per_minute: int = 30
    # Browser origins allowed to call the API besides widget keys' origins (comma-separated).
    # With no key created (open mode) only these and the API's own origin may call it from a page.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Host names (``*.example.com`` for subdomains) this API is reached by while no key exists, besides
    # addresses, ``localhost`` and names without a dot: any other Host is refused then, so a web page
    # cannot re-point its own name at a local install (DNS rebinding).
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Plans and conversations untouched this many days are deleted (0 keeps them forever).
    retention_days: float = 30.0
    # The address people open this server at (https://cehua.example.com, behind a proxy its public name):
    # links in replies (a plan's Word file) are absolute on it, so a Slack or DingTalk user can open them.
    public_url: str | None = None

    # Chat platform secrets
    slack_signing_secret: str | None = None
    slack_bot_token: str | None = None
    feishu_verification_token: str | None = None
    feishu_encrypt_key: str | None = None
    feishu_app_id: str | None = None
    feishu_app_secret: str | None = None
    dingtalk_app_secret: str | None = None
    wecom_token: str | None = None
    wecom_encoding_aes_key: str | None = None
    wecom_corp_id: str | None = None
    wecom_corp_secret: str | None = None
    wecom_agent_id: str | None = None
    # Outbound platform API bases (tests point them at a fake platform on loopback)
    slack_api_base: str = "https://slack.com/api"
    feishu_api_base: str = "https://open.feishu.cn"
    dingtalk_webhook_base: str = "https://oapi.dingtalk.com/"
    wecom_api_base: str = "https://qyapi.weixin.qq.com"

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_address(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            return None
        fix = ("Cehua keeps its state in PostgreSQL or SQLite: write postgresql://USER:PASSWORD@HOST:5432/DB, "
               "or leave it unset for SQLite under CEHUA_HOME")
        scheme, colon, _ = text.partition(":")
        if not colon or not scheme.replace("+", "").isalnum():
            raise ValueError(f"CEHUA_DATABASE_URL '{value}' is not a database address: {fix}")
        if scheme == "postgres":  # Heroku's and Render's spelling, which SQLAlchemy no longer reads
            return "postgresql" + text[len(scheme):]
        if scheme.split("+")[0] not in ("postgresql", "sqlite"):
            # The scheme only: the rest of the address holds the password.
            raise ValueError(f"CEHUA_DATABASE_URL is a {scheme}:// address: {fix}")
        return text

    @field_validator("public_url", mode="before")
    @classmethod
    def _web_address(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            return None
        parts = urlsplit(text)
        if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
                or any(c.isspace() for c in text)):
            raise ValueError(f"CEHUA_PUBLIC_URL '{value}' is not a web address: write the address people open this "
                             "server at, such as https://cehua.example.com or http://10.0.0.5:8000")
        return text.rstrip("/")

    @property
    def offline(self) -> bool:
        """True when no model key is configured: everything runs without a network."""
        return not self.openai_api_key

    @property
    def state_url(self) -> str:
        """The SQLAlchemy URL of the state database."""
        return self.database_url or f"sqlite:///{self.home / 'cehua.db'}"

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead). InputError naming the setting
    when one in the environment cannot be read (the CLI shows it as one line, not a traceback)."""
    try:
        return Settings()
    except ValidationError as exc:
        raise InputError("; ".join(_setting_problem(error) for error in exc.errors()), code="invalid_setting") from exc


def _setting_problem(error: Any) -> str:
    """One setting's problem: the validator's own sentence (it names the setting), else the setting and pydantic's."""
    message = str(error.get("msg", ""))
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    name = "_".join(str(part) for part in error.get("loc", ())).upper()
    return f"CEHUA_{name}: {message}"
