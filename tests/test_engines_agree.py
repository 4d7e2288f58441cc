"""Every named query gives identical result sets on in-process pyoxigraph, on rdflib and on a real
Oxigraph server on 127.0.0.1 (``dgs-kg serve``) reached through the SPARQL 1.1 Protocol."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dgs_kg.graph import KnowledgeGraph

from .test_queries import NAMES, _subjects, typed_rows
from .test_server import start_serve, stop_serve

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def endpoint(built: Path) -> Iterator[str]:
    served = start_serve("--file", str(built / "dgs.ttl"))
    try:
        yield served.url + "query"
    finally:
        stop_serve(served)


@pytest.fixture(scope="module")
def three(built: Path, endpoint: str) -> dict[str, KnowledgeGraph]:
    return {"oxigraph": KnowledgeGraph.load(built / "dgs.ttl"),
            "rdflib": KnowledgeGraph.load(built / "dgs.ttl", engine="rdflib"),
            "endpoint": KnowledgeGraph.load(endpoint=endpoint)}


@pytest.mark.parametrize("name", NAMES)
def test_named_query_identical_on_all_three_engines(three: dict[str, KnowledgeGraph], name: str) -> None:
    for subject in _subjects(name):
        results = {engine: kg.query(name, subject=subject) for engine, kg in three.items()}
        reference = typed_rows(results["oxigraph"])
        assert len(results["oxigraph"]) > 0, f"{name} {subject!r} returned nothing"
        for engine, res in results.items():
            assert res.variables == results["oxigraph"].variables, engine
            assert typed_rows(res) == reference, f"{name} '{subject}' differs on {engine}"
