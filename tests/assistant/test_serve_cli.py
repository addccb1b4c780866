"""`cehua serve`: the uvicorn settings it starts workers with."""

from __future__ import annotations

import uvicorn

from assistant.cli.cmd_serve import uvicorn_options


def test_a_warming_worker_is_not_killed_as_hung() -> None:
    """uvicorn kills a worker that does not answer its liveness ping in time; with its 5 s default, the
    workers of `cehua serve --workers 3` on a busy 2-core machine were killed while importing the app and
    loading the index (18 s and 31 s there), restarted, killed again, and none became ready."""
    config = uvicorn.Config("api.main:create_app", **uvicorn_options("127.0.0.1", 8000, 3, "info"))
    assert (config.workers, config.factory, config.port) == (3, True, 8000)
    assert config.timeout_worker_healthcheck >= 60
