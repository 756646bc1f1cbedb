"""The deals list and the questionnaire: creating a deal, saving answers as they change, checking a value as it is typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, abort, flash, get_flashed_messages, redirect, render_template, request, url_for

from ..errors import DealbookError
from ..playbook.model import DEAL_FIELDS
from .fields import answer_fields, changes_from_form, deal_fields, notes_for, overrides_for, question_field
from .site import deal_or_error, site, unreadable
from .workspace import Saved, changed_questions

__all__ = ["pages"]

pages = Blueprint("deals", __name__)


@pages.get("/")
def index() -> Any:
    workspace = site().workspace
    return render_template("deals.html", deals=workspace.summaries(), folder=workspace.folder)


@pages.get("/deals/new")
def new() -> Any:
    return render_template("new.html", fields=deal_fields(None))


@pages.post("/deals")
def create() -> Any:
    deal_id, problems = site().workspace.create({name: request.form.get(f"deal.{name}", "") for name in DEAL_FIELDS})
    if deal_id is None:
        overrides = {f"deal.{name}": {"raw": request.form.get(f"deal.{name}", ""), "message": f"{message}.", "tone": "error"}
                     for name, message in problems.items()}
        form = {f"deal.{name}": request.form.get(f"deal.{name}", "") for name in DEAL_FIELDS}
        overrides.update({key: {"raw": value} for key, value in form.items() if key not in overrides})
        return render_template("new.html", fields=deal_fields(None, overrides), failed=True), 422
    flash("Deal created. Every answer is saved as you go.")
    return redirect(url_for("deals.questionnaire", deal_id=deal_id), 303)


def _page(deal_id: str, overrides: Mapping[str, Mapping[str, Any]] = {}, notes: Sequence[str] = (), status: int = 200) -> Any:
    deal = deal_or_error(deal_id)
    if isinstance(deal, DealbookError):
        return unreadable(deal_id, deal)
    workspace = site().workspace
    notes = [*get_flashed_messages(), *notes]
    fields = answer_fields(site().playbook, deal, workspace.asked(deal), overrides)
    return render_template("deal.html", deal=deal, deal_fields=deal_fields(deal, overrides), fields=fields,
                           open_count=workspace.open_questions(deal), notes=notes,
                           tone="error" if status != 200 else ""), status


@pages.get("/deals/<deal_id>")
def questionnaire(deal_id: str) -> Any:
    return _page(deal_id)


@pages.post("/deals/<deal_id>")
def save_form(deal_id: str) -> Any:
    """The plain form: every field shown is submitted; those changed are saved together."""
    playbook, workspace = site().playbook, site().workspace
    changes = changes_from_form(request.form, playbook)
    saved = _save(deal_id, changes)
    appeared, disappeared = changed_questions(workspace.asked(saved.before), workspace.asked(saved.deal))
    notes = notes_for(saved, playbook, appeared, disappeared)
    if saved.refused or saved.conflicts:
        return _page(deal_id, overrides_for(saved, changes, playbook), notes, 409 if saved.conflicts else 422)
    for note in notes:
        flash(note)
    return redirect(url_for("deals.questionnaire", deal_id=deal_id) + "#status", 303)


def _save(deal_id: str, changes: Sequence[Any]) -> Saved:
    try:
        return site().workspace.save(deal_id, changes)
    except KeyError:
        abort(404, f"There is no deal {deal_id!r} in this workspace.")
    except DealbookError:
        abort(409, "This deal's file has problems; fix them in the file first.")


@pages.post("/deals/<deal_id>/fields/<key>")
def save_field(deal_id: str, key: str) -> Any:
    """One field, saved as it changes (htmx): the field again, and what else changed, out of band."""
    playbook, workspace = site().playbook, site().workspace
    changes = changes_from_form(request.form, playbook, only=key)
    if not changes:
        abort(400, "Nothing to save: the field was not sent.")
    saved = _save(deal_id, changes)
    asked_before, asked_now = workspace.asked(saved.before), workspace.asked(saved.deal)
    appeared, disappeared = changed_questions(asked_before, asked_now)
    overrides = overrides_for(saved, changes, playbook)
    kind, name = key.split(".", 1)
    if kind == "deal":
        field = deal_fields(saved.deal, overrides)[[item.name for item in deal_fields(None)].index(name)]
    else:
        field = question_field(playbook.questions_by_id[name], saved.deal, name in asked_now, **overrides.get(key, {}))
    changed = [question_field(playbook.questions_by_id[name], saved.deal, name in asked_now) for name in appeared + disappeared]
    return render_template("saved.html", deal=saved.deal, field=field, changed=changed,
                           notes=notes_for(saved, playbook, appeared, disappeared), open_count=workspace.open_questions(saved.deal),
                           tone="error" if saved.refused or saved.conflicts else "")


@pages.post("/deals/<deal_id>/check/<question_id>")
def check_field(deal_id: str, question_id: str) -> Any:
    """The engine's message for a value being typed, not saved (htmx)."""
    playbook, workspace = site().playbook, site().workspace
    if question_id not in playbook.questions_by_id:
        abort(404)
    try:
        message = workspace.check(deal_id, question_id, request.form.get(f"answer.{question_id}", ""))
    except KeyError:
        abort(404)
    field = question_field(playbook.questions_by_id[question_id], workspace.read(deal_id), True,
                           message=f"{message}." if message else "", tone="error" if message else "")
    return render_template("message.html", field=field)
