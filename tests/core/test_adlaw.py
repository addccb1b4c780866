"""One advertising-law lexicon: whatever the validator flags the drafter softens, and the reverse."""

from __future__ import annotations

import pytest

from assistant import script_boundary
from assistant.validators import validate_plan
from core.adlaw import Term, claims, has_claim, soften, terms
from core.plan import Plan
from core.text.scripts import detect_script, to_simplified
from knowledge.templates import load_template
from tests.assistant.validators.plans import CLEAN_EN, CLEAN_HANS, change

PROMOTION = load_template("promotion")
LINE, EN_LINE = "买二送一,满200减20。", '"Full moon, full table".'


def _claim_sentence(term: Term) -> str:
    """A sentence in which ``term`` is a claim, in the plan's language."""
    before = term.only_after[0] if term.only_after else ""
    after = term.or_before[0] if term.or_before and not term.only_after else ""
    if term.word.isascii() and term.word[0].isalpha():
        return f"Our {before}{term.word} {after or 'mooncakes'} for every family."
    return f"本次礼盒{before}{term.word}{after or '品质'},买二送一。"


def _flagged(sentence: str) -> bool:
    english = sentence.isascii()
    plan = change(CLEAN_EN if english else CLEAN_HANS, EN_LINE if english else LINE, sentence)
    return any(f.code == "ad_law_wording" for f in validate_plan(Plan.from_markdown(plan, PROMOTION)))


@pytest.mark.parametrize("term", terms(), ids=lambda t: t.word)
def test_drafting_and_validation_agree_on_every_term(term: Term) -> None:
    sentence = _claim_sentence(term)
    assert has_claim(sentence) and _flagged(sentence), sentence
    softened = soften(sentence)
    assert softened != sentence and not has_claim(softened), softened
    assert not _flagged(softened), softened


@pytest.mark.parametrize("text", [
    "第一章 活动背景", "第一阶段先在两家门店试点。", "第一时间通知老客户。", "第一季度完成筹备。", "把握最佳时机,最好提前备货。",
    "选择转化效果最好的渠道追加投放。", "唯一标识码印在礼盒上。", "确保100%按时发货。", "绝对不能虚假宣传。", "以旧换新补贴最高50元。",
    "Pick the best channels by ROI.", "Plan the best time to post.",
])
def test_ordinals_advice_and_caps_are_neither_flagged_nor_softened(text: str) -> None:
    assert claims(text) == [] and soften(text) == text


@pytest.mark.parametrize(("text", "softened"), [
    ("国家级品质,最佳品质,销量第一", "高标准品质,较好品质,销量领先"),
    ("行業第一的國家級品質", "行業領先的高標準品質"),
    ("打造行业第一品牌,100%天然", "打造行业知名品牌,天然"),
    ("首选礼盒,绝对超值", "优选礼盒,十分超值"),
])
def test_softened_wording_is_simplified_and_reads_in_the_texts_script(text: str, softened: str) -> None:
    """Softening works in Simplified; a Traditional reader gets it back at the output boundary."""
    assert soften(text) == to_simplified(softened)
    assert script_boundary.text(soften(text), detect_script(text)) == softened
