"""Cold-start benchmark: wall time and peak memory of a new ``cehua`` process on an index already built.

Each command runs in a fresh interpreter, as a planner at a terminal runs it: ``cehua ask`` (one question),
``cehua search``, ``cehua validate`` (a plan from tests/data/plans) and ``cehua serve`` until ``/readyz``
answers 200. Every command is run ``--runs`` times; the median wall time, the median CPU time (user +
system: what the process itself costs, steadier than wall time on a machine others load) and the median
peak RSS (the process's high-water mark, ``ru_maxrss`` from ``wait4``; for serve the high-water mark of
the server and its children, read from /proc before it is stopped) are printed. The home is built once first (not timed).

``--answers FILE`` instead writes, for ``--questions N`` questions of tests/data (the first N of the dev
and planner sets, in a fixed order), the answer and its citations as JSON lines, all in one process: run it
before and after a change and ``cmp`` the two files to show answers are byte-identical.

    nice -n 10 python tests/bench/bench_cold.py --runs 5
    nice -n 10 python tests/bench/bench_cold.py --answers /tmp/before.jsonl --questions 300
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.processes import ServerProcess, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
QUESTION = "活动预算一般包括哪些费用?"
PLAN = DATA / "eval" / "plans" / "d01_clean_midautumn.md"
# The sets the byte-identity check reads, in this order (each line a JSON object with "question").
ANSWER_SETS = ["eval/questions_dev.jsonl", "planner_dev19.jsonl", "trad_dev.jsonl", "english_dev9.jsonl",
               "planner_dev26c.jsonl", "planner_dev26f.jsonl", "planner_dev18.jsonl", "planner_dev26w.jsonl"]


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "CEHUA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for name in ("OPENAI_API_KEY", "CEHUA_OPENAI_API_KEY", "CEHUA_DATABASE_URL", "CEHUA_CHROMA_URL"):
        env.pop(name, None)
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", *args]


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Seconds, CPU seconds (user + system), peak RSS in MB and exit code of one run of ``args`` in a new
    process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def _tree_hwm_mb(pid: int) -> float:
    """The summed peak RSS (VmHWM) of ``pid`` and its children, in MB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_once(home: Path) -> tuple[float, float, float, int]:
    """Seconds until ``/readyz`` answers 200, the server's CPU seconds and peak RSS (MB) then."""
    port = free_port()
    server = ServerProcess(_cli("serve", "--port", str(port), "--log-level", "warning"), _env(home), port,
                           home / f"serve-{port}.log")
    try:
        seconds = server.wait_for("/readyz", timeout=300, poll=0.02)
        return seconds, _tree_cpu_s(server.proc.pid), _tree_hwm_mb(server.proc.pid), 0
    finally:
        server.stop()


def commands(plan: Path) -> dict[str, list[str]]:
    return {
        "ask": _cli("ask", QUESTION),
        "search": _cli("search", "--json", "-k", "5", "预算一般包括哪些费用"),
        "validate": _cli("validate", str(plan), "--json"),
    }


def bench(runs: int, only: list[str]) -> dict[str, dict[str, float]]:
    report: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="cehua-cold-") as tmp:
        home = Path(tmp)
        env = _env(home)
        subprocess.run(_cli("kb", "rebuild"), env=env, check=True, stdout=subprocess.DEVNULL)
        # One ask fits what the first search fits and stores (the relevance model), so runs after it are
        # the cold start of an installed Cehua, not its first-ever question.
        subprocess.run(_cli("ask", QUESTION), env=env, check=True, stdout=subprocess.DEVNULL)
        targets = {**commands(PLAN), "serve": []}
        for name, args in targets.items():
            if only and name not in only:
                continue
            times, cpus, peaks = [], [], []
            for _ in range(runs):
                seconds, cpu, peak, code = serve_once(home) if name == "serve" else run_once(args, env)
                if name != "validate" and code != 0:
                    raise SystemExit(f"cehua {name} exited with {code}")
                times.append(seconds)
                cpus.append(cpu)
                peaks.append(peak)
            report[name] = {"median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
                            "median_cpu_s": round(statistics.median(cpus), 2),
                            "median_rss_mb": round(statistics.median(peaks)), "runs": runs}
            print(f"cehua {name:9s} median {report[name]['median_s']:6.2f} s (min {report[name]['min_s']:.2f}) "
                  f"cpu {report[name]['median_cpu_s']:6.2f} s  peak RSS {report[name]['median_rss_mb']:5d} MB  [{runs} runs]", flush=True)
    return report


def answer_questions(limit: int) -> list[str]:
    asked: list[str] = []
    for name in ANSWER_SETS:
        path = DATA / name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line).get("question")
                if question and question not in asked:
                    asked.append(question)
    return asked[:limit]


def dump_answers(out: Path, limit: int) -> None:
    """Answers and citations of ``limit`` questions, one JSON line each, from one process."""
    from assistant.chat import ChatService
    from core.settings import get_settings
    from knowledge import open_knowledge_base

    settings = get_settings()
    service = ChatService(settings, open_knowledge_base(settings), None)
    with out.open("w", encoding="utf-8") as f:
        for question in answer_questions(limit):
            reply = service.ask(question)
            row = {"q": question, "answer": reply.answer, "grounded": reply.grounded,
                   "citations": [[c.n, c.doc, c.section, c.text] for c in reply.citations]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Cold start of cehua ask/search/validate/serve.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated: ask,search,validate,serve")
    parser.add_argument("--json", action="store_true", help="print the report as JSON at the end")
    parser.add_argument("--answers", type=Path, help="write answers of --questions questions here instead")
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    if args.answers:
        dump_answers(args.answers, args.questions)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f}  cpus: {os.cpu_count()}", flush=True)
    report = bench(args.runs, [n for n in args.only.split(",") if n])
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
