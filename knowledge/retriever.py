"""Search over the loaded index: passages (in Simplified, with the guidebook's own characters beside them)
and how likely they answer the question (the calibrated relevance model)."""

from __future__ import annotations

import atexit
import random
import threading
from collections.abc import Sequence, Set
from functools import lru_cache

from core.errors import StoreError
from core.text import cantonese
from core.text.question import Analysis, analyse
from core.text.scripts import as_mandarin, detect_script, mainland_words, to_simplified
from knowledge.chunk import Chunk
from knowledge.embed import OpenAIEmbedder
from knowledge.glossary import glossed_in_chinese, question_in_chinese
from knowledge.index import Generation, Hit
from knowledge.ingest import bundled_guidebooks
from knowledge.load import load_document
from knowledge.passage import Passage, SearchResult
from knowledge.precedents import Precedent, alike_text, precedents_in_use
from knowledge.progress import Progress
from knowledge.reader import Loaded
from knowledge.relevance import (
    COVERAGE_PASSAGES,
    FEATURES,
    MODEL_PATH,
    RelevanceModel,
    TrainingItem,
    asking_words,
    fingerprint,
    fit_on,
    load_model,
    save_model,
    training_items,
)
from knowledge.storage import DocInfo, KbPaths

# The relevance model fitted on this knowledge base (when it is not the bundled guidebooks) is kept
# beside the manifest and refitted only once the documents it was fitted on hold less than
# REFIT_SHARE of the chunks: a fit asks every training question, too much to redo on every add,
# and a few more documents barely move what the features measure.
FITTED_NAME = "relevance.json"
REFIT_SHARE = 0.5
# A local fit asks at most this many rephrasings of each training question (every question, half
# the searches): on a grown knowledge base its decisions on the frozen sets matched those of a fit on
# all of them within a question or two (tests/bench/bench_relevance_sample.py).
FIT_REPHRASINGS = 2


def search(loaded: Loaded, paths: KbPaths, query: str, k: int = 5) -> SearchResult:
    """Passages of the loaded index for ``query``, best first, and how likely they answer it. Passages
    are in Simplified (``assistant/script_boundary.py`` shows one to a reader in the query's script)."""
    generation = loaded.generation
    if generation is None or not query.strip():
        return SearchResult(query=query, passages=[], good_match=False, top_score=0.0)
    model = relevance_model(loaded, paths)
    understood, hong_kong = _understood(generation, query)
    analysis = analyse(understood.lower(), hong_kong)
    # The labelled questions nearest this one: ranking reads them, and the offline answer quotes by them.
    neighbours = precedents_in_use().nearest(alike_text(analysis.asking, analysis.background))
    hits, features, words = _judge(generation, analysis, k, frozenset(model.phrasing), neighbours)
    features["wording"] = model.wording_score(words)
    probability = model.probability(features) if hits else 0.0
    passages = [_passage(generation.chunks[hit.row], hit.score) for hit in hits[: max(1, k)]]
    warnings = []
    if isinstance(generation.embedder, OpenAIEmbedder) and (failure := generation.embedder.recent_failure()):
        warnings.append(failure)
    return SearchResult(
        query=query, passages=passages, understood=understood,
        good_match=bool(passages) and probability >= model.threshold,
        top_score=passages[0].score if passages else 0.0, relevance=round(probability, 4),
        plausible=bool(passages) and probability >= model.floor, warnings=warnings,
        precedents=neighbours if hits else [],
    )


def _passage(chunk: Chunk, score: float) -> Passage:
    """A chunk of the index as a passage (Simplified text, the guidebook's own characters beside it)."""
    return Passage(text=chunk.text, doc=chunk.doc, title=chunk.title, section=_below_title(chunk.section, chunk.title),
                   start=chunk.start, end=chunk.end, score=round(score, 4), chunk_id=chunk.chunk_id,
                   source_text=chunk.source)


