"""A fresh clone with nothing beside it runs every test: the data the tests read is inside the repository."""

from __future__ import annotations

import json
import re

from tests.paths import EVAL_BRIEFS, EVAL_PLANS, EVAL_QUESTIONS, REPO_ROOT


def test_dev_evaluation_sets_are_in_the_repository() -> None:
    assert EVAL_QUESTIONS.is_relative_to(REPO_ROOT)
    assert len(EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines()) >= 10
    expected = json.loads((EVAL_PLANS / "expected.json").read_text(encoding="utf-8"))
    assert expected and all((EVAL_PLANS / name).is_file() for name in expected)
    assert len(sorted(EVAL_BRIEFS.glob("*.yaml"))) >= 2


def test_no_test_or_benchmark_reads_outside_the_checkout() -> None:
    outside = re.compile(r"""\.\./shared|["']shared["']\s*/|parent\s*/\s*["']shared""")
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in sorted((REPO_ROOT / "tests").rglob("*.py"))
        if path.name != "test_fresh_clone.py" and outside.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_license_pyproject_names_is_in_the_repository() -> None:
    import tomllib

    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert declared == {"text": "Apache-2.0"}
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("Apache License\n") and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
