"""The ``cehua`` command line: the same capabilities as the API, from a terminal.

Each command group lives in its own module and registers itself on ``main``; this module only
assembles them and turns ``CehuaError`` into a one-line message and an exit code.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from core.disk import disk_error
from core.errors import CehuaError


class _CehuaGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CehuaError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            # A full or read-only disk is one line naming the path and the fix, not a traceback.
            store = disk_error(exc)
            if store is None:
                raise
            click.echo(f"error: {store.message}", err=True)
            sys.exit(store.exit_code)


@click.group(cls=_CehuaGroup)
@click.version_option(package_name="cehua")
def main() -> None:
    """Cehua (策劃): answers from marketing guidebooks, plans drafted and checked."""


# Command modules, imported for their side effect of adding commands to ``main``.
_COMMAND_MODULES: list[str] = [
    "cmd_keys",
    "cmd_serve",
    "cmd_search",
    "cmd_kb",
    "cmd_eval",
    "cmd_eval_answers",
    "cmd_ask",
    "cmd_draft",
    "cmd_validate",
]


def _register() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"assistant.cli.{name}")


_register()

__all__ = ["main"]
