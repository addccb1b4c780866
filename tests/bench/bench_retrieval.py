"""Retrieval benchmark: naive baseline vs Cehua on the dev set (and recall on the held-out and planner-phrased
dev sets), build times, query latency, peak memory.

Run: ``python tests/bench/bench_retrieval.py [--questions FILE] [--docs 1000] [--halves]``. Everything runs
offline in temporary data directories; nothing under the real CEHUA_HOME is touched.

The held-out and planner-phrased dev sets are also reported by half (look / hold: the parity of the SHA-1 of
an item's id, as ``bench_answers.py --dev-half``): a retrieval change is looked for on one half and judged on
the other. ``--halves`` prints only those figures (no baseline, build times or latency).
"""

from __future__ import annotations

import argparse
import json
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
from tests.paths import EVAL_QUESTIONS  # noqa: E402

DEFAULT_QUESTIONS = EVAL_QUESTIONS
HELDOUT_QUESTIONS = ROOT / "tests" / "data" / "questions_heldout.jsonl"  # our own questions, tuned on by no one
# Planner-phrased dev sets (colloquial, context first, Traditional, English; issue 8): reported when present.
PLANNER_DEV = tuple(ROOT / "tests" / "data" / f"planner_dev{n}.jsonl" for n in (5, 6, 7, 8))


def _settings(home: Path):  # type: ignore[no-untyped-def]
    from core.settings import Settings

    return Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None, chroma_url=None)


def naive_baseline(questions: list[dict], k: int = 5) -> tuple[float, float]:
    """Recall@k and MRR@10 of raw text cut every 500 characters, BM25 over jieba words."""
    import bm25s
    import jieba

    from core.text.scripts import to_simplified
    from knowledge.base import bundled_guidebooks
    from knowledge.evaluate import is_hit

    chunks: list[str] = []
    for path in bundled_guidebooks():
        text = path.read_text(encoding="utf-8")
        chunks.extend(text[i:i + 500] for i in range(0, len(text), 500))

    def tok(text: str) -> list[str]:
        return [w for w in jieba.lcut(to_simplified(text)) if w.strip()]

    index = bm25s.BM25()
    index.index([tok(c) for c in chunks], show_progress=False)
    hits = 0
    mrr = 0.0
    scored = [q for q in questions if not q.get("out_of_scope")]
    for q in scored:
        tokens = [t for t in tok(q["question"]) if t in index.vocab_dict]
        scores = index.get_scores(tokens) if tokens else [0.0] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: -scores[i])[:10]
        rank = next((r for r, i in enumerate(order, 1) if is_hit(chunks[i], q["expect_any"])), None)
        hits += int(rank is not None and rank <= k)
        mrr += 1.0 / rank if rank else 0.0
    return hits / len(scored), mrr / len(scored)


def token_modes(items: list) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    """Recall@5 and MRR@10 of Cehua with BM25 over each kind of token (jieba words, bigrams, both)."""
    import knowledge.index as index_module
    import knowledge.ingest as ingest_module
    from knowledge.base import KnowledgeBase
    from knowledge.evaluate import evaluate_retrieval

    scores = {}
    default = index_module.DEFAULT_MODE
    try:
        for mode in ("words", "bigrams", "both"):
            ingest_module.DEFAULT_MODE = index_module.DEFAULT_MODE = mode  # type: ignore[assignment]
            with tempfile.TemporaryDirectory() as home:
                report = evaluate_retrieval(KnowledgeBase(_settings(Path(home))), items, k=5)
            scores[mode] = (report.recall_at_k, report.mrr_at_10)
    finally:
        ingest_module.DEFAULT_MODE = index_module.DEFAULT_MODE = default
    return scores


def halves(kb) -> list[str]:  # type: ignore[no-untyped-def]
    """Recall@5 and MRR@10 of the held-out and planner dev sets, whole and by look / hold half."""
    from knowledge.evaluate import evaluate_retrieval, read_eval_file
    from tests.bench.bench_answers import HALVES, in_half

    lines = [f"{'':28}{'whole':>16}{'look':>16}{'hold':>16}   (recall@5 / MRR@10)"]
    for path in (HELDOUT_QUESTIONS, *PLANNER_DEV):
        if not path.exists():
            continue
        items = [i for i in read_eval_file(path) if not i.out_of_scope]
        parts = [items, *([i for i in items if in_half(i.id, half)] for half in HALVES)]
        figures = []
        for part in parts:
            report = evaluate_retrieval(kb, part, k=5)
            figures.append(f"{report.recall_at_k:.3f} / {report.mrr_at_10:.3f}".rjust(16))
        lines.append(f"{path.stem + f' ({len(parts[1])}+{len(parts[2])})':28}{''.join(figures)}")
    return lines


