"""What routes depend on: settings, the state database, per-process services, and the caller's key.

Every dependency is an ``Annotated`` alias (``SettingsDep``, ``SessionDep``, ``KnowledgeBaseDep``,
``ChatServiceDep``, ``DrafterDep``, ``ServerKeyDep``, ``ClientKeyDep``). Tests replace any of them
with ``app.dependency_overrides[get_x] = ...``. Services are built once per process and settings;
nothing here holds state that several workers would need to share.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from assistant.chat import ChatService
from assistant.llm.base import ChatModel
from assistant.planning import PlanningChat, PlanService
from assistant.planning.drafter import Drafter
from assistant.planning.service import JobSubmitter
from assistant.store.db import session_factory, session_scope
from assistant.store.keys import (
    ApiKey,
    any_keys,
    authenticate,
    hit_rate_limit,
    normalize_origin,
    visitor_counter,
)
from core.errors import AuthError
from core.settings import Settings
from knowledge import KnowledgeBase, open_knowledge_base


async def get_settings(request: Request) -> Settings:
    """The app's settings (``create_app(settings)``; overridable in tests).

    The cheap dependencies are ``async`` so they run on the event loop without a thread hop."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_public_url(request: Request, settings: SettingsDep) -> str:
    """The address a caller opens this server at, for links in replies: ``CEHUA_PUBLIC_URL`` when set (behind
    a proxy the request's own address is the internal one), else the address the request came to."""
    return settings.public_url or str(request.base_url).rstrip("/")


