"""Runs over many deals: the cycle collector is set for them, and set back."""

import gc

import pytest
from dealbook.negotiation.batch import BATCH_THRESHOLD, batch_collection


def test_a_batch_sets_the_collector_for_many_deals_and_sets_it_back_even_on_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_collection():
        assert gc.get_threshold() == BATCH_THRESHOLD
        assert gc.get_freeze_count() > 0  # what was loaded is out of the scans
        raise RuntimeError("a deal failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
