"""A bounded schema-driven fuzz run: schemathesis generates requests from ``/openapi.json`` (valid ones
and, in negative mode, ones that break the schema) and every answer must be below 500.

Used by ``tests/api/test_schema_fuzz.py`` (small, in the suite) and ``tests/bench/bench_fuzz.py``
(larger, reported). Bounded by examples per operation and by a wall-clock budget.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from core.settings import Settings


def fuzz_settings(home: Path) -> Settings:
    """Settings for a fuzzed server: its own data directory, and every chat platform configured, so the
    webhooks check signatures instead of answering 503 "not configured"."""
    return Settings(
        home=home, slack_signing_secret="fuzz-slack", slack_bot_token="xoxb-fuzz",
        feishu_verification_token="fuzz-token", feishu_encrypt_key="fuzz-key", feishu_app_id="cli_fuzz",
        feishu_app_secret="fuzz", dingtalk_app_secret="fuzz-dingtalk", wecom_token="fuzz",
        wecom_encoding_aes_key="a" * 43, wecom_corp_id="wwfuzz", wecom_corp_secret="fuzz", wecom_agent_id="1",
        slack_api_base="http://127.0.0.1:9/slack", feishu_api_base="http://127.0.0.1:9",
        dingtalk_webhook_base="http://127.0.0.1:9/robot/", wecom_api_base="http://127.0.0.1:9",
    )


@dataclass
class FuzzReport:
    """What a fuzz run sent and got back."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # curl commands reproducing each 5xx
    operations: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        by_class = Counter(f"{s // 100}xx" for s in self.statuses.elements())
        return (f"{self.requests} requests over {self.operations} operations in {self.seconds:.1f} s: "
                + ", ".join(f"{k} × {v}" for k, v in sorted(by_class.items())))


def fuzz(app: Any, *, max_examples: int, budget_seconds: float,
         modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
         skip: tuple[tuple[str, str], ...] = (), headers: dict[str, str] | None = None) -> FuzzReport:
    """Send up to ``max_examples`` generated requests per operation and mode to ``app`` (ASGI), within
    ``budget_seconds`` (with ``headers`` on each, e.g. a key); the report lists every 5xx as a curl command."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    report = FuzzReport()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue
        report.operations += 1
        for mode in modes:
            if time.monotonic() - started > budget_seconds:
                break

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                                 phases=[Phase.explicit, Phase.generate],
                                 suppress_health_check=list(HealthCheck))
            def send(case: Any) -> None:
                if time.monotonic() - started > budget_seconds:
                    return
                response = case.call(headers=headers) if headers else case.call()
                report.requests += 1
                report.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    report.server_errors.append(f"{response.status_code} {case.as_curl_command()}")

            try:
                send()
            except Unsatisfiable:  # nothing to break (an operation without parameters, in negative mode)
                continue
    report.seconds = time.monotonic() - started
    return report
