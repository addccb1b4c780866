"""Progress of long knowledge-base work, reported through a callback object."""

from __future__ import annotations


class Progress:
    """Progress of long work; the CLI shows a bar with counts and rate, others ignore it.
    Every method is a no-op here."""

    def on_start(self, total: int, description: str) -> None: ...

    def on_advance(self, amount: int = 1) -> None: ...

    def on_done(self) -> None: ...
