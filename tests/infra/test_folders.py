"""Pack folders are replaced whole, one writer at a time, for one deal, and nothing edited by hand is lost."""

import json
import os
import signal
import threading

import pytest
from dealbook.errors import InputFileError
from dealbook.infra import folders
from dealbook.infra.folders import MARKER, folder_name, write_folder

PACK = {"checklist.md": b"- [ ] one\n", "term-sheet.md": b"terms\n", "redlines.md": b"redlines\n"}


def run(folder, contents=PACK, deal="Deal A", answers="/deals/a.yaml", **options):
    return write_folder(folder, contents, deal=deal, answers=answers, **options)


def listing(folder):
    return sorted(entry.name for entry in folder.iterdir())


def test_a_pack_folder_holds_exactly_one_runs_files(tmp_path):
    folder = tmp_path / "a-brief"
    run(folder)
    run(folder, {"checklist.md": b"- [ ] one\n"})
    assert listing(folder) == [MARKER, "checklist.md"]
    marker = json.loads((folder / MARKER).read_text())
    assert marker["deal"] == "Deal A" and marker["answers"] == "/deals/a.yaml" and list(marker["files"]) == ["checklist.md"]
    assert not (tmp_path / "a-brief.bak").exists()


def test_hand_edits_are_kept_as_a_backup_of_the_whole_previous_pack(tmp_path):
    folder = tmp_path / "a-brief"
    run(folder)
    (folder / "checklist.md").write_bytes(b"- [x] one\n")
    (folder / "notes.txt").write_text("my notes")
    written = run(folder)
    assert written.kept == tmp_path / "a-brief.bak" and written.changed == ("checklist.md", "notes.txt")
    assert (tmp_path / "a-brief.bak" / "checklist.md").read_bytes() == b"- [x] one\n"
    assert (tmp_path / "a-brief.bak" / "notes.txt").read_text() == "my notes"
    assert listing(folder) == sorted([MARKER, *PACK])


def test_a_folder_where_a_file_should_be_does_not_mix_or_crash(tmp_path):
    folder = tmp_path / "a-brief"
    run(folder)
    (folder / "redlines.md").unlink()
    (folder / "redlines.md").mkdir()
    written = run(folder)
    assert (folder / "redlines.md").read_bytes() == b"redlines\n" and written.changed == ("redlines.md",)
    assert (tmp_path / "a-brief.bak" / "redlines.md").is_dir()


REFUSED = {
    "another deal's pack": (lambda folder: run(folder, deal="Deal B", answers="/deals/b.yaml"), "another deal, 'Deal B'"),
    "a folder of other files": (lambda folder: (folder.mkdir(), (folder / "thesis.docx").write_bytes(b"mine")), "not a briefing pack folder"),
    "a file": (lambda folder: folder.write_text("mine"), "not a folder"),
}


@pytest.mark.parametrize(("make", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_folder_that_is_not_this_deals_pack_is_never_replaced(tmp_path, make, message):
    folder = tmp_path / "a-brief"
    make(folder)
    before = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    with pytest.raises(InputFileError) as raised:
        run(folder)
    assert message in str(raised.value)
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == before


def test_the_same_deal_from_a_renamed_answers_file_or_renamed_deal_is_still_its_pack(tmp_path):
    folder = tmp_path / "a-brief"
    run(folder)
    run(folder, answers="/deals/renamed.yaml")
    run(folder, deal="Deal A, renamed", answers="/deals/renamed.yaml")
    assert json.loads((folder / MARKER).read_text())["deal"] == "Deal A, renamed"


def test_the_current_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (".", str(tmp_path.parent)):
        with pytest.raises(InputFileError, match="current folder"):
            run(name)
    assert listing(tmp_path) == []


def test_an_unwritable_place_is_one_clean_error(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(InputFileError, match="cannot write"):
        run(tmp_path / "a-file" / "pack")


def test_stale_staging_folders_of_a_killed_writer_are_removed(tmp_path):
    stale = tmp_path / ".a-brief.0123456789ab.staging"
    stale.mkdir()
    (stale / "checklist.md").write_text("half")
    (tmp_path / ".a-brief.0123456789ab.old").mkdir()
    run(tmp_path / "a-brief")
    assert listing(tmp_path) == ["a-brief"]


def test_a_second_writer_waits_then_fails_clearly(tmp_path):
    import fcntl

    descriptor = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        with pytest.raises(InputFileError, match="another dealbook is still writing"):
            run(tmp_path / "a-brief", wait=0.2)
    finally:
        os.close(descriptor)
    assert listing(tmp_path) == []


def test_concurrent_writers_never_mix_their_files(tmp_path):
    folder = tmp_path / "a-brief"
    errors = []

    def writer(number):
        contents = {name: f"run {number}\n".encode() for name in PACK}
        try:
            for _ in range(5):
                run(folder, contents)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({(folder / name).read_bytes() for name in PACK}) == 1
    assert listing(tmp_path) == ["a-brief"]


def test_ctrl_c_during_the_switch_leaves_the_new_pack_complete(tmp_path, monkeypatch):
    folder = tmp_path / "a-brief"
    run(folder)
    switch = folders._switch

    def interrupted(*args):
        os.kill(os.getpid(), signal.SIGINT)
        switch(*args)

    monkeypatch.setattr(folders, "_switch", interrupted)
    new = {name: b"new\n" for name in PACK}
    run(folder, new)
    assert {name: (folder / name).read_bytes() for name in PACK} == new


NAMES = {
    "ascii": ("Customer engagement platform 2027-2029", "customer-engagement-platform-2027-2029-brief"),
    "cyrillic": ("Договор на поддержку", "договор-на-поддержку-brief"),
    "another cyrillic": ("Лицензии", "лицензии-brief"),
    "devanagari marks kept": ("लाइसेंस नवीनीकरण", "लाइसेंस-नवीनीकरण-brief"),
    "nfkc": ("ＡＣＭＥ ﬁle", "acme-file-brief"),
    "separators and controls": ("../../etc/passwd\x00\n", "etc-passwd-brief"),
    "reserved name": ("CON", "deal-con-brief"),
    "nothing usable": ("!!!", "deal-brief"),
}


@pytest.mark.parametrize(("deal", "expected"), NAMES.values(), ids=NAMES.keys())
def test_folder_names_keep_every_script(deal, expected):
    assert folder_name(deal) == expected


def test_a_failing_rename_is_one_clean_error_and_the_previous_pack_stays(tmp_path, monkeypatch):
    folder = tmp_path / "a-brief"
    run(folder)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(folders, "_exchange", refused)
    with pytest.raises(InputFileError, match="cannot write: Permission denied"):
        run(folder, {name: b"new\n" for name in PACK})
    assert {name: (folder / name).read_bytes() for name in PACK} == PACK
    assert listing(tmp_path) == ["a-brief"]
