"""The ``dealbook`` command: a thin layer over the library.

Each command parses its options and calls one library function. Every
:class:`~dealbook.errors.DealbookError` is turned into readable lines on
stderr and an exit code by one handler (:class:`_Group`); nothing prints a
traceback at a user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .._version import __version__
from ..errors import EXIT_INTERRUPTED, EXIT_INVALID, DealbookError

PLAYBOOK_HELP = "Playbook folder, its playbook.yaml, or the name of a bundled playbook (default: itam)."


class _Group(click.Group):
    """A click group whose commands report DealbookErrors as lines, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DealbookError as error:
            for line in error.lines():
                click.echo(line, err=True)
            ctx.exit(EXIT_INVALID)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dealbook")
def main() -> None:
    """dealbook turns a negotiation playbook into guidance for one deal."""


@main.command()
@click.argument("playbook", required=False)
def validate(playbook: str | None) -> None:
    """Check a playbook and print a summary, or every problem found.

    Problems print as FILE:LINE:COL: MESSAGE [YAML/PATH]; the exit code is 1
    when there are any.
    """
    from ..playbook.load import load_playbook
    from ..renderers.text import playbook_summary

    click.echo(playbook_summary(load_playbook(playbook)))


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-p", "--playbook", help=PLAYBOOK_HELP)
@click.option("--explain", is_flag=True, help="Show why each item applies, each rule fired, and the clause text.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
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


# --- briefing pack commands (issue 4) ---


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-p", "--playbook", help=PLAYBOOK_HELP)
@click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: named after the deal).")
@click.option("--format", "formats", default="md,docx,html", show_default=True, help="Comma-separated formats: md, docx, html.")
@click.option("--reference-docx", type=click.Path(dir_okay=False, path_type=Path), help="Word document whose styles to use.")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), help="Folder of templates overriding the bundled ones by file name.")
@click.option("--audience", type=click.Choice(["internal", "vendor"]), default="internal", show_default=True,
              help="internal: the negotiation pack; vendor: the proposal to send, with nothing internal in it.")
def brief(answers: Path, playbook: str | None, outdir: Path | None, formats: str, reference_docx: Path | None, templates: Path | None,
          audience: str) -> None:
    """Write the briefing pack for a deal: deal sheet, checklist, term sheet, redlines and the combined pack (or the vendor proposal)."""
    from .. import evaluate_file
    from ..renderers import write_briefing_pack

    evaluation = evaluate_file(answers, playbook)
    written = write_briefing_pack(evaluation, outdir, formats.replace(" ", "").split(","), templates=templates, reference_docx=reference_docx,
                                  audience=audience)
    click.echo(f"wrote {len(written)} files to {written[0].parent}/")
    for path in written:
        click.echo(f"  {path.name}")


# --- questionnaire and interview commands (issue 5) ---


