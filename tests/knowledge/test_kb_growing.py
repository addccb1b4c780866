"""Knowledge bases that grew past what their embedding and relevance model were fitted on (issue 15):
a newly added guide is found by its own words, the relevance model is fitted when the documents
change (not at the first search of every new process; for a large index in a process of its own, so
the writer's memory stays what ingestion needed), a fit process that dies leaves the knowledge base
searchable, and a process that exits while a background fit runs stops it first."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from knowledge import relevance_process, retriever
from knowledge.base import KnowledgeBase
from knowledge.embed import LsaEmbedder
from knowledge.progress import Progress
from knowledge.relevance import fingerprint, load_model, training_items
from knowledge.storage import KbPaths, read_manifest
from tests.guides import QUESTIONS, brand_and_product, growing_guide, guidebook_sentences
from tests.knowledge.conftest import offline_settings
from tests.paths import REPO_ROOT

GUIDES = 60  # with the bundled guidebooks' 290 chunks, the guides hold most chunks: the model is refitted


def _write_guides(folder: Path, count: int) -> Path:
    rng = random.Random(5)
    folder.mkdir()
    for i in range(count):
        (folder / f"brand_{i:03d}.md").write_text(growing_guide(i, rng), encoding="utf-8")
    return folder


class _Recorded(Progress):
    """What a progress listener heard: (description, total, units advanced) per stage."""

    def __init__(self) -> None:
        self.stages: list[list[object]] = []

    def on_start(self, total: int, description: str) -> None:
        self.stages.append([description, total, 0])

    def on_advance(self, amount: int = 1) -> None:
        self.stages[-1][2] += amount  # type: ignore[operator]


def _no_fit_here(*args: object, **kwargs: object) -> None:
    raise AssertionError("the relevance model was fitted inside the adding process")


FITS: dict[str, list[list[object]]] = {}  # the fitting stage the add that grew ``grown_home`` reported


@pytest.fixture(scope="module")
def grown_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base with ``GUIDES`` growing-vocabulary guides added (built once), as a large
    index is: the relevance model fitted by a process of its own, never inside the adding one."""
    home = tmp_path_factory.mktemp("grown") / "home"
    shutil.copytree(built_home, home)
    progress = _Recorded()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(relevance_process, "APART_CHUNKS", 0)  # this small index is fitted as a large one is,
        patch.setattr(relevance_process, "EARLY_BYTES", 0)  # by a process started as the add begins
        patch.setattr(retriever, "fit_on", _no_fit_here)
        KnowledgeBase(offline_settings(home)).add([_write_guides(home.parent / "guides", GUIDES)], progress)
    FITS["stages"] = [s for s in progress.stages if s[0] == "fitting the relevance model"]
    return home


@pytest.fixture
def grown(grown_home: Path, tmp_path: Path) -> KnowledgeBase:
    home = tmp_path / "grown"
    shutil.copytree(grown_home, home)
    return KnowledgeBase(offline_settings(home))


def test_a_new_small_guide_is_found_by_its_own_words(grown: KnowledgeBase, tmp_path: Path) -> None:
    fitted = read_manifest(grown.paths)
    misses = []
    for seed in (101, 202, 303):
        guide = growing_guide(1000 + seed, random.Random(seed), n_sentences=12)
        path = tmp_path / f"new_{seed}.md"
        path.write_text(guide, encoding="utf-8")
        grown.add([path])
        brand, product = brand_and_product(guide)
        for template in QUESTIONS:
            question = template.format(brand=brand, product=product)
            docs = [p.doc for p in grown.search(question, k=5).passages]
            if f"new_{seed}" not in docs:
                misses.append((question, docs))
    after = read_manifest(grown.paths)
    assert fitted is not None and after is not None and after.embedder == fitted.embedder  # not refitted
    assert misses == []


def test_unseen_words_bring_a_query_near_the_chunks_that_use_them(built_home: Path) -> None:
    paths = KbPaths(built_home)
    manifest = read_manifest(paths)
    assert manifest is not None
    model = LsaEmbedder.load(paths.embedders / manifest.embedder)
    fitted = model.components_t.shape[1]
    known = guidebook_sentences()[0]
    chunk_plain, chunk_new = model.embed([known, "霁蔚坊澜翎面霜：" + known])
    query = model.embed_query("霁蔚坊澜翎面霜")
    assert float(query @ chunk_new) > 0.5 > float(query @ chunk_plain)
    # A text of fitted n-grams only has the vector it had before unseen n-grams counted.
    assert np.allclose(chunk_plain[fitted:], 0.0)
    assert float(np.linalg.norm(chunk_plain[:fitted])) == pytest.approx(1.0)


