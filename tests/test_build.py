"""The build is deterministic, the committed artefacts are current, and no serialisation loses a triple."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

from dgs_kg.build import _canonical, stale_artefacts
from dgs_kg.vocab import IAO_DEFINITION, OIO_SOURCE, OIO_XREF, SYNONYM_SCOPES

from .conftest import ONTOLOGY, SRC

ARTEFACTS = ["dgs.owl", "dgs.ttl", "dgs.json", "dgs-base.ttl", "dgs-base.owl", "mappings/dgs.sssom.tsv"]


def test_committed_artefacts_are_up_to_date() -> None:
    assert stale_artefacts(SRC, ONTOLOGY) == [], "run 'make ontology' and commit the artefacts"


def test_rebuild_is_byte_identical_across_processes(built: Path, tmp_path: Path) -> None:
    # A second build in another process with another hash seed must give the same bytes.
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-m", "dgs_kg", "build", "--src", str(SRC), "--out", str(tmp_path)],
                   check=True, env=env, capture_output=True)
    for name in ARTEFACTS:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


@pytest.mark.parametrize("stem", ["dgs", "dgs-base"])
def test_rdfxml_and_turtle_are_isomorphic(built: Path, stem: str) -> None:
    ttl = Graph().parse(built / f"{stem}.ttl", format="turtle")
    owl = Graph().parse(built / f"{stem}.owl", format="xml")
    assert len(ttl) == len(owl) > 500
    # Content-derived blank-node labels make isomorphic graphs equal as sets (linear time, unlike
    # rdflib's general isomorphism test, which takes minutes on thousands of axiom annotations).
    assert set(_canonical(ttl)) == set(_canonical(owl))


@pytest.mark.parametrize("stem", ["dgs", "dgs-base"])
def test_pyoxigraph_reads_the_same_triples(built: Path, stem: str) -> None:
    counts = {}
    for name, fmt in ((f"{stem}.ttl", ox.RdfFormat.TURTLE), (f"{stem}.owl", ox.RdfFormat.RDF_XML)):
        store = ox.Store()
        store.load(path=str(built / name), format=fmt)
        counts[name] = len(store)
    rdflib_count = len(Graph().parse(built / f"{stem}.ttl", format="turtle"))
    assert set(counts.values()) == {rdflib_count}


def test_owlready2_loads_every_class(built: Path) -> None:
    from owlready2 import World

    world = World()
    onto = world.get_ontology((built / "dgs.owl").as_uri()).load()
    graph = Graph().parse(built / "dgs.ttl", format="turtle")
    expected = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert {c.iri for c in onto.classes()} == expected


def _edges_from_rdf(graph: Graph) -> set[tuple[str, str, str, tuple[str, ...]]]:
    edges = set()
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, URIRef):
            edges.add((str(s), "is_a", str(o), ()))
        elif isinstance(o, BNode) and (o, OWL.someValuesFrom, None) in graph:
            sources = tuple(sorted(str(x) for ax in graph.subjects(OWL.annotatedTarget, o)
                                   for x in graph.objects(ax, OIO_SOURCE)))
            edges.add((str(s), str(graph.value(o, OWL.onProperty)), str(graph.value(o, OWL.someValuesFrom)), sources))
    return edges


def test_obograph_json_keeps_every_term_label_definition_synonym_xref_and_edge(built: Path) -> None:
    graph = Graph().parse(built / "dgs.ttl", format="turtle")
    doc = json.loads((built / "dgs.json").read_text())
    (g,) = doc["graphs"]
    nodes = {n["id"]: n for n in g["nodes"]}
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)} - {"https://w3id.org/dgs-kg/dgs.owl"}
    assert set(nodes) == subjects
    for s, label in graph.subject_objects(RDFS.label):
        assert nodes[str(s)]["lbl"] == str(label)
    for s, d in graph.subject_objects(IAO_DEFINITION):
        assert nodes[str(s)]["meta"]["definition"]["val"] == str(d)
    rdf_syns = {(str(s), str(o)) for p in SYNONYM_SCOPES.values() for s, o in graph.subject_objects(p)}
    json_syns = {(i, x["val"]) for i, n in nodes.items() for x in n.get("meta", {}).get("synonyms", [])}
    assert rdf_syns == json_syns
    rdf_xrefs = {(str(s), str(o)) for s, o in graph.subject_objects(OIO_XREF) if isinstance(s, URIRef)}
    json_xrefs = {(i, x["val"]) for i, n in nodes.items() for x in n.get("meta", {}).get("xrefs", [])}
    assert rdf_xrefs == json_xrefs
    json_edges = {(e["sub"], e["pred"], e["obj"], tuple(sorted(
        b["val"] for b in e.get("meta", {}).get("basicPropertyValues", []) if b["pred"] == str(OIO_SOURCE))))
        for e in g["edges"] if e["pred"] not in ("subPropertyOf", "type", "inverseOf")}
    assert json_edges == _edges_from_rdf(graph)


def test_header_has_version_iri_title_description_license_creator(built: Path) -> None:
    graph = Graph().parse(built / "dgs.ttl", format="turtle")
    ont = URIRef("https://w3id.org/dgs-kg/dgs.owl")
    dc = "http://purl.org/dc/terms/"
    version = str(graph.value(ont, OWL.versionInfo))
    assert str(graph.value(ont, OWL.versionIRI)) == f"https://w3id.org/dgs-kg/releases/{version}/dgs.owl"
    assert graph.value(ont, URIRef(dc + "title"))
    assert "not clinical advice" in str(graph.value(ont, URIRef(dc + "description")))
    assert graph.value(ont, URIRef(dc + "license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(ont, URIRef(dc + "creator"))
    assert (ont, OWL.imports, None) not in graph, "the full artefact merges its imports"


def test_base_has_only_project_axioms(built: Path) -> None:
    base = Graph().parse(built / "dgs-base.ttl", format="turtle")
    full = Graph().parse(built / "dgs.ttl", format="turtle")
    labelled_in_base = {s for s in base.subjects(RDFS.label) if str(s).startswith("http://purl.obolibrary.org/obo/UBERON_")}
    labelled_in_full = {s for s in full.subjects(RDFS.label) if str(s).startswith("http://purl.obolibrary.org/obo/UBERON_")}
    assert not labelled_in_base, "Uberon labels belong to the import module, not the base"
    assert len(labelled_in_full) > 100


def test_import_module_has_one_anatomical_entity() -> None:
    # The 2022 subset names the root 'CARO:0000000 anatomical entity', an xref of UBERON:0001062:
    # the module must use the Uberon class only, so no two imported classes share a label.
    module = Graph().parse(ONTOLOGY / "imports" / "uberon_import.ttl", format="turtle")
    caro = [s for s in module.subjects(RDF.type, OWL.Class) if "/CARO_" in str(s)]
    assert not caro
    labels = [str(o) for s in module.subjects(RDF.type, OWL.Class) for o in module.objects(s, RDFS.label)]
    assert len(labels) == len(set(labels))
    hip_joint = URIRef("http://purl.obolibrary.org/obo/UBERON_0001486")
    assert (hip_joint, RDFS.subClassOf, URIRef("http://purl.obolibrary.org/obo/UBERON_0001062")) in module
