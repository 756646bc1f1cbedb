"""What the authors' checks cost: validating the bundled playbook, the checks themselves, schemas, a scaffold's round trip.

Prints, as medians of ``--runs`` runs: a full uncached validation of the
bundled playbook and the share of it spent in the semantic checks (every
check of ``dealbook.playbook.checks``, the ones naming elements, templates
in plain text and outline topics among them); building the playbook-aware
answers and module schemas; ``dealbook new`` followed by validate, lint and
test; and explaining a broken YAML file against reading a good one (the
plain-words translation runs only when a file does not parse).

Run: ``python bench/bench_authoring.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dealbook.authoring.lint import lint_playbook
from dealbook.authoring.scaffold import scaffold_playbook
from dealbook.authoring.scenarios import load_scenarios, run_scenarios, scenario_files
from dealbook.authoring.schemas import answers_schema, module_schema
from dealbook.errors import InputFileError
from dealbook.infra.yamlfile import read_document
from dealbook.playbook.checks import CHECKS
from dealbook.playbook.load import load_playbook
from dealbook.playbook.sources import Sources

REPO = Path(__file__).resolve().parent.parent


def median_ms(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def scaffold_round_trip() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "pb"
        scaffold_playbook(root)
        playbook = load_playbook(root, use_cache=False)
        lint_playbook(playbook)
        run_scenarios(playbook, load_scenarios(playbook, scenario_files(playbook)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    itam = load_playbook("itam", use_cache=False)
    full = median_ms(lambda: load_playbook("itam", use_cache=False), runs)
    sources = Sources()
    checks = {name: median_ms(lambda check=check: list(check(itam, sources)), runs) for name, check in CHECKS.items()}
    print(f"validate itam, uncached:         {full:8.1f} ms")
    print(f"  semantic checks together:      {sum(checks.values()):8.1f} ms ({100 * sum(checks.values()) / full:.0f}% of it)")
    for name, ms in checks.items():
        print(f"    {name:<28}{ms:8.2f} ms")
    print(f"answers schema for itam:         {median_ms(lambda: answers_schema(itam), runs):8.2f} ms")
    print(f"module schema for itam:          {median_ms(lambda: module_schema(itam), runs):8.2f} ms")
    print(f"dealbook new + validate, lint, test: {median_ms(scaffold_round_trip, runs):8.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        good, bad = Path(folder) / "good.yaml", Path(folder) / "bad.yaml"
        text = (REPO / "playbooks" / "itam" / "modules" / "03-financial.yaml").read_text(encoding="utf-8")
        good.write_text(text, encoding="utf-8")
        bad.write_text(text.replace("    title:", '    title: "Quoted" then more', 1), encoding="utf-8")

        def explain() -> None:
            try:
                read_document(bad)
            except InputFileError:
                pass

        print(f"read a good module file:         {median_ms(lambda: read_document(good), runs):8.2f} ms")
        print(f"explain a broken one:            {median_ms(explain, runs):8.2f} ms")


if __name__ == "__main__":
    main()
