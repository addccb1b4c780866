"""A throwaway PostgreSQL server of a test's own, which the test may stop and start again.

``CEHUA_TEST_POSTGRES_URL`` (see .ci/start-postgres.sh) is shared by every test, so it cannot be
stopped; this one is made with Debian's server binaries (``/usr/lib/postgresql/*/bin``), run as the
``postgres`` user when the tests run as root, on a free loopback port. ``None`` when the binaries are
absent (CI installs them).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.processes import free_port


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
                   if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


class StoppablePostgres:
    """initdb + pg_ctl start on 127.0.0.1; ``stop()`` (immediate: clients are cut mid-query, as in a
    crash) and ``start()`` again on the same port and data."""

    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cehua-pg-"))
        self.data = self.dir / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "cehua_stop")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/cehua_stop"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.user:
            command = ["su", self.user, "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in command)]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        """Stop at once (``-m immediate``): open connections are dropped, nothing is flushed politely."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def close(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)
