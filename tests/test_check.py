"""`dgs-kg check`: the real ontology passes at ERROR level, and each broken fixture is caught with
its culprit named (and, for logic errors, a minimal justification from real HermiT).

Fixtures are in tests/fixtures/broken/; everything runs on a fresh build of the real sources.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dgs_kg.cli import cli

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
DGS = "https://w3id.org/dgs-kg/DGS_"
EX = "https://example.org/broken/"


def check(runner: CliRunner, built: Path, *args: str) -> tuple[int, dict]:
    """Run `dgs-kg check --format json` on the built ontology; return the exit code and the report."""
    result = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def by_rule(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.mark.reasoner
@pytest.mark.slow
def test_shipped_ontology_passes_clean_at_error_level(built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built)
    errors = [f for f in report["findings"] if f["level"] == "ERROR"]
    assert errors == [], errors
    assert code == 0 and report["result"] == "PASS"
    assert report["reasoner"]["reasoned"] and report["reasoner"]["consistent"]
    assert report["reasoner"]["unsatisfiable"] == []
    assert report["reasoner"]["profile_checked"] and report["reasoner"]["profile_violations"] == []
    assert report["rules"] >= 25


@pytest.mark.reasoner
def test_class_under_two_disjoint_categories_is_unsatisfiable_with_justification(
        built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built, str(BROKEN / "unsatisfiable_class.ttl"))
    assert code == 1
    assert report["reasoner"]["unsatisfiable"] == [[EX + "0000001", "surgical release syndrome"]]
    [finding] = by_rule(report, "unsatisfiable_class")
    assert finding["level"] == "ERROR" and finding["subject_label"] == "surgical release syndrome"
    [just] = report["reasoner"]["justifications"]
    axioms = {a["functional"]: a for a in just["axioms"]}
    assert len(axioms) == 3  # minimal: the two subClassOf axioms and the disjointness axiom
    condition = axioms[f"SubClassOf(<{EX}0000001> <{DGS}0000010>)"]
    procedure = axioms[f"SubClassOf(<{EX}0000001> <{DGS}0000012>)"]
    disjoint = next(a for f, a in axioms.items() if f.startswith("DisjointClasses("))
    assert condition["words"] == "every 'surgical release syndrome' is a 'condition'"
    assert condition["file"] == "unsatisfiable_class.ttl" and condition["sources"] == []
    assert procedure["sources"] == ["doi:10.5555/dgs-kg-broken-fixture"]
    assert "'condition'" in disjoint["words"] and "'procedure'" in disjoint["words"]
    assert disjoint["file"] == "dgs.owl"


@pytest.mark.reasoner
def test_individual_of_two_disjoint_classes_makes_the_ontology_inconsistent(
        built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built, str(BROKEN / "inconsistent_individual.ttl"))
    assert code == 1
    assert report["reasoner"]["consistent"] is False
    [finding] = by_rule(report, "inconsistent_ontology")
    assert finding["level"] == "ERROR"
    [just] = report["reasoner"]["justifications"]
    assert just["target"] == "inconsistency"
    words = sorted(a["words"] for a in just["axioms"])
    assert len(words) == 3
    assert "'case 17 record' is a 'condition'" in words
    assert "'case 17 record' is a 'procedure'" in words
    assert any("pairwise disjoint" in w for w in words)


@pytest.mark.reasoner
def test_inferred_hierarchy_lists_variants_under_a_defined_class(
        built: Path, runner: CliRunner, tmp_path: Path) -> None:
    """A user-defined class 'DGS with entrapping structure F': HermiT places the right variants under it."""
    from dgs_kg.engines import OxigraphEngine

    engine = OxigraphEngine([built / "dgs.ttl"])
    prefixes = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    _, rows = engine.select(prefixes + f"""
        SELECT ?f (COUNT(DISTINCT ?v) AS ?n) WHERE {{
          ?v rdfs:subClassOf+ <{DGS}0000001> ;
             rdfs:subClassOf [ owl:onProperty <{DGS}0000901> ; owl:someValuesFrom ?f ] . FILTER(isIRI(?f)) }}
        GROUP BY ?f ORDER BY DESC(?n) ?f LIMIT 1""")
    assert rows, "the ontology should have a variant with an entrapping structure"
    structure = rows[0]["f"].value
    _, rows = engine.select(prefixes + f"""
        SELECT DISTINCT ?v WHERE {{
          ?v rdfs:subClassOf+ <{DGS}0000001> ;
             rdfs:subClassOf [ owl:onProperty <{DGS}0000901> ; owl:someValuesFrom ?m ] .
          ?m rdfs:subClassOf* <{structure}> . FILTER NOT EXISTS {{ ?v owl:equivalentClass ?d }} }}""")
    expected = {row["v"].value for row in rows}
    defined_iri = "https://example.org/defined-variant-group"
    defined = tmp_path / "defined.ttl"
    defined.write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{defined_iri}> a owl:Class ; rdfs:label "test variant group" ;
  owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( <{DGS}0000001>
    [ a owl:Restriction ; owl:onProperty <{DGS}0000901> ; owl:someValuesFrom <{structure}> ] ) ] .
""")
    _, report = check(runner, built, str(defined))
    under = {c for c, _, s, _ in report["reasoner"]["inferred"] if s == defined_iri}
    _, rows = engine.select(prefixes + "SELECT ?a ?b WHERE { ?a rdfs:subClassOf ?b FILTER(isIRI(?b)) }")
    asserted = {(row["a"].value, row["b"].value) for row in rows}
    for variant in expected:  # directly under the defined class, or under a variant that is
        assert variant in under or any((variant, other) in asserted for other in expected), variant
    assert under and under <= expected
    info = by_rule(report, "inferred_superclass")
    assert all(f["level"] == "INFO" and f["subject_label"] for f in info)
    table = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), str(defined)])
    assert "is inferred to be a 'test variant group'" in table.output


