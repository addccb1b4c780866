"""Drafting by campaign kind: the kind chosen from the brief decides mechanics and risks; preparation
scales with budget and reach and never starts before today; big budgets read as 亿."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.drafting import draft_plan
from assistant.drafting.kinds import choose_kind, mechanics, risks, template_for
from assistant.drafting.timeline import fit_after, reach_days, schedule
from core.plan import Brief
from core.text.money import money
from core.text.numbering import strip_numbering
from tests.assistant.draft_passages import PASSAGES
from tests.fakes import FakeRetriever

D = dt.date


@pytest.mark.parametrize(
    ("brief", "kind"),
    [
        (Brief(channels=["天猫", "抖音直播"], mechanics=["满减"]), "ecommerce"),
        (Brief(channels=["门店"], mechanics=["会员月", "第二杯半价"]), "stores"),
        (Brief(channels=["小程序"], mechanics=["社群团购"]), "community"),
        (Brief(mechanics=["快闪", "试吃"], channels=["商场"]), "event"),
        (Brief(title="经销商订货会", mechanics=["订货会"], channels=["经销商"]), "b2b"),
        (Brief(title="售后服务月", mechanics=["免费清洗"], channels=["售后网点"]), "service"),
        (Brief(title="2027年度品牌营销规划", start=D(2027, 1, 1), end=D(2027, 12, 31)), "annual"),
        (Brief(title="年度会员日", start=D(2026, 12, 1), end=D(2026, 12, 3), channels=["小程序"]), "community"),
        (Brief(kind="event", channels=["天猫"]), "event"),  # the brief's own kind wins
    ],
)
def test_campaign_kind_is_chosen_from_the_brief(brief: Brief, kind: str) -> None:
    assert choose_kind(brief) == kind


def test_risks_follow_the_kind_and_the_mechanics() -> None:
    online = risks("ecommerce", Brief(channels=["天猫"]))
    assert [r.split(":")[0] for r in online] == ["系统故障与流量高峰", "物流延误与爆仓", "咨询与客诉激增", "库存与供应不足"]
    event = risks("event", Brief(mechanics=["试吃"]))
    assert event[0].startswith("食品安全") and any(r.startswith("天气变化") for r in event)
    assert any(r.startswith("人流过大或不足") for r in event) and any(r.startswith("现场安全") for r in event)


def test_the_request_mechanics_come_first_and_a_one_day_campaign_gets_no_presale() -> None:
    brief = Brief(mechanics=["以旧换新"], start=D(2026, 12, 12), end=D(2026, 12, 12))
    lines = mechanics("ecommerce", brief)
    assert lines[0].startswith("以旧换新:")
    assert not any(line.startswith("预售") for line in mechanics("promotion", brief))


def test_preparation_scales_with_budget_and_reach() -> None:
    small = Brief(budget=20_000, start=D(2027, 3, 1), end=D(2027, 3, 7))
    national = small.model_copy(update={"budget": 120_000_000, "region": "全国"})
    assert (reach_days(small), reach_days(national)) == (5, 52)
    prepare_small, prepare_national = schedule(small)[0], schedule(national)[0]
    assert (prepare_small.start, prepare_national.start) == (D(2027, 2, 18), D(2027, 1, 4))


def test_no_phase_starts_before_today_and_the_plan_says_so() -> None:
    phases = schedule(Brief(budget=5_000_000, start=D(2026, 12, 1), end=D(2026, 12, 15)))
    fitted, note = fit_after(phases, D(2026, 11, 25))
    assert [p.start for p in fitted][:2] == [D(2026, 11, 25), D(2026, 11, 30)]
    assert fitted[1].end == D(2026, 11, 30) and fitted[2].start == D(2026, 12, 1)
    assert note == "距活动开始仅6天,筹备、预热由计划的38天压缩为6天(从今天11月25日开始),请优先完成关键准备。"


def test_a_campaign_already_over_keeps_its_schedule_and_is_not_said_to_start_soon() -> None:
    # fix19's tryout: a 2025 Double 11 drafted on 2026-12-01 (a review of an old campaign) lost its lead phases
    # and was told 「活动即将开始…请立即确认方案并同步执行」 beside the warning that its dates are past.
    phases = schedule(Brief(budget=100_000, start=D(2025, 11, 1), end=D(2025, 11, 11)))
    fitted, note = fit_after(phases, D(2026, 12, 1))
    assert (fitted, note) == (phases, "")


def test_a_draft_close_to_its_start_is_compressed_and_big_budgets_read_as_yi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-25")
    brief = Brief(title="全国家电以旧换新", budget=120_000_000, start=D(2026, 12, 1), end=D(2026, 12, 15),
                  channels=["门店", "线上"], mechanics=["以旧换新"], region="全国")
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None)
    assert min(p.start for p in result.plan.phases if p.start) == D(2026, 11, 25)
    assert result.notices[0].startswith("距活动开始仅6天")
    assert "总预算1.2亿元" in result.plan_markdown and "12000万" not in result.plan_markdown
    assert result.plan.budget_lines[0].item == "以旧换新补贴"
    assert money(120_000_000) == "1.2亿元"


@pytest.mark.parametrize(
    ("brief", "template", "headings"),
    [
        (Brief(title="会员答谢会", mechanics=["抽奖"], channels=["商场"], region="上海", budget=50_000,
               start=D(2026, 12, 10), end=D(2026, 12, 10)), "event",
         ["活动目的", "活动主题", "活动时间与地点", "参与对象", "活动内容与流程", "宣传推广", "人员安排", "场地布置与物料",
          "费用预算", "应急预案", "效果评估"]),
        (Brief(title="售后服务月", mechanics=["免费清洗"], channels=["售后网点"], budget=200_000,
               start=D(2027, 1, 1), end=D(2027, 1, 31)), "service",
         ["活动目的", "活动时间", "服务内容与措施", "服务对象", "组织分工", "费用预算", "考核与评估"]),
        (Brief(title="华东经销商招募", mechanics=["订货会"], channels=["经销商"], budget=1_000_000,
               start=D(2027, 3, 1), end=D(2027, 4, 30)), "channel",
         ["项目背景", "拓展目标", "目标经销商", "渠道政策", "执行进度", "费用预算", "风险控制", "考核与跟进"]),
    ],
)
def test_a_draft_has_the_chapters_of_its_kind_of_plan(
    monkeypatch: pytest.MonkeyPatch, brief: Brief, template: str, headings: list[str]
) -> None:
    """An event is drafted as an event plan (programme, venue), an after-sales month as a service plan,
    a dealer drive as a channel plan: not every campaign as a promotion with 产品、价格与促销方式."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-25")
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None)
    assert result.template == template
    chapters = [c for c in result.plan.chapters if c.key]
    assert [strip_numbering(c.title) for c in chapters] == headings
    assert not [f for f in result.findings if f.severity == "error"]
    bodies = [c.body for c in chapters]
    assert all(b.strip() for b in bodies) and len(set(bodies)) == len(bodies)
    assert "按指南要求安排如下" not in result.plan_markdown  # no chapter falls back to a bare lead-in line


