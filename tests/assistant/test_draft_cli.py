"""`cehua draft` against the bundled guidebooks: real index, real validators, every output format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from assistant.cli import main
from assistant.validators import validate_plan
from core.plan.markdown import parse_plan
from core.settings import Settings
from knowledge import open_knowledge_base
from knowledge.templates import load_template
from tests.paths import EVAL_BRIEFS

BRIEF_YAML = """title: 七夕花礼快闪
brand: 花间集
occasion: 七夕
start: 2026-08-12
end: 2026-08-19
budget: 8万
channels: [小红书, 商场快闪店]
goals: ["售出花礼2000份"]
"""
TRAD_YAML = """title: 春節年貨禮盒
brand: 福滿堂
occasion: 春節
start: 2027-01-25
end: 2027-02-06
budget: 1200萬元
audience: 返鄉家庭
goals: ["禮盒銷量20萬盒"]
"""


@pytest.fixture(scope="session")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled guidebooks indexed once for the whole session."""
    home = tmp_path_factory.mktemp("draft-kb")
    open_knowledge_base(Settings(home=home)).ensure_ready()
    return home


@pytest.fixture
def runner(kb_home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CEHUA_HOME", str(kb_home))
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")  # the briefs here plan for the months after it
    from core.settings import get_settings

    get_settings.cache_clear()
    return CliRunner()


def _brief_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("text", [BRIEF_YAML, TRAD_YAML])
def test_json_output_has_the_brief_plan_findings_and_citations(runner: CliRunner, tmp_path: Path, text: str) -> None:
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, text), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"brief", "plan_markdown", "findings", "citations"}
    assert isinstance(data["brief"]["budget"], float)
    assert data["brief"]["start"][:4] in ("2026", "2027") and len(data["brief"]["end"]) == 10
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert data["citations"] and data["citations"][0]["n"] == 1
    plan = parse_plan(data["plan_markdown"], load_template("promotion"))
    assert [f for f in validate_plan(plan) if f.severity == "error"] == []


@pytest.mark.parametrize("path", sorted(EVAL_BRIEFS.glob("*.yaml")), ids=lambda p: p.name)
def test_dev_eval_briefs_draft_without_errors(runner: CliRunner, path: Path) -> None:
    result = runner.invoke(main, ["draft", "--brief", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert [f for f in json.loads(result.output)["findings"] if f["severity"] == "error"] == []


def test_missing_essentials_exit_3_with_the_fields(runner: CliRunner) -> None:
    result = runner.invoke(main, ["draft", "--request", "帮我做一个护肤品促销方案,主要投抖音", "--json"])
    assert result.exit_code == 3
    assert json.loads(result.output)["missing"] == ["budget", "start", "end"]
    plain = runner.invoke(main, ["draft", "--request", "护肤品促销,预算5万"])
    assert plain.exit_code == 3
    assert "the brief is missing start, end" in plain.output


def test_the_request_can_be_given_as_the_argument(runner: CliRunner) -> None:
    """`cehua draft '…'` reads like `cehua ask '…'`; --request still works, giving both is one clear line."""
    text = "七夕花礼快闪,预算8万,8月12日到8月19日,投小红书"
    plain = runner.invoke(main, ["draft", text, "--json"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.output)["brief"]["budget"] == 80_000
    both = runner.invoke(main, ["draft", text, "--request", text])
    assert both.exit_code == 2 and "give the request once" in both.output
    neither = runner.invoke(main, ["draft"])
    assert neither.exit_code == 2 and "cehua draft '中秋礼盒促销" in neither.output


def test_unknown_template_lists_the_templates(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--template", "gala"])
    assert result.exit_code == 4
    assert "unknown plan template 'gala': use one of annual, channel, event, promotion, service" in result.output


def test_bad_brief_shows_the_brief_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML.replace("8万", "很多"))])
    assert result.exit_code == 2
    assert "budget" in result.output


def test_out_docx_writes_a_word_document(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = Document(io.BytesIO(out.read_bytes()))
    assert document.paragraphs[0].text == "七夕花礼快闪方案"
    assert len(document.tables) == 2
    assert "0 errors" in result.output


@pytest.mark.parametrize("name", ["plan.pdf", "plan.doc", "plan.xlsx"])
def test_out_in_a_format_cehua_does_not_write_is_refused_before_drafting(runner: CliRunner, tmp_path: Path,
                                                                         name: str) -> None:
    """`--out plan.pdf` wrote Markdown into plan.pdf, a file no PDF reader opens, after drafting the whole plan."""
    out = tmp_path / name
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--out", str(out)])
    assert result.exit_code == 2
    suffix = name.rsplit(".", 1)[1]
    assert result.output == (f"error: --out {out}: Cehua writes plans as .md, .docx or .json, not .{suffix}; name the "
                             f"file {tmp_path / 'plan.docx'} (Word saves it as PDF), or give --format md|docx|json\n")
    assert not out.exists()


def test_out_with_a_format_given_is_written_in_that_format(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.txt"
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# 七夕花礼快闪方案\n")


def test_format_without_out_writes_the_plan_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["title"] == "七夕花礼快闪方案" and len(plan["chapters"]) == 9  # eight days: a promotion, not an event plan
    docx = runner.invoke(main, ["draft", "--brief", _brief_file(tmp_path, BRIEF_YAML), "--format", "docx"])
    assert Document(io.BytesIO(docx.stdout_bytes)).paragraphs[0].text == "七夕花礼快闪方案"


def test_draft_as_docx_validates_like_draft_as_markdown(runner: CliRunner, tmp_path: Path) -> None:
    brief = _brief_file(tmp_path, TRAD_YAML)
    reports = {}
    for fmt in ("md", "docx"):
        out = tmp_path / f"plan.{fmt}"
        drafted = runner.invoke(main, ["draft", "--brief", brief, "--out", str(out), "--format", fmt])
        assert drafted.exit_code == 0, drafted.output
        checked = runner.invoke(main, ["validate", str(out), "--json"])
        assert checked.exit_code in (0, 1), checked.output
        payload = json.loads(checked.stdout)
        reports[fmt] = (payload["template"], [(f["code"], f["severity"], f["message"], f["location"].split(",")[0])
                                              for f in payload["findings"]])
    assert reports["docx"] == reports["md"]


def test_a_brief_file_given_as_the_argument_is_read_as_the_brief(runner: CliRunner, tmp_path: Path) -> None:
    """fix19's tryout: `cehua draft brief.yaml` read 'brief.yaml' as a request and asked for budget and dates."""
    path = _brief_file(tmp_path, BRIEF_YAML)
    result = runner.invoke(main, ["draft", path, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["brief"]["budget"] is not None
    missing = runner.invoke(main, ["draft", str(tmp_path / "nowhere.yaml")])
    assert missing.exit_code == 2 and "nowhere.yaml" in missing.output and "Traceback" not in missing.output
