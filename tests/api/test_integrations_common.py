"""What every adapter shares: intent, mention stripping, and how answers and plans read in a chat."""

from __future__ import annotations

import pytest

from api.integrations.common import AccessTokens, clip, errcode_ok, platform_call, strip_mentions, wants_plan
from api.integrations.respond import format_answer, split_thread
from assistant import script_boundary
from assistant.chat.service import Answer
from assistant.planning.messages import asked_words, findings_lines, missing_prompt
from core.plan import Brief, Citation, Finding
from tests.api.test_integrations_fakes import FakePlatform


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("帮我做个中秋节月饼促销方案，预算50万，9月1日到9月17日", True),
        ("幫我寫一份雙十一活動方案", True),
        ("请起草一份春节促销策划案", True),
        ("出一份618企划，预算30万", True),
        ("Draft a plan for our Mid-Autumn mooncake promotion, budget 500k", True),
        ("can you draft a plan for Singles' Day?", True),
        ("帮我写个方案好吗？", True),
        ("促销方案应该包括哪些部分？", False),
        ("如何写一份好的活动方案？", False),
        ("How do I write a promotion plan?", False),
        ("中秋节促销应该提前多久预热？", False),
        ("预算怎么分配", False),
        ("What should a budget include?", False),
    ],
)
def test_plan_requests_are_told_from_questions(text: str, plan: bool) -> None:
    assert wants_plan(text) is plan


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U0LAN0Z89> 预算怎么分配？", "预算怎么分配？"),
        ("<@U0LAN0Z89|cehua>   hello   there", "hello there"),
        ("@_user_1 中秋促销", "中秋促销"),
        (" @策划助手 帮我做个方案", "帮我做个方案"),
        ("<at user_id=\"ou_1\">策划助手</at> 你好", "你好"),
        ("联系 a@b.com 的同事", "联系 a@b.com 的同事"),
    ],
)
def test_bot_mentions_are_stripped(raw: str, clean: str) -> None:
    assert strip_mentions(raw) == clean


def test_long_replies_are_clipped_with_a_mark() -> None:
    assert clip("短回复", 10) == "短回复"
    assert clip("一二三四五六七八九十十一", 6) == "一二三四五…"


@pytest.mark.parametrize(
    ("thread", "parts"),
    [
        ("slack:C0LAN2Q65:1700000000.000100", ("slack", "C0LAN2Q65:1700000000.000100")),
        ("wecom:zhangsan", ("wecom", "zhangsan")),
        ("no-platform", ("chat", "no-platform")),
        (":key", ("chat", ":key")),
    ],
)
def test_a_thread_name_splits_into_platform_and_key(thread: str, parts: tuple[str, str]) -> None:
    assert split_thread(thread) == parts


def test_answer_reads_with_numbered_sources() -> None:
    answer = Answer(
        question="预热期多长？", answer="预热期一般两到三周 [1]。", grounded=True, conversation="c1",
        script="zh-Hans", offline=True, standalone_question="预热期多长？",
        citations=[Citation(n=1, text="……", doc="003_ae0c", title="促销活动策划指南", section="第三章 > 3.1 预热")],
    )
    assert format_answer(answer, "预热期多长？") == (
        "预热期一般两到三周 [1]。\n\n来源：\n[1] 促销活动策划指南 › 第三章 > 3.1 预热"
    )


def test_findings_read_errors_first_in_the_requests_script() -> None:
    findings = [
        Finding(code="timeline_overlap", severity="warning", message="阶段重叠", location="第4行"),
        Finding(code="budget_sum", severity="error", message="预算合计与总额不符"),
    ]
    # Simplified inside Cehua; a reply takes the planner's script where it leaves (PlanningChat).
    assert [script_boundary.text(line, "zh-Hant") for line in findings_lines(findings, "zh-Hant")] == [
        "校驗發現1個錯誤、1個提醒：",
        "✗ [budget_sum] 預算合計與總額不符",
        "! [timeline_overlap] 階段重疊 (第4行)",
    ]
    assert findings_lines([], "en") == ["Checks passed: no errors found."]


