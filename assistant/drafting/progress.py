"""The one callback interface drafting reports progress through.

The CLI draws a rich progress bar, the API streams server-sent events and chat adapters post
short status lines; each subclasses ``DraftProgress`` and overrides the ``on_*`` methods it cares
about. Every method is a no-op here, so a listener only writes what it needs.

Methods may be called from worker threads (sections are drafted concurrently); listeners that
touch shared state must lock it themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.drafting.outline import Outline, SectionSpec
    from assistant.drafting.result import DraftResult, SectionDraft
    from core.plan import Finding


class DraftProgress:
    """Receives drafting events; the base class ignores all of them."""

    def on_outline(self, outline: Outline) -> None:
        """The outline is known: ``outline.sections`` lists every section in order."""

    def on_section_started(self, section: SectionSpec) -> None:
        """Retrieval and drafting of ``section`` begin."""

    def on_section_drafted(self, section: SectionSpec, draft: SectionDraft) -> None:
        """``section`` has a first draft (``draft.supported`` says whether guidance backed it)."""

    def on_validated(self, findings: list[Finding]) -> None:
        """The assembled plan was checked; ``findings`` is everything the validators reported."""

    def on_section_repaired(self, section: SectionSpec, attempt: int, findings: list[Finding]) -> None:
        """``section`` was re-drafted (attempt 1, 2, ...) because of ``findings``."""

    def on_done(self, result: DraftResult) -> None:
        """The final plan and its validation report are ready."""


class RecordingProgress(DraftProgress):
    """Keeps every event as ``(name, section key or None)``: handy for tests and the SSE stream."""

    def __init__(self) -> None:
        import threading

        self.events: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()

    def _add(self, name: str, key: str | None) -> None:
        with self._lock:
            self.events.append((name, key))

    def on_outline(self, outline: Outline) -> None:
        self._add("outline", None)

    def on_section_started(self, section: SectionSpec) -> None:
        self._add("section_started", section.key)

    def on_section_drafted(self, section: SectionSpec, draft: SectionDraft) -> None:
        self._add("section_drafted", section.key)

    def on_validated(self, findings: list[Finding]) -> None:
        self._add("validated", None)

    def on_section_repaired(self, section: SectionSpec, attempt: int, findings: list[Finding]) -> None:
        self._add("section_repaired", section.key)

    def on_done(self, result: DraftResult) -> None:
        self._add("done", None)
