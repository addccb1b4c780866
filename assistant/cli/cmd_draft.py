"""`cehua draft`: a campaign plan drafted from a brief file or a one-sentence request."""

from __future__ import annotations

import json
import re
import sys
import threading
from pathlib import Path
from typing import Any

import click

from assistant.cli import main
from core.disk import disk_error
from core.errors import InputError

EXIT_MISSING = 3


def _rich_progress() -> Any:
    """A DraftProgress drawing a rich progress bar on stderr: one tick per drafted section, a line
    per repair. Built lazily so other commands do not import the drafting pipeline."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assistant.drafting.progress import DraftProgress

    class RichProgress(DraftProgress):
        def __init__(self) -> None:
            self.console = Console(stderr=True)
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                console=self.console, transient=True)
            self.task: Any = None
            self._lock = threading.Lock()

        def on_outline(self, outline: Any) -> None:
            self.bar.start()
            self.task = self.bar.add_task(f"起草 {outline.title}", total=len(outline.sections))

        def on_section_drafted(self, section: Any, draft: Any) -> None:
            with self._lock:
                self.bar.update(self.task, advance=1, description=f"已完成 {section.title}")
                if not draft.supported:
                    self.console.print(f"[yellow]! {section.title}: no supporting guidebook passage[/yellow]")

        def on_section_repaired(self, section: Any, attempt: int, findings: Any) -> None:
            self.console.print(f"repaired {section.title} (attempt {attempt})")

        def on_done(self, result: Any) -> None:
            self.bar.stop()

    return RichProgress()


def _load(brief_path: str | None, request: str | None, model: Any = None) -> Any:
    """The brief from the file, or read from the request (with the model's structured reading when one
    is configured; the parser's numbers and dates win)."""
    from assistant.briefs import load_brief
    from assistant.briefs.extract import extract_brief

    if bool(brief_path) == bool(request):
        raise InputError("give exactly one of --brief FILE or the request as a sentence, e.g. "
                         "cehua draft '中秋礼盒促销,预算30万,9月10日到9月25日'")
    return load_brief(brief_path) if brief_path else extract_brief(request or "", model)


_FORMATS = {"docx": "docx", "json": "json", "md": "md", "markdown": "md", "txt": "md", "": "md"}


def _format_for(out: str | None, fmt: str | None) -> str:
    """The format to write ``out`` in: ``fmt``, else its extension's; InputError for an extension Cehua does not
    write (``--out plan.pdf`` wrote Markdown into a file no PDF reader opens, after the whole draft)."""
    if fmt:
        return fmt
    suffix = Path(out).suffix.lower().lstrip(".") if out else ""
    if suffix not in _FORMATS:
        raise InputError(f"--out {out}: Cehua writes plans as .md, .docx or .json, not .{suffix}; name the file "
                         f"{Path(str(out)).with_suffix('.docx')} (Word saves it as PDF), or give --format md|docx|json")
    return _FORMATS[suffix]


@main.command("draft")
@click.argument("text", required=False)
@click.option("--brief", "brief_path", type=click.Path(dir_okay=False), help="Brief file (YAML or JSON).")
@click.option("--request", "request", help="The brief as a sentence: 双十一护肤品促销,预算80万,11月1日到11日.")
@click.option("--template", default=None, help="Plan template (promotion, event, service, channel, annual; default: from the campaign kind).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the plan to this file.")
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "json"]),
              help="Format of --out (default: from its extension, else md).")
@click.option("--json", "as_json", is_flag=True, help="Print brief, plan_markdown, findings and citations as JSON.")
def draft_command(text: str | None, brief_path: str | None, request: str | None, template: str | None,
                  out: str | None, fmt: str | None, as_json: bool) -> None:
    """Draft a campaign plan section by section from the guidebooks, then check it.

    TEXT is the request as a sentence (the same as --request). Exits 3 when the brief lacks a budget,
    start or end date."""
    if text and request:
        raise InputError("give the request once: as TEXT or as --request, not both")
    if text and not brief_path and re.fullmatch(r"\S+\.(?:ya?ml|json)", text.strip(), re.I):
        # `cehua draft brief.yaml`: a file name is no request (it was read as one, and asked for budget and dates).
        if not Path(text.strip()).is_file():
            raise InputError(f"brief file '{text.strip()}' not found: give a YAML or JSON brief that exists, or the "
                             "request as a sentence, e.g. cehua draft '中秋礼盒促销,预算30万,9月10日到25日'")
        brief_path, text = text.strip(), None
    request = request or text
    from assistant.briefs import check_not_past, missing_question
    from assistant.drafting import DraftProgress, draft_plan
    from assistant.export import export_plan
    from assistant.llm import get_chat_model
    from core.settings import get_settings
    from knowledge import open_knowledge_base
    from knowledge.templates import load_template

    if fmt == "docx" and not out and not as_json and sys.stdout.isatty():
        raise InputError("a .docx file is binary: give --out plan.docx (or redirect stdout to a file)")
    if out:
        _format_for(out, fmt)  # a format Cehua cannot write fails before any work
    settings = get_settings()
    model = get_chat_model(settings)
    brief = _load(brief_path, request, model)
    if template:
        load_template(template)  # an unknown template fails before any work, listing the ones there are
    missing = brief.missing()
    if missing:
        question = missing_question(brief)
        if as_json:
            click.echo(json.dumps({"missing": missing, "question": question, "brief": brief.model_dump(mode="json")},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo(f"error: the brief is missing {', '.join(missing)}. {question}", err=True)
        sys.exit(EXIT_MISSING)
    check_not_past(brief)

    progress = DraftProgress() if as_json else _rich_progress()
    result = draft_plan(brief, retriever=open_knowledge_base(settings), model=model,
                        template=template, progress=progress, settings=settings)
    if out:
        try:
            Path(out).write_bytes(export_plan(result.plan, _format_for(out, fmt)))
        except OSError as exc:  # a full or read-only disk names --out, not "the data directory"
            raise (disk_error(exc, out) or InputError(f"cannot write {out}: {exc.strerror}")) from exc
    if as_json:
        payload = {
            "brief": result.brief.model_dump(mode="json"),
            "template": result.template,
            "offline": result.offline,
            "notices": result.notices,
            "plan_markdown": result.plan_markdown,
            "findings": [f.model_dump(mode="json") for f in result.findings],
            "citations": [c.model_dump(mode="json") for c in result.citations],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not out:
        if fmt in (None, "md"):
            click.echo(result.plan_markdown)
        else:  # json as text, docx as bytes (redirect it: cehua draft ... --format docx > plan.docx)
            click.echo(export_plan(result.plan, fmt), nl=fmt == "json")
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    errors = [f for f in result.findings if f.severity == "error"]
    warnings = [f for f in result.findings if f.severity == "warning"]
    for finding in result.findings:
        click.echo(f"{finding.severity}: [{finding.code}] {finding.message}", err=True)
    summary = f"{len(result.plan.chapters)} sections, {len(result.citations)} citations, " \
              f"{len(errors)} errors, {len(warnings)} warnings"
    click.echo(f"drafted: {summary}" + (f" → {out}" if out else ""), err=True)
