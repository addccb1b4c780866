"""Which sentence to quote: a logistic regression over a candidate sentence's signals, fitted on questions
whose expected answer is known (``tests/bench/fit_quotes.py`` writes ``quote_model.json``).

The extractive answer scores each sentence of the retrieved passages by hand-weighted signals (topic-word and
character overlap with the question, its passage's rank and heading, its place and shape). The ranker weighs
those signals as the data says they predict the sentence that holds the answer, together with what quoting
the sentence would say (an enumeration, a list's items, the question's words) and the sentence's own
character n-grams: sentences that only say a topic matters (「…至关重要」) are seldom the answer.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.chat.question import holds_measure

MODEL_PATH = Path(__file__).with_name("quote_model.json")
FEATURES = ("base", "covered", "grams", "passage", "shape", "listy", "own", "heading", "position",
            "item", "introduces", "short", "heading_led", "length", "list_question", "share", "place", "subject",
            "said_cover", "said_enumerates", "said_items", "said_includes", "said_length", "list_enumerates",
            "list_items", "list_includes", "how", "how_enumerates", "how_items", "how_includes", "into_list", "kind", "kind_own",
            "retrieved", "retrieved_share", "measure", "defines_list", "defines_items", "precedent")
NGRAMS = (2, 3)
_ITEM_NUMBER = re.compile(r"(?:^|[。；;:：\s])(?:[(（]?\d{1,2}[)）.、]|[一二三四五六七八九十]、)")
_INCLUDES = re.compile(r"包括|包含|主要有|分为|如下|以下")


def quote_features(said: str, said_cover: float, list_question: bool, how: bool = False,
                   into_list: bool = False, measure: str = "", defines: bool = False) -> dict[str, float]:
    """What quoting a sentence would say, as the ranker reads it: how much of the question it holds
    (``said_cover``), whether it enumerates (「、」 runs, numbered items, 「包括」), its length, each also as read
    for a question asking for a list and for one asking how (``how``: the steps or measures are the answer),
    whether the quote runs on from the sentence into the list a lead-in after it announces (``into_list``), whether
    it states the kind of quantity the question asks for (``measure``: 「1小时内」 for 「多久」), and its list read
    for a question asking what something is (``defines``: the definition answers, not the list after it)."""
    enumerates = min(1.0, said.count("、") / 4)
    items = min(1.0, len(_ITEM_NUMBER.findall(said)) / 5)
    includes = 1.0 if _INCLUDES.search(said) else 0.0
    asked, way, define = float(list_question), float(how), float(defines)
    return {"said_cover": said_cover, "said_enumerates": enumerates, "said_items": items, "said_includes": includes,
            "said_length": math.log1p(len(said)) / 6, "list_enumerates": asked * enumerates,
            "list_items": asked * items, "list_includes": asked * includes, "how": way,
            "how_enumerates": way * enumerates, "how_items": way * items, "how_includes": way * includes,
            "into_list": float(into_list), "measure": float(bool(measure) and holds_measure(said, measure)),
            "defines_list": define * float(into_list), "defines_items": define * items}


def char_ngrams(text: str) -> set[str]:
    """The character n-grams of ``text`` (Simplified) the ranker weighs."""
    return {text[i:i + n] for n in NGRAMS for i in range(len(text) - n + 1)}


class QuoteRanker(BaseModel):
    """The fitted model: a weight per feature name and per character n-gram of the sentence, and how much its
    probability counts beside the hand-weighted score."""

    model_config = ConfigDict(extra="forbid")

    features: list[str]
    coef: list[float]
    intercept: float
    ngrams: dict[str, float]
    # The same n-grams read again for a question asking how to do something: the measures answer it
    # (「提前…进行压力测试」), the sentence describing the problem (「可能出现…导致…」) does not.
    how_ngrams: dict[str, float] = {}
    blend: float  # what the probability adds to the hand-weighted score (see ``fit_quotes.BLEND``)
    trained_on: str = ""

    def probability(self, features: dict[str, float], text: str) -> float:
        """How likely quoting the sentence ``text`` (Simplified), with these ``features``, answers the question."""
        z = self.intercept + sum(c * features.get(name, 0.0) for name, c in zip(self.features, self.coef, strict=True))
        grams = char_ngrams(text)
        known = [self.ngrams[g] for g in grams if g in self.ngrams]
        if known:
            z += sum(known) / math.sqrt(len(known))  # the n-gram vector is L2-normalised, as when fitted
        if features.get("how") and known:
            z += sum(self.how_ngrams.get(g, 0.0) for g in grams if g in self.ngrams) / math.sqrt(len(known))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def shipped_ranker() -> QuoteRanker | None:
    """The ranker fitted on the bundled guidebooks, or None before one is fitted."""
    if not MODEL_PATH.exists():
        return None
    return QuoteRanker.model_validate_json(MODEL_PATH.read_text(encoding="utf-8"))
