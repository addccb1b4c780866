"""Script conversion of text that arrives in pieces (a model's stream): whole sentences at a time, so a
word split across pieces (「干」|「净」) converts as the word (乾淨), not as two characters (幹淨)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from core.text.scripts import Script, to_script

_SENTENCE_END = re.compile(r"[。！？!?\n]")
# A sentence that runs on this long is cut after its last pause mark, so the reader still sees progress.
MAX_BUFFER = 160
_PAUSE = re.compile(r"[，,；;：:、]")


class ScriptStream:
    """Converts pieces of text to ``script``: ``feed`` returns what is ready, ``flush`` the rest.

    Traditional is written a sentence (。！？ or a line) at a time: Simplified→Traditional depends on
    the word (干净 → 乾淨, 干部 → 幹部), and ``sources`` are quoted as written (see ``to_script``).
    Simplified and English pass piece by piece: Traditional→Simplified is character for character."""

    def __init__(self, script: Script, sources: Sequence[tuple[str, str]] = ()) -> None:
        self.script = script
        self.sources = sources
        self._buffer = ""

    def feed(self, piece: str) -> str:
        if self.script != "zh-Hant":
            return to_script(piece, self.script)
        self._buffer += piece
        ends = [m.end() for m in _SENTENCE_END.finditer(self._buffer)]
        cut = ends[-1] if ends else 0
        if not cut and len(self._buffer) > MAX_BUFFER:
            pauses = [m.end() for m in _PAUSE.finditer(self._buffer)]
            cut = pauses[-1] if pauses else len(self._buffer)
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return to_script(ready, self.script, self.sources) if ready else ""

    def flush(self) -> str:
        ready, self._buffer = self._buffer, ""
        return to_script(ready, self.script, self.sources) if ready else ""


def convert_stream(pieces: Iterable[str], script: Script,
                   sources: Sequence[tuple[str, str]] = ()) -> Iterator[str]:
    """``pieces`` converted to ``script`` a sentence at a time (empty pieces are not yielded)."""
    stream = ScriptStream(script, sources)
    for piece in pieces:
        ready = stream.feed(piece)
        if ready:
            yield ready
    rest = stream.flush()
    if rest:
        yield rest


__all__ = ["MAX_BUFFER", "ScriptStream", "convert_stream"]
