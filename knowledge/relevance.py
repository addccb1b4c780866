"""Whether retrieved passages answer a question: a calibrated probability, not a word-count gate.

A small logistic regression over what retrieval found for the asking clause(s) of a question
(``core.text.question``):

- ``coverage``: informativeness-weighted share of the question's topic words found in the top
  passages of one guidebook (a word counts when a passage has it or a guidebook word for it);
- ``coverage_best``: the same for the single best of those passages;
- ``context_lean``: the share of the context words (「3·15前后做售后服务活动」 before 「目的一般怎么写」) the
  top passages of one guidebook hold, counted as far as the ask leans on them: times the part of the
  question's informativeness its context words carry (1 − ``topic_share``). A short ask after a context
  the passages answer (售后服务活动 … 目的) gains; a context the passages lack (「我们是做母婴用品的」) costs
  nothing, and a marketing context before an ask of its own about something else (「双十一我们想做满减,
  红烧肉怎么做」) says little, since that ask carries most of what the question says;
- ``unknown_general``: weighted share of topic words the guidebooks never use but general Chinese
  does (商标, 开户, 发票: the question is about something else);
- ``unknown_both``: share of topic words neither knows (slips no fix found, gibberish);
- ``bm25``: the best BM25 score for the question, divided by the most its words could score;
- ``dense``: cosine similarity of the best passage in the embedding space;
- ``topic_info``: how much the topic words say at all (log of their summed informativeness);
- ``key_covered``: share of the two most informative topic words the top passages hold;
- ``lift_mean`` / ``lift_min``: how much more the guidebooks use the topic words than general Chinese
  would lead one to expect (``knowledge.wordweights.lift``), weighted mean and the least of them: a
  question the guidebooks answer is about words they dwell on (满减, 预热, 渠道); one that only shares
  words they brush past (员工, 招聘, 合同, 试用期) is likely about something else, even when a passage
  holds those words;
- ``proximity``: in the best of the top passages, the share of neighbouring topic words (in the
  question's order) written within ``NEAR_CHARS`` of each other — the words of a question the
  passage answers stand together, the words of one it does not are scattered (微信, 直播 in a list
  of platforms);
- ``wording``: what the asking clause's own words say, learned from the labelled questions: a
  logistic regression over the character n-grams (``knowledge.embed.char_ngrams``) of its topic and
  question words, with no context or courtesy. 「去哪里买」「多少钱」「怎么开户」 ask for something the
  guidebooks never give, whatever the retrieved passages share with the question; 「要注意什么」
  「包括哪些」 ask for what they do. Its score for a training question comes from a fit that did not
  see that question or its rephrasings (grouped cross-fitting), so the final model learns how far to
  trust it on questions it has not seen.

The model is fitted (``fit``) on labelled questions — ``relevance_train.jsonl`` beside this module,
never the sets it is reported on — against one index generation; a question counts as answerable
when its expected phrase is in the top passages retrieved. The fitted weights live in
``relevance_model.json`` with the fingerprint of the guidebooks they were fitted on; another
knowledge base gets its own fit (see ``model_for``). ``good_match`` is ``probability >= threshold``;
with a chat model Cehua only needs ``probability >= floor`` and lets the model say when the
passages do not answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from core.text.question import Analysis
from knowledge.embed import char_ngrams

MODEL_PATH = Path(__file__).with_name("relevance_model.json")
TRAIN_PATH = Path(__file__).with_name("relevance_train.jsonl")
FEATURES = ("coverage", "coverage_best", "context_lean", "unknown_general", "unknown_both", "bm25", "dense",
            "topic_info", "key_covered", "proximity", "lift_mean", "lift_min", "wording")
# Word roles the ``wording`` feature reads: what is asked and how, never the asker's situation.
WORDING_ROLES = ("topic", "form")
# Inverse regularisation of the wording classifier, and how many groups of questions cross-fit it. With
# 5,500 training questions, 3.0 ranked held-out dev questions best (0.3, 1, 3, 10 tried: at the cut refusing
# 0.98 of the dev off-topic questions it accepts 0.953, 0.962, 0.972, 0.975 of the answerable ones).
WORDING_C = 3.0
WORDING_FOLDS = 5
# What the wording classifier learns: ``"answered"`` (the question's expected phrase is in its top passages, the label
# the whole model learns) or ``"topic"`` (the question is in scope at all; retrieval success is left to the other
# features), or ``"found"`` (in scope and answered against off-topic, the in-scope questions whose passage the ranker
# misses left out: their words teach neither side). Fitted on "answered", planner words whose passage the ranker misses
# are learned as signs of an unanswerable question (train26, docs/answer_quality.md).
WORDING_LEARNS = "answered"
WORDING_LABELS = ("answered", "topic", "found")
# How much more an off-topic question weighs than an in-scope one in the wording fit, on top of the balanced classes.
OFF_TOPIC_WEIGHT = 1.0
# How many groups of questions cross-fit the probabilities the threshold and floor are picked on.
THRESHOLD_FOLDS = 5
# Share of off-topic training questions the offline threshold refuses, and the share the lenient floor
# (with a chat model) still keeps from the model; each question counts once, however many wrappings of it
# (thanks, context, typos) the training set holds, scored by a model fitted without it (``cross_fitted``).
THRESHOLD_REFUSAL = 0.97
FLOOR_REFUSAL = 0.93
# How many top passages the coverage features look at (an answer comes from one guidebook).
COVERAGE_PASSAGES = 3
# Phrasing learned from the training questions (好处, 到底, 入手, 讲究: words answerable questions use
# and the guidebooks never do) weighs this much of what its rarity says.
PHRASING_WEIGHT = 0.2
# A word is phrasing when at least this many answerable training questions (groups of rephrasings) use
# it, off-topic ones at most a quarter as often.
PHRASING_MIN_QUESTIONS = 2
# Two topic words this close in a passage are about the same thing.
NEAR_CHARS = 16
# Inverse regularisation strengths tried when fitting.
REGULARISATION = (0.03, 0.1, 0.3, 1.0, 3.0)
# A question is answerable when its expected phrase is in this many top passages.
ANSWERABLE_DEPTH = 5


@dataclass
class Term:
    """A word of the question, how much it says, and whether the guidebooks (or general Chinese) know it."""

    text: str
    weight: float
    role: str  # "topic" or "context"
    known_in_corpus: bool
    known_in_general: bool
    lift: float = 0.0  # log10 of how much more the corpus uses it than general Chinese (knowledge.wordweights.lift)


class RelevanceModel(BaseModel):
    """Fitted logistic-regression weights over standardised ``FEATURES``."""

    features: list[str] = Field(default_factory=lambda: list(FEATURES))
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float = 0.5
    floor: float = 0.2
    fingerprint: str = ""
    trained_on: str = ""
    phrasing: list[str] = Field(default_factory=list, description="Words learned to be phrasing, not topic.")
    docs: list[str] = Field(default_factory=list, description="sha256 of the documents fitted on (a local fit).")
    wording: dict[str, float] = Field(default_factory=dict, description="Weights of asking-clause n-grams.")
    wording_bias: float = 0.0

    def wording_score(self, asking_words: str) -> float:
        """The wording classifier's log-odds that a question asked in ``asking_words`` (see
        ``asking_words``) is one the guidebooks answer."""
        return self.wording_bias + sum(self.wording.get(gram, 0.0) for gram in set(char_ngrams(asking_words)))

    def probability(self, features: dict[str, float]) -> float:
        """P(the passages answer the question) for one feature vector."""
        x = np.array([features.get(name, 0.0) for name in self.features])
        z = float(np.dot((x - np.array(self.mean)) / np.array(self.scale), np.array(self.coef)) + self.intercept)
        return 1.0 / (1.0 + math.exp(-z))


def fingerprint(shas: Sequence[str]) -> str:
    """One id for a set of documents (their content hashes, in any order)."""
    return hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest()[:16]


def asking_words(analysis: Analysis) -> str:
    """The words of a question the ``wording`` feature reads: the topic and question words of its asking
    clause(s), in order (of every clause that is not courtesy when none asks in so many words)."""
    clauses = analysis.clauses
    asking = {i for i, c in enumerate(clauses) if (c.asks or i in analysis.leans) and not analysis.guessed}
    keep = asking or {i for i, c in enumerate(clauses) if not c.courtesy}
    return " ".join(w.text for w in analysis.words if w.role in WORDING_ROLES and w.clause in keep)


def coverage(terms: Sequence[Term], texts: Sequence[str], alternatives: Callable[[str], tuple[str, ...]],
             found: Sequence[bool] | None = None) -> float:
    """Weighted share of ``terms`` found in ``texts`` (lower-cased Simplified); a compound the texts
    spell out in parts (every character pair of it) half counts (``found``: whether the texts write each
    term or a word for it, when already known, e.g. from ``places``)."""
    total = sum(t.weight for t in terms)
    if not total or not texts:
        return 0.0
    covered = 0.0
    for n, term in enumerate(terms):
        if found[n] if found is not None else any(alt in text for alt in alternatives(term.text) for text in texts):
            covered += term.weight
        elif len(term.text) >= 3 and not term.text.isascii():
            pairs = [term.text[i:i + 2] for i in range(len(term.text) - 1)]
            if all(any(p in text for text in texts) for p in pairs):
                covered += 0.5 * term.weight
    return covered / total


def features_for(terms: Sequence[Term], texts: Sequence[str], docs: Sequence[str], bm25: float, dense: float,
                 alternatives: Callable[[str], tuple[str, ...]]) -> dict[str, float]:
    """The model's features for a question's ``terms`` and its top passages' ``texts`` (best first,
    with the document each comes from)."""
    topic = [t for t in terms if t.role == "topic"] or list(terms)
    top = list(zip(texts[:COVERAGE_PASSAGES], docs[:COVERAGE_PASSAGES], strict=True))
    by_doc: dict[str, list[str]] = {}
    for text, doc in top:
        by_doc.setdefault(doc, []).append(text)
    total = sum(t.weight for t in topic) or 1.0
    context = [t for t in terms if t.role == "context"]
    context_covered = max((coverage(context, group, alternatives) for group in by_doc.values()), default=0.0)
    return {
        "coverage": max((coverage(topic, group, alternatives) for group in by_doc.values()), default=0.0),
        "coverage_best": max((coverage(topic, [text], alternatives) for text, _ in top), default=0.0),
        "context_lean": context_covered * (1.0 - topic_share(terms)),
        "unknown_general": sum(t.weight for t in topic if not t.known_in_corpus and t.known_in_general) / total,
        "unknown_both": sum(t.weight for t in topic if not t.known_in_corpus and not t.known_in_general) / total,
        "bm25": bm25,
        "dense": dense,
        "topic_info": math.log1p(sum(t.weight for t in topic)),
        "key_covered": coverage(_flat(sorted(topic, key=lambda t: -t.weight)[:2]), [t for t, _ in top], alternatives),
        "proximity": max((proximity(topic, text, alternatives) for text, _ in top), default=0.0),
        "lift_mean": sum(t.weight * t.lift for t in topic) / total,
        "lift_min": min((t.lift for t in topic), default=0.0),
    }


def topic_share(terms: Sequence[Term]) -> float:
    """The asking clause's part of what a question says: the informativeness of its topic ``terms`` over
    that of its topic and context terms together (1 for 「满减门槛怎么定」, about a half for 「我们是一家
    奶茶店,满减门槛怎么定」; 1 when it has no words to weigh)."""
    said = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if t.role == "topic") / said if said else 1.0


def places(terms: Sequence[Term], text: str, alternatives: Callable[[str], tuple[str, ...]]) -> list[list[int]]:
    """Where ``text`` writes each of ``terms`` or a word for it: the sorted offsets, one list per term."""
    out: list[list[int]] = []
    for term in terms:
        found: list[int] = []
        for alt in alternatives(term.text):
            start = text.find(alt)
            while start >= 0:
                found.append(start)
                start = text.find(alt, start + 1)
        out.append(sorted(found))
    return out


def proximity(terms: Sequence[Term], text: str, alternatives: Callable[[str], tuple[str, ...]],
              where: Sequence[list[int]] | None = None) -> float:
    """Share of neighbouring ``terms`` (in order) that ``text`` writes within ``NEAR_CHARS`` of each other;
    for a single term, whether ``text`` has it (``where``: their ``places`` in ``text``, when already known)."""
    found = where if where is not None else places(terms, text, alternatives)
    if len(found) == 1:
        return 1.0 if found[0] else 0.0
    pairs = list(zip(found, found[1:], strict=False))
    if not pairs:
        return 0.0
    return sum(1 for a, b in pairs if _within(a, b, NEAR_CHARS)) / len(pairs)


def _within(a: list[int], b: list[int], distance: int) -> bool:
    """Whether some place in sorted ``a`` lies within ``distance`` of some place in sorted ``b`` (a merge
    walk over both, not every pair: a common word occurs hundreds of times in a long passage)."""
    i = j = 0
    while i < len(a) and j < len(b):
        if abs(a[i] - b[j]) <= distance:
            return True
        if a[i] < b[j]:
            i += 1
        else:
            j += 1
    return False


def _flat(terms: Sequence[Term]) -> list[Term]:
    """``terms`` each weighing the same."""
    return [Term(t.text, 1.0, t.role, t.known_in_corpus, t.known_in_general, t.lift) for t in terms]


def fit(rows: Sequence[dict[str, float]], labels: Sequence[int], *, fingerprint_: str = "",
        trained_on: str = "") -> RelevanceModel:
    """A model fitted on feature ``rows`` and 0/1 ``labels`` (classes weighted to count the same)."""
    x = np.array([[row.get(name, 0.0) for name in FEATURES] for row in rows], dtype=float)
    y = np.array(labels, dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("relevance training needs both answerable and unanswerable questions")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    standard = (x - mean) / scale

    def regularised(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", max_iter=1000)

    # Regularisation chosen by cross-validated log-loss on the training questions themselves.
    folds = min(5, int(min(np.bincount(y))))
    best = max(REGULARISATION, key=lambda c: float(np.mean(cross_val_score(
        regularised(c), standard, y, cv=folds, scoring="neg_log_loss")))) if folds >= 2 else 1.0
    model = regularised(best)
    model.fit(standard, y)
    return RelevanceModel(mean=mean.tolist(), scale=scale.tolist(), coef=model.coef_[0].tolist(),
                          intercept=float(model.intercept_[0]), fingerprint=fingerprint_, trained_on=trained_on)


def cross_fitted(rows: Sequence[dict[str, float]], labels: Sequence[int], groups: Sequence[str],
                 whole: RelevanceModel) -> list[float]:
    """Each row's probability from a model (``fit``) fitted without its group: how the model scores
    questions it has not seen, which is what the threshold must be picked on (a model scores its own
    training questions more confidently than new ones). Rows of a fold whose training part lacks a
    class keep the probability of ``whole``, the model fitted on all rows."""
    from sklearn.model_selection import GroupKFold

    y = np.array(labels, dtype=int)
    out = [whole.probability(row) for row in rows]
    splits = min(THRESHOLD_FOLDS, len(set(groups)))
    if splits < 2:
        return out
    for train, test in GroupKFold(splits).split(np.zeros(len(rows)), y, list(groups)):
        if len(set(y[train].tolist())) < 2:
            continue
        model = fit([rows[i] for i in train], y[train].tolist())
        for i in test:
            out[i] = model.probability(rows[i])
    return out


def _wording_classifier(texts: Sequence[str], labels: Sequence[int], weights: Sequence[float] | None = None):  # type: ignore[no-untyped-def]
    """A fitted (vectoriser, logistic regression) over the n-grams of asking-clause ``texts`` (``weights``: each
    text's weight on top of the balanced classes, all 1 when None)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=char_ngrams, binary=True)
    matrix = vectorizer.fit_transform(list(texts))
    classifier = LogisticRegression(C=WORDING_C, class_weight="balanced", max_iter=2000)
    classifier.fit(matrix, np.array(labels, dtype=int), sample_weight=None if weights is None else np.array(weights, dtype=float))
    return vectorizer, classifier


def fit_wording(texts: Sequence[str], labels: Sequence[int], groups: Sequence[str],
                weights: Sequence[float] | None = None) -> tuple[dict[str, float], float, list[float]]:
    """The wording classifier fitted on all ``texts`` (n-gram weights and bias), and each text's score
    from a fit that left out its ``group`` (the question and its rephrasings); ``weights``: how much each text
    counts, on top of the balanced classes."""
    from sklearn.model_selection import GroupKFold

    y = np.array(labels, dtype=int)
    w = None if weights is None else np.array(weights, dtype=float)
    held_out = np.zeros(len(texts))
    splits = min(WORDING_FOLDS, len(set(groups)))
    if splits >= 2:
        for train, test in GroupKFold(splits).split(np.zeros(len(texts)), y, list(groups)):
            if len(set(y[train].tolist())) < 2:
                continue
            vectorizer, classifier = _wording_classifier([texts[i] for i in train], y[train].tolist(),
                                                         None if w is None else w[train].tolist())
            held_out[test] = classifier.decision_function(vectorizer.transform([texts[i] for i in test]))
    vectorizer, classifier = _wording_classifier(texts, list(labels), weights)
    grams = {gram: round(float(c), 4) for gram, c in zip(vectorizer.get_feature_names_out(), classifier.coef_[0],
                                                         strict=True) if abs(c) >= 1e-4}
    return grams, float(classifier.intercept_[0]), held_out.tolist()


def learn_phrasing(items: Sequence[TrainingItem], unknown_words: Callable[[str], set[str]]) -> list[str]:
    """Words the guidebooks never use that answerable training questions keep using and off-topic
    ones rarely do: how planners phrase a question (好处, 到底, 入手), not what it is about. A question
    counts once with all its rephrasings (its group): one question's word asked five ways is no habit."""
    inside: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for item in items:
        counts = outside if item.out_of_scope else inside
        for word in unknown_words(item.question):
            counts.setdefault(word, set()).add(item.group_key)
    return sorted(w for w, groups in inside.items()
                  if len(groups) >= PHRASING_MIN_QUESTIONS and 4 * len(outside.get(w, ())) <= len(groups))


Evidence = Callable[[str, frozenset[str]], tuple[list[str], dict[str, float], str]]


@dataclass
class Fitted:
    """A fitted model and how its training questions score (probability, answerable, off-topic) under
    a model fitted without each one's group (see ``cross_fitted``)."""

    model: RelevanceModel
    scored: list[tuple[float, bool, bool]]


def fit_on(evidence: Evidence, unknown_words: Callable[[str], set[str]], items: Sequence[TrainingItem], *,
           fingerprint_: str = "", trained_on: str = "", wording_learns: str = WORDING_LEARNS,
           off_topic_weight: float = OFF_TOPIC_WEIGHT, threshold_refusal: float = THRESHOLD_REFUSAL) -> Fitted:
    """A model fitted on ``items`` as ``evidence`` (a question and the phrasing words → its top passage
    texts, features and asking words) sees them: an in-scope question is answerable when an expected
    phrase is in its top ``ANSWERABLE_DEPTH`` passages, an out-of-scope one never is. ``unknown_words``
    gives a question's topic words the guidebooks never use, from which the phrasing is learned first.
    The wording classifier learns ``wording_learns`` (``WORDING_LABELS``: answerable, in scope at all, or answerable
    against off-topic with the unanswered in-scope questions left out), each
    off-topic question weighing ``off_topic_weight`` times an in-scope one.
    The threshold refuses ``threshold_refusal`` of the off-topic training questions and the floor
    ``FLOOR_REFUSAL`` (never above the threshold), each question scored by a model fitted without its
    group (``cross_fitted``); ``scored`` holds those held-out probabilities."""
    from knowledge.evaluate import is_hit

    if wording_learns not in WORDING_LABELS:
        raise ValueError(f"wording_learns must be one of {', '.join(WORDING_LABELS)}, not {wording_learns!r}")
    if off_topic_weight <= 0:
        raise ValueError(f"off_topic_weight must be above 0, not {off_topic_weight}")
    if not FLOOR_REFUSAL <= threshold_refusal < 1:
        raise ValueError(f"threshold_refusal must be at least the floor's {FLOOR_REFUSAL} and below 1, not {threshold_refusal}")
    phrasing = learn_phrasing(items, unknown_words)
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    texts_of: list[str] = []
    for item in items:
        texts, features, words = evidence(item.question, frozenset(phrasing))
        rows.append(dict(features))
        texts_of.append(words)
        labels.append(int(not item.out_of_scope and any(is_hit(t, item.expect_any) for t in texts[:ANSWERABLE_DEPTH])))
    groups = [item.group_key for item in items]
    wording_labels = labels if wording_learns == "answered" else [int(not item.out_of_scope) for item in items]
    weights, bias, held_out = fit_wording(texts_of, wording_labels, groups, [
        off_topic_weight if item.out_of_scope else 0.0 if wording_learns == "found" and not label else 1.0
        for item, label in zip(items, labels, strict=True)])
    for row, score in zip(rows, held_out, strict=True):
        row["wording"] = score
    model = fit(rows, labels, fingerprint_=fingerprint_, trained_on=trained_on)
    model = model.model_copy(update={"phrasing": phrasing, "wording": weights, "wording_bias": bias})
    scored = [(p, bool(label), item.out_of_scope)
              for p, label, item in zip(cross_fitted(rows, labels, groups, model), labels, items, strict=True)]
    # Each off-topic question counts once, however many wrappings of it the training set holds (a few
    # hard questions asked five ways each would otherwise set the cut alone).
    by_group: dict[str, list[float]] = {}
    for (p, _, oos), item in zip(scored, items, strict=True):
        if oos:
            by_group.setdefault(item.group_key, []).append(p)
    off = sorted(float(np.mean(ps)) for ps in by_group.values())
    if off:
        def cut(refusal: float) -> float:
            return round(off[min(len(off) - 1, int(refusal * len(off)))] + 1e-4, 3)

        threshold = cut(threshold_refusal)
        model = model.model_copy(update={"threshold": threshold, "floor": min(threshold, cut(FLOOR_REFUSAL))})
    return Fitted(model, scored)


def load_model(path: Path = MODEL_PATH) -> RelevanceModel | None:
    """The model stored at ``path``, or None when there is none (or it is unreadable)."""
    try:
        return RelevanceModel.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_model(model: RelevanceModel, path: Path) -> None:
    """Write ``model`` to ``path`` as JSON (via a temporary file, so readers never see half of it)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")  # two processes may save at once
    try:
        tmp.write_text(json.dumps(model.model_dump(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


class TrainingItem(BaseModel):
    """One labelled question of ``relevance_train.jsonl``."""

    question: str
    expect_any: list[str] = Field(default_factory=list)
    out_of_scope: bool = False
    group: str = Field("", description="The question's rephrasings share one group (kept together when cross-fitting).")

    @property
    def group_key(self) -> str:
        """The question's group: its ``group``, or the question itself when it stands alone."""
        return self.group or self.question


def training_items(path: Path = TRAIN_PATH) -> list[TrainingItem]:
    """The labelled questions the relevance model is fitted on."""
    return [TrainingItem.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


__all__ = [
    "FEATURES", "MODEL_PATH", "TRAIN_PATH", "Fitted", "RelevanceModel", "Term", "TrainingItem", "asking_words", "coverage",
    "cross_fitted", "features_for", "fingerprint", "fit", "fit_on", "fit_wording", "learn_phrasing", "load_model", "save_model",
    "topic_share", "training_items",
]
