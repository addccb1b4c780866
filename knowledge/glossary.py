"""English questions in the guidebooks' Chinese words: a bilingual marketing glossary and query translation.

The guidebooks are Chinese and the offline index (BM25, the corpus-fitted embedding, good_match
coverage) only knows Chinese tokens, so an English question is searched with the Chinese terms its
words and phrases stand for. The glossary (``glossary.tsv`` beside this module) maps English base
forms to Simplified terms; plurals, -ing and -ed forms and possessives are matched to them, the
longest phrase first ("contingency plans" → 应急预案 before "plan" → 方案).

English words the glossary does not know are looked up in CC-CEDICT (``cedict``): "handle a PR crisis"
reads 处理 for "handle" as the hand glossary reads 危机公关 for "PR crisis", taking the word the guidebooks
use. A word the dictionary glosses as Chinese the guidebooks never use ("passport" → 护照) counts as such a
word, and one it does not gloss at all is kept in the search query as it is: either way the index counts a
word the guidebooks never mention, which is what makes "How do I renew a passport?" off-topic — exactly
as an unknown Chinese word does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllLemmas, getAllLemmasOOV

from core.errors import DocumentError
from core.text.question import analyse
from knowledge import cedict, idioms
from knowledge.senses import Senses

GLOSSARY_PATH = Path(__file__).with_name("glossary.tsv")

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Words: letters and digits, joined by inner dots or apostrophes (11.11, valentine's); hyphens split
# words, so "warm-up" and "warm up" are the same key.
_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_ARTICLES = frozenset(("a", "an", "the"))
# Two words joined by a hyphen, neither part of a longer hyphenated run ("cross-over", not "state-of-the-art").
_HYPHENATED = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]+)-([A-Za-z]+)(?![A-Za-z0-9-])")

# Function words, question words and the everyday verbs and nouns people wrap a question in:
# they say what kind of answer is wanted, not what it is about. Glossary phrases that contain them
# ("in advance", "deal with", "how often") are matched before these are dropped. Adverbs ("usually",
# "mainly", "lately") are not listed: ``only_adverb`` knows them from lemminflect's lexicon.
STOPWORDS = frozenset(
    """a an the this that these those there here it its it's itself i me my mine myself we us our ours
    ourselves you your yours yourself they them their theirs he him his she her hers one ones someone
    something anything everything nothing somebody anybody everyone anyone
    what which who whom whose when where why how whether if then than so as such both either neither
    each every all any some many much more most few fewer less least several enough other another own
    same only just also too very even still yet
    often about above across after against along among
    around at before behind below beneath beside besides between beyond by down during except for from
    in inside into near of off on onto out outside over past per since through throughout till to toward
    towards under until up upon via with within without and or but nor not no yes
    is am are was were be been being do does did done doing have has had having will would shall should
    can could may might must ought need needs needed let lets get gets got getting give gives given go
    goes going went gone come comes came want wants wanted like likes try tries tried put puts keep
    keeps kept take takes took taken make makes made making say says said tell tells told ask asks
    asked know knows knew known think thinks thought see sees saw seen look looks looking find finds
    found help helps use uses used using work works mean meant seem seems become becomes
    please thanks thank hi hello hey ok okay etc eg ie vs while whilst
    u r ur w ya wat wut whats wats hows pls plz thx cuz coz bc im gonna wanna kinda sorta thru
    thing things stuff way ways option options lot lots kind sort bit part piece example examples instance
    good better best bad worse worst great big bigger large larger main major important useful
    possible usual common typical general certain sure right wrong proper correct
    well particular ready
    first second third last next new old long short high low early late many
    aspect aspects belong belongs cover covers covered quick fast involve involved include
    includes including regard regarding concerning related relate
    person persons list describe description explain explanation show detail details mention according
    guidebook guidebooks guide guides handbook book document documents text passage tell
    section sections chapter contain contains containing exist exists existing watch careful attention
    now later
    should've would've i'm we're you're they're isn't aren't don't doesn't didn't can't won't
    shouldn't wouldn't couldn't what's how's where's who's""".split()
)


