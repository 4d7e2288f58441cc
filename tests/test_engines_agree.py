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


def test_both_pyoxigraph_loaders_give_the_same_graph(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files go through the transactional loader, large ones through the bulk loader; both must
    give the same triples (the size threshold is lowered so the bulk path runs on the ontology)."""
    from dgs_kg import engines

    every_triple = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    small = engines.OxigraphEngine([built / "dgs.ttl"])
    monkeypatch.setattr(engines, "SMALL_FILE_BYTES", 0)
    bulk = engines.OxigraphEngine([built / "dgs.ttl"])
    rows = {name: {tuple(r.get(v) for v in ("s", "p", "o")) for r in e.select(every_triple)[1]}
            for name, e in (("small", small), ("bulk", bulk))}
    assert len(rows["small"]) > 10_000
    non_blank = {name: {t for t in triples if all(c is not None and c.kind != "bnode" for c in t)}
                 for name, triples in rows.items()}
    assert non_blank["small"] == non_blank["bulk"]
    assert len(rows["small"]) == len(rows["bulk"])
