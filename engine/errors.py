"""The exceptions dealbook raises, and how they print.

Every problem a user can cause — a malformed file, a schema violation, an
unknown id, a bad answer, a disallowed expression — is a :class:`DealbookError`.
Problems found in files carry a :class:`Location` and print as one line::

    playbooks/itam/modules/01-scope.yaml:12:7: unknown question 'deploymnt' (did you mean 'deployment'?) [items/0/applies_when]

Validation collects every problem it finds and raises them together as a
:class:`ValidationErrors`, so an author fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

__all__ = [
    "DealbookError",
    "Location",
    "Problem",
    "ValidationErrors",
    "InputFileError",
    "TemplateRenderError",
    "did_you_mean",
    "did_you_mean_or_list",
    "shorten",
    "EXIT_INVALID",
    "EXIT_INTERRUPTED",
]

#: Exit codes of the ``dealbook`` command (documented in the README); 2, wrong usage, is click's own.
EXIT_INVALID = 1  # the playbook, the answers or another input file has problems
EXIT_INTERRUPTED = 130  # Ctrl-C


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a file, a 1-based line and column, and a YAML path."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    #: the element the path points into, named for the author (``rule 'x', effect 1``); empty when the path says it
    element: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return where


class DealbookError(Exception):
    """Root of every error dealbook reports to a user.

    Like click's exceptions, an error knows how it prints (:meth:`lines`) and
    the exit code it ends a command with; :attr:`problems` holds the located
    problems, if the error has any.
    """

    exit_code: int = EXIT_INVALID

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The located problems this error reports (none for an error without a location)."""
        return ()

    def lines(self) -> list[str]:
        """What the command line prints for this error, one line each."""
        return [f"error: {self}"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file."""

    location: Location
    message: str

    def __str__(self) -> str:
        where = self.location.element or self.location.path
        suffix = f" [{where}]" if where else ""
        return f"{self.location}: {self.message}{suffix}"


class InputFileError(DealbookError):
    """A single problem with an input file, with its location."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(location, message)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return (self.problem,)

    def __str__(self) -> str:
        return str(self.problem)

    def lines(self) -> list[str]:
        return [str(self.problem)]


class TemplateRenderError(InputFileError):
    """A clause or pack template failed to render; :attr:`cause` keeps Jinja's exception."""

    def __init__(self, location: Location, message: str, cause: Exception) -> None:
        super().__init__(location, message)
        self.cause = cause


class ValidationErrors(DealbookError):
    """All problems found while validating a playbook or an answers file."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self._problems: tuple[Problem, ...] = tuple(
            sorted(set(problems), key=lambda p: (p.location.file, p.location.line, p.location.column, p.message))
        )
        super().__init__(f"{len(self._problems)} problem(s)")

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def lines(self) -> list[str]:
        return [*map(str, self.problems), f"{len(self.problems)} problem(s) found"]

    @staticmethod
    def raise_if(problems: Sequence[Problem]) -> None:
        """Raise the problems together, if there are any."""
        if problems:
            raise ValidationErrors(problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``(did you mean 'x'?)`` suffix for a misspelt id, or an empty string."""
    match = get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def did_you_mean_or_list(word: str, choices: Iterable[str], what: str, *, most: int = 12) -> str:
    """A did-you-mean suffix when a choice is close, else ``; the departments are a, b, c``."""
    close = did_you_mean(word, choices)
    if close:
        return close
    names = sorted(set(map(str, choices)))
    if not names:
        return f"; there are no {what}"
    shown = ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")
    return f"; the {what} are {shown}"


#: How much of a quoted value a message shows.
QUOTE_WIDTH = 80


def shorten(text: object, width: int = QUOTE_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with ``…``, so a message stays one screen."""
    value = " ".join(str(text).split()) if "\n" in str(text) else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"
