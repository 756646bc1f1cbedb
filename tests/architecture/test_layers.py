"""The package's architecture: layers, no import cycles, no private imports.

import-linter checks the contracts in pyproject.toml. The source tree maps
two folders into one package (``engine/`` is ``dealbook``, ``renderers/`` is
``dealbook.renderers``), which an editable install only assembles at import
time, so each test stages the package as it is installed and points
import-linter at that copy.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
grimp = pytest.importorskip("grimp")
pytest.importorskip("importlinter")


def stage(target: Path) -> Path:
    """The ``dealbook`` package laid out as installed, under ``target``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "assets", "templates")
    shutil.copytree(REPO / "engine", target / "dealbook", ignore=ignore)
    shutil.copytree(REPO / "renderers", target / "dealbook" / "renderers", ignore=ignore)
    return target


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    script = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", script, str(REPO / "pyproject.toml")],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=120,
    )


def test_the_layer_contracts_are_kept(tmp_path):
    result = lint_imports(stage(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("infra/files.py", "from ..deal import result", "Layers"),
        ("playbook/model.py", "from ..renderers import pack", "Layers"),
        ("deal/result.py", "import click", "Only the command line knows click"),
    ],
    ids=["infra-imports-deal", "playbook-imports-renderers", "deal-imports-click"],
)
def test_an_upward_import_breaks_a_contract(tmp_path, module, line, contract):
    root = stage(tmp_path)
    path = root / "dealbook" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # deliberately wrong\n", encoding="utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout


def test_no_import_cycles(tmp_path):
    sys.path.insert(0, str(stage(tmp_path)))
    try:
        graph = grimp.build_graph("dealbook", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported != importer and graph.chain_exists(imported, importer):
                cycles.append(" -> ".join(graph.find_shortest_chain(imported, importer) or ()) + f" -> {imported}")
    assert not cycles, "\n".join(cycles)


def _python_files() -> list[Path]:
    return sorted(path for folder in ("engine", "renderers", "tests", "bench") for path in (REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda path: str(path.relative_to(REPO)))
def test_no_module_imports_a_private_name(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"line {node.lineno}: {alias.name}"
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not private
