"""`cehua kb add|list|remove|rebuild`: manage the guidebooks the answers come from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assistant.cli import main
from knowledge import Progress


class _RichProgress(Progress):
    """Shows knowledge-base progress on stderr: a bar with counts, rate and elapsed time per stage."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichBar
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")

        console = Console(stderr=True)
        self._progress = RichBar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
            console=console, transient=True, disable=not console.is_terminal,
        )
        self._task: Any = None

    def __enter__(self) -> _RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def on_start(self, total: int, description: str) -> None:
        self._task = self._progress.add_task(description, total=total)

    def on_advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def on_done(self) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None


@main.group("kb")
def kb_group() -> None:
    """Manage the knowledge base (guidebooks)."""


@kb_group.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def kb_add(paths: tuple[Path, ...]) -> None:
    """Add or update documents (.txt .md .html .docx .pdf, or directories of them); unchanged ones are skipped."""
    from knowledge import open_knowledge_base

    kb = open_knowledge_base()
    # A file whose text is already in (a copy under another name, or the same file again) comes back as the
    # document that holds it; said as added, the planner could not tell that nothing new went in.
    present = {doc.sha256 for doc in kb.list()}
    with _RichProgress() as progress:
        docs = kb.add(list(paths), progress=progress)
    for doc in docs:
        known = f"\t(already in, from {doc.source_name}: the same text; nothing added)" if doc.sha256 in present else ""
        click.echo(f"{doc.doc_id}\t{doc.title}\t{doc.chunks} chunks\t{doc.garbled_runs} garbled runs{known}")


@kb_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
def kb_list(as_json: bool) -> None:
    """List the documents in the knowledge base."""
    import json

    from knowledge import open_knowledge_base

    docs = open_knowledge_base().list()
    if as_json:
        click.echo(json.dumps([d.model_dump(mode="json") for d in docs], ensure_ascii=False, indent=2))
        return
    for doc in docs:
        added = doc.added_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{doc.doc_id}\t{doc.title}\t{doc.source_name}\t{doc.chunks} chunks\t{added}")


@kb_group.command("remove")
@click.argument("doc_id")
def kb_remove(doc_id: str) -> None:
    """Remove document DOC_ID (as shown by `cehua kb list`)."""
    from knowledge import open_knowledge_base

    doc = open_knowledge_base().remove(doc_id)
    click.echo(f"removed {doc.doc_id}\t{doc.title}")


@kb_group.command("rebuild")
def kb_rebuild() -> None:
    """Re-chunk and re-embed every document (after upgrading Cehua or changing the embedding model)."""
    from knowledge import open_knowledge_base

    with _RichProgress() as progress:
        docs = open_knowledge_base().rebuild(progress=progress)
    click.echo(f"rebuilt {len(docs)} documents, {sum(d.chunks for d in docs)} chunks")
