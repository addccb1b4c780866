"""Rebuild core/text/cantonese_words.tsv from the Hong Kong Cantonese Corpus (HKCanCor, shipped with PyCantonese).

    python tests/bench/build_cantonese_words.py

Each word the corpus's transcribed Hong Kong conversations use at least ``MIN_COUNT`` times, in Simplified
characters (as questions are analysed), with its commonest part-of-speech tag (HKCanCor's tags are jieba's:
r pronoun, d adverb, y particle, u auxiliary, vu modal…) and how often the corpus uses it. Written Cantonese
(點樣, 幾耐, 嗰陣, 係咪, 邊啲) is frequent in general Hong Kong Chinese and absent from Mandarin word lists;
``core.text.cantonese`` reads this file so that a Cantonese function word is grammar in a question, not a
topic word no one knows. The file is data made from the corpus, kept in the repository so that Cehua does
not load the corpus (1 s, 40 MB of package) in every process; ``tests/core/test_cantonese.py`` checks that it
still matches the corpus. ``core/text/cantonese_marks.tsv`` is made beside it: the characters the corpus's words
use at least ``MARK_MARGIN`` Zipf more often than wordfreq's general Chinese words do (啲, 唔, 咗, 睇), which tell
that a message is written Cantonese.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "core" / "text" / "cantonese_words.tsv"
MARKS_OUT = ROOT / "core" / "text" / "cantonese_marks.tsv"
MIN_COUNT = 2  # a word the corpus uses once may be a slip of its transcribers
_HAN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffff]+$")


def corpus_words() -> list[tuple[str, str, int]]:
    """(word in Simplified, commonest tag, count) for each word HKCanCor uses ``MIN_COUNT`` times or more,
    commonest first (ties by word)."""
    import pycantonese

    from core.text.scripts import to_simplified

    tags: dict[str, Counter[str]] = defaultdict(Counter)
    for token in pycantonese.hkcancor().tokens():
        if token.word and _HAN.match(token.word):
            tags[to_simplified(token.word)][token.pos or "x"] += 1
    rows = [(word, counts.most_common(1)[0][0], sum(counts.values())) for word, counts in tags.items()]
    return sorted((r for r in rows if r[2] >= MIN_COUNT), key=lambda r: (-r[2], r[0]))


def marks(rows: list[tuple[str, str, int]]) -> list[tuple[str, float]]:
    """The characters that mark written Cantonese, with their margin: how much more often (Zipf) the corpus's
    words use each than wordfreq's general Chinese words do, at least ``cantonese.MARK_MARGIN``; widest first."""
    import wordfreq

    from core.text.cantonese import MARK_MARGIN

    def per_character(counts: list[tuple[str, float]]) -> dict[str, float]:
        total = sum(count for _, count in counts)
        uses: dict[str, float] = defaultdict(float)
        for word, count in counts:
            for char in word:
                uses[char] += count / total
        return uses

    spoken = per_character([(word, count) for word, _, count in rows])
    general = per_character(list(wordfreq.get_frequency_dict("zh", "best").items()))
    found = [(char, round(math.log10(share) - (math.log10(general[char]) if char in general else -9.0), 2))
             for char, share in spoken.items()]
    return sorted(((c, m) for c, m in found if m >= MARK_MARGIN), key=lambda r: (-r[1], r[0]))


def marks_tsv(found: list[tuple[str, float]]) -> str:
    """The marks as their file holds them: a header, then one character a line with its margin."""
    return "char\tmargin\n" + "".join(f"{char}\t{margin:.2f}\n" for char, margin in found)


def as_tsv(rows: list[tuple[str, str, int]]) -> str:
    """The rows as the file holds them: a header, then one word a line."""
    return "word\ttag\tcount\n" + "".join(f"{word}\t{tag}\t{count}\n" for word, tag, count in rows)


def main() -> None:
    rows = corpus_words()
    OUT.write_text(as_tsv(rows), encoding="utf-8")
    found = marks(rows)
    MARKS_OUT.write_text(marks_tsv(found), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} words; {MARKS_OUT.relative_to(ROOT)}: {len(found)} characters")


if __name__ == "__main__":
    main()