def test_the_add_fits_the_relevance_model_a_new_process_then_finds(grown_home: Path) -> None:
    docs = read_manifest(KbPaths(grown_home)).docs  # type: ignore[union-attr]
    stored = load_model(grown_home / "kb" / "relevance.json")
    assert stored is not None
    assert stored.fingerprint == fingerprint([d.sha256 for d in docs])
    fresh = KnowledgeBase(offline_settings(grown_home))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(retriever, "fit_on", _no_fit_here)  # the stored model serves the new process
        assert fresh.search("满减优惠怎么设置?").passages
    assert fresh.loaded().relevance == stored


def test_the_fit_process_reports_its_progress_through_the_adding_one() -> None:
    # One stage, every unit of it heard (3 per training question asked: analysed, searched, judged).
    [(_, total, advanced)] = FITS["stages"]
    assert total == advanced == 3 * len(retriever.fit_sample(training_items()))


def test_a_local_fit_asks_every_training_question_in_at_most_two_phrasings() -> None:
    items = training_items()
    sample = retriever.fit_sample(items)
    groups = {i.group_key for i in items}
    per_group = [sum(1 for i in sample if i.group_key == g) for g in groups]
    assert min(per_group) >= 1 and max(per_group) == 2
    assert len(sample) < 0.6 * len(items)
    assert retriever.fit_sample(items) == sample  # the same questions every time


def _children() -> set[str]:
    return {pid for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()}


def test_a_fit_process_started_early_and_not_needed_is_ended(kb: KnowledgeBase, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relevance_process, "APART_CHUNKS", 0)
    monkeypatch.setattr(relevance_process, "EARLY_BYTES", 0)
    guide = tmp_path / "one.md"
    guide.write_text(growing_guide(7, random.Random(7), n_sentences=12), encoding="utf-8")
    before = _children()
    kb.add([guide])  # the bundled guidebooks still hold most chunks: the shipped model serves, no fit
    assert _children() == before
    assert not (kb.paths.root / "relevance.json").exists()
    assert kb.search("满减优惠怎么设置?").good_match


def test_a_fit_process_that_dies_leaves_the_knowledge_base_searchable(
        built_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    guides = _write_guides(tmp_path / "guides", GUIDES)
    monkeypatch.setattr(relevance_process, "APART_CHUNKS", 0)
    # The fit process is killed as the kernel's out-of-memory killer would kill it.
    monkeypatch.setattr(relevance_process, "CHILD", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    kb = KnowledgeBase(offline_settings(home))
    added = kb.add([guides])
    assert len(added) == GUIDES
    assert not (home / "kb" / "relevance.json").exists()
    assert "the relevance model was not fitted" in caplog.text and "signal 9" in caplog.text
    fresh = KnowledgeBase(offline_settings(home))  # a new process fits the model itself, then answers
    assert [d.doc_id for d in fresh.list()][-GUIDES:] == [d.doc_id for d in added]
    brand, product = brand_and_product((guides / "brand_003.md").read_text(encoding="utf-8"))
    docs = [p.doc for p in fresh.search(QUESTIONS[0].format(brand=brand, product=product)).passages]
    assert "brand_003" in docs


# A process that searches while another writer's version still needs its relevance model (so a
# background thread fits it), then exits at once. The atexit hook registered first runs last.
_EXIT_WHILE_FITTING = textwrap.dedent("""
    import atexit, sys, threading
    from pathlib import Path
    sys.path.insert(0, {root!r})
    atexit.register(lambda: print("alive at exit:", [t.name for t in threading.enumerate()
                                                     if t.name == "cehua-relevance-fit"], flush=True))
    from knowledge.base import KnowledgeBase, Progress
    from knowledge.build import IndexWriter
    from tests.knowledge.conftest import offline_settings
    kb = KnowledgeBase(offline_settings(Path({home!r})))
    kb.search("满减优惠怎么设置")
    IndexWriter(kb.settings, kb.paths).add([Path({guides!r})], Progress())  # a writer that fits nothing
    assert kb.search("满减优惠怎么设置").passages
    print("fitting:", [t.name for t in threading.enumerate() if t.name == "cehua-relevance-fit"], flush=True)
""")


def test_exit_while_a_background_fit_runs_stops_it_first(built_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    guides = _write_guides(tmp_path / "guides", GUIDES)
    code = _EXIT_WHILE_FITTING.format(root=str(REPO_ROOT), home=str(home), guides=str(guides))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "fitting: ['cehua-relevance-fit']" in done.stdout
    assert "alive at exit: []" in done.stdout
    assert "Traceback" not in done.stderr
    stored = home / "kb" / "relevance.json"
    assert not stored.exists() or json.loads(stored.read_text(encoding="utf-8"))["fingerprint"]
