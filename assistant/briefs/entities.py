"""What a request names besides money and dates: brand, product or category, mechanics, channels,
goals, audience, region and store count. Mechanics and channels come from ``vocabulary.tsv`` (data,
both scripts and English); brand and product from where planners put them (「为X做」「给X的Y做」
「X品牌」, the words before 促销/活动/礼盒… or a mechanic) once every known name and date is taken out, a
product being a noun phrase by jieba's tags; audiences from the people words of ``audience_words.tsv``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import wordfreq

from assistant.briefs.festivals import festivals_in
from assistant.briefs.numerals import chinese_count
from core.text.numerals import NUMERAL_CHARS, parse_english_number
from core.text.question import COURTESY, QUESTION_WORDS, analyse
from core.text.scripts import to_simplified

_VOCABULARY = Path(__file__).with_name("vocabulary.tsv")
_NICKNAMES = Path(__file__).with_name("channel_nicknames.tsv")
_AUDIENCE_WORDS = Path(__file__).with_name("audience_words.tsv")


@dataclass(frozen=True)
class Term:
    """A mechanic or channel: its kind, canonical Simplified name, English name and written forms; ``nicknames``
    are forms a brief does not keep as written (xhs, 红书: the brief says 小红书)."""

    kind: str
    name: str
    english: str
    forms: tuple[str, ...]
    nicknames: tuple[str, ...] = ()

    @property
    def is_channel(self) -> bool:
        return self.kind.startswith("channel")

    def shown(self, written: str, english: bool) -> str:
        """How a brief writes this term found as ``written``: as written, unless it is a nickname (then the
        canonical name, Simplified as domain text is, or the English one in an English brief)."""
        if to_simplified(written).lower() not in self.nicknames:
            return written
        return self.english if english else self.name


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


# An English glossary key names a channel only when it is no everyday word: "billboard" and "distributor" are
# channels, "shop", "agent" and "community" are said of much else (wordfreq's Zipf scale, single words only).
_GLOSSARY_FORM_ZIPF = 4.5


def nickname_rows() -> list[tuple[str, str]]:
    """(nickname, canonical channel name) of channel_nicknames.tsv, as written there."""
    return [(row[0], row[1]) for row in _rows(_NICKNAMES)]


def _glossary_forms(known: dict[str, str]) -> dict[str, list[str]]:
    """English glossary keys whose Chinese terms are all forms of one channel (``known``: form → canonical name):
    "retail store" (门店), "billboard" (户外广告), "distributor" (分销商|经销商), by canonical name."""
    from knowledge.glossary import default_glossary

    found: dict[str, list[str]] = {}
    for key, terms in default_glossary().entries.items():
        english = " ".join(key)
        names = {known.get(t) for t in terms}
        if english in known or len(names) != 1 or None in names:
            continue
        if len(key) == 1 and wordfreq.zipf_frequency(english, "en") >= _GLOSSARY_FORM_ZIPF:
            continue
        found.setdefault(str(names.pop()), []).append(english)
    return found


# The glossary's sections of tactics and their timing — campaigns and promotions, timing and phases, prices and
# offers (种草, 促销, 档期, 预热, 赠品, 秒杀): how and when it is sold, never what is sold.
_TACTIC_SECTIONS = ("campaigns and promotions", "timing and phases", "prices and offers")


@lru_cache(maxsize=1)
def _tactic_words() -> frozenset[str]:
    """The Chinese terms of the glossary's tactic sections, of two characters or more."""
    from knowledge.glossary import default_glossary

    sections = default_glossary().sections
    return frozenset(t for name in _TACTIC_SECTIONS for t in sections.get(name, ()) if len(t) > 1)


# Glossary sections whose words name what a campaign measures, spends, studies or guards against (业绩, 销量, 预算,
# 竞品, 风险, 效果): said whole, such a word is no product («年底要冲一下业绩» sells nothing called 业绩). The
# execution section is left out: its 气球 and 灯笼 are things a shop may sell.
_NO_PRODUCT_SECTIONS = ("money", "analysis and research", "goals and measurement", "risk and contingency",
                        "more of the guidebooks' words")


@lru_cache(maxsize=1)
def _no_product_words() -> frozenset[str]:
    from knowledge.glossary import default_glossary

    sections = default_glossary().sections
    return frozenset(t for name in _NO_PRODUCT_SECTIONS for t in sections.get(name, ()) if len(t) > 1)


def names_no_product(phrase: str) -> bool:
    """True when ``phrase`` (Simplified) is, as a whole, a glossary word of ``_NO_PRODUCT_SECTIONS``."""
    return phrase in _no_product_words()


def tactic_spans(s: str) -> list[tuple[int, int]]:
    """Where Simplified text ``s`` names a marketing tactic of the glossary (种草 of 「巧克力种草」, 赠品), as jieba
    cuts the words: a tactic is no product (月 of 月饼 is no time word either)."""
    spans = []
    for run in re.finditer(r"[\u4e00-\u9fff]+", s):
        spans += [(run.start() + a, run.start() + b) for a, b, _ in _tokens(run.group(0))
                  if run.group(0)[a:b] in _tactic_words()]
    return spans


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Term, ...]:
    """Every mechanic and channel Cehua recognises: vocabulary.tsv, with the English glossary's names of its
    channels (knowledge/glossary.tsv) and the planners' nicknames of channel_nicknames.tsv as further forms."""
    rows = [(kind, name, english, tuple(f for f in forms if f)) for kind, name, english, *forms in _rows(_VOCABULARY)]
    known = {form.lower(): name for kind, name, _, forms in rows if kind.startswith("channel") for form in (name, *forms)}
    nicknames: dict[str, list[str]] = {}
    for nickname, name in nickname_rows():
        nicknames.setdefault(name, []).append(nickname.lower())
    glossary = _glossary_forms(known)
    return tuple(Term(kind, name, english, (*forms, *glossary.get(name, ()), *nicknames.get(name, ())),
                      tuple(nicknames.get(name, ()))) for kind, name, english, forms in rows)


def _with_digits(form: str) -> str:
    """An English form with its number words in digits, as chat writes them ("buy 1 get 1" for buy one get one;
    core.text.numerals reads the words)."""
    def digit(word: str) -> str:
        value = parse_english_number(word) if word not in ("a", "an") and not word.isdigit() else None
        return str(value) if value is not None else word

    return " ".join(digit(word) for word in form.split(" "))


@lru_cache(maxsize=1)
def _forms_by_length() -> list[tuple[str, Term]]:
    pairs = [(form.lower(), term) for term in vocabulary() for form in (term.name, *term.forms)]
    pairs += [(_with_digits(form), term) for form, term in pairs if form.isascii() and _with_digits(form) != form]
    return sorted(set(pairs), key=lambda p: (-len(p[0]), p[0]))


