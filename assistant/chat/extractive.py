"""The offline answer: the guidebook sentences that best answer a question, quoted with citations.

Passages are split into units (sentences and list items, see ``passage_units``). Each unit is scored against the
question — topic-word and character-bigram overlap in Simplified, plus how well its passage as a
whole (rank, own heading, text) fits — then units are picked MMR-style so a second quote adds
something new. A unit that introduces a list (「以下几种:」) or heads a paragraph is scored with
what follows it, and brings it along; an item of a list brings its sibling items for 「有哪些」
questions. Quotes are kept verbatim, so enumerations in the source survive intact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.chat.passage_units import (
    ENDS_SENTENCE,
    INTRODUCES_LIST,
    MAX_ITEM_CHARS,
    Unit,
    item_run,
    passage_units,
    with_explanation,
)
from assistant.chat.question import (
    asked_for,
    asked_measure,
    asking_part,
    asks_definition,
    asks_how,
    background_terms,
    bigrams,
    expanded_terms,
    is_list_question,
    question_terms,
)
from assistant.chat.quote_ranker import quote_features, shipped_ranker
from core.text.scripts import detect_script, to_simplified
from knowledge.passage import Passage
from knowledge.precedents import Precedent, normalized, precedent

MAX_ANSWER_CHARS = 480
# What the first quotes leave for each later one (a sentence or three short items).
LATER_BLOCK_CHARS = 120
MAX_ITEMS = 8
MAX_LEAD_CHARS = 200
CONTINUATION_CHARS = 150
# Quotes for each part of a question of several parts: its best, and a second when it scores near it.
PART_BLOCKS = 2
# A second quote must score at least this share of the best one.
SECOND_BLOCK_SHARE = 0.6
LATER_BLOCK_ITEMS = 3
# Below this score nothing in the passages is worth quoting.
MIN_SCORE = 0.15
# Shorter quotes without a list are headings, not answers.
MIN_QUOTE_CHARS = 12
# A quote shorter than this is shown after the heading it sits under, as its label.
LABELLED_CHARS = 24
# How much the rest of a question of several parts counts when one part is answered: 「大厅呢?」 after
# 「七夕酒店门口怎么布置?」 is about a 七夕 hotel too, but must not be answered with the doorway again.
CONTEXT_FACTOR = 0.3
# How much a word of the asker's situation counts (「我们是奶茶店，双十一…」 before what is asked, see
# ``background_terms``): of two sentences that answer, the one about their shop or occasion leads, but a sentence
# holding only such words answers nothing and is never quoted.
BACKGROUND_FACTOR = 0.3
# A quote must hold at least this share of what made its sentence match (its words, a lead-in's list).
KEPT_COVER = 0.75
# What each word of a term group after its heaviest adds (see ``_Weights``).
GROUP_EXTRA = 0.5
# How much of a quote's opening finds it again among a list's items.
ANCHOR_CHARS = 20
# What a section's title counts for each sentence under it beside the sentence's own words (see ``_score``).
SECTION_SHARE = 0.5
# The opening of a sentence, where its subject is: 「差别定价策略是指…」 is about 差别定价.
SUBJECT_CHARS = 10


@dataclass
class _Block:
    """What the answer quotes from one place: a sentence run or a list, and the passage it cites."""

    passage: int
    lead: str
    items: list[str]
    members: set[int] = field(default_factory=set)  # unit positions quoted
    anchor_item: int | None = None  # the item that answers best: shown even when the list is cut
    item_units: list[int] = field(default_factory=list)  # the unit position each item opens with


@dataclass
class _Weights:
    """What a unit of text must say to answer: term weights, and the group each term stands in (a topic
    word and the guidebooks' words for it, or the words one question form implies): a group counts once,
    by its heaviest term the text holds."""

    weights: dict[str, float]
    groups: dict[str, str]
    background: frozenset[str] = frozenset()  # the asker's situation: counts beside what is asked, never alone

    @property
    def total(self) -> float:
        return self._sum({t: w for t, w in self.weights.items() if t not in self.background}) or 1.0

    def covered(self, text: str) -> float:
        """The share of the groups' weight ``text`` holds (at most 1: the asker's situation adds to what is asked);
        0 when it holds only words of the asker's situation."""
        present = {t: w for t, w in self.weights.items() if t in text}
        if not any(t not in self.background for t in present):
            return 0.0
        return min(1.0, self._sum(present) / self.total)

    def _sum(self, present: dict[str, float]) -> float:
        by_group: dict[str, list[float]] = {}
        for term, weight in present.items():
            by_group.setdefault(self.groups[term], []).append(weight)
        # Each further word of a group adds less: 「电视」「广播」「报纸」 say 传统媒体 more surely than one of
        # them, but 「客服」 beside 「客户服务」 says it twice.
        return sum(max(ws) + GROUP_EXTRA * (sum(ws) - max(ws)) for ws in by_group.values())


