"""One JSON error shape for every failure: ``{"error": {"code": ..., "message": ...}}``.

``CehuaError`` subclasses map by their ``http_status`` and ``code``; a few codes need a status of
their own (a wrong origin is 403, an oversized body 413). Request validation becomes 400
``invalid_json`` or 422 ``invalid_request`` naming the field; anything unexpected is a logged 500
that shows no internals.
"""

from __future__ import annotations

import difflib
import logging
import re
import threading
import time
from collections import Counter
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.disk import disk_error
from core.errors import CehuaError, InputError

log = logging.getLogger("cehua.api")
# Seconds a client should wait before retrying after 503 store_unavailable.
STORE_RETRY_AFTER = 5


class QuietLog:
    """Logs one line per ``key`` at most every ``interval`` seconds, counting what it held back, so an
    outage hitting every request logs a few lines, not thousands of tracebacks."""

    def __init__(self, logger: logging.Logger, interval: float = 10.0) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def warning(self, key: str, message: str, *args: Any) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(key, -self.interval) < self.interval:
                self._held[key] = self._held.get(key, 0) + 1
                return
            self._last[key] = now
            held = self._held.pop(key, 0)
        suffix = f" ({held} more like it in the last {self.interval:g} s)" if held else ""
        self.logger.warning(message + suffix, *args)


quiet_log = QuietLog(log)

# Codes whose HTTP status differs from their error class's default.
STATUS_BY_CODE: dict[str, int] = {
    "forbidden_origin": 403,
    "forbidden_scope": 403,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "missing_fields": 422,
    "plan_not_ready": 409,
    "plan_not_failed": 409,
    "invalid_json": 400,
    "invalid_request": 422,
    "not_ready": 503,
}

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
    415: "unsupported_media_type", 429: "rate_limited",
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error response."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    """A JSON error response with the common shape."""
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def status_for(exc: CehuaError) -> int:
    """The HTTP status a Cehua error is answered with."""
    return STATUS_BY_CODE.get(exc.code, exc.http_status)


def cehua_error_response(exc: CehuaError) -> JSONResponse:
    """The response for a domain error (with Retry-After for rate limits, ``missing`` when asked)."""
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
        extra["retry_after"] = int(retry_after)
    field = getattr(exc, "field", None)
    if field:
        extra["field"] = field
    missing = getattr(exc, "missing", None)
    if missing is not None:
        extra["missing"] = list(missing)
    status = status_for(exc)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if exc.code == "store_unavailable":
        headers["Retry-After"] = str(STORE_RETRY_AFTER)
    return error_response(status, exc.code, exc.message, headers=headers or None, **extra)


class RequestFieldError(InputError):
    """A request's field that parses but cannot be used (422 ``invalid_request``, naming ``field``)."""

    code = "invalid_request"
    http_status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"field '{field}': {message}")
        self.field = field


class MissingFieldsError(CehuaError):
    """A request lacks essentials (budget, dates); ``missing`` lists them so a client can ask."""

    code = "missing_fields"
    exit_code = 3
    http_status = 422

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, parts = parts[0], parts[1:]
        return ".".join(parts) or where
    return ".".join(parts) or "body"


# The names pydantic puts in an error's loc for the member of a union that failed (content: str | list[...]
# fails as 'content.str' and 'content.list[dict[str,any]]'): types, not fields a client sends.
_UNION_MEMBERS = {"str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "set", "none", "literal", "model",
                  "is-instance", "function-after", "function-before", "function-wrap", "function-plain",
                  "constrained-str", "json-or-python", "lax-or-strict", "tagged-union", "union"}
# What a JSON body that is not an object is, by the value it parsed to.
_NOT_AN_OBJECT = ((bool, "a JSON boolean"), (list, "a JSON array"), (str, "a JSON string"), ((int, float), "a number"))


def _is_union_member(part: object) -> bool:
    return isinstance(part, str) and part.split("[", 1)[0] in _UNION_MEMBERS


