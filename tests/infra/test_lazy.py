"""A value worked out on first read and kept on the instance, as functools.cached_property, without its lock."""

import threading

from dealbook.infra.lazy import cached_property


class Deal:
    def __init__(self) -> None:
        self.reads = 0

    @cached_property
    def value(self) -> int:
        """Worked out once."""
        self.reads += 1
        return 42


def test_the_value_is_worked_out_once_and_kept_on_the_instance():
    deal = Deal()
    assert (deal.value, deal.value, deal.reads) == (42, 42, 1)
    assert deal.__dict__["value"] == 42
    other = Deal()
    assert other.value == 42 and other.reads == 1  # each instance its own


def test_the_class_gives_the_descriptor_with_its_documentation():
    assert isinstance(Deal.value, cached_property)
    assert Deal.value.__doc__ == "Worked out once."


def test_a_value_can_be_set_and_deleted_like_an_attribute():
    deal = Deal()
    deal.value = 7
    assert deal.value == 7 and deal.reads == 0
    del deal.value
    assert deal.value == 42 and deal.reads == 1


def test_threads_reading_at_once_all_get_the_value():
    deal, seen = Deal(), []
    threads = [threading.Thread(target=lambda: seen.append(deal.value)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 8