def _term_weights(question: str, units: list[Unit], context: str = "") -> _Weights:
    """Topic words weighted by rarity among the units; words the question's form implies weigh at
    most a share of the average topic word (a rare 「是指」 must not outweigh the topic); the topic
    words of ``context`` (the rest of a question of several parts) weigh ``CONTEXT_FACTOR``, the words of the
    asker's situation (``background_terms``) ``BACKGROUND_FACTOR``, counted only beside a word of what is asked."""
    n = max(1, len(units))
    weights: dict[str, float] = {}
    groups: dict[str, str] = {}
    implied: list[tuple[str, float, str]] = []

    def rarity(term: str) -> float:
        df = sum(1 for u in units if term in u.simplified)
        return math.log(1 + n / (1 + df)) * (1.0 + 0.15 * min(len(term), 4))

    for term, factor, group in expanded_terms(question):
        if factor < 1.0 and len(term) > 1 and term not in weights:
            implied.append((term, factor, group))
            continue
        weights[term] = max(weights.get(term, 0.0), rarity(term) * factor)
        groups.setdefault(term, group)
    topic = [w for w in weights.values() if w > 0]
    mean = sum(topic) / len(topic) if topic else 1.0
    for term, factor, group in implied:
        if term not in weights:
            weights[term] = factor * min(rarity(term), mean)
            groups[term] = group
    for term in question_terms(context) if context else ():
        if term not in weights and len(term) > 1:
            weights[term] = CONTEXT_FACTOR * rarity(term)
            groups[term] = term
    background = [t for t in background_terms(context or question) if t not in weights and len(t) > 1]
    for term in background:
        weights[term] = BACKGROUND_FACTOR * rarity(term)
        groups[term] = term
    return _Weights(weights, groups, frozenset(background))


def _passage_relevance(passages: Sequence[Passage], weights: _Weights, kind: str,
                       shares: Sequence[float]) -> tuple[list[float], list[str]]:
    """How well each passage as a whole (its rank and retrieval's probability as a ``shares`` of the likeliest
    passage's, its own heading, its text) fits the question;
    a heading naming the kind of thing asked for (「三、主题」 for 「用什么主题」) counts extra.
    Also, per passage, the text of its document part when its heading names that kind (its
    sentences are about what the part is about), else ''."""
    n = max(1, len(passages))
    coverage = weights.covered

    # Sections of one document part (one campaign plan, one chapter) share its subject: a short
    # 「三、主题」 section answers a question about the 夏季特卖 its sibling sections describe.
    roots: dict[str, str] = {}
    for passage in passages:
        root = f"{passage.doc}>{passage.section.split('>')[0].strip()}"
        roots[root] = roots.get(root, "") + to_simplified(passage.section + passage.text).lower()
    scores: list[float] = []
    contexts: list[str] = []
    for rank, passage in enumerate(passages):
        heading = to_simplified(passage.section.split(">")[-1]).lower() if passage.section else ""
        root = roots[f"{passage.doc}>{passage.section.split('>')[0].strip()}"]
        names_kind = bool(kind) and kind in heading
        # Rank alone says nothing of how far behind the second passage is: retrieval's probability does.
        standing = 0.5 * (1 - rank / n) + 0.5 * shares[rank]
        scores.append(0.35 * standing + 0.3 * coverage(heading) + 0.2 * coverage(to_simplified(passage.text).lower())
                      + 0.15 * coverage(root) + (0.25 if names_kind else 0.0))
        contexts.append(root if names_kind else "")
    return scores, contexts


