"""A routing file for the test playbook, written into a copy of it."""

from pathlib import Path

ROUTING = """\
executive: exec
tiers:
  meets-preferred: {approvers: []}
  fallback-1: {approvers: [owner]}
  fallback-2: {approvers: [owner, procurement]}
  walk-away: {approvers: [owner, legal, exec]}
  beyond-walk-away: {approvers: [owner, legal, exec], reason: true}
  unscored: {approvers: [owner, legal]}
items:
  dpa:
    fallback-1: {approvers: [owner, legal]}
"""


def add_routing(playbook: Path, text: str = ROUTING) -> Path:
    """Add ``routing.yaml`` (``text``) to the playbook folder and list it in ``playbook.yaml``."""
    (playbook / "routing.yaml").write_text(text, encoding="utf-8")
    manifest = playbook / "playbook.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "routing:\n  - routing.yaml\n", encoding="utf-8")
    return playbook
