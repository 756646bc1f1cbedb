"""The benchmarks run: each one, on a small input, prints its figures (they are read, not asserted: tests do not time)."""

import os
import subprocess
import sys

import pytest

from .conftest import REPO

BENCHES = [
    (["bench_evaluate.py", "--items", "5", "--rules", "5", "--seconds", "0.05"], "evaluate + fold rule effects + build item, term and approver results:"),
    (["bench_batch.py", "--deals", "40"], "read results (items with opening summaries, terms, approvers, flags):"),
    (["bench_authoring.py", "--runs", "1"], "explain a broken one:"),
    (["priorities.py"], "small-desktop-subscription"),
    (["bench_docx.py", "--runs", "1"], "markdown_to_docx in process:"),
]


@pytest.mark.parametrize(("arguments", "figure"), BENCHES, ids=[arguments[0].removesuffix(".py") for arguments, _ in BENCHES])
def test_a_benchmark_runs_and_prints_its_figures(arguments, figure, tmp_path):
    environment = {**os.environ, "DEALBOOK_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, str(REPO / "bench" / arguments[0]), *arguments[1:]], capture_output=True, text=True,
                         env=environment, cwd=tmp_path, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert figure in run.stdout
