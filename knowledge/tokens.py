"""Chinese-aware tokens for BM25 (what a question is about is the question analyser's business:
``core.text.question``, weighted by ``knowledge.wordweights``)."""

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