def _score(per_passage: list[list[Unit]], question: str, passages: Sequence[Passage], list_question: bool,
           context: str = "", how: bool | None = None, asker: str = "",
           echoes: Sequence[tuple[Precedent, float]] = ()) -> _Weights:
    """Score every unit for ``question``: the hand-weighted score, then (when a quote ranker is fitted) the
    ranker's probability that quoting it answers, from the same signals and what its quote would say. A sentence
    followed by a lead-in (「…是提升效果的关键。以下渠道可供选择:」) may be quoted alone or on into the list:
    the ranker reads both and the likelier is kept (``Unit.into_list``). ``how`` says whether the question asks
    how to do something when its words cannot (an English question read in Chinese terms); ``asker``, the asker's
    own words when ``question`` is not (the quantity or definition they ask for is read from them); ``echoes``,
    the labelled questions put most like it (``knowledge.precedents``): a quote holding what one of them was
    answered with is likelier the answer."""
    if how is None:
        how = asks_how(question)
    measure, defines = asked_measure(asker or question), asks_definition(asker or question)
    # How likely retrieval found each passage to hold the answer, also as a share of the likeliest one's.
    retrieved = [max(0.0, p.score) for p in passages]
    likeliest = max(retrieved, default=0.0) or 1.0
    shares = [r / likeliest for r in retrieved]
    units = [u for each in per_passage for u in each]
    weights = _term_weights(question, units, context)
    q_grams = bigrams(asking_part(question))
    kind = asked_for(question)
    relevance, contexts = _passage_relevance(passages, weights, kind, shares)
    for unit in units:
        scored_text = unit.simplified + contexts[unit.passage]
        # Every sentence of a section is about its title, not only the first (which is scored with it): the title
        # counts for the others too, at a share, so a sentence that says the question's words itself still leads.
        covered = max(weights.covered(scored_text), SECTION_SHARE * weights.covered(unit.section_title + scored_text))
        gram_cover = len(q_grams & unit.grams) / len(q_grams) if q_grams else 0.0
        length = len(unit.simplified)
        shape = 1.0 if 8 <= length <= 220 else (0.4 if length < 8 else 0.8)
        listy = 0.0
        if list_question and (unit.is_item or unit.simplified.count("、") >= 2 or "包括" in unit.simplified):
            listy = 0.1
        overlap = 0.7 * covered + 0.3 * gram_cover
        # Sharing only characters (「还有」) is not being about the question: a topic word must appear.
        unit.score = (0.55 * overlap + 0.45 * relevance[unit.passage]) * shape + listy if covered else 0.0
        # 「售后服务流程怎么设计」 matches the heading 「售后服务流程设计」 of a list, not its first item.
        # An item that says no more of the question than its heading (「人员需求」 over 「收银人员2名」) is
        # one of the heading's list too.
        own_text = to_simplified(unit.text).lower()
        by_heading, by_itself = weights.covered(unit.heading), weights.covered(own_text)
        unit.heading_led = by_heading > by_itself or (unit.is_item and by_heading > 0 and by_heading >= by_itself)
        if unit.section_heading:
            unit.score = 0.0  # a heading is context for what is under it, never the answer
        unit.features = {
            "base": unit.score, "covered": covered, "grams": gram_cover, "passage": relevance[unit.passage],
            "shape": shape, "listy": listy, "own": by_itself, "heading": by_heading,
            "rank": 1.0 / (1 + unit.passage), "position": 1.0 / (1 + unit.position),
            "item": float(unit.is_item), "introduces": float(unit.introduces), "short": float(unit.is_heading),
            "heading_led": float(unit.heading_led), "length": math.log1p(length) / 6,
            "list_question": float(list_question), "subject": weights.covered(own_text[:SUBJECT_CHARS]),
            "kind": float(bool(kind) and kind in unit.heading + to_simplified(passages[unit.passage].section).lower()),
            "kind_own": float(bool(kind) and kind in own_text), "retrieved": retrieved[unit.passage],
            "retrieved_share": shares[unit.passage]}
    best = max((u.score for u in units), default=0.0) or 1.0
    order = sorted(range(len(units)), key=lambda i: -units[i].score)
    ranker = shipped_ranker()
    for place, i in enumerate(order):
        unit = units[i]
        unit.features["share"] = unit.score / best
        unit.features["place"] = 1.0 / (1 + place)
        if unit.score <= 0:
            continue
        own = to_simplified(unit.text)
        alone = _said(_block_for(per_passage[unit.passage], unit, list_question or unit.heading_led, set()))
        listed = _said(_block_for(per_passage[unit.passage], unit, list_question or unit.heading_led, set(),
                                  into_list=True))
        unit.variants, chosen = [], unit.features
        best_probability = -1.0
        for into_list, said in ((False, alone), (True, listed))[: 1 if listed == alone else 2]:
            features = {**unit.features, **quote_features(said, weights.covered(said.lower()), list_question, how,
                                                          into_list, measure, defines),
                        "precedent": precedent(echoes, normalized(said)) if echoes else 0.0}
            unit.variants.append((said, features))
            probability = ranker.probability(features, own) if ranker is not None else 0.0
            if probability > best_probability:
                best_probability, unit.into_list, chosen = probability, into_list, features
        unit.features = chosen
        if ranker is not None:
            unit.score = unit.score + ranker.blend * best_probability
    return weights


