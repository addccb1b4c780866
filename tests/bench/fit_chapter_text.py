"""Fit knowledge/chapter_text_model.json: which kind of chapter (background, budget, risk…) a chapter's text is.

    python tests/bench/fit_chapter_text.py              # both parts
    python tests/bench/fit_chapter_text.py --english    # the English part only, the rest kept as it is

Trained on the labelled dev parts only (tests/data/plans/realworld dev, dev19, dev23; never test, test2, hold19,
hold23): every chapter whose heading names a chapter of the plan's recognised kind (knowledge.templates.
chapter_kind) is an example of that chapter's kind, so nothing is labelled by hand; chapters whose headings name
nothing are left out. The templates' own words for each chapter (titles, aliases, signals, purpose) are one more
example of its kind. ``min_margin`` is chosen leaving each plan out in turn, each held-out chapter judged among
the kinds that could stand where it stands (``slot_kinds``, as validation does): the smallest margin (per word,
in log-likelihood) at which the chapters the model is sure of are right at least PRECISION of the time.

English chapters get a model of their own (``english`` in the same file, from round 28): fitted the same way on the
English chapters of every dev part (ENGLISH_PARTS: the later parts hold most of them), with the templates'
English titles and aliases as its prior and its own margin; validation reads an English text with it only where
the first model knows none of its words ("How we'll know it worked": 'revenue', 'sell-through'…). Refitting the
first model with the later parts raised its margin (0.5 → 0.95), so fewer Chinese texts read; reading every
English text the first model is unsure of with the English one cost a frozen part (hold23) a false alarm.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.plan import Chapter
    from knowledge.templates import TemplateChapter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PARTS = ("dev", "dev19", "dev23")
ENGLISH_PARTS = ("dev", "dev19", "dev23", "dev26", "dev27", "dev28")
MIN_QUESTIONS = 3  # headings opening with a question word, all read as one kind, for the word to name it
ALPHA = 0.5
PRECISION = 0.95
MARGINS = [m / 100 for m in range(0, 101, 5)]


def _chapters(parts: tuple[str, ...]) -> Iterator[tuple[str, Chapter, TemplateChapter | None, frozenset[str]]]:
    """(plan, chapter, the template chapter its heading names or None, the kinds that could stand where it stands
    were its heading unknown: ``slot_kinds``) for every chapter of the labelled plans of ``parts``."""
    from assistant.plan_files import plan_text
    from assistant.validation import read_plan
    from assistant.validators.chapters import slot_kinds
    from knowledge.templates import chapter_kind

    for part in parts:
        folder = ROOT / "tests" / "data" / "plans" / "realworld" / part
        for name in sorted(json.loads((folder / "expected.json").read_text(encoding="utf-8"))["plans"]):
            plan, template, _ = read_plan(plan_text((folder / name).read_bytes(), name))
            named = [chapter_kind(template, c.title) for c in plan.chapters]
            for i, chapter in enumerate(plan.chapters):
                kinds = frozenset(slot_kinds(template, named[:i] + [None] + named[i + 1:], i))
                yield f"{part}/{name}", chapter, named[i], kinds


def examples(parts: tuple[str, ...] = PARTS) -> list[tuple[str, frozenset[str], str, str]]:
    """(plan, kinds, kind, text) for every chapter of the dev plans whose heading names its chapter: ``kinds``
    are those that could stand where it stands were its heading unknown (``slot_kinds``)."""
    return [(plan, kinds, found.kind, chapter.body) for plan, chapter, found, kinds in _chapters(parts)
            if found is not None and chapter.body.strip()]


def template_text(english: bool = False) -> list[tuple[str, str]]:
    """(kind, text) for each template chapter: its titles, aliases, signal words and purpose (the templates'
    own words for what the chapter holds), so a kind the plans rarely show still has words; ``english``: its English
    title and aliases only."""
    from knowledge.chapter_text import is_english
    from knowledge.templates import list_templates, load_template

    out: list[tuple[str, str]] = []
    for name in list_templates():
        for chapter in load_template(name, copy=False).chapters:
            words = [*chapter.title.values(), *chapter.aliases, *chapter.signals, chapter.purpose]
            out.append((chapter.kind, " ".join(w for w in words if not english or is_english(w))))
    return out


def fit_margin(data: list[tuple[str, frozenset[str], str, str]], prior: list[tuple[str, str]]) -> dict[str, object]:
    """The model of ``data`` and ``prior`` with the smallest margin at which, leaving each plan out in turn, the
    chapters it is sure of are right at least PRECISION of the time."""
    from knowledge.chapter_text import fit, scores

    held: list[tuple[bool, float]] = []  # (right?, margin) per held-out chapter
    for plan in sorted({p for p, _, _, _ in data}):
        model = fit(prior + [(k, t) for p, _, k, t in data if p != plan], ALPHA, 0.0)
        for p, own, kind, text in data:
            if p != plan:
                continue
            ranked = sorted(scores(text, own, model).items(), key=lambda kv: -kv[1])
            if ranked:  # a chapter alone in its slot is sure
                held.append((ranked[0][0] == kind, ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 9.0))
    for margin in MARGINS:
        sure = [right for right, m in held if m >= margin]
        print(f"margin {margin:.2f}: {len(sure)} sure, {sum(sure)} right")
    chosen = MARGINS[-1]
    for margin in MARGINS:
        sure = [right for right, m in held if m >= margin]
        if sure and sum(sure) / len(sure) >= PRECISION:
            chosen = margin
            break
    sure = [right for right, m in held if m >= chosen]
    model = fit(prior + [(k, t) for _, _, k, t in data], ALPHA, chosen)
    model["held_out"] = {"chapters": len(held), "right": sum(r for r, _ in held),
                         "sure": len(sure), "sure_right": sum(sure)}
    return model


def question_kinds(model: dict[str, object]) -> dict[str, str]:
    """Question word → the kind of chapter every English heading of the dev plans opening with it is, when at least
    MIN_QUESTIONS of them are read and all agree: a heading naming its chapter by an alias gives its kind, one naming
    none the kind its text is likeliest of among those that could stand there (no margin: many weak readings
    agreeing are the evidence)."""
    from knowledge.chapter_text import QUESTION_WORDS, is_english, scores

    english = model["english"]
    assert isinstance(english, dict)
    read: dict[str, list[str]] = {}
    for _, chapter, found, kinds in _chapters(ENGLISH_PARTS):
        first = re.match(r"\W*(?:\d+\W+)?([a-z]+)", chapter.title.lower())
        if first is None or first.group(1) not in QUESTION_WORDS:
            continue
        kind = found.kind if found is not None else None
        if kind is None:
            scored = scores(chapter.body, kinds, english if is_english(chapter.body) else model)
            kind = max(scored, key=lambda k: scored[k]) if scored else None
        if kind is not None:
            read.setdefault(first.group(1), []).append(kind)
    print("question words:", {w: dict(Counter(ks)) for w, ks in sorted(read.items())})
    return {w: ks[0] for w, ks in sorted(read.items()) if len(ks) >= MIN_QUESTIONS and len(set(ks)) == 1}


def main() -> int:
    from knowledge.chapter_text import MODEL, is_english

    if "--english" in sys.argv[1:]:  # the Chinese part as last fitted (round 23's), only the English part anew
        model = json.loads(MODEL.read_text(encoding="utf-8"))
    else:
        data = examples()
        model = fit_margin(data, template_text())
        model["trained_on"] = f"{len(data)} chapters of the plans in {', '.join(PARTS)} whose headings name their chapter"
    english = [d for d in examples(ENGLISH_PARTS) if is_english(d[3])]
    model["english"] = fit_margin(english, template_text(english=True))
    model["english"]["trained_on"] = (f"{len(english)} English chapters of the plans in {', '.join(ENGLISH_PARTS)} "
                                      "whose headings name their chapter")
    model["questions"] = question_kinds(model)
    MODEL.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"questions: {model['questions']}; leave-one-plan-out: {model['held_out']}; min_margin {model['min_margin']}; "
          f"English: {model['english']['held_out']}, "  # type: ignore[index]
          f"min_margin {model['english']['min_margin']}; {MODEL.stat().st_size // 1024} KB")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())
