"""Plans over HTTP: a drafting job with streamed progress, the saved plan, edits and regenerated
sections as versions, validation of uploaded plans, and exports."""

from __future__ import annotations

import io
import json
import time

import docx
import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import LiveServer
from tests.api.test_api_search_chat import parse_sse
from tests.paths import EVAL_PLANS

BRIEF = {"title": "中秋团圆季", "brand": "月满楼", "occasion": "中秋", "budget": 300000,
         "start": "2026-09-10", "end": "2026-09-25", "channels": ["微信", "抖音"]}


def wait_until_ready(client: TestClient, plan_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        plan = client.get(f"/v1/plans/{plan_id}").json()
        if plan["status"] != "drafting":
            return plan
        time.sleep(0.05)
    raise AssertionError(f"plan {plan_id} still drafting after {timeout} s")


@pytest.fixture
def drafted(client: TestClient) -> dict:
    created = client.post("/v1/plans", json={"brief": BRIEF})
    assert created.status_code == 202
    return wait_until_ready(client, created.json()["id"])


def test_create_from_request_text_streams_progress_then_done(live_server: LiveServer) -> None:
    created = httpx.post(f"{live_server.url}/v1/plans",
                         json={"request": "帮我做个中秋节促销方案,预算30万,9月10日到9月25日"}, timeout=30)
    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "drafting"
    assert body["brief"]["budget"] == 300000
    assert body["events_url"] == f"/v1/plans/{body['id']}/events"
    assert created.headers["location"] == f"/v1/plans/{body['id']}"
    with httpx.stream("GET", live_server.url + body["events_url"], timeout=60) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.iter_lines())
    names = [n for n, _ in events]
    assert names[0] == "started" and names[1] == "outline" and names[-1] == "done"
    outline_keys = [s["key"] for s in events[1][1]["sections"]]
    drafted_keys = [d["key"] for n, d in events if n == "section_drafted"]
    assert sorted(drafted_keys) == sorted(outline_keys)
    assert names.count("section_started") == len(outline_keys)
    done = events[-1][1]
    assert done["version"] == 1 and done["ok"] is True and done["errors"] == 0

    plan = httpx.get(f"{live_server.url}/v1/plans/{body['id']}", timeout=10).json()
    assert plan["status"] == "ready"
    assert plan["job"]["status"] == "succeeded"
    assert plan["current"]["version"] == 1
    assert "300,000" in plan["current"]["markdown"] or "30万" in plan["current"]["markdown"]
    assert not [f for f in plan["current"]["findings"] if f["severity"] == "error"]
    assert plan["current"]["citations"]


def test_events_resume_after_last_event_id(client: TestClient, drafted: dict) -> None:
    with client.stream("GET", f"/v1/plans/{drafted['id']}/events") as response:
        everything = parse_sse(response.iter_lines())
    raw = client.get(f"/v1/plans/{drafted['id']}/events").text
    ids = [int(line[3:]) for line in raw.splitlines() if line.startswith("id:")]
    assert len(ids) == len(everything) and ids == sorted(ids)
    with client.stream("GET", f"/v1/plans/{drafted['id']}/events",
                       headers={"Last-Event-ID": str(ids[-2])}) as response:
        rest = parse_sse(response.iter_lines())
    assert [n for n, _ in rest] == ["done"]


