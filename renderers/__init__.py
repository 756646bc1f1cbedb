"""Renderers: format an evaluation as Markdown, Word and HTML briefing packs."""
