import shutil

from click.testing import CliRunner
from dealbook.cli import main

from ..conftest import FIXTURES


def test_validate_warns_about_a_module_file_the_playbook_does_not_list(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copy(tmp_path / "mini" / "modules" / "data.yaml", tmp_path / "mini" / "modules" / "99-draft.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "mini"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "mini/modules/99-draft.yaml:1:1: warning: this file is not listed under 'modules' in playbook.yaml, so the playbook does not read it"
    ]
    assert result.stdout.startswith("mini 0.1.0: valid")


def test_a_playbook_whose_files_are_all_listed_gets_no_warning():
    result = CliRunner().invoke(main, ["validate", str(FIXTURES / "mini")])
    assert result.exit_code == 0 and result.stderr == ""
