"""Synthetic guides with growing vocabulary, for tests and benchmarks of knowledge bases that grow.

Each guide recombines sentences of the bundled guidebooks around its own brand and product, words no
other guide uses (issue 15's probe: a knowledge base of thousands of such guides, then one more).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

# Han characters brand and product words are drawn from (common ones, so jieba treats them as text).
BRAND_CHARS = "安百宝贝博采辰晨诚初创达鼎朵帆丰福富冠光禾和恒弘虹华辉汇吉佳嘉健金锦晶景久俊凯康科蓝朗乐丽莉联灵龙隆美萌米妙铭沐纳宁诺派鹏品启奇千倩清晴荣瑞森尚盛拾舒顺思泰棠天田彤拓万维伟文喜祥欣新星秀雅烨依益逸银盈优悠宇雨玉元悦越云泽真臻正之智忠卓紫"
PRODUCT_KINDS = ["面霜", "精华液", "洗发水", "咖啡机", "运动鞋", "酸奶", "茶饮", "耳机", "背包", "口红", "牙膏", "坚果"]
TOPICS = ["定位", "推广", "渠道", "定价", "活动"]


def guidebook_sections() -> list[tuple[str, str]]:
    """(section heading, text) of every chunk of the bundled guidebooks."""
    from knowledge.base import bundled_guidebooks
    from knowledge.chunk import chunk_source

    sections: list[tuple[str, str]] = []
    for path in bundled_guidebooks():
        doc = chunk_source(path.stem, path.read_text(encoding="utf-8"), "bench")
        sections.extend((c.section.split(" > ")[-1] or doc.title, c.text) for c in doc.chunks)
    return sections


@lru_cache(maxsize=1)
def guidebook_sentences() -> tuple[str, ...]:
    """The sentences of the bundled guidebooks."""
    out: list[str] = []
    for _, text in guidebook_sections():
        out.extend(re.findall(r"[^。！？\n]{8,}[。！？]", text))
    return tuple(out)


def growing_guide(i: int, rng: random.Random, sentences: tuple[str, ...] | list[str] = (),
                  n_sentences: int = 30) -> str:
    """A guide about its own brand and product: guidebook sentences recombined, with new words."""
    sentences = sentences or guidebook_sentences()
    brand = "".join(rng.sample(BRAND_CHARS, 2)) + rng.choice(["坊", "记", "集", "屋", "社", "家"])
    product = "".join(rng.sample(BRAND_CHARS, 2)) + rng.choice(PRODUCT_KINDS)
    lines = [f"# {brand}{product}营销指南 {i:05d}", ""]
    picked = rng.sample(list(sentences), n_sentences)
    for n in range(0, n_sentences, 6):
        lines += [f"## {n // 6 + 1}. {product}的{rng.choice(TOPICS)}", ""]
        body = []
        for sentence in picked[n:n + 6]:
            if rng.random() < 0.4:
                sentence = sentence.replace("产品", f"{brand}{product}", 1).replace("品牌", brand, 1)
            body.append(sentence)
        body.append(f"{brand}的{product}在本季主推{rng.randint(2, 9)}款新品。")
        lines += ["".join(body), ""]
    return "\n".join(lines)


def brand_and_product(guide: str) -> tuple[str, str]:
    """The brand and product words of a ``growing_guide``."""
    title = guide.splitlines()[0][2:].split(" ")[0].removesuffix("营销指南")
    match = re.search(r"^## 1\. (.+)的", guide, re.MULTILINE)
    product = match.group(1) if match else title[3:]
    return title.removesuffix(product), product


# How planners ask about one brand's product (colloquial, with and without the brand).
QUESTIONS = [
    "{brand}{product}的定位",
    "{brand}{product}怎么推广?",
    "我们{brand}的{product}渠道怎么选",
    "{product}定价有什么讲究",
    "{brand}{product}本季主推几款新品",
    "介绍一下{brand}{product}",
]
