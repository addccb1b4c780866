"""The output boundary for scripts: what Cehua gives a reader, converted once to the reader's script.

Domain code (answers, condensed questions, drafts, findings, replies) works in Simplified and carries the
reader's script as data (``Answer.script``, ``Plan.script``); the application services call this module
where their results leave them (and are stored): the chat service for answer tokens, citations and the
stored turn, the drafting pipeline for each drafted section and the plan's citations, ``validate_plan``
for findings, the search channels for passages. Nothing else converts (``tests/test_script_boundary.py``).

Where the text quotes a source written in Traditional, the source's own characters are kept instead of a
Simplified→Traditional round trip (對表現, 考核, 為 — not 對錶現, 考覈, 爲): ``sources`` are
(Simplified, as written) pairs of equal length — guidebook passages (``quoted``), the asker's own words
(``own_words``), fixed wordings written out in both scripts. Streams are converted a sentence at a time
(``ScriptStream``), so a word split across pieces (「干」|「净」) converts as the word (乾淨)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from core.plan import Citation, Finding
from core.text.scripts import Script, detect_script, to_script, to_simplified
from core.text.stream import ScriptStream
from knowledge.passage import Passage, SearchResult, quoted

Sources = Sequence[tuple[str, str]]
Model = TypeVar("Model", bound=BaseModel)


def text(value: str, script: Script, sources: Sources = ()) -> str:
    """``value`` (Simplified, or English) as a reader of ``script`` sees it, quoting ``sources``."""
    return value if script == "en" or not value else to_script(value, script, sources)


def own_words(*texts: str) -> list[tuple[str, str]]:
    """(Simplified, as written) pairs of what a reader wrote, so that quoting it back keeps their characters."""
    return [(simple, written) for written in texts if written
            and len(simple := to_simplified(written)) == len(written) and simple != written]


def passages(found: Iterable[Passage], script: Script) -> list[Passage]:
    """Passages as a reader of ``script`` sees them: Traditional readers get the guidebook's own
    characters where it is written in Traditional."""
    found = list(found)
    if script == "en":
        return found
    return [p.model_copy(update={"text": to_script(p.text, script, quoted([p])),
                                 "title": to_script(p.title, script),
                                 "section": to_script(p.section, script)}) for p in found]


def search_result(result: SearchResult) -> SearchResult:
    """A search result as its asker sees it: the passages in the script of the query."""
    return result.model_copy(update={"passages": passages(result.passages, detect_script(result.query))})


def citations(cited: Iterable[Citation], script: Script, sources: Sources = ()) -> list[Citation]:
    """Citations (text, section and title) in ``script``, quoting the passages they come from (``sources``)."""
    cited = list(cited)
    if script == "en":
        return cited
    return [c.model_copy(update={"text": to_script(c.text, script, sources),
                                 "section": to_script(c.section, script, sources),
                                 "title": to_script(c.title, script)}) for c in cited]


def findings(found: Iterable[Finding], script: Script, sources: Sources = ()) -> list[Finding]:
    """Findings with their messages in ``script``; ``sources`` are the plan's own lines, so the plan's
    words quoted in a message stay as the plan writes them (locations name the plan's own headings)."""
    found = list(found)
    if script != "zh-Hant":  # written in Simplified (or English) already
        return found
    return [f.model_copy(update={"message": to_script(f.message, script, sources)}) for f in found]


def simplified(document: Model) -> tuple[Model, dict[str, str]]:
    """``document`` (a plan, a brief) with every text in Simplified, for domain code to work on, and each
    line as it was written, keyed by its Simplified form (for ``restored``)."""
    written: dict[str, str] = {}

    def simplify(value: str) -> str:
        lines = []
        for line in value.split("\n"):
            simple = to_simplified(line)
            if len(simple) == len(line):
                written.setdefault(simple, line)
            lines.append(simple)
        return "\n".join(lines)

    return _mapped(document, simplify), written


def restored(document: Model, script: Script, written: dict[str, str], sources: Sources = ()) -> Model:
    """``document`` (worked on in Simplified) in ``script`` again: a line it had before comes back as it
    was written; a new or changed line is converted, quoting the old lines' words (and ``sources``, e.g.
    guidebook passages quoted by the change) as written."""
    if script == "en":
        return document
    sources = [*sources, *((simple, line) for simple, line in written.items() if simple != line)]

    def show(value: str) -> str:
        return "\n".join(written[line] if line in written else to_script(line, script, sources)
                         for line in value.split("\n"))

    return _mapped(document, show)


def _mapped(document: Model, change: Callable[[str], str]) -> Model:
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return change(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return type(document).model_validate(walk(document.model_dump()))


class Writer:
    """A stream of Simplified (or English) pieces written out in ``script`` a sentence at a time;
    ``text`` is everything written so far (what is stored)."""

    def __init__(self, script: Script, sources: Sources = ()) -> None:
        self._stream = ScriptStream(script, sources)
        self._written: list[str] = []

    def feed(self, piece: str) -> str:
        return self._keep(self._stream.feed(piece)) if piece else ""

    def flush(self) -> str:
        return self._keep(self._stream.flush())

    def _keep(self, ready: str) -> str:
        if ready:
            self._written.append(ready)
        return ready

    @property
    def text(self) -> str:
        return "".join(self._written)


__all__ = ["Sources", "Writer", "citations", "findings", "own_words", "passages", "quoted", "restored", "search_result",
           "simplified", "text"]