def _unions_merged(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors with a union's failed members made one error of the field itself: 「Input should be a valid
    string or a valid list」 at 'messages.0.content', not one error per member at 'messages.0.content.str'."""
    # A union fails once per member, so a member's name shares its parent with another member's: alone, the last
    # part is a field a client sent ('model' is both a member's name and the chat completion's model field).
    parents = Counter(tuple(e.get("loc", ()))[:-1] for e in errors
                      if len(e.get("loc", ())) > 1 and _is_union_member(e["loc"][-1]) and e.get("type") != "missing")
    merged: list[dict[str, Any]] = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) > 1 and parents[loc[:-1]] > 1 and _is_union_member(loc[-1]) and error.get("type") != "missing":
            error = {**error, "loc": loc[:-1]}
            last = merged[-1] if merged else None
            if last is not None and tuple(last.get("loc", ())) == loc[:-1] and last.get("union"):
                said = error.get("msg", "").removeprefix("Input should be ")
                last["msg"] = f"{last.get('msg', '')} or {said}"
                continue
            error["union"] = True
        merged.append(error)
    return merged


def _misnamed(errors: list[dict[str, Any]], known: list[str]) -> tuple[str, str] | None:
    """The field and message for a top-level field sent under a name the request does not have ("conversationId",
    "message" for "question"): said as the name meant, which "Extra inputs are not permitted" never was."""
    top = [e for e in errors if len(e.get("loc", ())) == 2 and e["loc"][0] == "body"]
    extra = [str(e["loc"][1]) for e in top if e.get("type") == "extra_forbidden"]
    if not extra or not known:
        return None
    missing = [str(e["loc"][1]) for e in top if e.get("type") == "missing"]
    if len(missing) == 1 and len(extra) == 1:
        return missing[0], (f"field '{missing[0]}' is required, and '{extra[0]}' is not a field of this request: "
                            f"send it as '{missing[0]}' (see /docs)")
    name = extra[0]
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    meant = [field for field in known if field == snake] or difflib.get_close_matches(snake, known, n=1, cutoff=0.75)
    if meant:
        return name, f"field '{name}' is not a field of this request: did you mean '{meant[0]}'? (see /docs)"
    return name, f"field '{name}' is not a field of this request (its fields: {', '.join(known)}; see /docs)"


def _body_fields(request: Request) -> list[str]:
    """The top-level fields of the JSON body the matched route reads (none when it reads no model)."""
    field = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(field, "field_info", None), "annotation", None)
    return list(getattr(model, "model_fields", {}))


def _validation_response(exc: RequestValidationError, content_type: str = "",
                         known: list[str] | None = None) -> JSONResponse:
    errors = _unions_merged(list(exc.errors()))
    media = content_type.split(";")[0].strip().lower()
    whole_body = [e for e in errors if tuple(e.get("loc", ())) == ("body",) and e.get("type") != "missing"]
    if whole_body and media and "json" not in media:
        # FastAPI reads only a JSON content type as JSON; a form post (curl -d, an HTML form) reached the model
        # as raw text and got "field 'body': Input should be a valid dictionary", which named no fix.
        return error_response(415, "unsupported_media_type",
                              f"the request body is {media}: send a JSON object with the header "
                              f"Content-Type: application/json (see /docs)")
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        where = detail.get("ctx", {}).get("error", "")
        return error_response(400, "invalid_json",
                              f"the request body is not valid JSON ({where}): send a JSON object".replace(" ()", ""))
    first = errors[0] if errors else {}
    loc = first.get("loc", ())
    field = _field_path(loc)
    misnamed = None if whole_body else _misnamed(errors, known or [])
    if misnamed is not None:
        field, message = misnamed
    elif whole_body:
        value = whole_body[0].get("input")
        what = "null" if value is None else next((name for kind, name in _NOT_AN_OBJECT if isinstance(value, kind)),
                                                 "not an object")
        message = f"the request body is {what}: send a JSON object (see /docs for the request shape)"
    elif first.get("type") == "missing" and field == "body":
        message = "the request has no body: send a JSON object (see /docs)"
    elif first.get("type") == "missing":
        message = f"field '{field}' is required (see /docs for the request shape)"
    else:
        message = f"field '{field}': {first.get('msg', 'invalid value')}"
    fields = [{"field": _field_path(e.get("loc", ())), "message": e.get("msg", "")} for e in errors]
    return error_response(422, "invalid_request", message, field=field, fields=fields)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error with the common JSON shape."""

    @app.exception_handler(CehuaError)
    async def _cehua(request: Request, exc: CehuaError) -> JSONResponse:
        if status_for(exc) >= 500:
            quiet_log.warning(exc.code, "%s on %s %s: %s", exc.code, request.method, request.url.path, exc.message)
        return cehua_error_response(exc)

    @app.exception_handler(OSError)
    async def _disk(request: Request, exc: OSError) -> JSONResponse:
        # A full or read-only disk (uploads, the index) is an outage to report, not a bug.
        store = disk_error(exc)
        if store is None:
            return await _unexpected(request, exc)
        quiet_log.warning(store.code, "%s on %s %s: %s", store.code, request.method, request.url.path, store.message)
        return cehua_error_response(store)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc, request.headers.get("content-type", ""), _body_fields(request))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI reads a JSON body as UTF-8; a GBK one fails there, before any route or validation.
            return error_response(400, "invalid_json", "the request body is not UTF-8 text: send the JSON encoded as UTF-8")
        if exc.status_code == 404:
            message = f"no such endpoint: {request.method} {request.url.path} (see /docs)"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path} (see /docs)"
        else:
            message = str(exc.detail)
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(UnicodeError)
    async def _unicode(_: Request, exc: UnicodeError) -> JSONResponse:
        # Lone surrogates (e.g. "\ud800" in JSON) parse as Python text but cannot be encoded anywhere.
        return error_response(400, "invalid_text", "the request contains text that is not valid Unicode "
                                                   "(a lone surrogate): send UTF-8 text")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error",
                              "unexpected server error; it was logged — please report it with the time of the request")
