"""``python -m assistant.cli``: the ``cehua`` command where its script is not on PATH (``pip install --user``,
a checkout run with PYTHONPATH)."""

from assistant.cli import main

main(prog_name="cehua")