def _chapter(passage: Passage) -> tuple[str, str]:
    """The guidebook and top-level section ``passage`` is in."""
    return passage.doc, passage.section.split(">")[0].strip()


def base(unit: Unit) -> float:
    """The hand-weighted score of ``unit`` (its ``score`` is the ranker's when one is fitted)."""
    return unit.features.get("base", unit.score)


def _similarity(a: Unit, b: Unit) -> float:
    if not a.grams or not b.grams:
        return 0.0
    return len(a.grams & b.grams) / len(a.grams | b.grams)


def _list_block(units: list[Unit], passage: int, lead: str, lead_members: set[int], start: int,
                end: int, taken: set[int], max_items: int = MAX_ITEMS, anchor: int = -1) -> _Block:
    style = units[start].style
    items: list[str] = []
    item_units: list[int] = []
    members = set(lead_members)
    anchor_item: int | None = None
    for index in range(start, end + 1):
        unit = units[index]
        if not unit.is_item or unit.style != style or index in taken:
            continue  # explanations are quoted with their item
        if len(items) >= max_items:
            break
        text, quoted = with_explanation(units, index)
        if anchor in quoted:
            anchor_item = len(items)
        items.append(text)
        item_units.append(index)
        members |= quoted
    return _Block(passage, lead, items, members, anchor_item, item_units)


# The first item of a list: 「(1)」「1)」「1.」「一、」「a、」「①」 (a list that starts here, not the next of an outer one).
_FIRST_ITEM = re.compile(r"^\s*(?:[(（]\s*[1一]\s*[)）]|1[)）.、．]|一、|a、|①)")


def _block_for(units: list[Unit], anchor: Unit, list_question: bool, taken: set[int], into_list: bool = False) -> _Block:
    """The quote around ``anchor``: the list it heads or belongs to, or it and what follows it
    (never running into ``taken``, the units already quoted from this passage); ``into_list``: on into the list
    a lead-in after it announces, though the question asks for no list (「…怎么拓展」 after 「…是关键。以下渠道:」)."""
    index = anchor.position
    following = units[index + 1:]
    if ((anchor.introduces or anchor.is_heading) and following and following[0].is_item
            and following[0].style != anchor.style):
        _, end = item_run(units, index + 1)
        return _list_block(units, anchor.passage, anchor.text, {index}, index + 1, end, taken)
    if anchor.is_item and list_question:
        start, end = item_run(units, index)
        lead = units[start - 1] if start > 0 and (units[start - 1].introduces or units[start - 1].is_heading) else None
        return _list_block(units, anchor.passage, lead.text if lead else "", {lead.position} if lead else set(),
                           start, end, taken, anchor=index)
    if anchor.introduces and following and list_question:
        # A lead-in without markers: the next sentences are its items.
        return _Block(anchor.passage, anchor.text, [u.text for u in following[:3]],
                      {index, *(u.position for u in following[:3])})
    # A short sentence or heading rarely stands alone: carry on with what follows it (an item
    # carries on with its own explanation, not with the next item).
    text, members = anchor.text, {index}
    above = units[index - 1] if index else None
    if above is not None and above.section_heading and len(text) < LABELLED_CHARS:
        # A short sentence says what it is about under its heading: 「三、主题：“清凉夏日,时尚感受”」.
        text, members = f"{above.text}：{text}", {index - 1, index}
    last = anchor
    for unit in following[:3]:
        if unit.position in taken or unit.section_heading:
            break
        if unit.is_item:
            # The continuation ends in 「以下几种:」: quote the list it announces; ``into_list``, also a list of its own
            # that follows without one (「创意构思要求新颖…」 then 「(1)结合公司文化…」).
            if last.introduces or into_list and unit.style != anchor.style and _FIRST_ITEM.match(unit.text):
                _, end = item_run(units, unit.position)
                return _list_block(units, anchor.passage, text, members, unit.position, end, taken)
            break
        if len(text) + len(unit.text) > CONTINUATION_CHARS and not anchor.is_heading:
            break
        if unit.introduces and not (list_question or into_list or anchor.is_heading or anchor.introduces):
            break  # the answer is the sentence itself, not the next list
        glue = "" if text.endswith(ENDS_SENTENCE) else ("：" if anchor.is_heading and len(members) == 1 else " ")
        text += glue + unit.text
        members.add(unit.position)
        last = unit
        if len(text) > CONTINUATION_CHARS:
            break
    return _Block(anchor.passage, text, [], members)


