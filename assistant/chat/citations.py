"""Citation markers: the passages an answer may cite, and checking the markers a model wrote."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence

from core.plan import Citation
from knowledge.passage import Passage

CITATION_TEXT_CHARS = 240

# [1] [1,2] [1、2] [1-3] 【1】 ［1］ [１] [1][2]; full-width brackets, digits and separators as models
# write them (``\d`` matches full-width digits too, and ``int`` reads them).
_NUMBER = r"\d{1,3}(?:\s*[-–~]\s*\d{1,3})?"
_MARKER = re.compile(rf"[\[【［]\s*({_NUMBER}(?:\s*[,，、]\s*{_NUMBER})*)\s*[\]】］]")
_MAX_RANGE = 10
_OPEN = ("[", "【", "［")
_MAX_PENDING = 16


def citation_for(n: int, passage: Passage) -> Citation:
    """The citation numbered ``n`` for ``passage``, its text in Simplified (shown in the asker's script by
    the chat service)."""
    text = passage.text.strip()
    if len(text) > CITATION_TEXT_CHARS:
        text = text[:CITATION_TEXT_CHARS].rstrip() + "…"
    return Citation(
        n=n,
        text=text,
        doc=passage.doc,
        section=passage.section,
        title=passage.title,
        start=passage.start,
        end=passage.end,
    )


def citations_for(numbers: Iterable[int], passages: Sequence[Passage]) -> list[Citation]:
    """Citations for the 1-based passage ``numbers`` that exist, in number order."""
    return [citation_for(n, passages[n - 1]) for n in sorted(set(numbers)) if 1 <= n <= len(passages)]


def normalize_markers(text: str, valid: int | Collection[int]) -> tuple[str, list[int]]:
    """``text`` with markers (in any bracket style) rewritten as ``[n]``, those naming no passage given
    (outside 1..valid, or not in the collection ``valid``) dropped, and the valid numbers cited in
    order of first use."""
    allowed = range(1, valid + 1) if isinstance(valid, int) else set(valid)
    cited: list[int] = []

    def fix(match: re.Match[str]) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*[,，、]\s*", match.group(1)):
            low, _, high = re.sub(r"\s*[–~]\s*", "-", part).partition("-")
            first, last = int(low), int(high or low)
            numbers.extend(range(first, last + 1) if 0 <= last - first <= _MAX_RANGE else [first, last])
        kept = [n for n in numbers if n in allowed]
        for n in kept:
            if n not in cited:
                cited.append(n)
        return "".join(f"[{n}]" for n in kept)

    return _MARKER.sub(fix, text), cited


class MarkerFilter:
    """Rewrites citation markers in a stream of chunks as they arrive.

    Text that might be the start of a marker is held back until the marker closes (or clearly is
    not one), so a marker split across chunks is still checked, and nothing is emitted twice.
    """

    def __init__(self, valid: int) -> None:
        self.valid = valid
        self.cited: list[int] = []
        self._pending = ""

    def feed(self, chunk: str) -> str:
        """The part of the stream so far that is safe to show."""
        self._pending += chunk
        cut = max(self._pending.rfind(o) for o in _OPEN)
        if cut >= 0 and _could_open_marker(self._pending[cut:]):
            ready, self._pending = self._pending[:cut], self._pending[cut:]
        else:
            ready, self._pending = self._pending, ""
        return self._fix(ready)

    def flush(self) -> str:
        """Whatever was held back, once the stream has ended."""
        ready, self._pending = self._pending, ""
        return self._fix(ready)

    def _fix(self, text: str) -> str:
        fixed, cited = normalize_markers(text, self.valid)
        for n in cited:
            if n not in self.cited:
                self.cited.append(n)
        return fixed

    def run(self, chunks: Iterable[str]) -> Iterator[str]:
        for chunk in chunks:
            out = self.feed(chunk)
            if out:
                yield out
        tail = self.flush()
        if tail:
            yield tail


def _could_open_marker(tail: str) -> bool:
    """True when ``tail`` (starting at a bracket) may still become a complete marker."""
    if len(tail) > _MAX_PENDING:
        return False
    body = tail[1:]
    return re.fullmatch(r"\s*(\d{1,3}(\s*[,，、\-–~]\s*(\d{1,3})?)*)?\s*", body) is not None