@lru_cache(maxsize=1)
def _capitals_only() -> frozenset[str]:
    """Forms vocabulary.tsv writes in capitals with no lower-case twin (RED for 小红书): an everyday word that
    names the platform only as written so ("RED" is Xiaohongshu, "a red theme" is a colour)."""
    lower = {f for term in vocabulary() for f in term.forms if not f.isupper()}
    return frozenset(f.lower() for term in vocabulary() for f in term.forms
                     if f.isascii() and f.isupper() and f.lower() not in lower)


def term_named(name: str) -> Term | None:
    """The vocabulary term ``name`` is a form of (its canonical name, English name or any written form)."""
    key = name.strip().lower()
    for form, term in _forms_by_length():
        if key in (form, term.english.lower()):
            return term
    return None


@dataclass
class Mention:
    """A vocabulary term found at ``pos..end`` of the text."""

    term: Term
    pos: int
    end: int


def _ascii_alnum(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


_AMOUNT = r"[$¥￥]?\s*[\d.一二两三四五六七八九十百千]+"  # 满$300减$50: a currency mark may come first
# Mechanics written by their numbers (满300减50, 每满200减30, 满500送, 买二送一, 8.8折): (shape, canonical name).
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"每?满\s*{_AMOUNT}\s*(?:元|块)?\s*(?:立)?减\s*{_AMOUNT}\s*(?:元|块)?"), "满减"),
    (re.compile(rf"满\s*{_AMOUNT}\s*(?:元|块)?\s*(?:就)?(?:送|赠)(?:\s*{_AMOUNT}\s*(?:元|块)?)?"), "满赠"),
    (re.compile(rf"(?:储值|充值|充)\s*{_AMOUNT}\s*(?:元|块)?\s*(?:送|赠)\s*{_AMOUNT}\s*(?:元|块)?"), "满赠"),  # 储值500送50
    (re.compile(r"买\s*[1一]\s*送\s*[1一]"), "买一送一"),
    (re.compile(rf"买\s*{_AMOUNT}\s*[\u4e00-\u9fff]?\s*送\s*{_AMOUNT}"), "满赠"),  # 买二送一, 买两盒送一盒
    # The second one of any measure word at half price or a discount: 第二份半价, 第二袋半价, 第二件8折.
    (re.compile(r"第\s*[二2]\s*[\u4e00-\u9fff]\s*(?:半价|(?:[1-9](?:\.\d)?|[一二三四五六七八九])\s*折(?!扣))"), "第二杯半价"),
    (re.compile(r"\bsecond\s+(?:[a-z-]+\s+){0,2}?(?:(?:at\s+)?half[- ]price|half[- ]off|\d+%\s*off)"), "第二杯半价"),
    (re.compile(r"\bbuy\s+(?:1|one|a|an)\s+(?:[a-z-]+\s+)?get\s+(?:1|one|a|an)\b(?:\s+[a-z-]+)?\s+free\b"), "买一送一"),
    (re.compile(r"\bbuy\s+(?:[2-9]|\d{2,}|two|three|four|five)\s+(?:[a-z-]+\s+)?get\s+(?:\d+|one|a|an)\b"), "满赠"),
    (re.compile(r"(?<![\d.])(?:[1-9](?:\.\d)?|[一二三四五六七八九](?:点[一二三四五六七八九])?)\s*折(?!扣)"), "限时折扣"),
)


# A place named before a shop's head noun says where the shop is, not where the campaign goes:
# 「社区面包店」「景区纪念品店」 (the place channels only; 天猫旗舰店 is still 天猫).
_SHOP_HEAD = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:店|馆|超市|餐厅|铺|便利店)")


def _names_a_shop(term: Term, lower: str, end: int) -> bool:
    return term.kind == "channel-event" and _SHOP_HEAD.match(lower, end) is not None


# An English word this common (wordfreq's Zipf scale) that is also a platform's name (line, LINE) names the
# platform only when capitalised, in text whose writer uses capitals ("our mooncake line" is a product line).
_COMMON_WORD_ZIPF = 5.0


@lru_cache(maxsize=512)
def _common_english(word: str) -> bool:
    return wordfreq.zipf_frequency(word, "en") >= _COMMON_WORD_ZIPF


def _plain_word(term: Term, written: str, cased_text: bool) -> bool:
    """True when ``written`` is the everyday English word, not the platform ``term`` names."""
    return (cased_text and written.isascii() and written.islower() and term.english[:1].isupper()
            and _common_english(written))


# Words of placing a campaign on a channel: with them (or another channel named, longer forms being found first)
# a one-character nickname is a channel (「抖先不投了」), without them a word (画面有点抖).
_CHANNEL_TALK = re.compile(r"投|渠道|平台|通路|加上|加个|再加|去掉|删掉|停掉|换成")
# What may stand either side of a one-character nickname listed among channels: 「投抖、视频号」「抖和快手」.
_LIST_EDGE = frozenset("、，,;；。.!！?？和跟同与及+/ \t\n投上在")


def _stands_alone(s: str, pos: int) -> bool:
    """True when the character at ``pos`` is a word of its own in jieba's cut of its run (「抖先不投了」), or an
    item of a list (「投抖、视频号」), never a piece of a word (发抖, 抖一抖)."""
    before, after = s[pos - 1:pos], s[pos + 1:pos + 2]
    if (not before or before in _LIST_EDGE) and (not after or after in _LIST_EDGE):
        return True
    run = re.match(r"[\u4e00-\u9fff]*", s[pos:]).group(0)  # type: ignore[union-attr]
    start = pos
    while start > 0 and "\u4e00" <= s[start - 1] <= "\u9fff":
        start -= 1
    run = s[start:pos] + run
    return any(a == pos - start and b == a + 1 for a, b, _ in _tokens(run))


def find_terms(s: str) -> list[Mention]:
    """Mechanics and channels named in normalized Simplified text ``s``, in order, longest forms first;
    Latin forms only as whole words; mechanics written by their numbers (满300减50, 8.8折) too."""
    lower = s.lower()
    cased_text = lower != s
    taken = [False] * len(s)
    found: list[Mention] = []
    for shape, name in _SHAPES:
        term = term_named(name)
        for m in shape.finditer(lower):
            if term is not None and not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                found.append(Mention(term, m.start(), m.end()))
    for form, term in _forms_by_length():
        start = 0
        while (pos := lower.find(form, start)) >= 0:
            start = pos + 1
            end = pos + len(form)
            if any(taken[pos:end]):
                continue
            if form.isascii() and (_ascii_alnum(lower[pos - 1:pos]) or _ascii_alnum(lower[end:end + 1])):
                continue
            if _names_a_shop(term, lower, end) or _plain_word(term, s[pos:end], cased_text):
                continue
            if form in _capitals_only() and s[pos:end] != form.upper():
                continue
            if len(form) == 1 and not (_stands_alone(s, pos) and (any(f.term.is_channel for f in found)
                                                                   or _CHANNEL_TALK.search(s))):
                continue
            for i in range(pos, end):
                taken[i] = True
            found.append(Mention(term, pos, end))
    return sorted(found, key=lambda m: m.pos)


