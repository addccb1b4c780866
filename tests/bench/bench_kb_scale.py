"""Knowledge bases that grow: add time, peak memory and query latency at scale (issue 15).

Run: ``python tests/bench/bench_kb_scale.py [--guides 10000] [--growing 3000] [--big-mb 20]``
(``--only guides|growing|big`` runs one scenario). Each scenario runs in a fresh process, so the peak
RSS it reports (``peak_mb``) is that of one ``cehua``-like process doing the work; the processes it
starts report their own: ``workers_peak_mb`` the largest finished child (ingest workers or the fit),
``fit_process_peak_mb`` the process that fitted the relevance model of a large index (0: none ran).
CPU times count this process and its children:

- guides:  N synthetic guides (bundled guidebook sections recombined) added in one ``add``; query p50.
- growing: N synthetic guides with growing vocabulary (each guide has its own brand and product words;
           ``tests/guides.py``), the first search in a fresh process, then one more small guide into that
           knowledge base and six questions about it (how many find it in the top 5, how many first).
- big:     one document of ``--big-mb`` MB (guidebook text repeated with its own numbered sections); besides
           wall time it reports the add's CPU time (user+sys, every thread) and the load average, since
           wall time on a shared machine says little.

Everything runs offline in temporary data directories; nothing under the real CEHUA_HOME is touched.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.guides import (  # noqa: E402
    QUESTIONS,
    brand_and_product,
    growing_guide,
    guidebook_sections,
    guidebook_sentences,
)


def _settings(home: Path):  # type: ignore[no-untyped-def]
    from core.settings import Settings

    return Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None, chroma_url=None)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers_peak_mb() -> float:
    """The peak RSS of the largest finished child (the add's ingest workers; pages they share with
    this process, forked from it, count in both)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class _FitProcess(logging.Handler):
    """The peak RSS of the process that fitted the relevance model apart from the adding one
    (``knowledge/relevance_process.py`` logs it); 0 when the add fitted none."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.peak_mb = 0.0
        logger = logging.getLogger("knowledge.relevance_process")
        logger.setLevel(logging.INFO)
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.peak_mb = max(self.peak_mb, float(getattr(record, "peak_mb", 0.0)))


def _cpu_s() -> float:
    """CPU seconds (user + system) this process and its finished children (the add's ingest workers)
    have used: unlike wall time, not stretched by a busy machine."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                                                 resource.RUSAGE_CHILDREN)))


def _latency_ms(kb, queries: list[str], rounds: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    kb.search(queries[0], k=5)
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            kb.search(q, k=5)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _queries() -> list[str]:
    from tests.paths import EVAL_QUESTIONS

    lines = EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def scenario_guides(tmp: Path, count: int) -> dict:
    from knowledge.base import KnowledgeBase
    from tests.bench.bench_retrieval import synthetic_corpus

    corpus = tmp / "guides"
    corpus.mkdir()
    files = synthetic_corpus(corpus, count)
    kb = KnowledgeBase(_settings(tmp / "home"))
    kb.ensure_ready()
    fit = _FitProcess()
    start, cpu = time.perf_counter(), _cpu_s()
    kb.add(files)
    add_s, add_cpu = time.perf_counter() - start, _cpu_s() - cpu
    add_peak = _peak_mb()
    chunks = sum(d.chunks for d in kb.list())
    fresh = KnowledgeBase(_settings(tmp / "home"))  # a reader that loads the index from disk
    start = time.perf_counter()
    fresh.search("满减优惠怎么设置?")
    load_s = time.perf_counter() - start
    p50, p95 = _latency_ms(fresh, _queries())
    return {"scenario": f"{count} guides", "chunks": chunks, "add_s": round(add_s, 1), "add_cpu_s": round(add_cpu, 1),
            "peak_mb": round(add_peak), "workers_peak_mb": round(_workers_peak_mb()),
            "fit_process_peak_mb": round(fit.peak_mb), "reader_load_s": round(load_s, 2), "query_p50_ms": round(p50, 2), "query_p95_ms": round(p95, 2),
            "peak_mb_with_queries": round(_peak_mb())}


def _first_search_in_new_process(home: Path, query: str) -> float:
    """Seconds the first search of a fresh process takes (imports and loading the index excluded)."""
    code = (f"import sys,time; sys.path.insert(0, {str(ROOT)!r}); from tests.bench.bench_kb_scale import _settings;"
            "from knowledge.base import KnowledgeBase; from pathlib import Path;"
            f"kb = KnowledgeBase(_settings(Path({str(home)!r}))); kb.loaded(); t = time.perf_counter(); kb.search({query!r});"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def scenario_growing(tmp: Path, count: int) -> dict:
    from knowledge.base import KnowledgeBase

    rng = random.Random(11)
    sentences = guidebook_sentences()
    corpus = tmp / "growing"
    corpus.mkdir()
    files = []
    for i in range(count):
        path = corpus / f"brand_{i:05d}.md"
        path.write_text(growing_guide(i, rng, sentences), encoding="utf-8")
        files.append(path)
    kb = KnowledgeBase(_settings(tmp / "home"))
    kb.ensure_ready()
    fit = _FitProcess()
    start, cpu = time.perf_counter(), _cpu_s()
    kb.add(files)
    add_s, add_cpu = time.perf_counter() - start, _cpu_s() - cpu
    add_peak, workers_peak = _peak_mb(), _workers_peak_mb()
    first_search_new_process_s = _first_search_in_new_process(tmp / "home", "满减优惠怎么设置?")
    start = time.perf_counter()
    kb.search("满减优惠怎么设置?")  # the first search after an add loads the new version (and fits what it needs)
    first_search_s = time.perf_counter() - start
    one = tmp / "one_more.md"
    text = growing_guide(count, random.Random(999), sentences, n_sentences=30)
    one.write_text(text, encoding="utf-8")
    brand, product = brand_and_product(text)
    # A separate process adds the small guide, as `cehua kb add one_more.md` would.
    code = ("import sys,time; sys.path.insert(0, {!r}); from tests.bench.bench_kb_scale import _settings;"
            "from knowledge.base import KnowledgeBase; from pathlib import Path;"
            "kb = KnowledgeBase(_settings(Path({!r}))); t = time.perf_counter(); kb.add([Path({!r})]);"
            "print(time.perf_counter() - t)").format(str(ROOT), str(tmp / "home"), str(one))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    one_process_s = time.perf_counter() - start
    one_add_s = float(out.stdout.strip().splitlines()[-1])
    start = time.perf_counter()
    ranks = []
    search_after_s = 0.0
    for n, template in enumerate(QUESTIONS):  # the first search sees the new version
        docs = [p.doc for p in kb.search(template.format(brand=brand, product=product), k=5).passages]
        ranks.append(docs.index("one_more") + 1 if "one_more" in docs else None)
        if n == 0:
            search_after_s = time.perf_counter() - start
    return {"scenario": f"{count} growing-vocabulary guides", "chunks": sum(d.chunks for d in kb.list()),
            "add_s": round(add_s, 1), "add_cpu_s": round(add_cpu, 1), "peak_mb": round(add_peak),
            "workers_peak_mb": round(workers_peak), "fit_process_peak_mb": round(fit.peak_mb),
            "one_more_add_s": round(one_add_s, 2),
            "first_search_s": round(first_search_s, 2),
            "first_search_new_process_s": round(first_search_new_process_s, 2),
            "one_more_process_s": round(one_process_s, 2),
            "first_search_after_one_more_s": round(search_after_s, 2),
            # Questions about the new guide (tests/guides.py QUESTIONS) with one of its chunks in the top 5 / first.
            "new_guide_in_top5": f"{sum(r is not None for r in ranks)}/{len(ranks)}",
            "new_guide_first": f"{sum(r == 1 for r in ranks)}/{len(ranks)}"}


def scenario_big(tmp: Path, megabytes: int) -> dict:
    from knowledge.base import KnowledgeBase

    sections = guidebook_sections()
    target = megabytes * 1000 * 1000
    path = tmp / "big.md"
    size = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# 超大营销手册\n\n")
        n = 0
        while size < target:
            heading, text = sections[n % len(sections)]
            block = f"## {n + 1}. {heading}\n\n{text}\n\n"
            handle.write(block)
            size += len(block.encode("utf-8"))
            n += 1
    kb = KnowledgeBase(_settings(tmp / "home"))
    kb.ensure_ready()
    ready_mb = _peak_mb()
    load = os.getloadavg()[0]
    fit = _FitProcess()
    start, cpu = time.perf_counter(), _cpu_s()
    doc = kb.add([path])[0]
    add_s, add_cpu_s = time.perf_counter() - start, _cpu_s() - cpu
    add_peak = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    ok = kb.search("满减优惠怎么设置?").good_match  # the first search fits the relevance model to the new index
    search_s, search_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return {"scenario": f"one {path.stat().st_size / 1e6:.1f} MB document", "chunks": doc.chunks,
            "add_s": round(add_s, 1), "add_cpu_s": round(add_cpu_s, 1), "peak_mb": round(add_peak),
            "fit_process_peak_mb": round(fit.peak_mb), "peak_mb_before_add": round(ready_mb), "load_1min": round(max(load, os.getloadavg()[0]), 1),
            "search_ok": ok, "first_search_s": round(search_s, 1), "first_search_cpu_s": round(search_cpu_s, 1),
            "peak_mb_with_search": round(_peak_mb())}


def _run_child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        return {"scenario": " ".join(args), "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guides", type=int, default=10000)
    parser.add_argument("--growing", type=int, default=3000)
    parser.add_argument("--big-mb", type=int, default=20)
    parser.add_argument("--only", choices=["guides", "growing", "big"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop("OPENAI_API_KEY", None)
    if args.child:
        # A search may have left the relevance fit running in a background thread (knowledge/retriever.py),
        # still writing into the data directory as it is deleted.
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            if args.only == "guides":
                result = scenario_guides(Path(tmp), args.guides)
            elif args.only == "growing":
                result = scenario_growing(Path(tmp), args.growing)
            else:
                result = scenario_big(Path(tmp), args.big_mb)
        print(json.dumps(result, ensure_ascii=False))
        return
    common = ["--guides", str(args.guides), "--growing", str(args.growing), "--big-mb", str(args.big_mb)]
    for scenario in [args.only] if args.only else ["guides", "growing", "big"]:
        print(json.dumps(_run_child([*common, "--only", scenario, "--child"]), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
