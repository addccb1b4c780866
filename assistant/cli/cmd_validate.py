"""``cehua validate FILE``: check a plan written by a person or by Cehua, as JSON or a readable report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assistant.cli import main
from core.errors import PlanFormatError


def read_plan_text(path: Path) -> str:
    """The text of a plan file; PlanFormatError naming the file when it is binary or not UTF-8."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise PlanFormatError("a binary file, not a plan: give a Markdown or text file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFormatError("not UTF-8 text: save the plan as UTF-8 Markdown")


@main.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print {ok, findings} as JSON.")
@click.option("--template", "template_name", default="promotion", show_default=True,
              help="Plan template the chapters are checked against (promotion, annual).")
@click.option("--brief", "brief_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML/JSON brief whose budget and dates the plan must match.")
def validate_command(file: Path, as_json: bool, template_name: str, brief_path: Path | None) -> None:
    """Check a plan FILE: exit 0 when no error is found, 1 when there are errors, 2 for a non-plan file."""
    from assistant.briefs import load_brief
    from assistant.validators import has_errors, validate_plan
    from core.plan import Plan
    from knowledge.templates import load_template

    template = load_template(template_name)
    brief = load_brief(brief_path) if brief_path is not None else None
    try:
        plan = Plan.from_markdown(read_plan_text(file), template)
    except PlanFormatError as exc:
        raise PlanFormatError(f"{file.name}: {exc.message}") from None
    findings = validate_plan(plan, brief=brief, template=template)
    ok = not has_errors(findings)
    if as_json:
        payload = {
            "ok": ok,
            "findings": [f.model_dump(include={"code", "severity", "message", "location"}) for f in findings],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _report(file, plan.title, findings, ok)
    sys.exit(0 if ok else 1)


def _report(file: Path, title: str, findings: list, ok: bool) -> None:  # type: ignore[type-arg]
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    click.echo(f"{file.name}" + (f" — {title}" if title else ""))
    for f in findings:
        mark = click.style("error  ", fg="red") if f.severity == "error" else click.style("warning", fg="yellow")
        click.echo(f"  {mark} {f.code}  [{f.location}]")
        click.echo(f"          {f.message}")
    verdict = "OK" if ok else "needs fixing"
    click.echo(f"{len(errors)} error(s), {len(warnings)} warning(s): {verdict}")