@pytest.mark.reasoner
def test_relationship_without_source_is_an_error_naming_the_class(built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built, str(BROKEN / "relationship_without_source.ttl"))
    assert code == 1
    [finding] = by_rule(report, "relationship_without_source")
    assert finding["level"] == "ERROR"
    assert finding["subject"] == EX + "0000002"
    assert finding["subject_label"] == "unsourced gluteal condition"
    assert finding["property"] == "http://purl.obolibrary.org/obo/RO_0002452"
    assert finding["value_label"] == "clinical finding"


def test_duplicate_label_names_both_classes(built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built, "--no-reasoner", str(BROKEN / "duplicate_label.ttl"))
    assert code == 1
    dups = by_rule(report, "duplicate_label")
    assert {f["subject"] for f in dups} == {EX + "0000003", DGS + "0000001"}
    assert all(f["level"] == "ERROR" and f["value"] == "deep gluteal syndrome" for f in dups)
    assert report["reasoner"] is None


def test_malformed_xref_is_reported_with_its_class(built: Path, runner: CliRunner) -> None:
    code, report = check(runner, built, "--no-reasoner", "--fail-on", "WARN",
                         str(BROKEN / "malformed_xref.ttl"))
    assert code == 1
    [invalid] = by_rule(report, "invalid_xref")
    assert (invalid["level"], invalid["subject_label"], invalid["value"]) == (
        "WARN", "badly cross-referenced condition", "MONDO 0043320")
    [unverified] = by_rule(report, "xref_not_verified")
    assert unverified["level"] == "ERROR" and unverified["subject"] == EX + "0000004"


