"""`cehua ask`, `cehua chat` and `cehua eval answers` over the bundled guidebooks (indexed once)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from core.settings import Settings
from knowledge import open_knowledge_base


@pytest.fixture(scope="session")
def chat_kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled guidebooks indexed once for the session."""
    home = tmp_path_factory.mktemp("chat-kb")
    open_knowledge_base(Settings(home=home)).ensure_ready()
    return home


@pytest.fixture
def runner(chat_kb_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CEHUA_HOME", str(chat_kb_home))
    monkeypatch.setenv("CEHUA_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    from core.settings import get_settings

    get_settings.cache_clear()
    return CliRunner()


def test_ask_json_gives_answer_citations_grounded_and_conversation(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "--json", "市场细分有哪几种方法?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"answer", "citations", "grounded", "conversation"}
    assert data["answer"].startswith("根据指南原文：\n")
    assert "地理细分" in data["answer"] and "心理细分" in data["answer"]
    assert data["grounded"] is True
    assert data["citations"] and set(data["citations"][0]) == {"n", "text", "doc", "section"}
    assert f"[{data['citations'][0]['n']}]" in data["answer"]


def test_ask_continues_a_conversation_and_answers_traditional_in_traditional(runner: CliRunner) -> None:
    first = json.loads(runner.invoke(main, ["ask", "--json", "價格促銷具體有哪些手段?"]).output)
    assert first["answer"].startswith("根據指南原文：\n")
    follow = runner.invoke(main, ["ask", "--json", "--conversation", first["conversation"], "那贈品促銷呢?"])
    assert follow.exit_code == 0, follow.output
    data = json.loads(follow.output)
    assert data["conversation"] == first["conversation"]
    assert "贈品" in data["answer"]


def test_ask_out_of_scope_abstains(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(main, ["ask", "--json", "Python的装饰器是什么?"]).output)
    assert data["grounded"] is False
    assert data["citations"] == []
    assert data["answer"].startswith("指南中没有涉及这个问题的内容，无法根据指南回答。")


def test_ask_bad_input_is_a_one_line_error_with_exit_code(runner: CliRunner) -> None:
    empty = runner.invoke(main, ["ask", "   "])
    assert empty.exit_code == 2
    assert empty.output.strip() == "error: question is empty: type a question, e.g. 「预算一般包括哪些费用?」"
    unknown = runner.invoke(main, ["ask", "--conversation", "nope", "预算包括什么?"])
    assert unknown.exit_code == 4
    assert unknown.output.strip() == (
        "error: conversation 'nope' does not exist; start a new one by asking without a conversation id")


def test_ask_streams_text_then_sources_and_conversation(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "活动应急预案要考虑哪些突发情况?"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "根据指南原文："
    assert any(line.startswith("[1] ") and " › " in line for line in lines)
    assert lines[-1].startswith("conversation: ")


def test_chat_reads_piped_lines_keeps_the_conversation_and_survives_bad_lines(runner: CliRunner) -> None:
    result = runner.invoke(main, ["chat"], input="活动预算一般包括哪些费用?\n\n预算\x00?\n那风险呢?\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("根据指南原文：") == 2
    assert "error: question contains the control character U+0000; remove it and ask again" in result.output


def test_chat_greets_and_treats_slash_lines_as_commands(runner: CliRunner, tmp_path: Path) -> None:
    lines = ["/help", "活动预算一般包括哪些费用?", "那风险呢?", "/new", "活动预热要提前多久开始?", "/nope",
             "/exit", "市场细分有哪几种方法?"]
    result = runner.invoke(main, ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    assert all(command in first_line for command in ("/help", "/new", "/exit"))
    assert "/new    start a new conversation" in result.output
    assert "unknown command /nope: type /help for the list" in result.output
    assert result.output.count("根据指南原文：") == 3  # /help, /nope and the line after /exit are no questions
    with sqlite3.connect(tmp_path / "state.db") as db:
        turns = db.execute("SELECT conversation_id, question FROM conversation_turns ORDER BY id").fetchall()
    assert [q for _, q in turns] == ["活动预算一般包括哪些费用?", "那风险呢?", "活动预热要提前多久开始?"]
    assert turns[0][0] == turns[1][0] != turns[2][0]


def test_eval_answers_reports_hit_rate_abstention_and_script(runner: CliRunner, tmp_path: Path) -> None:
    items = [
        {"id": "a", "question": "市场细分有哪几种方法?", "expect_any": ["地理细分"]},
        {"id": "b", "question": "价格促销具体有哪些手段?", "expect_any": ["这句话不在任何指南里"]},
        {"id": "c", "question": "怎么给电动车办理年检?", "expect_any": [], "out_of_scope": True},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    result = runner.invoke(main, ["eval", "answers", "--json", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["in_scope"], report["out_of_scope"]) == (2, 1)
    assert report["hit_rate"] == 0.5
    assert report["abstained_out_of_scope"] == 1
    assert report["wrong_abstention_rate"] == 0.0
    assert report["script_match_rate"] == 1.0
    assert report["traditional_match_rate"] == 1.0
    assert [i["hit"] for i in report["items"]] == [True, False, False]


@pytest.mark.parametrize(("lines", "said", "not_said"), [
    # the asker wrote Chinese: no English "saved:"
    ("帮我做个双十二女装促销方案,预算10万,12月5号到12号\n导出word\n", "已保存:", "saved:"),
    ("Draft a Christmas promotion plan for a bakery, budget 20000 yuan, Dec 18 to Dec 25\nexport word\n", "saved: ",
     "已保存"),
])
def test_chat_exports_the_plan_it_drafted_into_the_current_folder_and_says_so_in_the_askers_script(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: str, said: str, not_said: str) -> None:
    """「导出word」 at the prompt writes the Word file here instead of being refused as a question."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["chat"], input=lines)
    assert result.exit_code == 0, result.output
    (saved,) = tmp_path.glob("plan-*-v1.docx")
    assert saved.read_bytes()[:2] == b"PK"  # a .docx is a zip
    assert f"{said}{saved.resolve()}" in result.output
    assert not_said not in result.output


def test_the_terminal_is_given_files_not_api_paths_it_cannot_open(runner: CliRunner, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`cehua chat` said 「要 Word 文件，说「导出word」，或下载 /v1/plans/…/export?format=docx」 and answered 导出word with that
    path before saving the file; `cehua ask --conversation ID 导出word` gave only the path, and no file: an API path a
    planner at a terminal, with no server running, cannot open."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    monkeypatch.chdir(tmp_path)
    chat = runner.invoke(main, ["chat"], input="帮我做个双十二女装促销方案,预算10万,12月5号到12号\n导出word\n")
    assert chat.exit_code == 0, chat.output
    assert "/v1/plans/" not in chat.output
    assert "说「导出word」）" in chat.output
    (saved,) = tmp_path.glob("plan-*-v1.docx")
    assert f"已保存:{saved.resolve()}" in chat.output
    saved.unlink()
    drafted = json.loads(runner.invoke(main, ["ask", "--json", "帮我做个双十二女装促销方案,预算10万,12月5号到12号"]).output)
    exported = runner.invoke(main, ["ask", "--conversation", drafted["conversation"], "导出word"])
    assert exported.exit_code == 0, exported.output
    assert "/v1/plans/" not in exported.output
    (saved,) = tmp_path.glob("plan-*-v1.docx")
    assert f"已保存:{saved.resolve()}" in exported.output
