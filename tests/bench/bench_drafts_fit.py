"""Do drafts fit their requests? Every complete labelled request (tests/data/requests.jsonl, each with its
own CEHUA_TODAY) drafted offline against the bundled guidebooks, then judged as the issue judges:
no error finding after re-parsing; the request's product/mechanic/channel words in the plan body; no
date before today; the mean Jaccard overlap of cited sections between drafts of different requests;
time per plan.

    python tests/bench/bench_drafts_fit.py [REQUESTS.jsonl] [--split dev|test|all] [-v]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from assistant.briefs import parse_request  # noqa: E402
from assistant.briefs.evaluate import read_requests  # noqa: E402
from assistant.drafting import draft_plan  # noqa: E402
from assistant.validators import plan_template, validate_plan  # noqa: E402
from core.errors import BriefError  # noqa: E402
from core.plan.markdown import parse_plan  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.text.dates import find_dates  # noqa: E402
from knowledge import open_knowledge_base  # noqa: E402


def _body(markdown: str) -> str:
    return markdown.split("\n## 参考资料")[0].split("\n## 參考資料")[0].split("\n## References")[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "data" / "requests.jsonl"))
    parser.add_argument("--split", default="all")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    cases = [c for c in read_requests(Path(args.file)) if args.split in ("all", c.split)]
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))  # type: ignore[call-arg]
        kb = open_knowledge_base(settings)
        kb.ensure_ready()
        kb.search("预热", 1)
        cited: list[set[str]] = []
        counts: collections.Counter[str] = collections.Counter()
        times: list[float] = []
        clean = words_ok = words_all = past = 0
        for case in cases:
            os.environ["CEHUA_TODAY"] = case.today.isoformat()
            try:
                brief = parse_request(case.text, today=case.today)
            except BriefError:
                continue
            if brief.missing() or case.expect.get("error"):
                continue
            started = time.perf_counter()
            try:
                result = draft_plan(brief, retriever=kb, model=None, settings=settings)
            except BriefError as exc:
                print(f"  {case.id}: refused: {exc}")
                continue
            times.append(time.perf_counter() - started)
            # Judged as `cehua validate` judges a plan: the template its title and headings fit best.
            template = plan_template(parse_plan(result.plan_markdown))
            parsed = parse_plan(result.plan_markdown, template)
            errors = [f.code for f in validate_plan(parsed, brief, template) if f.severity == "error"]
            if template.name != result.template:
                print(f"  {case.id}: drafted on the {result.template} template, validated as {template.name}")
            clean += not errors
            body = _body(result.plan_markdown).lower()
            missing_words = [w for w in case.words if w.lower() not in body]
            words_all += len(case.words)
            words_ok += len(case.words) - len(missing_words)
            dates = [m.start for m in find_dates(result.plan_markdown, case.today.year, dots=False)]
            early = [d for d in dates if d < case.today]
            past += bool(early)
            cited.append({f"{c.doc}#{c.section}" for c in result.citations})
            for c in result.citations:
                counts[f"{c.doc[:3]}#{c.section}"] += 1
            if args.verbose or errors or missing_words or early:
                print(f"  {case.id}: {times[-1]:.2f}s errors={errors} missing words={missing_words} "
                      f"dates before today={sorted(set(early))[:3]} kind={result.kind}")
        pairs = [len(a & b) / len(a | b) for a, b in itertools.combinations(cited, 2) if a | b]
        if args.verbose:
            for section, n in counts.most_common(12):
                print(f"    cited by {n} drafts: {section}")
        print(f"drafts: {len(times)}; with no error: {clean}/{len(times)}")
        print(f"request words in the plan body: {words_ok}/{words_all} ({words_ok / max(1, words_all):.1%})")
        print(f"plans with a date before today: {past}")
        print(f"mean Jaccard of cited sections between drafts: {statistics.mean(pairs) if pairs else 0:.2f}")
        print(f"time per plan: first {times[0]:.2f}s, median {statistics.median(times[1:]):.2f}s, "
              f"max {max(times[1:]):.2f}s")


if __name__ == "__main__":
    main()
