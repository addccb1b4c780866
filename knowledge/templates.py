"""Plan templates as data: which chapters a plan of a given kind has, and how to recognise them.

Templates live in ``knowledge/templates/<name>.yaml``. Aliases there are written in Simplified script
and English; the Traditional forms are added on load, so a heading written in either script matches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from core.errors import NotFoundError
from core.text.numbering import strip_numbering
from core.text.scripts import to_simplified, written_forms
from core.text.segment import cut

_TEMPLATE_DIR = Path(__file__).with_name("templates")

_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\s#*_`「」『』“”\"'《》〈〉【】\[\]()（）:：、,，.。;；!！?？/\\|&＆+＋\-—–~～]+")


@lru_cache(maxsize=8192)
def normalize_heading(heading: str) -> str:
    """A heading reduced for matching: numbering, punctuation and spaces removed, Simplified, lower case."""
    return _PUNCT.sub("", to_simplified(strip_numbering(heading))).lower()


class TemplateChapter(BaseModel):
    """One chapter a plan of this kind has: titles per script, aliases people use, what it is about."""

    model_config = ConfigDict(extra="forbid")

    key: str
    title: dict[str, str]
    aliases: list[str] = Field(default_factory=list)
    required: bool = True
    drafted: bool = Field(default=False, description="A drafted plan has this chapter even though a plan people "
                                                     "wrote may leave it out (required chapters always are).")
    kind: str
    purpose: str
    shows_kind: bool = Field(default=False, description="A heading naming this chapter shows the plan's kind though "
                                                         "plans may leave it out (a promotion's theme).")
    phases: list[str] | None = None
    signals: list[str] = Field(default_factory=list, description="Words (regular expressions) a section doing this "
                                                                   "chapter's job uses: 宣传单, 满\\d+减.")

    def title_in(self, script: str) -> str:
        """The chapter title in ``script`` ('zh-Hans', 'zh-Hant' or 'en')."""
        return self.title.get(script) or self.title["zh-Hans"]


class Template(BaseModel):
    """A kind of plan: its title per script and its chapters in order."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: dict[str, str]
    keywords: list[str] = Field(default_factory=list, description="Words in a plan's title that name this kind.")
    chapters: list[TemplateChapter]
    _matches: dict[str, TemplateChapter | None] = PrivateAttr(default_factory=dict)  # heading -> match
    # The chapters the aliases were read from, each alias → (place, chapter), and the longest alias's length.
    _flat: tuple[list[TemplateChapter], dict[str, tuple[int, TemplateChapter]], int] | None = PrivateAttr(default=None)

    def chapter(self, key: str) -> TemplateChapter:
        """The chapter with ``key``; NotFoundError naming the keys when there is none."""
        for chapter in self.chapters:
            if chapter.key == key:
                return chapter
        keys = ", ".join(c.key for c in self.chapters)
        raise NotFoundError(f"template '{self.name}' has no chapter '{key}': use one of {keys}")

    @property
    def required(self) -> list[TemplateChapter]:
        """The chapters every plan of this kind must have."""
        return [c for c in self.chapters if c.required]

    def names(self, chapter: TemplateChapter) -> tuple[str, ...]:
        """The chapter's titles and aliases as ``normalize_heading`` reduces them (for containment checks)."""
        return _normalized_aliases(self.name, chapter.key, tuple(chapter.aliases))

    def match(self, heading: str) -> TemplateChapter | None:
        """The chapter a heading names, by its aliases in either script, ignoring numbering; or None.

        An exact alias wins; otherwise the chapter with the longest alias contained in the heading
        (so 「活动背景与目标」 is background, 「目标客群」 audience); ties go to the earlier chapter."""
        if heading in self._matches:
            return self._matches[heading]
        found = self._match(heading)
        if len(self._matches) < 4096:
            self._matches[heading] = found
        return found

    def covered(self, heading: str) -> float:
        """How much of ``heading`` (numbering aside) the alias it is matched by spans: 1.0 for a chapter's
        own name, 4/7 for 「活动内容与流程」 read as an offer by its alias 「活动内容」, 0.0 when no chapter matches."""
        chapter, text = self.match(heading), normalize_heading(heading)
        if chapter is None or not text:
            return 0.0
        aliases = _normalized_aliases(self.name, chapter.key, tuple(chapter.aliases))
        return max((len(a) / len(text) for a in aliases if a and a in text), default=0.0)

    def _match(self, heading: str) -> TemplateChapter | None:
        found = self.scored(heading)
        return found[1] if found else None

    def scored(self, heading: str) -> tuple[float, TemplateChapter] | None:
        """The chapter ``match`` gives and its score: 1000 + the alias's length for an exact alias, the
        length (+0.5 when the heading ends with it) for one contained in the heading; None when none is."""
        text = normalize_heading(heading)
        if not text:
            return None
        if self._flat is None or self._flat[0] is not self.chapters:  # a copy has chapters of its own
            # Each alias, normalised, with the first chapter that has it: the lookups below run for every heading.
            index: dict[str, tuple[int, TemplateChapter]] = {}
            for order, chapter in enumerate(self.chapters):
                for alias in _normalized_aliases(self.name, chapter.key, tuple(chapter.aliases)):
                    if alias:
                        index.setdefault(alias, (order, chapter))
            self._flat = (self.chapters, index, max(map(len, index), default=0))
        _, index, longest = self._flat
        best: tuple[float, int, TemplateChapter] | None = None
        size = len(text)
        # Every alias inside the heading is one of its substrings no longer than the longest alias.
        for i in range(size):
            for j in range(min(size, i + longest), i, -1):
                found = index.get(text[i:j])
                if found is None:
                    continue
                order, chapter = found
                # Chinese puts the head noun last: 「推广预算」 is a budget, 「预算执行进度」 a timeline.
                score = 1000.0 + size if i == 0 and j == size else (j - i) + (0.5 if j == size else 0.0)
                if best is None or score > best[0] or (score == best[0] and order < best[1]):
                    best = (score, order, chapter)
        return (best[0], best[2]) if best else None

    def same_job(self, chapter: TemplateChapter) -> TemplateChapter | None:
        """This template's chapter doing the job of ``chapter`` (another template's, or its own): the one with its
        key when that does the same kind of job, else this template's first chapter of its kind; None when none."""
        own = next((c for c in self.chapters if c.key == chapter.key), None)
        return own if own is not None and own.kind == chapter.kind else self.of_kind(chapter.kind)

    def of_kind(self, kind: str) -> TemplateChapter | None:
        """This template's first chapter doing the job ``kind`` names (background, budget, risk…), or None."""
        return next((c for c in self.chapters if c.kind == kind), None)


