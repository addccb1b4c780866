"""What a planner's message asks: its clauses, the clause(s) that ask, and the words around them.

Planners type questions the way they talk: 「我们是一家奶茶店,老板让我做个活动方案,价格促销一般有哪些
手段啊?谢谢」. Only 「价格促销一般有哪些手段」 asks; the shop and the boss are context, 「谢谢」 is
courtesy. ``analyse`` splits a Simplified message into clauses and gives each word a role:

- ``topic``: a word of an asking clause — what the answer must be about;
- ``context``: a word of a clause that does not ask (「我们是一家奶茶店」), or a name in the asking
  clause — an occasion, brand, person or place (双十一, 中秋节, 母亲节), which jieba's dictionary tags
  as a time word or proper noun: the answer is rarely about the name itself;
- ``form``: question words and grammar (什么, 怎么, 吗, 的, 我们), written Cantonese grammar too (几耐, 点样, 边啲:
  words tagged so by the Hong Kong Cantonese Corpus, ``core.text.cantonese``): the shape of the question;
- ``courtesy``: thanks, greetings and spoken fillers (谢谢, 请问, 嗯, 那个).

An asking clause that leans on the clause before it (「…搞个联合促销,这个到底是啥意思」: a pronoun, or
no word of its own) takes that clause's words as topic words too. Several asking clauses make a
multi-part question: ``parts`` gives each one, so every part can be answered.

Only closed classes are listed here (question words, pronouns, courtesy); how much a word says
about a topic is measured elsewhere, from word frequencies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from core.text import cantonese, segment
from core.text.scripts import as_mandarin

Role = Literal["topic", "context", "form", "courtesy"]

# Clause boundaries: punctuation, ellipses and line breaks.
_CLAUSE = re.compile(r"([,，;；。!！?？\n…~～]+|\.{3,}|(?<=[A-Za-z])\.(?=\s))")
# Letters and digits written together are one name (4P, B2B, O2O, 3C), not a number and a letter.
_TOKEN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]+|\d+[A-Za-z][A-Za-z\d]*|[A-Za-z][A-Za-z\d'’-]*|\d+(?:[.:]\d+)*[%％]?")
# Question words: a clause holding one asks something (「啥」「咋」 are how planners type them).
QUESTION_WORDS = frozenset(
    """什么 怎么 怎样 怎么样 如何 哪 哪些 哪个 哪种 哪里 哪儿 哪几 哪几种 哪几个 哪一 多少 多久 多长 多长时间 几 几种 几个
    为什么 为何 是否 有没有 能不能 可不可以 要不要 是不是 会不会 该不该 啥 咋 咋样 咋办 吗 呢 么 嘛 怎么办 何时 多大 多高
    哪些方面 什么样 怎么做 如何做 点样 咩 乜 几耐 几多 边个""".split()
)
# Written Cantonese question words the Mandarin reading (``as_mandarin``) leaves as they are, or turns into no
# Mandarin question word: 点 (how: 「之后点跟进先啱」), 点算 (what to do), 几时 (when), 边啲 (which, 边些 once 啲
# reads 些), 系咪 (is it, 是不 once read); with 有冇 (有没) they ask in a written Cantonese message.
CANTONESE_QUESTION_WORDS = frozenset("点 点算 几时 边啲 边些 系咪 是不 有冇 有没".split())
_ENGLISH_QUESTION = frozenset(
    """what how which why when where who whom whose do does did can could should would is are was were will
    shall may might must any""".split()
)
# 「靠不靠谱」「有没有」「要不要」: an A-not-A question (「使唔使」 in written Cantonese).
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不唔]\1")
# Thanks, greetings and spoken fillers: courtesy wherever they stand.
COURTESY = frozenset(
    """谢谢 谢谢你 谢谢您 谢谢啦 谢啦 谢了 多谢 感谢 麻烦 麻烦了 麻烦你 辛苦 辛苦了 请问 请教 你好 您好 哈喽 嗨 老师
    嗯 嗯嗯 呃 额 唔 哦 噢 哈 哈哈 那个 那个啥 就是 就是说 我想问 想问 我想问下 想问下 问下 问一下 请教一下 先谢谢 先谢
    thanks thank you please hi hello hey um uh so""".split()
)
# Courtesy that opens a clause, taken off before segmenting.
_COURTESY_OPENING = re.compile(r"^(?:(?:我|就是)?(?:想|还想)?(?:请问|请教|问一下|问下|问问|咨询一下|了解一下)(?:一下)?\s*)")
# Pronouns pointing back at the clause before: 「这个到底是啥意思」 asks about what was just said.
_POINTS_BACK = re.compile(r"^(?:那么|那)?(?:这个|这样|这种|这些|这|那个|那样|那种|那些|它们|它|其|此)")
# Words of the speaker's own situation that are phrasing, not subject: 我们, 你们, 咱们 …
_PRONOUNS = frozenset("我 我们 咱 咱们 你 你们 您 他 他们 她 她们 它 它们 大家 自己 人家".split())
# Modal verbs (jieba tags them as plain verbs): 「我们应该怎么应对」 asks about 应对, and leans on the
# clause before it for what is to be met.
_MODALS = frozenset("应该 应当 能 能够 会 要 需要 须 必须 得 该 可以 可能 值得".split())
# Nouns that only shape a question: 「什么时候」, 「…的话」.
_GRAMMAR_NOUNS = frozenset("时候 的话".split())
# Sentence-final particles jieba does not always tag as such (「手段啊」).
_PARTICLES = frozenset("啊 呀 吧 啦 嘛 呗 咯 喔 哇".split())
# jieba dictionary tags for grammar (pronoun, particle, preposition, conjunction, modal, interjection,
# onomatopoeia, measure word, punctuation, adverb: 到底, 大概, 通常), form; numbers (618, 双十一's 双十) are context, and so are
# occasions: time words and names of festivals, seasons and dates.
_FORM_TAGS = ("r", "u", "p", "c", "y", "e", "o", "q", "x", "uj", "ul", "uz", "ud", "ug", "uv", "d",
              "vu", "v1", "d1", "y1")  # the last four: the Hong Kong corpus's modal, 有/冇, adverb and particle tags
_NAME_TAGS = ("m",)
# A time word (jieba tag t) is an occasion when it names a festival, season or date (春节, 七夕, 夏季,
# 周末), not when it is a state like 逾期.
_OCCASION_ENDS = tuple("节夕季年月日周末庆")
_OCCASION_TAGS = ("t", "nr", "nz", "ns")  # jieba tags 母亲节 as a name
# Characters that never belong inside a compound noun: a word jieba's HMM guessed (not in its
# dictionary) holding one is words run together (前要 = 前 + 要, 问些 = 问 + 些).
GRAMMAR_CHARS = frozenset("的了是在要把被些吗呢吧啊么呀哪谁啥和与及或都就也还又并而该需请这那其之我你他她它每各如让给做想前后")
# A written Cantonese word is put back together from at most this many of jieba's pieces (不 | 使, 少 | 少).
_CANTONESE_JOIN = 3
# Tags of a character that ends a sentence rather than a word: modal particles and interjections (jieba's and the
# Hong Kong Cantonese Corpus's y, e: 吗, 呢, 吧, 啊, 哦) and jieba's 的 (uj) and 了 (ul). jieba's dictionary holds
# some words run together with one (有用吗, 不错呀): their particle is the question's grammar, not a topic.
_PARTICLE_TAGS = frozenset(("y", "e", "uj", "ul"))
# A name tagged by jieba counts as context only when at least this long (「春」 alone is a season word).
_MIN_NAME_CHARS = 2


@dataclass(frozen=True)
class Word:
    """One word of a message and what it does there."""

    text: str
    role: Role
    clause: int  # index of the clause it belongs to
    tag: str = ""  # jieba's part-of-speech tag ('' for Latin words and numbers)


@dataclass(frozen=True)
class Clause:
    """One clause of a message: what it says, and whether it asks."""

    text: str
    asks: bool
    courtesy: bool  # nothing but thanks, greetings or fillers


@dataclass(frozen=True)
class Analysis:
    """A message taken apart: its clauses and its words with their roles."""

    text: str
    clauses: tuple[Clause, ...]
    words: tuple[Word, ...]
    leans: tuple[int, ...]  # clauses whose words count as topic because an asking clause points back at them
    guessed: bool = False  # no clause asks in so many words: the last one that says something was taken

    @property
    def asked(self) -> str:
        """What the message asks: its asking clause(s) (``asking``) when one asks in so many words,
        else everything but courtesy (a statement, or 「满减门槛设置」)."""
        return self.without_courtesy if self.guessed else self.asking

    def by_role(self, *roles: Role) -> list[str]:
        """The words in ``roles``, in order, each once."""
        seen: list[str] = []
        for word in self.words:
            if word.role in roles and word.text not in seen:
                seen.append(word.text)
        return seen

    @property
    def topic(self) -> list[str]:
        return self.by_role("topic")

    @property
    def context(self) -> list[str]:
        return self.by_role("context")

    @property
    def asking(self) -> str:
        """The clause(s) that ask, with any clause they point back at, as one text."""
        keep = [i for i, c in enumerate(self.clauses) if c.asks or i in self.leans]
        return "，".join(self.clauses[i].text for i in keep) or self.without_courtesy

    @property
    def background(self) -> str:
        """The clauses that neither ask nor are pointed back at, nor are courtesy: the asker's situation."""
        keep = [c.text for i, c in enumerate(self.clauses) if not (c.asks or c.courtesy or i in self.leans)]
        return "，".join(keep)

    @property
    def without_courtesy(self) -> str:
        """The message without clauses that are only thanks, greetings or fillers."""
        return "，".join(c.text for c in self.clauses if not c.courtesy) or self.text

    @property
    def parts(self) -> list[str]:
        """Each asking clause as a question of its own (two for 「A怎么设?B又是什么?」); a clause it
        points back at is put in front of it."""
        out: list[str] = []
        for i, clause in enumerate(self.clauses):
            if clause.asks:
                before = self.clauses[i - 1].text + "，" if i - 1 in self.leans else ""
                out.append(before + clause.text)
        return out or [self.without_courtesy]


