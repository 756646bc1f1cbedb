"""The playbook cache: content-keyed, authenticated, plain data, private, bounded — and never a way to run code."""

import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from dataclasses import fields

import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.infra import cache
from dealbook.playbook.load import cache_key
from dealbook.playbook.model import Playbook
from dealbook.playbook.sources import display_name, resolve_playbook_path

from ..conftest import FIXTURES, REPO, edit


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A fresh cache folder for one test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DEALBOOK_CACHE", str(folder))
    cache.cache_folder.cache_clear()
    yield folder
    cache.cache_folder.cache_clear()


def entries(folder):
    return sorted((folder / "playbooks").glob("*.entry"))


def test_a_valid_playbook_is_cached_in_one_file_and_evaluates_the_same(private_cache, mini_copy):
    first = dealbook.load_playbook(mini_copy)
    key = cache_key(resolve_playbook_path(mini_copy))
    assert first.digest == key
    assert [path.name for path in entries(private_cache)] == [f"{key}.entry"]
    again = dealbook.load_playbook(mini_copy)
    assert again is not first and again.sections == first.sections and again.modules == first.modules
    answers = Answers(Deal("D", "V"), {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]})
    fresh, cached = dealbook.evaluate(first, answers), dealbook.evaluate(again, answers)
    assert [str(decision) for decision in fresh.trace] == [str(decision) for decision in cached.trace]
    assert [cached.position(result.opening) for result in cached.items] == [fresh.position(result.opening) for result in fresh.items]


def test_every_part_of_the_bundled_playbook_survives_the_cache(private_cache):
    first = dealbook.load_playbook("itam")
    assert len(entries(private_cache)) == 1, "the bundled playbook must be storable"
    again = dealbook.load_playbook("itam")
    assert again is not first and first.patterns
    for field in fields(Playbook):
        assert getattr(again, field.name) == getattr(first, field.name), field.name


_READS_FROM_A_FRESH_PROCESS = """
import json, jinja2, dealbook
from dealbook.playbook.wording_checks import templates_of
from dealbook.playbook.clauses import branch_reads, template_reads, truth_reads
playbook = dealbook.load_playbook("itam")
if {parse_refused}:
    def refuse(*args, **kwargs):
        raise AssertionError("a template was parsed")
    jinja2.Environment.parse = refuse
print(json.dumps({{source: [template_reads(source), branch_reads(source), truth_reads(source)] for source, _ in templates_of(playbook) if "{{" in source}}))
"""


def test_a_playbook_from_the_cache_knows_what_its_templates_read_without_parsing_them(private_cache):
    """The reads decide which renders an evaluation may share; a warm load takes them from the entry."""
    def reads(parse_refused: bool) -> dict:
        script = _READS_FROM_A_FRESH_PROCESS.format(parse_refused=parse_refused)
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=False)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    computed = reads(parse_refused=False)  # cold: analysed while validating, then stored
    assert len(entries(private_cache)) == 1 and len(computed) > 100
    assert reads(parse_refused=True) == computed


def test_a_warm_load_restores_conditions_from_the_code_part_and_they_decide_the_same(private_cache, monkeypatch):
    from dealbook.playbook import load, stored

    cold = dealbook.load_playbook("itam")

    def refuse(*args, **kwargs):
        raise AssertionError("compiled or built again")

    monkeypatch.setattr(stored, "compile_condition", refuse)
    monkeypatch.setattr(load, "_validate_and_build", refuse)  # a refused entry would be rebuilt from the files
    warm = dealbook.load_playbook("itam")
    for deal in sorted((REPO / "examples/deals").glob("*.yaml")):
        fresh, cached = (dealbook.evaluate(playbook, dealbook.load_answers(deal, playbook)) for playbook in (cold, warm))
        assert [str(decision) for decision in cached.trace] == [str(decision) for decision in fresh.trace], deal.stem


def test_a_condition_without_its_python_in_the_code_part_is_compiled_again(private_cache, mini_copy):
    first = dealbook.load_playbook(mini_copy)
    (entry,) = entries(private_cache)
    data, code = cache.load_entry(entry.stem)
    cache.store_entry(entry.stem, data, {name: value for name, value in code.items() if not isinstance(value, str)})
    again = dealbook.load_playbook(mini_copy)
    assert again.rules == first.rules and again.items == first.items
    answers = Answers(Deal("D", "V"), {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]})
    assert [str(d) for d in dealbook.evaluate(again, answers).trace] == [str(d) for d in dealbook.evaluate(first, answers).trace]


