"""What a terminal or a YAML comment can show as it is."""

import re

from dealbook.playbook.values import NOT_PRINTABLE, show_answer

#: The printable characters, as the rule reads: tab, printable ASCII, and every other code point but C1
#: controls, surrogates and the two non-characters U+FFFE and U+FFFF.
PRINTABLE = re.compile("[\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def test_every_code_point_is_either_printable_or_refused():
    disagree = [hex(point) for point in range(0x110000)
                if bool(NOT_PRINTABLE.match(chr(point))) == bool(PRINTABLE.match(chr(point)))]
    assert disagree == []


def test_an_answer_shows_refused_characters_as_question_marks():
    assert show_answer("red\x1b[31m text\u0085") == "red?[31m text?"
