"""Write every example deal's pack (md, docx, html) into one folder, to compare two versions.

A refactoring must leave every pack byte-identical. Run this before and after
the change, with the cache off, and compare the folders::

    python tests/golden/packs.py /tmp/before      # on the old commit
    python tests/golden/packs.py /tmp/after       # on the new one
    diff -r -x .dealbook-pack.json /tmp/before /tmp/after && echo identical

(``.dealbook-pack.json`` is the marker naming the deal a pack folder was written for.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main(target: str) -> int:
    os.environ["DEALBOOK_CACHE"] = "off"
    from dealbook import evaluate_file
    from dealbook.renderers import write_briefing_pack

    for deal in sorted((REPO / "examples" / "deals").glob("*.yaml")):
        written = write_briefing_pack(evaluate_file(deal), Path(target) / deal.stem, ["md", "docx", "html"])
        print(f"{deal.stem}: {len(written)} files")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/golden/packs.py OUTPUT_FOLDER")
    sys.exit(main(sys.argv[1]))