def _tagged(text: str, cantonese_reading: bool = False) -> list[tuple[str, str]]:
    """jieba words of a Han run with their dictionary tags (written Cantonese words among them); read as
    written Cantonese (``_read_as_cantonese``) when the message is."""
    pairs: list[tuple[str, str]] = []
    for word, flag in (_read_as_cantonese(text) if cantonese_reading else segment.tagged(text)):
        particle = "" if cantonese.tag(word) else _trailing_particle(word)
        if particle:  # 「有用吗」 asks 吗 about 有用
            pairs.extend((*segment.tagged(word[:-1], hmm=False), (word[-1], particle)))
            continue
        asks_first = next((q for q in ("哪些", "什么", "哪个", "哪种", "啥", "怎么") if word.startswith(q) and len(word) > len(q)), "")
        if (len(word) >= 2 and not segment.in_dictionary(word) and not cantonese.tag(word)
                and any(ch in GRAMMAR_CHARS for ch in word)):
            pairs.extend(segment.tagged(word, hmm=False))
        elif asks_first:  # 「哪些项目」 is in jieba's dictionary, but asks 哪些 about 项目
            pairs.append((asks_first, "r"))
            pairs.extend(segment.tagged(word[len(asks_first):]))
        else:
            pairs.append((word, flag))
    # Characters jieba left alone that were written together and are no grammar make one word it does
    # not know (年, 会 → 年会; 选, 品 → 选品). Not in written Cantonese: there they are Hong Kong words the
    # corpus does not list either, or a verb and its complement (设 | 高, 拣 | 货, 闹 | 爆), no topic of a guidebook.
    if cantonese_reading:
        return pairs
    out: list[tuple[str, str]] = []
    for word, flag in pairs:
        if (out and len(word) == 1 and _gluable(word, flag) and len(out[-1][0]) >= 1
                and all(len(w) == 1 for w in [out[-1][0]]) and _gluable(*out[-1])):
            out[-1] = (out[-1][0] + word, "n")
            continue
        out.append((word, flag))
    return out


