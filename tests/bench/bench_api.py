"""API benchmark: cold start, /v1/search latency and throughput, first SSE token of an offline answer.

    python tests/bench/bench_api.py [--requests 2000] [--concurrency 4] [--json]

Everything runs on loopback against real ``cehua serve`` processes (one worker) in a throwaway
CEHUA_HOME; load comes from ``tests/bench/loadgen.py`` (bounded in count and time). Targets:
cold start to /healthz 200 < 5 s (index built), /v1/search p50 < 10 ms and >= 200 req/s with one
worker, first SSE token < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.bench.loadgen import run_load  # noqa: E402
from tests.paths import EVAL_QUESTIONS  # noqa: E402
from tests.processes import ServerProcess, free_port  # noqa: E402

QUESTIONS = EVAL_QUESTIONS
FALLBACK_QUESTIONS = ["预算一般包括哪些费用?", "价格促销有哪些手段?", "活动风险有哪些?", "如何评估活动效果?"]


class Server(ServerProcess):
    """``cehua serve`` with a throwaway home and no model or external state configured."""

    def __init__(self, home: Path, workers: int = 1) -> None:
        port = free_port()
        env = {**os.environ, "CEHUA_HOME": str(home)}
        for name in ("OPENAI_API_KEY", "CEHUA_OPENAI_API_KEY", "CEHUA_DATABASE_URL", "CEHUA_CHROMA_URL"):
            env.pop(name, None)
        cehua = Path(sys.executable).parent / "cehua"
        super().__init__([str(cehua), "serve", "--port", str(port), "--workers", str(workers),
                          "--log-level", "warning"], env, port, home / f"serve-{port}.log")

    def wait_for(self, path: str = "/readyz", timeout: float = 120, poll: float = 0.01) -> float:
        return super().wait_for(path, timeout, poll)


def questions() -> list[str]:
    if QUESTIONS.exists():
        items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [i["question"] for i in items if not i.get("out_of_scope")]
    return FALLBACK_QUESTIONS


def first_token_times(url: str, qs: list[str]) -> tuple[list[float], list[float]]:
    """Per question: seconds to the first ``token`` event and to the ``done`` event."""
    first, done = [], []
    with httpx.Client(timeout=30) as client:
        for q in qs:
            start = time.perf_counter()
            got_first = None
            with client.stream("POST", f"{url}/v1/chat", json={"question": q, "stream": True}) as response:
                for line in response.iter_lines():
                    if got_first is None and line == "event: token":
                        got_first = time.perf_counter() - start
                    if line == "event: done":
                        done.append(time.perf_counter() - start)
            first.append(got_first if got_first is not None else float("nan"))
    return first, done


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Cehua API benchmark (loopback only).")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    args = parser.parse_args()
    report: dict[str, object] = {"cpus": os.cpu_count(), "load_avg_before": os.getloadavg()[0]}

    with tempfile.TemporaryDirectory(prefix="cehua-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        # 1. First-ever start: `cehua serve` builds the bundled index before serving.
        server = Server(home)
        try:
            report["first_start_healthz_s"] = round(server.wait_for("/healthz"), 2)
            report["first_start_readyz_s"] = round(server.wait_for("/readyz"), 2)
        finally:
            server.stop()

        # 2. Cold start with the index already built.
        server = Server(home)
        try:
            report["cold_start_healthz_s"] = round(server.wait_for("/healthz"), 2)
            report["cold_start_readyz_s"] = round(server.wait_for("/readyz"), 2)

            # 3. /v1/search with one worker: latency (1 connection) and throughput (N connections).
            body = json.dumps({"query": "价格促销具体有哪些手段?", "k": 5}, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json"}
            search = f"{server.url}/v1/search"
            asyncio.run(run_load(search, body=body, headers=headers, concurrency=2, requests=100))
            latency = asyncio.run(run_load(search, body=body, headers=headers, concurrency=1,
                                           requests=min(500, args.requests), max_seconds=30))
            load = asyncio.run(run_load(search, body=body, headers=headers, concurrency=args.concurrency,
                                        requests=args.requests, max_seconds=60))
            report["search_no_keys_sequential"] = latency.summary()
            report["search_no_keys_concurrent"] = load.summary()

            created = subprocess.run([str(Path(sys.executable).parent / "cehua"), "keys", "create", "--name",
                                      "bench", "--rate-limit", "1000000", "--json"], capture_output=True,
                                     text=True, env={**os.environ, "CEHUA_HOME": str(home)}, check=True)
            key = json.loads(created.stdout)["key"]
            keyed = {**headers, "Authorization": f"Bearer {key}"}
            latency_k = asyncio.run(run_load(search, body=body, headers=keyed, concurrency=1,
                                             requests=min(500, args.requests), max_seconds=30))
            load_k = asyncio.run(run_load(search, body=body, headers=keyed, concurrency=args.concurrency,
                                          requests=args.requests, max_seconds=60))
            report["search_with_key_sequential"] = latency_k.summary()
            report["search_with_key_concurrent"] = load_k.summary()
            subprocess.run([str(Path(sys.executable).parent / "cehua"), "keys", "revoke", "bench"],
                           capture_output=True, env={**os.environ, "CEHUA_HOME": str(home)}, check=True)
        finally:
            server.stop()

        # 4. First SSE token of offline answers (a fresh server with no keys).
        (home / "cehua.db").unlink()
        for extra in ("cehua.db-wal", "cehua.db-shm"):
            (home / extra).unlink(missing_ok=True)
        server = Server(home)
        try:
            server.wait_for("/readyz")
            qs = questions()
            first_token_times(server.url, qs[:3])  # warm caches
            first, done = first_token_times(server.url, qs)
            report["sse_first_token_ms"] = {"n": len(first), "p50": round(pct(first, 50), 1),
                                            "p95": round(pct(first, 95), 1), "max": round(max(first) * 1000, 1),
                                            "mean": round(statistics.fmean(first) * 1000, 1)}
            report["sse_done_ms"] = {"p50": round(pct(done, 50), 1), "p95": round(pct(done, 95), 1)}
        finally:
            server.stop()
    report["load_avg_after"] = os.getloadavg()[0]

    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    s1, s2 = report["search_no_keys_sequential"], report["search_no_keys_concurrent"]
    k1, k2 = report["search_with_key_sequential"], report["search_with_key_concurrent"]
    sse = report["sse_first_token_ms"]
    print(f"machine: {report['cpus']} CPUs, load average {report['load_avg_before']:.2f} before, "
          f"{report['load_avg_after']:.2f} after")
    print(f"first-ever start (builds index): /healthz {report['first_start_healthz_s']} s, "
          f"/readyz {report['first_start_readyz_s']} s")
    print(f"cold start (index built):        /healthz {report['cold_start_healthz_s']} s  [target < 5 s], "
          f"/readyz {report['cold_start_readyz_s']} s")
    print(f"/v1/search, no keys:  p50 {s1['p50_ms']} ms p95 {s1['p95_ms']} ms (1 conn) [target p50 < 10 ms]; "
          f"{s2['rps']} req/s with {args.concurrency} conns (p50 {s2['p50_ms']} ms) [target >= 200]")
    print(f"/v1/search, with key: p50 {k1['p50_ms']} ms p95 {k1['p95_ms']} ms (1 conn); "
          f"{k2['rps']} req/s with {args.concurrency} conns (p50 {k2['p50_ms']} ms)")
    print(f"first SSE token (offline answer, {sse['n']} questions): p50 {sse['p50']} ms p95 {sse['p95']} ms "
          f"max {sse['max']} ms [target < 150 ms]; done p50 {report['sse_done_ms']['p50']} ms")


if __name__ == "__main__":
    main()