@lru_cache(maxsize=64)
def _normalized_aliases(template: str, key: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_heading(a) for a in aliases))


def _with_traditional(aliases: list[str]) -> list[str]:
    out: list[str] = []
    for alias in aliases:
        for form in (alias, *sorted(written_forms(alias) - {alias})):
            if form not in out:
                out.append(form)
    return out


def list_templates() -> list[str]:
    """The names of the bundled templates, sorted (e.g. ['annual', 'promotion'])."""
    return list(_bundled())


@lru_cache(maxsize=1)
def _bundled() -> tuple[str, ...]:
    # Read once: chapter_kind asks for every heading of every plan, and a directory listing costs more than it.
    return tuple(sorted(p.stem for p in _TEMPLATE_DIR.glob("*.yaml")))


@lru_cache(maxsize=16)
def _load(name: str) -> Template:
    path = _TEMPLATE_DIR / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["keywords"] = _with_traditional([str(k) for k in data.get("keywords", [])])
    for chapter in data["chapters"]:
        titles = [str(t) for t in chapter["title"].values()]
        chapter["aliases"] = _with_traditional(titles + [str(a) for a in chapter.get("aliases", [])])
        chapter["signals"] = _with_traditional([str(s) for s in chapter.get("signals", [])])
    return Template.model_validate(data)


def load_template(name: str = "promotion", *, copy: bool = True) -> Template:
    """The template called ``name``; NotFoundError naming the available ones when there is none.

    ``copy=False`` returns the shared cached instance, for callers that only read it."""
    key = (name or "").strip().lower()
    available = list_templates()
    if key not in available:
        raise NotFoundError(
            f"unknown plan template '{name}': use one of {', '.join(available)}", code="template_not_found"
        )
    return _load(key).model_copy(deep=True) if copy else _load(key)


def chapter_kind(template: Template, heading: str) -> TemplateChapter | None:
    """The chapter of ``template`` a heading names by what it means, not by one template's words: the best
    alias of any template for a chapter doing a job this template has (「推廣目的」 ends with the event
    template's 目的, so it is a promotion's background, not its 推广), its own on a tie; else the heading's
    words, its end first (Chinese puts the head noun last) — a word that ends the aliases of one kind of
    chapter only (「對象客戶」: 目标客户), or a CC-CEDICT synonym of it sharing two senses (时程 "timetable,
    schedule" → 时间表, 成效 "effect, result" → 效果). An English heading ("Risks & contingency", "Channel plan",
    "KPIs") is read the same way in the Chinese words its English words stand for (``english_reading``). None when
    no word says which chapter it is."""
    if template.name not in _bundled():
        return template.match(heading)
    return (_by_narrower(template.name, heading) or _by_alias(template.name, heading)
            or _by_word(template.name, heading) or _by_english(template.name, heading, words=True))


