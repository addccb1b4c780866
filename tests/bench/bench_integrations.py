"""Benchmark: how fast the chat-platform webhooks acknowledge, and how long until the reply is posted.

Slack retries an event it has not seen acknowledged within 3 s, so the acknowledgement must not wait
for the answer. This runs the real app (uvicorn on loopback) with the real knowledge base and chat
service, a fake Slack API server that records replies, and signed ``app_mention`` events:

    python tests/bench/bench_integrations.py [--events 30]

It prints p50/p95/max of the acknowledgement time and of the time until the reply arrived.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from api.main import create_app  # noqa: E402
from core.settings import Settings  # noqa: E402

SECRET = "bench-signing-secret"
QUESTIONS = ["中秋节促销活动怎么设计主题？", "促销活动的预算应该怎么分配？", "活动结束后如何评估效果？",
             "宣传推广有哪些渠道？", "促销活动有哪些风险，怎么应对？"]


class _Replies:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()


def _fake_slack(replies: _Replies) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            with replies.lock:
                replies.arrived[body["thread_ts"]] = time.perf_counter()
            data = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _signed(text: str, ts: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": {
        "type": "app_mention", "user": "U1", "text": f"<@U0BOT> {text}", "ts": ts, "channel": "C1"}},
        ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return body, {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
                  "Content-Type": "application/json"}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30)
    args = parser.parse_args()

    replies = _Replies()
    slack = _fake_slack(replies)
    home = Path(tempfile.mkdtemp(prefix="cehua-bench-"))
    settings = Settings(home=home, slack_signing_secret=SECRET, slack_bot_token="xoxb-bench",
                        slack_api_base=f"http://127.0.0.1:{slack.server_address[1]}")
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(timeout=30) as client:
        while client.get(base + "/readyz").status_code != 200:
            time.sleep(0.2)
        acks: list[float] = []
        sent: dict[str, float] = {}
        for i in range(args.events):
            ts = f"{1700000000 + i}.000100"
            body, headers = _signed(QUESTIONS[i % len(QUESTIONS)], ts)
            start = time.perf_counter()
            response = client.post(base + "/integrations/slack/events", content=body, headers=headers)
            acks.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text
            sent[ts] = start
        deadline = time.monotonic() + 120
        while len(replies.arrived) < args.events and time.monotonic() < deadline:
            time.sleep(0.05)
    server.should_exit = True
    slack.shutdown()
    totals = [replies.arrived[ts] - start for ts, start in sent.items() if ts in replies.arrived]
    print(f"events: {args.events}, replies received: {len(totals)}")
    print(f"acknowledge  p50 {statistics.median(acks) * 1000:7.1f} ms  p95 {_pct(acks, 0.95) * 1000:7.1f} ms  "
          f"max {max(acks) * 1000:7.1f} ms   (Slack's limit: 3000 ms)")
    if totals:
        print(f"reply posted p50 {statistics.median(totals) * 1000:7.1f} ms  p95 {_pct(totals, 0.95) * 1000:7.1f} ms  "
              f"max {max(totals) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
