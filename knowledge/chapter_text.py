"""What a chapter is about, read from its text rather than its heading: 「钱」 over 「总预算50万元,其中场地租赁
15万元…」 is the budget, 「万一出状况」 over 「直播信号中断:现场备两路网络…」 the contingency plan.

A naive Bayes model over the text's character pairs (digits read as one 0, English as words), fitted by
``tests/bench/fit_chapter_text.py`` on the chapters of the labelled dev plans whose headings name their chapter
(``chapter_text_model.json``): each chapter's kind (background, budget, risk…) is what its heading names, so no
chapter is labelled by hand. ``min_margin`` is how much likelier the best kind must be than the next.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import cast

from core.text.scripts import to_simplified

MODEL = Path(__file__).with_name("chapter_text_model.json")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]{3,}")
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff0%]{2}")


def features(text: str) -> Counter[str]:
    """The text's character pairs (Simplified, a number as 0: 「0万元」「占0%」) and English words."""
    s = _NUMBER.sub("0", to_simplified(text).lower())
    found: Counter[str] = Counter(w.rstrip("s") for w in _WORD.findall(s))
    found.update(s[i:i + 2] for i in range(len(s) - 1) if _HAN_PAIR.fullmatch(s[i:i + 2]) and s[i:i + 2] != "00")
    return found


@lru_cache(maxsize=1)
def _model() -> dict[str, object]:
    model = dict(json.loads(MODEL.read_text(encoding="utf-8")))
    model["known"] = _known(model)
    if isinstance(model.get("english"), dict):
        english = dict(model["english"])  # type: ignore[arg-type]
        english["known"] = _known(english)
        model["english"] = english
    return model


def scores(text: str, kinds: Iterable[str], model: dict[str, object] | None = None) -> dict[str, float]:
    """Log-likelihood per word of ``text`` under each of ``kinds`` the model knows (a kind it has no chapters of
    is left out)."""
    m = model or _model()
    counts: dict[str, dict[str, int]] = m["counts"]  # type: ignore[assignment]
    totals: dict[str, int] = m["totals"]  # type: ignore[assignment]
    alpha, vocab = float(cast(float, m["alpha"])), int(cast(int, m["vocabulary"]))
    known = _known(m)
    found = Counter({f: c for f, c in features(text).items() if f in known})  # an unseen pair favours no kind
    n = sum(found.values())
    if not n:
        return {}
    out: dict[str, float] = {}
    for kind in kinds:
        if kind not in counts:
            continue
        own, total = counts[kind], totals[kind]
        out[kind] = sum(c * math.log((own.get(f, 0) + alpha) / (total + alpha * vocab)) for f, c in found.items()) / n
    return out


def _known(model: dict[str, object]) -> frozenset[str]:
    """The pairs any kind has counts of (kept with the model, or gathered for one the fit script passes)."""
    known = model.get("known")
    if isinstance(known, frozenset):
        return known
    counts: dict[str, dict[str, int]] = model["counts"]  # type: ignore[assignment]
    return frozenset(f for own in counts.values() for f in own)


def is_english(text: str) -> bool:
    """Whether a chapter's text is English (twice as many Latin letters as Han characters): its words, not its
    character pairs, carry what it is about, and it is read by the English model (``model["english"]``)."""
    return len(_LATIN.findall(text)) > 2 * len(_HAN.findall(text))


_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def kind_of_text(text: str, kinds: Iterable[str], model: dict[str, object] | None = None) -> str | None:
    """The one of ``kinds`` the text is about, when the model is sure enough (its best kind beats the next by
    ``min_margin`` per word); None otherwise. English text in which the model knows no word at all is read by its
    English part when it has one (``english``: fitted on English chapters only, with its own margin)."""
    m = model or _model()
    kinds = tuple(kinds)
    scored = scores(text, kinds, m)
    english = m.get("english")
    if not scored and isinstance(english, dict) and is_english(text):
        m, scored = english, scores(text, kinds, english)
    return _sure(scored, float(m["min_margin"]))  # type: ignore[arg-type]


_QUESTION = re.compile(r"[a-z]+")
# English headings may ask what their chapter answers ("Who's coming", "What could go wrong"): the interrogatives
# (and 'if') a heading may open with. Which of them say their chapter is fitted (``questions``), not listed.
QUESTION_WORDS = ("who", "whom", "what", "which", "where", "when", "why", "how", "if")


def kind_of_question(heading: str, model: dict[str, object] | None = None) -> str | None:
    """The kind of chapter an English heading asking a question names by its question word ("Who's coming": the
    audience), where the model's ``questions`` table (fitted on the dev plans' headings) has one; None otherwise."""
    m = model or _model()
    questions = m.get("questions")
    first = _QUESTION.search(heading.lower())
    if not isinstance(questions, dict) or first is None:
        return None
    found = questions.get(first.group(0))
    return found if isinstance(found, str) else None


def _sure(scored: dict[str, float], min_margin: float) -> str | None:
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < min_margin:
        return None
    return ranked[0][0]


def fit(chapters: Iterable[tuple[str, str]], alpha: float, min_margin: float, min_count: int = 2) -> dict[str, object]:
    """A model from (kind, text) pairs: pair counts per kind over the pairs seen at least ``min_count`` times."""
    pairs = [(kind, features(text)) for kind, text in chapters]
    seen: Counter[str] = Counter()
    for _, found in pairs:
        seen.update(found)
    keep = {f for f, c in seen.items() if c >= min_count}
    counts: dict[str, Counter[str]] = {}
    for kind, found in pairs:
        counts.setdefault(kind, Counter()).update({f: c for f, c in found.items() if f in keep})
    return {"alpha": alpha, "min_margin": min_margin, "vocabulary": len(keep),
            "totals": {k: sum(c.values()) for k, c in sorted(counts.items())},
            "counts": {k: dict(sorted(c.items())) for k, c in sorted(counts.items())}}


__all__ = ["MODEL", "QUESTION_WORDS", "features", "fit", "is_english", "kind_of_question", "kind_of_text", "scores"]
