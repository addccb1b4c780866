"""Fit when a plan shows its kind (assistant/plan_kind.json): how many of a kind's chapters it must show.

    python tests/bench/fit_plan_kind.py

A plan too short to tell its kind gets ``plan_kind_unknown`` instead of being judged by a guessed kind
(``assistant.validation.kind_shown``): it shows the kind when at least ``min_chapters`` of its headings are the
chosen kind's chapters, or when its title names the kind. The cut-off is fitted on the labelled dev plans
(tests/data/plans/realworld/dev: 17 plans with their acceptable kinds; never the test parts): each plan is read
whole and cut after each chapter, with its title and without, and each cut is labelled by whether the kind
recognised from it is acceptable. A rule is right on a cut when it calls the kind shown exactly when the
recognised kind is right. Each plan counts once (its cuts' share right), so a long plan's many cuts do not
outvote the short ones; ties go to the smaller cut-off. Leaving each plan out in turn picks the same cut-off.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEV = ROOT / "tests" / "data" / "plans" / "realworld" / "dev"
CUT_OFFS = range(1, 7)


@dataclass(frozen=True)
class Cut:
    """One plan cut after ``chapters`` headings: what the rule reads of it and whether its kind was right."""

    plan: str
    titled: bool
    chapters: int
    matched: int  # headings that are chapters of the recognised kind
    named: bool  # the title names the recognised kind
    right: bool  # the recognised kind is one the labels accept


def variants() -> list[Cut]:
    """Every labelled dev plan cut after each of its chapters, with its title and without."""
    from assistant.plan_files import plan_text
    from assistant.validation import read_plan, title_names_kind
    from knowledge.templates import choose_template

    labels = json.loads((DEV / "expected.json").read_text(encoding="utf-8"))["plans"]
    cuts: list[Cut] = []
    for name, want in sorted(labels.items()):
        outline, _, _ = read_plan(plan_text((DEV / name).read_bytes(), name))
        heads = [c.title for c in outline.chapters]
        for title in (outline.title, ""):
            for n in range(1, len(heads) + 1):
                kind = choose_template(title, heads[:n])
                cuts.append(Cut(plan=name, titled=bool(title), chapters=n,
                                matched=sum(1 for h in heads[:n] if kind.match(h) is not None),
                                named=title_names_kind(title, kind), right=kind.name in want["kinds"]))
    return cuts


@dataclass(frozen=True)
class Fit:
    min_chapters: int
    per_plan: dict[int, float]  # cut-off -> mean share of each plan's cuts called right
    cuts_right: dict[int, int]  # cut-off -> cuts called right, all pooled
    held_out: int  # cuts called right by the cut-off fitted without their plan


def _right(cut: Cut, k: int) -> bool:
    return (cut.matched >= k or cut.named) == cut.right


def _per_plan(cuts: list[Cut], k: int) -> float:
    plans: dict[str, list[bool]] = {}
    for cut in cuts:
        plans.setdefault(cut.plan, []).append(_right(cut, k))
    return sum(sum(v) / len(v) for v in plans.values()) / max(1, len(plans))


def _best(cuts: list[Cut]) -> int:
    return max(CUT_OFFS, key=lambda k: (round(_per_plan(cuts, k), 9), -k))


def fit(cuts: list[Cut]) -> Fit:
    """The cut-off that calls most of each plan's cuts right, with what each cut-off scores."""
    held_out = 0
    for plan in sorted({c.plan for c in cuts}):
        k = _best([c for c in cuts if c.plan != plan])
        held_out += sum(_right(c, k) for c in cuts if c.plan == plan)
    return Fit(min_chapters=_best(cuts), per_plan={k: round(_per_plan(cuts, k), 4) for k in CUT_OFFS},
               cuts_right={k: sum(_right(c, k) for c in cuts) for k in CUT_OFFS}, held_out=held_out)


def main() -> None:
    from assistant.validation import KIND_MODEL

    cuts = variants()
    fitted = fit(cuts)
    plans = len({c.plan for c in cuts})
    KIND_MODEL.write_text(json.dumps({
        "min_chapters": fitted.min_chapters,
        "trained_on": f"tests/data/plans/realworld/dev: {plans} plans, {len(cuts)} cuts (each chapter, titled and not)",
        "per_plan_share_right": fitted.per_plan, "cuts_right": fitted.cuts_right,
        "held_out_cuts_right": fitted.held_out}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{plans} plans, {len(cuts)} cuts; min_chapters {fitted.min_chapters}; per plan {fitted.per_plan}; "
          f"cuts right {fitted.cuts_right}; each plan left out: {fitted.held_out}/{len(cuts)}")


if __name__ == "__main__":
    main()
