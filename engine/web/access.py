"""Signing in with the access token (a server on another address than loopback needs one)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from .security import ACCESS_COOKIE, CSRF_COOKIE
from .site import site

__all__ = ["pages", "signed_in"]

pages = Blueprint("access", __name__)


def signed_in(response: Response) -> Response:
    """``response`` with the cookie that keeps this browser signed in."""
    response.set_cookie(ACCESS_COOKIE, site().guard.access_cookie(), httponly=True, samesite="Strict")
    return response


@pages.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    guard = site().guard
    target = request.values.get("next", "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"
    if guard.token is None:
        return redirect(target)
    if request.method == "POST":
        if not guard.csrf_ok(request.cookies.get(CSRF_COOKIE), request.form.get("csrf")):
            abort(403, "This page is out of date. Reload it and try again.")
        if guard.token_matches(request.form.get("token")):
            return signed_in(redirect(target))
        return render_template("sign_in.html", next=target, message="That is not the access token."), 401
    return render_template("sign_in.html", next=target, message="")
