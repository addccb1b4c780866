"""Answers that serve: every part answered and cited, whole lists, the other-occasion note, citation windows
that hold the quote, gap-free citation numbers, and English questions answered under an English frame.

    python tests/bench/bench_answer_form.py [--split dev|test|dev2|test2|test3|test4|all] [--misses]

Cases: ``tests/data/answer_form.jsonl`` (two-part, list and occasion questions) and
``tests/data/english_questions.jsonl`` (English, in scope and off-topic), each with a ``split``; the
``test`` split is frozen: never tuned on, so ``--misses`` prints only dev misses. The second round of
cases (``answer_form_test2.jsonl``, ``english_questions_test2.jsonl``: two-part questions joined in many
ways, list questions and colloquial English with typos, over every bundled guidebook) has its own
``dev2`` split to tune on and a ``test2`` split written and frozen before any change it measures. The third
round (``answer_form_test3.jsonl``, ``english_questions_test3.jsonl``) is only a ``test3`` split, frozen and
sealed: read only when ``--split test3`` names it (``all`` leaves it out); so is the fourth
(``answer_form_test4.jsonl``, ``english_questions_test4.jsonl``, ``--split test4``: 14 two-part, 15 list, 6
other-occasion and 2 same-occasion cases, 16 English questions in scope and 5 off-topic, written in round seven
before any change of that round). The citation-window and
numbering figures are taken over every in-scope answer of the split, plus (for dev) the planner train and
dev question sets. Offline, through the ChatService over the bundled guidebooks (CEHUA_HOME: a
temporary directory when unset).

What counts:
- multi: every part has an expected phrase inside a quote whose citation's shown text holds it;
- list: every expected item is in the answer;
- occasion: a line that is no quote from the cited passages names the passage's occasion (same-occasion
  controls must have no such line);
- window: each quoted sentence (the text before a marker, split at sentence ends and the answer's own
  joins) is inside the shown text of the citation it is marked with;
- numbering: the markers used are exactly 1..n, first used in that order, and the citations are 1..n;
- asker's script: a Chinese question's whole answer reads as the script it was asked in (``detect_script``);
- English: the expected phrase is quoted; framed: and the first line is an English sentence naming the
  cited guidebook or section; off-topic refused.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
FORM = (DATA / "answer_form.jsonl", DATA / "answer_form_test2.jsonl")
ENGLISH = (DATA / "english_questions.jsonl", DATA / "english_questions_test2.jsonl")
# Sealed splits live in files of their own, read only when named.
SEALED_FORM = {"test3": (DATA / "answer_form_test3.jsonl",), "test4": (DATA / "answer_form_test4.jsonl",)}
SEALED_ENGLISH = {"test3": (DATA / "english_questions_test3.jsonl",),
                  "test4": (DATA / "english_questions_test4.jsonl",)}
TUNABLE = ("dev", "dev2")
EXTRA_DEV = (DATA / "planner_train.jsonl", DATA / "eval" / "questions_planner_dev.jsonl",
             DATA / "eval" / "questions_dev.jsonl")

_MARKERS = re.compile(r"(?:\[\d+\])+")
_ONE_MARKER = re.compile(r"\[(\d+)\]")
_PIECES = re.compile(r"[。；;！!？?\n]|：|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_HAN = re.compile(r"[\u3400-\u9fff]")
MIN_PIECE = 4


def _norm(text: str) -> str:
    from core.text.scripts import to_simplified

    return re.sub(r"\s+", "", to_simplified(text)).replace("…", "")


def _rows(paths: tuple[Path, ...], split: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for path in paths
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r.get("split", "dev") == split]


def segments(answer: str) -> list[tuple[str, list[int]]]:
    """The answer cut after each run of markers: (the text since the previous markers, the numbers)."""
    out: list[tuple[str, list[int]]] = []
    last = 0
    for match in _MARKERS.finditer(answer):
        out.append((answer[last:match.start()], [int(n) for n in _ONE_MARKER.findall(match.group(0))]))
        last = match.end()
    return out


def quoted_pieces(text: str) -> list[str]:
    """The sentences of a quote as the answer joins them (list dashes, headings glued with '：')."""
    pieces = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").strip()
        for piece in _PIECES.split(line):
            piece = _norm(piece).strip("，,、：:（）()")
            if len(piece) >= MIN_PIECE:
                pieces.append(piece)
    return pieces


def window_counts(answer: Any) -> tuple[int, int]:
    """(quoted sentences inside their citation's shown text, quoted sentences)."""
    shown = {c.n: _norm(c.text) for c in answer.citations}
    inside = total = 0
    for text, numbers in segments(answer.answer):
        lines = text.strip("\n").splitlines()
        # The quote is the lines that end with this marker run, after any lead-in or frame lines (a
        # list's lead-in and items are one quote).
        while len(lines) > 1 and _is_frame(lines[0]):
            lines = lines[1:]
        quote = "\n".join(lines)
        for piece in quoted_pieces(quote):
            total += 1
            inside += any(piece in shown.get(n, "") for n in numbers)
    return inside, total


def _is_frame(line: str) -> bool:
    """Cehua's own words around the quotes: the lead-in, the English frame, a note."""
    line = line.strip()
    return (not _HAN.search(line) or line.endswith(("原文：", "原文:"))
            or line.startswith(("The guidebook", "(Note", "（注", "（註")))


def numbering_ok(answer: Any) -> bool:
    used: list[int] = []
    for n in (int(m) for m in _ONE_MARKER.findall(answer.answer)):
        if n not in used:
            used.append(n)
    return used == list(range(1, len(used) + 1)) and [c.n for c in answer.citations] == used


def _full_texts(kb: Any, answer: Any) -> list[str]:
    chunks = kb.loaded().generation.chunks
    return [_norm("".join(ch.text for ch in chunks if ch.doc == c.doc and c.start <= ch.start and ch.end <= c.end))
            for c in answer.citations]


def note_lines(kb: Any, answer: Any, occasion: str) -> list[str]:
    """Lines of the answer that are no quote from its cited passages and name ``occasion``."""
    from assistant.briefs.festivals import festivals_in, find_festival
    from core.text.scripts import to_simplified

    wanted = find_festival(occasion)
    full = _full_texts(kb, answer)
    out = []
    for line in answer.answer.splitlines():
        plain = _MARKERS.sub("", line)
        if not any(f is wanted for f, _, _ in festivals_in(to_simplified(plain).lower())):
            continue
        pieces = quoted_pieces(plain)
        if pieces and all(any(p in t for t in full) for p in pieces):
            continue  # a quote
        out.append(line.strip())
    return out


def _hit(text: str, phrases: list[str]) -> bool:
    from knowledge.evaluate import is_hit

    return is_hit(text, phrases)


def score_form(kb: Any, service: Any, rows: list[dict[str, Any]], misses: bool) -> dict[str, Any]:
    tallies: dict[str, list[int]] = {}
    answers = []
    for row in rows:
        answer = service.ask(row["question"])
        answers.append(answer)
        kind = row["kind"]
        if kind == "multi":
            shown = {c.n: c.text for c in answer.citations}
            ok = all(any(_hit(text, group) and any(_hit(shown.get(n, ""), group) for n in numbers)
                         for text, numbers in segments(answer.answer)) for group in row["expect_parts"])
        elif kind == "list":
            ok = all(_hit(answer.answer, [item]) for item in row["expect_all"])
        else:
            hit = bool(answer.citations) and _hit(answer.answer, row["expect_any"])
            notes = note_lines(kb, answer, row["source_occasion"])
            ok = hit and (bool(notes) if kind == "occasion" else not notes)
        tallies.setdefault(kind, []).append(ok)
        if row.get("script", "en") != "en":
            from core.text.scripts import detect_script

            tallies.setdefault("asker's script", []).append(detect_script(answer.answer) == row["script"])
        if misses and not ok:
            print(f"    MISS {row['id']} {kind}: {row['question']}\n      {answer.answer[:400]!r}")
    return {"tallies": tallies, "answers": answers}


def score_english(service: Any, rows: list[dict[str, Any]], misses: bool) -> dict[str, Any]:
    from assistant.chat.evaluate import abstained

    hits = framed = refused = off_refused = n_in = n_off = 0
    answers = []
    for row in rows:
        answer = service.ask(row["question"])
        if row.get("out_of_scope"):
            n_off += 1
            off_refused += abstained(answer)
            if misses and not abstained(answer):
                print(f"    ANSWERED OFF-TOPIC {row['id']}: {row['question']}")
            continue
        answers.append(answer)
        n_in += 1
        hit = bool(answer.citations) and _hit(answer.answer, row["expect_any"])
        hits += hit
        framed += hit and english_framed(answer)
        refused += abstained(answer)
        if misses and not hit:
            print(f"    MISS {row['id']}: {row['question']}\n      {answer.answer[:300]!r}")
    return {"hit": (hits, n_in), "framed": (framed, n_in), "refused": (refused, n_in),
            "off_refused": (off_refused, n_off), "answers": answers}


def english_framed(answer: Any) -> bool:
    """The answer's first line is an English sentence that says where the guidebook says it: English words,
    and the title or the section heading of a cited passage."""
    from core.text.scripts import to_simplified

    line = answer.answer.strip().splitlines()[0] if answer.answer.strip() else ""
    english = len(re.findall(r"[A-Za-z]{2,}", line)) >= 4
    simplified = to_simplified(line)
    where = any(to_simplified(c.title or c.doc) in simplified or to_simplified(c.section.split(">")[-1].strip())
                in simplified for c in answer.citations)
    return english and where


def _extra_answers(service: Any) -> list[Any]:
    from knowledge.evaluate import read_eval_file

    out = []
    for path in EXTRA_DEV:
        for item in read_eval_file(path):
            if not item.out_of_scope:
                out.append(service.ask(item.question))
    return out


def _rate(ok: int, n: int) -> str:
    return f"{ok / n:.3f} ({ok}/{n})" if n else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "dev2", "test2", "test3", "test4", "all"), default="test")
    parser.add_argument("--misses", action="store_true",
                        help="print misses (dev and dev2 only: the test splits are frozen)")
    args = parser.parse_args()
    from tests.bench.offline import offline_chat

    _, kb, service = offline_chat()
    service.ask("活动预算一般包括哪些费用?")  # warm caches
    show = args.misses and args.split in TUNABLE
    form = score_form(kb, service, _rows(SEALED_FORM.get(args.split, FORM), args.split), show)
    english = score_english(service, _rows(SEALED_ENGLISH.get(args.split, ENGLISH), args.split), show)
    print(f"split {args.split}")
    for kind, oks in sorted(form["tallies"].items()):
        print(f"  {kind:14} {_rate(sum(oks), len(oks))}")
    for key in ("hit", "framed", "refused", "off_refused"):
        print(f"  english {key:11} {_rate(*english[key])}")
    answers = [a for a in form["answers"] + english["answers"] if a.citations]
    if args.split == "dev":
        answers += [a for a in _extra_answers(service) if a.citations]
    inside = total = 0
    for answer in answers:
        i, t = window_counts(answer)
        inside += i
        total += t
    numbered = sum(numbering_ok(a) for a in answers)
    print(f"  window holds quote  {_rate(inside, total)} quoted sentences over {len(answers)} answers")
    print(f"  numbering 1..n      {_rate(numbered, len(answers))}")


if __name__ == "__main__":
    main()