# Numbers written as words are skipped as digits are ("five or six years", "integrate the two"): they are
# no subject the guidebooks cover or lack. A glossary phrase holding one ("half price") is matched before.
NUMBER_WORDS = frozenset(
    """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
    dozen""".split()
)


@dataclass(frozen=True)
class Translation:
    """An English question read against the glossary: the phrases it matched, in question order,
    each with its Chinese terms, and the content words the glossary does not know."""

    matches: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    def terms(self) -> list[str]:
        """Every Chinese term the matched phrases stand for, first occurrence order, no repeats."""
        out: list[str] = []
        for _, chinese in self.matches:
            out.extend(t for t in chinese if t not in out)
        return out


@dataclass(frozen=True)
class Glossary:
    """English keys (tuples of base-form words) → Simplified Chinese terms, best-known term first; ``sections``: the
    Chinese terms under each ``# --- name`` heading of the file (「campaigns and promotions」 → 促销, 种草 …)."""

    entries: dict[tuple[str, ...], tuple[str, ...]]
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self.entries, key=len, reverse=True):
            by_first.setdefault(key[0], []).append(key)
        object.__setattr__(self, "_by_first", by_first)

    def closed(self, text: str) -> str:
        """``text`` with each pair of words written with a hyphen that the glossary knows only written closed
        ("cross-over" → crossover, "e-mail" → email) written closed: English writes a compound open, hyphenated
        or closed, and the glossary lists one spelling. A pair the glossary knows as two words ("follow-up")
        stays as it is."""
        def join(match: re.Match[str]) -> str:
            first, second = match.group(1), match.group(2)
            if self.lookup(f"{first} {second}") or not self.lookup(first + second):
                return match.group(0)
            return first + second

        return _HYPHENATED.sub(join, text)

    def lookup(self, phrase: str) -> tuple[str, ...]:
        """The Chinese terms for ``phrase`` (any inflection of a key), or () when it is not a key."""
        words = _words(phrase)
        end, key = self.longest_at([_forms(w) for w in words], 0)
        return self.entries[key] if key is not None and end == len(words) else ()

    def longest_at(self, forms: list[tuple[str, ...]], start: int) -> tuple[int, tuple[str, ...] | None]:
        """The longest glossary phrase at word ``start`` of a text given as its words' forms: where it
        ends and its key, or (start, None)."""
        by_first: dict[str, list[tuple[str, ...]]] = self._by_first  # type: ignore[attr-defined]
        best: tuple[str, ...] | None = None
        best_end = start
        for form in forms[start]:
            for key in by_first.get(form, ()):
                if best is not None and len(key) <= len(best):
                    break  # keys are longest first; nothing longer is left for this form
                end = _match_end(key, forms, start)
                if end is not None:
                    best, best_end = key, end
                    break
        return best_end, best


def _match_end(key: tuple[str, ...], forms: list[tuple[str, ...]], start: int) -> int | None:
    """Where ``key`` ends when it matches the words from ``start`` (articles between its words are
    skipped: "promote an employee" is "promote employee"), or None."""
    at = start
    for j, word in enumerate(key):
        if j:
            while at < len(forms) and forms[at][0] in _ARTICLES and word not in _ARTICLES:
                at += 1
        if at >= len(forms) or word not in forms[at]:
            return None
        at += 1
    return at


