"""``dealbook review``: the vendor's paper, marked up against the deal."""

from __future__ import annotations

from pathlib import Path

import click

from .options import playbook_option

__all__ = ["COMMANDS", "review"]


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paper", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: the paper's folder).")
@click.option("--audience", type=click.Choice(["internal", "vendor"]), default="internal", show_default=True,
              help="internal: positions, tiers, owners and pattern locations; vendor: our asks and language only, fit to send.")
@click.option("--author", help="Author of comments and tracked changes (default: the deal's negotiator).")
@click.option("--format", "formats", default="md,docx,html,json", show_default=True, help="Issues-list formats, comma-separated.")
def review(answers: Path, paper: Path, playbook: str | None, outdir: Path | None, audience: str, author: str | None, formats: str) -> None:
    """Review the vendor's PAPER (.docx or .md) against the deal in ANSWERS.

    Writes PAPER.reviewed.docx (the vendor's own file with comments on the
    clauses that fall short and tracked changes proposing our language) and an
    issues list (Markdown, Word, HTML, JSON).
    """
    from .. import evaluate_file
    from ..paper import review_file, write_review

    evaluation = evaluate_file(answers, playbook)
    result = review_file(evaluation, paper)
    written = write_review(result, outdir, audience=audience, author=author,
                           formats=tuple(name for name in formats.replace(" ", "").split(",") if name))
    issues = len(result.issues)
    click.echo(f"{len(result.findings)} items checked in {paper.name}: {issues} issue(s), {len(result.met)} already met; "
               f"wrote {len(written)} files to {written[0].parent}/")
    for path in written:
        click.echo(f"  {path.name}")


COMMANDS = [review]
