"""Negotiators' commands on one deal: ``evaluate`` and ``brief``."""

from __future__ import annotations

import gc
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .options import format_option, playbook_option

# Library imports sit inside the commands (PLC0415): start-up stays fast.


def evaluated(answers: Path, playbook: str | None) -> Any:
    """Load the playbook, freeze it out of the garbage collector's work (it lives as long as the
    process), then read the answers and evaluate."""
    from ..deal.answers import read_answers
    from ..deal.evaluate import evaluate
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook)
    gc.freeze()
    return evaluate(loaded, read_answers(answers, loaded), require_complete=True)


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("--explain", is_flag=True, help="Show why each item applies, each rule fired, and the clause text.")
@format_option("text", "json", default="text")
def evaluate(answers: Path, playbook: str | None, explain: bool, output_format: str) -> None:
    """Evaluate a deal's ANSWERS file: the items, terms, flags and approvers that apply."""
    from ..renderers.data import evaluation_to_data
    from ..renderers.text import evaluation_text

    evaluation = evaluated(answers, playbook)
    if output_format == "json":
        click.echo(json.dumps(evaluation_to_data(evaluation, explain=explain), indent=2, ensure_ascii=False))
    else:
        click.echo(evaluation_text(evaluation, explain=explain))


def _folder_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("must not be empty; leave -o out to use the folder named after the deal", ctx, param)
    return Path(value)


@contextmanager
def signal_ignored(number: int) -> Iterator[None]:
    """Ignore a signal for the rest of a command's output."""
    previous = signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(number, previous)


class FormatList(click.ParamType):
    """A comma-separated list of output formats, each one of ``choices``."""

    name = "formats"

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        names = [name for name in str(value).replace(" ", "").split(",") if name]
        unknown = [name for name in names if name not in self.choices]
        if unknown or not names:
            self.fail(f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(self.choices)}", param, ctx)
        return list(dict.fromkeys(names))


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("-o", "--outdir", callback=_folder_option, help="Output folder (default: named after the deal).")
@click.option("--format", "formats", type=FormatList(("md", "docx", "html")), default="md,docx,html", show_default=True,
              help="Comma-separated formats: md, docx, html.")
@click.option("--reference-docx", type=click.Path(dir_okay=False, path_type=Path), help="Word document whose styles to use.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), help="Folder of templates overriding the bundled ones by file name.")
@click.option("--audience", type=click.Choice(["internal", "vendor"]), default="internal", show_default=True,
              help="internal: the negotiation pack; vendor: the proposal to send, with nothing internal in it.")
def brief(answers: Path, playbook: str | None, outdir: Path | None, formats: list[str], reference_docx: Path | None, templates: Path | None,
          audience: str) -> None:
    """Write the briefing pack for a deal: deal sheet, checklist, term sheet, redlines and the combined pack (or the vendor proposal)."""
    from ..infra.helper import start_helper
    from ..negotiation.pack import standings_for
    from ..renderers import write_briefing_pack
    from ..renderers.pack import helper_modules

    # Forked before the playbook is loaded, so that the helper's own imports overlap the loading and rendering here.
    modules = helper_modules(formats)
    helper = start_helper(modules) if modules else None
    try:
        evaluation = evaluated(answers, playbook)
        written = write_briefing_pack(evaluation, outdir, formats, templates=templates, reference_docx=reference_docx,
                                      audience=audience, standings=standings_for(answers, evaluation), helper=helper)
    finally:
        if helper is not None:
            helper.close()
    lines = [f"wrote {len(written)} files to {written.folder}/", *(f"  {path.name}" for path in written)]
    if written.kept is not None:
        lines.append(f"the previous pack had changes ({', '.join(written.changed)}); it is kept as {written.kept}/")
    with signal_ignored(signal.SIGINT):  # the pack is written: a late Ctrl-C must not turn it into a failure
        click.echo("\n".join(lines))


COMMANDS = (evaluate, brief)
