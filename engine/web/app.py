"""The Flask application: pages for the deals list, the questionnaire, the pack and the review.

Every page is a plain HTML form that works without JavaScript; with it,
htmx (served from the package, never a CDN) saves each field as it
changes and swaps in what the server answers: the field with its message and
new version, and, out of band, the questions that appeared or disappeared.
Which questions are asked is decided here by the engine, never in the page.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, abort, flash, g, get_flashed_messages, redirect, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..errors import DealbookError
from ..playbook.model import DEAL_FIELDS, Playbook
from ..playbook.values import show_answer, show_label
from .fields import answer_fields, changes_from_form, deal_fields, notes_for, overrides_for, question_field
from .outputs import MAX_UPLOAD, REVIEW_TYPES, PackCache, review_available, run_review, stored_review_file, zip_of
from .security import ACCESS_COOKIE, CSRF_COOKIE, HEADERS, Guard
from .workspace import Saved, Workspace, changed_questions

__all__ = ["create_app"]

_DOWNLOAD_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
}


def _template_helpers(app: Flask, playbook: Playbook) -> None:
    """Filters and functions the templates use to show values: no decisions, formatting only."""

    def answer(value: Any, question_id: str) -> str:
        question = playbook.questions_by_id.get(question_id)
        return show_label(question.option_labels, value) if question else show_answer(value)

    def stems(pack: Any) -> list[str]:
        return list(dict.fromkeys(name.rsplit(".", 1)[0] for name in pack.files))

    def suffixes(pack: Any) -> list[str]:
        return list(dict.fromkeys(name.rsplit(".", 1)[1] for name in pack.files))

    app.jinja_env.filters.update(
        money=lambda value: "" if value is None else show_answer(value),
        answer=answer,
        isotime=lambda stamp: datetime.datetime.fromtimestamp(stamp).isoformat(timespec="seconds") if stamp else "",
        shorttime=lambda stamp: datetime.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else "",
    )
    app.jinja_env.globals.update(
        pack_parts=stems, pack_formats=suffixes,
        part_title=lambda part: part.replace("-", " ").capitalize(),
        format_names={"md": "Markdown", "docx": "Word", "html": "HTML", "json": "JSON"},
    )


def create_app(folder: Path, playbook: Playbook, *, token: str | None = None, lock_folder: Path | None = None) -> Flask:
    """The web workspace for the answers files in ``folder``, answered against ``playbook``.

    ``lock_folder`` (private to this server) holds the file locks that let
    several processes serve one folder (see :class:`~dealbook.web.workspace.Workspace`).
    """
    app = Flask(__name__)
    guard = Guard(token)
    workspace = Workspace(folder, playbook, lock_folder=lock_folder)
    packs = PackCache(workspace)
    app.secret_key = guard.secret
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD + 256 * 1024, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)
    app.extensions["dealbook"] = {"workspace": workspace, "guard": guard}
    _template_helpers(app, playbook)

    # --- every request ---------------------------------------------------------------

    @app.before_request
    def check_request() -> Any:
        if not guard.host_allowed(request.host):
            abort(400, "This server answers on 127.0.0.1 or localhost only.")
        g.csrf_nonce = request.cookies.get(CSRF_COOKIE) or guard.new_csrf_nonce()
        g.csrf_token = guard.csrf_token(g.csrf_nonce)
        if request.endpoint in ("static", "sign_in", "favicon"):
            return None
        if not guard.signed_in(request.cookies.get(ACCESS_COOKIE), request.headers.get("Authorization")):
            if request.method == "GET" and guard.token_matches(request.args.get("token")):
                return _signed_in(redirect(request.path))
            if request.method == "GET":
                return redirect(url_for("sign_in", next=request.path))
            abort(401)
        if request.method == "POST":
            given = request.form.get("csrf") or request.headers.get("X-CSRF-Token")
            if not guard.csrf_ok(request.cookies.get(CSRF_COOKIE), given):
                abort(403, "This page is out of date (or was not sent by this server). Reload it and try again.")
        return None

    def _signed_in(response: Response) -> Response:
        response.set_cookie(ACCESS_COOKIE, guard.access_cookie(), httponly=True, samesite="Strict")
        return response

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        if request.cookies.get(CSRF_COOKIE) != g.get("csrf_nonce") and g.get("csrf_nonce"):
            response.set_cookie(CSRF_COOKIE, g.csrf_nonce, httponly=True, samesite="Strict")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"csrf_token": g.get("csrf_token", ""), "playbook": playbook}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        messages = {413: f"The file is too large: at most {MAX_UPLOAD // (1024 * 1024)} MiB can be uploaded."}
        message = messages.get(error.code or 500, error.description)
        if request.headers.get("HX-Request"):
            # htmx shows it in the status line, not in place of the field.
            return render_template("status.html", notes=[message], tone="error"), error.code, {"HX-Retarget": "#status", "HX-Reswap": "outerHTML"}
        return render_template("error.html", code=error.code, title=error.name, message=message), error.code

    # --- signing in -------------------------------------------------------------------

    @app.route("/sign-in", methods=["GET", "POST"])
    def sign_in() -> Any:
        target = request.values.get("next", "/")
        target = target if target.startswith("/") and not target.startswith("//") else "/"
        if guard.token is None:
            return redirect(target)
        if request.method == "POST":
            if not guard.csrf_ok(request.cookies.get(CSRF_COOKIE), request.form.get("csrf")):
                abort(403, "This page is out of date. Reload it and try again.")
            if guard.token_matches(request.form.get("token")):
                return _signed_in(redirect(target))
            return render_template("sign_in.html", next=target, message="That is not the access token."), 401
        return render_template("sign_in.html", next=target, message="")

    # --- deals --------------------------------------------------------------------------

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return "", 204

    @app.get("/")
    def deals() -> Any:
        return render_template("deals.html", deals=workspace.summaries(), folder=workspace.folder)

    @app.get("/deals/new")
    def new_deal() -> Any:
        return render_template("new.html", fields=deal_fields(None))

    @app.post("/deals")
    def create_deal() -> Any:
        deal_id, problems = workspace.create({name: request.form.get(f"deal.{name}", "") for name in DEAL_FIELDS})
        if deal_id is None:
            overrides = {f"deal.{name}": {"raw": request.form.get(f"deal.{name}", ""), "message": f"{message}.", "tone": "error"}
                         for name, message in problems.items()}
            form = {f"deal.{name}": request.form.get(f"deal.{name}", "") for name in DEAL_FIELDS}
            overrides.update({key: {"raw": value} for key, value in form.items() if key not in overrides})
            return render_template("new.html", fields=deal_fields(None, overrides), failed=True), 422
        flash("Deal created. Every answer is saved as you go.")
        return redirect(url_for("questionnaire", deal_id=deal_id), 303)

    def _found(read: Any, deal_id: str) -> Any:
        """What ``read(deal_id)`` gives: 404 for a deal the workspace lacks, the error for one it cannot read."""
        try:
            return read(deal_id)
        except KeyError:
            abort(404, f"There is no deal {deal_id!r} in this workspace.")
        except DealbookError as error:
            return error

    def _deal(deal_id: str) -> Any:
        return _found(workspace.read, deal_id)

    def _page(deal_id: str, overrides: Mapping[str, Mapping[str, Any]] = {}, notes: Sequence[str] = (), status: int = 200) -> Any:
        deal = _deal(deal_id)
        if isinstance(deal, DealbookError):
            return render_template("unreadable.html", deal_id=deal_id, lines=deal.lines()), 422
        asked = workspace.asked(deal)
        notes = [*get_flashed_messages(), *notes]
        fields = answer_fields(playbook, deal, asked, overrides)
        return render_template("deal.html", deal=deal, deal_fields=deal_fields(deal, overrides), fields=fields,
                               open_count=workspace.open_questions(deal), notes=notes,
                               tone="error" if status != 200 else ""), status

    @app.get("/deals/<deal_id>")
    def questionnaire(deal_id: str) -> Any:
        return _page(deal_id)

    @app.post("/deals/<deal_id>")
    def save_form(deal_id: str) -> Any:
        """The plain form: every field shown is submitted; those changed are saved together."""
        changes = changes_from_form(request.form, playbook)
        saved = _save(deal_id, changes)
        appeared, disappeared = changed_questions(workspace.asked(saved.before), workspace.asked(saved.deal))
        notes = notes_for(saved, playbook, appeared, disappeared)
        if saved.refused or saved.conflicts:
            return _page(deal_id, overrides_for(saved, changes, playbook), notes, 409 if saved.conflicts else 422)
        for note in notes:
            flash(note)
        return redirect(url_for("questionnaire", deal_id=deal_id) + "#status", 303)

    def _save(deal_id: str, changes: Sequence[Any]) -> Saved:
        try:
            return workspace.save(deal_id, changes)
        except KeyError:
            abort(404, f"There is no deal {deal_id!r} in this workspace.")
        except DealbookError:
            abort(409, "This deal's file has problems; fix them in the file first.")

    @app.post("/deals/<deal_id>/fields/<key>")
    def save_field(deal_id: str, key: str) -> Any:
        """One field, saved as it changes (htmx): the field again, and what else changed, out of band."""
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

    @app.post("/deals/<deal_id>/check/<question_id>")
    def check_field(deal_id: str, question_id: str) -> Any:
        """The engine's message for a value being typed, not saved (htmx)."""
        if question_id not in playbook.questions_by_id:
            abort(404)
        try:
            message = workspace.check(deal_id, question_id, request.form.get(f"answer.{question_id}", ""))
        except KeyError:
            abort(404)
        field = question_field(playbook.questions_by_id[question_id], workspace.read(deal_id), True,
                               message=f"{message}." if message else "", tone="error" if message else "")
        return render_template("message.html", field=field)

    # --- the pack ----------------------------------------------------------------------

    def _pack(deal_id: str) -> Any:
        return _found(packs.get, deal_id)

    @app.get("/deals/<deal_id>/pack")
    def pack(deal_id: str) -> Any:
        deal = _deal(deal_id)
        result = _pack(deal_id)
        if isinstance(result, DealbookError):
            missing = [] if isinstance(deal, DealbookError) else workspace.missing(deal)
            unfilled = [] if isinstance(deal, DealbookError) else [name for name in ("name", "vendor") if not deal.sheet.deal.get(name)]
            return render_template("pack.html", deal_id=deal_id, deal=None if isinstance(deal, DealbookError) else deal,
                                   pack=None, lines=result.lines(), missing=missing, unfilled=unfilled), 409
        shown, html = result.shown
        return render_template("pack.html", deal_id=deal_id, deal=deal, pack=result, shown=shown, sheet=html)

    @app.get("/deals/<deal_id>/pack/<name>")
    def pack_file(deal_id: str, name: str) -> Any:
        result = _pack(deal_id)
        if isinstance(result, DealbookError) or name not in result.files:
            abort(404, "There is no such file in this deal's pack.")
        return _download(result.files[name], name)

    @app.get("/deals/<deal_id>/pack.zip")
    def pack_zip(deal_id: str) -> Any:
        result = _pack(deal_id)
        if isinstance(result, DealbookError):
            abort(409, "The pack cannot be written yet: answer what the pack page lists first.")
        return _download(zip_of(result), f"{result.folder}.zip")

    def _download(data: bytes, name: str) -> Any:

        kind = _DOWNLOAD_TYPES.get(Path(name).suffix, "application/octet-stream")
        response = send_file(io.BytesIO(data), mimetype=kind, as_attachment=True, download_name=name)
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    # --- the review ----------------------------------------------------------------------

    @app.route("/deals/<deal_id>/review", methods=["GET", "POST"])
    def review(deal_id: str) -> Any:
        deal = _deal(deal_id)
        if isinstance(deal, DealbookError):
            return render_template("unreadable.html", deal_id=deal_id, lines=deal.lines()), 422
        context = {"deal": deal, "available": review_available(), "types": REVIEW_TYPES, "limit": MAX_UPLOAD // (1024 * 1024)}
        if request.method == "GET":
            return render_template("review.html", result=None, lines=[], **context)
        upload = request.files.get("paper")
        if not context["available"]:
            abort(501, "The vendor-paper review is not part of this installation.")
        if upload is None or not upload.filename:
            return render_template("review.html", result=None, lines=["Choose the vendor's .docx or .md file first."], **context), 422
        try:
            result = run_review(workspace, deal_id, upload.filename, upload.read(MAX_UPLOAD + 1))
        except DealbookError as error:
            return render_template("review.html", result=None, lines=error.lines(), **context), 422
        return render_template("review.html", result=result, lines=[], **context)

    @app.get("/deals/<deal_id>/review/<name>")
    def review_file_download(deal_id: str, name: str) -> Any:
        path = stored_review_file(workspace, deal_id, name) if workspace.path_for(deal_id) else None
        if path is None:
            abort(404, "There is no such file in this deal's reviews.")
        return _download(path.read_bytes(), name)

    return app