# Brand cues: 「为美家电器做」「给稻香村的年货礼盒做」「珠宝品牌周大生」「our brand X」.
_BRAND_FOR = re.compile(r"(?:为|给|帮|替)(?!我|咱|你|他|她|本|公司|店里|门店|客户|大家|社区|老人|孩子|会员|新客|老客)"
                        r"(?P<b>[\u4e00-\u9fffA-Za-z0-9&]{2,8}?)(?:的|做|搞|策划|写|出|办|设计|来)")
_BRAND_NAMED = re.compile(r"(?:品牌|牌子|brand)\s*(?:是|叫|为|:|：)?\s*(?P<b>[\u4e00-\u9fffA-Za-z0-9&]{2,8}?)"
                          r"(?=做|搞|的|在|要|想|,|，|。|\s|$)")
_BRAND_EN = re.compile(r"\bfor\s+(?P<b>[A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+){0,2})\b")
# Words that end a product phrase: what is done with it.
_PRODUCT_CUE = re.compile(r"促销|大促|活动|推广|方案|特卖|专场|档期|上新|营销|节$|季|campaign|promotion|sale|event",
                          re.IGNORECASE)
_FILLER = re.compile(
    r"谢谢|多谢|感谢|帮我们|帮我|帮忙|麻烦|请|帮|我们|我们的|咱们|公司|打算|想要|想|准备|计划|需要|要|做一个|做个|做一场|搞一场|搞一个|搞个|做|搞|办一场|"
    r"办个|办|写一个|写个|写|出一个|一个|一份|一场|一套|个|份|场|套|的|了|吧|呢|啊|大概|就|只|主要|在|和|与|及|加|还有|"
    r"一起|同步|全国|全台|全省|全市|覆盖|新的|新品|今年|明年|下个月|本月|开始|结束|当天|期间|为期|预算|左右|大约|约|"
    r"方案|策划|企划|计划|活动|促销|优惠|推广|营销|规划|招募|招商|拓展|年度|品牌|门店|线上|线下|店|开年|预热|推出|开|在"
)
_EN_PRODUCT = re.compile(r"\b(?:a|an|our|the)\s+(?:[A-Z][\w-]*\s+)?(?P<p>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+"
                         r"(?:promotion|campaign|sale|event|launch|tasting|month|day)\b")
_EN_PRODUCT_FOR = re.compile(r"\bfor\s+(?:our\s+)?(?:new\s+)?(?P<p>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*?s?)\b"
                             r"(?=\s+(?:on|in|at|with|from|during|,|\.)|,|$)")
_EN_STOP = {"our", "the", "a", "an", "new", "year-end", "plan", "week", "member", "launch", "product", "and", "with",
            "shop", "chain", "for", "in", "on", "at", "to", "of", "we", "need", "please", "draft", "big", "small",
            "wants", "want", "this", "next", "spring", "summer", "autumn", "winter", "holiday", "weekend", "run",
            "hi", "hello", "hey", "thanks", "something",
            # adverbs and verbs planners put before a channel or a product ("mainly WeChat", "push our …")
            "mainly", "mostly", "primarily", "only", "also", "just", "maybe", "probably", "especially", "push", "wanna"}
_SEP = "\x00"
# The filler of two characters or more is taken out wherever it stands; a one-character one (开, 加, 在, 和, 店)
# only where jieba cuts it as a word of its own, so 开心果, 加湿器 and 在线 stay whole (开心果 was 心果).
_FILLER_WORDS = sorted(_FILLER.pattern.replace("\n", "").split("|"), key=len, reverse=True)
_FILLER_LONG = re.compile("|".join(w for w in _FILLER_WORDS if len(w) > 1))
_FILLER_CHARS = frozenset(w for w in _FILLER_WORDS if len(w) == 1)


def _without_filler(text: str) -> str:
    """``text`` with its filler words blanked out (see ``_FILLER_LONG`` and ``_FILLER_CHARS``)."""
    text = _FILLER_LONG.sub(lambda x: _SEP * len(x.group(0)), text)
    chars = list(text)
    for run in re.finditer(r"[\u4e00-\u9fff]+", text):
        tokens = _tokens(run.group(0))
        for i, (a, b, _) in enumerate(tokens):
            if b - a == 1 and run.group(0)[a] in _FILLER_CHARS:
                chars[run.start() + a] = _SEP
            # 请问, 哈喽 (哈 | 喽 to jieba), 那个: thanks, greetings and spoken fillers (core.text.question's closed
            # class) say nothing of what is sold, as one word or as up to three of jieba's pieces.
            for j in range(i, min(i + 3, len(tokens))):
                end = tokens[j][1]
                if end - a > 1 and run.group(0)[a:end] in COURTESY:
                    chars[run.start() + a:run.start() + end] = [_SEP] * (end - a)
    return "".join(chars)
_GENERIC = re.compile(r"营销|规划|方案|活动|推广|促销|策划|计划|年度|全年|公司|门店")


def _blank(s: str, spans: list[tuple[int, int]]) -> str:
    chars = list(s)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = _SEP
    return "".join(chars)


def brand_or_product(s: str, brand: str) -> bool:
    """True when ``brand`` was read from 「给X做」「为X做」 alone: X may as well be what is sold (「给香薰蜡烛做个种草
    活动」「给洗地机做个满减」), which the product reading then decides; never 「给X的Y做」, where X owns Y."""
    m = _BRAND_FOR.search(s)
    # 「给稻香村的年货礼盒做」: X with 的 owns what follows (a brand); 「给X做」 is for X itself.
    return (bool(brand) and m is not None and m.group("b") == brand and not _BRAND_NAMED.search(s)
            and s[m.end("b"):m.end("b") + 1] != "的")


# Who asked for the plan (「老板让我」「领导叫我们」): a person, never the product.
WHO_ASKS = re.compile(r"(?:老板|老闆|领导|領導|主管|经理|經理|公司|上面|上级|上級|老大)(?:让|讓|叫|要)(?:我|我们|我們)")


# Verbs whose subject is a person (saying, telling someone to): 「老板说」「老闆交代」「老细话」 (Cantonese 话: says),
# 「老板让做」 — a closed class of verbs, not a list of people.
_TELLS = frozenset("说 讲 话 让 叫 交代 吩咐 嘱咐 要求 安排 指示".split())


