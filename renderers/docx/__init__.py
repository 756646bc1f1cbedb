"""Word output: the briefing pack's Markdown as a .docx (python-docx and markdown-it-py).

:mod:`.writer` walks the tokens and writes the body, :mod:`.styles` resolves
and adds styles, :mod:`.furniture` draws contents, header, footer, checkboxes
and position bars, :mod:`.numbering` lists, :mod:`.package` opens the
reference document and saves the package.
"""

from .package import DocumentProperties
from .writer import markdown_to_docx, tokens_to_docx

__all__ = ["DocumentProperties", "markdown_to_docx", "tokens_to_docx"]