def chapter_named(template: Template, heading: str) -> TemplateChapter | None:
    """The chapter of ``template`` some template's alias names in ``heading`` (``chapter_kind`` without its
    reading of single words, which can mislead: 「万一出状况」 is no 市场状况)."""
    if template.name not in _bundled():
        return template.match(heading)
    return (_by_narrower(template.name, heading) or _by_alias(template.name, heading)
            or _by_english(template.name, heading, words=False))


@lru_cache(maxsize=4096)
def _by_alias(name: str, heading: str) -> TemplateChapter | None:
    template = _load(name)
    scored = [(found[0], other != name, found[1]) for other in _bundled()
              if (found := _load(other).scored(heading)) is not None]
    for _, _, chapter in sorted(scored, key=lambda s: (-s[0], s[1])):
        if (mine := template.same_job(chapter)) is not None:
            return mine
    return None


@lru_cache(maxsize=4096)
def _by_narrower(name: str, heading: str) -> TemplateChapter | None:
    """The chapter a heading names once a word of it is read as the alias word CC-CEDICT gives all its senses to
    (「應變措施」: 应变 "meet a contingency" is a sense of 应急, and 应急措施 is the risk chapter's alias, where
    措施 alone is also the after-sales plan's measures); only a heading that becomes some template's alias as a
    whole is read so."""
    narrower, text = _narrower_synonyms(), normalize_heading(heading)
    # By substrings, longest first, not jieba's words: it keeps 应变措施 and 应变计划 whole.
    longest = max(map(len, narrower), default=0)
    out: list[str] = []
    i = 0
    while i < len(text):
        size = next((n for n in range(min(longest, len(text) - i), 1, -1) if text[i:i + n] in narrower), 0)
        out.append(narrower[text[i:i + size]] if size else text[i])
        i += size or 1
    rewritten = "".join(out)
    if rewritten == text:
        return None
    if not any((found := _load(other).scored(rewritten)) is not None and found[0] >= _EXACT for other in _bundled()):
        return None
    return _by_alias(name, rewritten)


_EXACT = 1000.0  # Template.scored's score for a heading that is an alias


@lru_cache(maxsize=4096)
def _by_word(name: str, heading: str) -> TemplateChapter | None:
    template = _load(name)
    text = normalize_heading(heading)
    words = [w for w in cut(text, hmm=False) if _HAN.search(w)]
    ends = [text[-n:] for n in (4, 3, 2) if len(text) >= n and _HAN.fullmatch(text[-n:][0]) and _HAN.search(text[-n:])]
    heads = _head_words()
    for word in dict.fromkeys([*ends, *reversed(words)]):
        kinds = heads.get(word) or heads.get(_heading_synonyms().get(word, ""))
        if kinds:
            mine = {c.key: c for c in (template.of_kind(k) for k in kinds) if c is not None}
            return next(iter(mine.values())) if len(mine) == 1 else None
    return None


@lru_cache(maxsize=4096)
def _by_english(name: str, heading: str, words: bool) -> TemplateChapter | None:
    reading = english_reading(heading)
    if not reading:
        return None
    return _by_alias(name, reading) or (_by_word(name, reading) if words else None)


_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=4096)
def english_reading(heading: str) -> str:
    """The Chinese words an English heading's words stand for, in its order ("Risks & contingency" → 风险应急预案,
    "Channel plan" → 渠道方案), the longest phrase first; words that name no chapter's job are left out, and a
    heading with none gives ''."""
    table = _english_words()
    words = _LATIN_WORD.findall(heading.lower())
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_ENGLISH_PHRASE_WORDS, len(words) - i), 0, -1):
            chinese = table.get(" ".join(words[i:i + n]))
            if chinese is not None:
                out.append(chinese)
                i += n
                break
        else:
            i += 1
    return "".join(out)


HEADING_SYNONYMS = _TEMPLATE_DIR / "heading_synonyms.json"
_ENGLISH_PHRASE_WORDS = 3


@lru_cache(maxsize=1)
def _heading_synonyms() -> dict[str, str]:
    """Word → the alias head word it is a CC-CEDICT synonym of (``HEADING_SYNONYMS``, written by
    ``heading_synonyms_from_cedict``: reading the dictionary takes seconds, the table a millisecond)."""
    return dict(json.loads(HEADING_SYNONYMS.read_text(encoding="utf-8"))["synonyms"])


