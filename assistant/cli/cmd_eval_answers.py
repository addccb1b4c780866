"""`cehua eval answers`: how well chat answers a JSONL question set (hits, abstention, script)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from assistant.cli.cmd_eval import eval_group


@eval_group.command("answers")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-k", "k", type=click.IntRange(1, 20), default=5, show_default=True, help="Passages per answer.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--show", is_flag=True, help="Print every answer.")
def eval_answers(file: Path, k: int, as_json: bool, show: bool) -> None:
    """Answer hit rate, abstention and script match on FILE.jsonl (offline unless a model is configured)."""
    from assistant.chat import ChatService
    from assistant.chat.evaluate import evaluate_answers
    from assistant.llm import get_chat_model
    from core.settings import get_settings
    from knowledge import open_knowledge_base
    from knowledge.evaluate import read_eval_file

    items = read_eval_file(file)
    settings = get_settings()
    kb = open_knowledge_base(settings)
    with tempfile.TemporaryDirectory(prefix="cehua-eval-") as tmp:
        # Evaluation conversations go to a throwaway database, not the planner's history.
        eval_settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(tmp) / 'eval.db'}"})
        service = ChatService(eval_settings, kb, get_chat_model(settings), k=k)
        report = evaluate_answers(service, items)
        from assistant.store.db import dispose_all

        dispose_all()
    if as_json:
        click.echo(json.dumps(report.model_dump(), ensure_ascii=False, indent=2))
        return
    mode = "offline" if settings.offline else f"model {settings.model}"
    click.echo(f"questions: {report.in_scope} in scope, {report.out_of_scope} out of scope ({mode})")
    click.echo(f"answer hit rate: {report.hit_rate:.3f}")
    click.echo(f"wrong abstention on in-scope: {report.wrong_abstention_rate:.3f}")
    if report.out_of_scope:
        click.echo(f"out of scope abstained: {report.abstained_out_of_scope}/{report.out_of_scope}")
    click.echo(f"script match: {report.script_match_rate:.3f}")
    click.echo(f"Traditional questions answered in Traditional: {report.traditional_match_rate:.3f}"
               f" (hit rate {report.traditional_hit_rate:.3f})")
    click.echo(f"p50 answer time: {report.p50_seconds * 1000:.0f} ms")
    for item in report.items:
        wrong = (item.out_of_scope and not item.abstained) or (not item.out_of_scope and not item.hit)
        if show or wrong or not item.script_ok or not item.traditional_ok:
            flag = "ok" if not wrong else ("answered out-of-scope" if item.out_of_scope else "miss")
            click.echo(f"\n[{item.id}] {flag}: {item.question}")
            click.echo("  " + item.answer.replace("\n", "\n  "))
