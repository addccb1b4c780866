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

from core.text.scripts import to_simplified, written_forms

_LEXICON = Path(__file__).with_name("lexicon.yaml")
_WINDOW = 16  # characters of context read before and after a term


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
def _by_form() -> dict[str, Term]:
    """Every written form of every term (lower case), to its term."""
    table: dict[str, Term] = {}
    for term in terms():
        for form in written_forms(term.word):
            table.setdefault(form.lower(), term)
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # The raw text is matched (converting every sentence would cost more than the search); only the
    # short context around a match is read in Simplified.
    forms = sorted(_by_form(), key=len, reverse=True)
    groups = []
    for ascii_form in (False, True):
        chosen = [f for f in forms if f.isascii() == ascii_form]
        first = re.escape("".join(sorted({f[0] for f in chosen})))
        words = "|".join(re.escape(f) for f in chosen)
        # The lookahead on first characters lets most positions fail at once.
        groups.append(rf"(?<![a-z0-9])(?=[{first}])(?:{words})(?![a-z0-9])" if ascii_form
                      else rf"(?=[{first}])(?:{words})")
    return re.compile("|".join(groups))


def _starts(text: str, words: tuple[str, ...]) -> bool:
    return text.lstrip().lower().startswith(words)


def _ends(text: str, words: tuple[str, ...]) -> str:
    before = text.rstrip().lower()
    return next((w for w in words if before.endswith(w)), "")


def claims(text: str) -> list[Claim]:
    """The absolute claims in ``text`` (either script, or English), in order, none overlapping."""
    table = _by_form()
    found: list[Claim] = []
    pos = 0
    pattern = _pattern()
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: match as written
        lowered = text
    while (m := pattern.search(lowered, pos)) is not None:
        term = table[m.group(0)]
        # Context words are short: a window either side is all the rules read, in Simplified.
        before = to_simplified(text[max(0, m.start() - _WINDOW): m.start()])
        after = to_simplified(text[m.end(): m.end() + _WINDOW])
        ranked_by = _ends(before, term.only_after)
        ok = not (_starts(after, term.unless_before) or _ends(before, term.unless_after))
        if ok and (term.only_after or term.or_before):
            ok = bool(ranked_by) or _starts(after, term.or_before)
        if ok:
            start = m.start() - len(ranked_by) if ranked_by and before.rstrip().endswith(ranked_by) else m.start()
            found.append(Claim(m.start(), m.end(), text[m.start():m.end()], text[max(0, start):m.end()], term.softer))
            pos = m.end()
        else:
            pos = m.start() + 1
    return found


def has_claim(text: str) -> bool:
    """True when ``text`` makes an absolute claim (最佳选择, 行业第一, 国家级, 100%天然, "the best" …)."""
    return bool(claims(text))


def soften(text: str) -> str:
    """``text`` in Simplified (English as it is) with each absolute claim replaced by modest wording
    (最佳选择 → 较好选择, 行业第一 → 行业领先, 國家級 → 高标准); advice and ordinals stay as they are. A
    Traditional reader sees it converted where it leaves Cehua."""
    text = to_simplified(text)
    for claim in reversed(claims(text)):
        text = text[: claim.start] + claim.softer + text[claim.end:]
    return text


__all__ = ["Claim", "claims", "has_claim", "soften", "terms"]
