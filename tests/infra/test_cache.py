import pickle

import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.infra import cache
from dealbook.playbook.load import cache_key
from dealbook.playbook.sources import resolve_playbook_path

from ..conftest import edit


def test_a_valid_playbook_is_cached_and_evaluates_the_same(mini_copy):
    first = dealbook.load_playbook(mini_copy)
    key = cache_key(resolve_playbook_path(mini_copy))
    assert first.digest == key
    cached = cache.load_cached_playbook(key)
    assert cached is not None and cached is not first
    answers = Answers(Deal("D", "V"), {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]})
    fresh, again = dealbook.evaluate(first, answers), dealbook.evaluate(dealbook.load_playbook(mini_copy), answers)
    assert [str(decision) for decision in fresh.trace] == [str(decision) for decision in again.trace]
    assert [again.position(result.opening) for result in again.items] == [fresh.position(result.opening) for result in fresh.items]


def test_any_edit_changes_the_key(mini_copy):
    before = cache_key(resolve_playbook_path(mini_copy))
    edit(mini_copy / "modules/data.yaml", "summary: Personal data.", "summary: Personal data, edited.")
    assert cache_key(resolve_playbook_path(mini_copy)) != before


def test_a_corrupt_entry_is_ignored_and_rebuilt(mini_copy):
    dealbook.load_playbook(mini_copy)
    key = cache_key(resolve_playbook_path(mini_copy))
    entry = cache.cache_folder() / "playbooks" / f"{key}.pickle"
    entry.write_bytes(b"not a pickle")
    assert dealbook.load_playbook(mini_copy).id == "mini"
    assert pickle.loads(entry.read_bytes()).id == "mini"


def test_invalid_playbooks_are_never_cached(mini_copy):
    edit(mini_copy / "modules/data.yaml", "owner: legal", "owner: legl")
    key = cache_key(resolve_playbook_path(mini_copy))
    with pytest.raises(dealbook.ValidationErrors):
        dealbook.load_playbook(mini_copy)
    assert cache.load_cached_playbook(key) is None


def test_caching_can_be_switched_off(monkeypatch, tmp_path):
    cache.cache_folder.cache_clear()
    try:
        monkeypatch.setenv("DEALBOOK_CACHE", "off")
        assert cache.cache_folder() is None
        monkeypatch.setenv("DEALBOOK_CACHE", str(tmp_path / "c"))
        cache.cache_folder.cache_clear()
        assert cache.cache_folder() == tmp_path / "c"
    finally:
        cache.cache_folder.cache_clear()


def test_an_overlay_is_cached_under_a_key_covering_every_layer(tmp_path):
    import shutil

    from ..conftest import FIXTURES

    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copytree(FIXTURES / "mini_overlay", tmp_path / "mini_overlay")
    overlay = tmp_path / "mini_overlay"
    first = dealbook.load_playbook(overlay)
    key = cache_key(resolve_playbook_path(overlay))
    assert key is not None and first.digest == key
    assert cache.load_cached_playbook(key).id == first.id
    edit(tmp_path / "mini" / "modules/data.yaml", "summary: Personal data.", "summary: Personal data, edited.")
    assert cache_key(resolve_playbook_path(overlay)) != key
