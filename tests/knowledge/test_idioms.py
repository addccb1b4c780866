"""Idioms of the englishidioms dictionary found in a question: fixed words, slots, possessives and optional words."""

from __future__ import annotations

import pytest

from knowledge import idioms
from knowledge.glossary import _forms, _words


def _found(text: str, start: int) -> list[str]:
    words = _words(text)
    return [words[p] for p in idioms.idiom_at([_forms(w) for w in words], start)]


@pytest.mark.parametrize(("text", "start", "expected"), [
    ("how do we keep an eye on the numbers", 3, ["keep", "an", "eye", "on"]),
    ("costs have gone through the roof", 2, ["gone", "through", "the", "roof"]),  # an inflected fixed word
    ("how do we get it off the ground", 3, ["get", "off", "the", "ground"]),  # a slot of one word between
    ("how do we beef up our online channels", 3, ["beef", "up"]),  # the slot after the particle (†) is not read
    ("do we stick to our guns", 2, ["stick", "to", "guns"]),  # a possessive fills "one's"
])
def test_an_idiom_is_found_with_its_slots_left_out(text: str, start: int, expected: list[str]) -> None:
    assert _found(text, start) == expected


@pytest.mark.parametrize(("text", "start"), [
    ("do we stick to the guns", 2),  # "one's" takes a possessive, not an article
    ("ppl keep asking to send stuff back", 2),  # a slot holds no "to": no "ask someone back"
    ("how do we control channel credit", 1),  # nor a subject: no "do someone credit"
    ("what phases should it be split into", 5),  # a verb and a preposition are no idiom
    ("the roof", 0),
])
def test_no_idiom_where_its_slots_or_words_do_not_fit(text: str, start: int) -> None:
    assert _found(text, start) == []


def test_entries_are_parsed_into_fixed_words_slots_and_optional_words() -> None:
    entry = {"alt": ["verb", "constant", "variable", "o-constant", "constant"],
             "runs": ["be", "keep", "someone or something", "well", "out†"]}
    assert idioms.parse_entry(entry) == (("fixed", ("keep",)), ("slot", ()), ("optional", ("well",)),
                                         ("fixed", ("out",)))
    assert idioms.parse_entry({"alt": ["constant", "variable", "constant"], "runs": ["stick to", "one’s", "guns"]}) \
        == (("fixed", ("stick", "to")), ("possessive", ()), ("fixed", ("guns",)))
    # a verb and a preposition, and a single word, are no idiom; a trailing slot is left out
    assert idioms.parse_entry({"alt": ["constant", "variable"], "runs": ["stick to", "one’s"]}) is None
    assert idioms.parse_entry({"alt": ["constant", "variable", "constant"], "runs": ["split", "something", "into"]}) \
        is None
    assert idioms.parse_entry({"alt": ["constant"], "runs": ["alone"]}) is None


def test_a_missing_dictionary_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idioms.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(idioms.DocumentError, match="pip install englishidioms"):
        idioms.data_path()
