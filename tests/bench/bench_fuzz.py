"""Benchmark: a larger schema-driven fuzz run over ``/openapi.json`` (schemathesis); the target is 0 × 5xx.

Runs the real app on a fresh data directory with the bundled guidebooks, every chat platform configured,
first open (no key), then with a server key and with a widget key, each with valid and schema-breaking
requests generated per operation, bounded by examples and time:

    python tests/bench/bench_fuzz.py [--examples 25] [--budget 300]

It prints the requests sent, the answers by status class, and a curl command for every 5xx.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from api.main import create_app  # noqa: E402
from assistant.store.db import session_scope  # noqa: E402
from assistant.store.keys import create_key  # noqa: E402
from knowledge import open_knowledge_base  # noqa: E402
from tests.api.schema_fuzz import fuzz, fuzz_settings  # noqa: E402

SHOP = "https://shop.example.com"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="generated requests per operation and mode")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per phase")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the 4xx the fuzzer provokes are expected; 5xx are reported below
    home = Path(tempfile.mkdtemp(prefix="cehua-fuzz-"))
    # Limits high enough that the fuzzer reaches the routes instead of 429s.
    settings = fuzz_settings(home).model_copy(update={"rate_limit_per_minute": 10**6,
                                                      "visitor_rate_limit_per_minute": 10**6})
    open_knowledge_base(settings).ensure_ready()
    app = create_app(settings, warm=False)
    failures = 0
    with TestClient(app):
        for name in ("open mode", "server key", "widget key"):
            headers: dict[str, str] | None = None
            if name != "open mode":  # the open phase runs first: creating a key closes the API
                with session_scope(settings) as session:
                    if name == "server key":
                        headers = {"Authorization": f"Bearer {create_key(session, 'fuzz-server').key}"}
                    else:
                        key = create_key(session, "fuzz-widget", kind="widget", origins=[SHOP]).key
                        headers = {"Authorization": f"Bearer {key}", "Origin": SHOP}
            report = fuzz(app, max_examples=args.examples, budget_seconds=args.budget, headers=headers)
            print(f"{name}: {report.summary()}")
            for line in report.server_errors:
                print("  5xx:", line)
            failures += len(report.server_errors)
    print(f"total 5xx: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