def test_an_event_kind_campaign_longer_than_a_week_is_drafted_as_a_promotion() -> None:
    """A month-long test-drive season or a nine-day anniversary sale with a community stall is built on
    events but runs as a promotion: it gets the promotion chapters, not a one-day programme."""
    month = Brief(title="春季试驾季", mechanics=["试驾"], budget=8_000_000, start=D(2027, 3, 1), end=D(2027, 3, 31))
    day = month.model_copy(update={"end": D(2027, 3, 1)})
    assert (choose_kind(month), choose_kind(day)) == ("event", "event")
    assert (template_for(month), template_for(day)) == ("promotion", "event")


def test_an_english_plan_title_keeps_its_words_apart() -> None:
    from assistant.drafting.outline import plan_title

    brief = Brief(brand="Crumbs", occasion="Christmas", product="bakery", script="en")
    assert plan_title(brief, "Promotion campaign plan", "en") == "Crumbs Christmas bakery: Promotion campaign plan"
    assert plan_title(Brief(occasion="中秋", product="月饼"), "促销活动方案", "zh-Hans") == "中秋月饼方案"


def test_a_dealer_programme_describes_its_partners_and_names_its_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The channel plan's audience chapter is about the dealers it recruits (not 「核心客群…历史购买数据」),
    its offer chapter is the channel policy, and 「在华东招募经销商」 names no product."""
    from assistant.briefs import parse_request

    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    brief = parse_request("明年3月1日到4月30日在华东招募经销商,开两场订货会,预算100万", today=D(2026, 11, 29))
    assert (brief.product, brief.region) == ("", "华东")
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None)
    chapters = {c.key: c.body for c in result.plan.chapters}
    assert "筛选标准" in chapters["partners"] and "历史购买数据" not in chapters["partners"]
    assert "渠道政策:\n- 订货会" in chapters["policy"]