def speaker_spans(s: str) -> list[tuple[int, int]]:
    """The spans of ``s`` (normalized Simplified) naming who says or asks for something (「最近老板说年底要冲业绩」,
    「老闆交代要…」, 「老细话圣诞要搞个推广」): the nouns (and a one-character adjective, 老 of 老细) right before a
    verb of ``_TELLS``. Things do not speak, so a product is never there."""
    spans = []
    for run in re.finditer(r"[\u4e00-\u9fff]+", s):
        tokens = _tokens(run.group(0))
        for i, (a, b, _) in enumerate(tokens):
            if i == 0 or run.group(0)[a:b] not in _TELLS:
                continue
            j = i
            while j > 0 and (_nominal(tokens[j - 1][2]) and tokens[j - 1][2] != "vn"
                             or tokens[j - 1][2] == "a" and tokens[j - 1][1] - tokens[j - 1][0] == 1):
                j -= 1
            if j < i:  # the verb too: jieba tags 交代 a noun as often as a verb
                spans.append((run.start() + tokens[j][0], run.start() + b))
    return spans


def find_brand(s: str, shown: str = "") -> str:
    """The brand a Simplified request names (「为美家电器做」→ 美家电器), or ''."""
    for regex in (_BRAND_NAMED, _BRAND_FOR):
        m = regex.search(s)
        if m:
            brand = m.group("b")
            tags = [tag for _, _, tag in _tokens(brand)]
            # 「帮自家的手工皂」: 自家 (a pronoun) says whose; 「给新出的燕麦奶」: 新出 (a verb) says which — neither a brand
            not_a_name = all(tag == "r" for tag in tags) or tags[-1:] == ["v"] or \
                brand.isascii() and wordfreq.zipf_frequency(brand, "en") >= 4.5  # "a DTC brand selling …": an everyday word
            if not festivals_in(brand) and not find_terms(brand) and not re.search(r"\d|[一二三四五六七八九十]月|[日号]$", brand) \
                    and not _GENERIC.search(brand) and not not_a_name and brand.lower() not in _EN_STOP:
                return brand
    m = _BRAND_EN.search(shown or s)
    if m and not find_terms(m.group("b").lower()) and not festivals_in(m.group("b").lower()):
        return m.group("b")
    return ""


_EN_CUE = re.compile(r"\b(?:promotion|promo|campaign|sale|event|launch|tasting|month|day|giveaway|drive|offer)\b")
_SHOP_WORD = re.compile(r"stores?|shops?|chain|brand|restaurants?|cafes?|outlets?|bar|carts?|studios?|stalls?|"
                        r"kiosks?|trucks?")
_EN_OUR = re.compile(rf"\bour\s+(?:\d+\s+)?(?:new\s+)?(?P<p>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:{_SHOP_WORD.pattern})\b")
# "for our sneakers", "push our new sneakers before …", "promo for our kids' backpacks in late August?": what
# is ours after for/on or a verb of selling, up to a preposition or a stop.
_EN_OUR_FOR = re.compile(r"\b(?:for|on|push|pushing|promote|promoting|sell|selling|launch|launching|market|marketing)"
                         r"\s+our\s+(?:new\s+)?(?P<q>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2}?)\b"
                         r"(?=\s+(?:on|in|at|with|from|during|before|after|for|this|next|over|around|through|via|across)\b"
                         r"|\s*[,.:;?!\x00]|$)")


# "we run a small bakery", "we're a coffee shop chain", "we own a local bookstore": the business is the product.
_EN_BUSINESS = re.compile(r"\b(?P<we>we(?:'re| are| run| own| have| operate))?(?(we)|(?:running|owning|operating|managing|run|"
                          r"own|operate|manage))\s+(?:a|an)\s+(?P<p>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})")
_EN_ADJECTIVES = frozenset(("small", "little", "local", "new", "family"))


def _business_head(phrase: str, we: bool) -> int | None:
    """Which word of a business phrase says what is sold: the one before its shop word ("small candle brand", "tiny
    matcha bar", "specialty tea shop chain"); without one, after "we're a", its first word past an adjective of size
    or kind ("small bakery"); else None (running "a buy 1 get 1" names no business)."""
    words = phrase.split()
    shop = next((i for i, w in enumerate(words) if i and _SHOP_WORD.fullmatch(w)), None)
    if shop is not None:
        return shop - 1
    if not we:
        return None
    first = 0
    while first < len(words) - 1 and words[first] in _EN_ADJECTIVES:
        first += 1
    return first


# What is sold, whoever sells it: "we sell tea sets on tb", "we usually sell turnip cake gift sets.", "a DTC brand
# selling handmade soy wax candles online" — up to a preposition or a stop; said anywhere, it is preferred to the
# business ("we're a small DTC brand").
_EN_SELLS = re.compile(r"(?:\bwe\s+(?:[a-z]+ly\s+|also\s+|just\s+|only\s+)?(?:sell|make|bake|brew)|\bsell(?:s|ing)|"
                       rf"\b(?:{_SHOP_WORD.pattern})\s+(?:makes|bakes|brews))\s+"
                       r"(?:our\s+)?(?!(?:on|in|at|via|through|online|to|for|with|from|out|well|more|less)\b)"
                       r"(?P<s>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3}?)"
                       r"(?=\s+(?:on|in|at|and|for|with|from|via|online|to)\b|\s*[,.;!?]|$)")


@lru_cache(maxsize=1)
def _planning_words() -> frozenset[str]:
    """The English words plan templates name chapters with (channels, budget, timeline, audience …): the
    words of planning, never a product ("channels Tmall and Xiaohongshu" names no product 'channels')."""
    from knowledge.templates import list_templates, load_template

    words: set[str] = set()
    for name in list_templates():
        for chapter in load_template(name, copy=False).chapters:
            for text in (chapter.title_in("en"), *chapter.aliases):
                if text.isascii():
                    words.update(re.findall(r"[a-z]+", text.lower()))
    return frozenset(words)


@lru_cache(maxsize=1)
def _chapter_words() -> frozenset[str]:
    """The Chinese words plan templates name chapters with (风险, 预算, 渠道, 效果, 评估, 客群 …), cut by the one
    tokenizer: what a plan is made of, not what a campaign sells."""
    from core.text.segment import cut
    from knowledge.templates import list_templates, load_template

    words: set[str] = set()
    for name in list_templates():
        for chapter in load_template(name, copy=False).chapters:
            for text in (chapter.title_in("zh-Hans"), *chapter.aliases):
                if not text.isascii():
                    words.update(w for w in cut(to_simplified(text)) if re.fullmatch(r"[\u4e00-\u9fff]+", w))
    return frozenset(words)


