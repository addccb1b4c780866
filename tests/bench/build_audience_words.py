"""Rebuild assistant/briefs/audience_words.tsv: the Chinese words that name a group of people, from CC-CEDICT.

    python tests/bench/build_audience_words.py

A word is a people word when one of its first two CC-CEDICT glosses ends in an English noun for people
(``PEOPLE``: mom, office workers, student, customer, lovers, elderly …), jieba's dictionary tags it a noun
(加入 "become a member" is a verb) and general Chinese uses it at least ``MIN_ZIPF`` (wordfreq). ``assistant.briefs.entities.find_audience`` reads the file to tell 「宝妈专场」
(a session for mums: the audience) from 「母婴专场」 (a category), and 「给老客户发红包」 from 「给稻香村做」.
The file is data made from the dictionary, kept in the repository because reading CC-CEDICT takes seconds;
``tests/assistant/test_brief_requests.py`` checks that it still matches the dictionary.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "assistant" / "briefs" / "audience_words.tsv"
MIN_ZIPF = 2.5
# English nouns whose gloss names people a campaign can be aimed at (singular; plurals are read too).
PEOPLE = frozenset("""mom mommy mum mother dad father parent housewife wife husband family baby kid child
children youngster youth teenager teen student schoolchild schoolgirl schoolboy graduate worker workers
employee staff customer client consumer shopper buyer member fan foodie lover sweetheart couple newlywed
elderly senior pensioner retiree woman women girl lady man men gentleman boy people person traveler tourist
visitor guest resident owner driver runner player gamer white-collar""".split())


def _people_gloss(gloss: str) -> bool:
    words = gloss.lower().split()
    if not words:
        return False
    head = words[-1]
    return head in PEOPLE or (head.endswith("s") and head[:-1] in PEOPLE) or \
        (len(words) > 1 and words[-2] in PEOPLE and head == "group")


def audience_words() -> list[tuple[str, str]]:
    """(word, the people gloss) for each people word of CC-CEDICT common enough in general Chinese."""
    from wordfreq import zipf_frequency

    from core.text.segment import tagged
    from knowledge.cedict import _built

    out = []
    for word, glosses in sorted(_built()[1].items()):
        gloss = next((g for g in glosses[:2] if _people_gloss(g)), None)
        if not gloss or zipf_frequency(word, "zh") < MIN_ZIPF:
            continue
        tags = tagged(word, hmm=False)
        if len(tags) == 1 and tags[0][1].startswith("n") or len(tags) > 1 and tags[-1][1].startswith("n"):
            out.append((word, gloss))
    return out


def main() -> None:
    rows = audience_words()
    OUT.write_text("# word\tCC-CEDICT gloss (made by tests/bench/build_audience_words.py; do not edit)\n"
                   + "".join(f"{w}\t{g}\n" for w, g in rows), encoding="utf-8")
    print(f"{len(rows)} people words → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
