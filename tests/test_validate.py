"""`dgs-kg validate`: SHACL shapes (real pyshacl) for case records, checked against the real ontology.

Each violation names the focus node with its label and the path (docs/dev/case-vocabulary.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dgs_kg.cli import cli

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
DGS = "https://w3id.org/dgs-kg/DGS_"
PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix case: <https://w3id.org/dgs-kg/case/> .
@prefix ex: <https://example.org/case/> .
"""


def one_class_under(built: Path, root: str) -> str:
    """Some real class of the built ontology under ``root`` (other than the root itself)."""
    from dgs_kg.engines import OxigraphEngine

    _, rows = OxigraphEngine([built / "dgs.ttl"]).select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?c WHERE {{ ?c rdfs:subClassOf+ <{root}> FILTER(isIRI(?c)) }} ORDER BY ?c LIMIT 1")
    assert rows, f"no class under {root} in the built ontology"
    return rows[0]["c"].value


def validate(runner: CliRunner, built: Path, data: Path, *args: str) -> tuple[int, dict]:
    result = runner.invoke(cli, ["validate", str(data), "--ontology", str(built / "dgs.owl"),
                                 "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_broken_case_data_names_focus_node_label_and_path(built: Path, runner: CliRunner) -> None:
    code, report = validate(runner, built, BROKEN / "case_invalid.ttl")
    assert code == 1 and report["conforms"] is False
    got = {(r["focus_label"], r["path"], r["value"]) for r in report["results"]}
    assert got == {
        ("broken patient 1", "case:hasFinding", DGS + "0000012"),  # a procedure given as a finding
        ("broken patient 1 test 1", "case:value", ""),  # a test result without a value
    }
    for fmt in ("table", "md"):
        shown = runner.invoke(cli, ["validate", str(BROKEN / "case_invalid.ttl"), "--ontology",
                                    str(built / "dgs.owl"), "--format", fmt])
        assert shown.exit_code == 1
        assert "'broken patient 1' (https://example.org/broken/case/p1)" in shown.output
        assert "case:hasFinding" in shown.output and "'procedure' (DGS:0000012)" in shown.output
        assert "not clinical advice" in shown.output


def test_valid_case_record_conforms(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    finding = one_class_under(built, DGS + "0000011")
    test = one_class_under(built, DGS + "0000012")
    condition = one_class_under(built, DGS + "0000010")
    data = tmp_path / "ok.ttl"
    data.write_text(PREFIXES + f"""
ex:p1 a case:Patient ; rdfs:label "patient one" ; case:age 40 ; case:sex "male" ;
    case:hasFinding <{finding}> ; case:hasDiagnosis <{condition}> ; case:hasTestResult ex:p1-t1 .
ex:p1-t1 a case:TestResult ; case:test <{test}> ; case:value "positive" .
""")
    code, report = validate(runner, built, data)
    assert (code, report["conforms"], report["results"]) == (0, True, [])


@pytest.mark.parametrize("body, focus, path", [
    ('ex:p a case:Patient ; rdfs:label "p" ; case:hasDiagnosis <{finding}> .', "p", "case:hasDiagnosis"),
    ('ex:p a case:Patient ; rdfs:label "p" ; case:age 300 .', "p", "case:age"),
    ('ex:p a case:Patient ; rdfs:label "p" ; case:sex "f" .', "p", "case:sex"),
    ('ex:p a case:Patient ; case:hasFinding <{finding}> .', "", "rdfs:label"),
    ('ex:p a case:Patient ; rdfs:label "p" ; case:hasTestResult ex:t .\n'
     'ex:t rdfs:label "t" ; case:test <{finding}> ; case:value "x" .', "p", "case:hasTestResult"),
    ('ex:p a case:Patient ; rdfs:label "p" ; case:hasTestResult ex:t .\n'
     'ex:t a case:TestResult ; rdfs:label "t" ; case:test <{finding}> ; case:value "x" .', "t", "case:test"),
])
def test_each_shape_rule_catches_its_violation(built: Path, runner: CliRunner, tmp_path: Path,
                                               body: str, focus: str, path: str) -> None:
    data = tmp_path / "case.ttl"
    data.write_text(PREFIXES + body.format(finding=one_class_under(built, DGS + "0000011")) + "\n")
    code, report = validate(runner, built, data)
    assert code == 1
    assert (focus, path) in {(r["focus_label"], r["path"]) for r in report["results"]}


def test_synthetic_case_data_conforms(built: Path, runner: CliRunner, tmp_path: Path) -> None:
    """The synthetic generator and the shapes agree on the case vocabulary."""
    from dgs_kg.synthetic import write_synthetic

    data = tmp_path / "synthetic.nt"
    patients, _ = write_synthetic(data, 3000, seed=7, ontology=[built / "dgs.ttl"])
    assert patients > 0
    code, report = validate(runner, built, data)
    assert (code, report["results"]) == (0, [])


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", "not valid RDF"),
])
def test_bad_input_is_a_usage_error(built: Path, runner: CliRunner, tmp_path: Path,
                                    content: str | None, message: str) -> None:
    data = tmp_path / "data.ttl"
    if content is not None:
        data.write_text(content)
    result = runner.invoke(cli, ["validate", str(data), "--ontology", str(built / "dgs.owl")])
    assert result.exit_code == 2
    assert "data.ttl" in result.output and message in result.output
    assert "Traceback" not in result.output


def test_user_shapes_replace_the_packaged_ones_and_output_goes_to_a_file(
        built: Path, runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "age-required.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix case: <https://w3id.org/dgs-kg/case/> .
case:AgeShape a sh:NodeShape ; sh:targetClass case:Patient ;
    sh:property [ sh:path case:age ; sh:minCount 1 ; sh:message "age is required here" ] .
""")
    out = tmp_path / "report.tsv"
    result = runner.invoke(cli, ["validate", str(BROKEN / "case_invalid.ttl"), "--ontology", str(built / "dgs.owl"),
                                 "--shapes", str(shapes), "--format", "tsv", "-o", str(out)])
    assert result.exit_code == 0, result.output  # the patient has an age; the packaged shapes are not used
    lines = out.read_text().splitlines()
    assert lines == ["Severity\tFocus Node\tFocus Label\tPath\tValue\tValue Label\tMessage"]
    data = tmp_path / "no-age.ttl"
    data.write_text(PREFIXES + 'ex:p a case:Patient ; rdfs:label "ageless" .\n')
    result = runner.invoke(cli, ["validate", str(data), "--ontology", str(built / "dgs.owl"),
                                 "--shapes", str(shapes), "--format", "tsv", "-o", str(out)])
    assert result.exit_code == 1
    rows = [line.split("\t") for line in out.read_text().splitlines()[1:]]
    assert rows == [["Violation", "https://example.org/case/p", "ageless", "case:age", "", "", "age is required here"]]
