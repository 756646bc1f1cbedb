"""The Flask application: what every request goes through, and the pages' blueprints.

Every page is a plain HTML form that works without JavaScript; with it,
htmx (served from the package, never a CDN) saves each field as it
changes and swaps in what the server answers: the field with its message and
new version, and, out of band, the questions that appeared or disappeared.
Which questions are asked is decided by the engine, never in the page. The
pages are blueprints of their own (:mod:`.access`, :mod:`.questions`,
:mod:`.packs`, :mod:`.reviews`) sharing one :class:`~dealbook.web.site.Site`.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..playbook.model import Playbook
from ..playbook.values import show_answer, show_label
from . import access, packs, questions, reviews
from .outputs import MAX_UPLOAD, PackCache
from .security import ACCESS_COOKIE, CSRF_COOKIE, HEADERS, Guard
from .site import Site, site
from .workspace import Workspace

__all__ = ["create_app"]

#: The pages, one blueprint per concern: signing in, the deals and their questionnaire, the pack, the review.
BLUEPRINTS = (access.pages, questions.pages, packs.pages, reviews.pages)
#: Pages anyone may open without signing in.
_OPEN = ("static", "access.sign_in", "favicon")


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
    app.secret_key = guard.secret
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD + 256 * 1024, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)
    app.extensions["dealbook"] = Site(playbook, workspace, PackCache(workspace), guard)
    _template_helpers(app, playbook)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(_check_request)
    app.after_request(_headers)
    app.context_processor(_common)
    app.register_error_handler(HTTPException, _http_error)
    app.add_url_rule("/favicon.ico", "favicon", _favicon, methods=["GET"])
    return app


def _check_request() -> Any:
    """Every request: the host, the CSRF nonce, then (but for the open pages) the sign-in and, for a POST, the CSRF token."""
    guard = site().guard
    if not guard.host_allowed(request.host):
        abort(400, "This server answers on 127.0.0.1 or localhost only.")
    g.csrf_nonce = request.cookies.get(CSRF_COOKIE) or guard.new_csrf_nonce()
    g.csrf_token = guard.csrf_token(g.csrf_nonce)
    if request.endpoint in _OPEN:
        return None
    if not guard.signed_in(request.cookies.get(ACCESS_COOKIE), request.headers.get("Authorization")):
        if request.method == "GET" and guard.token_matches(request.args.get("token")):
            return access.signed_in(redirect(request.path))
        if request.method == "GET":
            return redirect(url_for("access.sign_in", next=request.path))
        abort(401)
    if request.method == "POST":
        given = request.form.get("csrf") or request.headers.get("X-CSRF-Token")
        if not guard.csrf_ok(request.cookies.get(CSRF_COOKIE), given):
            abort(403, "This page is out of date (or was not sent by this server). Reload it and try again.")
    return None


def _headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    if request.cookies.get(CSRF_COOKIE) != g.get("csrf_nonce") and g.get("csrf_nonce"):
        response.set_cookie(CSRF_COOKIE, g.csrf_nonce, httponly=True, samesite="Strict")
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _common() -> dict[str, Any]:
    return {"csrf_token": g.get("csrf_token", ""), "playbook": site().playbook}


def _http_error(error: HTTPException) -> Any:
    messages = {413: f"The file is too large: at most {MAX_UPLOAD // (1024 * 1024)} MiB can be uploaded."}
    message = messages.get(error.code or 500, error.description)
    if request.headers.get("HX-Request"):
        # htmx shows it in the status line, not in place of the field.
        return render_template("status.html", notes=[message], tone="error"), error.code, {"HX-Retarget": "#status", "HX-Reswap": "outerHTML"}
    return render_template("error.html", code=error.code, title=error.name, message=message), error.code


def _favicon() -> Any:
    return "", 204
