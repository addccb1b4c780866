"""A plan carries its brief's currency: every amount it writes (sentences, the budget table's header, change
lines, validator messages, exports) is in that currency in the plan's language, and plans stored before
the field existed still load, as CNY."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document

from assistant.briefs.request import parse_request
from assistant.drafting import draft_plan
from assistant.export import export_plan
from assistant.planning import operations as ops
from assistant.planning.edits import parse_edits
from assistant.store.db import dispose_all, session_scope
from assistant.store.plans import add_version, create_plan, get_version
from core.plan import Plan
from core.settings import Settings
from knowledge.templates import load_template
from tests.assistant.draft_passages import PASSAGES
from tests.fakes import FakeRetriever

# Written the way new users wrote them: a dollar sign in English, 新台幣 and 港幣 in Taiwan's and Hong Kong's words.
US_ENGLISH = "Hi! We run a small sneaker shop, need a Black Friday sale plan, budget $20k, Nov 20 to Nov 30. Thanks"
US_CHINESE = "帮我们做个黑五促销方案，预算2万美元，11月20号到11月30号，谢谢"
TAIWAN = "幫我寫個週年慶企劃，預算新台幣5萬，12月1日到12月15日，謝謝"
HONG_KONG = "想做個聖誕推廣計劃，預算港幣15萬，12月10號至12月25號，唔該"


def _draft(text: str, today: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan, str]:
    monkeypatch.setenv("CEHUA_TODAY", today)
    brief = parse_request(text)
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None)
    return result.plan, result.plan_markdown


def _docx_text(plan: Plan) -> str:
    document = Document(io.BytesIO(export_plan(plan, "docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_us_dollar_brief_in_english_is_drafted_in_usd_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, markdown = _draft(US_ENGLISH, "2026-11-02", monkeypatch)
    assert plan.currency == "USD" and plan.script == "en"
    for shown in (markdown, export_plan(plan, "md").decode("utf-8"), _docx_text(plan)):
        assert "USD 20,000" in shown and "Amount (USD)" in shown
        assert "CNY" not in shown and "RMB" not in shown
    assert Plan.from_markdown(markdown).currency == "USD"  # read back from the table's header


def test_a_us_dollar_brief_in_chinese_writes_meiyuan(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, markdown = _draft(US_CHINESE, "2026-11-02", monkeypatch)
    assert plan.currency == "USD"
    for shown in (markdown, _docx_text(plan)):
        assert "2万美元" in shown and "金额(美元)" in shown
        assert not re.search(r"(?<!美)元", shown.replace("美元", "")), "an amount left in 元"


@pytest.mark.parametrize(("text", "code", "total", "header"), [
    (TAIWAN, "TWD", "新台幣5萬元", "金額(新台幣元)"),
    (HONG_KONG, "HKD", "港幣15萬元", "金額(港幣元)"),
])
def test_taiwan_and_hong_kong_briefs_name_their_dollars(text: str, code: str, total: str, header: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    plan, markdown = _draft(text, "2026-11-20", monkeypatch)
    assert plan.currency == code and plan.script == "zh-Hant"
    assert total in markdown and header in markdown
    bare = total.removeprefix("新台幣").removeprefix("港幣")
    assert markdown.count(bare) == markdown.count(total), "an amount without its currency"


def test_a_taiwan_dollar_plan_edited_to_a_new_budget_keeps_twd(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import script_boundary

    plan, _ = _draft(TAIWAN, "2026-11-20", monkeypatch)
    brief = parse_request(TAIWAN)
    (edit,) = parse_edits("預算改成10萬", plan, brief, today=dt.date(2026, 11, 20), template=load_template("promotion"))
    simple, written = script_boundary.simplified(plan)
    out = ops.set_budget(simple, brief, edit.amount or 0)
    shown = script_boundary.restored(out.plan, "zh-Hant", written)
    assert shown.currency == "TWD" and out.brief.currency == "TWD"
    assert out.changes == ["总预算:新台币5万元 → 新台币10万元"]
    markdown = shown.to_markdown()
    assert "新台幣10萬元" in markdown and "金額(新台幣元)" in markdown and "| 合計 | 100,000 |" in markdown
    assert markdown.count("10萬元") == markdown.count("新台幣10萬元")


def test_validator_messages_use_the_plans_currency() -> None:
    from assistant.validators import validate_plan
    from core.plan import Brief, BudgetLine, Chapter

    plan = Plan(title="Launch", script="en", currency="USD", chapters=[Chapter(title="Budget", key="budget")],
                budget_lines=[BudgetLine(item="Ads", amount=15_000), BudgetLine(item="Reserve", amount=4_000)],
                budget_total=20_000)
    messages = [f.message for f in validate_plan(plan, brief=Brief(budget=20_000, currency="USD", script="en"))]
    assert any("USD 19,000" in m and "USD 20,000" in m for m in messages), messages
    assert not any("CNY" in m for m in messages)


def test_a_plan_stored_before_plans_had_a_currency_loads_as_cny(tmp_path: Path) -> None:
    """A version row written by an older Cehua: its plan JSON has no 'currency'."""
    from core.plan import Brief

    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path}/state.db")
    old = Plan(title="圣诞节活动方案", budget_total=20_000)
    try:
        with session_scope(settings) as session:
            plan_id = create_plan(session, Brief(budget=20_000), template="promotion")
            add_version(session, plan_id, plan=old, markdown=old.to_markdown(), findings=[], citations=[],
                        source="draft")
        with session_scope(settings) as session:
            from assistant.store.plans import PlanVersionRow

            row = session.query(PlanVersionRow).filter_by(plan_id=plan_id).one()
            stored = json.loads(row.plan_json)
            del stored["currency"]
            row.plan_json = json.dumps(stored, ensure_ascii=False)
        with session_scope(settings) as session:
            loaded = get_version(session, plan_id, 1)
        assert loaded.plan.currency == "CNY" and loaded.plan.budget_total == 20_000
        assert Plan.model_validate({"title": "x"}).currency == "CNY"
    finally:
        dispose_all()
