"""``dealbook negotiate …``: a deal's record of rounds, positions and approvals; ``impact`` and ``portfolio`` across deals."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import format_option, playbook_option

# Library imports sit inside the commands (PLC0415): start-up stays fast.

#: ``status`` exits with this while an accepted position lacks an approval it needs.
EXIT_AWAITING = 3

DEAL = click.argument("deal", type=click.Path(dir_okay=False, path_type=Path))
SUBJECT = click.argument("subject", metavar="ITEM_OR_TERM")


@click.group()
def negotiate() -> None:
    """Record a deal's negotiation round by round in DEAL.negotiation.yaml beside its answers file."""


def _save(session: object) -> None:
    from ..negotiation.record import write_record

    write_record(session.record)  # type: ignore[attr-defined]


def _round_options(function):  # noqa: ANN001, ANN202 - a click decorator stack
    function = click.option("--date", help="The round's date, YYYY-MM-DD (default: today).")(function)
    function = click.option("--document", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                            help="Start a round for this vendor document (its SHA-256 is recorded).")(function)
    return click.option("--call", "note", help="Start a round for a call with the vendor (a short note).")(function)


@negotiate.command("import")
@DEAL
@click.argument("review", type=click.Path(dir_okay=False, path_type=Path))
@playbook_option
@click.option("--paper", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="The reviewed vendor document (default: the one the review names, beside it).")
@click.option("--date", help="The round's date, YYYY-MM-DD (default: today).")
def import_command(deal: Path, review: Path, playbook: str | None, paper: Path | None, date: str | None) -> None:
    """Record a review's findings (REVIEW: the internal issues list, JSON) as a new round."""
    from ..negotiation.session import import_review, open_session

    session, offers, skipped = import_review(open_session(deal, playbook), review, paper, date)
    _save(session)
    click.echo(f"round {session.record.rounds}: {len(offers)} position(s) recorded from {review.name}")
    for offer in offers:
        click.echo(f"  {offer.subject}: {offer.text[:70]} — {offer.tier.label}")
    for line in skipped:
        click.echo(f"  skipped: {line}")


@negotiate.command("set")
@DEAL
@SUBJECT
@click.argument("position")
@playbook_option
@_round_options
def set_command(deal: Path, subject: str, position: str, playbook: str | None, date: str | None, document: Path | None, note: str | None) -> None:
    """Record the vendor's POSITION on an item or term, e.g. "45 days"; it is read and placed at once."""
    from ..negotiation.session import open_session, record_position

    session, offer = record_position(open_session(deal, playbook), subject, position, date=date, document=document, note=note)
    _save(session)
    value = f" = {offer.value:g}" if offer.value is not None else ""
    click.echo(f"{subject}: {offer.text}{value} — {offer.tier.label} (round {session.record.rounds})")


def _respond(deal: Path, subject: str, playbook: str | None, response: str, text: str | None) -> None:
    from ..negotiation.session import open_session, respond

    session = respond(open_session(deal, playbook), subject, response, text)
    _save(session)
    standing = session.negotiation.by_subject[subject]
    click.echo(f"{subject}: {response} — {standing.status}" + (f"; needs {', '.join(standing.missing)}" if standing.missing else ""))


@negotiate.command()
@DEAL
@SUBJECT
@playbook_option
def accept(deal: Path, subject: str, playbook: str | None) -> None:
    """Accept the vendor's current position on an item or term (agreed, or conceded if below our opening)."""
    _respond(deal, subject, playbook, "accept", None)


@negotiate.command()
@DEAL
@SUBJECT
@click.argument("text", required=False)
@playbook_option
def counter(deal: Path, subject: str, text: str | None, playbook: str | None) -> None:
    """Answer the vendor's position with TEXT, or, without it, restate our opening ask."""
    _respond(deal, subject, playbook, "counter" if text else "ask", text)


@negotiate.command()
@DEAL
@SUBJECT
@playbook_option
def withdraw(deal: Path, subject: str, playbook: str | None) -> None:
    """Take an item or term off the table (status withdrawn)."""
    _respond(deal, subject, playbook, "withdraw", None)


@negotiate.command()
@DEAL
@click.argument("subject", metavar="[ITEM_OR_TERM]", required=False)
@playbook_option
@click.option("--as", "department", required=True, help="The approving department's id (legal, exec, ...).")
@click.option("--name", required=True, help="Who approves.")
@click.option("--note", help="The approval's reason (required beyond walk-away).")
def approve(deal: Path, subject: str | None, playbook: str | None, department: str, name: str, note: str | None) -> None:
    """Approve accepting an item or term as it stands; without one, sign the deal for its rules' approvers."""
    from ..negotiation.session import approve as approve_position
    from ..negotiation.session import open_session

    session = approve_position(open_session(deal, playbook), subject, department, name, note)
    _save(session)
    click.echo(f"{subject or 'deal'}: approved as {department} by {name}")


@negotiate.command()
@DEAL
@click.argument("entry", type=click.IntRange(1))
@click.argument("note")
@playbook_option
def correct(deal: Path, entry: int, note: str, playbook: str | None) -> None:
    """Void ENTRY (a position, response or approval recorded by mistake), saying why in NOTE."""
    from ..negotiation.session import correct as correct_entry
    from ..negotiation.session import open_session

    session = correct_entry(open_session(deal, playbook), entry, note)
    _save(session)
    click.echo(f"entry {entry} corrected (entry {len(session.record.entries)})")