def test_missing_fields_are_asked_for_in_the_planners_script() -> None:
    """The ask-back names the campaign as far as it is known and asks for a product and mechanic it lacks."""
    assert missing_prompt(Brief()) == (
        "要起草方案，还需要：预算、开始日期、结束日期。直接告诉我就行，例如「预算5万，下个月1号到15号」。"
        "另外，卖的是什么产品，打算用什么优惠玩法（比如满减、买赠、秒杀）？没想好也可以先不说。"
    )
    brief = Brief(script="zh-Hant", budget=5000, product="手工皂", mechanics=["買一送一"])
    assert script_boundary.text(missing_prompt(brief), "zh-Hant", script_boundary.own_words(*asked_words(brief))) == (
        "你們的手工皂買一送一活動：要起草方案，還需要：開始日期、結束日期。直接告訴我就行，例如「預算5萬，下個月1號到15號」。"
    )
    assert missing_prompt(Brief(script="en", product="lip balm", occasion="Christmas")) == (
        "The Christmas campaign for your lip balm: To draft the plan I still need: budget, start date and end date. "
        "Just tell me, e.g. \"budget 50,000 RMB, Dec 1 to Dec 15\". Also, which offer do you have in mind (e.g. "
        "spend-and-save, gift with purchase, flash sale)? Fine to leave it open if undecided."
    )


def test_an_access_token_is_reused_until_shortly_before_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr("api.integrations.common.time.time", lambda: now[0])
    fetched: list[str] = []

    def fetch() -> tuple[str, int]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 7200

    tokens = AccessTokens()
    assert tokens.get(("https://open.feishu.cn", "app"), fetch) == "t0"
    now[0] += 7200 - AccessTokens.MARGIN_SECONDS - 1
    assert tokens.get(("https://open.feishu.cn", "app"), fetch) == "t0"
    assert tokens.get(("https://open.feishu.cn", "other app"), fetch) == "t1"
    now[0] += 2
    assert tokens.get(("https://open.feishu.cn", "app"), fetch) == "t2"


def test_a_failed_token_fetch_is_not_cached() -> None:
    calls = []

    def failing() -> tuple[str, int]:
        calls.append(1)
        raise RuntimeError("WeCom gettoken failed: invalid corpsecret")

    tokens = AccessTokens()
    for _ in range(2):
        with pytest.raises(RuntimeError, match="invalid corpsecret"):
            tokens.get(("https://qyapi.weixin.qq.com", "corp:1"), failing)
    assert len(calls) == 2
    assert tokens.get(("https://qyapi.weixin.qq.com", "corp:1"), lambda: ("ok", 7200)) == "ok"


def test_a_platform_call_returns_the_platforms_json_object() -> None:
    with FakePlatform() as platform:
        body = platform_call("WeCom gettoken", "GET", platform.url + "/cgi-bin/gettoken", params={"corpid": "c"},
                             ok=errcode_ok, error_field="errmsg")
    assert body["access_token"] == "wecom-token"
    assert platform.requests[0].query == {"corpid": "c"}


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/proxy-login", "answered text/html; charset=utf-8 instead of JSON"),
        ("/a-list", "answered JSON that is not an object"),
        ("/no-such-api", "failed: no such api"),
    ],
)
def test_a_failed_platform_call_names_the_call_and_what_to_check(path: str, said: str) -> None:
    with FakePlatform() as platform, pytest.raises(RuntimeError) as raised:
        platform_call("WeCom gettoken", "GET", platform.url + path, ok=errcode_ok, error_field="errmsg")
    message = str(raised.value)
    assert message.startswith("WeCom gettoken ")
    assert said in message
    if path != "/no-such-api":
        assert "API base" in message
