"""Kill a real API server at every durable step of a document upload, then start it again and check.

Run by tests/api/test_upload_crashes.py as ``python -m tests.api.upload_kill_driver HOME [STEP ...]``.
The driver imports Cehua once and forks servers (uvicorn on a loopback socket, as ``cehua serve`` runs
it), one per kill:

* ``mid-body``: the server is SIGKILLed from outside while the multipart body is still arriving;
* any other STEP: the server SIGKILLs itself (as ``kill -9`` would: no cleanup runs) when the upload
  reaches that checkpoint (``knowledge.storage.checkpoint``): ``upload staging`` (its staging folder
  made), ``document committed``, ``vectors stored``, ``segment committed``, ``before swap``, ``swapped``...
  With no STEP given, at every checkpoint in turn (k = 1, 2, ... until the upload completes).

After each kill a fresh server starts on the same data directory and must: be ready, list either the
documents before the upload or those plus the new one, search, have left no staging folder (in the
data directory or in TMPDIR) and no half-written index file, and take the same upload again. Prints
one JSON line per kill, then ``{"done": true}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.processes import in_child

GUIDE = ("# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性,优先选择易演示的商品。\n\n"
         "## 二、主播话术\n\n主播话术要突出限时福利,并及时回答弹幕提问。\n")
NAME = "直播带货指南.md"


def _serve(home: Path, sock: socket.socket, hook: Callable[[str], None] | None) -> None:
    """In a forked child: serve the API for ``home`` on ``sock`` until killed or told to stop."""
    import uvicorn

    import knowledge.storage as storage
    from api.main import create_app
    from core.settings import Settings

    if hook is not None:
        storage.CHECKPOINT_HOOKS.append(hook)
    settings = Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None,
                        chroma_url=None, database_url=f"sqlite:///{home / 'state.db'}")
    uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning")).run(sockets=[sock])


def _start(home: Path, hook: Callable[[str], None] | None) -> tuple[int, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _serve(home, sock, hook)
        except BaseException:
            traceback.print_exc()
            code = 3
        os._exit(code)
    sock.close()
    return pid, url


def _ready(pid: int, url: str, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            raise RuntimeError("the server exited before it was ready")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url}/readyz did not answer 200 within {timeout} s")


def _stop(pid: int) -> int:
    """SIGTERM the server (SIGKILL after 20 s); its exit status (negative: the signal)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    for _ in range(400):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return -signal.SIGKILL


def _upload(url: str):  # type: ignore[no-untyped-def]
    import httpx

    return httpx.post(f"{url}/v1/kb/documents", files=[("files", (NAME, GUIDE.encode("utf-8"), "text/markdown"))],
                      timeout=120)


