"""`cehua search`: passages from the knowledge base, as a readable listing or JSON for other tools."""

from __future__ import annotations

import json

import click

from assistant.cli import main
from core.errors import QuestionError


@main.command("search")
@click.argument("queries", nargs=-1, required=True)
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True, help="Passages per query.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array with an object per query.")
def search_command(queries: tuple[str, ...], k: int, as_json: bool) -> None:
    """Find guidebook passages for each QUERY (builds the bundled index on first use)."""
    from assistant import script_boundary
    from knowledge import open_knowledge_base

    for query in queries:
        if not query.strip():
            raise QuestionError("empty query; write a question such as 价格促销有哪些手段")
    # Shown in each query's script, quoting the guidebooks' own characters.
    results = [script_boundary.search_result(r) for r in open_knowledge_base().search_many(list(queries), k=k)]
    if as_json:
        payload = [
            {
                "query": r.query,
                "good_match": r.good_match,
                "relevance": r.relevance,
                "top_score": r.top_score,
                "results": [
                    {"text": p.text, "doc": p.doc, "title": p.title, "section": p.section, "score": p.score,
                     "start": p.start, "end": p.end, "chunk_id": p.chunk_id}
                    for p in r.passages
                ],
            }
            for r in results
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for r in results:
        verdict = "good match" if r.good_match else "no good match"
        click.secho(f"{r.query}  ({verdict}, top score {r.top_score:.2f})", bold=True)
        for i, p in enumerate(r.passages, 1):
            click.echo(f"{i}. [{p.score:.2f}] {p.title} › {p.section or '(preface)'}  ({p.doc} {p.start}-{p.end})")
            snippet = p.text.replace("\n", " ")
            click.echo(f"   {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
        click.echo()
