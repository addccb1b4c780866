"""``cehua validate FILE``: check a plan (Markdown, text or Word) written by a person or by Cehua, as JSON or
a readable report naming the plan kind it was judged as."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assistant.cli import main
from core.errors import PlanFormatError


@main.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print {ok, findings} as JSON.")
@click.option("--template", "template_name", default=None,
              help="Force the plan kind (annual, channel, event, promotion, service); default: recognised from "
                   "the plan's title and headings.")
@click.option("--brief", "brief_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML/JSON brief whose budget and dates the plan must match.")
def validate_command(file: Path, as_json: bool, template_name: str | None, brief_path: Path | None) -> None:
    """Check a plan FILE (.md, .txt or .docx): exit 0 when no error is found, 1 when there are errors, 2 for a
    file that is not a plan."""
    from assistant.briefs import load_brief
    from assistant.validation import Validation, validate_file
    from core.settings import get_settings
    from knowledge.templates import load_template

    limit = get_settings().max_upload_bytes  # the API's limit for the same file (413 there)
    size = file.stat().st_size
    if size > limit:
        raise PlanFormatError(f"{file.name} is {size} bytes, over the {limit}-byte limit for a plan: give the plan "
                              "itself (Markdown, text or Word .docx), or raise CEHUA_MAX_UPLOAD_BYTES")
    if template_name:
        load_template(template_name)  # an unknown kind fails first, naming the ones there are
    brief = load_brief(brief_path) if brief_path is not None else None
    try:
        result: Validation = validate_file(file.read_bytes(), file.name, brief=brief, template_name=template_name)
    except PlanFormatError as exc:
        message = exc.message if exc.message.startswith(file.name) else f"{file.name}: {exc.message}"
        raise PlanFormatError(message) from None
    if as_json:
        payload = {
            "ok": result.ok,
            "template": {"name": result.template.name, "title": result.template.title.get(result.plan.script, ""),
                         "chosen": result.chosen, "known": result.kind_known},
            "findings": [f.model_dump(include={"code", "severity", "message", "location"}) for f in result.findings],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _report(file, result)
    sys.exit(0 if result.ok else 1)


_MARKS = {"error": ("error  ", "red"), "warning": ("warning", "yellow"), "info": ("note   ", "cyan")}


def _report(file: Path, result: object) -> None:
    from assistant.validation import Validation

    assert isinstance(result, Validation)
    plan, findings = result.plan, result.findings
    click.echo(f"{file.name}" + (f" — {plan.title}" if plan.title else ""))
    how = "recognised" if result.chosen else "given"
    if not result.kind_known:
        click.echo("  plan kind: not recognised (too little to tell; --template names it)")
    else:
        click.echo(f"  plan kind: {result.template.title.get(plan.script, result.template.name)} "
                   f"({result.template.name}, {how})")
    for f in findings:
        word, colour = _MARKS[f.severity]
        click.echo(f"  {click.style(word, fg=colour)} {f.code}  [{f.location}]")
        click.echo(f"          {f.message}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in _MARKS}
    verdict = "OK" if result.ok else "needs fixing"
    click.echo(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s): {verdict}")
