"""Layers point down and modules keep their private names: the test command fails on a wrong arrow.

The import contracts live in pyproject.toml ([tool.importlinter]); this runs them with import-linter.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT

PACKAGES = ("core", "knowledge", "prompts", "assistant", "api")


def test_import_contracts_hold() -> None:
    """core <- knowledge, prompts <- assistant <- api, the CLI beside api, and no cycles (even through
    imports inside functions)."""
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(name: str) -> bool:
    path = REPO_ROOT / Path(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def private_imports(source: str, here: str) -> list[str]:
    """``module: name`` for each private name of another of our modules that the module ``here``
    (its ``source``) imports or reaches into (``from x import _y``, ``x._y``)."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> our module it stands for
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name):
                    modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _ours(node.module):
            for alias in node.names:
                if _private(alias.name) and node.module != here:
                    found.append(f"{here}: {node.module}.{alias.name}")
                else:
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
            target = modules.get(node.value.id)
            if target is not None and target != here and _is_module(target):
                found.append(f"{here}: {target}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    """A name starting with '_' belongs to its module: make it public (and say so in ``__all__``) or
    move the code that needs it."""
    found = [hit for package in PACKAGES for path in sorted((REPO_ROOT / package).rglob("*.py"))
             for hit in private_imports(path.read_text(encoding="utf-8"), _module_name(path))]
    assert found == []


def test_the_private_name_check_sees_both_forms() -> None:
    source = ("from core.text.numerals import _MIXED, parse_number\nimport core.text.segment as seg\n"
              "from core.text import scripts\n\n"
              "def f() -> object:\n    return seg._loaded(), scripts._converter, parse_number, _MIXED\n")
    assert sorted(private_imports(source, "assistant.probe")) == [
        "assistant.probe: core.text.numerals._MIXED", "assistant.probe: core.text.scripts._converter",
        "assistant.probe: core.text.segment._loaded"]
    # A module's own private names are its own to use.
    assert "core.text.numerals: core.text.numerals._MIXED" not in private_imports(source, "core.text.numerals")


def test_the_readme_layout_names_files_that_exist() -> None:
    """The README's map of where things live points at real files and folders."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Development")]
    paths = {p for p in re.findall(r"`([\w./*-]+/[\w./*-]*)`", layout) if "*" not in p}
    assert len(paths) >= 10
    assert sorted(p for p in paths if not (REPO_ROOT / p).exists()) == []
    for top in ("core/", "knowledge/", "prompts/", "assistant/", "api/"):
        assert f"\n{top}" in layout, top
