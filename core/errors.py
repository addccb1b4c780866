"""Errors Cehua raises, each with a message that names the fix.

Tree::

    CehuaError                      base; ``code`` is stable, ``exit_code`` is what the CLI returns
    ├── InputError                  bad input from a user: a file, a field, a question (exit 2, HTTP 400/422)
    │   ├── DocumentError           a knowledge-base document cannot be read or used
    │   ├── BriefError              a brief field cannot be parsed (names the field and an example)
    │   ├── PlanFormatError         a file that is not a plan
    │   └── QuestionError           empty, oversized or control-character question
    ├── NotFoundError               unknown conversation, plan, document, template, key (exit 4, HTTP 404)
    ├── AuthError                   missing, revoked or wrong-origin key; bad webhook signature (HTTP 401/403)
    ├── LimitError                  rate or size limit exceeded (HTTP 429/413)
    ├── ModelError                  the configured chat/embedding model failed after bounded retries (HTTP 502)
    └── StoreError                  the state database or index cannot be used (HTTP 503)
"""

from __future__ import annotations


class CehuaError(Exception):
    """Base class: ``code`` is a stable machine-readable identifier, ``message`` says what to do."""

    code = "cehua_error"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InputError(CehuaError):
    code = "invalid_input"
    exit_code = 2
    http_status = 400


class DocumentError(InputError):
    code = "invalid_document"


class BriefError(InputError):
    code = "invalid_brief"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class PlanFormatError(InputError):
    code = "invalid_plan"


class QuestionError(InputError):
    code = "invalid_question"


class NotFoundError(CehuaError):
    code = "not_found"
    exit_code = 4
    http_status = 404


class AuthError(CehuaError):
    code = "unauthorized"
    exit_code = 5
    http_status = 401


class LimitError(CehuaError):
    code = "rate_limited"
    exit_code = 6
    http_status = 429


class ModelError(CehuaError):
    """``reason`` says what failed in one word (``rate_limited``, ``key_rejected``, ``not_served``,
    ``http_error``, ``unreachable``, ``timeout``, ``broke_off``, ``unreadable``, ``not_configured``; '' when
    not known) and ``status`` the HTTP status, so a reader can be told why in their own language while
    ``message`` names the fix for the operator."""

    code = "model_unavailable"
    exit_code = 7
    http_status = 502

    def __init__(self, message: str, *, reason: str = "", status: int | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.reason = reason
        self.status = status


class StoreError(CehuaError):
    code = "store_unavailable"
    exit_code = 8
    http_status = 503