@lru_cache(maxsize=1)
def _hong_kong_tags() -> dict[str, str]:
    """The Hong Kong corpus's tag of each word it uses (``cantonese.spoken_tag``), also as the word reads once
    written Cantonese is put into Mandarin (唔使 → 不使, 有冇 → 有没), as the questions searched are."""
    tagged = {word: tag for word, tag, _ in cantonese.words() if cantonese.spoken_tag(word)}
    return {**{as_mandarin(word): tag for word, tag in tagged.items()}, **tagged}


def _hong_kong_tag(word: str, grammar: bool = False) -> str:
    """``word``'s tag in the Hong Kong corpus (Simplified, or as ``as_mandarin`` writes it: 不使 for 唔使), with
    ``grammar`` only when the corpus uses it mostly as grammar; '' when it does not say."""
    tag = _hong_kong_tags().get(word, "")
    return tag if not grammar or tag in cantonese.GRAMMAR_TAGS else ""


def _read_as_cantonese(text: str) -> list[tuple[str, str]]:
    """The words of a Han run of a written Cantonese message, the Hong Kong corpus's before jieba's: jieba's
    dictionary words without its guesses (its HMM glues 点 "how" to the verb after it: 点执, 点写), put back
    together where they make one word of the corpus (少 | 少 → 少少; 不 | 使 → 不使, 唔使 as Mandarin writes it)
    and tagged as the corpus tags them; a single word the corpus uses mostly as grammar takes its tag over a
    Mandarin homograph's (点 how, 咁 so, 埋 along, 住 and 返 aspect, 点算 what to do)."""
    words = segment.tagged(text, hmm=False)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(_CANTONESE_JOIN, len(words) - i), 1, -1):
            joined = "".join(word for word, _ in words[i:i + n])
            tag = _hong_kong_tag(joined)
            if tag:
                out.append((joined, tag))
                i += n
                break
        else:
            word, flag = words[i]
            out.append((word, _hong_kong_tag(word, grammar=True) or flag))
            i += 1
    return [(word, "r" if word in CANTONESE_QUESTION_WORDS else tag) for word, tag in out]


