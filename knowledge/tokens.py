"""Chinese-aware tokens for BM25 and for judging how well passages cover a question."""

from __future__ import annotations

import re
from typing import Literal

from core.text import segment

TokenMode = Literal["words", "bigrams", "both"]
DEFAULT_MODE: TokenMode = "both"

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*")

# Function words and question words: they say nothing about what a question is about.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 有 要 把 被 对 为 以 等 中 上 下 个 这 那 其 之 也 都 就 而 并 又 还 到 从
    吗 呢 吧 啊 么 呀 哪 啥 谁 几 多 该 会 能 可 可以 应该 应当 需要 需 如何 怎么 怎样 怎么样 什么 哪些 哪个
    哪里 哪儿 多久 多少 为什么 是否 有没有 具体 一般 通常 我们 我 你 他 她 它 他们 你们 请问 请 一下 时候
    之前 以后 之后 时 方面 意思 一个 一些 一种 指 做 用 给 让 些 每 各 如果 比如 例如 关于 这个 那个
    包括 哪些方面 注意 怎么办 是谁 有用 一篇 有关 相关 主要 可能 进行 采取 哪几种 几种 哪几个 属于 一类 哪一类
    多长时间 多长 一次 某个 某些 怎样才能 能否 哪种 哪一种 什么样 这样 那样
    what how why which when where who is are the a an of to in for and or do does can should""".split()
)


def words(text: str) -> list[str]:
    """jieba words of Simplified ``text`` (lower-cased, punctuation and stopwords dropped)."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text.lower()):
        if run[0].isascii():
            if run not in STOPWORDS:
                out.append(run)
            continue
        for word in segment.cut(run, hmm=False):
            if word not in STOPWORDS:
                out.append(word)
    return out


def bigrams(text: str) -> list[str]:
    """Overlapping Han character bigrams (single characters for one-character runs) and Latin words."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text.lower()):
        if run[0].isascii():
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def tokenize(text: str, mode: TokenMode = DEFAULT_MODE) -> list[str]:
    """BM25 tokens of Simplified ``text`` in ``mode`` (jieba words, bigrams, or both)."""
    if mode == "words":
        return words(text)
    if mode == "bigrams":
        return bigrams(text)
    return words(text) + ["#" + b for b in bigrams(text)]


# Words that say what kind of answer is wanted; passages rarely repeat them, so they count for less.
INTENT_WORDS = frozenset(
    """好处 作用 区别 方法 步骤 原则 意义 手段 方式 类型 种类 内容 要点 技巧 注意事项 原因 目的 特点 优势
    用处 用途 问题 情况 因素 建议 流程 形式 思路 办法 措施 标准 要求 构成 组成 包含 事项""".split()
)


# Everyday words planners put around a topic (「要备哪些东西」「有什么讲究」「看哪几块」): they say what
# kind of answer is wanted, not what it is about, and guidebooks never use them.
QUESTION_FILLERS = frozenset(
    """东西 讲究 门道 套路 注意点 要点 几块 几步 几点 哪块 啥样 咋样 咋办 咋 搞 弄 整 办 来定 定成 做法 情况 事情
    事儿 选 看 用上 用到 起 什么样子 方面 东东 一块 这块 那块 来做 要做 需要做 问些 问问 算吗 算不算 几个 几类 哪几类 几种 几大 这么 那么
    入手 着手 下手 出来 分成 分为 搞定 做好 用好 弄好 落地 发些""".split()
)
# 「靠不靠谱」「好不好用」: an A-not-AB question asks about AB.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1(?=[\u4e00-\u9fff])")


def content_terms(question: str) -> list[str]:
    """The words of a Simplified question that carry its topic (no stopwords, question fillers or
    lone characters); one-character words written next to each other are joined back (满减)."""
    seen: list[str] = []
    for word in _adjacent_words(_A_NOT_A.sub(r"\1", question.lower())):
        if (len(word) >= 2 or word.isascii()) and word not in seen and word not in QUESTION_FILLERS:
            seen.append(word)
    return seen


def _adjacent_words(text: str) -> list[str]:
    """jieba words of ``text`` without stopwords, with runs of one-character words glued back
    together (jieba splits unknown compounds: 满减 → 满, 减) — but only characters that were
    written next to each other: 「靠什么来做」 gives no 「靠来」. A lone noun suffix right after a word
    belongs to it (视频号 → 视频, 号; 考核表 → 考核, 表): the compound is the term, not the bare word."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        if run[0].isascii():
            if run not in STOPWORDS:
                out.append(run)
            continue
        glued = ""
        after_word = False  # the last jieba word was a content word of two or more characters
        for word in _guessed_words(run):
            if len(word) == 1 and word not in STOPWORDS and word not in QUESTION_FILLERS:
                glued += word
                continue
            if glued:
                _flush(out, glued, after_word)
                glued = ""
            after_word = len(word) >= 2 and word not in STOPWORDS and word not in QUESTION_FILLERS
            if word not in STOPWORDS:
                out.append(word)
        if glued:
            _flush(out, glued, after_word)
    return out


# Characters that make a noun of the word before them (公众号, 透视表, 装饰器, 推广费, 回购率).
NOUN_SUFFIXES = frozenset("号表器费率口证卡单票险税员机馆站栏款金")


def _flush(out: list[str], glued: str, after_word: bool) -> None:
    """Append the glued one-character words; a lone character right after a word becomes its suffix."""
    if len(glued) == 1 and after_word and glued in NOUN_SUFFIXES:
        out[-1] += glued
    else:
        out.append(glued)


# Grammar characters: particles, auxiliaries, light verbs, pronouns and conjunctions that never
# belong to a compound noun. A word jieba's HMM guessed (not in its dictionary) holding one of them is
# words run together (要备 = 要 + 备, 问些 = 问 + 些, 做抖音 = 做 + 抖音), unlike 年会 and 个税
# (会 here means a meeting, 个 a person).
GRAMMAR_CHARS = frozenset("的了是在要把被些吗呢吧啊么呀哪谁啥和与及或都就也还又并而该需请这那其之我你他她它每各如让给做")


def _guessed_words(run: str) -> list[str]:
    """jieba words of a Han ``run``, letting its HMM join characters the dictionary does not know
    (年, 会 → 年会) so a stopword is only ever removed as a whole word, never cut out of a longer one.
    A guessed word that is words run together, and a word made only of stopword characters (能用),
    are split back into characters."""
    out: list[str] = []
    for word in segment.cut(run, hmm=True):
        if len(word) >= 2 and segment.in_dictionary(word):
            word_pieces = segment.cut(word, hmm=False)  # 太多 stays 太, 多 as the dictionary prefers
            if len(word_pieces) > 1:
                out.extend(word_pieces)
                continue
        if len(word) < 2 or word in STOPWORDS:
            out.append(word)
        elif all(ch in STOPWORDS for ch in word):
            out.extend(word)
        elif not segment.in_dictionary(word) and any(ch in GRAMMAR_CHARS for ch in word):
            out.extend(word)
        else:
            out.append(word)
    return out
