"""Files an author wrote but the playbook does not read.

A module file saved in ``modules/`` and never added to ``playbook.yaml``
validates clean and silently does nothing. ``dealbook validate`` warns about
every YAML file in a folder that holds listed module or question files but
is itself not listed.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, Problem
from ..playbook.model import Playbook
from ..playbook.sources import PLAYBOOK_FILE, display_name

__all__ = ["unlisted_files"]


def unlisted_files(playbook: Playbook) -> list[Problem]:
    """A warning for each YAML file beside a listed module or question file that ``playbook.yaml`` does not list."""
    root = Path(playbook.root).resolve()
    listed = {Path(file).resolve() for file in (*(module.file for module in playbook.modules), *(section.file for section in playbook.sections))}
    folders = {path.parent for path in listed if root in path.parents}
    warnings = []
    for folder in sorted(folders):
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if path.resolve() not in listed and path.name != PLAYBOOK_FILE:
                kind = "modules" if any(Path(module.file).resolve().parent == folder for module in playbook.modules) else "questionnaire"
                warnings.append(Problem(Location(display_name(path), 1, 1),
                                        f"warning: this file is not listed under '{kind}' in {PLAYBOOK_FILE}, so the playbook does not read it"))
    return warnings
