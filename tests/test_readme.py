"""The README's commands run as written, against a fresh data directory.

Every ``cehua ...`` line of the README's command-line block and every inline ```cehua ...``` span is
run in-process with the files it names present in the working directory. Words in capitals (ID, DOC)
are the README's placeholders and take the value an earlier command printed. ``cehua serve`` is
parsed, not started (it would hold a port), so an unknown or missing option still fails here.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from assistant.cli import main
from tests.documents import minimal_pdf
from tests.paths import EVAL_BRIEFS, EVAL_PLANS, EVAL_QUESTIONS, REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[list[str]]:
    """The README's ``cehua`` commands as argument lists, in reading order."""
    block = re.search(r"### Command line\s+```bash\n(.*?)```", README, re.S)
    assert block, "README.md has no '### Command line' bash block"
    lines = [part for line in block.group(1).splitlines() for part in line.split(" ; ")]
    spans = re.findall(r"(?<!`)`(cehua [^`]+)`(?!`)", README)
    commands = [shlex.split(text, comments=True) for text in [*lines, *spans]]
    return [c[1:] for c in commands if c and c[0] == "cehua"]


def _parse_only(args: list[str]) -> None:
    """Parse ``args`` as click would without running the command (UsageError when they are wrong)."""
    ctx = main.make_context("cehua", list(args), resilient_parsing=False)
    command = main.get_command(ctx, args[0])
    assert command is not None, f"no command {args[0]}"
    command.make_context(args[0], list(args[1:]), parent=ctx)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the files the README's commands name."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(sorted(EVAL_BRIEFS.glob("*.yaml"))[0], work / "brief.yaml")
    shutil.copy(EVAL_PLANS / "d01_clean_midautumn.md", work / "my_plan.md")
    shutil.copy(EVAL_QUESTIONS, work / "questions.jsonl")
    (work / "handbook.pdf").write_bytes(minimal_pdf("Sampling events: give a free trial size at the till."))
    (work / "notes").mkdir()
    (work / "notes" / "会员日.md").write_text(
        "# 会员日活动\n\n## 积分翻倍\n\n会员日当天消费积分翻倍，提前三天短信通知会员。\n", encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")  # brief.yaml plans September 2026: draft it as of May
    return work


def test_the_readme_lists_the_commands_it_documents() -> None:
    names = [" ".join(c[:2]) for c in readme_commands()]
    assert "keys create" in names and "chat" in names and "kb add" in names
    assert ["keys", "create", "--kind", "widget", "--origin", "https://your-site.example"] in readme_commands()


def test_every_readme_command_runs_as_written(workdir: Path) -> None:
    runner = CliRunner()
    values: dict[str, str] = {}
    for args in readme_commands():
        if args[0] == "serve":
            _parse_only(args)
            continue
        args = [values.get(a, a) for a in args]
        stdin = "/help\n/exit\n" if args[0] == "chat" else None
        result = runner.invoke(main, args, input=stdin)
        allowed = {0, 1} if args[0] == "validate" else {0}
        assert result.exit_code in allowed, f"cehua {shlex.join(args)}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"cehua {shlex.join(args)} raised {result.exception!r}"
        if args[0] == "ask":
            found = re.search(r"^conversation: (\S+)$", result.output, re.M)
            values["ID"] = found.group(1) if found else json.loads(result.output)["conversation"]
        if args[:2] == ["kb", "list"]:
            values["DOC"] = next(line.split()[0] for line in result.output.splitlines() if "会员日" in line)
    assert (workdir / "plan.docx").stat().st_size > 0


def test_the_readme_serve_command_would_fail_here_on_a_bad_option() -> None:
    with pytest.raises(click.UsageError):
        _parse_only(["serve", "--no-such-option"])
