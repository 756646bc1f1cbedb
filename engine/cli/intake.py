"""Filling in a deal: ``questionnaire`` and ``interview``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import format_option, playbook_option

# Library imports sit inside the commands (PLC0415): start-up stays fast.


@click.command()
@playbook_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of printing; an existing answers file keeps its answers and is kept as FILE.bak.")
@format_option("yaml", "json", help="yaml (with comments) or json (default: from FILE's name, else yaml).")
@click.option("--schema", default="", metavar="PATH",
              help="The schema the file's modeline points editors to, e.g. one written by `dealbook schema answers -p PLAYBOOK` (default: the bundled answers schema).")
def questionnaire(playbook: str | None, output: Path | None, output_format: str | None, schema: str) -> None:
    """Write a blank answers file to fill in by hand: every question, with its help, as comments."""
    from ..intake.questionnaire import AnswerSheet, questionnaire_text, write_questionnaire
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook)
    if output is None:
        click.echo(questionnaire_text(loaded, AnswerSheet(schema=schema), fmt=output_format or "yaml"), nl=False)
    else:
        click.echo(f"wrote {write_questionnaire(loaded, output, output_format, schema=schema)}", err=True)


@click.command()
@click.argument("answers", required=False, default="deal.yaml", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("--review", is_flag=True, help="Walk through every answer given so far, to change any.")
def interview(answers: Path, playbook: str | None, review: bool) -> None:
    """Ask a deal's questions one at a time in the terminal, saving ANSWERS (default: deal.yaml)
    after every answer. Run it again on the same file to carry on where you stopped."""
    from ..intake.interview import run_interview
    from ..playbook.load import load_playbook
    from .asker import terminal_asker

    asker = terminal_asker()
    run_interview(load_playbook(playbook), answers, asker, review=review)


COMMANDS = (questionnaire, interview)
