"""The terminal side of the interview: every prompt drawn by questionary.

:class:`TerminalAsker` implements :class:`dealbook.interview.Asker` with
questionary (prompt_toolkit): lists picked with the arrow keys, checkboxes
ticked with the space bar, yes/no with a key press, text checked as it is
typed. Prompts use ``unsafe_ask`` so that Ctrl-C reaches the interview,
which has saved every answer, instead of being swallowed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import questionary

from ..errors import DealbookError
from ..intake.interview import Pick

__all__ = ["TerminalAsker", "terminal_asker"]


class TerminalAsker:
    """An :class:`~dealbook.interview.Asker` for a person at a terminal."""

    def select(self, message: str, picks: Sequence[Pick], default: str | None) -> str:
        keyed = all(pick.key for pick in picks)
        choices = [questionary.Choice(pick.label, value=pick.value, shortcut_key=pick.key if keyed else True) for pick in picks]
        instruction = "(arrow keys or the letter, then Enter)" if keyed else "(arrow keys, then Enter)"
        question = questionary.select(message, choices, default=default, use_shortcuts=keyed, instruction=instruction)
        return question.unsafe_ask()

    def checkbox(self, message: str, picks: Sequence[Pick], checked: Sequence[str]) -> list[str]:
        choices = [questionary.Choice(pick.label, value=pick.value, checked=pick.value in checked) for pick in picks]
        instruction = "(arrow keys, space to tick, Enter when done)"
        return list(questionary.checkbox(message, choices, instruction=instruction).unsafe_ask())

    def text(self, message: str, default: str, check: Callable[[str], str | None], hint: str = "") -> str:
        question = questionary.text(message, default=default, validate=lambda text: check(text) or True, instruction=hint or None)
        return question.unsafe_ask()

    def confirm(self, message: str, default: bool) -> bool:
        return bool(questionary.confirm(message, default=default).unsafe_ask())

    def tell(self, message: str) -> None:
        print(message, flush=True)


def terminal_asker() -> TerminalAsker:
    """The terminal asker; refuses at once when there is no terminal to ask in."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise DealbookError(
            "the interview needs an interactive terminal; to fill in a deal without one, "
            "write the questionnaire with `dealbook questionnaire -o deal.yaml` and edit it"
        )
    return TerminalAsker()