@lru_cache(maxsize=1)
def _narrower_synonyms() -> dict[str, str]:
    """Word → the word of the templates' aliases CC-CEDICT gives all its senses to (``HEADING_SYNONYMS``' narrower
    table, written by ``narrower_synonyms_from_cedict``)."""
    return dict(json.loads(HEADING_SYNONYMS.read_text(encoding="utf-8")).get("narrower", {}))


@lru_cache(maxsize=1)
def _english_words() -> dict[str, str]:
    """English word or phrase, in each of its forms → the Chinese word a heading means by it (``HEADING_SYNONYMS``'
    English table, written by ``english_heading_words``)."""
    return dict(json.loads(HEADING_SYNONYMS.read_text(encoding="utf-8"))["english"])


def english_heading_words() -> dict[str, str]:
    """Each English word or phrase (and its plural) a heading may use for a chapter's job → the Chinese word it
    stands for: the marketing glossary's phrases whose first Chinese term naming a chapter's job is taken (kpi →
    关键指标, contingency plan → 应急预案), then CC-CEDICT's glosses of the words that end the templates' aliases
    and of their synonyms, where that word is one general Chinese uses most for the gloss (schedule → 时间表,
    slogan → 口号). Function words and everyday verbs of asking (need, want, take) are left out, and so is a gloss
    whose words name different kinds of chapter."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    from knowledge import cedict
    from knowledge.glossary import STOPWORDS, default_glossary

    heads, synonyms = _head_words(), _heading_synonyms()
    named: dict[str, set[str]] = {}  # each alias → the kinds of chapter it names
    for name in _bundled():
        for chapter in _load(name).chapters:
            for alias in _normalized_aliases(name, chapter.key, tuple(chapter.aliases)):
                named.setdefault(alias, set()).add(chapter.kind)

    def kinds(word: str) -> frozenset[str]:
        text = normalize_heading(word)
        if text in named:
            return frozenset(named[text])
        found = [w for w in cut(text, hmm=False) if _HAN.search(w)]
        return heads.get(found[-1]) or heads.get(synonyms.get(found[-1], ""), frozenset()) if found else frozenset()

    chosen: dict[str, set[tuple[str, frozenset[str]]]] = {}
    glossary = default_glossary().entries
    for words, terms in sorted(glossary.items()):
        term = next((t for t in terms if kinds(t)), None)
        if term is not None and not all(w in STOPWORDS for w in words):
            chosen.setdefault(" ".join(words), set()).add((term, kinds(term)))
    for word in sorted({*heads, *synonyms, *(a for a in named if _HAN.search(a))}):
        for gloss in cedict.glosses(word):
            if (len(gloss.split()) <= 2 and gloss not in chosen and gloss.split()[-1] not in STOPWORDS
                    and word in cedict.chinese_for(gloss)):
                chosen.setdefault(gloss, set()).add((word, kinds(word)))
    table: dict[str, str] = {}
    for key, found in sorted(chosen.items()):
        if len({k for _, k in found}) != 1:
            continue  # 'place': 地点 (a time-and-place chapter) or 场地 (the venue)
        chinese = min(w for w, _ in found)
        *first, last = key.split()
        plurals = getAllInflections(last, upos="NOUN") or getAllInflectionsOOV(last, upos="NOUN")  # kpi → kpis
        for form in (last, *(f for fs in plurals.values() for f in fs)):
            table.setdefault(" ".join([*first, form]), chinese)
    return table


def heading_synonyms_from_cedict() -> dict[str, str]:
    """Each word CC-CEDICT gives two senses in common with a word that ends the templates' aliases (时程
    "timetable, schedule" and 时间表; 开支 "expenses, expenditures" and 费用) → that word; a word that ends
    aliases itself is left out, and so is one shared by heads of different kinds of chapter."""
    from knowledge.cedict import synonyms

    heads = _head_words()
    found: dict[str, set[str]] = {}
    for head in sorted(heads):
        for word in synonyms(head):
            if word not in heads:
                found.setdefault(word, set()).add(head)
    return {word: min(hs) for word, hs in sorted(found.items()) if len({k for h in hs for k in heads[h]}) == 1}


def narrower_synonyms_from_cedict() -> dict[str, str]:
    """Each word (two characters or more) all of whose CC-CEDICT senses one word of the templates' aliases has (应变
    "meet a contingency" → 应急 "meet a contingency, emergency") → that word; a word of the aliases itself is left
    out, and so is one whose senses two alias words have (散布: 宣传 and 传播)."""
    from knowledge import cedict

    words = {w for name in _bundled() for chapter in _load(name).chapters
             for alias in _normalized_aliases(name, chapter.key, tuple(chapter.aliases))
             for w in cut(alias, hmm=False) if _HAN.search(w) and len(w) >= 2}
    found: dict[str, set[str]] = {}
    for word in sorted(words):
        own = cedict.senses_of(word)
        for other in cedict.glossed_alike(word):
            theirs = cedict.senses_of(other)
            if len(other) >= 2 and other not in words and _HAN.search(other) and theirs and theirs <= own:
                found.setdefault(other, set()).add(word)
    return {other: next(iter(ws)) for other, ws in sorted(found.items()) if len(ws) == 1}


@lru_cache(maxsize=1)
def _head_words() -> dict[str, frozenset[str]]:
    """Each word that ends a Chinese alias of some template (its head noun: 客户 of 目标客户) → the kinds of
    chapter whose aliases it ends."""
    out: dict[str, set[str]] = {}
    first: dict[str, set[str]] = {}
    for name in _bundled():
        for chapter in _load(name).chapters:
            for alias in _normalized_aliases(name, chapter.key, tuple(chapter.aliases)):
                words = [w for w in cut(alias, hmm=False) if _HAN.search(w)]
                if words and len(words[-1]) >= 2:
                    out.setdefault(words[-1], set()).add(chapter.kind)
                if len(words) > 1:
                    first.setdefault(words[0], set()).add(chapter.kind)
    # A word that opens the aliases of several kinds (活动 of 活动背景, 活动主题, 活动预算) says nothing of which.
    return {word: frozenset(kinds) for word, kinds in out.items() if len(first.get(word, ())) < 2}


def choose_template(title: str, headings: Sequence[str]) -> Template:
    """The bundled template that best fits a plan with this title and these chapter headings.

    Each template is scored from its own data: how well its chapters cover the headings and the headings
    its required chapters and those that show its kind (an F1 of the two, recall smoothed), plus the title words it
    lists as ``keywords``, each weighted by how few templates share it (「活动方案」 says little, 「售后」 much). Ties go
    to promotion."""
    templates = [_load(name) for name in list_templates()]
    title_text = normalize_heading(title) if title else ""
    shared: dict[str, int] = {}
    for template in templates:
        for word in {normalize_heading(k) for k in template.keywords}:
            shared[word] = shared.get(word, 0) + 1
    best: tuple[float, int, Template] | None = None
    for template in templates:
        matched = [template.match(h) for h in headings]
        # A required chapter counts by how much of its heading the template's alias spans: 「活动内容与流程」 is
        # the event template's own chapter name but only 「活动内容」 of promotion's offer (fix19's Qixi pop-up
        # plan). Precision still counts whole headings: weighting it too made one matching chapter enough to
        # show a kind (fit_plan_kind's cut-off fell from 2 to 1, and a lone 「活动目的」 would name one).
        covered = [template.covered(h) for h in headings]
        keys: dict[str, float] = {}
        for m, c in zip(matched, covered, strict=True):
            if m is not None:
                keys[m.key] = max(keys.get(m.key, 0.0), c)
        required = {c.key for c in template.chapters if c.required or c.shows_kind}
        precision = sum(1 for m in matched if m is not None) / len(headings) if headings else 0.0
        # Recall with a uniform prior (Laplace): two headings do not prove a kind that requires only two
        # chapters as surely as seven prove one that requires nine (「活動目的」「活動內容」 fit service's
        # two required chapters, and a skincare promotion was judged an after-sales plan).
        recall = (sum(keys.get(k, 0.0) for k in required) + 1) / (len(required) + 2) if required else 0.0
        fit = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        words = {normalize_heading(k) for k in template.keywords}
        title_score = sum(1.0 / shared[w] for w in words if w and w in title_text)
        score = fit + 0.25 * min(title_score, 2.0)
        rank = 0 if template.name == "promotion" else 1
        if best is None or score > best[0] + 1e-9 or (abs(score - best[0]) <= 1e-9 and rank < best[1]):
            best = (score, rank, template)
    assert best is not None  # the bundled templates are never empty
    return best[2]


__all__ = ["Template", "TemplateChapter", "chapter_kind", "chapter_named", "choose_template", "english_heading_words",
           "english_reading", "list_templates", "load_template", "narrower_synonyms_from_cedict", "normalize_heading"]
