import os
import sys

import dealbook
import pytest
from dealbook.errors import DealbookError
from dealbook.infra.files import write_files
from dealbook.infra.helper import PROCESSES_VARIABLE, start_helper
from dealbook.renderers import render_pack, write_briefing_pack
from dealbook.renderers.pack import AUDIENCES, PackOptions, default_folder, helper_modules

from ..conftest import REPO
from .conftest import DEAL_IDS, rendered_pack

DEAL = REPO / "examples/deals/small-desktop-subscription.yaml"


@pytest.fixture(scope="module")
def evaluation(itam):
    return dealbook.evaluate(itam, dealbook.load_answers(DEAL, itam))


def test_every_part_in_every_requested_format(evaluation, tmp_path):
    written = write_briefing_pack(evaluation, tmp_path / "pack", ["md", "html"])
    assert sorted(path.name for path in written) == sorted(
        f"{part}.{ext}" for part in ("briefing-pack", "deal-sheet", "checklist", "term-sheet", "redlines") for ext in ("md", "html")
    )
    assert all(path.read_bytes() for path in written)
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no staging left behind


def test_default_folder_is_named_after_the_deal(evaluation):
    assert default_folder(evaluation).name == "diagramming-tool-for-the-architecture-team-brief"


def test_output_is_byte_identical_across_runs(evaluation):
    first, second = render_pack(evaluation, ["md", "html"]), render_pack(evaluation, ["md", "html"])
    assert first == second


def test_a_failed_render_leaves_the_previous_pack_untouched(evaluation, tmp_path):
    folder = tmp_path / "pack"
    write_briefing_pack(evaluation, folder, ["md"])
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "clauses.md.j2").write_text("Clauses\n\n{{ pack.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(DealbookError) as raised:
        write_briefing_pack(evaluation, folder, ["md"], templates=broken)
    assert str(raised.value).startswith(str(broken / "clauses.md.j2") + ":3:1: template error:")
    assert "no_such_field" in str(raised.value)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_files_are_replaced_only_after_all_are_written(tmp_path):
    folder = tmp_path / "out"
    write_files(folder, {"a.md": b"old a", "b.md": b"old b"})
    with pytest.raises(TypeError):  # the second file cannot be written: nothing is replaced
        write_files(folder, {"a.md": b"new a", "b.md": None})
    assert (folder / "a.md").read_bytes() == b"old a"
    with pytest.raises(ValueError, match="must not contain folders"):
        write_files(folder, {"a.md": b"new a", "sub/b.md": b"new b"})
    assert (folder / "a.md").read_bytes() == b"old a"
    (folder / "notes.txt").write_text("mine")
    write_files(folder, {"a.md": b"new a", "b.md": b"new b"})
    assert sorted(path.name for path in folder.iterdir()) == ["a.md", "b.md", "notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(("formats", "message"), [(["pdf"], "unknown output format pdf"), ([], "unknown output format (none)")], ids=["pdf", "none"])
def test_unknown_formats_are_refused(evaluation, formats, message):
    with pytest.raises(DealbookError, match=message.replace("(", r"\(").replace(")", r"\)")):
        render_pack(evaluation, formats)


def test_the_vendor_audience_gets_the_proposal_only(evaluation, tmp_path):
    written = write_briefing_pack(evaluation, tmp_path / "proposal", ["md", "html"], audience="vendor")
    assert sorted(path.name for path in written) == ["proposal.html", "proposal.md"]


def test_an_unknown_audience_is_refused(evaluation):
    from dealbook.renderers.pack import PackOptions

    with pytest.raises(DealbookError, match="unknown audience lawyers; choose from internal, vendor"):
        render_pack(evaluation, ["md"], PackOptions(audience="lawyers"))


def test_stand_alone_documents_say_what_their_markdown_says(evaluation):
    """Their tokens are the pack's section tokens reused (one parse); parsing their own Markdown gives the same."""
    from dealbook.renderers.pack import build_documents
    from dealbook.renderers.tokens import parse
    from dealbook.renderers.view import build_view

    def shape(tokens):
        return [(token.type, token.tag, "".join(child.content for child in token.children or () if child.type == "text"))
                for token in tokens if not token.hidden or token.type != "paragraph_open"]

    documents = build_documents(build_view(evaluation))
    assert [document.name for document in documents] == ["briefing-pack", "deal-sheet", "checklist", "term-sheet", "redlines"]
    for document in documents:
        assert shape(document.tokens) == shape(parse(document.markdown)), document.name
        links = [child for token in document.tokens if token.type == "inline" for child in token.children or ()
                 if child.type == "link_open" and str(child.attrGet("href")).startswith("#")]
        assert bool(links) == (document.name == "briefing-pack"), "no links into a pack the document is not part of"


linux_with_two_cpus = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                                         reason="the helper process runs on Linux with two CPUs or more")


@linux_with_two_cpus
@pytest.mark.parametrize("audience", AUDIENCES, ids=AUDIENCES)
@pytest.mark.parametrize("stem", DEAL_IDS)
def test_a_helper_writes_the_word_files_byte_for_byte(stem, audience, monkeypatch):
    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    pack = rendered_pack(stem)
    alone = pack.files if audience == "internal" else pack.vendor
    helper = start_helper(helper_modules(["md", "docx", "html"]))
    with helper:
        helped = render_pack(pack.evaluation, options=PackOptions(audience=audience), helper=helper)
    assert not helper.ran_here  # the helper wrote them, not this process
    assert list(helped) == list(alone)  # the same files, in the same order
    assert helped == alone


def test_only_word_is_worth_a_helper():
    assert helper_modules(["md", "html"]) == ()
    assert "dealbook.renderers.docx" in helper_modules(["docx"])


@pytest.mark.parametrize("audience", AUDIENCES, ids=AUDIENCES)
def test_a_folder_that_will_be_refused_is_refused_before_anything_is_rendered(evaluation, tmp_path, monkeypatch, audience):
    import dealbook.renderers.pack as pack

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered before the folder was checked")

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine")
    monkeypatch.setattr(pack, "render_pack", no_rendering)
    with pytest.raises(DealbookError, match="is not a briefing pack folder"):
        write_briefing_pack(evaluation, tmp_path / "docs", ["md"], audience=audience)
    assert (tmp_path / "docs" / "notes.txt").read_text() == "mine"


def test_an_old_pack_without_a_marker_is_not_refused_early(evaluation, tmp_path):
    names = render_pack(evaluation, ["md"])
    (tmp_path / "old").mkdir()
    for name in names:
        (tmp_path / "old" / name).write_text("an old pack")
    written = write_briefing_pack(evaluation, tmp_path / "old", ["md"])
    assert written.kept is not None  # the old files differ from the new: kept as .bak


@pytest.mark.parametrize("audience", AUDIENCES, ids=AUDIENCES)
def test_document_stems_name_the_documents_built(audience):
    from dealbook.renderers.pack import build_documents, document_stems

    documents = build_documents(rendered_pack("small-desktop-subscription").view, PackOptions(audience=audience))
    assert tuple(document.name for document in documents) == document_stems(audience)
