"""Print each example deal's item count and priority distribution.

    python bench/priorities.py [PLAYBOOK]

One line per deal in ``examples/deals/``: items that apply, then how many
are critical, high, medium and low, and how many items are tradeable.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import dealbook
from dealbook.playbook.model import PRIORITIES

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    playbook = dealbook.load_playbook(sys.argv[1] if len(sys.argv) > 1 else "itam")
    print(f"{'deal':34} {'items':>5} " + " ".join(f"{level:>8}" for level in PRIORITIES) + f" {'tradeable':>9}")
    for path in sorted((ROOT / "examples" / "deals").glob("*.yaml")):
        evaluation = dealbook.evaluate(playbook, dealbook.load_answers(path, playbook))
        counts = Counter(result.priority for result in evaluation.items)
        tradeable = sum(bool(getattr(result, "tradeable", False)) for result in evaluation.items)
        print(f"{path.stem:34} {len(evaluation.items):>5} " + " ".join(f"{counts[level]:>8}" for level in PRIORITIES) + f" {tradeable:>9}")


if __name__ == "__main__":
    main()
