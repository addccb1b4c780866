"""English idioms and phrasal verbs found in a question, so that their words are not read one by one.

Planners write chat English: "keep an eye on the numbers", "beef up our online channels", "get the new line off the
ground", "costs went through the roof". Read word by word these are 眼睛, 牛肉, 打磨, 屋顶: subjects no guidebook
covers, which make an ask look off-topic or find another passage. The ``englishidioms`` package ships an idiom
dictionary (about 22,000 idioms, phrasal verbs and set phrases, parsed from a dictionary of American idioms and
phrasal verbs) with each entry's fixed words, its slots ("someone or something", "one's") and its optional words.
``idiom_at`` finds the idiom with the most fixed words written at a word of a question, a slot filled by up to
``MAX_SLOT`` words; the caller (``glossary.read_english``) decides what to read of it. The dictionary is read
straight from the package's data file, never by importing the package (whose import loads its own matcher and NLTK).
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path

from core.errors import DocumentError

# At most this many words fill a slot between fixed words ("get the new line off the ground").
MAX_SLOT = 3
# A slot for "one's" holds one possessive ("stick to our guns"); the other slots hold no word that opens a clause or
# is a subject ("keep asking to send stuff back" is no "ask someone back", "how do we control" no "do someone credit").
POSSESSIVES = frozenset("my our your their his her its one's".split())
_NOT_IN_SLOT = frozenset("to and or but if that which who when because than then so i we you they he she".split())
# The prepositions that end a verb's entry ("split something into something", "recommend someone for something"):
# a verb with a preposition means what the verb means, so such an entry of two fixed words is left to the words.
PREPOSITIONS = frozenset("in on into onto for to with at of from about by against upon".split())

# An idiom: its parts in order, each ("fixed" | "optional", words), ("slot", ()) or ("possessive", ()).
Parts = tuple[tuple[str, tuple[str, ...]], ...]

_INDEX: list[dict[str, tuple[Parts, ...]]] = []
_BUILDING = threading.Lock()


def data_path() -> Path:
    """Where the ``englishidioms`` package keeps its dictionary (found without importing the package)."""
    spec = importlib.util.find_spec("englishidioms")
    if spec is None or not spec.submodule_search_locations:
        raise DocumentError("the English idiom dictionary is missing: pip install englishidioms (or reinstall Cehua)")
    return Path(next(iter(spec.submodule_search_locations))) / "phrases.json"


def _index() -> dict[str, tuple[Parts, ...]]:
    """First fixed word → the idioms that start with it, most fixed words first; built once per process (a caller
    arriving during the build waits for it)."""
    if not _INDEX:
        with _BUILDING:
            if not _INDEX:
                _INDEX.append(_build(data_path()))
    return _INDEX[0]


def _build(path: Path) -> dict[str, tuple[Parts, ...]]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["dictionary"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{path}: cannot read the English idiom dictionary ({exc}); "
                            "pip install --force-reinstall englishidioms") from exc
    by_first: dict[str, dict[Parts, None]] = {}
    for entry in entries:
        parts = parse_entry(entry)
        if parts is not None:
            by_first.setdefault(parts[0][1][0], {})[parts] = None
    return {first: tuple(sorted(group, key=lambda p: -len(fixed(p)))) for first, group in by_first.items()}


def _words(run: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s\-]+", run.lower().replace("’", "'").strip(" .,!?;:*†")) if w)


def fixed(parts: Parts) -> tuple[str, ...]:
    """The words every writing of an idiom has."""
    return tuple(w for kind, words in parts if kind == "fixed" for w in words)


def parse_entry(entry: dict) -> Parts | None:
    """The parts of one dictionary entry (its ``runs`` and their kinds in ``alt``), or None for an entry of fewer
    than two fixed words, or of a verb and a preposition only."""
    parts: list[tuple[str, tuple[str, ...]]] = []
    for kind, run in zip(entry.get("alt", ()), entry.get("runs", ()), strict=False):
        words = _words(run)
        if kind == "constant" and words:
            parts.append(("fixed", words))
        elif kind == "o-constant" and words:
            parts.append(("optional", words))
        elif kind in ("variable", "none"):
            parts.append(("possessive" if words in (("one's",), ("someone's",)) else "slot", ()))
        # "verb" and "article" runs are words the entry is typically used with ("be accustomed to"): left out
    while parts and parts[0][0] != "fixed":
        parts.pop(0)
    while parts and parts[-1][0] in ("slot", "possessive"):
        parts.pop()
    words = fixed(tuple(parts))
    if len(words) < 2 or (len(words) == 2 and words[1] in PREPOSITIONS):
        return None
    return tuple(parts)


def _match(parts: Parts, forms: Sequence[tuple[str, ...]], at: int, n: int = 0) -> list[int] | None:
    """The positions of the fixed and optional words when ``parts[n:]`` match the words from ``at``, or None."""
    if n == len(parts):
        return []
    kind, words = parts[n]
    if kind == "possessive":
        return _match(parts, forms, at + 1, n + 1) if at < len(forms) and forms[at][0] in POSSESSIVES else None
    if kind == "slot":
        for size in range(0, MAX_SLOT + 1):
            if size and (at + size > len(forms) or forms[at + size - 1][0] in _NOT_IN_SLOT):
                return None
            rest = _match(parts, forms, at + size, n + 1)
            if rest is not None:
                return rest
        return None
    if at + len(words) <= len(forms) and all(w in forms[at + k] for k, w in enumerate(words)):
        rest = _match(parts, forms, at + len(words), n + 1)
        if rest is not None:
            return list(range(at, at + len(words))) + rest
    return _match(parts, forms, at, n + 1) if kind == "optional" else None


def idiom_at(forms: Sequence[tuple[str, ...]], start: int) -> list[int]:
    """The positions of the words of the idiom with the most fixed words written at word ``start`` of a text given
    as each word's forms (the word, then its base forms); the words of a slot between are not among them. [] when
    no idiom starts there."""
    index = _index()
    best: list[int] = []
    most = 0
    for form in forms[start]:
        for parts in index.get(form, ()):
            if len(fixed(parts)) <= most:
                break  # most fixed words first: nothing longer is left for this form
            positions = _match(parts, forms, start)
            if positions is not None:
                best, most = positions, len(fixed(parts))
                break
    return best


_WARMING = threading.Lock()


def warm_up_in_background() -> None:
    """Read the idiom dictionary in a daemon thread (a second or two, once per process), so the first English
    question does not wait for it; a no-op once started."""
    if _WARMING.acquire(blocking=False):
        threading.Thread(target=_index, name="cehua-idioms", daemon=True).start()


__all__ = ["MAX_SLOT", "POSSESSIVES", "PREPOSITIONS", "Parts", "data_path", "fixed", "idiom_at", "parse_entry",
           "warm_up_in_background"]
