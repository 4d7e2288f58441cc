"""RemoteEngine and ``dgs-kg push`` against a real, writeable ``oxigraph serve`` on 127.0.0.1."""
from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dgs_kg.engines import OxigraphEngine, QueryEngine
from dgs_kg.errors import DgsKgError, UsageError
from dgs_kg.remote import RemoteEngine, push
from dgs_kg.server import free_port, oxigraph_binary, wait_until_listening
from dgs_kg.stats import compute_stats

from .test_server import SILENT_CROSS_PRODUCT, start_serve, stop_serve

pytestmark = [pytest.mark.server]

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_TTL = ROOT / "ontology" / "dgs.ttl"
GRAPH = "https://w3id.org/dgs-kg/dgs.owl"
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label WHERE { ?term rdfs:label ?label } ORDER BY ?term ?label"""
#: Every kind of term and literal the ontology has (IRIs, typed and language-tagged literals).
ALL_NON_BLANK = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real writeable Oxigraph server (``oxigraph serve``) on a free 127.0.0.1 port."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-store")
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening("127.0.0.1", port, 30, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def local() -> OxigraphEngine:
    return OxigraphEngine([ONTOLOGY_TTL])


@pytest.fixture(scope="module")
def pushed(store_url: str, runner_module: CliRunner) -> str:
    """The ontology pushed into the default graph with the real CLI."""
    from dgs_kg.cli import cli

    result = runner_module.invoke(cli, ["push", "--endpoint", f"{store_url}/store", "--file", str(ONTOLOGY_TTL)])
    assert result.exit_code == 0, result.output
    assert "replaced the default graph" in result.output
    return store_url


@pytest.fixture(scope="module")
def runner_module() -> CliRunner:
    return CliRunner()


def _triples(engine: QueryEngine) -> int:
    _, rows = engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0]["n"].value)


def _row_set(rows: list[dict]) -> set[tuple]:
    return {tuple(sorted(row.items())) for row in rows}


def test_push_then_query_back_same_triples_and_rows(pushed: str, local: OxigraphEngine) -> None:
    remote = RemoteEngine(f"{pushed}/query", timeout=30)
    assert _triples(remote) == _triples(local) == len(local.store)
    variables, rows = remote.select(LABELS)
    local_vars, local_rows = local.select(LABELS)
    assert variables == local_vars == ["term", "label"]
    assert rows == local_rows  # same order, same Cells (kinds, datatypes, languages)
    _, remote_all = remote.select(ALL_NON_BLANK)
    _, local_all = local.select(ALL_NON_BLANK)
    assert _row_set(remote_all) == _row_set(local_all)
    assert remote.ask("ASK { ?s a <http://www.w3.org/2002/07/owl#Ontology> }") is True
    assert remote.ask("ASK { <https://example.org/nothing> ?p ?o }") is False


def test_info_statistics_equal_over_the_endpoint(pushed: str, local: OxigraphEngine) -> None:
    """Every query ``dgs-kg info`` runs gives the same answer remotely (engine-layer queries unchanged)."""
    assert compute_stats(RemoteEngine(f"{pushed}/query")) == compute_stats(local)


def test_push_replaces_so_pushing_twice_changes_nothing(pushed: str, local: OxigraphEngine) -> None:
    count = push(f"{pushed}/store", [ONTOLOGY_TTL])
    assert count == len(local.store)
    assert _triples(RemoteEngine(f"{pushed}/query")) == len(local.store)


def test_push_to_named_graph_and_query_it_as_default_graph(pushed: str, local: OxigraphEngine) -> None:
    count = push(f"{pushed}/store", [ONTOLOGY_TTL], graph=GRAPH)
    assert count == len(local.store)
    named = RemoteEngine(f"{pushed}/query", graph=GRAPH)
    assert _triples(named) == len(local.store)
    assert named.select(LABELS)[1] == local.select(LABELS)[1]
    # The named graph really is a separate graph: it has its own copy of the triples.
    _, rows = RemoteEngine(f"{pushed}/query").select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"].value) == len(local.store)


def test_remote_engine_over_the_guarded_endpoint(local: OxigraphEngine) -> None:
    served = start_serve("--timeout", "20")
    try:
        remote = RemoteEngine(f"{served.url}query")
        assert remote.select(LABELS) == local.select(LABELS)
        with pytest.raises(DgsKgError, match="HTTP 405: this endpoint is read-only"):
            push(f"{served.url}store", [ONTOLOGY_TTL])
    finally:
        stop_serve(served)


@pytest.mark.slow
def test_remote_timeout_is_one_clear_error_in_time() -> None:
    served = start_serve("--timeout", "20")
    try:
        remote = RemoteEngine(f"{served.url}query", timeout=1.5)
        start = time.monotonic()
        with pytest.raises(DgsKgError, match=r"did not answer within 1\.5 s"):
            remote.select(SILENT_CROSS_PRODUCT)
        assert time.monotonic() - start < 3
    finally:
        stop_serve(served)


def test_endpoint_errors_are_one_line(pushed: str) -> None:
    with pytest.raises(UsageError, match=r"rejected the query: .*1:\d+"):
        RemoteEngine(f"{pushed}/query").select("SELEC ?x")
    closed = free_port()
    with pytest.raises(DgsKgError, match="cannot reach the endpoint .* is the server running"):
        RemoteEngine(f"http://127.0.0.1:{closed}/query", timeout=5).select("SELECT * { ?s ?p ?o }")
    with pytest.raises(UsageError, match="not an http"):
        RemoteEngine("ftp://example.org/sparql")
    with pytest.raises(DgsKgError, match="SELECT results"):
        RemoteEngine(f"{pushed}/query").select("ASK { ?s ?p ?o }")
    with pytest.raises(UsageError, match="not an absolute IRI"):
        push(f"{pushed}/store", [ONTOLOGY_TTL], graph="dgs graph")


def test_push_cli_unreachable_store_exits_non_zero_with_one_line() -> None:
    closed = free_port()
    proc = subprocess.run([sys.executable, "-m", "dgs_kg", "push", "--endpoint", f"http://127.0.0.1:{closed}/store",
                           "--timeout", "5"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the endpoint"), proc.stderr
    assert "Traceback" not in proc.stderr