def _trailing_particle(word: str) -> str:
    """The tag of the sentence particle a word of at least three characters ends with when the rest is a
    dictionary word (有用吗 → 吗 'y'), '' when it ends with none."""
    if len(word) < 3 or not segment.in_dictionary(word[:-1]):
        return ""
    last = word[-1]
    tag = segment.tagged(last, hmm=False)[0][1]
    return tag if tag in _PARTICLE_TAGS else ("y" if cantonese.tag(last) in _PARTICLE_TAGS else "")


def _gluable(word: str, flag: str) -> bool:
    return len(word) == 1 and word not in GRAMMAR_CHARS and flag not in _FORM_TAGS and flag != "d"


def _cantonese_grammar(word: str) -> bool:
    """True for a written Cantonese word Mandarin dictionaries lack that is grammar (几耐, 点样, 边啲)."""
    return len(word) >= 2 and not segment.in_dictionary(word) and cantonese.is_grammar(word)


def courtesy_opening(text: str) -> str:
    """The courtesy a clause opens with (「想问下」 of 「想问下年假…」), '' when none: segmenting it with what
    follows would give 问 / 下年 / 假, so what reads a clause's words takes it off first."""
    opening = _COURTESY_OPENING.match(text)
    return opening.group(0) if opening else ""


def _words_of(text: str, cantonese_reading: bool = False) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    opening = courtesy_opening(text)
    if opening:
        out.extend((word, "courtesy") for word in opening.split() if word)
        text = text[len(opening):]
    for token in _TOKEN.findall(text):
        if re.match(r"[\u3400-\u9fff\U00020000-\U0002ffff]", token):
            # 「靠不靠谱」「赚不赚钱」 ask about 靠谱, 赚钱: the A-not-A only makes the clause a question (see
            # ``_asks``); segmented as typed it gives 靠 / 不靠 / 谱, words no guidebook writes. Written Cantonese's
            # 「使唔使」 asks with a modal: it is read as that modal (唔使, need not), grammar like 要不要.
            out.extend(_tagged(_A_NOT_A.sub(lambda m: _not_a(m, cantonese_reading), token), cantonese_reading))
        else:
            out.append((token.lower(), "eng" if any(c.isalpha() for c in token) else "m"))
    return out


def _not_a(match: re.Match[str], cantonese_reading: bool) -> str:
    """What an A-not-A (靠不靠, 使唔使) stands for: its verb; in written Cantonese, the negated verb when the Hong
    Kong corpus uses that as grammar (唔使 for 使唔使)."""
    negated = match.group(0)[1:]
    return negated if cantonese_reading and _hong_kong_tag(negated, grammar=True) else match.group(1)


