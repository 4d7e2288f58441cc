"""dgs-kg: a knowledge-graph ontology and query toolkit for deep gluteal syndrome.

For research and education only; nothing here is clinical advice.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import ArtefactError, DgsKgError, ReasonerError, SourceError, SourceProblem, UsageError

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


def __getattr__(name: str) -> object:
    """Lazy exports, so ``import dgs_kg`` (and the CLI) stay fast: the query layer loads on first use."""
    if name == "KnowledgeGraph":
        from .graph import KnowledgeGraph

        return KnowledgeGraph
    if name == "run_query":
        from .queries import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