def names_a_plan_part(phrase: str) -> bool:
    """True when ``phrase`` is only words plan templates name chapters with (「风险」, 「效果评估」, "the risks"):
    the topic of a question about planning (「那风险呢？」), never a product."""
    simplified = to_simplified(phrase).lower()
    if simplified.isascii():
        words = re.findall(r"[a-z]+", simplified)
        return bool(words) and all(w in _planning_words() or w in _EN_STOP for w in words)
    from core.text.segment import cut

    words = [w for w in cut(simplified) if w.strip()]
    return bool(words) and all(w in _chapter_words() for w in words)


def _not_product(word: str) -> bool:
    # 「in-」 is what a channel taken out of "in-store" leaves: a piece of a compound, not a word.
    return word in _EN_STOP or word in _planning_words() or word.endswith("-")


def _english_product(s: str, taken: list[tuple[int, int]]) -> tuple[str, tuple[int, int] | None]:
    """What a planner pushes ("for our lip balm") after saying the business they run, else that business ("we run a
    small bakery"), else the words before a campaign
    word or mechanic ("chocolate promotion", "coffee tasting"), or after "our" ("our coffee machines",
    "our tea shop chain"), that no festival, channel or date took."""
    blanked = _blank(s, taken)
    m = _EN_OUR_FOR.search(blanked)
    sells = _EN_SELLS.search(s)
    if sells is not None and not _not_product(sells.group("s").split()[-1]) and not (m and m.start() > sells.end()) \
            and not any(a < sells.end("s") and sells.start("s") < b for a, b in taken):
        return sells.group("s"), sells.span("s")
    # the business, one that names its shop word first ("a 4-person team running a specialty tea shop")
    heads = [(business, _business_head(business.group("p"), bool(business.group("we"))))
             for business in _EN_BUSINESS.finditer(s)]
    for business, index in sorted(heads, key=lambda h: h[1] is None or not _SHOP_WORD.search(h[0].group("p"))):
        if index is None:
            continue
        word = list(re.finditer(r"\S+", business.group("p")))[index]
        at, head = business.start("p") + word.start(), word.group(0)
        if not (m and m.start() > at) and not _not_product(head) and not any(a < at + len(head) and at < b for a, b in taken):
            return head, (at, at + len(head))
    if m:
        kept = [w for w in m.group("q").split() if not _not_product(w)]
        if len(kept) > 1 and _SHOP_WORD.fullmatch(kept[-1]):
            kept = kept[:-1]  # "our chocolate brand" sells chocolate
        if kept and not _english_people(kept[-1]):  # "for our customers" says whom, not what
            phrase = " ".join(kept)
            at = m.group("q").find(phrase)
            return phrase, (m.start("q") + at, m.start("q") + at + len(phrase)) if at >= 0 else None
    # A festival or a mechanic may follow a product ("chocolate Christmas campaign"); an amount or a
    # date never does ("budget about 80k": 'about' is no product).
    named = [a for _, a, _ in festivals_in(s)] + [m.pos for m in find_terms(s)]
    cues = [m.start() for m in _EN_CUE.finditer(blanked)] + [a for a in named if blanked[a:a + 1] == _SEP]
    for cue in sorted(set(cues)):
        words = list(re.finditer(r"[a-z][\w'-]*", blanked[max(0, cue - 40):cue]))
        picked: list[re.Match[str]] = []
        for w in reversed(words):
            gap = blanked[max(0, cue - 40) + w.end():cue if not picked else max(0, cue - 40) + picked[-1].start()]
            if gap.strip() or _not_product(w.group(0)) or len(picked) == 3:
                break
            picked.append(w)
        if picked:
            base = max(0, cue - 40)
            span = (base + picked[-1].start(), base + picked[0].end())
            return s[span[0]:span[1]], span
    m = _EN_OUR.search(blanked)
    if m:
        kept = [w for w in m.group("p").split() if not _not_product(w)]
        if kept:
            return " ".join(kept), m.span("p")
    return "", None


@lru_cache(maxsize=1)
def _english_people_words() -> frozenset[str]:
    """The last words of audience_words.tsv's glosses (customer, members, office workers → workers)."""
    words = set()
    for line in _AUDIENCE_WORDS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            words.add(line.split("\t")[1].split()[-1])
    return frozenset(words)


def _english_people(word: str) -> bool:
    return word in _english_people_words() or word.rstrip("s") in _english_people_words()


# How planners say what they sell before they ask: 「我们是做烘焙的」「我们家是卖家电的」「我们是开火锅店的」
# 「我们公司做母婴用品,」「我们是一家奶茶店」「我們是一間咖啡廳」.
_BUSINESS = re.compile(
    r"(?:我们|我|咱们|咱)(?:家|公司|店|门店)?\s*(?:是)?\s*(?:一家|一间|一个|个|间)?\s*(?:做|卖|开|经营|主营|专做)\s*(?P<p>[\u4e00-\u9fff]{2,8}?)"
    r"(?=店|馆|的|生意|[,，。;；!！?？\s]|$)"
    r"|(?:我们|我|咱们|咱)(?:家)?\s*是\s*(?:(?:(?!的)[\u4e00-\u9fff]){2,4}?(?=一家|一间))?(?:一家|一间|一个|个|家|间)\s*"
    r"(?:在[\u4e00-\u9fff]{1,6}?的)?\s*"  # 「一间在旺角的饼店」「一间咖啡厅」「荃湾一间车仔面铺」
    r"(?P<q>[\u4e00-\u9fff]{2,6}?(?=店|馆|厅|铺|品牌|公司|工作室)|[\u4e00-\u9fff](?:店|馆|厅|铺))"
)


# 「产品是白酒」「主推的是坚果礼盒」「卖的是羽绒服」: the product said in so many words.
_PRODUCT_IS = re.compile(r"(?:产品|商品|主推(?:的)?|卖的|推的)\s*(?:是|为|:|：)\s*(?P<p>[\u4e00-\u9fffA-Za-z]{2,10}?)"
                         r"(?=[,，。;；!！?？\s]|$)")
# jieba's tags a noun phrase may not begin or end with: prepositions (把咖啡豆), numerals and measure words
# (一波火锅), adverbs, pronouns, conjunctions, particles, locatives (的 and 了 are particles). Time words
# are taken out before (a 't' left is 老年 of 老年鞋).
_NOT_NOMINAL_EDGE = ("p", "m", "q", "d", "r", "c", "u", "f", "y", "e", "o", "z", "x", "a", "ad")


# Degree adverbs, a closed class (jieba's dictionary tags 有点 a noun): 「客流有点差」 describes, it names nothing sold.
_DEGREE = frozenset(("有点", "有些", "有点儿", "很", "挺", "太", "非常", "比较", "特别", "十分", "蛮", "超级", "不太"))


def _nominal(tag: str) -> bool:
    """A jieba tag of a word that can head a product's noun phrase (饮料 n, 家电 j, 运动 vn, KTV eng)."""
    return tag.startswith("n") or tag in ("j", "vn", "eng", "l", "i")


