"""The query commands of the CLI (query, queries, term, search) on a fresh build of the real sources.

Machine formats keep stdout clean (the disclaimer goes to stderr); errors are one line with a
non-zero exit. One test runs the installed ``dgs-kg`` as a real process.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dgs_kg.cli import cli
from dgs_kg.graph import KnowledgeGraph

from .conftest import ROOT

DISCLAIMER = "research and education only"


@pytest.fixture(scope="session")
def ttl(built: Path) -> str:
    return str(built / "dgs.ttl")


@pytest.fixture(scope="session")
def kg(built: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(built / "dgs.ttl")


def invoke(runner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_query_json_is_w3c_results_and_matches_the_api(runner, ttl: str, kg: KnowledgeGraph) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "query", "mimics-of", "--param", "subject=deep gluteal syndrome", "--format", "json",
                    "--ontology", ttl)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    api = kg.mimics_of("deep gluteal syndrome")
    assert doc["head"]["vars"] == api.variables
    got = {(b["mimic"]["value"], b["source"]["value"]) for b in doc["results"]["bindings"]}
    assert got == {(c["mimic"].value, c["source"].value) for c in api.cells}
    assert all(b["mimic"]["type"] == "uri" for b in doc["results"]["bindings"])
    assert DISCLAIMER not in result.stdout and DISCLAIMER in result.stderr


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv_are_clean_tables(runner, ttl: str, kg: KnowledgeGraph, fmt: str, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "query", "workflow", "-p", "subject=DGS", "-f", fmt, "--ontology", ttl)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    api = kg.workflow("deep gluteal syndrome")
    assert rows[0] == api.variables
    assert {tuple(r) for r in rows[1:]} == {tuple(r[v] for v in api.variables) for r in api}
    assert DISCLAIMER not in result.stdout and DISCLAIMER in result.stderr


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_human_formats_carry_the_disclaimer(runner, ttl: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "query", "boundaries-of-space", "-p", "subject=deep gluteal space", "-f", fmt,
                    "--ontology", ttl)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(DISCLAIMER) == 1
    assert "gluteus maximus" in result.stdout and "posterior" in result.stdout
    if fmt == "md":
        assert result.stdout.startswith("| space ")


def test_engines_give_the_same_csv(runner, ttl: str) -> None:  # type: ignore[no-untyped-def]
    outs = []
    for engine in ("oxigraph", "rdflib"):
        result = invoke(runner, "query", "tests-for-condition", "-p", "subject=piriformis syndrome", "-f", "csv",
                        "--engine", engine, "--ontology", ttl)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        outs.append((lines[0], sorted(lines[1:])))
    assert outs[0] == outs[1]


def test_unknown_subject_is_one_line_with_suggestions(runner, ttl: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["query", "mimics-of", "-p", "subject=piriformis syndrom", "--ontology", ttl])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "unknown term 'piriformis syndrom'" in result.stderr and "'piriformis syndrome' (DGS:0000301)" in result.stderr


def test_unknown_query_name_and_bad_params_are_errors(runner, ttl: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["query", "mimic-of", "-p", "subject=DGS", "--ontology", ttl])
    assert result.exit_code == 2 and "did you mean mimics-of" in result.stderr
    result = runner.invoke(cli, ["query", "mimics-of", "-p", "subject", "--ontology", ttl])
    assert result.exit_code == 2 and "is not NAME=VALUE" in result.stderr
    result = runner.invoke(cli, ["query", "mimics-of", "--ontology", ttl])
    assert result.exit_code == 2 and "needs --param subject" in result.stderr
    for command in (["query", "mimics-of", "-p", "subject=DGS"], ["term", "DGS"], ["search", "DGS"]):
        result = runner.invoke(cli, [*command, "--ontology", ttl, "--endpoint", "http://127.0.0.1:9/query"])
        assert result.exit_code == 2 and "either --endpoint or --ontology, not both" in result.stderr


def test_user_query_file_with_syntax_error_names_line_and_column(runner, ttl: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "mine.rq"
    bad.write_text("SELECT ?x\nWHERE { ?x ?y }\n")
    result = runner.invoke(cli, ["query", str(bad), "--ontology", ttl])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:") and "SPARQL syntax error" in result.stderr
    assert result.stderr.count("\n") == 1


def test_user_query_file_binds_subject_in_the_projection(runner, ttl: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "label.rq"
    mine.write_text("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                    "SELECT ?subject ?label WHERE { ?subject rdfs:label ?label }\n")
    result = invoke(runner, "query", str(mine), "-p", "subject=UBERON:0008529", "-f", "csv", "--ontology", ttl)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["subject,label", "UBERON:0008529,piriformis muscle"]


def test_queries_lists_every_named_query_with_its_title(runner) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "queries", "--format", "json")
    assert result.exit_code == 0
    listed = {q["name"]: q["title"] for q in json.loads(result.stdout)}
    assert set(listed) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert all(listed.values())
    table = invoke(runner, "queries")
    assert "nerves-at-risk" in table.stdout and DISCLAIMER in table.stdout


def test_term_shows_definition_sources_and_synonyms(runner, ttl: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "term", "DGS", "--ontology", ttl)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("deep gluteal syndrome (DGS:0000001)")
    assert "PMID:27011826" in result.stdout and "subgluteal syndrome (related)" in result.stdout
    assert "DGS (exact [acronym]; seen in " in result.stdout
    assert DISCLAIMER in result.stdout
    doc = json.loads(invoke(runner, "term", "UBERON:0008529", "--format", "json", "--ontology", ttl).stdout)
    assert doc["label"] == "piriformis muscle" and doc["curie"] == "UBERON:0008529"
    missing = runner.invoke(cli, ["term", "piriformis muscel", "--ontology", ttl])
    assert missing.exit_code == 2 and "'piriformis muscle' (UBERON:0008529)" in missing.stderr


def test_search_finds_labels_and_synonyms(runner, ttl: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "search", "subgluteal syndrome", "--format", "json", "--ontology", ttl)
    hits = json.loads(result.stdout)
    assert hits[0]["curie"] == "DGS:0000001" and hits[0]["field"] == "synonym"
    assert hits[0]["matched"] == "subgluteal syndrome"
    partial = json.loads(invoke(runner, "search", "subgluteal", "--format", "json", "--ontology", ttl).stdout)
    assert {"curie": "DGS:0000001", "field": "synonym"}.items() <= [h for h in partial
                                                                 if h["curie"] == "DGS:0000001"][0].items()
    table = invoke(runner, "search", "piriformis", "--ontology", ttl)
    assert "DGS:0000301" in table.stdout and DISCLAIMER in table.stdout


def test_the_installed_command_keeps_csv_clean(ttl: str) -> None:
    exe = Path(sys.executable).with_name("dgs-kg")
    proc = subprocess.run([str(exe), "query", "red-flags", "--param", "subject=lumbar radiculopathy",
                           "--format", "csv", "--ontology", ttl], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {r["flag_label"] for r in rows} >= {"fever", "history of cancer"}
    assert DISCLAIMER in proc.stderr and DISCLAIMER not in proc.stdout
    bad = subprocess.run([str(exe), "query", "red-flags", "--param", "subject=no such thing", "--ontology", ttl],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bad.stderr
