"""The pack of a deal: the deal sheet in the page, every file and one zip to download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from ..errors import DealbookError
from .outputs import zip_of
from .site import deal_or_error, download, found, site

__all__ = ["pages"]

pages = Blueprint("pack", __name__)


def _pack(deal_id: str) -> Any:
    return found(site().packs.get, deal_id)


@pages.get("/deals/<deal_id>/pack")
def page(deal_id: str) -> Any:
    deal = deal_or_error(deal_id)
    result = _pack(deal_id)
    if isinstance(result, DealbookError):
        readable = not isinstance(deal, DealbookError)
        missing = site().workspace.missing(deal) if readable else []
        unfilled = [name for name in ("name", "vendor") if not deal.sheet.deal.get(name)] if readable else []
        return render_template("pack.html", deal_id=deal_id, deal=deal if readable else None,
                               pack=None, lines=result.lines(), missing=missing, unfilled=unfilled), 409
    shown, html = result.shown
    return render_template("pack.html", deal_id=deal_id, deal=deal, pack=result, shown=shown, sheet=html)


@pages.get("/deals/<deal_id>/pack/<name>")
def file(deal_id: str, name: str) -> Any:
    result = _pack(deal_id)
    if isinstance(result, DealbookError) or name not in result.files:
        abort(404, "There is no such file in this deal's pack.")
    return download(result.files[name], name)


@pages.get("/deals/<deal_id>/pack.zip")
def archive(deal_id: str) -> Any:
    result = _pack(deal_id)
    if isinstance(result, DealbookError):
        abort(409, "The pack cannot be written yet: answer what the pack page lists first.")
    return download(zip_of(result), f"{result.folder}.zip")
