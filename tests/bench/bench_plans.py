"""Dev eval for plans and briefs: pass/fail per shared plan and request, totals, and parse+validate speed.

    python tests/bench/bench_plans.py [EVAL_DIR] [--today 2026-11-23] [--plans-today 2026-01-01]
    python tests/bench/bench_plans.py --parts dev26 hold26      # only those labelled real-world parts
    python tests/bench/bench_plans.py --parts hold28 --show-hold  # a hold part's per-plan lines too (not by default)

The planted-error plans are 2026 campaigns written ahead of time, so they are judged as of ``--plans-today``
(CEHUA_TODAY, unless it is already set): judged from a later day, date_in_past rightly warns on all of them.
Then the labelled real-world plans (tests/data/plans/realworld, dev and the frozen test part): true findings,
false alarms, missed problems, and parse + validate time per plan, Word files included. A hold part (its name
starts with "hold") prints its totals only: its false alarms are to be judged, not read plan by plan, unless
``--show-hold`` is given (from round 28 on; val27 read hold27's only in aggregate too).

A plan passes when every ``must`` code is reported as an error, nothing outside ``must`` + ``may`` is
reported, and a clean plan (``must`` empty) gets no error. A request passes when it parses to the
expected budget and dates (``festival:端午`` = the next occurrence after today; ``*_md`` = month-day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from assistant.briefs import load_brief, next_festival, parse_request  # noqa: E402
from assistant.validation import validate_file, validate_text  # noqa: E402
from core.plan import Brief  # noqa: E402
from tests.assistant.validators.realworld import REALWORLD, report, score_part, totals  # noqa: E402
from tests.paths import EVAL_DIR  # noqa: E402


def eval_plans(plans_dir: Path) -> tuple[int, int]:
    expected = json.loads((plans_dir / "expected.json").read_text(encoding="utf-8"))
    passed = 0
    for name, want in sorted(expected.items()):
        findings = validate_text((plans_dir / name).read_text(encoding="utf-8")).findings
        errors = {f.code for f in findings if f.severity == "error"}
        reported = {f.code for f in findings}
        must, may = set(want["must"]), set(want["may"])
        ok = must <= errors and reported <= must | may and (bool(must) or not errors)
        passed += ok
        detail = "" if ok else f"  missing={sorted(must - errors)} extra={sorted(reported - must - may)}"
        print(f"{'PASS' if ok else 'FAIL'}  plan    {name:32s} reported={sorted(reported)}{detail}")
    return passed, len(expected)


def _check_request(brief: Brief, expect: dict[str, object], today: dt.date) -> list[str]:
    wrong: list[str] = []
    for key, value in expect.items():
        if key == "budget":
            if brief.budget is None or abs(brief.budget - float(value)) > 0.5:  # type: ignore[arg-type]
                wrong.append(f"budget={brief.budget} want {value}")
            continue
        field = key.removesuffix("_md")
        got: dt.date | None = getattr(brief, field)
        if isinstance(value, str) and value.startswith("festival:"):
            want = next_festival(value.split(":", 1)[1], today)
            if got != want:
                wrong.append(f"{field}={got} want {want}")
        elif key.endswith("_md"):
            if got is None or got.strftime("%m-%d") != value:
                wrong.append(f"{field}={got} want {value}")
        elif got is None or got.isoformat() != value:
            wrong.append(f"{field}={got} want {value}")
    return wrong


def eval_requests(path: Path, today: dt.date) -> tuple[int, int]:
    passed = total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        total += 1
        brief = parse_request(item["text"], today=today)
        wrong = _check_request(brief, item["expect"], today)
        passed += not wrong
        got = f"budget={brief.budget} start={brief.start} end={brief.end}"
        print(f"{'PASS' if not wrong else 'FAIL'}  request {item['id']:32s} {got}  {'; '.join(wrong)}")
    return passed, total


def eval_briefs(briefs_dir: Path) -> tuple[int, int]:
    passed = total = 0
    for path in sorted(briefs_dir.glob("*.yaml")):
        total += 1
        try:
            brief = load_brief(path)
        except Exception as exc:  # report and go on: this is a dev report, not a test
            print(f"FAIL  brief   {path.name:32s} {exc}")
            continue
        ok = not brief.missing()
        passed += ok
        print(f"{'PASS' if ok else 'FAIL'}  brief   {path.name:32s} budget={brief.budget} {brief.start}..{brief.end}")
    return passed, total


def bench_speed(plans_dir: Path, rounds: int = 20) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(plans_dir.glob("*.md"))]
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            validate_text(text)
    per_plan = (time.perf_counter() - started) / (rounds * len(texts)) * 1000
    print(f"speed: parse + validate {per_plan:.1f} ms per plan ({rounds * len(texts)} runs)")


PARTS = ("dev", "test", "test2", "dev19", "hold19", "dev23", "hold23", "dev26", "hold26", "dev27", "hold27", "dev28",
         "hold28")


def eval_realworld(parts: tuple[str, ...] = PARTS, speed: bool = True, show_hold: bool = False) -> None:
    def run(path: Path) -> tuple[str | None, list]:  # type: ignore[type-arg]
        result = validate_file(path.read_bytes(), path.name)
        return result.template.name, result.findings

    for part in parts:
        scores = score_part(part, run)
        if part.startswith("hold") and not show_hold:  # aggregates only: a hold part is judged, not read
            print(f"{part}: {totals(scores)}")
        else:
            print(report(part, scores))
    if not speed:
        return
    files = [REALWORLD / part / name for part in parts  # the labelled plans, not a part's notes (PLANTED.md)
             for name in sorted(json.loads((REALWORLD / part / "expected.json").read_text(encoding="utf-8"))["plans"])]
    data = [(p.read_bytes(), p.name) for p in files]
    first: list[float] = []
    for raw, name in data:  # each text seen for the first time: no line is in a cache yet
        started = time.perf_counter()
        validate_file(raw, name)
        first.append((time.perf_counter() - started) * 1000)
    rounds = 10
    started = time.perf_counter()
    for _ in range(rounds):
        for raw, name in data:
            validate_file(raw, name)
    per_plan = (time.perf_counter() - started) / (rounds * len(data)) * 1000
    first.sort()
    print(f"speed: real-world plans, read (Markdown or Word) + kind + validate {per_plan:.1f} ms per plan "
          f"({rounds * len(data)} runs); first read median {first[len(first) // 2]:.1f} ms, max {first[-1]:.1f} ms "
          f"(the 449-line festival plan)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=EVAL_DIR, type=Path)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 23))
    parser.add_argument("--plans-today", default="2026-01-01",
                        help="CEHUA_TODAY for the planted plans (ignored when CEHUA_TODAY is set)")
    parser.add_argument("--parts", nargs="+", choices=PARTS,
                        help="only score these labelled real-world parts (no planted plans, requests or speed)")
    parser.add_argument("--show-hold", action="store_true",
                        help="print a hold part's per-plan lines too (by default its totals only)")
    args = parser.parse_args()
    if args.parts:
        eval_realworld(tuple(args.parts), speed=False, show_hold=args.show_hold)
        return 0
    os.environ.setdefault("CEHUA_TODAY", args.plans_today)
    plans = eval_plans(args.eval_dir / "plans")
    requests = eval_requests(args.eval_dir / "briefs" / "requests.jsonl", args.today)
    briefs = eval_briefs(args.eval_dir / "briefs")
    bench_speed(args.eval_dir / "plans")
    eval_realworld(show_hold=args.show_hold)
    print(f"plans {plans[0]}/{plans[1]}  requests {requests[0]}/{requests[1]}  briefs {briefs[0]}/{briefs[1]}")
    return 0 if plans[0] == plans[1] and requests[0] == requests[1] and briefs[0] == briefs[1] else 1


if __name__ == "__main__":
    sys.exit(main())