def _below_title(section: str, title: str) -> str:
    """``section`` without the guidebook's ``title`` leading it: a Markdown guidebook opening 「# 供应商合作指南」
    (or a Word one with its title in Heading 1) was cited 「供应商合作指南 › 供应商合作指南 > 账期」, and every
    passage of it read as one chapter. The index keeps the heading, so search matches the title's words as before."""
    return section.removeprefix(f"{title} > ") if title else section


def following(loaded: Loaded, passage: Passage, n: int) -> list[Passage]:
    """Up to ``n`` chunks that follow ``passage`` in its document, in order, as passages (score 0): the
    sub-sections a section's 「主要包括以下几种:」 announces, which search may not have ranked. A document's
    chunks are consecutive rows of the index, so only those rows are read."""
    generation = loaded.generation
    row = generation.rows.get(passage.chunk_id) if generation is not None and passage.chunk_id else None
    if generation is None or row is None:
        return []
    out: list[Passage] = []
    for next_row in range(row + 1, len(generation.chunks)):
        chunk = generation.chunks[next_row]
        if chunk.doc != passage.doc or len(out) >= n:
            break
        if chunk.start >= passage.end:
            out.append(_passage(chunk, 0.0))
    return out


def _judge(generation: Generation, analysis: Analysis, k: int, phrasing: frozenset[str],
           neighbours: Sequence[tuple[Precedent, float]] | None = None) -> tuple[list[Hit], dict[str, float], str]:
    """The top hits for an analysed query (``neighbours``: the labelled questions nearest it, when already
    found), at least the ones the relevance features look at, the relevance model's
    retrieval features for them, and the words the wording feature reads."""
    terms = generation.terms(analysis, phrasing)
    ask = analysis.asking
    hits = generation.search(ask, max(k, COVERAGE_PASSAGES), analysis.background, terms,
                             alike_text(ask, analysis.background), neighbours)
    return hits, generation.features(terms, hits, ask), asking_words(analysis)


def _in_guidebook_words(generation: Generation, question: str) -> str:
    """An English question in the guidebooks' Chinese terms, clause by clause: the sentence that
    asks becomes an asking clause, the asker's situation ("We run a tea shop.") a clause before it; a
    dictionary word's sense is chosen by the sense model against the words this index uses."""
    return question_in_chinese(question, generation.segments.contains, senses=generation.senses) or f"{question.strip().lower()}?"


def _as_simplified(generation: Generation, question: str) -> str:
    """``question`` in the words the index uses: Simplified, written Cantonese as Mandarin, a Taiwan word as
    the mainland one where the documents use that more (软体 → 软件, never 建立 → 创建), English in the
    glossary's Chinese terms (an English question, or the English words of a Chinese one: 「派coupon」)."""
    if detect_script(question) == "en":
        return _in_guidebook_words(generation, question)
    mainland = mainland_words(as_mandarin(to_simplified(question.strip())),
                              lambda mainland, written: generation.chunks_using(mainland) > generation.chunks_using(written))
    return glossed_in_chinese(mainland, generation.segments.contains)


def _understood(generation: Generation, question: str) -> tuple[str, bool]:
    """``question`` in the index's words (``_as_simplified``) with slips put right, and whether it is written
    Cantonese (``cantonese.is_written`` of it as typed: told before its function words turn Mandarin). The slips
    put right are a Mandarin pinyin keyboard's (竟品 for 竞品); written Cantonese is typed with other input
    methods, and read for pinyin slips its grammar turns into words: 设几耐 (set how long) 设计, 使唔使 是不使."""
    hong_kong = detect_script(question) != "en" and cantonese.is_written(to_simplified(question))
    simplified = _as_simplified(generation, question)
    return (simplified if hong_kong else generation.typos.fix(simplified)), hong_kong


def _analysis(generation: Generation, question: str) -> Analysis:
    """``question`` (any script, or English) analysed in the index's words, slips put right."""
    understood, hong_kong = _understood(generation, question)
    return analyse(understood.lower(), hong_kong)


