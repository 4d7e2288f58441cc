"""Error types. Each carries the CLI exit code, so the CLI can turn any of them into one line.

Every dgs-kg module imports this one, so it stays free of dataclasses (slow to create at import).
"""
from __future__ import annotations

from .records import NamedTuple


def shown(text: str) -> str:
    """``text`` as it may appear inside a one-line message: control characters (a newline, a tab)
    are written as escapes, everything else (accents, dashes) is kept."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


CLOSED_PIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away


def silence_closed_stdout() -> int:
    """The reader of standard output went away (``dgs-kg term x | head -1``): like other Unix
    tools, stop quietly. Standard output is pointed at /dev/null so that the interpreter's last
    flush cannot fail a second time; returns the exit code."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout already closed or not a real file
        pass
    return CLOSED_PIPE_EXIT


def failure(exc: BaseException) -> tuple[str, int]:
    """What the CLI prints for ``exc`` instead of a traceback, and its exit code: 2 for usage
    errors, 1 for other dgs-kg errors, 130 when interrupted, 3 for a bug."""
    if isinstance(exc, DgsKgError):
        return f"error: {exc}", exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", 130
    return (f"internal error: {type(exc).__name__}: {exc} "
            "(please report it; set DGS_KG_DEBUG=1 to see the traceback)", 3)


class DgsKgError(Exception):
    """Base class for every error dgs-kg reports to a user (never shown as a traceback)."""

    exit_code = 1


class UsageError(DgsKgError):
    """The command was called wrongly (missing file, bad option value)."""

    exit_code = 2


class SourceProblem(NamedTuple):
    """One mistake in the ontology sources, located precisely enough to fix it."""

    file: str
    line: int
    message: str
    hint: str = ""
    column: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" [{self.column}]" if self.column else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{col}: {self.message}{hint}"


class SourceError(DgsKgError):
    """The ontology sources contain mistakes; the build wrote nothing."""

    def __init__(self, problems: list[SourceProblem] | None = None) -> None:
        self.problems: list[SourceProblem] = list(problems or [])
        super().__init__(self.problems)

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the ontology sources; nothing was written"
        return head + "\n" + "\n".join(str(p) for p in self.problems)


class ArtefactError(DgsKgError):
    """A built artefact is missing, unreadable or out of date."""


class ReasonerError(DgsKgError):
    """The reasoner (HermiT via owlready2, or Java itself) could not run."""
