"""Knowledge bases that grow: add time, peak memory and query latency at scale (issue 15).

Run: ``python tests/bench/bench_kb_scale.py [--guides 10000] [--growing 3000] [--big-mb 20]``
(``--only guides|growing|big`` runs one scenario). Each scenario runs in a fresh process, so the peak
RSS it reports is that of one ``cehua``-like process doing the work:

- guides:  N synthetic guides (bundled guidebook sections recombined) added in one ``add``; query p50.
- growing: N synthetic guides with growing vocabulary (each guide has its own brand and product words),
           then one more small guide into that knowledge base; a search for the new guide's brand.
- big:     one document of ``--big-mb`` MB (guidebook text repeated with its own numbered sections); besides
           wall time it reports the add's CPU time (user+sys, every thread) and the load average, since
           wall time on a shared machine says little.

Everything runs offline in temporary data directories; nothing under the real CEHUA_HOME is touched.
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

# Han characters brand and product words are drawn from (common ones, so jieba treats them as text).
_BRAND_CHARS = "安百宝贝博采辰晨诚初创达鼎朵帆丰福富冠光禾和恒弘虹华辉汇吉佳嘉健金锦晶景久俊凯康科蓝朗乐丽莉联灵龙隆美萌米妙铭沐纳宁诺派鹏品启奇千倩清晴荣瑞森尚盛拾舒顺思泰棠天田彤拓万维伟文喜祥欣新星秀雅烨依益逸银盈优悠宇雨玉元悦越云泽真臻正之智忠卓紫"
_PRODUCT_KINDS = ["面霜", "精华液", "洗发水", "咖啡机", "运动鞋", "酸奶", "茶饮", "耳机", "背包", "口红", "牙膏", "坚果"]


def _settings(home: Path):  # type: ignore[no-untyped-def]
    from core.settings import Settings

    return Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None, chroma_url=None)


def _sections() -> list[tuple[str, str]]:
    from knowledge.base import bundled_guidebooks
    from knowledge.chunk import chunk_source

    sections: list[tuple[str, str]] = []
    for path in bundled_guidebooks():
        doc = chunk_source(path.stem, path.read_text(encoding="utf-8"), "bench")
        sections.extend((c.section.split(" > ")[-1] or doc.title, c.text) for c in doc.chunks)
    return sections


def _sentences() -> list[str]:
    import re

    out: list[str] = []
    for _, text in _sections():
        out.extend(s for s in re.findall(r"[^。！？\n]{8,}[。！？]", text))
    return out


def growing_guide(i: int, rng: random.Random, sentences: list[str], n_sentences: int = 30) -> str:
    """A guide about its own brand and product: guidebook sentences recombined, with new words."""
    brand = "".join(rng.sample(_BRAND_CHARS, 2)) + rng.choice(["坊", "记", "集", "屋", "社", "家"])
    product = "".join(rng.sample(_BRAND_CHARS, 2)) + rng.choice(_PRODUCT_KINDS)
    lines = [f"# {brand}{product}营销指南 {i:05d}", ""]
    picked = rng.sample(sentences, n_sentences)
    for n in range(0, n_sentences, 6):
        lines += [f"## {n // 6 + 1}. {product}的{rng.choice(['定位', '推广', '渠道', '定价', '活动'])}", ""]
        body = []
        for sentence in picked[n:n + 6]:
            if rng.random() < 0.4:
                sentence = sentence.replace("产品", f"{brand}{product}", 1).replace("品牌", brand, 1)
            body.append(sentence)
        body.append(f"{brand}的{product}在本季主推{rng.randint(2, 9)}款新品。")
        lines += ["".join(body), ""]
    return "\n".join(lines)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers_peak_mb() -> float:
    """The peak RSS of the largest finished child (the add's ingest workers; pages they share with
    this process, forked from it, count in both)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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
            "reader_load_s": round(load_s, 2), "query_p50_ms": round(p50, 2), "query_p95_ms": round(p95, 2),
            "peak_mb_with_queries": round(_peak_mb())}


def scenario_growing(tmp: Path, count: int) -> dict:
    from knowledge.base import KnowledgeBase

    rng = random.Random(11)
    sentences = _sentences()
    corpus = tmp / "growing"
    corpus.mkdir()
    files = []
    for i in range(count):
        path = corpus / f"brand_{i:05d}.md"
        path.write_text(growing_guide(i, rng, sentences), encoding="utf-8")
        files.append(path)
    kb = KnowledgeBase(_settings(tmp / "home"))
    kb.ensure_ready()
    start, cpu = time.perf_counter(), _cpu_s()
    kb.add(files)
    add_s, add_cpu = time.perf_counter() - start, _cpu_s() - cpu
    add_peak, workers_peak = _peak_mb(), _workers_peak_mb()
    start = time.perf_counter()
    kb.search("满减优惠怎么设置?")  # the first search after an add loads the new version (and fits what it needs)
    first_search_s = time.perf_counter() - start
    one = tmp / "one_more.md"
    text = growing_guide(count, random.Random(999), sentences, n_sentences=30)
    one.write_text(text, encoding="utf-8")
    brand_product = text.splitlines()[0][2:].split(" ")[0].removesuffix("营销指南")
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
    result = kb.search(f"{brand_product}的定位", k=5)  # the first search sees the new version
    search_after_s = time.perf_counter() - start
    found = bool(result.passages) and result.passages[0].doc == "one_more"
    return {"scenario": f"{count} growing-vocabulary guides", "chunks": sum(d.chunks for d in kb.list()),
            "add_s": round(add_s, 1), "add_cpu_s": round(add_cpu, 1), "peak_mb": round(add_peak),
            "workers_peak_mb": round(workers_peak), "one_more_add_s": round(one_add_s, 2),
            "first_search_s": round(first_search_s, 2), "one_more_process_s": round(one_process_s, 2),
            "first_search_after_one_more_s": round(search_after_s, 2),
            "new_guide_found": found}


def scenario_big(tmp: Path, megabytes: int) -> dict:
    from knowledge.base import KnowledgeBase

    sections = _sections()
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
    start, cpu = time.perf_counter(), time.process_time()
    doc = kb.add([path])[0]
    add_s, add_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    add_peak = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    ok = kb.search("满减优惠怎么设置?").good_match  # the first search fits the relevance model to the new index
    search_s, search_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return {"scenario": f"one {path.stat().st_size / 1e6:.1f} MB document", "chunks": doc.chunks,
            "add_s": round(add_s, 1), "add_cpu_s": round(add_cpu_s, 1), "peak_mb": round(add_peak),
            "peak_mb_before_add": round(ready_mb), "load_1min": round(max(load, os.getloadavg()[0]), 1),
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
