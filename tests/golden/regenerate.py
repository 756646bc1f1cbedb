"""Regenerate the golden briefing-pack files after a reviewed change.

Run from the repository root: ``python tests/golden/regenerate.py``, then
review ``git diff tests/golden`` before committing: every line of difference
is a change a negotiator will see.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
#: The example deal whose pack is kept as golden files, and the files kept.
DEAL = REPO / "examples" / "deals" / "small-desktop-subscription.yaml"
FILES = ("briefing-pack.md", "briefing-pack.html")


def render() -> dict[str, bytes]:
    """The golden files as the current code renders them."""
    import dealbook
    from dealbook.renderers import render_pack

    playbook = dealbook.load_playbook("itam")
    evaluation = dealbook.evaluate(playbook, dealbook.load_answers(DEAL, playbook))
    rendered = render_pack(evaluation, ["md", "html"])
    return {name: rendered[name] for name in FILES}


def main() -> int:
    folder = HERE / DEAL.stem
    folder.mkdir(exist_ok=True)
    for name, content in render().items():
        (folder / name).write_bytes(content)
        print(f"wrote {(folder / name).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
