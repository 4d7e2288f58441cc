"""Content quality of the real ontology: every term defined and sourced, every relationship sourced,
every xref verified, every term the seed overview names present, variants fully described."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dgs_kg.engines import OxigraphEngine
from dgs_kg.resolve import SCOPES
from dgs_kg.stats import PREFIXES, compute_stats

from .conftest import ROOT

DGS = "https://w3id.org/dgs-kg/DGS_"



@pytest.fixture(scope="module")
def engine(built: Path) -> OxigraphEngine:
    return OxigraphEngine([built / "dgs.ttl"])


def _rows(engine: OxigraphEngine, query: str) -> list[dict[str, str]]:
    _, rows = engine.select(PREFIXES + "PREFIX dgs: <https://w3id.org/dgs-kg/DGS_>\n" + query)
    return [{k: v.value for k, v in r.items()} for r in rows]


def test_every_project_class_has_a_label_and_a_sourced_definition(engine: OxigraphEngine) -> None:
    bad = _rows(engine, """SELECT ?c WHERE { ?c a owl:Class . FILTER(STRSTARTS(STR(?c), STR(dgs:)))
        FILTER NOT EXISTS { ?c rdfs:label ?l } }""") + _rows(engine, """SELECT ?c WHERE { ?c a owl:Class .
        FILTER(STRSTARTS(STR(?c), STR(dgs:)))
        FILTER NOT EXISTS { ?c <http://purl.obolibrary.org/obo/IAO_0000115> ?d .
          ?ax owl:annotatedSource ?c ; owl:annotatedProperty <http://purl.obolibrary.org/obo/IAO_0000115> ;
              owl:annotatedTarget ?d ; oboInOwl:hasDbXref ?src } }""")
    assert bad == []


def test_every_relationship_axiom_has_a_source(engine: OxigraphEngine) -> None:
    total = _rows(engine, """SELECT (COUNT(*) AS ?n) WHERE { ?c rdfs:subClassOf ?r . ?r owl:someValuesFrom ?o .
        FILTER(STRSTARTS(STR(?c), STR(dgs:))) }""")
    unsourced = _rows(engine, """SELECT ?c ?p ?o WHERE { ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ;
        owl:someValuesFrom ?o . FILTER(STRSTARTS(STR(?c), STR(dgs:)))
        FILTER NOT EXISTS { ?ax owl:annotatedSource ?c ; owl:annotatedTarget ?r ; oboInOwl:source ?s } }""")
    assert int(total[0]["n"]) > 0
    assert unsourced == []


def test_every_cited_source_is_a_bibliography_individual(engine: OxigraphEngine) -> None:
    missing = _rows(engine, """SELECT DISTINCT ?src WHERE {
        { ?ax oboInOwl:source ?src } UNION
        { ?ax owl:annotatedProperty <http://purl.obolibrary.org/obo/IAO_0000115> ; oboInOwl:hasDbXref ?src }
        FILTER NOT EXISTS { ?pub a dgs:0000020 ; oboInOwl:hasDbXref ?x . FILTER(LCASE(?x) = LCASE(?src)) } }""")
    assert missing == []


def test_every_xref_is_in_the_verified_table(engine: OxigraphEngine) -> None:
    with (ROOT / "ontology" / "src" / "reference" / "xrefs.tsv").open(encoding="utf-8") as handle:
        verified = {row["id"] for row in csv.DictReader(handle, delimiter="\t")}
    used = {r["x"] for r in _rows(engine, """SELECT DISTINCT ?x WHERE { ?c oboInOwl:hasDbXref ?x ; a owl:Class .
        FILTER(STRSTARTS(STR(?c), STR(dgs:))) }""")}
    assert used, "the ontology should carry verified xrefs"
    assert used - verified == set()


SYNONYM_PROPERTIES = " ".join(f"<{iri}>" for iri in SCOPES)  # the four oboInOwl synonym scopes


def test_every_term_has_a_literature_synonym_or_a_documented_search(engine: OxigraphEngine) -> None:
    """Issue 3: every term carries the synonyms the literature uses. Top-level categories are
    grouping classes; any other term without one must be listed with the searches that found none."""
    without = {r["c"].replace(DGS, "DGS:") for r in _rows(engine, f"""SELECT ?c WHERE {{ ?c a owl:Class .
        FILTER(STRSTARTS(STR(?c), STR(dgs:)))
        FILTER NOT EXISTS {{ ?c oboInOwl:inSubset <https://w3id.org/dgs-kg/subset/category> }}
        FILTER NOT EXISTS {{ VALUES ?p {{ {SYNONYM_PROPERTIES} }} ?c ?p ?s }} }}""")}
    with (ROOT / "tests" / "data" / "terms_without_synonym.tsv").open(encoding="utf-8") as handle:
        documented = {row["id"]: row for row in csv.DictReader(
            (line for line in handle if not line.startswith("#")), delimiter="\t")}
    assert all(row["searched"].strip() for row in documented.values()), "say what was searched"
    # A term given a synonym must leave the list; a new term without one must join it.
    assert without == set(documented)


def test_every_recorded_synonym_source_is_a_pmid_or_doi(engine: OxigraphEngine) -> None:
    """Synonyms from values rows, and template synonyms written 'text @ source', are axioms
    annotated with the PMID/DOI of the work in which the wording was seen."""
    rows = _rows(engine, f"""SELECT ?c ?s ?src WHERE {{ VALUES ?p {{ {SYNONYM_PROPERTIES} }}
        ?ax owl:annotatedSource ?c ; owl:annotatedProperty ?p ; owl:annotatedTarget ?s ; oboInOwl:source ?src .
        FILTER(STRSTARTS(STR(?c), STR(dgs:))) }}""")
    assert len({(r["c"], r["s"]) for r in rows}) >= 20
    assert all(r["src"].startswith(("PMID:", "doi:")) for r in rows)


def test_top_level_categories_are_pairwise_disjoint(engine: OxigraphEngine) -> None:
    categories = {r["c"] for r in _rows(engine, "SELECT ?c WHERE { ?c oboInOwl:inSubset "
                                                "<https://w3id.org/dgs-kg/subset/category> }")}
    disjoint = {r["m"] for r in _rows(engine, "SELECT ?m WHERE { ?d a owl:AllDisjointClasses ; "
                                              "owl:members/rdf:rest*/rdf:first ?m }".replace(
                                                  "SELECT", "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT"))}
    assert len(categories) >= 6
    assert categories == disjoint


def test_at_least_180_project_terms(engine: OxigraphEngine) -> None:
    n = int(_rows(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class . FILTER(STRSTARTS(STR(?c), STR(dgs:))) }")[0]["n"])
    assert n >= 180


def test_sssom_mapping_set_is_valid_and_complete(built: Path, engine: OxigraphEngine) -> None:
    path = built / "mappings" / "dgs.sssom.tsv"
    sssom = Path(sys.executable).parent / "sssom"
    proc = subprocess.run([str(sssom), "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "not well-formed" not in proc.stdout + proc.stderr
    with path.open(encoding="utf-8") as handle:
        mapped = {(r["subject_id"], r["object_id"]) for r in csv.DictReader(
            (line for line in handle if not line.startswith("#")), delimiter="\t")}
    xrefs = {(r["c"].replace(DGS, "DGS:"), r["x"]) for r in _rows(engine, """SELECT ?c ?x WHERE {
        ?c oboInOwl:hasDbXref ?x ; a owl:Class . FILTER(STRSTARTS(STR(?c), STR(dgs:))) }""")}
    assert mapped == xrefs


def test_readme_counts_match_the_built_ontology(engine: OxigraphEngine) -> None:
    """The README states the release's numbers; they must not drift from what `dgs-kg info` reports."""
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    match = re.search(r"At this release: (\d+) project terms \(DGS IDs\) plus (\d+) reused Uberon classes, "
                      r"(\d+) sourced relationship axioms, \d+ sourced data values .*?, (\d+) synonyms "
                      r"\((\d+) of them with the work they were seen in\), (\d+) cited works", text)
    assert match, "README no longer states the release's numbers in the expected sentence"
    stats = compute_stats(engine)
    stated = tuple(int(n) for n in match.groups())
    assert stated == (stats.project_classes, stats.imported_classes, stats.sourced_relationship_axioms,
                      stats.synonyms, stats.sourced_synonyms, stats.publications)
