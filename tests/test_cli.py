"""The CLI skeleton through click's test runner: version, build --check/--verify, info, imports."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import Graph, URIRef

from dgs_kg import __version__
from dgs_kg.cli import cli
from dgs_kg.sources import load_sources
from dgs_kg.vocab import SYNONYM_SCOPES

from .conftest import ONTOLOGY, SRC


def test_version(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"dgs-kg, version {__version__}"


def test_build_check_counts_the_sources(runner) -> None:  # type: ignore[no-untyped-def]
    loaded = load_sources(SRC)
    result = runner.invoke(cli, ["build", "--check"])
    assert result.exit_code == 0, result.output
    assert f"{len(loaded.terms)} terms" in result.output
    assert f"{len(loaded.references)} references" in result.output


def test_build_verify_passes_on_the_committed_artefacts(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["build", "--verify"])
    assert result.exit_code == 0, result.output


def test_build_verify_fails_when_an_artefact_is_stale(runner, built: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    (tmp_path / "dgs.ttl").write_text("# stale\n")
    result = runner.invoke(cli, ["build", "--verify", "--src", str(SRC), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "out of date: dgs.ttl" in result.output


def test_info_json_matches_the_artefact(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["info", "--format", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    graph = Graph().parse(ONTOLOGY / "dgs.ttl", format="turtle")
    loaded = load_sources(SRC)
    assert stats["triples"] == len(graph)
    assert stats["project_classes"] == len(loaded.terms)
    assert stats["publications"] == len(loaded.references)
    assert stats["relationship_axioms"] == stats["sourced_relationship_axioms"] == len(loaded.relations)
    # Synonyms: from the templates (sourced when written 'text @ PMID:...') and from values rows (always sourced).
    scopes = {str(v): k for k, v in SYNONYM_SCOPES.items()}
    from_values = {(str(v.subject), scopes[str(v.property)], str(v.value)) for v in loaded.values
                   if str(v.property) in scopes and str(v.subject).startswith("https://w3id.org/dgs-kg/")}
    from_templates = {(str(t.iri), s.scope, s.text): bool(s.sources) for t in loaded.terms for s in t.synonyms}
    assert stats["synonyms"] == len(from_values | set(from_templates))
    assert stats["sourced_synonyms"] == len(from_values | {k for k, sourced in from_templates.items() if sourced})
    assert 0 < stats["sourced_synonyms"] <= stats["synonyms"]
    assert stats["version"] == str(graph.value(URIRef("https://w3id.org/dgs-kg/dgs.owl"),
                                             URIRef("http://www.w3.org/2002/07/owl#versionInfo")))
    assert stats["by_category"]["condition"] >= 2
    assert stats["by_category"]["anatomical entity"] > 100


def test_info_table_carries_the_disclaimer(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["info"])
    assert result.exit_code == 0
    assert "not clinical advice" in result.output
    assert "terms by category" in result.output


def test_imports_reproduces_the_committed_module(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "uberon_import.ttl"
    result = runner.invoke(cli, ["imports", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (ONTOLOGY / "imports" / "uberon_import.ttl").read_bytes()


def test_imports_from_a_user_file_reports_missing_seeds(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("UBERON:0001322 # sciatic nerve\nUBERON:0008529 # piriformis muscle\n")
    out = tmp_path / "m.ttl"
    only_obo = ONTOLOGY / "imports" / "sources" / "uberon-subset-2022-02-21.obo"
    result = runner.invoke(cli, ["imports", "--uberon", str(only_obo), "--terms", str(seeds), "-o", str(out)])
    assert result.exit_code == 1
    assert "UBERON:0008529" in result.output
    module = Graph().parse(out, format="turtle")
    assert (URIRef("http://purl.obolibrary.org/obo/UBERON_0001322"), None, None) in module


def test_usage_errors_exit_2_without_traceback(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["build", "--src", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "not found" in result.output
    result = runner.invoke(cli, ["info", "--file", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "missing.ttl" in result.output


def test_lazy_command_table_matches_the_command_modules() -> None:
    import importlib

    import click

    from dgs_kg.cli import LAZY_COMMANDS

    registered: dict[str, str] = {}
    for module in sorted(set(LAZY_COMMANDS.values())):
        group = click.Group()
        importlib.import_module(f"dgs_kg.commands.{module}").register(group)
        registered.update({name: module for name in group.commands})
    assert registered == LAZY_COMMANDS


def test_help_lists_every_command(runner) -> None:  # type: ignore[no-untyped-def]
    from dgs_kg.cli import LAZY_COMMANDS

    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(LAZY_COMMANDS) | {"build", "info", "imports"}