def _kill_mid_body(pid: int, url: str) -> None:
    """Send half a multipart upload, then kill the server while it waits for the rest."""
    boundary = "cehua-kill-boundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{NAME}\"\r\n"
            "Content-Type: text/markdown\r\n\r\n").encode() + GUIDE.encode("utf-8") * 2000
    body = part + f"\r\n--{boundary}--\r\n".encode()
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as conn:
        conn.sendall((f"POST /v1/kb/documents HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode())
        conn.sendall(body[: len(body) // 2])
        time.sleep(0.5)  # the server is reading (and spooling) the body
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _leftovers(home: Path, tmpdir: Path) -> list[str]:
    from knowledge.staging import PREFIX
    from knowledge.storage import TMP_PREFIX

    found = [str(p) for p in tmpdir.glob(f"{PREFIX}*")]
    found += [str(p.relative_to(home)) for p in (home / "kb").rglob(f"{TMP_PREFIX}*")]
    found += [str(p.relative_to(home)) for p in (home / "kb").rglob(f"{PREFIX}*")]
    return found


def _check(home: Path, tmpdir: Path, before: list[str]) -> None:
    """Start a fresh server on ``home`` and check it as a user would; AssertionError saying what is wrong."""
    import httpx

    from knowledge.storage import KbPaths, read_manifest

    pid, url = _start(home, None)
    try:
        _ready(pid, url)
        left = _leftovers(home, tmpdir)
        assert not left, f"left behind after a restart: {left}"
        docs = [d["doc_id"] for d in httpx.get(f"{url}/v1/kb/documents", timeout=30).json()["documents"]]
        assert docs in (before, [*before, "直播带货指南"]), f"documents {docs}, expected {before} (+ the upload)"
        hits = httpx.post(f"{url}/v1/search", json={"query": "主播话术要突出什么?", "k": 3}, timeout=30).json()
        assert hits["results"], f"search found nothing: {hits}"
        retry = _upload(url)
        assert retry.status_code == 201, f"the retried upload answered {retry.status_code}: {retry.text[:300]}"
        docs = [d["doc_id"] for d in httpx.get(f"{url}/v1/kb/documents", timeout=30).json()["documents"]]
        assert docs == [*before, "直播带货指南"], f"documents after the retry: {docs}"
        hit = httpx.post(f"{url}/v1/search", json={"query": "直播选品要看什么?", "k": 1}, timeout=30).json()
        assert hit["results"][0]["doc"] == "直播带货指南", f"the upload is not searchable: {hit}"
        left = _leftovers(home, tmpdir)
        assert not left, f"left behind by the retry: {left}"
        manifest = read_manifest(KbPaths(home))
        assert manifest is not None
        assert {p.name for p in KbPaths(home).docs.iterdir()} <= {d.storage for d in manifest.docs}
    finally:
        _stop(pid)




def main() -> None:
    home = Path(sys.argv[1])
    tmpdir = Path(os.environ["TMPDIR"])
    import chromadb  # noqa: F401  (imported once here, not in every child)
    import httpx  # noqa: F401
    import sklearn.decomposition  # noqa: F401
    import uvicorn  # noqa: F401

    import api.main  # noqa: F401
    from core.text.scripts import to_script, to_simplified
    from knowledge.tokens import tokenize

    tokenize("预热"), to_simplified("預熱"), to_script("预热", "zh-Hant")  # dictionaries loaded before forking

    before = json.loads((home / "docs.json").read_text(encoding="utf-8"))
    wanted = sys.argv[2:]
    work = home.parent / "work-upload"
    k = 0
    while True:
        k += 1
        if wanted and k > len(wanted):
            print(json.dumps({"done": True}), flush=True)
            return
        target = wanted[k - 1] if wanted else ""
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(home, work)
        if target == "mid-body":
            pid, url = _start(work, None)
            _ready(pid, url)
            _kill_mid_body(pid, url)
            step = target
        else:
            steps: list[str] = []

            def hook(name: str, k: int = k, target: str = target, steps: list[str] = steps) -> None:
                steps.append(name)
                if name == target or (not target and len(steps) == k):
                    (work / "killed-at").write_text(name, encoding="utf-8")
                    os.kill(os.getpid(), signal.SIGKILL)

            pid, url = _start(work, hook)
            _ready(pid, url)
            try:
                answered = _upload(url).status_code
            except Exception:  # noqa: BLE001 - the server died mid-request, as intended
                answered = 0
            status = _stop(pid)
            if answered == 201 and status != -signal.SIGKILL and not target:
                print(json.dumps({"done": True}), flush=True)
                return
            if status != -signal.SIGKILL:
                print(json.dumps({"k": k, "error": f"the upload never reached {target or k}: it answered "
                                  f"{answered}, the server ended with {status}"}), flush=True)
                return
            step = (work / "killed-at").read_text(encoding="utf-8")
            (work / "killed-at").unlink()
        checked = in_child(lambda: _check(work, tmpdir, before))
        print(json.dumps({"k": k, "step": step, "checked": checked}), flush=True)

if __name__ == "__main__":
    main()
