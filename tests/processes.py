"""Real server processes on loopback for tests and benchmarks: a free port, start, wait, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A server in its own process group (so workers it forks stop with it), logging to ``log``."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log.open("wb")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_for(self, path: str = "/readyz", timeout: float = 60, poll: float = 0.05) -> float:
        """Seconds from process start until ``path`` answers 200; RuntimeError naming the log if never."""
        while time.perf_counter() - self.started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.url + path, timeout=1).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                pass
            time.sleep(poll)
        raise RuntimeError(f"{self.url}{path} did not answer 200 within {timeout} s; see {self.log.name}")

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after 15 s, close the log."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def in_child(work: Callable[[], None]) -> int:
    """Run ``work`` in a forked child; its exit status (negative: killed by that signal, 3: it raised)."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            work()
        except BaseException:
            traceback.print_exc()
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