def test_the_key_does_not_depend_on_the_working_directory(private_cache, mini_copy, monkeypatch):
    monkeypatch.chdir(mini_copy)
    near = dealbook.load_playbook(".")
    monkeypatch.chdir(mini_copy.parent.parent)
    far = dealbook.load_playbook(mini_copy)
    assert near.digest == far.digest and len(entries(private_cache)) == 1
    # the cached copy names files as seen from here, not from where it was stored
    assert far.items[0].location.file == display_name(mini_copy / "modules/commercial.yaml") != near.items[0].location.file
    assert near.items[0].location.file == "modules/commercial.yaml"


def test_any_edit_changes_the_key(mini_copy):
    before = cache_key(resolve_playbook_path(mini_copy))
    edit(mini_copy / "modules/data.yaml", "summary: Personal data.", "summary: Personal data, edited.")
    assert cache_key(resolve_playbook_path(mini_copy)) != before


def test_a_corrupt_entry_is_removed_and_rebuilt(private_cache, mini_copy):
    dealbook.load_playbook(mini_copy)
    (entry,) = entries(private_cache)
    entry.write_bytes(entry.read_bytes()[:-10] + b"x" * 10)
    assert dealbook.load_playbook(mini_copy).id == "mini"
    assert cache.load_entry(entry.stem) is not None  # rebuilt, and verifies again


class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


PLANTED = {
    "a pickle that runs a command": pickle.dumps(_Exploit()),
    "an entry with a forged tag": cache.MAGIC + b"\0" * 32 + b"\0\0\0\0\0\0\0\2{}",
    "marshalled code without a tag": cache.MAGIC + __import__("marshal").dumps(compile("open('PWNED','w')", "x", "exec")),
}


@pytest.mark.parametrize("planted", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_entry_never_runs_and_is_replaced(private_cache, mini_copy, monkeypatch, planted):
    monkeypatch.chdir(mini_copy)
    key = cache_key(resolve_playbook_path(mini_copy))
    (private_cache / "playbooks").mkdir(parents=True, exist_ok=True)
    entry = private_cache / "playbooks" / f"{key}.entry"
    entry.write_bytes(planted)
    entry.chmod(0o666)
    (private_cache / "playbooks" / f"{key}.pickle").write_bytes(planted)
    assert dealbook.load_playbook(".").id == "mini"
    assert not (mini_copy / "PWNED").exists()
    assert cache.load_entry(key) is not None
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # rebuilt, not the planted file's mode


def _conditions(value):
    if isinstance(value, list) and value[:1] == ["C"]:
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _conditions(item)


def test_a_tampered_plain_part_with_a_valid_tag_cannot_build_other_objects(private_cache, mini_copy):
    dealbook.load_playbook(mini_copy)
    (entry,) = entries(private_cache)
    data, code = cache.load_entry(entry.stem)
    data["departments"] = ["t", ["@Popen", "id"]]
    conditions = list(_conditions(data))
    assert conditions
    for condition in conditions:
        condition[1] = "__import__('os').system('touch PWNED')"
    cache.store_entry(entry.stem, data, code)  # as if someone had the key
    assert dealbook.load_playbook(mini_copy).departments[0].id != "id"
    assert not any(path.name == "PWNED" for path in mini_copy.rglob("*"))


def test_invalid_playbooks_are_never_cached(private_cache, mini_copy):
    edit(mini_copy / "modules/data.yaml", "owner: legal", "owner: legl")
    with pytest.raises(dealbook.ValidationErrors):
        dealbook.load_playbook(mini_copy)
    assert entries(private_cache) == []


def test_caching_can_be_switched_off(private_cache, monkeypatch, mini_copy):
    monkeypatch.setenv("DEALBOOK_CACHE", "off")
    cache.cache_folder.cache_clear()
    assert cache.cache_folder() is None
    dealbook.load_playbook(mini_copy)
    assert not private_cache.exists()


def test_files_are_0600_and_folders_0700_whatever_the_umask(private_cache, mini_copy):
    previous = os.umask(0)
    try:
        dealbook.load_playbook(mini_copy)
    finally:
        os.umask(previous)
    modes = {path.relative_to(private_cache).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in [private_cache, *private_cache.rglob("*")]}
    assert set(modes.values()) <= {0o600, 0o700} and modes["."] == 0o700 and modes["key"] == 0o600
    assert all(mode == 0o600 for name, mode in modes.items() if name.endswith(".entry"))


def _world_writable(folder):
    folder.mkdir()
    folder.chmod(0o777)


def _symlinked(folder):
    real = folder.with_name("elsewhere")
    real.mkdir(mode=0o700)
    folder.symlink_to(real)


def _someone_elses(folder):
    if os.getuid() != 0:
        pytest.skip("needs root to give the folder to another user")
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)