@lru_cache(maxsize=256)
def _tokens(piece: str) -> tuple[tuple[int, int, str], ...]:
    from core.text.segment import tagged

    out, at = [], 0
    for word, tag in tagged(piece):
        # a degree adverb (jieba tags 有点 a noun) as d; a question word (多长, 多久: nouns to jieba) as the pronoun it is
        out.append((at, at + len(word), "d" if word in _DEGREE else "r" if word in QUESTION_WORDS else tag))
        at += len(word)
    return tuple(out)


def _noun_phrases(s: str, pos: int, piece: str) -> list[tuple[int, str]]:
    """The noun phrases in ``piece`` (at ``pos`` of ``s``), by jieba's cut of the piece alone (the names
    and dates blanked around it bound its words: 健身年卡 of 健身年卡拉新 is not cut as 年/卡拉): split at
    one-character verbs (跑完马拉松 → 马拉松; 卖家电 → 家电; 产品是白酒), edges that cannot begin or end a
    noun phrase trimmed (把坚果礼盒, 一波火锅: a numeral takes its measure word along); a phrase must end in a
    noun. 「装修建材」 stays whole: a two-character verb before a noun is a modifier, also when the noun is a
    word that was taken out (烘焙 of 烘焙店)."""
    words = [(pos + a, pos + b, tag) for a, b, tag in _tokens(piece)]
    after = s[pos + len(piece):pos + len(piece) + 1]
    noun_after = bool(after) and all(_nominal(tag) for _, _, tag in _tokens(after))
    groups: list[list[tuple[int, int, str]]] = [[]]
    for a, b, tag in words:
        if tag == "m" and not re.search(rf"[\d{NUMERAL_CHARS}]", s[a:b]):
            tag = "n"  # jieba tags 年 of 年花 a numeral: a word with no digit or numeral character counts nothing
        if tag.startswith("v") and tag != "vn" and b - a == 1:
            groups.append([])
        else:
            groups[-1].append((a, b, tag))
    out = []
    for group in groups:
        while len(group) > 1 and group[0][2] == "v" and not _nominal(group[1][2]):
            group = group[1:]  # 「要冲一下业绩」: a verb before no noun is the predicate, not a modifier (装修建材)
        while group and (group[0][2].startswith(_NOT_NOMINAL_EDGE) and not _nominal(group[0][2])):
            numeral = group[0][2].startswith("m")
            group = group[1:]
            if numeral and group and group[0][1] - group[0][0] == 1:
                group = group[1:]  # 一波 / 一款 / 两盒: the measure word after a numeral
        if group and group is groups[-1] and noun_after and group[-1][2] == "v" and group[-1][1] - group[-1][0] >= 2:
            out.append((group[0][0], s[group[0][0]:group[-1][1]]))
            continue
        if len(group) > 2 and group[-1][2] == "a" and group[-2][2] == "d":
            continue  # 「客流有点差」「蛋糕很好吃」: a noun and what it is like (a degree adverb and an adjective)
        while group and not _nominal(group[-1][2]):
            if len(group) > 1 and group[-1][2] == "v" and group[-1][1] - group[-1][0] >= 2 and _nominal(group[-2][2]):
                break  # 亲子烘焙, 汽车保养: a noun and the two-character verb it is the object of
            if len(group) > 1 and group[-1][2] in ("g", "zg") and group[-1][1] - group[-1][0] == 1 \
                    and _nominal(group[-2][2]):
                break  # 燕麦奶: a bound morpheme (jieba's g, zg) after a noun heads a compound
            if len(group) > 1 and group[-1][2] == "a" and group[-1][1] - group[-1][0] == 1 \
                    and _nominal(group[-2][2]) and s[group[-1][1]:group[-1][1] + 1] == "的":
                break  # 凤梨酥的: a noun and one character before 的 are one noun (a predicate, 客流差, takes no 的)
            group = group[:-1]
        if group and group[-1][1] - group[0][0] >= 2:
            out.append((group[0][0], s[group[0][0]:group[-1][1]]))
    return out


_SHOP_NOUN = re.compile(r"(?:店|馆|厅|铺|超市|工作室|公司|品牌|工厂|厂)$")


def _made_for(s: str, blanked: str, after: int) -> tuple[str, tuple[int, int]] | None:
    """What a campaign is made for (「给X做」「为X策划」) after the business said at ``after``: 「我们是做宠物用品的，想给新出的
    冻干猫粮做个活动」 is for 冻干猫粮 (as "for our X" is preferred to the business in English; what is pushed after it,
    「…想推一下草莓的圣诞树蛋糕」, is too: ``_sold``); None when nothing is."""
    for m in _FOR_IT.finditer(blanked, after):
        phrases = [p for p in _noun_phrases(s, m.start("x"), m.group("x")) if p[0] + len(p[1]) == m.end("x")]
        if phrases and not _FILLER.fullmatch(phrases[-1][1]) and not names_no_product(phrases[-1][1]) \
                and phrases[-1][1] not in audience_words():
            pos, phrase = phrases[-1]
            return phrase, (pos, pos + len(phrase))
    return None


def find_product(s: str, taken: list[tuple[int, int]]) -> tuple[str, tuple[int, int] | None]:
    """The product in normalized text ``s`` (see ``_product_phrase``), with the noun phrase before a 的 that names what
    it is made of or tastes of (鳳梨酥的中秋禮盒: the span covers both; ``written_product`` drops the 的)."""
    product, span = _product_phrase(s, taken)
    if span is None or s.isascii():
        return product, span
    # 「鳳梨酥的中秋禮盒」: the noun phrase before a 的 (a festival or time word may stand between) is taken along
    blanked = _blank(s, taken)
    if s[span[1]:span[1] + 1] == "的":  # 「草莓的圣诞树蛋糕」: what the 的 qualifies comes after (a festival between)
        after = span[1] + 1
        while after < len(s) and blanked[after] == _SEP:
            after += 1
        ahead = re.match(r"[\u4e00-\u9fff]+", blanked[after:])
        phrases = _noun_phrases(s, after, ahead.group(0)) if ahead else []
        # jieba may cut the first character off (圣诞|树|蛋糕); 「做烘焙的小店」 names the shop, not what it sells
        if phrases and phrases[0][0] - after <= 1 and not _SHOP_NOUN.search(phrases[0][1]):
            span = (span[0], phrases[0][0] + len(phrases[0][1]))
            product = s[span[0]:span[1]]
    at = span[0]
    while at > 0 and blanked[at - 1] == _SEP:
        at -= 1
    run = re.search(r"[\u4e00-\u9fff]+$", blanked[:at - 1]) if at > 1 and s[at - 1] == "的" else None
    if run is None:
        return product, span
    phrases = [p for p in _noun_phrases(s, run.start(), run.group(0)) if p[0] + len(p[1]) == at - 1]
    if not phrases or _FILLER.fullmatch(phrases[-1][1]) or names_no_product(phrases[-1][1]) \
            or phrases[-1][1] in audience_words() or _tokens(phrases[-1][1])[-1][2] in ("ns", "s", "nt") \
            or any(y == phrases[-1][0] and tag == "p" for _, y, tag in _tokens(s)):
        return product, span  # 「喺旺角嘅餅店」: a place (jieba's ns, s; after 在) says where it is, not what
    return s[phrases[-1][0]:span[1]], (phrases[-1][0], span[1])


