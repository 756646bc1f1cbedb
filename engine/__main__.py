"""The ``dealbook`` command's entry point (also ``python -m dealbook``).

It imports the command line itself, so that a Ctrl-C while Python is still
importing dealbook ends quietly with exit code 130 instead of a traceback,
and it sets the garbage collector for a short-lived process that builds one
large, long-lived model: collections are rarer, and the loaded playbook is
frozen out of them (see :func:`dealbook.cli.deal`).
"""

from __future__ import annotations

import gc
import sys

EXIT_INTERRUPTED = 130


def run() -> None:
    """Run the ``dealbook`` command line."""
    gc.set_threshold(20_000, 50, 100)
    try:
        from .cli import main  # noqa: PLC0415 - inside the guard, so Ctrl-C during imports is caught

        main()
    except KeyboardInterrupt:  # before or after a command runs (a command's own Ctrl-C exits 130 there)
        sys.stderr.write("interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None


if __name__ == "__main__":
    run()
