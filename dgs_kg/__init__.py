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
]
