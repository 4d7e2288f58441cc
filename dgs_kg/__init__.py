"""dgs-kg: a knowledge-graph ontology and query toolkit for deep gluteal syndrome.

For research and education only; nothing here is clinical advice.
"""
from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing here would slow every start
if TYPE_CHECKING:  # pragma: no cover
    from .errors import ArtefactError, DgsKgError, ReasonerError, SourceError, SourceProblem, UsageError
    from .graph import KnowledgeGraph
    from .queries import run as run_query

__all__ = [
    "__version__",
    "ArtefactError",
    "DgsKgError",
    "ReasonerError",
    "SourceError",
    "SourceProblem",
    "UsageError",
    "KnowledgeGraph",
    "run_query",
]

_ERRORS = frozenset({"ArtefactError", "DgsKgError", "ReasonerError", "SourceError", "SourceProblem", "UsageError"})


def __getattr__(name: str) -> object:
    """Lazy exports, so ``import dgs_kg`` (and the CLI) start fast: each part loads on first use."""
    if name in _ERRORS:
        from . import errors

        return getattr(errors, name)
    if name == "KnowledgeGraph":
        from .graph import KnowledgeGraph

        return KnowledgeGraph
    if name == "run_query":
        from .queries import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