def test_missing_essentials_are_422_listing_them(client: TestClient) -> None:
    response = client.post("/v1/plans", json={"request": "帮我做个中秋活动方案"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "missing_fields"
    assert error["missing"] == ["budget"] or set(error["missing"]) >= {"budget"}
    assert "预算" in error["message"]
    trad = client.post("/v1/plans", json={"request": "幫我做個中秋活動方案,預算30萬"}).json()["error"]
    assert "還缺少" in trad["message"] and "budget" not in trad["missing"]


def test_plan_versions_edit_and_regenerate(client: TestClient, drafted: dict) -> None:
    plan_id = drafted["id"]
    chapters = drafted["current"]["plan"]["chapters"]
    key = next(c["key"] for c in chapters if c["key"] == "background") if any(
        c["key"] == "background" for c in chapters) else chapters[0]["key"]
    edited = client.put(f"/v1/plans/{plan_id}/sections/{key}",
                        json={"body": "本次活动面向老客户,重点是会员复购。", "note": "客户要求"})
    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    assert "本次活动面向老客户,重点是会员复购。" in edited.json()["markdown"]

    regenerated = client.post(f"/v1/plans/{plan_id}/sections/{key}/regenerate")
    assert regenerated.status_code == 200
    assert regenerated.json()["version"] == 3
    assert "本次活动面向老客户,重点是会员复购。" not in regenerated.json()["markdown"]

    versions = client.get(f"/v1/plans/{plan_id}/versions").json()["versions"]
    assert [(v["version"], v["source"]) for v in versions] == [(1, "draft"), (2, "edit"), (3, "regenerate")]
    assert versions[1]["note"] == "客户要求"
    assert client.get(f"/v1/plans/{plan_id}").json()["current"]["version"] == 3
    old = client.get(f"/v1/plans/{plan_id}/versions/2").json()
    assert "本次活动面向老客户,重点是会员复购。" in old["markdown"]
    assert client.get(f"/v1/plans/{plan_id}/versions/9").status_code == 404


def test_editing_a_budget_into_inconsistency_is_reported(client: TestClient, drafted: dict) -> None:
    body = "| 项目 | 金额(元) |\n| --- | --- |\n| 广告投放 | 100000 |\n| 物料 | 50000 |\n| 合计 | 300000 |"
    edited = client.put(f"/v1/plans/{drafted['id']}/sections/budget", json={"body": body})
    assert edited.status_code == 200
    codes = {f["code"] for f in edited.json()["findings"] if f["severity"] == "error"}
    assert "budget_sum_mismatch" in codes


def test_unknown_section_is_404_listing_sections(client: TestClient, drafted: dict) -> None:
    response = client.put(f"/v1/plans/{drafted['id']}/sections/nope", json={"body": "x"})
    assert response.status_code == 404
    assert "budget" in response.json()["error"]["message"]
    assert len(client.get(f"/v1/plans/{drafted['id']}/versions").json()["versions"]) == 1


def test_exports(client: TestClient, drafted: dict) -> None:
    plan_id = drafted["id"]
    md = client.get(f"/v1/plans/{plan_id}/export?format=md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text == drafted["current"]["markdown"]
    assert md.headers["content-disposition"] == f'attachment; filename="plan-{plan_id[:8]}-v1.md"'
    word = client.get(f"/v1/plans/{plan_id}/export?format=docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)
    assert document.tables
    data = client.get(f"/v1/plans/{plan_id}/export?format=json")
    assert json.loads(data.content)["title"] == drafted["current"]["plan"]["title"]
    bad = client.get(f"/v1/plans/{plan_id}/export?format=pdf")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "format"
    assert len(document.inline_shapes) == 2  # the Gantt chart under the timeline, the budget chart under its table


def test_charts_for_the_widget_preview(client: TestClient, drafted: dict) -> None:
    plan_id = drafted["id"]
    for name in ("timeline", "budget"):
        picture = client.get(f"/v1/plans/{plan_id}/charts/{name}.png")
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG")
    unknown = client.get(f"/v1/plans/{plan_id}/charts/funnel.png")
    assert unknown.status_code == 422


def test_validate_uploaded_plans(client: TestClient) -> None:
    expected = json.loads((EVAL_PLANS / "expected.json").read_text())
    name = next(n for n, e in expected.items() if e["must"])
    text = (EVAL_PLANS / name).read_text(encoding="utf-8")
    as_file = client.post("/v1/plans/validate", files={"file": (name, text.encode(), "text/markdown")})
    assert as_file.status_code == 200
    body = as_file.json()
    assert body["ok"] is False
    assert set(expected[name]["must"]) <= {f["code"] for f in body["findings"]}
    as_json = client.post("/v1/plans/validate", json={"markdown": text})
    assert as_json.json()["findings"] == body["findings"]
    raw = client.post("/v1/plans/validate", content=text.encode(), headers={"content-type": "text/markdown"})
    assert raw.json()["findings"] == body["findings"]


def test_validate_rejects_what_is_not_a_plan(client: TestClient) -> None:
    binary = client.post("/v1/plans/validate", files={"file": ("x.md", b"\xff\xfe\x00\x01garbage", "text/markdown")})
    assert binary.status_code == 400
    assert binary.json()["error"]["code"] == "invalid_plan"
    empty = client.post("/v1/plans/validate", json={"markdown": ""})
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid_plan"
    no_file = client.post("/v1/plans/validate", files={"other": ("x.md", b"# x", "text/markdown")})
    assert no_file.status_code == 422


def test_validate_accepts_word_uploads_and_names_the_plan_kind(client: TestClient) -> None:
    from assistant.export import export_plan
    from core.plan import Plan
    from tests.assistant.validators.plans import CLEAN_HANT

    plan = Plan.from_markdown(CLEAN_HANT.replace("| 備用金 | 10 | 5% |", "| 備用金 | 10 | 5% |\n| 地推 | 5 | 2.5% |"))
    word = export_plan(plan, "docx")
    as_docx = client.post("/v1/plans/validate", files={"file": ("plan.docx", word, "application/octet-stream")})
    assert as_docx.status_code == 200, as_docx.text
    body = as_docx.json()
    assert (body["template"], body["template_title"], body["template_chosen"]) == ("promotion", "促銷活動方案", True)
    as_markdown = client.post("/v1/plans/validate", json={"markdown": plan.to_markdown()})
    assert [(f["code"], f["message"]) for f in body["findings"]] == [
        (f["code"], f["message"]) for f in as_markdown.json()["findings"]]
    forced = client.post("/v1/plans/validate", files={"file": ("plan.docx", word, "application/octet-stream"),
                                                      "template": (None, "service")})
    assert (forced.json()["template"], forced.json()["template_chosen"]) == ("service", False)
    unknown = client.post("/v1/plans/validate", json={"markdown": plan.to_markdown(), "template": "wedding"})
    assert unknown.status_code == 404


@pytest.mark.parametrize(("body", "template"), [
    ({"request": "明年1月1日到3月31日做售后服务月,空调免费清洗,预算20万"}, "service"),
    ({"request": "明年3月6日在商场办一场亲子烘焙快闪,就一天,预算8000"}, "event"),
    ({"request": "明年3月6日在商场办一场亲子烘焙快闪,就一天,预算8000", "template": "promotion"}, "promotion"),
])
def test_a_plan_without_a_template_gets_its_campaign_kinds(client: TestClient, body: dict, template: str) -> None:
    created = client.post("/v1/plans", json=body)
    assert created.status_code == 202, created.text
    plan = wait_until_ready(client, created.json()["id"])
    assert plan["template"] == template and plan["status"] == "ready"
    assert not [f for f in plan["current"]["findings"] if f["severity"] == "error"]
