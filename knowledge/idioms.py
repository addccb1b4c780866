"""English idioms and phrasal verbs found in a question, so that their words are not read one by one.

Planners write chat English: "keep tabs on the numbers", "carve up a market", "get the new line off the ground".
Read word by word these are 标签, 雕刻, 地面: subjects no guidebook covers, which make an ask look off-topic or find
another passage. ``idioms.tsv`` holds the multiword verbs, adverbs and adjectives of Princeton WordNet 3.0 (made by
``tests/bench/build_idioms.py``, WordNet's licence at its head). ``idiom_at`` finds the idiom with the most words
written at a word of a question: its words in their forms ("kept tabs on"), "one's" a possessive ("stick to our
guns"), and a verb's object between the verb and its particle ("get *it* off the ground", "carve *the market* up"),
up to ``MAX_SLOT`` words. The caller (``glossary.read_english``) decides what to read of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from core.errors import DocumentError

IDIOMS_PATH = Path(__file__).with_name("idioms.tsv")
# At most this many words stand between a verb and its particle ("get the new line off the ground").
MAX_SLOT = 3
# "one's" in an idiom is one possessive ("stick to our guns"); an object between a verb and its particle holds no word
# that opens a clause or is a subject ("keep asking to send stuff back" is no "ask back").
POSSESSIVES = frozenset("my our your their his her its one's".split())
_NOT_IN_SLOT = frozenset("to and or but if that which who when because than then so i we you they he she".split())
# The particles after which a verb's object may stand before the rest of the idiom.
PARTICLES = frozenset("up down off out in on over back away through around round about together apart".split())
# A verb and one preposition mean what the verb means ("split into", "look for"): no idiom.
PREPOSITIONS = frozenset("in on into onto for to with at of from about by against upon".split())

# An idiom: its parts in order, each ("fixed", word), ("possessive", "") or ("object", "") — the object slot
# stands after a verb's first word, before its particle.
Parts = tuple[tuple[str, str], ...]


def parse_entry(lemma: str, pos: str) -> Parts | None:
    """The parts of one idiom of the table, or None for an entry of fewer than two fixed words, or of a verb and a
    preposition only."""
    parts: list[tuple[str, str]] = []
    for word in lemma.lower().split():
        if word in ("one's", "someone's", "somebody's"):
            parts.append(("possessive", ""))
        elif word in ("someone", "somebody", "something"):
            parts.append(("object", ""))
        else:
            parts.append(("fixed", word))
    words = fixed(tuple(parts))
    if len(words) < 2 or parts[0][0] != "fixed" or (len(words) == 2 and words[1] in PREPOSITIONS):
        return None
    if pos == "v" and parts[1][0] == "fixed" and parts[1][1] in PARTICLES:
        parts.insert(1, ("object", ""))
    while parts[-1][0] != "fixed":
        parts.pop()
    return tuple(parts)


def fixed(parts: Parts) -> tuple[str, ...]:
    """The words every writing of an idiom has."""
    return tuple(word for kind, word in parts if kind == "fixed")


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[Parts, ...]]:
    """First word → the idioms that start with it, most fixed words first; built once per process."""
    return _build(IDIOMS_PATH)


def _build(path: Path) -> dict[str, tuple[Parts, ...]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read the English idioms ({exc}); reinstall Cehua, or rebuild it with "
                            "python tests/bench/build_idioms.py") from exc
    by_first: dict[str, dict[Parts, None]] = {}
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        lemma, tab, pos = line.partition("\t")
        if not tab:
            raise DocumentError(f"{path}:{number}: an idiom is written 'words<TAB>part of speech'; rebuild it with "
                                "python tests/bench/build_idioms.py")
        parts = parse_entry(lemma, pos)
        if parts is not None:
            by_first.setdefault(parts[0][1], {})[parts] = None
    return {first: tuple(sorted(group, key=lambda p: -len(fixed(p)))) for first, group in by_first.items()}


def _match(parts: Parts, forms: Sequence[tuple[str, ...]], at: int, n: int = 0) -> list[int] | None:
    """The positions of the fixed words when ``parts[n:]`` match the words from ``at``, or None."""
    if n == len(parts):
        return []
    kind, word = parts[n]
    if kind == "possessive":
        return _match(parts, forms, at + 1, n + 1) if at < len(forms) and forms[at][0] in POSSESSIVES else None
    if kind == "object":
        for size in range(0, MAX_SLOT + 1):
            if size and (at + size > len(forms) or forms[at + size - 1][0] in _NOT_IN_SLOT):
                return None
            rest = _match(parts, forms, at + size, n + 1)
            if rest is not None:
                return rest
        return None
    if at < len(forms) and word in forms[at]:
        rest = _match(parts, forms, at + 1, n + 1)
        if rest is not None:
            return [at, *rest]
    return None


def idiom_at(forms: Sequence[tuple[str, ...]], start: int) -> list[int]:
    """The positions of the words of the idiom with the most fixed words written at word ``start`` of a text given
    as each word's forms (the word, then its base forms); the words of an object between are not among them. []
    when no idiom starts there."""
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


__all__ = ["IDIOMS_PATH", "MAX_SLOT", "PARTICLES", "POSSESSIVES", "PREPOSITIONS", "Parts", "fixed", "idiom_at",
           "parse_entry"]
