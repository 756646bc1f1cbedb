"""The review of the vendor's paper: upload a .docx or .md, read the issues, download the marked-up copy."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from ..errors import DealbookError
from .outputs import MAX_UPLOAD, REVIEW_TYPES, review_available, run_review, stored_review_file
from .site import deal_or_error, download, site, unreadable

__all__ = ["pages"]

pages = Blueprint("review", __name__)


@pages.route("/deals/<deal_id>/review", methods=["GET", "POST"])
def page(deal_id: str) -> Any:
    deal = deal_or_error(deal_id)
    if isinstance(deal, DealbookError):
        return unreadable(deal_id, deal)
    context = {"deal": deal, "available": review_available(), "types": REVIEW_TYPES, "limit": MAX_UPLOAD // (1024 * 1024)}
    if request.method == "GET":
        return render_template("review.html", result=None, lines=[], **context)
    upload = request.files.get("paper")
    if not context["available"]:
        abort(501, "The vendor-paper review is not part of this installation.")
    if upload is None or not upload.filename:
        return render_template("review.html", result=None, lines=["Choose the vendor's .docx or .md file first."], **context), 422
    try:
        result = run_review(site().workspace, deal_id, upload.filename, upload.read(MAX_UPLOAD + 1))
    except DealbookError as error:
        return render_template("review.html", result=None, lines=error.lines(), **context), 422
    return render_template("review.html", result=result, lines=[], **context)


@pages.get("/deals/<deal_id>/review/<name>")
def file(deal_id: str, name: str) -> Any:
    workspace = site().workspace
    path = stored_review_file(workspace, deal_id, name) if workspace.path_for(deal_id) else None
    if path is None:
        abort(404, "There is no such file in this deal's reviews.")
    return download(path.read_bytes(), name)
