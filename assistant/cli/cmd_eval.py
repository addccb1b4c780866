"""`cehua eval`: measure retrieval (and, from the chat module, answers) on a JSONL question set."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli import main


@main.group("eval")
def eval_group() -> None:
    """Evaluate Cehua on question sets."""


@eval_group.command("retrieval")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True, help="Recall cut-off.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def eval_retrieval(file: Path, k: int, as_json: bool) -> None:
    """Recall@k and MRR@10 on FILE.jsonl; out-of-scope items are checked for abstention instead."""
    from knowledge import open_knowledge_base
    from knowledge.evaluate import evaluate_retrieval, read_eval_file

    items = read_eval_file(file)
    report = evaluate_retrieval(open_knowledge_base(), items, k=k)
    if as_json:
        click.echo(json.dumps(report.model_dump(), ensure_ascii=False, indent=2))
        return
    click.echo(f"questions: {report.in_scope} in scope, {report.out_of_scope} out of scope")
    click.echo(f"recall@{k}: {report.recall_at_k:.3f}")
    click.echo(f"MRR@10: {report.mrr_at_10:.3f}")
    click.echo(f"good_match on in-scope: {report.good_match_rate:.3f}")
    if report.out_of_scope:
        click.echo(f"out of scope abstained (good_match=False): {report.abstained}/{report.out_of_scope}")
    if report.misses:
        click.echo(f"misses ({len(report.misses)}):")
        for item in report.misses:
            where = f"rank {item.rank}" if item.rank else "not in top 10"
            click.echo(f"  {item.id}\t{where}\t{item.question}\t(top: {item.top_section})")
    for item in report.false_answers:
        click.echo(f"  {item.id}\tout of scope but good_match=True\t{item.question}")
