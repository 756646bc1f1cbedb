"""Negotiators' commands on one deal: ``evaluate`` and ``brief``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import format_option, playbook_option

# Library imports sit inside the commands (PLC0415): start-up stays fast.


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("--explain", is_flag=True, help="Show why each item applies, each rule fired, and the clause text.")
@format_option("text", "json", default="text")
def evaluate(answers: Path, playbook: str | None, explain: bool, output_format: str) -> None:
    """Evaluate a deal's ANSWERS file: the items, terms, flags and approvers that apply."""
    from .. import evaluate_file
    from ..renderers.data import evaluation_to_data
    from ..renderers.text import evaluation_text

    evaluation = evaluate_file(answers, playbook)
    if output_format == "json":
        click.echo(json.dumps(evaluation_to_data(evaluation, explain=explain), indent=2, ensure_ascii=False))
    else:
        click.echo(evaluation_text(evaluation, explain=explain))


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
@click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: named after the deal).")
@click.option("--format", "formats", type=FormatList(("md", "docx", "html")), default="md,docx,html", show_default=True,
              help="Comma-separated formats: md, docx, html.")
@click.option("--reference-docx", type=click.Path(dir_okay=False, path_type=Path), help="Word document whose styles to use.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), help="Folder of templates overriding the bundled ones by file name.")
def brief(answers: Path, playbook: str | None, outdir: Path | None, formats: list[str], reference_docx: Path | None, templates: Path | None) -> None:
    """Write the briefing pack for a deal: checklist, term sheet, redline guidance and the combined pack."""
    from .. import evaluate_file
    from ..renderers import write_briefing_pack

    evaluation = evaluate_file(answers, playbook)
    written = write_briefing_pack(evaluation, outdir, formats, templates=templates, reference_docx=reference_docx)
    click.echo(f"wrote {len(written)} files to {written[0].parent}/")
    for path in written:
        click.echo(f"  {path.name}")


COMMANDS = (evaluate, brief)
