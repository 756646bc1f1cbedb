"""The web workspace: the questionnaire, the pack and the vendor-paper review in a browser.

``dealbook serve`` runs :func:`create_app` under waitress. The workspace is
a folder of ordinary answers files (:mod:`.workspace`), the same files the
command line reads and writes; pages are server-rendered Jinja templates
with htmx for partial updates (:mod:`.app`); what a question shows and how
a form reads back is :mod:`.fields`; the pack and the review come from the
CLI's own functions (:mod:`.outputs`); tokens, CSRF and headers are
:mod:`.security`. Only this package imports Flask.
"""

from .app import create_app
from .serve import ServeError, serve

__all__ = ["create_app", "serve", "ServeError"]
