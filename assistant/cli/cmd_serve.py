"""``cehua serve``: run the HTTP API with uvicorn (several workers share state through the database)."""

from __future__ import annotations

import click

from assistant.cli import main
from core.settings import get_settings


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes; they share jobs, progress and rate counters through the database.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    import uvicorn

    from assistant.store.db import session_factory

    settings = get_settings()
    settings.ensure_home()
    # Create the tables once, here, so workers never race to do it. The index loads (or, on a first
    # run, builds under the knowledge base's file lock) in each worker's background warm-up:
    # /healthz answers at once and /readyz turns 200 when the index is usable.
    session_factory(settings)
    click.echo(f"cehua: serving on http://{host}:{port} (docs at /docs)", err=True)
    uvicorn.run("api.main:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, timeout_graceful_shutdown=10)