def _asks(text: str, ended_with_question_mark: bool, words: list[tuple[str, str]],
          cantonese_reading: bool = False) -> bool:
    if ended_with_question_mark or _A_NOT_A.search(text):
        return True
    if any(w in QUESTION_WORDS or (cantonese_reading and w in CANTONESE_QUESTION_WORDS) for w, _ in words):
        return True
    latin = [w for w, tag in words if tag == "eng"]
    # "what's", "how's", "who’s" ask as "what", "how", "who" do.
    return bool(latin) and re.split("['’]", latin[0])[0] in _ENGLISH_QUESTION


def _role(word: str, tag: str) -> Role:
    if word in COURTESY or tag == "courtesy":
        return "courtesy"
    if (word in QUESTION_WORDS or word in _PRONOUNS or word in _MODALS or word in _PARTICLES or word in _GRAMMAR_NOUNS
            or tag in _FORM_TAGS or not word.strip() or _cantonese_grammar(word)):
        return "form"
    if tag in _NAME_TAGS or (tag in _OCCASION_TAGS and len(word) >= _MIN_NAME_CHARS
                             and word.endswith(_OCCASION_ENDS)):
        return "context"
    return "topic"


# Question words typed with the wrong last character (什莫, 怎麽, 神马): they must still read as question
# words, not as unknown topic words.
_QUESTION_WORD_SLIPS = re.compile(r"(什|怎)[莫麽末嚒]|神马")


@lru_cache(maxsize=4096)
def analyse(text: str, cantonese_reading: bool = False) -> Analysis:
    """The clauses and words of a Simplified message (lower-cased Latin), with their roles; with
    ``cantonese_reading`` (the message is written Cantonese, ``cantonese.is_written`` of it as typed) its words
    are read as Hong Kong speech uses them (``_read_as_cantonese``)."""
    text = _QUESTION_WORD_SLIPS.sub(lambda m: (m.group(1) or "什") + "么", text)
    pieces = _CLAUSE.split(text.strip())
    raw: list[tuple[str, bool]] = []
    for i in range(0, len(pieces), 2):
        body = pieces[i].strip()
        mark = pieces[i + 1] if i + 1 < len(pieces) else ""
        if body:
            raw.append((body, "?" in mark or "？" in mark))
    clauses: list[Clause] = []
    tagged: list[list[tuple[str, str]]] = []
    for body, question_mark in raw:
        words = _words_of(body, cantonese_reading)
        meaningful = [w for w, tag in words if _role(w, tag) not in ("courtesy", "form")]
        courtesy = not meaningful and any(w in COURTESY for w, _ in words)
        clauses.append(Clause(body, not courtesy and _asks(body, question_mark, words, cantonese_reading), courtesy))
        tagged.append(words)
    guessed = bool(clauses) and not any(c.asks for c in clauses)
    if guessed:
        # No clause asks in so many words (「满减门槛设置」): the last one that says something does.
        last = max((i for i, c in enumerate(clauses) if not c.courtesy), default=len(clauses) - 1)
        clauses[last] = Clause(clauses[last].text, True, clauses[last].courtesy)
    leans: list[int] = []
    for i, clause in enumerate(clauses):
        if not clause.asks or i == 0 or clauses[i - 1].asks or clauses[i - 1].courtesy:
            continue
        own = [w for w, tag in tagged[i] if _role(w, tag) == "topic" and len(w) >= 2]
        if _POINTS_BACK.match(clause.text) or len(own) <= 1:
            leans.append(i - 1)
    found: list[Word] = []
    for i, (clause, pairs) in enumerate(zip(clauses, tagged, strict=True)):
        for word, tag in pairs:
            role = _role(word, tag)
            if role == "topic" and not (clause.asks or i in leans):
                role = "context"
            found.append(Word(word, role, i, tag))
    return Analysis(text, tuple(clauses), tuple(found), tuple(leans), guessed)


__all__ = ["CANTONESE_QUESTION_WORDS", "COURTESY", "GRAMMAR_CHARS", "QUESTION_WORDS", "Analysis", "Clause", "Word", "analyse", "courtesy_opening"]
