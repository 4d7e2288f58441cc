"""The Python API (KnowledgeGraph) on a fresh build of the real sources: terms, search, queries,
binding, paths, networkx and rdflib views. Expected facts are read from the source tables."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dgs_kg import DgsKgError, UsageError
from dgs_kg.engines import Cell, iri_cell, literal
from dgs_kg.graph import KnowledgeGraph
from dgs_kg.queries import bind, get_query
from dgs_kg.resolve import TermIndex

from .conftest import SRC

DGS = "https://w3id.org/dgs-kg/DGS_"


@pytest.fixture(scope="session")
def kg(built: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(built / "dgs.ttl")


def template_row(file: str, label: str) -> dict[str, str]:
    with (SRC / "templates" / file).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")]
    matches = [r for r in rows if r["label"] == label]
    assert len(matches) == 1, f"{file}: no single row labelled {label!r}"
    return matches[0]


def relation_sources(file: str, subject: str, relation: str, obj: str) -> set[str]:
    with (SRC / "relations" / file).open(encoding="utf-8") as fh:
        for r in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            if (r["subject"], r["relation"], r["object"]) == (subject, relation, obj):
                return {s.strip() for s in r["source"].split("|")}
    raise AssertionError(f"{file}: no row {subject} / {relation} / {obj}")


def test_import_is_light_and_exports_are_lazy() -> None:
    code = ("import sys, dgs_kg; assert 'dgs_kg.graph' not in sys.modules; "
            "assert 'pyoxigraph' not in sys.modules; "
            "from dgs_kg import KnowledgeGraph, run_query; assert KnowledgeGraph.__name__ == 'KnowledgeGraph'; "
            "assert callable(run_query)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_term_has_label_definition_sources_and_synonyms(kg: KnowledgeGraph) -> None:
    row = template_row("core.tsv", "deep gluteal syndrome")
    info = kg.term("deep gluteal syndrome")
    assert info.curie == row["id"]
    assert info.label == row["label"]
    assert info.definition == row["definition"]
    assert set(info.sources) == {s.strip() for s in row["definition_source"].split("|")}
    expected_syns = set()
    for cell in row["synonyms"].split("|"):
        scope_part, _, rest = cell.strip().partition(":")
        text, _, seen_in = rest.partition(" @ ")  # 'exact:text @ PMID:...' records where it was seen
        sources = tuple(sorted(s.strip() for s in seen_in.split(",") if s.strip()))
        expected_syns.add((scope_part.split("[")[0], text.strip(), sources))
    assert {(s.scope, s.text, tuple(sorted(s.sources))) for s in info.synonyms} == expected_syns
    assert any(s.sources for s in info.synonyms), "DGS has synonyms recorded with the work they were seen in"
    acronym = [s for s in info.synonyms if s.text == "DGS"]
    assert acronym and acronym[0].type == "acronym"
    parents = {p.strip() for p in row["parent"].split("|")}
    assert parents == {lab if lab in parents else cur for cur, lab in info.parents}


def test_term_resolves_label_synonym_curie_and_iri(kg: KnowledgeGraph) -> None:
    iri = DGS + "0000301"
    row = template_row("conditions.tsv", "piriformis syndrome")
    assert row["id"] == "DGS:0000301"
    for name in ("piriformis syndrome", "Piriformis Syndrome", "DGS:0000301", iri, f"<{iri}>"):
        assert kg.resolve(name) == iri, name
    assert kg.resolve("DGS") == DGS + "0000001"  # the exact acronym synonym in templates/core.tsv
    assert kg.term("UBERON:0008529").label == "piriformis muscle"


def test_unknown_term_lists_the_closest_matches(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError) as err:
        kg.term("piriformis syndrom")
    message = str(err.value)
    assert "unknown term 'piriformis syndrom'" in message and "'piriformis syndrome' (DGS:0000301)" in message
    assert "\n" not in message
    with pytest.raises(UsageError, match="no class with that IRI"):
        kg.resolve("DGS:9999999")
    with pytest.raises(UsageError) as err:  # a pasted newline stays visible and on one line
        kg.resolve("deep\ngluteal\tspace")
    assert "unknown term 'deep\\ngluteal\\tspace'" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(UsageError) as err:
        get_query("mimics\nof")
    assert "\n" not in str(err.value)


def test_ambiguous_synonym_is_an_error_naming_every_candidate() -> None:
    syn = "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    index = TermIndex([(DGS + "1", label, "first term"), (DGS + "2", label, "second term"),
                       (DGS + "1", syn, "shared name"), (DGS + "2", syn, "shared name")])
    with pytest.raises(UsageError) as err:
        index.resolve("shared name")
    assert "ambiguous" in str(err.value)
    assert "'first term' (DGS:1)" in str(err.value) and "'second term' (DGS:2)" in str(err.value)
    assert index.resolve("first term") == DGS + "1"


def test_quick_resolution_agrees_with_the_full_index(kg: KnowledgeGraph) -> None:
    """The one-query path the CLI takes never gives another answer than the full index: for every
    label and synonym (in another case too) it gives the same IRI, or declines (None) where the index
    raises; non-ASCII names are always left to the index."""
    from dgs_kg.resolve import quick_resolve

    names = set(kg.index.labels.values()) | {s for syns in kg.index.synonyms.values() for _, s in syns}
    names |= {n.upper() for n in list(names)[:50]}
    assert len(names) > 500
    for name in sorted(names):
        try:
            expected: str | None = kg.index.resolve(name)
        except UsageError:
            expected = None
        got = quick_resolve(kg.engine, name)
        assert got == expected or (got is None and not name.isascii()), name
    assert quick_resolve(kg.engine, "no such term at all") is None
    assert quick_resolve(kg.engine, "DGS:0000001") == kg.index.resolve("DGS:0000001")


def test_named_query_lookup_reads_the_right_file(kg: KnowledgeGraph) -> None:
    from dgs_kg.queries import catalog

    for name, query in catalog().items():
        assert get_query(name) == query
    with pytest.raises(UsageError, match="did you mean mimics-of"):
        get_query("mimic-of")


def test_search_ranks_exact_label_then_matches(kg: KnowledgeGraph) -> None:
    hits = kg.search("piriformis syndrome")
    assert hits[0].curie == "DGS:0000301" and hits[0].field == "label" and hits[0].score == 1.0
    labels = {h.label for h in kg.search("piriformis")}
    assert {"piriformis muscle", "piriformis syndrome", "piriformis pyomyositis"} <= labels
    syn_hit = [h for h in kg.search("subgluteal syndrome") if h.curie == "DGS:0000001"]
    assert syn_hit and syn_hit[0].field == "synonym"
    with pytest.raises(UsageError):
        kg.search("   ")


def test_named_methods_match_named_queries(kg: KnowledgeGraph) -> None:
    a = kg.mimics_of("DGS")
    b = kg.query("mimics-of", subject="deep gluteal syndrome")
    assert a.as_set() == b.as_set()
    sources = relation_sources("mimics.tsv", "lumbar radiculopathy", "is mimic of", "deep gluteal syndrome")
    got = {r["source"] for r in a if r["mimic"] == "DGS:0000401" and r["recorded_mimic"] == "DGS:0000401"}
    assert got == sources


def test_query_runs_raw_sparql_with_bound_parameters(kg: KnowledgeGraph) -> None:
    res = kg.query("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                   "SELECT ?subject ?label WHERE { ?subject rdfs:label ?label }", subject="piriformis syndrome")
    assert [dict(r) for r in res] == [{"subject": "DGS:0000301", "label": "piriformis syndrome"}]
    res = kg.query('SELECT ?x WHERE { BIND(?x AS ?y) }', x='"a literal"')
    assert res.column("x") == ["a literal"]


def test_missing_and_unknown_parameters_are_usage_errors(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="needs --param subject"):
        kg.query("mimics-of")
    with pytest.raises(UsageError, match=r"no variable \?colour"):
        kg.query("mimics-of", subject="DGS", colour="red")
    with pytest.raises(UsageError, match="did you mean mimics-of"):
        kg.query("mimic-of", subject="DGS")
    with pytest.raises(UsageError, match="only SELECT queries"):
        kg.query("ASK { ?s ?p ?o }")


def test_sparql_syntax_error_names_file_line_and_column(kg: KnowledgeGraph, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: broken\nSELECT ?x WHERE {\n  ?x ?y ?z FILTER(?x = ) }\n")
    with pytest.raises(UsageError) as err:
        kg.query(str(bad))
    message = str(err.value)
    at = re.match(rf"{re.escape(str(bad))}:(\d+):(\d+): SPARQL syntax error: \S", message)
    assert at and int(at.group(1)) >= 3, message
    assert "\n" not in message


def test_bind_keeps_lines_comments_strings_and_projection() -> None:
    text = ('# ?subject in a comment\nSELECT ?subject ?x (COUNT(?subject) AS ?n) WHERE {\n'
            '  ?subject ?p "?subject" .\n  ?subjectLabel ?q ?x }')
    out = bind(text, {"subject": Cell("http://e/1", "iri")})
    assert out.splitlines()[0] == "# ?subject in a comment"
    assert out.splitlines()[1] == "SELECT (<http://e/1> AS ?subject) ?x (COUNT(<http://e/1>) AS ?n) WHERE {"
    assert out.splitlines()[2] == '  <http://e/1> ?p "?subject" .'
    assert "?subjectLabel" in out
    assert bind('SELECT * { ?s ?p ?o }', {"o": Cell('say "hi"')}) == 'SELECT * { ?s ?p "say \\"hi\\"" }'


def test_numeric_literals_are_canonical_across_engines() -> None:
    dec = "http://www.w3.org/2001/XMLSchema#decimal"
    assert literal("79", dec).value == literal("79.0", dec).value == "79.0"
    assert literal("0.8810", dec).value == "0.881"
    assert literal("007", "http://www.w3.org/2001/XMLSchema#integer").value == "7"
    assert literal("a", "http://www.w3.org/2001/XMLSchema#string") == Cell("a", "literal")
    lang = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    assert literal("piriforme", lang, "es") == Cell("piriforme", "literal", "", "es")
    assert literal("NaN", dec).value == "NaN" and literal("x1", dec).value == "x1"  # kept, never lost
    assert iri_cell("http://e/1") == Cell("http://e/1", "iri")


def test_results_as_w3c_json_and_dataframe(kg: KnowledgeGraph) -> None:
    res = kg.tests_for("piriformis syndrome")
    doc = res.to_json()
    assert doc["head"]["vars"] == res.variables
    h_reflex = [b for b in doc["results"]["bindings"] if b["test"]["value"] == DGS + "0000619"]
    assert h_reflex and h_reflex[0]["test"]["type"] == "uri"
    assert h_reflex[0]["sensitivity"] == {"type": "literal", "value": "0.881",
                                          "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError, match="needs pandas"):
            res.to_dataframe()
    else:
        df = res.to_dataframe()
        assert list(df.columns) == res.variables and len(df) == len(res)
        assert set(df["test"]) == set(res.column("test"))


def test_to_networkx_carries_relations_and_sources(kg: KnowledgeGraph) -> None:
    g = kg.to_networkx()
    assert g.nodes["DGS:0000301"]["label"] == "piriformis syndrome"
    edge = g.get_edge_data("DGS:0000301", "UBERON:0008529")["DGS:0000901"]
    assert edge["relation"] == "has entrapping structure"
    assert set(edge["sources"]) == relation_sources("conditions.tsv", "piriformis syndrome",
                                                    "has entrapping structure", "UBERON:0008529")
    assert g.get_edge_data("DGS:0000301", "DGS:0000001")["is_a"]["relation"] == "is a"


def test_paths_explain_how_two_terms_connect(kg: KnowledgeGraph) -> None:
    paths = kg.paths("piriformis syndrome", "piriformis muscle")
    assert len(paths) == 1 and len(paths[0]) == 1
    step = paths[0].steps[0]
    assert (step.subject, step.relation, step.object) == ("DGS:0000301", "has entrapping structure",
                                                          "UBERON:0008529")
    assert set(step.sources) == relation_sources("conditions.tsv", "piriformis syndrome",
                                                 "has entrapping structure", "UBERON:0008529")
    assert "'piriformis syndrome' --has entrapping structure--> 'piriformis muscle'" in str(paths[0])
    g = kg.to_networkx()
    longer = kg.paths("gluteal hematoma compressing the sciatic nerve", "deep gluteal space")
    assert longer and all(len(p) == len(longer[0]) >= 2 for p in longer)
    for p in longer:
        for st in p.steps:
            assert g.has_edge(st.subject, st.object)
    assert kg.paths("deep gluteal syndrome", "deep gluteal syndrome")[0].steps == []


def test_rdflib_graph_holds_every_triple(kg: KnowledgeGraph) -> None:
    g = kg.rdflib_graph()
    n = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").column("n")[0]
    assert len(g) == int(n)


def test_load_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ontology file not found"):
        KnowledgeGraph.load(tmp_path / "nope.ttl")
    with pytest.raises(UsageError, match="unknown engine 'jena'"):
        KnowledgeGraph.load(engine="jena")
    with pytest.raises(UsageError, match="either --endpoint or --ontology, not both"):
        KnowledgeGraph.load(tmp_path / "nope.ttl", endpoint="http://127.0.0.1:9/query")
    assert issubclass(UsageError, DgsKgError)
    assert get_query("workflow").title


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])  # they return the two rows in either order
def test_synonym_type_from_a_second_axiom_annotation_is_kept(tmp_path: Path, engine: str) -> None:
    """A synonym annotated twice (a source on one axiom, its type on another) is shown once, typed."""
    ttl = tmp_path / "two-annotations.ttl"
    ttl.write_text("""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix DGS: <https://w3id.org/dgs-kg/DGS_> .
DGS:0000001 a owl:Class ; rdfs:label "deep gluteal syndrome" ; oboInOwl:hasExactSynonym "DGS" .
[] a owl:Axiom ; owl:annotatedSource DGS:0000001 ; owl:annotatedProperty oboInOwl:hasExactSynonym ;
   owl:annotatedTarget "DGS" ; oboInOwl:hasDbXref "PMID:27011826" .
[] a owl:Axiom ; owl:annotatedSource DGS:0000001 ; owl:annotatedProperty oboInOwl:hasExactSynonym ;
   owl:annotatedTarget "DGS" ; oboInOwl:hasSynonymType <http://purl.obolibrary.org/obo/OMO_0003000> .
""", encoding="utf-8")
    info = KnowledgeGraph.load(ttl, engine=engine).term("deep gluteal syndrome")
    assert [(s.text, s.scope, s.type) for s in info.synonyms] == [("DGS", "exact", "abbreviation")]
