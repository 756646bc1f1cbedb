"""Renderers: format an evaluation as Markdown, Word and HTML briefing packs, text and data.

This layer sits above :mod:`dealbook.deal` and below the command line and
the interview: it reads evaluations and never decides anything itself.
Importing it is cheap — Word and HTML support (python-docx, markdown-it-py)
is imported only when those formats are asked for.
"""

from .pack import FORMATS, render_pack, write_briefing_pack

__all__ = ["FORMATS", "render_pack", "write_briefing_pack"]
