"""Playbook authors' commands: validate, lint, test, check, show, schema, diff.

Each takes the playbook as ``-p PLAYBOOK`` or as its argument (as pre-commit
hooks pass it), and exits 1 when it finds problems.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..errors import EXIT_INVALID
from .options import format_option, playbook_argument, playbook_option

# Library imports sit inside the commands (PLC0415): start-up stays fast.


@click.command()
@playbook_argument
def validate(playbook: str | None) -> None:
    """Check a playbook and print a summary, or every problem found.

    Problems print as FILE:LINE:COL: MESSAGE [YAML/PATH]; the exit code is 1
    when there are any.
    """
    from ..authoring.unlisted import unlisted_files
    from ..playbook.load import load_playbook
    from ..renderers.text import playbook_summary

    loaded = load_playbook(playbook)
    for warning in unlisted_files(loaded):
        click.echo(str(warning), err=True)
    click.echo(playbook_summary(loaded))


def lint_report(playbook: str | Path | None, *, output_format: str = "text", strict: bool = False, ignore: Iterable[str] = ()) -> tuple[str, bool]:
    """Load and lint a playbook: ``(text or JSON, whether it fails)`` — errors fail, warnings with ``strict``."""
    from ..authoring.lint import ERROR, findings_data, findings_text, lint_playbook
    from ..playbook.load import load_playbook

    findings = lint_playbook(load_playbook(playbook), ignore=ignore)
    failed = any(finding.severity == ERROR or strict for finding in findings)
    text = json.dumps(findings_data(findings), indent=2, ensure_ascii=False) if output_format == "json" else findings_text(findings)
    return text, failed


@click.command()
@playbook_argument
@format_option("text", "json", default="text")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings as well as errors.")
@click.option("--ignore", multiple=True, metavar="CODE", help="Skip a lint code, e.g. --ignore U101 (repeatable).")
def lint(playbook: str | None, output_format: str, strict: bool, ignore: tuple[str, ...]) -> None:
    """Find likely mistakes in a valid PLAYBOOK, as FILE:LINE:COL: CODE message.

    Codes are listed in docs/authoring-tools.md. Exit code 1 when there is an
    error-level finding (or any finding, with --strict).
    """
    text, failed = lint_report(playbook, output_format=output_format, strict=strict, ignore=ignore)
    click.echo(text)
    sys.exit(EXIT_INVALID if failed else 0)


def scenario_report(playbook: str | Path | None, files: Iterable[Path] = (), *, min_coverage: float = 0.0, base_tests: bool = False) -> tuple[str, bool]:
    """Load a playbook and run its scenarios (or ``files``): ``(text, whether it fails)``.

    It fails when a scenario fails, when there are no scenarios, or when
    condition coverage is below ``min_coverage`` percent. With ``base_tests``,
    an overlay runs the scenarios of the playbook it extends, expectations
    about what it changed marked as such.
    """
    from ..authoring.base_tests import base_scenario_files
    from ..authoring.scenarios import Coverage, load_scenarios, run_scenarios, run_text, scenario_files
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook)
    changed: frozenset[str] = frozenset()
    if base_tests:
        paths, changed = base_scenario_files(playbook)
        if not paths:
            return "no base scenarios: the playbook extends none, or the one it extends has no tests/*.yaml", True
    else:
        paths = list(files) or scenario_files(loaded)
    if not paths:
        return f"no scenario files: put them in {Path(loaded.root) / 'tests'}/*.yaml", True
    from ..authoring.pattern_checks import coverage_lines, example_failures

    run = run_scenarios(loaded, load_scenarios(loaded, paths, tolerate=changed), changed=changed)
    text = "\n".join([run_text(run), *coverage_lines(loaded)])
    covered = Coverage.percent(run.coverage.outcomes)
    if covered < min_coverage:
        text += f"\ncondition coverage {covered:.1f}% is below the minimum of {min_coverage:g}%"
    return text, bool(run.failed) or covered < min_coverage or bool(example_failures(loaded))


@click.command("test")
@playbook_argument
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A scenario file to run instead of the playbook's tests/*.yaml (repeatable).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=0, metavar="N", help="Fail when condition coverage is below N%.")
@click.option("--base", "base_tests", is_flag=True, help="For an overlay: run the scenarios of the playbook it extends, marking expectations the overlay changes.")
@click.option("--record", is_flag=True, help="First write expectations for scenarios that have none, from the current result (review them; FILE.bak keeps the file as it was).")
def test_command(playbook: str | None, files: tuple[Path, ...], min_coverage: float, base_tests: bool, record: bool) -> None:
    """Run a playbook's scenario tests (tests/*.yaml beside playbook.yaml, or each --file).

    Prints PASS/FAIL per scenario with - expected / + actual lines, and the
    items, rules and condition outcomes the scenarios exercised.
    """
    if record:
        from ..authoring.record import record_scenarios
        from ..authoring.scenarios import scenario_files
        from ..playbook.load import load_playbook

        loaded = load_playbook(playbook)
        for path, count in record_scenarios(loaded, list(files) or scenario_files(loaded)):
            click.echo(f"recorded expectations for {count} scenario(s) in {path}; review them (the file as it was: {path}.bak)", err=True)
    text, failed = scenario_report(playbook, files, min_coverage=min_coverage, base_tests=base_tests)
    click.echo(text)
    sys.exit(EXIT_INVALID if failed else 0)


@click.command()
@playbook_argument
@click.option("--exhaustive", is_flag=True, hidden=True, help="The check this command runs (accepted for older scripts).")
@click.option("--limit", type=click.IntRange(1), default=200_000, show_default=True, help="Largest number of combinations enumerated per check; larger ones are sampled.")
@click.option("--samples", type=click.IntRange(1), default=20_000, show_default=True, help="Deals drawn per check that exceeds --limit.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampling (printed, so a run can be repeated).")
@format_option("text", "json", default="text")
def check(playbook: str | None, exhaustive: bool, limit: int, samples: int, seed: int, output_format: str) -> None:
    """Check every combination of finite answers: rule conflicts, unreachable items, critical
    flags without approvers and clause templates that fail, each with an example deal. Exit code 1 on findings."""
    from ..authoring.exhaustive import check_exhaustive, report_data, report_text
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook)
    report = check_exhaustive(loaded, limit=limit, samples=samples, seed=seed)
    if output_format == "json":
        click.echo(json.dumps(report_data(report, loaded), indent=2, ensure_ascii=False))
    else:
        click.echo(report_text(report, loaded))
    sys.exit(EXIT_INVALID if report.findings else 0)


@click.command()
@playbook_argument
@click.option("--effective", is_flag=True, hidden=True, help="What this command shows (accepted for older scripts).")
@click.option("--changed-only", is_flag=True, help="Only what an overlay added, changed or removed.")
def show(playbook: str | None, effective: bool, changed_only: bool) -> None:
    """Show a playbook as dealbook uses it: for an overlay, all layers merged, each element
    with the layer and file it came from."""
    from ..authoring.show import effective_playbook

    click.echo(effective_playbook(playbook, changed_only=changed_only), nl=False)


@click.command()
@click.argument("kind", required=False, default="playbook")
@playbook_option
@click.option("--write", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Write every schema to FOLDER/<kind>.schema.json instead of printing one.")
def schema(kind: str, playbook: str | None, folder: Path | None) -> None:
    """Print the JSON Schema for KIND: playbook (default), module, questions,
    answers, evaluation, overlay, scenarios or patterns. Editors use it to complete and check YAML.

    With -p PLAYBOOK, the answers schema lists that playbook's questions, option values and
    labels, and the module schema its ids, so that an editor completes real answers and ids.
    """
    from ..authoring.schemas import schema_text_for, write_schemas
    from ..infra.schema import schema_text
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook) if playbook is not None else None
    if folder is not None:
        written = write_schemas(folder, loaded)
        click.echo(f"wrote {len(written)} schemas to {folder}/", err=True)
        return
    schema_text(kind)  # an unknown kind is an error naming the known ones
    click.echo(schema_text_for(kind, loaded), nl=False)


@click.command()
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """Describe what changed from playbook OLD to playbook NEW (folders or bundled names),
    as Markdown for a pull request: questions, facts, terms, items, positions, clauses and rules."""
    from ..authoring.diff import diff_playbooks
    from ..playbook.load import load_playbook

    click.echo(diff_playbooks(load_playbook(old), load_playbook(new)))


@click.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
def new_playbook(folder: Path) -> None:
    """Start a playbook in FOLDER (new or empty): playbook.yaml, a questions file, a module,
    a scenario test and the JSON Schemas, ready to validate, lint and test."""
    from ..authoring.scaffold import scaffold_playbook

    written = scaffold_playbook(folder)
    click.echo(f"wrote {len(written)} files to {folder}/")
    for path in written:
        click.echo(f"  {path.relative_to(folder)}")
    click.echo(f"next: dealbook validate {folder} && dealbook lint {folder} && dealbook test {folder}")


COMMANDS = (new_playbook, validate, lint, test_command, check, show, schema, diff)
