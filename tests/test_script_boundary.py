"""Script at one boundary: Simplified inside Cehua, the reader's script once, where results leave.

Only the converter itself (``core/text/scripts.py``, ``core/text/stream.py``) and the output boundary
(``assistant/script_boundary.py``) may convert text to a reader's script; every other module works in
Simplified (``to_simplified``, normalising what comes in, is fine anywhere) and calls the boundary.
"""

from __future__ import annotations

import ast

import pytest

from tests.paths import REPO_ROOT

PACKAGES = ("core", "knowledge", "prompts", "assistant", "api")
# The converters that write a reader's script (Traditional) and the stream that applies them.
CONVERTERS = frozenset({"to_script", "to_traditional", "ScriptStream", "convert_stream"})
BOUNDARY = frozenset({"core/text/scripts.py", "core/text/stream.py", "assistant/script_boundary.py"})


def conversion_calls(source: str) -> list[int]:
    """Line numbers where ``source`` names one of the converters (a call, an import, a reference)."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in CONVERTERS or (
                isinstance(node, ast.Attribute) and node.attr in CONVERTERS):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            lines.extend(node.lineno for alias in node.names if alias.name in CONVERTERS)
    return sorted(set(lines))


def test_only_the_output_boundary_converts_to_the_readers_script() -> None:
    """Convert where results leave Cehua: call ``assistant.script_boundary`` (``text``, ``citations``,
    ``findings``, ``passages``, ``Writer`` for streams) instead of converting inside domain code."""
    found = [f"{path.relative_to(REPO_ROOT)}:{line}"
             for package in PACKAGES for path in sorted((REPO_ROOT / package).rglob("*.py"))
             if path.relative_to(REPO_ROOT).as_posix() not in BOUNDARY
             for line in conversion_calls(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize(("source", "expected"), [
    ("from core.text.scripts import to_script\n", [1]),
    ("import core.text.scripts as s\nx = s.to_traditional('a')\n", [2]),
    ("from core.text import stream\nw = stream.ScriptStream('zh-Hant')\n", [2]),
    ("def f(to_script):\n    return to_script\n", [2]),
    ("from core.text.scripts import to_simplified\nx = to_simplified('乾淨')\n", []),
])
def test_conversion_calls_are_found_however_they_are_written(source: str, expected: list[int]) -> None:
    assert conversion_calls(source) == expected


def test_the_boundary_modules_exist() -> None:
    assert all((REPO_ROOT / path).is_file() for path in BOUNDARY)
