"""The vendor proposal: our opening positions as contract language, and nothing internal."""

import io
import re
import zipfile

from click.testing import CliRunner
from dealbook.cli import main

from ..conftest import REPO

#: Labels of the internal pack that must not appear in anything sent to the vendor.
INTERNAL_LABELS = ("walk away if", "walk away at", "fallback 1", "talking points", "why it matters", "open with",
                   "confidential — internal", "risk flags", "sign-offs", "owner:")


def visible_text(name: str, data: bytes) -> str:
    """What a reader of the file sees (markup and XML dropped), whitespace folded."""
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = "".join(archive.read(part).decode("utf-8") for part in archive.namelist()
                          if part.startswith(("word/", "docProps/")) and part.endswith(".xml"))
        text = re.sub(r"<[^>]+>", " ", xml)
    else:
        text = re.sub(r"<[^>]+>", " ", data.decode("utf-8"))
        text = re.sub(r"\\(.)", r"\1", text.replace("**", ""))
    text = text.replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.split())


def folded(text: str) -> str:
    return " ".join(text.split())


def test_no_fallback_walk_away_flag_or_internal_note_reaches_the_vendor(pack):
    assert sorted(pack.vendor) == ["proposal.docx", "proposal.html", "proposal.md"]
    secrets = set()
    for result in pack.evaluation.items:
        for position in (*result.fallbacks, result.walk_away):
            rendered = pack.evaluation.position(position)
            secrets.add(folded(rendered.summary))
            if rendered.clause and position not in (result.opening,):
                secrets.update(folded(line) for line in rendered.clause.split("\n") if len(line.split()) > 6)
        secrets.add(folded(pack.evaluation.render(result.item.rationale, result.item.location)))
        secrets.update(folded(point) for point in result.item.talking_points)
    secrets.update(folded(flag.message) for flag in pack.evaluation.flags)
    secrets.update(folded(reason) for approval in pack.evaluation.approvals for _, reason in approval.reasons)
    openings = {folded(line) for result in pack.evaluation.items
                for line in (pack.evaluation.position(result.opening).clause or pack.evaluation.position(result.opening).summary).split("\n")}
    secrets -= openings  # a later position may repeat a line of the opening clause word for word
    assert len(secrets) > 20
    for name, data in pack.vendor.items():
        text = visible_text(name, data)
        leaked = [secret[:80] for secret in secrets if secret and secret in text]
        assert not leaked, (name, leaked[:3])
        lowered = text.lower()
        assert not [label for label in INTERNAL_LABELS if label in lowered], name


def test_the_proposal_asks_for_every_opening_position(pack):
    text = visible_text("proposal.md", pack.vendor["proposal.md"])
    for result in pack.evaluation.items:
        opening = pack.evaluation.position(result.opening)
        last_line = (opening.clause or opening.summary).split("\n")[-1]
        assert folded(re.sub(r"^\([a-z]+\) ", "", last_line))[:60] in text, result.item.id


def test_brief_audience_vendor_writes_the_proposal(tmp_path):
    result = CliRunner().invoke(main, ["brief", str(REPO / "examples/deals/small-desktop-subscription.yaml"),
                                       "-o", str(tmp_path / "out"), "--audience", "vendor", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "out").iterdir() if not path.name.startswith(".")) == ["proposal.md"]
    wrong = CliRunner().invoke(main, ["brief", str(REPO / "examples/deals/small-desktop-subscription.yaml"), "--audience", "lawyer"])
    assert wrong.exit_code == 2