UNSAFE = {"writable by others": (_world_writable, "writable by other users"), "a symbolic link": (_symlinked, "symbolic link"),
          "another user's": (_someone_elses, "belongs to another user")}


@pytest.mark.parametrize(("make", "reason"), UNSAFE.values(), ids=UNSAFE.keys())
def test_an_unsafe_cache_folder_is_refused(private_cache, mini_copy, make, reason):
    make(private_cache)
    assert cache.cache_folder() is None
    assert reason in cache.cache_refusal()
    assert dealbook.load_playbook(mini_copy).id == "mini"
    assert not (private_cache / "playbooks").exists() or not any((private_cache / "playbooks").iterdir())


def test_the_least_recently_used_entries_are_evicted(private_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("DEALBOOK_CACHE_SIZE", "0.03")  # about 30 KB: room for one small playbook
    copies = []
    for number in range(3):
        copy = tmp_path / f"mini{number}"
        shutil.copytree(FIXTURES / "mini", copy)
        edit(copy / "modules/data.yaml", "summary: Personal data.", f"summary: Personal data {number}.")
        dealbook.load_playbook(copy)
        copies.append(cache_key(resolve_playbook_path(copy)))
    assert [path.stem for path in entries(private_cache)] == [copies[-1]]


def test_an_overlay_is_cached_under_a_key_covering_every_layer(private_cache, tmp_path):
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copytree(FIXTURES / "mini_overlay", tmp_path / "mini_overlay")
    overlay = tmp_path / "mini_overlay"
    first = dealbook.load_playbook(overlay)
    key = cache_key(resolve_playbook_path(overlay))
    assert key is not None and first.digest == key and cache.load_entry(key) is not None
    assert dealbook.load_playbook(overlay).sections == first.sections
    edit(tmp_path / "mini" / "modules/data.yaml", "summary: Personal data.", "summary: Personal data, edited.")
    assert cache_key(resolve_playbook_path(overlay)) != key


NOT_PLAYBOOKS = {
    "a list": "- just\n- a list\n",
    "a string": "just text\n",
    "modules not a list": "id: x\nmodules: 3\n",
    "extends a system file": "id: x\nextends: /etc/passwd\n",
}


@pytest.mark.parametrize("manifest", NOT_PLAYBOOKS.values(), ids=NOT_PLAYBOOKS.keys())
def test_a_manifest_that_is_not_a_playbook_is_one_clean_error(private_cache, tmp_path, manifest):
    (tmp_path / "playbook.yaml").write_text(manifest, encoding="utf-8")
    with pytest.raises(dealbook.DealbookError) as raised:
        dealbook.load_playbook(tmp_path)
    assert all(line.startswith(str(tmp_path)) or "problem(s)" in line for line in raised.value.lines())


def test_pack_templates_compile_once_into_authenticated_entries(private_cache, tmp_path):
    from dealbook.infra.cache import template_code_cache
    from dealbook.infra.sandbox import sandboxed_environment
    from jinja2 import DictLoader

    source = {"page.md.j2": "# {{ title }}\n"}
    first = sandboxed_environment(DictLoader(source), bytecode_cache=template_code_cache())
    assert first.get_template("page.md.j2").render(title="A") == "# A"
    stored = entries(private_cache)
    assert len(stored) == 1
    compiled: list[str] = []
    again = sandboxed_environment(DictLoader(source), bytecode_cache=template_code_cache())
    again.compile = lambda *args, **kwargs: compiled.append("compiled") or first.compile(*args, **kwargs)  # type: ignore[method-assign]
    assert again.get_template("page.md.j2").render(title="B") == "# B" and compiled == []  # the stored code was used
    raw = stored[0].read_bytes()
    stored[0].write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))  # tampered: the HMAC no longer verifies
    third = sandboxed_environment(DictLoader(source), bytecode_cache=template_code_cache())
    third.compile = lambda *args, **kwargs: compiled.append("compiled") or first.compile(*args, **kwargs)  # type: ignore[method-assign]
    assert third.get_template("page.md.j2").render(title="C") == "# C" and compiled == ["compiled"]