def test_a_verified_xref_passes_and_an_unverified_curie_does_not(
        built: Path, runner: CliRunner, tmp_path: Path) -> None:
    from dgs_kg.qc import read_xref_table

    verified = read_xref_table(Path(__file__).resolve().parents[1] / "ontology" / "src" / "reference" / "xrefs.tsv")
    good = verified[0][0]
    ext = tmp_path / "xrefs.ttl"
    ext.write_text(f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
<https://example.org/x1> a <http://www.w3.org/2002/07/owl#Class> ; rdfs:label "x one" ;
    rdfs:subClassOf <{DGS}0000010> ; oboInOwl:hasDbXref "{good}", "MONDO:9999999" .
""")
    _, report = check(runner, built, "--no-reasoner", str(ext))
    values = {f["value"] for f in by_rule(report, "xref_not_verified")}
    assert values == {"MONDO:9999999"}


def test_packaged_verified_xrefs_match_the_reference_table(root: Path) -> None:
    """The wheel cannot read ontology/src, so it ships a copy; regenerate it when this fails:
    python -m dgs_kg.qc --refresh-xrefs"""
    from dgs_kg.qc import VERIFIED_XREFS, read_xref_table

    assert read_xref_table(VERIFIED_XREFS) == read_xref_table(root / "ontology" / "src" / "reference" / "xrefs.tsv")


def test_user_rules_run_and_fail_level_decides_the_exit_code(
        built: Path, runner: CliRunner, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "variant_named.rq").write_text("""# id: my_variant_check
# level: WARN
# description: lists the piriformis syndrome class (a user rule, for the test)
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity WHERE { ?entity rdfs:label "piriformis syndrome" }
""")
    base = ["check", "--ontology", str(built / "dgs.owl"), "--no-reasoner", "--rules", str(rules)]
    table = runner.invoke(cli, base)
    assert table.exit_code == 0, table.output
    assert "my_variant_check" in table.output and "'piriformis syndrome' (DGS:0000301)" in table.output
    assert runner.invoke(cli, base + ["--fail-on", "WARN"]).exit_code == 1


@pytest.mark.parametrize("header, message", [
    ("# level: WARN\n# description: x\n", "no '# id:' header"),
    ("# id: a\n# level: FATAL\n# description: x\n", "is not one of ERROR, WARN, INFO"),
])
def test_a_rule_with_a_bad_header_is_a_usage_error(built: Path, runner: CliRunner, tmp_path: Path,
                                                   header: str, message: str) -> None:
    (tmp_path / "bad.rq").write_text(header + "SELECT ?entity WHERE { ?entity ?p ?o }\n")
    result = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), "--no-reasoner",
                                 "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.rq" in result.output and message in result.output


@pytest.mark.parametrize("query, message", [
    ("SELECT ?entity WHERE { ?entity ?p }", "SPARQL syntax error"),
    ("SELECT ?thing WHERE { ?thing ?p ?o } LIMIT 1", "must bind ?entity"),
])
def test_a_broken_rule_query_is_a_usage_error_naming_the_file(built: Path, runner: CliRunner, tmp_path: Path,
                                                              query: str, message: str) -> None:
    (tmp_path / "broken.rq").write_text("# id: broken\n# level: WARN\n# description: broken on purpose\n" + query)
    result = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), "--no-reasoner",
                                 "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "broken.rq" in result.output and message in result.output


@pytest.mark.parametrize("args, message", [
    (["/nonexistent/extra.ttl"], "no such file"),
    (["--rules", "/nonexistent/rules"], "--rules needs a folder"),
    (["--format", "xml"], "Invalid value for '--format'"),
])
def test_usage_errors_exit_2(built: Path, runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), "--no-reasoner", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_malformed_turtle_is_a_usage_error_naming_the_file(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = runner.invoke(cli, ["check", "--ontology", str(built / "dgs.owl"), str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl" in result.output and "line 2" in result.output


def test_formats_table_tsv_md_carry_findings_and_the_disclaimer(built: Path, runner: CliRunner) -> None:
    base = ["check", "--ontology", str(built / "dgs.owl"), "--no-reasoner", str(BROKEN / "duplicate_label.ttl")]
    table = runner.invoke(cli, base)
    assert "duplicate_label" in table.output and "not clinical advice" in table.output
    tsv = runner.invoke(cli, base + ["--format", "tsv"])
    lines = tsv.stdout.splitlines()
    assert lines[0].split("\t")[:5] == ["Level", "Rule Name", "Subject", "Property", "Value"]
    rows = [line.split("\t") for line in lines[1:]]
    assert ["ERROR", "duplicate_label", "DGS:0000001", "rdfs:label", "deep gluteal syndrome"] in [r[:5] for r in rows]
    assert "not clinical advice" in tsv.stderr
    md = runner.invoke(cli, base + ["--format", "md"])
    assert "| level" in md.output and "not clinical advice" in md.output and "**FAIL**" in md.output


@pytest.mark.reasoner
def test_profile_violation_and_hermit_refusal_are_reported(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "nondl.ttl"
    ext.write_text("""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/A> a owl:Class ; rdfs:label "A thing" ; rdfs:subClassOf [ a owl:Restriction ;
    owl:onProperty <http://purl.obolibrary.org/obo/BFO_0000050> ; owl:minCardinality "2"^^xsd:nonNegativeInteger ] .
""")
    code, report = check(runner, built, str(ext))
    assert code == 1
    [violation] = by_rule(report, "owl2_dl_profile_violation")
    assert "non-simple property" in violation["value"]
    [refusal] = by_rule(report, "reasoner_error")
    assert "BFO_0000050" in refusal["value"]


EXT_PREFIXES = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix DGS: <https://w3id.org/dgs-kg/DGS_> .
@prefix ex: <https://example.org/t/> .
"""


@pytest.mark.parametrize("rule, level, body", [
    ("adjacent_and_overlaps", "WARN", 'ex:t a owl:Class ; rdfs:label "test term" ; rdfs:subClassOf '
     "[ a owl:Restriction ; owl:onProperty obo:RO_0002220 ; owl:someValuesFrom obo:UBERON_0001062 ], "
     "[ a owl:Restriction ; owl:onProperty obo:RO_0002131 ; owl:someValuesFrom obo:UBERON_0001062 ] ."),
    ("variant_without_detail", "WARN", 'ex:t a owl:Class ; rdfs:label "test term" ; rdfs:subClassOf DGS:0000001 .'),
    ("mimic_without_distinguishing_feature", "WARN", 'ex:t a owl:Class ; rdfs:label "test term" ; rdfs:subClassOf '
     "DGS:0000010, [ a owl:Restriction ; owl:onProperty DGS:0000908 ; owl:someValuesFrom DGS:0000001 ] ."),
    ("label_whitespace", "INFO", 'ex:t a owl:Class ; rdfs:label "test  term" ; rdfs:subClassOf DGS:0000010 .'),
    ("multiple_definitions", "ERROR", 'ex:t a owl:Class ; rdfs:label "test term" ; rdfs:subClassOf DGS:0000010 ; '
     'obo:IAO_0000115 "One definition.", "Another definition." .'),
    ("missing_label", "ERROR", "ex:t a owl:Class ; rdfs:subClassOf DGS:0000010 ."),
    ("missing_ontology_license", "ERROR", 'ex:t a owl:Ontology ; dcterms:title "t" ; dcterms:description "d" .'),
    ("deprecated_class_reference", "WARN", 'ex:old a owl:Class ; owl:deprecated true ; rdfs:label "obsolete old" .\n'
     'ex:t a owl:Class ; rdfs:label "test term" ; rdfs:subClassOf ex:old .'),
    ("missing_obsolete_label", "ERROR", 'ex:t a owl:Class ; owl:deprecated true ; rdfs:label "test term" .'),
    ("publication_record_incomplete", "INFO", 'ex:t a DGS:0000020 ; rdfs:label "A cited work" ; '
     'dcterms:creator "Doe J" ; dcterms:date "2020" .'),
])
def test_each_rule_names_the_culprit(built: Path, runner: CliRunner, tmp_path: Path,
                                     rule: str, level: str, body: str) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(EXT_PREFIXES + body + "\n")
    _, report = check(runner, built, "--no-reasoner", str(ext))
    hits = [f for f in by_rule(report, rule) if f["subject"] == "https://example.org/t/t"]
    assert hits and all(f["level"] == level for f in hits)


@pytest.mark.reasoner
def test_justification_shows_the_source_of_a_real_relationship_axiom(
        built: Path, runner: CliRunner, tmp_path: Path) -> None:
    """Forbid a real variant's mechanisms to be mechanisms: the justification must include the
    variant's sourced 'has mechanism' axiom from the ontology, with its PMID/DOI."""
    from dgs_kg.engines import OxigraphEngine

    _, rows = OxigraphEngine([built / "dgs.ttl"]).select(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?v ?vl ?ml ?src WHERE {{
          ?v rdfs:subClassOf+ <{DGS}0000001> ; rdfs:label ?vl ; rdfs:subClassOf ?r .
          ?r owl:onProperty <{DGS}0000903> ; owl:someValuesFrom ?m . ?m rdfs:label ?ml .
          ?ax owl:annotatedSource ?v ; owl:annotatedTarget ?r ; oboInOwl:source ?src .
        }} ORDER BY ?v""")
    assert rows, "the ontology should have a variant with a sourced 'has mechanism' axiom"
    variant = rows[0]["v"].value
    sources: dict[str, set[str]] = {}
    for row in rows:
        if row["v"].value == variant:
            sources.setdefault(row["ml"].value, set()).add(row["src"].value)
    ext = tmp_path / "no-mechanisms.ttl"
    ext.write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{variant}> rdfs:subClassOf [ a owl:Restriction ; owl:onProperty <{DGS}0000903> ;
    owl:allValuesFrom <{DGS}0000012> ] .
""")
    _, report = check(runner, built, str(ext))
    just = next(j for j in report["reasoner"]["justifications"] if j["target"] == variant)
    label = rows[0]["vl"].value
    mechanism_axioms = [a for a in just["axioms"] if a["words"].startswith(f"every '{label}' 'has mechanism' some '")]
    assert len(mechanism_axioms) == 1
    [axiom] = mechanism_axioms
    mechanism = axiom["words"].split(" some '", 1)[1].rstrip("'")
    assert set(axiom["sources"]) == sources[mechanism] and axiom["file"] == "dgs.owl"
    assert any(a["file"] == "no-mechanisms.ttl" and "only 'procedure'" in a["words"] for a in just["axioms"])


@pytest.mark.reasoner
def test_explainer_is_compiled_from_source_when_the_class_file_is_missing(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wheel without Explain.class still explains: the shipped source is compiled once."""
    import shutil

    import dgs_kg.reason as reason
    from dgs_kg.explain import explain

    java_dir = tmp_path / "java"
    java_dir.mkdir()
    shutil.copy(reason.JAVA_DIR / "Explain.java", java_dir / "Explain.java")
    monkeypatch.setattr(reason, "JAVA_DIR", java_dir)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    report = explain([built / "dgs.owl", BROKEN / "unsatisfiable_class.ttl"], hierarchy=False)
    assert [u[1] for u in report.unsatisfiable] == ["surgical release syndrome"]
    assert list((tmp_path / "home" / ".cache" / "dgs-kg" / "java").glob("*/Explain.class"))


def test_synonym_that_is_another_class_label_is_reported_but_titles_are_not(built: Path,
                                                                           runner: CliRunner) -> None:
    _, report = check(runner, built, "--no-reasoner", str(BROKEN / "synonym_is_a_label.ttl"))
    findings = by_rule(report, "duplicate_label_synonym")
    assert [(f["subject"], f["value"], f["level"]) for f in findings] == [(EX + "0000004", "Sciatica", "INFO")]


def test_incomplete_publication_record_names_only_the_missing_fields(built: Path, runner: CliRunner,
                                                                       tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(EXT_PREFIXES + 'ex:t a DGS:0000020 ; rdfs:label "A cited work" ; dcterms:date "2020" .\n')
    _, report = check(runner, built, "--no-reasoner", str(ext))
    hits = [f for f in by_rule(report, "publication_record_incomplete") if f["subject"] == "https://example.org/t/t"]
    assert sorted(f["value"] for f in hits) == ["authors", "journal"]
