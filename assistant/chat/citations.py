"""Citation markers: the passages an answer may cite, checking the markers a model wrote, numbering them
1..n in the order the answer first uses them, and the part of a passage shown for a citation (a window
around what the answer quotes from it)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence

from core.plan import Citation
from core.text.scripts import to_simplified
from knowledge.passage import Passage

CITATION_TEXT_CHARS = 240
# What an answer joins its quotes with or cuts them at: sentence ends, a heading's '：', list dashes, the
# space between a short sentence and the next, the '…' of a clipped item.
_QUOTE_PIECES = re.compile(r"[。；;！!？?\n…]|[:：]|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|^\s*- ", re.M)
_PASSAGE_SENTENCES = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_MIN_PIECE = 4
# A sentence a model wrote in its own words is taken to quote the passage sentence it shares this share of
# character pairs with.
_MIN_OVERLAP = 0.5

# [1] [1,2] [1、2] [1-3] 【1】 ［1］ [１] [1][2]; full-width brackets, digits and separators as models
# write them (``\d`` matches full-width digits too, and ``int`` reads them).
_NUMBER = r"\d{1,3}(?:\s*[-–~]\s*\d{1,3})?"
_MARKER = re.compile(rf"[\[【［]\s*({_NUMBER}(?:\s*[,，、]\s*{_NUMBER})*)\s*[\]】］]")
_MAX_RANGE = 10
_OPEN = ("[", "【", "［")
_MAX_PENDING = 16


def citation_for(n: int, passage: Passage, quotes: Sequence[str] = ()) -> Citation:
    """The citation numbered ``n`` for ``passage``, in Simplified (shown in the asker's script by the chat
    service): the passage, or when longer than CITATION_TEXT_CHARS a window of it that holds what
    ``quotes`` (the answer's text marked with this citation) take from it."""
    return passage.citation(n, shown_text(passage.text, quotes))


def citations_for(cited: Sequence[int], passages: Sequence[Passage], answer: str = "") -> list[Citation]:
    """Citations 1..n for the 1-based passage numbers ``cited`` in the order the ``answer`` (marked with
    1..n, see ``Numbering``) first cites them; each shows the part of its passage the answer quotes."""
    quotes = quotes_by_marker(answer)
    return [citation_for(n, passages[p - 1], quotes.get(n, ())) for n, p in enumerate(cited, 1)
            if 1 <= p <= len(passages)]


def quotes_by_marker(answer: str) -> dict[int, list[str]]:
    """For each marker number, the texts of ``answer`` it ends (the text since the markers before it)."""
    out: dict[int, list[str]] = {}
    last = 0
    for match in re.finditer(r"(?:\[\d{1,3}\])+", answer):
        for number in re.findall(r"\d+", match.group(0)):
            out.setdefault(int(number), []).append(answer[last:match.start()])
        last = match.end()
    return out


def shown_text(text: str, quotes: Sequence[str], limit: int = CITATION_TEXT_CHARS) -> str:
    """``text`` whole when it fits in ``limit`` characters, else the window of at least ``limit`` characters
    centred on the stretch the ``quotes`` take from it (all of that stretch, however long), with '…' where
    it is cut; without quotes found in it, its opening."""
    text = text.strip()
    if len(text) <= limit:
        return text
    spans = _quoted_spans(text, quotes)
    if not spans:
        return text[:limit].rstrip() + "…"
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if end - start < limit:
        start = max(0, min(start - (limit - (end - start)) // 2, len(text) - limit))
        end = start + limit
    shown = text[start:end].strip()
    return ("…" if start > 0 else "") + shown + ("…" if end < len(text) else "")


def _quoted_spans(text: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    """Where in ``text`` the sentences of ``quotes`` come from: the sentences holding them verbatim, or (a
    model's own words) the sentence of ``text`` sharing most character pairs with one."""
    simplified = to_simplified(text)
    sentences = [(m.start(), m.end(), _pairs(m.group(0))) for m in _PASSAGE_SENTENCES.finditer(simplified)]
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        for piece in _QUOTE_PIECES.split(to_simplified(_MARKERS_ONLY.sub("", quote))):
            piece = piece.strip(" ，,、()（）")
            if len(piece) < _MIN_PIECE:
                continue
            at = simplified.find(piece)
            if at >= 0:  # the whole sentences it is part of
                spans.append((max((a for a, _, _ in sentences if a <= at), default=at),
                              min((b for _, b, _ in sentences if b >= at + len(piece)), default=at + len(piece))))
                continue
            pairs = _pairs(piece)
            best = max(sentences, key=lambda s: len(pairs & s[2]), default=None)
            if best is not None and pairs and len(pairs & best[2]) / len(pairs) >= _MIN_OVERLAP:
                spans.append((best[0], best[1]))
    return spans


_MARKERS_ONLY = re.compile(r"\[\d{1,3}\]")


def _pairs(text: str) -> set[str]:
    chars = re.sub(r"[\s\W_]+", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


class Numbering:
    """Citation numbers 1..n in the order an answer first cites passages (passage 3 cited first is [1])."""

    def __init__(self) -> None:
        self.passages: list[int] = []  # 1-based passage numbers, by citation number

    def number(self, passage: int) -> int:
        """The citation number of ``passage`` (1-based), given on first use."""
        if passage not in self.passages:
            self.passages.append(passage)
        return self.passages.index(passage) + 1


def normalize_markers(text: str, valid: int | Collection[int],
                      numbering: Numbering | None = None) -> tuple[str, list[int]]:
    """``text`` with markers (in any bracket style) rewritten as ``[n]``, those naming no passage given
    (outside 1..valid, or not in the collection ``valid``) dropped, and the valid passage numbers cited
    in order of first use; with a ``numbering``, each marker is its citation number (1..n by first use)."""
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
        if numbering is not None:
            kept = list(dict.fromkeys(numbering.number(n) for n in kept))
        return "".join(f"[{n}]" for n in kept)

    return _MARKER.sub(fix, text), cited


class MarkerFilter:
    """Rewrites citation markers in a stream of chunks as they arrive.

    Text that might be the start of a marker is held back until the marker closes (or clearly is
    not one), so a marker split across chunks is still checked, and nothing is emitted twice.
    """

    def __init__(self, valid: int, numbering: Numbering | None = None) -> None:
        self.valid = valid
        self.numbering = numbering
        self.cited: list[int] = []  # passage numbers, in order of first use
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
        fixed, cited = normalize_markers(text, self.valid, self.numbering)
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
