"""Advertising-law wording: the absolute claims China's Advertising Law (广告法 §9) forbids, found with
one lexicon (``lexicon.yaml``) that the drafter uses to soften its text and the validator to flag plans.

``claims(text)`` finds them, ``soften(text)`` replaces them with modest wording; 「第一章」「第一阶段」
「第一时间」 are ordinals, 「最佳时机」「最好提前」 advice, 「效果最好的渠道」 analysis, and none is a claim."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from core.text.scripts import detect_script, to_simplified, to_traditional

_LEXICON = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class Term:
    word: str
    softer: str
    unless_before: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    only_after: tuple[str, ...] = ()
    or_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One absolute claim in a text: where it is, the word, how it reads in context, and the softer wording."""

    start: int
    end: int
    word: str
    shown: str  # the claim with the ranking word that makes it one (销量第一)
    softer: str


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    """Every term of the lexicon, longest first."""
    data = yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))
    contexts: dict[str, list[str]] = data["contexts"]

    def words(value: str | list[str] | None) -> tuple[str, ...]:
        if value is None:
            return ()
        return tuple(contexts[value] if isinstance(value, str) else value)

    out = [Term(str(word), str(rule.get("softer", "")), words(rule.get("unless_before")),
                words(rule.get("unless_after")), words(rule.get("only_after")), words(rule.get("or_before")))
           for word, rule in data["terms"].items()]
    return tuple(sorted(out, key=lambda t: -len(t.word)))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    parts = []
    for term in terms():
        word = re.escape(term.word)
        parts.append(rf"(?<![a-z0-9]){word}(?![a-z0-9])" if term.word.isascii() else word)
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def _by_word() -> dict[str, Term]:
    return {t.word.lower(): t for t in terms()}


def _starts(text: str, words: tuple[str, ...]) -> bool:
    return text.lstrip().lower().startswith(words)


def _ends(text: str, words: tuple[str, ...]) -> str:
    before = text.rstrip().lower()
    return next((w for w in words if before.endswith(w)), "")


def claims(text: str) -> list[Claim]:
    """The absolute claims in ``text`` (either script, or English), in order, none overlapping."""
    simple = to_simplified(text) if text else text
    if len(simple) != len(text):  # OpenCC changed the length: match the text as it is
        simple = text
    table = _by_word()
    found: list[Claim] = []
    pos = 0
    pattern = _pattern()
    while (m := pattern.search(simple, pos)) is not None:
        term = table[m.group(0).lower()]
        before, after = simple[: m.start()], simple[m.end():]
        ranked_by = _ends(before, term.only_after)
        ok = not (_starts(after, term.unless_before) or _ends(before, term.unless_after))
        if ok and (term.only_after or term.or_before):
            ok = bool(ranked_by) or _starts(after, term.or_before)
        if ok:
            start = m.start() - len(ranked_by) if ranked_by and before.endswith(ranked_by) else m.start()
            found.append(Claim(m.start(), m.end(), text[m.start():m.end()], text[start:m.end()], term.softer))
            pos = m.end()
        else:
            pos = m.start() + 1
    return found


def has_claim(text: str) -> bool:
    """True when ``text`` makes an absolute claim (最佳选择, 行业第一, 国家级, 100%天然, "the best" …)."""
    return bool(claims(text))


def soften(text: str) -> str:
    """``text`` with each absolute claim replaced by modest wording in the text's script (最佳选择 →
    较好选择, 行业第一 → 行业领先, 國家級 → 高標準); advice and ordinals stay as they are."""
    traditional = detect_script(text) == "zh-Hant"
    for claim in reversed(claims(text)):
        softer = to_traditional(claim.softer) if traditional else claim.softer
        text = text[: claim.start] + softer + text[claim.end:]
    return text


__all__ = ["Claim", "claims", "has_claim", "soften", "terms"]
