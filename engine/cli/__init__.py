"""The ``dealbook`` command: a thin layer over the library.

Each command parses its options and calls library functions; the glue that
turns their results into printed text and exit codes lives here, not in the
library. Every :class:`~dealbook.errors.DealbookError` is turned into
readable lines on stderr and its exit code by one handler
(:class:`DealbookGroup`); nothing prints a traceback at a user.

Commands import the library inside their bodies: ``dealbook --help`` and a
command that needs only the playbook loader do not pay for the renderers,
python-docx or the authoring tools.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .._version import __version__
from ..errors import EXIT_INTERRUPTED, DealbookError
from . import authoring, deal, intake, paper

__all__ = ["main", "DealbookGroup"]


class DealbookGroup(click.Group):
    """A click group whose commands report DealbookErrors as lines, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DealbookError as error:
            for line in error.lines():
                click.echo(line, err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        finally:
            _warn_about_the_cache()


def _warn_about_the_cache() -> None:
    """Say once why the cache was not used, if the command looked for it and refused an unsafe folder."""
    from ..infra.cache import cache_folder, cache_refusal

    if cache_folder.cache_info().currsize and cache_refusal():
        click.echo(f"warning: {cache_refusal()}", err=True)


@click.group(cls=DealbookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dealbook")
def main() -> None:
    """dealbook turns a negotiation playbook into guidance for one deal."""


for _module in (deal, intake, authoring, paper):
    for _command in _module.COMMANDS:
        main.add_command(_command)

from .web import serve as _serve  # noqa: E402 - registered after the group is defined

main.add_command(_serve)


from . import negotiation  # noqa: E402 - registered last, so that merges stay one line

for _command in negotiation.COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
