"""Chat latency: offline answers, first streamed chunk, and Cehua's own overhead around a model.

    python tests/bench/bench_chat.py [--rounds 3]

Uses the bundled guidebooks indexed under CEHUA_HOME (a temporary directory when unset) and,
for the model path, the fake OpenAI-compatible server on loopback with the real client stack.
"Overhead" is the whole answer time minus the time spent waiting inside the model's stream.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.paths import EVAL_QUESTIONS  # noqa: E402

DEV_SET = EVAL_QUESTIONS
HELDOUT_SET = ROOT / "tests" / "data" / "questions_heldout.jsonl"  # our own questions, tuned on by no one
FALLBACK_QUESTIONS = ["活动预算一般包括哪些费用?", "价格促销具体有哪些手段?", "市场细分有哪几种方法?",
                      "活动进度要多长时间监控一次?", "怎么给电动车办理年检?"]


class TimedModel:
    """Wraps a chat model and adds up the time spent waiting for its chunks."""

    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.model = model
        self.name = model.name
        self.waited = 0.0

    def stream(self, messages) -> Iterator[str]:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        iterator = iter(self.model.stream(messages))
        self.waited += time.perf_counter() - started
        while True:
            started = time.perf_counter()
            try:
                chunk = next(iterator)
            except StopIteration:
                self.waited += time.perf_counter() - started
                return
            self.waited += time.perf_counter() - started
            yield chunk


def _questions() -> list[str]:
    if DEV_SET.exists():
        return [json.loads(line)["question"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line]
    return FALLBACK_QUESTIONS


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"p50 {statistics.median(values) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   (n={len(values)})"


def _quality(offline) -> None:  # type: ignore[no-untyped-def]
    """Offline answer quality on the dev and held-out sets, side by side."""
    from assistant.chat.evaluate import evaluate_answers
    from knowledge.evaluate import read_eval_file

    print(f"{'offline answers':16}{'hit rate':>10}{'wrong abstention':>18}{'out of scope abstained':>24}{'p50':>8}")
    for name, path in (("dev", DEV_SET), ("held-out", HELDOUT_SET)):
        if not path.exists():
            continue
        report = evaluate_answers(offline, read_eval_file(path))
        abstained = f"{report.abstained_out_of_scope}/{report.out_of_scope}"
        print(f"{name + f' ({report.in_scope})':16}{report.hit_rate:>10.3f}{report.wrong_abstention_rate:>18.3f}"
              f"{abstained:>24}{report.p50_seconds * 1000:>6.1f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    home = os.environ.get("CEHUA_HOME") or tempfile.mkdtemp(prefix="cehua-bench-")
    os.environ["CEHUA_HOME"] = home
    state = tempfile.mkdtemp(prefix="cehua-bench-state-")

    from assistant.chat import ChatService
    from assistant.llm.openai_chat import OpenAIChatModel
    from core.settings import Settings
    from knowledge import open_knowledge_base
    from tests.fakes import FakeOpenAIServer

    settings = Settings(home=Path(home), database_url=f"sqlite:///{state}/bench.db")
    started = time.perf_counter()
    kb = open_knowledge_base(settings)
    kb.ensure_ready()
    print(f"knowledge base ready in {time.perf_counter() - started:.1f} s ({home})")
    questions = _questions()

    offline = ChatService(settings, kb)
    offline.ask(questions[0])  # warm caches (segmenter, index, database)
    retrieval, answers, first_chunks = [], [], []
    for _ in range(args.rounds):
        for question in questions:
            t0 = time.perf_counter()
            kb.search(question, 5)
            retrieval.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            offline.ask(question)
            answers.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            events = offline.stream(question)
            next(events)
            first_chunks.append(time.perf_counter() - t0)
            for _event in events:
                pass
    print(f"retrieval alone            {_ms(retrieval)}")
    print(f"offline answer (ask)       {_ms(answers)}")
    print(f"offline first stream chunk {_ms(first_chunks)}")
    _quality(offline)

    with FakeOpenAIServer() as server:
        model_settings = settings.model_copy(update={"openai_api_key": server.api_key,
                                                     "openai_base_url": server.base_url})
        timed = TimedModel(OpenAIChatModel(model_settings))
        service = ChatService(model_settings, kb, timed)
        service.ask(questions[0])
        totals, overheads = [], []
        for _ in range(args.rounds):
            for question in questions:
                timed.waited = 0.0
                t0 = time.perf_counter()
                service.ask(question)
                total = time.perf_counter() - t0
                totals.append(total)
                overheads.append(total - timed.waited)
    print(f"model answer, fake server  {_ms(totals)}")
    print(f"Cehua overhead with model  {_ms(overheads)}  (retrieval included)")


if __name__ == "__main__":
    main()
