"""What "today" is: the real date, or ``CEHUA_TODAY=YYYY-MM-DD`` for reproducible drafts, tests and evaluations."""

from __future__ import annotations

import datetime as dt
import os

from core.errors import InputError


def today() -> dt.date:
    """Today's date, fixed by ``CEHUA_TODAY`` when it is set (read on every call, so tests can change it)."""
    raw = os.environ.get("CEHUA_TODAY", "").strip()
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InputError(
            f"CEHUA_TODAY={raw!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-29, or unset it"
        ) from exc
