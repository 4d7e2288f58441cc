"""Named competency queries against a fresh build of the real sources.

Each query's expected answers live in ``queries/expected/NAME[.case].tsv``: facts read from the source
tables (each row there has its PMID/DOI), one block of rows per subject. The test compares the set of
result rows (projected on the file's columns) with the set of expected rows, and checks that every
CURIE and every source in an expectation exists in the ontology. Every named query also gives the same
result set on pyoxigraph and on rdflib.
"""
from __future__ import annotations

import re
import shlex
from collections import defaultdict
from pathlib import Path

import pytest

from dgs_kg.graph import METHODS, KnowledgeGraph
from dgs_kg.queries import REQUIRED_HEADER, Results, catalog

from .conftest import ROOT

QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
EXPECTATIONS = sorted(EXPECTED.glob("*.tsv"))
CURIE = re.compile(r"^(DGS|UBERON|RO|BFO|IAO|OMO|CARO|MONDO|DOID|HP|rdfs|owl):[A-Za-z0-9_]+$")
SOURCE = re.compile(r"^(PMID:\d+|doi:10\.\S+)$")

#: The 16 named queries the query layer promises (issue 4).
PROMISED = {"structures-of-variant", "variants-of-structure", "mechanisms-of-variant", "tests-for-condition",
            "imaging-for-condition", "interventions-for-condition", "mimics-of", "distinguishing-features",
            "boundaries-of-space", "contents-of-space", "nerves-at-risk", "red-flags", "symptoms-of",
            "aggravating-factors", "workflow", "related"}


