"""The offline knowledge base and chat service the benchmarks measure, on a throwaway data directory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


def offline_chat() -> tuple[Any, Any, Any]:
    """(settings, knowledge base, ChatService) over the bundled guidebooks indexed under CEHUA_HOME (a temporary
    directory when unset) with state in a temporary SQLite file; the index is built when missing."""
    home = os.environ.get("CEHUA_HOME") or tempfile.mkdtemp(prefix="cehua-bench-")
    os.environ["CEHUA_HOME"] = home
    state = tempfile.mkdtemp(prefix="cehua-bench-state-")

    from assistant.chat import ChatService
    from core.settings import Settings
    from knowledge import open_knowledge_base

    settings = Settings(home=Path(home), database_url=f"sqlite:///{state}/bench.db")
    kb = open_knowledge_base(settings)
    kb.ensure_ready()
    return settings, kb, ChatService(settings, kb)
