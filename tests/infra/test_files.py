"""Atomic writes fail as one located error, never an OSError traceback."""

import os
import stat

import pytest
from dealbook.errors import InputFileError
from dealbook.infra.files import write_atomic, write_keeping_previous


def test_an_unwritable_target_is_a_located_error(tmp_path, monkeypatch):
    def refused(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(InputFileError, match="deal.yaml: cannot write: Permission denied"):
        write_atomic(tmp_path / "deal.yaml", "x")
    assert list(tmp_path.iterdir()) == []


def _fifo(folder):
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _device(folder):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    path = folder / "null"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


@pytest.mark.parametrize("make", [_fifo, _device, lambda folder: (folder / "dir").mkdir() or folder / "dir"],
                         ids=["pipe", "device", "folder"])
@pytest.mark.parametrize("write", [write_atomic, write_keeping_previous], ids=["atomic", "keeping-previous"])
def test_what_is_not_a_regular_file_is_refused_never_replaced(tmp_path, make, write):
    target = make(tmp_path)
    kind = os.stat(target).st_mode
    with pytest.raises(InputFileError, match="cannot write: it is"):
        write(target, "text")
    assert os.stat(target).st_mode == kind  # still the pipe, device or folder it was
    assert sorted(path.name for path in tmp_path.iterdir()) == [target.name]  # no temporary or .bak left


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "deal.yaml"
    link.symlink_to(real)
    write_keeping_previous(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert (tmp_path / "real.yaml.bak").read_text(encoding="utf-8") == "old"


def test_the_previous_content_is_kept_as_bak_and_never_changes_again(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("first", encoding="utf-8")
    write_keeping_previous(path, "second")
    backup = tmp_path / "deal.yaml.bak"
    assert backup.read_text(encoding="utf-8") == "first" and path.read_text(encoding="utf-8") == "second"
    assert os.stat(backup).st_ino != os.stat(path).st_ino  # the backup is not the file being written
    write_keeping_previous(path, "third")
    assert backup.read_text(encoding="utf-8") == "second" and path.read_text(encoding="utf-8") == "third"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["deal.yaml", "deal.yaml.bak"]


def test_the_backup_is_written_out_where_links_are_refused(tmp_path, monkeypatch):
    def refused(*args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    path = tmp_path / "deal.yaml"
    path.write_text("first", encoding="utf-8")
    write_keeping_previous(path, "second")
    assert (tmp_path / "deal.yaml.bak").read_text(encoding="utf-8") == "first"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["deal.yaml", "deal.yaml.bak"]