PublicUrlDep = Annotated[str, Depends(get_public_url)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """A database session committed when the request's work succeeds, rolled back otherwise.

    It ends with the route function, before the response is sent (``scope="function"``): a commit that
    fails (the database stopped mid-request) is then a 503 ``store_unavailable`` answer, not a 200 for
    work that was never stored followed by a dropped connection."""
    with session_scope(settings) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@dataclass
class Services:
    """The per-process services for one settings object, each built on first use."""

    settings: Settings
    jobs: JobSubmitter | None = None  # the app's JobRunner: drafting jobs run under its concurrency limit
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _kb: KnowledgeBase | None = None
    _model: ChatModel | None = None
    _model_built: bool = False
    _chat: ChatService | None = None

    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base (``knowledge.open_knowledge_base``)."""
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    self._kb = open_knowledge_base(self.settings)
        return self._kb

    def chat_model(self) -> ChatModel | None:
        """The configured chat model, or None when offline."""
        if not self._model_built:
            with self._lock:
                if not self._model_built:
                    from assistant.llm import get_chat_model

                    self._model = get_chat_model(self.settings)
                    self._model_built = True
        return self._model

    def chat_service(self) -> ChatService:
        """The chat service answering from the knowledge base."""
        if self._chat is None:
            kb, model = self.knowledge_base(), self.chat_model()
            with self._lock:
                if self._chat is None:
                    self._chat = ChatService(self.settings, kb, model)
        return self._chat

    def drafter(self) -> Drafter:
        """Plan drafting bound to this process's knowledge base and model."""
        return Drafter(settings=self.settings, retriever=self.knowledge_base(), model=self.chat_model())

    def planning_chat(self) -> PlanningChat:
        """Answers and plans in one conversation (``assistant.planning.PlanningChat``), drafting under ``jobs``."""
        return PlanningChat(self.chat_service(), PlanService(self.settings, self.drafter, self.jobs))


_services_lock = threading.Lock()


async def get_services(request: Request, settings: SettingsDep) -> Services:
    """The services for these settings, built once per process."""
    cache: dict[int, Services] = request.app.state.services
    services = cache.get(id(settings))
    if services is None:
        with _services_lock:
            services = cache.setdefault(id(settings), Services(settings, jobs=getattr(request.app.state, "jobs", None)))
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_knowledge_base(services: ServicesDep) -> KnowledgeBase:
    """The knowledge base: ``search``, ``add``, ``remove``, ``list``."""
    return services.knowledge_base()


def get_chat_service(services: ServicesDep) -> ChatService:
    """The chat service: ``ask``, ``stream``, ``get_conversation``."""
    return services.chat_service()


def get_drafter(services: ServicesDep) -> Drafter:
    """Plan drafting bound to the process's knowledge base and model."""
    return services.drafter()


def get_plan_service(services: ServicesDep, drafter: Annotated[Drafter, Depends(get_drafter)]) -> PlanService:
    """The plan service: create, draft, edit, regenerate, undo, validate, export (drafting with the
    request's drafter, so tests can replace it)."""
    return PlanService(services.settings, lambda: drafter, services.jobs)


def get_planning_chat(services: ServicesDep,
                      plans: Annotated[PlanService, Depends(get_plan_service)]) -> PlanningChat:
    """One conversation of questions, plan requests and plan edits."""
    return PlanningChat(services.chat_service(), plans)


KnowledgeBaseDep = Annotated[KnowledgeBase, Depends(get_knowledge_base)]
PlanServiceDep = Annotated[PlanService, Depends(get_plan_service)]
PlanningChatDep = Annotated[PlanningChat, Depends(get_planning_chat)]
ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
DrafterDep = Annotated[Drafter, Depends(get_drafter)]


# --- keys ---------------------------------------------------------------------------------------

def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must be 'Bearer <key>'", code="invalid_key")
    return token.strip()


def keys_exist(settings: Settings) -> bool:
    """True once any key was created (one indexed query on a bare connection, no ORM session)."""
    engine = session_factory(settings).kw["bind"]
    with engine.connect() as conn:
        return any_keys(conn)


def browser_origin(request: Request) -> str | None:
    """The origin of the page that sent the request: its ``Origin`` header, else the request's own
    ``scheme://host[:port]`` when the browser says the request is same-origin; None when unknown.

    Browsers send no ``Origin`` on same-origin GETs (the demo page served at ``/`` reading a plan,
    its event stream or an export), but they do send ``Sec-Fetch-Site``, which page scripts cannot set.
    """
    origin = request.headers.get("origin")
    if origin is not None:
        return origin
    if request.headers.get("sec-fetch-site", "").strip().lower() == "same-origin":
        return f"{request.url.scheme}://{request.url.netloc}"
    return None


def _check_key(request: Request, settings: Settings, *, widget_allowed: bool) -> ApiKey | None:
    try:
        token = _bearer(request)
    except AuthError:
        if not keys_exist(settings):
            return None
        raise
    if token is None:
        if not keys_exist(settings):
            return None  # no key created yet: the API is open (local use)
        raise AuthError("this API needs a key: send 'Authorization: Bearer <key>' "
                        "(create one with `cehua keys create --name NAME`)", code="missing_key")
    engine = session_factory(settings).kw["bind"]
    with engine.begin() as session:  # one short transaction on a bare connection: lookup + counter
        try:
            key = authenticate(session, token)
        except AuthError as exc:
            # While no key exists the API is open, whatever a client sends (the openai SDK always
            # sends some key); checked only on failure, so a valid key costs one lookup.
            if exc.code == "invalid_key" and not any_keys(session):
                return None
            raise
        if key.kind == "widget":
            if not widget_allowed:
                raise AuthError("widget keys may only chat and draft plans: use a server key for this "
                                "endpoint", code="forbidden_scope")
            origin = browser_origin(request)
            try:
                allowed = origin is not None and normalize_origin(origin) in key.origins
            except Exception:
                allowed = False
            if not allowed:
                raise AuthError(f"origin {origin or '(none)'} is not allowed for this widget key: add it with "
                                "`cehua keys create --kind widget --origin URL`", code="forbidden_origin")
            # A public key is shared by every visitor of the site: each visitor (client address; behind
            # a proxy, uvicorn's --forwarded-allow-ips sets it) gets a share, checked first so a visitor
            # over its share does not use up the key's.
            client = request.client.host if request.client else "unknown"
            hit_rate_limit(session, visitor_counter(key.id, client), settings.visitor_rate_limit_per_minute,
                           visitor=True)
        hit_rate_limit(session, key.id, key.rate_limit or settings.rate_limit_per_minute)
    request.state.api_key = key
    return key


async def _check_key_async(request: Request, settings: Settings, *, widget_allowed: bool) -> ApiKey | None:
    if "authorization" not in request.headers and settings.state_url.startswith("sqlite"):
        # The open-API check is one read, and WAL readers never wait for writers: cheap enough to
        # run on the event loop, which saves a thread hop on every request of a key-less install.
        if not keys_exist(settings):
            return None
    return await run_in_threadpool(_check_key, request, settings, widget_allowed=widget_allowed)


async def require_server_key(request: Request, settings: SettingsDep) -> ApiKey | None:
    """The caller's server key (None while no key exists); widget keys are refused (403)."""
    return await _check_key_async(request, settings, widget_allowed=False)


async def require_client_key(request: Request, settings: SettingsDep) -> ApiKey | None:
    """The caller's key for chat and drafting: a server key, or a widget key from an allowed origin."""
    return await _check_key_async(request, settings, widget_allowed=True)


ServerKeyDep = Annotated[ApiKey | None, Depends(require_server_key)]
ClientKeyDep = Annotated[ApiKey | None, Depends(require_client_key)]