def written_product(s: str, shown: str, span: tuple[int, int], taken: list[tuple[int, int]]) -> str:
    """The product at ``span`` as ``shown`` writes it, without the 的 (嘅) and the festival or time words inside a
    「A的B」 phrase: 鳳梨酥的中秋禮盒 → 鳳梨酥禮盒, 芋泥的暖冬套餐 → 芋泥暖冬套餐."""
    a, b = span
    shown = shown if len(shown) == len(s) else s
    if "的" not in s[a + 1:b - 1]:
        return shown[a:b].strip()
    # a festival or time word inside, when jieba cuts it as a word (中秋 of 鳳梨酥的中秋禮盒; not 圣诞 of 圣诞树)
    words = {(x, y) for x, y, _ in _tokens(s)}
    inner = [(x, y) for x, y in taken if a < x and y < b and (x, y) in words]
    return "".join(shown[i] for i in range(a, b)
                   if not (s[i] == "的" and a < i < b - 1) and not any(x <= i < y for x, y in inner))


def _product_phrase(s: str, taken: list[tuple[int, int]]) -> tuple[str, tuple[int, int] | None]:
    """The product or category in normalized Simplified text ``s``, with its span: the noun phrase left
    before a campaign word (促销, 活动, 礼盒促销 …) or a mechanic (运动饮料试饮, 羽绒服清仓) once the spans in
    ``taken`` (brand, festivals, dates, mechanics, channels, amounts, audience) are blanked out; else the
    first noun phrase left; '' when nothing is left."""
    if s.isascii():
        return _english_product(s, taken)
    said = _PRODUCT_IS.search(s)
    if said and not any(x < said.end("p") and said.start("p") < y for x, y in taken):
        return said.group("p"), said.span("p")
    blanked = _blank(s, taken)
    for m in _BUSINESS.finditer(s):
        group = "p" if m.group("p") else "q"
        a, b = m.span(group)
        if not any(x < b and a < y for x, y in taken) and not _FILLER.fullmatch(m.group(group)):
            return _made_for(s, blanked, b) or _sold(s, blanked, b) or (m.group(group), (a, b))
    sold = _sold(s, blanked)
    if sold is not None:
        return sold
    plain = _without_filler(blanked)
    pieces = [(m.start(), m.group(0)) for m in re.finditer(r"[\u4e00-\u9fff]+", plain) if len(m.group(0)) >= 2]
    mechanics = {m.pos for m in find_terms(s) if not m.term.is_channel}

    def before_mechanic(end: int) -> bool:
        at = end
        while at < len(plain) and plain[at] == _SEP and blanked[at] != _SEP and at not in mechanics:
            at += 1
        # 奶茶店会员月: a noun such as 店 may stand between (not a verb: 咖啡馆推出限定饮品 sells 饮品)
        return at in mechanics and all(_nominal(tag) for _, _, tag in _tokens(s[end:at]))

    # The piece right before a campaign word is the product (its noun phrase nearest the word, or all of it:
    # 「年会活动」); else the noun phrase right before a mechanic (运动饮料试饮); else the first noun phrase,
    # unless it follows the campaign word in a clause that asks: 「七夕活动一般提前多久准备?」 asks with
    # 「一般提前多久」, which names no product (「烘焙店圣诞节活动怎么做?」 names it before the campaign word).
    for pos, piece in pieces:
        end = pos + len(piece)
        if _PRODUCT_CUE.match(s[end:end + 4]) or re.match(r"[\x00]*(?:促销|活动|推广|大促)", blanked[end:end + 6]):
            phrases = [p for p in _noun_phrases(s, pos, piece) if p[0] + len(p[1]) == end and not names_no_product(p[1])]
            if not phrases and (all(tag == "t" for _, _, tag in _tokens(piece)) or names_no_product(piece)):
                continue  # 「新年推广」: a time word (jieba's t) says when, not what
            phrases = phrases or [(pos, piece)]
            return phrases[-1][1], (phrases[-1][0], end)
    chunks = [phrase for pos, piece in pieces for phrase in _noun_phrases(s, pos, piece) if not names_no_product(phrase[1])]
    for pos, phrase in chunks:
        if before_mechanic(pos + len(phrase)):
            return phrase, (pos, pos + len(phrase))
    campaign = _CAMPAIGN_WORD.search(s)
    asking = _asking_spans(s) if campaign else []
    for pos, piece in chunks:
        if not (campaign and pos >= campaign.end() and any(a <= pos < b for a, b in asking)):
            return piece, (pos, pos + len(piece))
    return "", None


_CAMPAIGN_WORD = re.compile(r"促销|活动|推广|大促|方案")
# 「给X做」「为X策划」: the campaign is made for X.
_FOR_IT = re.compile(r"(?:给|为)(?P<x>[\u4e00-\u9fff]{2,12}?)(?=做|搞|办|策划|写|出|设计)")
# The verbs of selling: what follows is what is sold (「我们店主要卖螺蛳粉」「主要賣蛋卷」「卖坚果礼盒」), wherever the
# sentence says it; a complement after the verb (卖得好, 卖完, 卖爆) says how it sells, not what.
_SELLS = re.compile(r"(?:卖|主营|主打|专卖|主推|推出|推)(?![得完不了出掉光爆的])")
# 推 and 推出 (push) sell what follows only as words of their own (推广, 推荐, 推迟 are other words): jieba's cut.


def heads_a_noun(s: str, a: int, b: int) -> bool:
    """True when ``s[a:b]`` (a mechanic's word such as 套餐 or 礼包) is a noun of jieba's cut ending the noun of a
    「A的B」 phrase: the head of what is sold (芋泥的暖冬套餐), not the offer alone."""
    tokens = _tokens(s)
    at = next((i for i, (x, y, _) in enumerate(tokens) if (x, y) == (a, b)), None)
    if at is None or at < 3 or not tokens[at][2].startswith("n"):
        return False
    # nouns back to a 的 with a noun before it (芋泥的暖冬套餐); without one, 秒杀 of 宝宝辅食秒杀 is the offer
    i = at - 1
    while i > 0 and tokens[i][2].startswith("n"):
        i -= 1
    return i < at - 1 and s[tokens[i][0]:tokens[i][1]] == "的" and _nominal(tokens[i - 1][2])