@negotiate.command()
@DEAL
@playbook_option
@format_option("text", "json", default="text")
def status(deal: Path, playbook: str | None, output_format: str) -> None:
    """Per item and term: tier, status, approvals needed and given. Exits 3 while an accepted position lacks an approval."""
    from ..negotiation.report import standing_data, standing_text
    from ..negotiation.session import open_session

    session = open_session(deal, playbook)
    negotiation = session.negotiation
    if output_format == "json":
        click.echo(json.dumps(standing_data(negotiation), indent=2, ensure_ascii=False))
    else:
        click.echo(standing_text(negotiation, pinned=session.pinned, given=str(session.pin)))
    sys.exit(0 if negotiation.within_approvals else EXIT_AWAITING)


@negotiate.command()
@DEAL
@SUBJECT
@playbook_option
def history(deal: Path, subject: str, playbook: str | None) -> None:
    """Every entry about one item or term, oldest first."""
    from ..negotiation.report import history_text
    from ..negotiation.session import open_session

    click.echo(history_text(open_session(deal, playbook).record, subject))


@negotiate.command()
@DEAL
@playbook_option
def verify(deal: Path, playbook: str | None) -> None:
    """Check the record's hash chain and that each recorded tier is what the pinned playbook gives."""
    from ..errors import ValidationErrors
    from ..negotiation.report import verify_record
    from ..negotiation.session import open_session

    session = open_session(deal, playbook)
    ValidationErrors.raise_if(verify_record(session))
    click.echo(f"{session.record.path.name}: {len(session.record.entries)} entries, chain intact"
               + ("" if session.pinned else f"; tiers not re-checked (pinned to {session.record.pin}, given {session.pin})"))


@negotiate.command()
@DEAL
@playbook_option
@click.option("--note", help="Why the deal moves to this playbook version.")
@click.option("--dry-run", is_flag=True, help="Show what changes without re-pinning.")
def repin(deal: Path, playbook: str | None, note: str | None, dry_run: bool) -> None:
    """Move a deal's record to the playbook given (-p), showing what that changes for its positions first."""
    from ..negotiation.impact import record_changes, record_changes_text
    from ..negotiation.session import open_session
    from ..negotiation.session import repin as repin_record

    session = open_session(deal, playbook)
    click.echo(record_changes_text(record_changes(session.record, session.evaluation)))
    if not dry_run:
        session = repin_record(session, note)
        _save(session)
        click.echo(f"re-pinned to {session.pin}")


class ProgressBar:
    """A progress bar on stderr when it is a terminal; nothing when piped."""

    def __init__(self, total: int, label: str) -> None:
        self.bar = click.progressbar(length=total, label=label, file=sys.stderr) if sys.stderr.isatty() and total > 1 else None

    def __enter__(self) -> ProgressBar:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def step(self, _path: Path) -> None:
        if self.bar is not None:
            self.bar.update(1)


def _emit(text: str, output: Path | None) -> None:
    """Print the report, or write it whole (atomically) to ``output``."""
    from ..infra.files import write_atomic

    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


def _deals_in(folder: Path) -> list[Path]:
    from ..errors import InputFileError, Location
    from ..negotiation.batch import deal_paths

    if not folder.is_dir():
        raise InputFileError(Location(str(folder)), "not a folder of deals")
    return deal_paths(folder)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--deals", "folder", required=True, type=click.Path(path_type=Path), help="Folder of answers files (and their negotiation records).")
@format_option("md", "json", default="md")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file (default: print it).")
@click.option("--fail-on-impact", is_flag=True, help="Exit 1 when any deal is affected (for a CI gate).")
def impact(old: str, new: str, folder: Path, output_format: str, output: Path | None, fail_on_impact: bool) -> None:
    """What playbook NEW changes, against OLD, for every deal in --deals: items, openings, terms, approvers, recorded positions."""
    from ..negotiation.batch import batch_collection, evaluate_documents, read_deals
    from ..negotiation.impact import deal_impact, impact_data, impact_markdown
    from ..playbook.load import load_playbook

    old_playbook, new_playbook = load_playbook(old), load_playbook(new)
    paths = _deals_in(folder)
    with batch_collection():
        documents = list(read_deals(paths))
        with ProgressBar(2 * len(paths), "evaluating deals") as progress:
            before = list(evaluate_documents(old_playbook, documents, progress.step))
            after = list(evaluate_documents(new_playbook, documents, progress.step))
        impacts = [deal_impact(old_playbook, new_playbook, was, now) for was, now in zip(before, after, strict=True)]
    if output_format == "json":
        _emit(json.dumps(impact_data(old_playbook, new_playbook, impacts), indent=2, ensure_ascii=False) + "\n", output)
    else:
        _emit(impact_markdown(old_playbook, new_playbook, impacts), output)
    sys.exit(1 if fail_on_impact and any(entry.affected for entry in impacts) else 0)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@playbook_option
@format_option("md", "json", "html", default="md")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file (default: print it).")
def portfolio(folder: Path, playbook: str | None, output_format: str, output: Path | None) -> None:
    """Across the deals in FOLDER: deals by state, tiers accepted and who approved them, deals waiting, walk-aways never reached."""
    from ..negotiation.batch import batch_collection, evaluate_deals
    from ..negotiation.portfolio import portfolio as fold
    from ..negotiation.portfolio import portfolio_data, portfolio_html, portfolio_markdown
    from ..playbook.load import load_playbook

    loaded = load_playbook(playbook)
    paths = _deals_in(folder)
    with batch_collection(), ProgressBar(len(paths), "reading deals") as progress:
        summary = fold(loaded, evaluate_deals(loaded, paths, progress.step))
    if output_format == "json":
        _emit(json.dumps(portfolio_data(summary), indent=2, ensure_ascii=False) + "\n", output)
    elif output_format == "html":
        _emit(portfolio_html(summary), output)
    else:
        _emit(portfolio_markdown(summary), output)


COMMANDS = (negotiate, impact, portfolio)
