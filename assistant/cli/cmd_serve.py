"""``cehua serve``: run the HTTP API with uvicorn (several workers share state through the database)."""

from __future__ import annotations

from typing import Any

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
    uvicorn.run("api.main:create_app", **uvicorn_options(host, port, workers, log_level))


# Seconds a worker may take to answer uvicorn's liveness ping before it is killed as hung and started
# again. uvicorn's 5 s is shorter than a worker's warm-up holds the interpreter on a busy machine
# (importing the app and loading the index took 18 s and 31 s with a load of 10 on 2 cores): every
# worker of `cehua serve --workers 3` was killed and restarted, 4 times in 45 s, none ever ready.
WORKER_HEALTHCHECK_SECONDS = 120


def uvicorn_options(host: str, port: int, workers: int, log_level: str) -> dict[str, Any]:
    """The keyword arguments ``cehua serve`` runs ``uvicorn.run`` with (its factory is ``api.main:create_app``)."""
    return {"factory": True, "host": host, "port": port, "workers": workers, "log_level": log_level,
            "timeout_graceful_shutdown": 10, "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS}