def evidence_for(generation: Generation, question: str, phrasing: frozenset[str],
                 analysis: Analysis | None = None) -> tuple[list[str], dict[str, float], str]:
    """What the relevance model sees of ``question``: its top passage texts, retrieval features and
    asking words."""
    hits, features, words = _judge(generation, analysis or _analysis(generation, question), 5, phrasing)
    return [generation.chunks[h.row].text for h in hits], features, words


def unknown_words_of(generation: Generation, question: str, analysis: Analysis | None = None) -> set[str]:
    """The topic words of ``question`` the documents never use."""
    analysis = analysis or _analysis(generation, question)
    return {t.text for t in generation.terms(analysis) if t.role == "topic" and not t.known_in_corpus}


def relevance_model(loaded: Loaded, paths: KbPaths) -> RelevanceModel:
    """The relevance model for the loaded documents: the shipped one when they are (mostly) the
    guidebooks it was fitted on, else one fitted on this index (stored beside it, and reused until
    the documents it was fitted on hold less than ``REFIT_SHARE`` of the chunks).

    Writers fit it right after their swap (``prepare_relevance``), so a search usually finds it
    stored. When the documents changed under a running process and the model is not stored yet,
    searches keep the model the previous version used until a background thread has fitted the new
    one, so no search waits for the fit; a process with no earlier model fits before its first answer."""
    if loaded.relevance is not None:
        return loaded.relevance
    if loaded.previous_relevance is None:
        return prepare_relevance(loaded, paths)
    stored = stored_relevance(loaded, paths)
    if stored is not None:
        loaded.relevance = stored
        return stored
    _BACKGROUND.start(loaded, paths)
    return loaded.previous_relevance  # type: ignore[no-any-return]


def prepare_relevance(loaded: Loaded, paths: KbPaths, progress: Progress | None = None) -> RelevanceModel:
    """The relevance model for ``loaded``, fitted now (and stored) when no stored one serves it.
    Writers call it once their version is live, so the first search of any process finds the model
    stored instead of fitting it for many seconds; ``progress`` hears of a fit."""
    with loaded.fit_lock:
        if loaded.relevance is None:
            try:
                loaded.relevance = _fit_relevance(loaded, paths, progress or Progress())
            except _Stopped:  # the interpreter is exiting: nothing is stored, the next process fits
                return loaded.previous_relevance or load_model()  # type: ignore[return-value]
        return loaded.relevance  # type: ignore[no-any-return]


class _Stopped(Exception):
    """A relevance fit given up because the process is exiting."""


class _BackgroundFits:
    """Relevance fits running in background threads, stopped and waited for at interpreter exit: a
    thread still inside numpy or Chroma while the interpreter tears itself down can crash the process
    (exit status 139), and one that saved half a model would leave it for the next process."""

    JOIN_SECONDS = 10.0

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads: dict[int, threading.Thread] = {}  # by id of the Loaded being fitted
        atexit.register(self.stop)

    def start(self, loaded: Loaded, paths: KbPaths) -> None:
        with self._lock:
            if self.stopping.is_set() or id(loaded) in self._threads:
                return
            thread = threading.Thread(target=self._fit, args=(loaded, paths), name="cehua-relevance-fit", daemon=True)
            self._threads[id(loaded)] = thread
            thread.start()

    def _fit(self, loaded: Loaded, paths: KbPaths) -> None:
        try:
            prepare_relevance(loaded, paths)
        except Exception:  # noqa: BLE001 - the previous model stays in use; the next version tries again
            with loaded.fit_lock:
                if loaded.relevance is None:
                    loaded.relevance = loaded.previous_relevance
        finally:
            with self._lock:
                self._threads.pop(id(loaded), None)

    def check(self) -> None:
        """Raise ``_Stopped`` once the process is exiting (fits call it between questions)."""
        if self.stopping.is_set():
            raise _Stopped

    def stop(self) -> None:
        """Have every fit under way give up, and wait for them to end."""
        self.stopping.set()
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(self.JOIN_SECONDS)


