"""Options every command shares, declared once so that they read the same everywhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

PLAYBOOK_HELP = "Playbook folder, its playbook.yaml, or the name of a bundled playbook (default: itam)."


def playbook_option(function: F) -> F:
    """``-p/--playbook PLAYBOOK``, the way every command that reads a playbook takes it."""
    return click.option("-p", "--playbook", "playbook", metavar="PLAYBOOK", help=PLAYBOOK_HELP)(function)


def playbook_argument(function: F) -> F:
    """``-p PLAYBOOK`` plus an optional positional PLAYBOOK, for the authors' commands.

    Authors and pre-commit hooks name the playbook folder as the argument
    (``dealbook lint playbooks/itam``); ``-p`` works the same, as on every
    other command. Naming two different playbooks is a usage error.
    """

    @functools.wraps(function)
    def merged(*args: Any, playbook: str | None = None, playbook_path: str | None = None, **kwargs: Any) -> Any:
        if playbook is not None and playbook_path is not None and playbook != playbook_path:
            raise click.UsageError(f"two playbooks given: -p {playbook} and {playbook_path}; name one")
        return function(*args, playbook=playbook if playbook is not None else playbook_path, **kwargs)

    with_argument = click.argument("playbook_path", required=False, metavar="[PLAYBOOK]")(merged)
    return playbook_option(with_argument)  # type: ignore[return-value]


def format_option(*choices: str, default: str | None = None, help: str | None = None) -> Callable[[F], F]:
    """``--format`` limited to ``choices``: a wrong value is a usage error (exit 2)."""
    return click.option("--format", "output_format", type=click.Choice(choices), default=default,
                        show_default=default is not None, help=help)