def _anchor_on_answer(block: _Block, units: list[Unit]) -> None:
    """A list quoted for the sentence before it (its lead-in, or the sentence the ranker chose to quote on into
    the list) is shown around the item the ranker scores highest: when the list is longer than the answer's
    room, the items before that one give way, not it (``_fit_items``)."""
    if not block.items or block.anchor_item is not None or len(block.item_units) != len(block.items):
        return
    scores = [units[i].score for i in block.item_units]
    best = max(range(len(scores)), key=lambda i: scores[i])
    if scores[best] > 0:
        block.anchor_item = best


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；;，,")
    return (text[: cut + 1] if cut > limit // 2 else text[:limit]) + "…"


# An English question that asks for an enumeration: "what are the steps", "which channels", "are there".
_ENGLISH_LIST = re.compile(r"\bare there\b|\bwhat are\b|\bsteps?\b|\blist\b", re.IGNORECASE)
_ASKED_WORDS = re.compile(r"\b(?:what|which)((?:\s+[a-z'-]+){1,3})", re.IGNORECASE)
# Words ending in -s that are no plural noun.
_NOT_PLURAL = frozenset("does is was has this its us his hers yours ours theirs as thus plus focus process "
                        "business less across always perhaps news analysis basis campus status bonus".split())


def asks_for_list(question: str) -> bool:
    """True for questions that ask for an enumeration, in Chinese (「有哪些」「哪几种」) or English ("what are
    the steps", "what kinds of … are there", and what/which before a plural: "which channels")."""
    if detect_script(question) != "en":
        return is_list_question(question)
    if _ENGLISH_LIST.search(question):
        return True
    return any(word.endswith("s") and not word.endswith("ss") and len(word) > 3 and word not in _NOT_PLURAL
               for match in _ASKED_WORDS.finditer(question.lower()) for word in match.group(1).split())


def choose_blocks(question: str, passages: Sequence[Passage], max_blocks: int = 3,
                  trust_retrieval: bool = False, *, context: str = "",
                  quoted: Sequence[_Block] = (), list_question: bool | None = None,
                  how: bool | None = None, asker: str = "",
                  echoes: Sequence[tuple[Precedent, float]] = ()) -> list[_Block]:
    """The places to quote for ``question``, best first; empty when nothing overlaps the question,
    unless ``trust_retrieval`` (a question in another language than the passages: quote the best one).
    ``context`` is the rest of a question of several parts (its words count a little), ``quoted`` the
    blocks already quoted for its other parts (never quoted again); ``list_question`` says whether an
    enumeration is asked for when the question's words cannot (an English question read in Chinese terms), ``how``
    likewise whether it asks how to do something, ``asker`` the asker's own words then; ``echoes`` the labelled
    questions put most like it (see ``_score``)."""
    if not passages:
        return []
    if list_question is None:
        list_question = is_list_question(question)
    per_passage = passage_units(passages, list_question)
    flat = [u for units in per_passage for u in units]
    if not flat:
        return []
    weights = _score(per_passage, question, passages, list_question, context, how, asker, echoes)
    for block in quoted:
        for position in block.members:
            if position < len(per_passage[block.passage]):
                per_passage[block.passage][position].score = 0.0
    ranked = sorted(flat, key=lambda u: u.score, reverse=True)
    if max((base(u) for u in flat if u.score > 0), default=0.0) < MIN_SCORE:
        if not trust_retrieval:
            return []
        # No sentence can share words with an English question: quote the opening of the passage
        # the (multilingual) retriever ranked first.
        top = per_passage[0]
        return [_block_for(top, top[0], list_question, set())] if top else []
    chosen: list[Unit] = []
    blocks: list[_Block] = []
    top_base = max(base(u) for u in flat if u.score > 0)
    for candidate in ranked:
        if len(blocks) >= max_blocks or candidate.score <= 0:
            break
        if base(candidate) < MIN_SCORE:
            continue
        taken = {m for b in [*quoted, *blocks] if b.passage == candidate.passage for m in b.members}
        if list_question and any(b.items for b in blocks) and taken:
            continue  # a list answers from its passage; only another passage may add to it
        if chosen:
            if taken and min(taken) - 1 <= candidate.position <= max(taken) + 1:
                continue  # inside or right next to a quote from the same passage
            if context and _chapter(passages[candidate.passage]) != _chapter(passages[chosen[0].passage]):
                continue  # a part's second quote stays in its first's chapter (not 包装's 原则 for 细分's)
            redundancy = max(_similarity(candidate, c) for c in chosen)
            # Whether a later quote adds enough is judged on the hand-weighted score: the ranker's
            # probabilities say which sentence answers best, not how many are worth quoting.
            if redundancy > 0.5 or base(candidate) - 0.3 * redundancy < SECOND_BLOCK_SHARE * top_base:
                continue
        block = _block_for(per_passage[candidate.passage], candidate, list_question or candidate.heading_led, taken,
                           candidate.into_list)
        if not block.items and (len(block.lead) < MIN_QUOTE_CHARS or INTRODUCES_LIST.search(block.lead)):
            continue  # a bare heading, or a lead-in whose list is not in the passage, says nothing
        if weights.covered(candidate.heading + _said(block).lower()) < KEPT_COVER * weights.covered(candidate.simplified):
            continue  # the quote it gives lost what made it match (a lead-in whose list is not what follows it)
        said = _said(block)
        if any(said in _said(b) for b in blocks):
            continue  # already quoted, within a longer quote
        whole = _block_for(per_passage[candidate.passage], candidate, list_question or candidate.heading_led, set(),
                           candidate.into_list)
        held = [i for i, b in enumerate(blocks) if _said(b) in _said(whole)] if taken else []
        if held:
            # The list, with the item quoted before among its items: that item answered best, so it stays the one
            # the list is shown around.
            earlier = blocks[held[0]]
            best = _said(_Block(earlier.passage, "", [earlier.items[earlier.anchor_item]])) if (
                earlier.anchor_item is not None and earlier.anchor_item < len(earlier.items)) else _said(earlier)
            whole.anchor_item = next((i for i, item in enumerate(whole.items) if best[:ANCHOR_CHARS] in _said(
                _Block(whole.passage, "", [item]))), whole.anchor_item)
            block = whole
            # A list that holds a sentence quoted alone before (a sub-section's first sentence, then the list of
            # sub-sections it opens) takes that sentence's place.
            for i in reversed(held[1:]):
                del blocks[i], chosen[i]
            blocks[held[0]], chosen[held[0]] = block, candidate
            continue
        chosen.append(candidate)
        _anchor_on_answer(block, per_passage[candidate.passage])
        if blocks and not list_question:
            # Later quotes support the first; keep them short. A list asked for is shown whole, as far as the
            # answer's room goes (``render_answer``): its fourth item is as much the answer as its first.
            block.items = block.items[:LATER_BLOCK_ITEMS]
        blocks.append(block)

    return blocks


def quote_candidates(question: str, passages: Sequence[Passage], *, context: str = "",
                     list_question: bool | None = None,
                     how: bool | None = None, asker: str = "",
                     echoes: Sequence[tuple[Precedent, float]] = ()) -> list[tuple[Unit, str, dict[str, float]]]:
    """Every way of quoting a unit of ``passages`` that shares a topic word with ``question``: the unit, what
    the quote would say (its sentence run or list; for a sentence before a lead-in, also on into the list) and
    the signals the ranker reads of it. What the quote ranker is fitted on."""
    if list_question is None:
        list_question = is_list_question(question)
    per_passage = passage_units(passages, list_question)
    flat = [u for units in per_passage for u in units]
    _score(per_passage, question, passages, list_question, context, how, asker, echoes)
    return [(u, said, features) for u in flat if u.features["base"] > 0 for said, features in u.variants]


def _said(block: _Block) -> str:
    """What a block quotes, without spaces, for telling whether one quote holds another."""
    return re.sub(r"\s+", "", block.lead + "".join(block.items))


def _fit_items(block: _Block, room: int, first: bool) -> list[str]:
    """The items of ``block`` that fit in ``room`` characters, in order; the best-answering item is
    always among them (the items before it give way), and the first quote shows at least one."""
    texts = [_clip(item, MAX_ITEM_CHARS) for item in block.items]
    must = block.anchor_item if block.anchor_item is not None and block.anchor_item < len(texts) else None
    left = room - (len(texts[must]) if must is not None else 0)
    keep: list[int] = []
    for i, text in enumerate(texts):
        if i == must:
            keep.append(i)
        elif len(text) <= left or (first and not keep and must is None):
            keep.append(i)
            left -= len(text)
        elif must is None or i > must:
            break
    if must is not None and room < len(texts[must]) and not first:
        return []
    return [texts[i] for i in keep]


def render_answer(blocks: list[_Block], lead_in: str) -> str:
    """The answer text: ``lead_in``, then each block with its citation marker, within the length budget,
    in Simplified (the chat service shows it in the asker's script)."""
    lines = [lead_in]
    used = 0
    for index, block in enumerate(blocks):
        marker = f"[{block.passage + 1}]"
        # Room is kept for the quotes after this one: each brings a different passage's answer.
        budget = MAX_ANSWER_CHARS - LATER_BLOCK_CHARS * (len(blocks) - index - 1)
        if block.items:
            if used and used + 40 > budget:
                break
            shown = _fit_items(block, budget - used, first=not used)
            used += sum(len(t) for t in shown)
            shown = [f"- {t}" for t in shown]
            if not shown:
                break  # a lead-in without any of its items says nothing
            if block.lead:
                lines.append(_clip(block.lead, MAX_LEAD_CHARS))
            lines.extend(shown)
            lines[-1] += f" {marker}"
        else:
            if used and used + 40 > budget:
                break
            text = _clip(block.lead, max(80, budget - used))
            used += len(text)
            lines.append(f"{text} {marker}")
    return "\n".join(lines)


class ExtractiveResponder:
    """Answers from the passages alone, by quoting them; the offline counterpart of a chat model."""

    name = "extractive"

    def answer(self, question: str, passages: Sequence[Passage], lead_in: str,
               list_question: bool | None = None, how: bool | None = None, asker: str = "",
               echoes: Sequence[tuple[Precedent, float]] = ()) -> tuple[str, list[int]]:
        """The quoted answer and the passage indexes it cites; ('', []) when nothing in them fits.
        ``list_question`` says whether an enumeration is asked for when ``question`` is not the asker's
        own words (an English question in the guidebooks' Chinese terms), ``how`` whether a way to do something is,
        ``asker`` the asker's own words then, ``echoes`` the labelled questions put most like it."""
        blocks = choose_blocks(question, passages, trust_retrieval=detect_script(question) == "en",
                               list_question=list_question, how=how, asker=asker, echoes=echoes)
        if not blocks:
            return "", []
        text = render_answer(blocks, lead_in)
        cited = sorted({b.passage for b in blocks if f"[{b.passage + 1}]" in text})
        return text, cited

    def answer_parts(self, question: str, parts: Sequence[str], passages: Sequence[Passage],
                     lead_in: str, echoes: Sequence[tuple[Precedent, float]] = ()) -> tuple[str, list[int]]:
        """The quoted answer to a ``question`` of several ``parts`` (「A多久回复?B多久看一次?」): for each part in
        turn, the best quote that no earlier part quoted, read with the rest of the question as context (「大厅呢?」
        after 「七夕酒店门口怎么布置?」), each with the room of a whole answer; ('', []) when some part has nothing
        in the passages to quote."""
        shown: list[_Block] = []
        answers: list[list[_Block]] = []
        for part in parts:
            found = choose_blocks(part, passages, max_blocks=PART_BLOCKS, context=question, quoted=shown,
                                  echoes=echoes)
            if not found:
                return "", []
            shown.extend(found)
            answers.append(found)
        texts = [lead_in, *(render_answer(blocks, "").strip("\n") for blocks in answers)]
        text = "\n".join(texts)
        return text, sorted({b.passage for b in shown if f"[{b.passage + 1}]" in text})

    def stream(self, question: str, passages: Sequence[Passage], lead_in: str) -> Iterator[str]:
        """The same answer in line-sized chunks."""
        text, _ = self.answer(question, passages, lead_in)
        yield from text.splitlines(keepends=True)
