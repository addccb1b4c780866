"""Progress of long knowledge-base work, reported through a callback object."""

from __future__ import annotations


class Progress:
    """Progress of long work; the CLI shows a bar with counts and rate, others ignore it.
    Every method is a no-op here."""

    def on_start(self, total: int, description: str) -> None: ...

    def on_advance(self, amount: int = 1) -> None: ...

    def on_done(self) -> None: ...


class ShareOfWork:
    """Turns "this share of one item is done" into ``on_advance`` calls worth ``units`` in all (the
    kilobytes of a document being chunked, say), so long items move the bar as they go."""

    def __init__(self, progress: Progress, units: int):
        self.progress = progress
        self.units = units
        self.done = 0

    def __call__(self, share: float) -> None:
        step = int(min(1.0, share) * self.units) - self.done
        if step > 0:
            self.progress.on_advance(step)
            self.done += step

    def finish(self) -> None:
        self(1.0)