def cold_build_seconds() -> float:
    """Seconds for a fresh process to import Cehua and index the bundled guidebooks."""
    with tempfile.TemporaryDirectory() as home:
        code = (
            "import time; t=time.perf_counter(); from knowledge.base import KnowledgeBase;"
            "from core.settings import Settings;"
            f"KnowledgeBase(Settings(home={home!r}, openai_api_key=None, embedding_model=None,"
            " chroma_url=None)).ensure_ready(); print(time.perf_counter()-t)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        return float(out.stdout.strip().splitlines()[-1])


def latency_ms(kb, queries: list[str], rounds: int = 5) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """p50 and p95 of in-process ``search(q, k=5)`` in milliseconds."""
    kb.search(queries[0], k=5)
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            kb.search(q, k=5)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def synthetic_corpus(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` Markdown guides, each a random recombination of bundled guidebook sections."""
    from knowledge.base import bundled_guidebooks
    from knowledge.chunk import chunk_source

    sections: list[tuple[str, str]] = []
    for path in bundled_guidebooks():
        doc = chunk_source(path.stem, path.read_text(encoding="utf-8"), "bench")
        sections.extend((c.section.split(" > ")[-1] or doc.title, c.text) for c in doc.chunks)
    rng = random.Random(seed)
    files = []
    for i in range(count):
        picked = rng.sample(sections, k=min(len(sections), rng.randint(6, 18)))
        body = [f"# 合成营销指南 {i:04d}", ""]
        for n, (heading, text) in enumerate(picked, 1):
            body += [f"## {n}. {heading}", "", text, ""]
        path = directory / f"synthetic_{i:04d}.md"
        path.write_text("\n".join(body), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--halves", action="store_true", help="only the dev sets' figures, whole and by half")
    args = parser.parse_args()
    os.environ.pop("OPENAI_API_KEY", None)
    if args.halves:
        from knowledge.base import KnowledgeBase

        with tempfile.TemporaryDirectory() as tmp:
            kb = KnowledgeBase(_settings(Path(tmp)))
            kb.ensure_ready()
            print("\n".join(halves(kb)))
        return

    from knowledge.base import KnowledgeBase
    from knowledge.evaluate import evaluate_retrieval, read_eval_file

    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = read_eval_file(args.questions)
    query_texts = [q["question"] for q in questions]

    base_recall, base_mrr = naive_baseline(questions)
    modes = token_modes(items)
    cold = cold_build_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "bundled"
        kb = KnowledgeBase(_settings(home))
        start = time.perf_counter()
        kb.ensure_ready()
        warm_build = time.perf_counter() - start
        report = evaluate_retrieval(kb, items, k=5)
        heldout = evaluate_retrieval(kb, read_eval_file(HELDOUT_QUESTIONS), k=5) if HELDOUT_QUESTIONS.exists() else None
        planner = {path.stem: evaluate_retrieval(kb, read_eval_file(path), k=5) for path in PLANNER_DEV if path.exists()}
        half_lines = halves(kb)
        chunks_small = sum(d.chunks for d in kb.list())
        p50_small, p95_small = latency_ms(kb, query_texts)

        corpus_dir = Path(tmp) / "synthetic"
        corpus_dir.mkdir()
        files = synthetic_corpus(corpus_dir, args.docs)
        big = KnowledgeBase(_settings(Path(tmp) / "big"))
        big.ensure_ready()
        start = time.perf_counter()
        big.add(files)
        add_seconds = time.perf_counter() - start
        start = time.perf_counter()
        big.rebuild()
        rebuild_seconds = time.perf_counter() - start
        chunks_big = sum(d.chunks for d in big.list())
        p50_big, p95_big = latency_ms(big, query_texts, rounds=3)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':28}{'recall@5':>10}{'MRR@10':>10}")
    print(f"{'naive (500 chars, jieba BM25)':28}{base_recall:>10.3f}{base_mrr:>10.3f}")
    print(f"{'cehua (sections, hybrid)':28}{report.recall_at_k:>10.3f}{report.mrr_at_10:>10.3f}")
    for mode, (recall, mrr) in modes.items():
        print(f"{'  BM25 tokens: ' + mode:28}{recall:>10.3f}{mrr:>10.3f}")
    if heldout is not None:
        print(f"{'cehua on held-out set':28}{heldout.recall_at_k:>10.3f}{heldout.mrr_at_10:>10.3f}  "
              f"(good_match on in-scope {heldout.good_match_rate:.3f}; "
              f"out-of-scope abstained {heldout.abstained}/{heldout.out_of_scope})")
    for name, planned in planner.items():
        print(f"{'cehua on ' + name:28}{planned.recall_at_k:>10.3f}{planned.mrr_at_10:>10.3f}")
    print("\n".join(half_lines))
    print(f"cehua good_match on in-scope: {report.good_match_rate:.3f}; "
          f"out-of-scope abstained: {report.abstained}/{report.out_of_scope}")
    print()
    print(f"bundled corpus: {chunks_small} chunks; cold build (new process, imports included) {cold:.2f} s; "
          f"in-process build {warm_build:.2f} s")
    print(f"bundled corpus: query p50 {p50_small:.2f} ms, p95 {p95_small:.2f} ms")
    print(f"{args.docs}-document corpus: {chunks_big} chunks; add {add_seconds:.1f} s; full rebuild {rebuild_seconds:.1f} s")
    print(f"{args.docs}-document corpus: query p50 {p50_big:.2f} ms, p95 {p95_big:.2f} ms")
    print(f"peak memory (this process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
