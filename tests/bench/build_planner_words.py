"""Rebuild core/text/planner_words.tsv: the planner words jieba's dictionary shatters, for the question tagger.

    python tests/bench/build_planner_words.py

A word is taken when the glossary (knowledge/glossary.tsv) gives it as a guidebook term, jieba's dictionary lacks it
and shatters it into single characters (满减 → 满/减, 竞品 → 竞/品, 返现 → 返/现), wordfreq's Chinese counts it as a
word, and it holds no question word or grammar character. A term jieba cuts into words and a character (无差异营销 →
无/差异/营销) stays cut: as one word it is a question word the relevance model, fitted on the cut, has not seen
(「无差异营销策略是什么意思?」 was refused). Festivals and seasons are left out: cut, their pieces are
already names (双十/一), which the analyser reads as context. Each word's count is wordfreq's frequency on the scale
of jieba's dictionary total, as the Cantonese words are scaled (``core.text.segment._question_tagger``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

GLOSSARY = ROOT / "knowledge" / "glossary.tsv"
SKIPPED_SECTIONS = ("festivals and seasons",)


def main() -> None:
    import wordfreq

    from core.text import segment
    from core.text.question import GRAMMAR_CHARS, QUESTION_WORDS

    terms: list[str] = []
    section = ""
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            section = line.removeprefix("# ---").strip()
        if line.startswith("#") or "\t" not in line or section in SKIPPED_SECTIONS:
            continue
        for term in line.split("\t")[1].split("|"):
            term = term.strip()
            if re.fullmatch(r"[\u4e00-\u9fff]{2,}", term) and term not in terms:
                terms.append(term)
    rows = []
    for term in terms:
        if segment.in_dictionary(term) or not all(len(piece) == 1 for piece in segment.cut(term, hmm=False)):
            continue
        if any(q in term for q in QUESTION_WORDS) or any(c in GRAMMAR_CHARS for c in term):
            continue
        frequency = wordfreq.word_frequency(term, "zh")
        if frequency > 0:
            rows.append(f"{term}\t{frequency:.3g}")
    out = ROOT / "core" / "text" / "planner_words.tsv"
    out.write_text("word\tfrequency\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} words -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