@main.command()
@click.option("-p", "--playbook", help=PLAYBOOK_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of printing; an existing answers file keeps its answers and is kept as FILE.bak.")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), help="yaml (with comments) or json (default: from FILE's name, else yaml).")
def questionnaire(playbook: str | None, output: Path | None, output_format: str | None) -> None:
    """Write a blank answers file to fill in by hand: every question, with its help, as comments."""
    from ..playbook.load import load_playbook
    from ..intake.questionnaire import questionnaire_text, write_questionnaire

    loaded = load_playbook(playbook)
    if output is None:
        click.echo(questionnaire_text(loaded, fmt=output_format or "yaml"), nl=False)
    else:
        click.echo(f"wrote {write_questionnaire(loaded, output, output_format)}", err=True)


@main.command()
@click.argument("answers", required=False, default="deal.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-p", "--playbook", help=PLAYBOOK_HELP)
@click.option("--review", is_flag=True, help="Walk through every answer given so far, to change any.")
def interview(answers: Path, playbook: str | None, review: bool) -> None:
    """Ask a deal's questions one at a time in the terminal, saving ANSWERS (default: deal.yaml)
    after every answer. Run it again on the same file to carry on where you stopped."""
    from .asker import terminal_asker
    from ..intake.interview import interview_file

    interview_file(answers, playbook, terminal_asker(), review=review)


# --- playbook authors' commands (issue 6) ---


@main.command()
@click.argument("playbook", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings as well as errors.")
@click.option("--ignore", multiple=True, metavar="CODE", help="Skip a lint code, e.g. --ignore U101 (repeatable).")
def lint(playbook: str | None, output_format: str, strict: bool, ignore: tuple[str, ...]) -> None:
    """Find likely mistakes in a valid PLAYBOOK, as FILE:LINE:COL: CODE message.

    Codes are listed in docs/authoring-tools.md. Exit code 1 when there is an
    error-level finding (or any finding, with --strict).
    """
    from ..authoring.lint import lint_report

    text, failed = lint_report(playbook, output_format=output_format, strict=strict, ignore=ignore)
    click.echo(text)
    sys.exit(EXIT_INVALID if failed else 0)


@main.command("test")
@click.argument("playbook", required=False)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=0, metavar="N", help="Fail when condition coverage is below N%.")
def test_command(playbook: str | None, files: tuple[Path, ...], min_coverage: float) -> None:
    """Run PLAYBOOK's scenario tests (tests/*.yaml beside playbook.yaml, or FILES).

    Prints PASS/FAIL per scenario with - expected / + actual lines, and the
    items, rules and condition outcomes the scenarios exercised.
    """
    from ..authoring.scenarios import scenario_report

    text, failed = scenario_report(playbook, files, min_coverage=min_coverage)
    click.echo(text)
    sys.exit(EXIT_INVALID if failed else 0)


@main.command()
@click.argument("playbook", required=False)
@click.option("--exhaustive", is_flag=True, help="Check every combination of finite answers (required: the only check so far).")
@click.option("--limit", type=click.IntRange(1), default=200_000, show_default=True, help="Largest number of combinations enumerated per check; larger ones are sampled.")
@click.option("--samples", type=click.IntRange(1), default=20_000, show_default=True, help="Deals drawn per check that exceeds --limit.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampling (printed, so a run can be repeated).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(playbook: str | None, exhaustive: bool, limit: int, samples: int, seed: int, output_format: str) -> None:
    """Find rule conflicts, unreachable items, critical flags without approvers and
    clause templates that fail, each with an example deal. Exit code 1 on findings."""
    from ..authoring.exhaustive import exhaustive_report

    if not exhaustive:
        raise click.UsageError("say which check to run: dealbook check --exhaustive [PLAYBOOK]")
    text, found = exhaustive_report(playbook, limit=limit, samples=samples, seed=seed, output_format=output_format)
    click.echo(text)
    sys.exit(EXIT_INVALID if found else 0)


@main.command()
@click.argument("playbook", required=False)
@click.option("--effective", is_flag=True, help="Print the merged playbook, each element with the layer and file it came from.")
def show(playbook: str | None, effective: bool) -> None:
    """Show a playbook as dealbook uses it (for an overlay: all layers merged)."""
    from ..authoring.show import effective_playbook

    if not effective:
        raise click.UsageError("say what to show: dealbook show --effective [PLAYBOOK]")
    click.echo(effective_playbook(playbook), nl=False)


@main.command()
@click.argument("kind", required=False, default="playbook")
def schema(kind: str) -> None:
    """Print the JSON Schema for KIND: playbook (default), module, questions,
    answers, evaluation, overlay or scenarios. Editors use it to complete and check YAML."""
    from ..authoring.show import schema_for

    click.echo(schema_for(kind), nl=False)


@main.command()
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """Describe what changed from playbook OLD to playbook NEW (folders or bundled names),
    as Markdown for a pull request: questions, facts, terms, items, positions, clauses and rules."""
    from ..authoring.diff import diff_report

    click.echo(diff_report(old, new))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
