"""Planning by conversation over POST /v1/chat: the scripted conversations turn by turn, undo that
restores exactly, drafting progress over SSE, versions readable with their brief and changes."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.settings import Settings
from tests.plan_conversations import conversations, run_conversation

# Whether a question is answered from the guidebooks is the answer pipeline's business (issue 8);
# here a question only has to be answered without touching the plan.
_ANSWER_QUALITY = "answer not grounded"


# dev27 (conv27's tuned part): first messages with context, 老板/请问 beside the product, budgets in another currency;
# dev28 (conv28's): offers and 的-phrases, a guidebook question mid-conversation, the theme renamed by talking.
@pytest.mark.parametrize("conversation", conversations("dev") + conversations("dev27") + conversations("dev28"),
                         ids=lambda c: c["id"])
def test_scripted_conversations_pass_every_turn(client: TestClient, conversation: dict[str, object],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", str(conversation["today"]))
    results = run_conversation(client, conversation)
    failed = [(r.index, r.say, [p for p in r.problems if p != _ANSWER_QUALITY]) for r in results]
    assert [f for f in failed if f[2]] == []


def _say(client: TestClient, text: str, conversation: str | None) -> dict[str, object]:
    response = client.post("/v1/chat", json={"question": text, "conversation_id": conversation})
    assert response.status_code == 200, response.text
    return response.json()


def test_undo_restores_the_previous_version_exactly_and_questions_leave_the_plan(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    asked = _say(client, "帮我做个圣诞节促销方案", None)
    assert asked["missing"] == ["budget", "start", "end"] and "plan" not in asked
    assert asked["asked"] == ["budget", "start", "end", "product", "mechanic"]
    assert asked["answer"].startswith("你们的圣诞活动：要起草方案，还需要：预算、开始日期、结束日期。")
    drafted = _say(client, "预算两万，12月20号到25号", asked["conversation"])
    plan = drafted["plan"]
    assert (plan["version"], plan["brief"]["budget"], plan["changes"]) == (1, 20000, [])
    edited = _say(client, "预算改成8千", drafted["conversation"])["plan"]
    assert edited["version"] == 2 and edited["brief"]["budget"] == 8000
    assert edited["changes"] == ["总预算:2万元 → 8,000元"]
    question = _say(client, "预算一般包括哪些费用？", drafted["conversation"])
    assert "plan" not in question and "missing" not in question
    undone = _say(client, "撤销", drafted["conversation"])["plan"]
    assert undone["version"] == 3 and undone["brief"]["budget"] == 20000
    first = client.get(f"/v1/plans/{plan['id']}/versions/1").json()
    third = client.get(f"/v1/plans/{plan['id']}/versions/3").json()
    assert third["markdown"] == first["markdown"] and third["plan"] == first["plan"]
    assert third["source"] == "undo" and third["brief"] == first["brief"]
    again = _say(client, "撤销", drafted["conversation"])
    assert again["plan"]["version"] == 3 and again["answer"].startswith("没有可以撤销的修改")
    second = client.get(f"/v1/plans/{plan['id']}/versions/2").json()
    assert sum(line["amount"] for line in second["plan"]["budget_lines"]) == 8000
    assert second["changes"] == ["总预算:2万元 → 8,000元"] and second["base"] == 1


def test_an_edit_reports_new_findings_in_the_planners_script(client: TestClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = _say(client, "幫我規劃一個聖誕節門市促銷方案，預算3萬，12月18日到12月25日", None)
    assert drafted["plan"]["brief"]["script"] == "zh-Hant" and drafted["script"] == "zh-Hant"
    removed = _say(client, "刪掉風險那一章", drafted["conversation"])
    assert removed["answer"].startswith("已修改方案（第2版）：\n- 刪除章節:風險評估與應急預案\n這次修改帶來的新問題：")
    assert [f["code"] for f in removed["plan"]["findings"] if f["severity"] == "error"] == ["missing_chapter"]


def test_removing_a_channel_the_plan_does_not_have_says_so(client: TestClient,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """「去掉抖音,加上快手」 on a plan without 抖音 added 快手 and said nothing of 抖音: the planner could not tell
    whether it had been removed, or misheard."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = _say(client, "帮我做个圣诞节促销方案，预算两万，12月20号到25号，投小红书", None)
    assert drafted["plan"]["brief"]["channels"] == ["小红书"]
    both = _say(client, "去掉抖音,加上快手", drafted["conversation"])
    assert both["plan"]["brief"]["channels"] == ["小红书", "快手"]
    assert "方案渠道中没有抖音" in both["answer"] and "新增渠道:快手" in both["answer"]
    only = _say(client, "去掉抖音", drafted["conversation"])
    assert only["plan"]["version"] == both["plan"]["version"]
    assert "方案渠道中没有抖音" in only["answer"]


