"""``python -m dealbook.cli``: the same as the ``dealbook`` command."""

from . import main

main()
