"""Scoring plans people wrote against hand labels: true findings, false alarms and missed problems.

The labelled plans live in ``tests/data/plans/realworld/{dev,test}`` with an ``expected.json`` each: the
``dev`` part (the bundled guidebooks' plans and plans written for development) may be tuned on; the
``test`` part was written and labelled before the validator changed and is never tuned on.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.plan import Finding
from core.text.scripts import message_script, to_simplified

REALWORLD = Path(__file__).resolve().parents[2] / "data" / "plans" / "realworld"


@dataclass
class PlanScore:
    name: str
    kind: str | None
    kinds: list[str]
    true: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_language: list[str] = field(default_factory=list)  # findings not written in the plan's language
    error: str = ""


def _label(item: dict[str, object]) -> str:
    where = item.get("line") or item.get("chapter") or ""
    return f"{item['code']}@{where}" if where else str(item["code"])


def _matches(finding: Finding, item: dict[str, object]) -> bool:
    if finding.code not in str(item["code"]).split("|"):  # 「a|b」: a problem either code names rightly
        return False
    if "line" in item and finding.line != item["line"]:
        return False
    chapter = item.get("chapter")  # 「风险|应急」: any of the names a template may give the chapter
    return chapter is None or any(name in to_simplified(finding.message) for name in str(chapter).split("|"))


def _allowed(finding: Finding, may: list[str]) -> bool:
    for entry in may:
        code, _, chapter = entry.partition(":")
        if finding.code == code and (not chapter or any(n in to_simplified(finding.message) for n in chapter.split("|"))):
            return True
    return False


def _language(message: str) -> str:
    """The language and script a finding is written in, leaving out what it quotes of the plan ('…' and 「…」)."""
    own = re.sub(r"「[^」]*」|'[^']*'|“[^”]*”|\"[^\"]*\"", " ", message)
    return message_script(own, "zh-Hans")


@contextmanager
def fixed_today(day: str) -> Iterator[None]:
    """CEHUA_TODAY set to ``day`` for the duration (labels say what 'before today' means)."""
    old = os.environ.get("CEHUA_TODAY")
    os.environ["CEHUA_TODAY"] = day
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CEHUA_TODAY", None)
        else:
            os.environ["CEHUA_TODAY"] = old


Run = Callable[[Path], tuple[str | None, list[Finding]]]


def score_part(part: str, run: Run) -> list[PlanScore]:
    """Score every labelled plan of ``part`` ('dev' or 'test'); ``run(path)`` gives (kind, findings)."""
    folder = REALWORLD / part
    labels = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    scores: list[PlanScore] = []
    with fixed_today(labels["today"]):
        for name, want in sorted(labels["plans"].items()):
            expect: list[dict[str, object]] = list(want["expect"])
            try:
                kind, findings = run(folder / name)
            except Exception as exc:  # scored as missing everything: a plan the validator cannot read
                scores.append(PlanScore(name, None, want["kinds"], missed=[_label(e) for e in expect],
                                        error=f"{type(exc).__name__}: {exc}"))
                continue
            score = PlanScore(name, kind, want["kinds"])
            found = [f for f in findings if f.severity in ("error", "warning")]
            if "script" in want:  # labelled since round 26: a finding speaks the plan's language and script
                score.wrong_language = [f"{f.code}: {f.message[:60]}" for f in found
                                        if _language(f.message) != want["script"]]
            hit = [False] * len(expect)
            for f in found:
                i = next((i for i, e in enumerate(expect) if not hit[i] and _matches(f, e)), None)
                if i is None:
                    i = next((i for i, e in enumerate(expect) if _matches(f, e)), None)
                    if i is not None:
                        continue  # a second finding for the same problem: neither true nor false
                    if not _allowed(f, want.get("may", [])):
                        score.false_alarms.append(f"{f.code}@{f.line or ''} {f.message[:60]}")
                    continue
                hit[i] = True
                score.true.append(_label(expect[i]))
            score.missed = [_label(e) for i, e in enumerate(expect) if not hit[i]]
            scores.append(score)
    return scores


def totals(scores: list[PlanScore]) -> dict[str, int]:
    """Sums over plans: true findings, false alarms, missed problems, plans of the wrong kind, plans not read."""
    return {
        "true": sum(len(s.true) for s in scores),
        "false_alarms": sum(len(s.false_alarms) for s in scores),
        "missed": sum(len(s.missed) for s in scores),
        "wrong_kind": sum(1 for s in scores if s.kind not in s.kinds),
        "wrong_language": sum(len(s.wrong_language) for s in scores),
        "crashed": sum(1 for s in scores if s.error),  # the validator raised: every problem counted missed
        "plans": len(scores),
    }


def report(part: str, scores: list[PlanScore]) -> str:
    """A readable per-plan report and the totals."""
    lines = []
    for s in scores:
        lines.append(f"{part}/{s.name}: kind={s.kind} (want {'/'.join(s.kinds)}) true={len(s.true)} "
                     f"false={s.false_alarms} missed={s.missed}"
                     f"{f' language={s.wrong_language}' if s.wrong_language else ''}{'  ' + s.error if s.error else ''}")
    lines.append(f"{part}: {totals(scores)}")
    return "\n".join(lines)