def _words(text: str) -> list[str]:
    """Lower-case words of ``text``, possessive 's and closing apostrophes dropped."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for word in _WORD.findall(text):
        word = word.strip("'.")
        if word.endswith("'s"):
            word = word[:-2]
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=16384)
def only_adverb(word: str) -> bool:
    """True for a word English uses only as an adverb (lemminflect's lexicon: "mainly", "lately", "usually"): it
    says how or when something is asked, not what about, as the Chinese adverbs the question analyser reads as
    form (``core.text.question``)."""
    lemmas = getAllLemmas(word)
    return bool(lemmas) and set(lemmas) == {"ADV"}


def _function_word(word: str) -> bool:
    return word in STOPWORDS or only_adverb(word) or _contracted(word) in STOPWORDS


def _contracted(word: str) -> str:
    """The word a contraction is made of ("we've" → we, "hasn't" → has, "i'll" → i); "" for any other word."""
    if word.endswith("n't"):
        return word[:-3]
    return word.split("'", 1)[0] if "'" in word else ""


def _function_forms(forms: tuple[str, ...]) -> bool:
    """Whether a word given as its forms is a function word in one of them ("kinds" is "kind")."""
    return any(_function_word(form) for form in forms)


@lru_cache(maxsize=16384)
def _forms(word: str) -> tuple[str, ...]:
    """``word`` first, then the base forms it may be an inflection of (lemminflect's lemmas for every part
    of speech: "bought" → buy, "companies" → company, "analyses" → analysis and analyse)."""
    lemmas = getAllLemmas(word) or {pos: getAllLemmasOOV(word, pos)[pos] for pos in ("NOUN", "VERB")}
    forms = [word, *(lemma.lower() for found in lemmas.values() for lemma in found)]
    if not getAllLemmas(word) and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])  # the plural of a word lemminflect does not know: "kpis" → kpi, "kols" → kol
    return tuple(dict.fromkeys(forms))


def parse_glossary(lines: Iterable[str], source: str = "glossary.tsv") -> Glossary:
    """The glossary in ``lines`` (``english<TAB>中文|中文`` per line; # comments and blank lines skipped)."""
    entries: dict[tuple[str, ...], tuple[str, ...]] = {}
    sections: dict[str, list[str]] = {}
    section = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if line.startswith("# ---"):
            section = line.removeprefix("# ---").strip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise DocumentError(f"{source} line {number}: write 'english<TAB>中文|中文', got {line!r}")
        english, chinese = parts
        key = tuple(_words(english))
        terms = tuple(t.strip().lower() for t in chinese.split("|") if t.strip())
        if _HAN.search(english):
            raise DocumentError(f"{source} line {number}: the first column is the English phrase")
        if not key or not terms:
            raise DocumentError(f"{source} line {number}: both the English phrase and a Chinese term are needed")
        merged = entries.get(key, ())
        entries[key] = merged + tuple(t for t in terms if t not in merged)
        if section:
            sections.setdefault(section, []).extend(terms)
    return Glossary(entries, {name: tuple(dict.fromkeys(terms)) for name, terms in sections.items()})


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The bundled glossary (read once)."""
    try:
        text = GLOSSARY_PATH.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocumentError(f"{GLOSSARY_PATH}: cannot read the glossary ({exc}); reinstall Cehua") from exc
    return parse_glossary(text.splitlines(), str(GLOSSARY_PATH))


# Dictionary words kept for one English word the hand glossary lacks: the first ones the documents use
# (the commonest one when they use none).
DICTIONARY_TERMS = 2


def read_english(text: str, known: Callable[[str], bool] | None = None,
                 glossary: Glossary | None = None, senses: Senses | None = None, idioms_too: bool = True
                 ) -> Translation:
    """``text`` in Chinese terms, left to right: at each word the longer of the hand glossary's phrase and
    a dictionary phrase ("job interview" → 面试 before the glossary's "job"), else for a word the glossary
    does not know the dictionary's words (``cedict.lookup``), those ``known`` accepts first; what neither
    knows stays unmapped. A slip for a function word ("whats", "wat") is dropped like the word meant.

    With ``senses`` (every reading of an index does so: search, the quotes' focus, the English frame), a
    dictionary word's Chinese words are ranked by them instead: by the fitted sense model and by how near in
    meaning each is to the question's other words ("save" beside "discount" is 节省); the first
    ``DICTIONARY_TERMS`` are kept, those ``known`` accepts when it accepts any.

    With ``idioms_too``, an idiom of WordNet's (``idioms``) with more fixed words than the glossary's and the
    dictionary's phrases there, none of whose words, read alone, ``known`` accepts, and no dictionary or glossary
    phrase at its first word either ("keep tabs on": 标签, "carve up": 雕刻, "get the line off the ground": 地面),
    is dropped like a verb of asking: it says how something is asked or done, and word by word it would count as a
    subject the guidebooks lack. The words of its object are read as words. An idiom with a word they write ("wrap
    up": 包装) is read word by word."""
    hand = glossary or default_glossary()
    words = _words(hand.closed(text))
    forms = [_forms(w) for w in words]
    matches: list[tuple[str, tuple[str, ...]]] = []
    # The dictionary's candidates of each match read through it, and the English forms they gloss.
    keys: list[tuple[tuple[tuple[str, bool], ...], tuple[str, ...]] | None] = []
    unmapped: list[str] = []
    # Particles of phrasal verbs written apart from their verb ("break the strategy down"), read with it, and the
    # later words of an idiom dropped at its first word.
    particles: set[int] = set()
    # Clippings read as the words they begin (``_completions``), by their place among ``matches``.
    clippings: dict[int, tuple[tuple[str, ...], ...]] = {}
    i = 0
    while i < len(words):
        if i in particles:
            i += 1
            continue
        end, key = hand.longest_at(forms, i)
        phrase_end, phrase_key = cedict.phrase_key_at(forms, i)
        if idioms_too and (positions := idioms.idiom_at(forms, i)) and len(positions) > max(end, phrase_end) - i \
                and not all(_function_word(words[p]) for p in positions) \
                and not _writes_any([forms[p] for p in positions], known, hand, senses) \
                and not _phrase_written(forms, i, known, hand) \
                and not _overlapped(forms, positions, hand):
            particles.update(positions[1:])  # the words of its object are read as words
            i += 1
            continue
        if phrase_key is not None and phrase_end > end and not all(_function_word(w) for w in words[i:phrase_end]):
            if _unwritten_phrasal(phrase_key, forms[i:phrase_end], known, senses):
                i = phrase_end
                continue
            matches.append((" ".join(words[i:phrase_end]), _chosen(cedict.phrase_at(forms, i, known)[1], known)))
            keys.append((cedict.senses(phrase_key), (phrase_key,)))
            i = phrase_end
            continue
        particle, split_key = cedict.split_phrase_at(forms, i, lambda k: tuple(k.split()) in hand.entries) \
            if end <= i + 1 else (i, None)
        if split_key is not None and not (_function_forms(forms[i]) and _function_forms(forms[particle])):
            particles.add(particle)
            i += 1
            # The glossary's phrase when the dictionary has none the guidebooks write ("warming people up":
            # 预热); else the dictionary's: a verb with its object between is transitive ("break the plan
            # down" is 分解, not the glossary's 故障 of equipment that breaks down).
            unwritten = _unwritten_phrasal(split_key, [forms[i - 1], forms[particle]], known, senses)
            if (hand_key := tuple(split_key.split())) in hand.entries and (unwritten or not cedict.senses(split_key)):
                matches.append((f"{words[i - 1]} {words[particle]}", hand.entries[hand_key]))
                keys.append(None)
            elif not unwritten:
                matches.append((f"{words[i - 1]} {words[particle]}", _chosen(cedict.chinese_for(split_key), known)))
                keys.append((cedict.senses(split_key), (split_key,)))
            continue
        if key is not None:
            matches.append((" ".join(words[i:end]), hand.entries[key]))
            keys.append(None)
            i = end
            continue
        word = words[i]
        i += 1
        if word.isdigit() or word in NUMBER_WORDS or any(_function_word(f) for f in forms[i - 1]) or word in unmapped:
            continue
        joined = next(((word[:k], word[k:]) for k in range(2, len(word) - 1)
                       if (word[:k], word[k:]) in hand.entries), None)
        if joined is not None:  # "warmup": the glossary's "warm up" written as one word
            matches.append((word, hand.entries[joined]))
            keys.append(None)
            continue
        split = None if cedict.key_of(forms[i - 1]) else next(
            (f"{word[:k]} {word[k:]}" for k in range(2, len(word) - 1) if cedict.chinese_for(f"{word[:k]} {word[k:]}")),
            None)
        if split is not None:  # "followup": the dictionary's "follow up" written as one word
            matches.append((word, _chosen(cedict.chinese_for(split), known)))
            keys.append((cedict.senses(split), (split,)))
            continue
        slip = cedict.meant(word)
        if slip is not None and _function_word(slip):
            continue
        if slip is not None and (slip,) in hand.entries:  # "campain": the glossary's "campaign"
            matches.append((word, hand.entries[(slip,)]))
            keys.append(None)
            continue
        chinese = cedict.lookup(forms[i - 1], known)
        if chinese:
            matches.append((word, _chosen(chinese, known)))
            keys.append((cedict.word_senses(forms[i - 1]), _glossed_forms(forms[i - 1])))
        elif (completed := _completions(word, known, hand)) is not None:
            if completed:  # else the clipping of a function word ("incl"), dropped like it
                clippings[len(matches)] = completed
                matches.append((word, completed[0]))
                keys.append(None)
        else:
            unmapped.append(word)
    if senses is not None:
        for n, completed in clippings.items():
            context = [chinese[0] for m, (_, chinese) in enumerate(matches) if m != n]
            matches[n] = (matches[n][0], max(completed, key=lambda terms: senses.together(terms[0], context)))
        matches = _in_context(matches, keys, senses, known)
    return Translation(matches=matches, unmapped=unmapped)


def _completions(word: str, known: Callable[[str], bool] | None, glossary: Glossary
                 ) -> tuple[tuple[str, ...], ...] | None:
    """A chat clipping no dictionary glosses ("prep", "fest", "decor", "legit") read as the words it begins: the
    Chinese words (``known`` accepts, ``DICTIONARY_TERMS`` of them) of each word of the dictionary or the glossary
    it begins that has any, the commoner English word first ("fest": festival 节日, festive 喜庆); () when the
    commonest such word is a function word ("incl": include); None when it begins none, or without ``known``.
    Which one the question means is left to the words around it (``Senses.together``)."""
    if known is None:
        return None
    from knowledge.wordweights import general_zipf

    read: list[tuple[float, tuple[str, ...]]] = []
    for english in cedict.completions(word):
        if _function_word(english):
            read.append((general_zipf(english), ()))
            continue
        chinese = glossary.entries.get((english,)) or cedict.chinese_for(english)
        used = tuple(term for term in chinese if known(term))[:DICTIONARY_TERMS]
        if used:
            read.append((general_zipf(english), used))
    if not read:
        return None
    read.sort(key=lambda pair: -pair[0])
    if not read[0][1]:
        return ()
    return tuple(terms for _, terms in read if terms)


def _overlapped(forms: list[tuple[str, ...]], positions: Sequence[int], glossary: Glossary) -> bool:
    """Whether a glossary phrase starts at a later word of an idiom and runs past its end ("get *word* of mouth": the
    glossary's "word of mouth" 口碑 is what is asked about, not WordNet's "get word")."""
    return any(glossary.longest_at(forms, p)[0] > positions[-1] + 1 for p in positions[1:])


def _writes_any(forms: Sequence[tuple[str, ...]], known: Callable[[str], bool] | None, glossary: Glossary,
                senses: Senses | None) -> bool:
    """Whether ``known`` accepts a Chinese word of one of some words (given as their forms), each read alone by
    ``read_english``: the hand glossary's terms, or every sense the dictionary has (always, with no ``known``)."""
    return known is None or any(known(t) for f in forms
                                for t in read_english(f[0], known, glossary, senses, idioms_too=False).terms())


def _phrase_written(forms: list[tuple[str, ...]], start: int, known: Callable[[str], bool] | None,
                    glossary: Glossary) -> bool:
    """Whether a phrase of CC-CEDICT or the glossary at word ``start``, written together or with its object between
    ("break the plan down" 分解, "warming people up" 预热), has a Chinese word ``known`` accepts."""
    if known is None:
        return True
    keys = [cedict.phrase_key_at(forms, start)[1],
            cedict.split_phrase_at(forms, start, lambda k: tuple(k.split()) in glossary.entries)[1]]
    return any(known(w) for key in keys if key is not None
               for w in (*(w for w, _ in cedict.senses(key)), *glossary.entries.get(tuple(key.split()), ())))


def _unwritten_phrasal(key: str, forms: list[tuple[str, ...]], known: Callable[[str], bool] | None,
                       senses: Senses | None) -> bool:
    """Whether the dictionary phrase ``key`` is a phrasal verb (a particle last) none of whose Chinese words
    ``known`` accepts ("team up" 组队, "figure out" 摸清), nor has a guidebook word near enough in meaning to
    stand in for one (``Senses.stand_in``: "stand out" 出众 → 突出): an everyday verb of the asking, dropped
    like one, so that it does not count as a subject the guidebooks lack; its verb alone would be read in the
    wrong sense ("team" 团队, "figure" 人士)."""
    if forms[-1][0] not in cedict.PARTICLES or known is None:
        return False
    words = [w for w, _ in cedict.senses(key)]
    return not any(known(w) for w in words) and (senses is None or senses.stand_in(words) is None)


def _glossed_forms(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The English forms of a word the dictionary's candidates gloss: its forms, or the word a slip meant."""
    if any(cedict.senses(form) for form in forms):
        return forms
    key = cedict.key_of(forms)
    return (key,) if key else forms


def _in_context(matches: list[tuple[str, tuple[str, ...]]],
                keys: list[tuple[tuple[tuple[str, bool], ...], tuple[str, ...]] | None],
                senses: Senses, known: Callable[[str], bool] | None) -> list[tuple[str, tuple[str, ...]]]:
    """``matches`` with each dictionary word's Chinese words ranked by ``senses`` beside the likeliest
    Chinese word of every other match."""
    likeliest = [senses.rank(*key)[:1] if key and key[0] else
                 [next((t for t in chinese if senses.known(t)), chinese[0])]
                 for (_, chinese), key in zip(matches, keys, strict=True)]
    out = []
    for n, ((english, chinese), key) in enumerate(zip(matches, keys, strict=True)):
        if key is not None:
            context = [w for m, words in enumerate(likeliest) if m != n for w in words]
            chinese = _chosen(senses.rank(key[0], context, key[1])[:DICTIONARY_TERMS], known) or chinese
        out.append((english, chinese))
    return out


def _chosen(chinese: tuple[str, ...], known: Callable[[str], bool] | None) -> tuple[str, ...]:
    """The dictionary words kept for one English word or phrase: the first ones the documents use, or the
    commonest one when they use none."""
    used = [term for term in chinese if known is not None and known(term)]
    return tuple(used[:DICTIONARY_TERMS]) or chinese[:1]


# English written into a Chinese message (「做活動budget」「派coupon」「offline有邊啲渠道」): a run of Latin words.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’]*(?:[ \t-]+[A-Za-z][A-Za-z0-9'’]*)*")


def glossed_in_chinese(text: str, known: Callable[[str], bool], glossary: Glossary | None = None) -> str:
    """Chinese ``text`` with each English phrase written into it that the hand glossary knows (Hong Kong
    planners write 「做活動budget」「派coupon」) as the glossary's Chinese term, the first the documents use
    (``known``); a phrase the documents write as it is (app, kol) and a word the glossary lacks (facebook, pos)
    stay as typed."""
    hand = glossary or default_glossary()

    def read(match: re.Match[str]) -> str:
        words = _words(hand.closed(match.group(0)))
        forms = [_forms(word) for word in words]
        out: list[str] = []
        changed = False
        i = 0
        while i < len(words):
            end, key = hand.longest_at(forms, i)
            if key is not None and not known(" ".join(words[i:end])):
                out.append(_chosen(hand.entries[key], known)[0])
                changed, i = True, end
            else:
                out.append(words[i])
                i += 1
        return f" {' '.join(out)} " if changed else match.group(0)

    return _LATIN_RUN.sub(read, text)


def translate_query(text: str, known: Callable[[str], bool] | None = None,
                    glossary: Glossary | None = None, senses: Senses | None = None) -> str | None:
    """The Chinese terms an English question's words and phrases stand for (see ``read_english``; with
    ``senses``, a dictionary word's read as search reads it), joined by spaces; None when ``text`` has Han
    characters or nothing in it maps."""
    if _HAN.search(text):
        return None
    terms = read_english(text, known, glossary, senses).terms()
    return " ".join(terms) if terms else None


def search_query(text: str, known: Callable[[str], bool], glossary: Glossary | None = None) -> str | None:
    """What to search the Chinese index with for an English question; None when nothing maps.

    Each matched phrase gives the first of its terms that ``known`` says the guidebooks use (its first
    term when none is, so an unknown subject still counts as one): one term per English phrase, since
    good_match counts every query word, and a passage saying 成本 should not miss half of "cost" for
    lacking 费用. The words the glossary does not know follow as they are, so the index can tell an
    off-topic question by them."""
    if _HAN.search(text):
        return None
    translation = read_english(text, known, glossary)
    if not translation.matches:
        return None
    return _query_words([translation], known)


def _by_clause(question: str, known: Callable[[str], bool], glossary: Glossary | None, senses: Senses | None,
               words: Callable[[Sequence[Translation]], str]) -> str | None:
    """An English ``question`` as a Chinese message, clause by clause: 「situation，ask?」, each side the ``words`` of
    its clauses read by ``read_english`` (courtesy dropped). An asking clause with no word of its own ("…, what
    exactly should we look at?") asks about the clause before it. None when ``question`` has Han characters or
    nothing in it maps."""
    if _HAN.search(question):
        return None
    english = analyse(question.strip().lower())
    clauses = english.clauses
    read = [read_english(c.text, known, glossary, senses) for c in clauses]
    asks = [c.asks or i in english.leans for i, c in enumerate(clauses)]
    for i in range(1, len(clauses)):
        if asks[i] and not (read[i].matches or read[i].unmapped) and not asks[i - 1] and not clauses[i - 1].courtesy:
            asks[i - 1] = True
    if not any(r.matches for r in read):
        return None
    ask = words([r for r, a in zip(read, asks, strict=True) if a])
    background = words([r for r, a, c in zip(read, asks, clauses, strict=True) if not (a or c.courtesy)])
    if not ask:
        return f"{background}?"
    return f"{background}，{ask}?" if background else f"{ask}?"


def question_in_chinese(question: str, known: Callable[[str], bool], glossary: Glossary | None = None,
                        senses: Senses | None = None) -> str | None:
    """An English question in the guidebooks' Chinese terms, clause by clause (as ``search_query``): the
    clause that asks becomes an asking clause, the asker's situation ("We run a tea shop.") a clause before
    it. An asking clause with no word of its own ("…, what exactly should we look at?", "what do we do?")
    asks about the clause before it, as 「…,这个要看什么」 does in Chinese: that clause is asked with it, not
    taken for background. None when ``question`` has Han characters or nothing in it maps."""
    return _by_clause(question, known, glossary, senses, lambda read: _query_words(read, known))


def _query_words(read: Sequence[Translation], known: Callable[[str], bool]) -> str:
    """The search words of some clauses read by ``read_english``: one term per matched phrase, then the
    words nothing maps (see ``search_query``)."""
    out: list[str] = []
    for translation in read:
        for _, chinese in translation.matches:
            term = next((t for t in chinese if known(t)), chinese[0])
            if term not in out:
                out.append(term)
    unmapped = [w for translation in read for w in translation.unmapped]
    return " ".join(out + list(dict.fromkeys(unmapped)))