def sells_at(s: str, pos: int) -> bool:
    """True when a verb of selling (``_SELLS``) stands at ``pos`` of ``s``."""
    m = _SELLS.match(s, pos)
    if m is None or m.group(0) not in ("推", "推出"):
        return m is not None
    return any(a == pos and s[a:b] == m.group(0) for a, b, _ in _tokens(s))


def _sold(s: str, blanked: str, start: int = 0) -> tuple[str, tuple[int, int]] | None:
    """The noun phrase right after a verb of selling (``_SELLS``), read as the product; None when there is none
    (「卖得很好」) or it was taken (a channel, a festival)."""
    for m in _SELLS.finditer(s, start):  # the verb may be a tactic word (推出 of a launch): blanked, still a verb
        if not sells_at(s, m.start()):
            continue
        run = re.match(r"[\u4e00-\u9fff]+", blanked[m.end():])
        if not run:
            continue
        # the phrase right after the verb, or after a measure word (推个芋泥的暖冬套餐, 推一下月饼)
        measure = re.match(rf"[{NUMERAL_CHARS}]?[个款下波些](?=[\u4e00-\u9fff]{{2}})", run.group(0))
        at = m.end() + (measure.end() if measure else 0)
        phrases = [p for p in _noun_phrases(s, at, run.group(0)[at - m.end():]) if p[0] == at]
        if phrases and not _FILLER.fullmatch(phrases[0][1]):
            pos, phrase = phrases[0]
            return phrase, (pos, pos + len(phrase))
    return None


def _asking_spans(s: str) -> list[tuple[int, int]]:
    """The spans of ``s``'s clauses that ask in so many words (a question word or mark; a statement such
    as 「七夕活动送玫瑰」 has none)."""
    analysis = analyse(s)
    if analysis.guessed:
        return []
    spans, at = [], 0
    for clause in analysis.clauses:
        found = s.find(clause.text, at)
        if found < 0:
            continue
        at = found + len(clause.text)
        if clause.asks:
            spans.append((found, at))
    return spans


_STORES = re.compile(r"(?P<n>\d+|[一二两三四五六七八九十百千]+)\s*(?:多)?\s*家\s*(?:门店|门市|店|分店|网点|维修网点|售后网点|经销商|直营店)?"
                     r"|(?P<en>\d+)\s+(?:[a-z]+\s+)?(?:stores|shops|outlets|branches)", re.IGNORECASE)
_REGION = re.compile(r"全国|全台|全省|全市|全球|华东|华南|华北|西南|西北|东北|华中|线上全网|"
                     r"(?:北京|上海|广州|深圳|杭州|成都|重庆|武汉|南京|苏州|西安|天津|长沙|郑州|青岛|厦门|台北|香港|"
                     r"beijing|shanghai|guangzhou|shenzhen|hangzhou|chengdu|nationwide|national)", re.IGNORECASE)
_GOAL = re.compile(r"(?:目标是|目标为|目标:|目标：|希望|争取|力争|主要(?:是|为了)?|重点|为了|冲)(?P<g>(?:拉|提升|提高|增加|带动|促进|冲|做|实现|达成|卖|清)"
                   r"[^,，。;；!！?？\n]{1,20})"
                   r"|(?:目标是|目标为|目标:|目标：|希望|争取|力争)(?P<g2>[^,，。;；!！?？\n]{2,30})"
                   r"|\bto\s+(?P<en>(?:drive|boost|grow|increase|win|reach|sell|get)\s+[^,.;]{3,40})", re.IGNORECASE)


@lru_cache(maxsize=1)
def audience_words() -> frozenset[str]:
    """The Chinese words that name a group of people (宝妈, 上班族, 客户, 情侣 …): audience_words.tsv, made from
    CC-CEDICT by tests/bench/build_audience_words.py."""
    return frozenset(line.split("\t", 1)[0] for line in _AUDIENCE_WORDS.read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#"))


# Who a campaign is for, where planners put it: 「宝妈专场」「学生人群」 (before a word for a session or a group),
# 「给老客户发红包」 (after 给, before a verb of giving).
_FOR_GROUP = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,6}?)(?:专场|专享|人群|群体|客群|用户群)")
_GIVE_TO = re.compile(r"给(?P<a>[\u4e00-\u9fff]{2,6}?)(?:发|送|派|寄|推送|回馈|返)")


def find_audience(s: str) -> tuple[str, tuple[int, int] | None]:
    """The audience named in normalized Simplified text ``s`` before a word for a session or group
    (宝妈专场) or after 给 and before a gift (给老客户发红包), when it ends in a word for people; else ''."""
    for pattern in (_FOR_GROUP, _GIVE_TO):
        for m in pattern.finditer(s):
            words = m.group("a")
            # The shortest ending that names people, widened by a one-character qualifier (老/新/小/大).
            for i in range(len(words) - 2, -1, -1):
                if words[i:] in audience_words():
                    start = m.start("a") + i - (1 if i and words[i - 1] in "老新小大男女" else 0)
                    return s[start:m.end("a")], (start, m.end("a"))
    return "", None


def find_stores(s: str) -> int | None:
    """The number of stores or outlets the request covers (30家门店 → 30, 45 stores → 45), or None."""
    for m in _STORES.finditer(s):
        n = m.group("n") or m.group("en")
        after = s[m.end():m.end() + 2]
        if m.group("n") and not re.search(r"门店|门市|店|网点|经销商", m.group(0)) and not after.startswith(("门", "店")):
            continue
        value = chinese_count(n)
        if value:
            return int(value)
    return None


def find_region(s: str) -> str:
    """Where the campaign runs (全国, 上海, 全台, Shenzhen), or ''."""
    found = list(dict.fromkeys(m.group(0) for m in _REGION.finditer(s)))
    return "、".join(found)


def region_spans(s: str) -> list[tuple[int, int]]:
    """Where ``s`` names a region (so the product is not read from 「华东招募」)."""
    return [m.span() for m in _REGION.finditer(s)]


def find_goals(s: str) -> list[tuple[str, tuple[int, int]]]:
    """Goals and KPIs the request states (主要拉复购 → 拉复购; to drive repeat purchases), with their spans."""
    out = []
    for m in _GOAL.finditer(s):
        name = "g" if m.group("g") else "g2" if m.group("g2") else "en"
        out.append((m.group(name).strip(), m.span(name)))
    return out


__all__ = ["WHO_ASKS", "Mention", "Term", "audience_words", "brand_or_product", "find_audience", "find_brand", "find_goals", "find_product", "find_region", "find_stores",
           "find_terms", "nickname_rows", "tactic_spans", "term_named", "vocabulary"]
