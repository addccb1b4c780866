"""Kill a knowledge-base writer at every durable step, then check the previous version and a retry.

Run by tests/knowledge/test_kb_crashes.py as ``python -m tests.knowledge.kill_driver HOME OP``. The
driver imports Cehua once and forks: a child runs OP on a fresh copy of HOME and SIGKILLs itself at
checkpoint k (as ``kill -9`` would: no cleanup handler runs); another child then opens the knowledge
base as a new process would, checks it and retries OP. Prints one JSON line per k.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

from tests.processes import in_child

GUIDE = "# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性,优先选择易演示的商品。\n"


def _kb(home: Path):  # type: ignore[no-untyped-def]
    from core.settings import Settings
    from knowledge.base import KnowledgeBase

    return KnowledgeBase(Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None,
                                  chroma_url=None))


def _operate(home: Path, op: str, guide: Path) -> None:
    kb = _kb(home)
    if op == "add":
        kb.add([guide])
    elif op == "rebuild":
        kb.rebuild()
    else:
        kb.remove("guide_b")




def _check(home: Path, op: str, guide: Path, before: list[str]) -> None:
    """The knowledge base as a new process sees it: usable, old or new, and a retry completes."""
    from knowledge.storage import TMP_PREFIX, read_manifest

    kb = _kb(home)
    docs = [d.doc_id for d in kb.list()]
    after = {"add": before + ["guide"], "rebuild": before, "remove": [d for d in before if d != "guide_b"]}[op]
    assert docs in (before, after), f"documents {docs}, expected {before} or {after}"
    hits = kb.search("主播话术要突出什么?", k=3).passages
    assert hits and hits[0].doc == "guide_a", f"search found {[h.doc for h in hits]}"
    try:
        _operate(home, op, guide)
    except Exception as exc:
        if not (op == "remove" and "no document 'guide_b'" in str(exc)):
            raise
    assert [d.doc_id for d in kb.list()] == after
    fresh = _kb(home)
    fresh.ensure_ready()  # a new start sweeps what the killed writer left
    manifest = read_manifest(fresh.paths)
    assert manifest is not None
    root = fresh.paths.root
    leftovers = [str(p.relative_to(root)) for p in root.rglob(f"{TMP_PREFIX}*")]
    assert not leftovers, f"temporary files left: {leftovers}"
    assert {p.name for p in fresh.paths.docs.iterdir()} <= {d.storage for d in manifest.docs}
    assert {p.name for p in fresh.paths.segments.iterdir()} <= {s.name for s in manifest.segments}
    assert {p.name for p in fresh.paths.embedders.iterdir()} <= {manifest.embedder}
    from knowledge.chroma_store import list_collections

    names = list_collections(fresh.settings, fresh.paths.chroma)
    assert len(names) == 1, f"collections {names}"


def main() -> None:
    home, op = Path(sys.argv[1]), sys.argv[2]
    import chromadb  # noqa: F401  (imported once here, not in every child)
    import sklearn.decomposition  # noqa: F401

    import knowledge.storage as storage
    from core.text.scripts import to_script, to_simplified
    from knowledge.tokens import tokenize

    tokenize("预热"), to_simplified("預熱"), to_script("预热", "zh-Hant")  # dictionaries loaded before forking

    work = home.parent / f"work-{op}"
    guide = home.parent / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    before = json.loads((home / "docs.json").read_text(encoding="utf-8"))
    k = 1
    while True:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(home, work)

        def killed_at_k(home: Path = work, k: int = k) -> None:
            calls = [0]

            def hook(step: str) -> None:
                calls[0] += 1
                if calls[0] == k:
                    sys.stdout.write(json.dumps({"k": k, "step": step}) + "\n")
                    sys.stdout.flush()
                    os.kill(os.getpid(), signal.SIGKILL)

            storage.CHECKPOINT_HOOKS.append(hook)
            _operate(home, op, guide)

        status = in_child(killed_at_k)
        if status == 0:
            print(json.dumps({"k": k, "done": True}), flush=True)
            return
        if status != -signal.SIGKILL:
            print(json.dumps({"k": k, "error": f"operation failed with {status}"}), flush=True)
            return
        checked = in_child(lambda: _check(work, op, guide, before))
        print(json.dumps({"k": k, "checked": checked}), flush=True)
        k += 1


if __name__ == "__main__":
    main()
