"""Declared = used: every third-party package our code imports is a declared dependency, and every
declared dependency is imported by our code (imports inside functions included)."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import grimp

from tests.paths import REPO_ROOT

PACKAGES = ("core", "knowledge", "prompts", "assistant", "api")
# Needed at run time but imported by a library, never by our code: FastAPI parses the kb upload forms
# with python-multipart (it refuses to define File/Form routes without it).
USED_THROUGH_A_LIBRARY = {"python-multipart": "FastAPI's File/Form parameters (api/routes/kb.py)"}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    """The distributions ``[project].dependencies`` names."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalized(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def imported() -> dict[str, set[str]]:
    """Each third-party distribution our packages import, with the modules that import it."""
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for module in graph.modules:
        top = module.split(".")[0]
        if top in PACKAGES or top in sys.stdlib_module_names or top == "__future__":
            continue
        for distribution in owners.get(top, [top]):
            found.setdefault(_normalized(distribution), set()).update(
                graph.find_modules_that_directly_import(module))
    return found


def test_every_imported_package_is_declared() -> None:
    undeclared = {dist: sorted(users)[:3] for dist, users in imported().items() if dist not in declared()}
    assert undeclared == {}, "declare these in pyproject.toml [project].dependencies, or stop importing them"


def test_every_declared_dependency_is_imported() -> None:
    unused = declared() - set(imported()) - set(USED_THROUGH_A_LIBRARY)
    assert unused == set(), "remove these from pyproject.toml, or use them for what they are for"


def test_the_library_used_dependencies_are_still_needed() -> None:
    kb_routes = (REPO_ROOT / "api" / "routes" / "kb.py").read_text(encoding="utf-8")
    assert "UploadFile" in kb_routes or "Form(" in kb_routes, "python-multipart is no longer needed: remove it"


def test_every_data_file_of_a_package_is_installed_with_it() -> None:
    """A file our code reads beside its modules (a fitted model, a template, a word list) is listed in
    ``[tool.setuptools.package-data]``: ``pip install .`` (not editable) ships only what is listed there.
    The relevance model and its training questions were missing, so such an install fitted at first search."""
    listed = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]
    unlisted = []
    for package in PACKAGES:
        root = REPO_ROOT / package
        shipped = {path for pattern in listed.get(package, []) for path in root.glob(pattern)}
        for path in root.rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts \
                    and path not in shipped:
                unlisted.append(str(path.relative_to(REPO_ROOT)))
    assert unlisted == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
