"""A small, bounded HTTP/1.1 load generator for loopback benchmarks.

Keep-alive connections on raw asyncio streams (no client library overhead competing with the
server for the CPU). Bounded in both request count and wall time, and refuses any host that is not
loopback, so it cannot be pointed at someone else's server.

    python tests/bench/loadgen.py http://127.0.0.1:8000/v1/search --json '{"query": "预算"}' -c 8 -n 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_REQUESTS = 100_000
MAX_SECONDS = 120.0


@dataclass
class LoadResult:
    """Latencies (seconds) of completed requests, status counts and the wall time of the run."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    wall: float = 0.0

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.completed / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index] * 1000

    def summary(self) -> dict[str, float | int | dict[int, int]]:
        return {
            "requests": self.completed, "errors": self.errors, "statuses": self.statuses,
            "wall_s": round(self.wall, 3), "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2), "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2) if self.latencies else float("nan"),
        }


async def _read_response(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def run_load(url: str, *, method: str = "POST", body: bytes = b"", headers: dict[str, str] | None = None,
                   concurrency: int = 8, requests: int = 1000, max_seconds: float = 30.0) -> LoadResult:
    """Send ``requests`` requests over ``concurrency`` keep-alive connections (stopping at ``max_seconds``)."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"loadgen only targets loopback hosts, not {parts.hostname}")
    requests = min(requests, MAX_REQUESTS)
    max_seconds = min(max_seconds, MAX_SECONDS)
    port = parts.port or 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    head = [f"{method} {path} HTTP/1.1", f"Host: {parts.hostname}:{port}", "Connection: keep-alive"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        head.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body

    result = LoadResult()
    remaining = requests
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal remaining
        reader, writer = await asyncio.open_connection(parts.hostname, port)
        try:
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                start = time.perf_counter()
                try:
                    writer.write(raw)
                    await writer.drain()
                    status = await _read_response(reader)
                except (ConnectionError, asyncio.IncompleteReadError, ValueError):
                    result.errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(parts.hostname, port)
                    continue
                result.latencies.append(time.perf_counter() - start)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
    result.wall = time.perf_counter() - began
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--method", default="POST")
    parser.add_argument("--json", dest="json_body", default=None, help="JSON body")
    parser.add_argument("--header", action="append", default=[], help="Name: value (repeatable)")
    parser.add_argument("-c", "--concurrency", type=int, default=8)
    parser.add_argument("-n", "--requests", type=int, default=1000)
    parser.add_argument("-t", "--max-seconds", type=float, default=30.0)
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    body = b""
    if args.json_body is not None:
        body = args.json_body.encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    result = asyncio.run(run_load(args.url, method=args.method, body=body, headers=headers,
                                  concurrency=args.concurrency, requests=args.requests,
                                  max_seconds=args.max_seconds))
    print(json.dumps(result.summary(), ensure_ascii=False))


if __name__ == "__main__":
    main()