def test_a_draft_streams_its_progress_and_ends_with_the_plan(client: TestClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    body = {"question": "帮我做个元旦促销方案，预算5万，12月30号到1月3号", "stream": True}
    with client.stream("POST", "/v1/chat", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        frames = [f for f in response.read().decode().split("\n\n") if "data: " in f]  # no keep-alives
    events = [(f.split("\n")[0].removeprefix("event: "), json.loads(f.split("data: ", 1)[1])) for f in frames]
    names = [name for name, _ in events if name]
    assert names[:2] == ["started", "outline"] and names[-1] == "done"
    outline = next(data for name, data in events if name == "outline")
    assert names.count("section_drafted") == len(outline["sections"])
    done = events[-1][1]
    assert done["plan"]["brief"]["budget"] == 50000 and done["plan"]["version"] == 1
    assert done["answer"]["plan"] == done["plan"]


def test_a_new_plan_asked_for_mid_conversation_is_a_new_plan(client: TestClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    first = _say(client, "帮我做个圣诞节促销方案，预算两万，12月20号到25号", None)
    edited = _say(client, "第五节写得更具体一点", first["conversation"])["plan"]
    assert edited["id"] == first["plan"]["id"] and edited["version"] == 2
    second = _say(client, "再帮我做一个元旦促销方案，预算5万，12月30号到1月3号", first["conversation"])["plan"]
    assert second["id"] != first["plan"]["id"] and second["version"] == 1
    assert (second["brief"]["budget"], second["brief"]["start"]) == (50000, "2026-12-30")
    changed = _say(client, "预算改成6万", first["conversation"])["plan"]
    assert changed["id"] == second["id"] and changed["brief"]["budget"] == 60000


def _cited_sources(version: dict) -> dict[str, list[tuple[str, str]]]:
    """Each chapter's title → the (doc, section) its [n] markers point at in that version."""
    import re

    by_number = {c["n"]: (c["doc"], c["section"]) for c in version["citations"]}
    chapters = {}
    for chapter in version["plan"]["chapters"]:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", chapter["body"])]
        chapters[chapter["title"]] = [by_number.get(n, ("?", "?")) for n in numbers]
    return chapters


def test_edits_in_a_conversation_keep_every_chapters_citations(client: TestClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A question before the request lends the plan no product, and after 「预算改成5万」 and 「加上小红书渠道」
    (which drafts the promotion chapter again) every other chapter still cites what it cited in version 1:
    the channel edit used to renumber the plan's citations from the Markdown's reference lines, collapsing
    passages of one guidebook into one number, so chapters cited the wrong sections or none."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-30")
    asked = _say(client, "七夕活动一般提前多久准备?", None)
    conversation = asked["conversation"]
    _say(client, "帮我写个七夕门店活动方案", conversation)
    plan = _say(client, "预算3万，8月10日到8月19日", conversation)["plan"]
    assert plan["brief"]["product"] == ""  # type: ignore[index]
    _say(client, "预算改成5万", conversation)
    edited = _say(client, "加上小红书渠道", conversation)["plan"]
    assert edited["version"] == 3  # type: ignore[index]
    first = _cited_sources(client.get(f"/v1/plans/{plan['id']}/versions/1").json())  # type: ignore[index]
    third = _cited_sources(client.get(f"/v1/plans/{plan['id']}/versions/3").json())  # type: ignore[index]
    assert sum(len(c) for c in first.values()) >= 10
    promotion = "五、宣传推广"
    assert {t: c for t, c in third.items() if t != promotion} == {t: c for t, c in first.items() if t != promotion}
    assert third[promotion] and ("?", "?") not in third[promotion]


def test_a_plan_asked_for_in_chat_has_the_chapters_of_its_kind_and_edits_reach_them(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chat drafts an event as an event plan, as `cehua draft` does (not always on the promotion
    chapters), and an offer added by talking lands in the event's programme chapter."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = _say(client, "帮我做个方案:12月20号在商场办一场亲子烘焙快闪,就一天,预算8000", None)
    plan_id = drafted["plan"]["id"]  # type: ignore[index]
    stored = client.get(f"/v1/plans/{plan_id}").json()
    assert stored["template"] == "event"
    keys = [c["key"] for c in stored["current"]["plan"]["chapters"]]
    assert "program" in keys and "venue" in keys and "offer" not in keys
    edited = _say(client, "再加个满减", drafted["conversation"])["plan"]  # type: ignore[index]
    assert edited["version"] == 2  # type: ignore[index]
    program = next(c for c in client.get(f"/v1/plans/{plan_id}").json()["current"]["plan"]["chapters"]
                   if c["key"] == "program")
    assert "满减" in program["body"]


@pytest.mark.parametrize("text", [
    "12月20号在商场办一场亲子烘焙快闪,就一天,预算8000",
    "元旦三天在门店做个会员日活动,预算两万",
    "Pop-up tasting at our Xinyi store on Dec 20, one day, budget 8k",
])
def test_a_message_that_states_a_whole_campaign_is_drafted(client: TestClient, text: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """What, when and how much, with nothing asked, is a brief: planners often leave out 「帮我做个方案」."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    reply = _say(client, text, None)
    assert "plan" in reply, reply["answer"]


@pytest.mark.parametrize("text", [
    "预算3万,12月20号到25号做活动,一般怎么分配预算?",
    "12月20号在商场办一场快闪,就一天,预算8000够吗",
])
def test_a_question_with_campaign_facts_is_still_a_question(client: TestClient, text: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    reply = _say(client, text, None)
    assert "plan" not in reply and "missing" not in reply


def test_a_traditional_conversation_goes_from_the_campaign_to_an_edited_plan(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Context first, the essentials later, then changes by talking, all in Traditional (a Taipei café):
    every turn was refused as an uncovered question when the first message was not read as a plan."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    asked = _say(client, "我們是台北的一間咖啡廳,想在聖誕節做檔期活動", None)
    assert asked["missing"] == ["budget", "start", "end"] and asked["answer"].startswith("你們的咖啡廳聖誕活動：要起草方案，還需要")
    drafted = _say(client, "預算大概5萬,12月18號到25號", asked["conversation"])
    plan = drafted["plan"]
    assert plan["brief"]["budget"] == 50000 and plan["brief"]["start"] == "2026-12-18"  # type: ignore[index]
    assert plan["brief"]["script"] == "zh-Hant"  # type: ignore[index]
    edited = _say(client, "把預算改成6萬", drafted["conversation"])["plan"]
    assert edited["version"] == 2 and edited["brief"]["budget"] == 60000  # type: ignore[index]
    offered = _say(client, "加一個買一送一", drafted["conversation"])
    assert offered["plan"]["version"] == 3, offered["answer"]  # type: ignore[index]


def test_the_essentials_after_the_campaign_was_named_draft_the_plan(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    first = _say(client, "我们是做烘焙的小店,圣诞节想搞个活动,有什么建议吗", None)
    assert "plan" not in first  # a question: answered, not drafted
    drafted = _say(client, "预算2万,12月20号到25号", first["conversation"])
    assert drafted["plan"]["brief"]["product"] == "烘焙", drafted["answer"]  # type: ignore[index]


def test_a_campaign_wish_asked_as_a_question_is_answered_then_offered_a_draft(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """「圣诞节想搞个活动,有什么建议吗」 wants a campaign and asks for advice: the guidebooks' answer, then
    the offer to draft it with what is still needed; the essentials given next (one at a time, with the
    business) reach the plan. Before, the budget turn was refused as an uncovered question."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    first = _say(client, "圣诞节想搞个活动,有什么建议吗", None)
    assert "plan" not in first and "missing" not in first
    assert "起草" in first["answer"] and "预算、开始日期、结束日期" in first["answer"], first["answer"]
    second = _say(client, "我们是社区面包店,预算5000", first["conversation"])
    assert second["missing"] == ["start", "end"], second["answer"]
    drafted = _say(client, "12月20号到25号吧", first["conversation"])
    brief = drafted["plan"]["brief"]  # type: ignore[index]
    assert (brief["budget"], brief["start"], brief["occasion"], brief["channels"]) == (5000, "2026-12-20", "圣诞", []), brief
    history = client.get(f"/v1/conversations/{first['conversation']}").json()["turns"]
    assert history[0]["answer"] == first["answer"]  # the offer is part of the stored answer


@pytest.mark.parametrize(("text", "offer"), [
    ("我們想在聖誕節辦個活動,有什麼建議嗎?", "起草"),
    ("we're thinking of running a Christmas promo, any tips on what works?", "draft"),
    ("我们想在双十一做满减活动,门槛一般怎么定?", "起草"),
])
def test_the_offer_to_draft_is_made_in_the_askers_script(client: TestClient, text: str, offer: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    reply = _say(client, text, None)
    assert "missing" not in reply and offer in reply["answer"], reply["answer"]
    if reply["script"] == "zh-Hant":
        assert "還需要" in reply["answer"] or "告訴我" in reply["answer"], reply["answer"]


@pytest.mark.parametrize("text", ["促销活动怎么策划?", "双十一预热要提前多久?", "How long should a warm-up run?"])
def test_a_plain_question_gets_no_offer(client: TestClient, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    reply = _say(client, text, None)
    assert "起草" not in reply["answer"] and "draft" not in reply["answer"].lower(), reply["answer"]


def test_an_english_conversation_asks_back_then_drafts_from_the_essentials(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    asked = _say(client, "hi, we run a small bakery in Shanghai and want to do something for Christmas", None)
    assert asked["missing"] == ["budget", "start", "end"], asked["answer"]
    drafted = _say(client, "budget is around 20k, Dec 18 to Dec 25", asked["conversation"])
    brief = drafted["plan"]["brief"]  # type: ignore[index]
    assert (brief["budget"], brief["start"], brief["end"], brief["script"]) == (20000, "2026-12-18", "2026-12-25", "en")
    question = _say(client, "how long should the warm-up be?", drafted["conversation"])
    assert "plan" not in question


def test_asking_for_the_plan_as_a_file_gives_its_download_link(client: TestClient,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    drafted = _say(client, "帮我做个双十二女装促销方案,预算10万,12月5号到12号", None)
    plan_id = drafted["plan"]["id"]  # type: ignore[index]
    word = _say(client, "导出word", drafted["conversation"])
    assert word["export"] == f"/v1/plans/{plan_id}/export?format=docx"
    # The reply's link opens where the caller reached the API (no CEHUA_PUBLIC_URL: the request's own address).
    assert word["plan"]["version"] == 1 and word["answer"].endswith(  # type: ignore[index]
        f"Word文件：http://testserver/v1/plans/{plan_id}/export?format=docx")
    # Drafted, the reply says what to say for the file: 「导出 Word：GET /v1/plans/…」 was an HTTP call,
    # meaningless to a planner in cehua chat or a DingTalk thread.
    assert drafted["answer"].splitlines()[-1] == (  # type: ignore[union-attr]
        f"方案编号：{plan_id}（要 Word 文件，说「导出word」，或下载 http://testserver/v1/plans/{plan_id}/export?format=docx）")
    assert client.get(word["export"]).content[:2] == b"PK"  # type: ignore[arg-type]
    markdown = _say(client, "下載成markdown", drafted["conversation"])
    assert markdown["export"] == f"/v1/plans/{plan_id}/export?format=md"
    how = _say(client, "活动数据怎么导出分析?", drafted["conversation"])
    assert "export" not in how


def test_an_export_reply_is_in_the_script_of_the_message_that_asked_for_it(client: TestClient,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Round 18 left it: the reply followed the plan's script, so "Can I get it as a Word file?" on a Chinese
    # plan was answered in Chinese (and, without an export verb, not even read as asking for the file).
    monkeypatch.setenv("CEHUA_TODAY", "2026-12-01")
    drafted = _say(client, "帮我做个春节年货节社群团购方案，预算10万，1月15日到2月5日", None)
    plan_id = drafted["plan"]["id"]  # type: ignore[index]
    english = _say(client, "Can I get it as a Word file?", drafted["conversation"])
    assert english["export"] == f"/v1/plans/{plan_id}/export?format=docx"
    assert english["answer"].startswith("Version 1 of ")  # type: ignore[union-attr]
    traditional = _say(client, "幫我匯出Word檔", drafted["conversation"])
    assert traditional["answer"].startswith("《春節年貨節") and "第1版的Word文件" in traditional["answer"]  # type: ignore[operator, union-attr]
    # A message that says nothing of its script (no Han character written differently) keeps the plan's.
    neutral = _say(client, "要word版", drafted["conversation"])
    assert neutral["answer"].startswith("《春节年货节")  # type: ignore[union-attr]
    assert _say(client, "a word about the warm-up?", drafted["conversation"]).get("export") is None
    hant = _say(client, "幫我做個母親節百貨專櫃促銷方案，預算80萬，5月1日到5月10日", None)
    english = _say(client, "export it as markdown", hant["conversation"])
    assert english["answer"].startswith('Version 1 of "母親節')  # type: ignore[union-attr]  # the title as the plan writes it


def test_asking_for_a_file_or_an_undo_before_any_plan_says_there_is_none_yet(client: TestClient,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # fix19's tryout: 「导出word」 and 「撤销」 in a new conversation were answered "the guidebooks do not cover this".
    monkeypatch.setenv("CEHUA_TODAY", "2026-12-01")
    word = _say(client, "导出word", None)
    assert word["answer"].startswith("还没有起草方案") and "export" not in word and "plan" not in word  # type: ignore[union-attr]
    undo = _say(client, "undo", None)
    assert undo["answer"].startswith("There is no plan yet")  # type: ignore[union-attr]
    hant = _say(client, "匯出Word", None)
    assert hant["answer"].startswith("還沒有起草方案")  # type: ignore[union-attr]


def test_with_a_public_url_set_file_links_in_chat_and_completions_replies_are_absolute_on_it(
        api_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Behind a proxy the request's own address is the internal one: CEHUA_PUBLIC_URL is what readers open.
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    settings = api_settings.model_copy(update={"public_url": "https://cehua.example.com/tools"})
    with TestClient(create_app(settings)) as client:
        drafted = _say(client, "帮我做个双十二女装促销方案,预算10万,12月5号到12号", None)
        plan_id = drafted["plan"]["id"]  # type: ignore[index]
        link = f"https://cehua.example.com/tools/v1/plans/{plan_id}/export?format=docx"
        assert drafted["answer"].splitlines()[-1].endswith(f"或下载 {link}）")  # type: ignore[union-attr]
        word = _say(client, "导出word", drafted["conversation"])
        assert word["answer"].endswith(f"Word文件：{link}") and word["export"] == f"/v1/plans/{plan_id}/export?format=docx"
        messages = [{"role": "user", "content": "帮我做个双十二女装促销方案,预算10万,12月5号到12号"},
                    {"role": "assistant", "content": str(drafted["answer"])},
                    {"role": "user", "content": "导出word"}]
        completion = client.post("/v1/chat/completions", json={"model": "cehua-chat", "messages": messages})
        assert completion.status_code == 200, completion.text
        assert completion.json()["choices"][0]["message"]["content"].endswith(f"Word文件：{link}")


def _markdown(client: TestClient, plan: dict[str, object]) -> str:
    return str(client.get(f"/v1/plans/{plan['id']}/versions/{plan['version']}").json()["markdown"])


def test_a_channel_added_by_talking_appears_wherever_the_plan_lists_channels_and_a_mechanic_joins_the_brief(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # A planner expects 「加上小红书渠道」 everywhere the draft listed its channels (background, strategy, audience,
    # channel plan, the budget's channel line, the timeline's channel work), as a draft from the new brief would
    # write it; the share the planner set and the budget notes that are not about channels stay as they were.
    monkeypatch.setenv("CEHUA_TODAY", "2026-10-01")
    drafted = _say(client, "帮我做个双十一促销方案，我们是一家咖啡店，预算5万，11月1日到11月11日，渠道抖音和微信", None)
    conversation = drafted["conversation"]
    first = _markdown(client, drafted["plan"])  # type: ignore[arg-type]
    assert first.count("抖音、微信") >= 6
    share = _say(client, "把平台与信息流投放提到50%", conversation)["plan"]
    added = _say(client, "加上小红书渠道", conversation)
    plan = added["plan"]
    markdown = _markdown(client, plan)  # type: ignore[arg-type]
    assert re.findall(r"抖音、微信(?!、小红书)", markdown) == []
    assert markdown.count("抖音、微信、小红书") == first.count("抖音、微信")
    lines = {line["item"]: line for line in plan["brief"] and client.get(  # type: ignore[index]
        f"/v1/plans/{plan['id']}/versions/{plan['version']}").json()["plan"]["budget_lines"]}  # type: ignore[index]
    assert lines["平台与信息流投放"]["share"] == 50 and lines["平台与信息流投放"]["note"] == "抖音、微信、小红书等渠道的投放与推广"
    assert lines["达人与直播合作"]["note"] == "达人种草、主播佣金与直播间"
    assert share["version"] == 2 and plan["version"] == 3  # type: ignore[index]
    assert plan["changes"][-1] == ("渠道:抖音、微信、小红书(已重写:活动背景与目标、活动主题与策略、目标客群与范围、"  # type: ignore[index]
                                   "宣传推广)")
    offer = _say(client, "加个满300减50", conversation)["plan"]
    assert offer["brief"]["mechanics"] == ["满300减50"]  # type: ignore[index]
    markdown = _markdown(client, offer)  # type: ignore[arg-type]
    assert "活动玩法:满300减50。" in markdown and "- 满减:满300减50;" in markdown
    again = _say(client, "加个满300减50", conversation)
    assert again["plan"]["version"] == offer["version"]  # type: ignore[index]


@pytest.mark.parametrize(("request_text", "edits", "gone", "kind_words"), [
    ("幫我做個聖誕節促銷方案，預算5萬，12月18日到12月25日，渠道用Instagram和LINE",
     [("預算改成8萬", {"budget": 80000}), ("活動改到12月20日到12月27日", {"start": "2026-12-20", "end": "2026-12-27"}),
      ("去掉LINE", {"channels": ["Instagram"]})], "LINE", "私域社群活動"),
    ("Draft a Christmas promotion plan for our bakery in Shanghai, budget 50,000 RMB, Dec 18 to Dec 25, channels "
     "WeChat and Douyin",
     [("change the budget to 80,000", {"budget": 80000}),
      ("move the campaign to Dec 20 to Dec 28", {"start": "2026-12-20", "end": "2026-12-28"}),
      ("remove Douyin", {"channels": ["WeChat"]}), ("add Xiaohongshu", {"channels": ["WeChat", "Xiaohongshu"]})],
     "Douyin", "an e-commerce campaign"),
])
def test_budget_dates_and_channels_change_by_talking_in_traditional_and_english_and_the_kind_stays(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, request_text: str,
        edits: list[tuple[str, dict[str, object]]], gone: str, kind_words: str) -> None:
    # Removing the channel that made a plan a community (or e-commerce) campaign redrafted its background as
    # another kind while its budget kept the first kind's cost lines: the kind is the draft's.
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-20")
    drafted = _say(client, request_text, None)
    assert kind_words in _markdown(client, drafted["plan"])  # type: ignore[arg-type]
    version = 1
    for text, expected in edits:
        plan = _say(client, text, drafted["conversation"])["plan"]
        version += 1
        assert plan["version"] == version, text  # type: ignore[index]
        assert {k: plan["brief"][k] for k in expected} == expected, text  # type: ignore[index]
    markdown = _markdown(client, plan)  # type: ignore[arg-type]
    assert gone not in markdown and kind_words in markdown
    assert plan["findings"] == []  # type: ignore[index]


def test_an_ask_back_names_the_campaign_and_a_product_told_alone_answers_it(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ask-back asks for the product and mechanic a brief lacks; a message telling only them answers it (it was
    answered from the guidebooks), and the next ask-back names them as the planner wrote them."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-12-02")
    first = _say(client, "嗨，我們想做個週年慶的企劃，可以幫忙嗎？", None)
    assert first["asked"] == ["budget", "start", "end", "product", "mechanic"]
    told = _say(client, "我們是賣手作蛋糕的，想做滿千送百", first["conversation"])
    assert told["missing"] == ["budget", "start", "end"] and told["asked"] == ["budget", "start", "end"]
    assert told["answer"].startswith("你們的手作蛋糕週年慶滿千送百活動：要起草方案，還需要：預算、開始日期、結束日期。")
    drafted = _say(client, "預算30萬，3/1~3/15，通路用蝦皮跟FB", told["conversation"])
    brief = drafted["plan"]["brief"]  # type: ignore[index]
    assert (brief["product"], brief["mechanics"], brief["channels"]) == ("手作蛋糕", ["滿千送百"], ["蝦皮", "FB"])


def test_a_taiwan_dollar_plan_keeps_its_currency_when_the_budget_is_changed_by_talking(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan carries the brief's currency: 「預算改成10萬」 is 新台幣10萬, not 10萬元 of 人民币."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-20")
    drafted = _say(client, "幫我寫個週年慶企劃，預算新台幣5萬，12月1日到12月15日，謝謝", None)
    plan = drafted["plan"]
    assert plan["brief"]["currency"] == "TWD" and "總預算新台幣5萬元" in str(drafted["answer"])
    first = client.get(f"/v1/plans/{plan['id']}/versions/1").json()
    assert first["plan"]["currency"] == "TWD" and "新台幣5萬元" in first["markdown"]
    reply = _say(client, "預算改成10萬", drafted["conversation"])
    edited = reply["plan"]
    assert "新台幣5萬元 → 新台幣10萬元" in str(reply["answer"]) and "新臺幣" not in str(reply["answer"])
    assert edited["brief"]["budget"] == 100000 and edited["brief"]["currency"] == "TWD"
    assert edited["changes"] == ["總預算:新台幣5萬元 → 新台幣10萬元"]
    second = client.get(f"/v1/plans/{plan['id']}/versions/2").json()
    assert second["plan"]["currency"] == "TWD"
    assert "新台幣10萬元" in second["markdown"] and "金額(新台幣元)" in second["markdown"]
    assert second["markdown"].count("10萬元") == second["markdown"].count("新台幣10萬元")
