"""Renderers: format an evaluation as Markdown, Word and HTML briefing packs.

Nothing here is imported by the engine; Word and HTML support (python-docx,
markdown-it-py) is imported only when those formats are asked for.
"""

from .pack import FORMATS, render_pack, write_briefing_pack

__all__ = ["FORMATS", "render_pack", "write_briefing_pack"]