@pytest.fixture(scope="session")
def kg(built: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(built / "dgs.ttl")


@pytest.fixture(scope="session")
def kg_rdflib(built: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(built / "dgs.ttl", engine="rdflib")


@pytest.fixture(scope="session")
def known(kg: KnowledgeGraph) -> tuple[set[str], set[str]]:
    """CURIEs of every labelled term and property, and every source a publication carries."""
    res = kg.query("""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?t WHERE { ?t rdfs:label ?l . FILTER(isIRI(?t)) }""")
    terms = set(res.column("t")) | {"rdfs:subClassOf"}
    pubs = kg.query("""PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        PREFIX DGS: <https://w3id.org/dgs-kg/DGS_>
        SELECT DISTINCT ?x WHERE { ?p a DGS:0000020 ; oboInOwl:hasDbXref ?x }""")
    return terms, set(pubs.column("x"))


def read_expectation(path: Path) -> tuple[str, list[str], dict[str, set[tuple[str, ...]]]]:
    """(query name, compared columns, subject -> expected rows). A 'pending: content' marker fails."""
    text = path.read_text(encoding="utf-8")
    if re.search(r"pending:\s*content", text):
        pytest.fail(f"{path.name}: marked 'pending: content'; the expected answers still have to be "
                    "written from the source tables")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines, f"{path.name}: no header row"
    header = lines[0].split("\t")
    assert header[0] == "subject", f"{path.name}: the first column must be 'subject'"
    expected: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        assert len(cells) == len(header), f"{path.name}: data row {number} has {len(cells)} cells, not {len(header)}"
        expected[cells[0]].add(tuple(c.strip() for c in cells[1:]))
    assert expected, f"{path.name}: no expected rows"
    return path.name.split(".")[0], header[1:], dict(expected)


def check_known(path: Path, rows: dict[str, set[tuple[str, ...]]], known: tuple[set[str], set[str]]) -> None:
    """Every CURIE in an expectation names a term of the ontology; every source a cited work."""
    terms, sources = known
    for subject, block in rows.items():
        values = [v for row in block for v in row] + ([subject] if CURIE.match(subject) else [])
        for value in values:
            if SOURCE.match(value):
                assert value in sources, f"{path.name}: source {value} is not a publication in the ontology"
            elif CURIE.match(value):
                assert value in terms, f"{path.name}: unknown CURIE {value}"


def test_all_promised_queries_exist_with_a_full_header() -> None:
    queries = catalog(QUERIES)
    assert PROMISED <= set(queries), f"missing named queries: {sorted(PROMISED - set(queries))}"
    for q in queries.values():
        for key in REQUIRED_HEADER:
            assert getattr(q, key), f"{q.path.name}: header has no '{key}:' line"
        assert "subject" in q.params, f"{q.path.name}: header has no '# param subject:' line"
        assert "subject" in q.variables, f"{q.path.name}: the query does not use ?subject"
        assert f"dgs-kg query {q.name} " in q.example, f"{q.path.name}: the example does not run this query"


def test_labels_are_fetched_in_optional_patterns() -> None:
    """A label read by a required triple pattern (``?p rdfs:label ?relation .``) lets Oxigraph start
    from every label in the store: contents-of-space took 82 ms instead of 1 ms at 1M triples of
    case data. Labels are display data, so they are read in OPTIONAL patterns."""
    for q in catalog(QUERIES).values():
        body = [line for line in q.text.splitlines() if not line.lstrip().startswith("#")]
        required = [line.strip() for line in body if "rdfs:label ?" in line and "OPTIONAL" not in line]
        assert not required, f"{q.name}: {required}"


def test_every_named_query_has_expected_answers() -> None:
    covered = {p.name.split(".")[0] for p in EXPECTATIONS}
    assert set(NAMES) <= covered, f"no queries/expected/*.tsv for {sorted(set(NAMES) - covered)}"


def test_every_query_has_an_api_method() -> None:
    assert set(METHODS.values()) == set(NAMES)
    for method in METHODS:
        assert callable(getattr(KnowledgeGraph, method))


@pytest.mark.parametrize("path", EXPECTATIONS, ids=[p.name for p in EXPECTATIONS])
def test_expected_answers(kg: KnowledgeGraph, known: tuple[set[str], set[str]], path: Path) -> None:
    name, columns, expected = read_expectation(path)
    assert name in NAMES, f"{path.name}: no query named {name}"
    check_known(path, expected, known)
    for subject, rows in expected.items():
        results = kg.query(name, subject=subject)
        missing = set(columns) - set(results.variables)
        assert not missing, f"{path.name}: query {name} has no column(s) {sorted(missing)}"
        got = results.as_set(columns)
        assert got == rows, (f"{name} for '{subject}' on {columns}:\n"
                             f"  expected but missing: {sorted(rows - got)}\n"
                             f"  returned but not expected: {sorted(got - rows)}")


def test_an_unknown_curie_in_an_expectation_fails(tmp_path: Path, known: tuple[set[str], set[str]]) -> None:
    bad = tmp_path / "mimics-of.bad.tsv"
    bad.write_text("subject\tmimic\tsource\ndeep gluteal syndrome\tDGS:9999999\tPMID:15739520\n")
    _, _, rows = read_expectation(bad)
    with pytest.raises(AssertionError, match="unknown CURIE DGS:9999999"):
        check_known(bad, rows, known)
    bad.write_text("subject\tmimic\tsource\ndeep gluteal syndrome\tDGS:0000401\tPMID:1\n")
    _, _, rows = read_expectation(bad)
    with pytest.raises(AssertionError, match="source PMID:1 is not a publication"):
        check_known(bad, rows, known)


def _subjects(name: str) -> list[str]:
    """The example subject of a query plus every subject its expectation files use."""
    q = catalog(QUERIES)[name]
    subjects = {shlex.split(q.example.split("subject=", 1)[1])[0]}
    for path in EXPECTED.glob(f"{name}*.tsv"):
        if path.name.split(".")[0] != name or "pending" in path.read_text():
            continue
        for line in path.read_text().splitlines()[1:]:
            if line and not line.startswith("#") and not line.startswith("subject\t"):
                subjects.add(line.split("\t")[0])
    return sorted(subjects)


def typed_rows(results: Results) -> set[tuple[tuple[str, str, str, str] | None, ...]]:
    """Rows as full RDF terms (kind, value, datatype, language), unbound as None."""
    return {tuple((c.kind, c.value, c.datatype, c.language) if c is not None else None
                  for c in (row.get(v) for v in results.variables)) for row in results.cells}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_and_rdflib_agree(kg: KnowledgeGraph, kg_rdflib: KnowledgeGraph, name: str) -> None:
    for subject in _subjects(name):
        a, b = kg.query(name, subject=subject), kg_rdflib.query(name, subject=subject)
        assert a.variables == b.variables
        assert len(a) == len(b), f"{name} '{subject}': {len(a)} rows on oxigraph, {len(b)} on rdflib"
        assert a.as_set() == b.as_set(), f"{name} '{subject}' differs: {sorted(a.as_set() ^ b.as_set())[:5]}"
        assert typed_rows(a) == typed_rows(b), f"{name} '{subject}': same values, different RDF terms"