_BACKGROUND = _BackgroundFits()


def stored_relevance(loaded: Loaded, paths: KbPaths) -> RelevanceModel | None:
    """The shipped or stored model that may serve these documents without fitting: one fitted on
    them, or on documents that still hold ``REFIT_SHARE`` of their chunks."""
    shipped = load_model()
    if shipped is None:
        return None
    docs = loaded.manifest.docs
    if shipped.fingerprint == fingerprint([d.sha256 for d in docs]) or loaded.generation is None:
        return shipped
    for model, fitted_on in ((load_model(paths.root / FITTED_NAME), None), (shipped, _bundled_shas())):
        if model is not None and _still_fits(model, fitted_on or set(model.docs), docs):
            return model
    return None


def _fit_relevance(loaded: Loaded, paths: KbPaths, progress: Progress) -> RelevanceModel:
    shipped = load_model()
    if shipped is None:
        raise StoreError(f"{MODEL_PATH} is missing or unreadable; reinstall Cehua")
    stored = stored_relevance(loaded, paths)
    generation = loaded.generation
    if stored is not None or generation is None:
        return stored or shipped
    docs = loaded.manifest.docs
    items = fit_sample(training_items())
    progress.on_start(3 * len(items), "fitting the relevance model")
    analyses: dict[str, Analysis] = {}  # each training question is analysed once for both passes

    def analysed(question: str) -> Analysis:
        _BACKGROUND.check()
        progress.on_advance()
        found = analyses.get(question)
        if found is None:
            found = analyses[question] = _analysis(generation, question)
        return found

    try:
        for item in items:
            analysed(item.question)
        generation.prefetch_dense([(a.asking, a.background) for a in analyses.values()])
        fitted = fit_on(lambda q, phrasing: evidence_for(generation, q, phrasing, analysed(q)),
                        lambda q: unknown_words_of(generation, q, analysed(q)), items,
                        fingerprint_=fingerprint([d.sha256 for d in docs])).model
    except ValueError:  # this knowledge base answers none (or all) of the training questions
        return shipped
    finally:
        generation.forget_prefetched()
        progress.on_done()
    fitted = fitted.model_copy(update={"docs": sorted(d.sha256 for d in docs)})
    try:
        save_model(fitted, paths.root / FITTED_NAME)
    except OSError:
        pass  # a read-only index still answers; the fit is redone next time
    return fitted


def fit_sample(items: Sequence[TrainingItem], per_group: int = FIT_REPHRASINGS) -> list[TrainingItem]:
    """At most ``per_group`` rephrasings of each training question (the same ones every time), in order."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(item.group_key, []).append(i)
    rng = random.Random(0)
    kept: set[int] = set()
    for key in sorted(groups):
        members = groups[key]
        kept.update(members if len(members) <= per_group else rng.sample(members, per_group))
    return [item for i, item in enumerate(items) if i in kept]


def _still_fits(model: RelevanceModel, fitted_on: Set[str], docs: Sequence[DocInfo]) -> bool:
    """True when ``model``, fitted on the documents ``fitted_on``, may serve ``docs``: they are the
    same, or the documents it was fitted on still hold ``REFIT_SHARE`` of the chunks; and it weighs
    only features search still measures (a fit from an older Cehua is redone)."""
    if not set(model.features) <= set(FEATURES):
        return False
    total = sum(d.chunks for d in docs)
    known = sum(d.chunks for d in docs if d.sha256 in fitted_on)
    return model.fingerprint == fingerprint([d.sha256 for d in docs]) or (total > 0 and known >= REFIT_SHARE * total)


@lru_cache(maxsize=1)
def _bundled_shas() -> frozenset[str]:
    """The content hashes of the bundled guidebooks (what the shipped model was fitted on)."""
    return frozenset(load_document(path).sha256 for path in bundled_guidebooks())
