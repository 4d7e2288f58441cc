"""``dgs-kg serve``: the real Oxigraph server behind the guard, on 127.0.0.1, over the real ontology.

Checks that every query is bounded in time and in result size, that the endpoint is read-only, that
it keeps answering after a query was cut, and that its SPARQL JSON equals in-process pyoxigraph.
"""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast
from urllib.parse import urlencode, urlsplit

import pytest

from dgs_kg.server import stop_process

pytestmark = [pytest.mark.server]

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_TTL = ROOT / "ontology" / "dgs.ttl"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Evaluates without writing anything (no solution passes the filter): only a timeout can stop it.
SILENT_CROSS_PRODUCT = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
                        "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i))) < 0) }")
LABELS = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?term ?label WHERE { ?term rdfs:label ?label } ORDER BY ?term ?label")


class Served:
    """A running ``dgs-kg serve`` process and where it listens."""

    def __init__(self, proc: subprocess.Popen, url: str) -> None:
        self.proc = proc
        self.url = url
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def query(self, sparql: str, accept: str = "application/sparql-results+json",
              timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
        return self.request("POST", "/query", sparql.encode(), {"Content-Type": "application/sparql-query",
                                                                "Accept": accept}, timeout)


def start_serve(*args: str) -> Served:
    """Start ``dgs-kg serve --port 0`` and wait (at most 60 s) for the line with its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "dgs_kg", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    found: list[str] = []

    stdout = cast(IO[str], proc.stdout)  # a text pipe: stdout=PIPE, text=True

    def read_first_line() -> None:
        found.append(stdout.readline())

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(timeout=60)
    match = re.search(r"http://127\.0\.0\.1:\d+/", found[0]) if found else None
    if not match:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise AssertionError(f"dgs-kg serve did not start: {found} {err}")
    return Served(proc, match.group())


def stop_serve(served: Served) -> None:
    stop_process(served.proc, 15)


@pytest.fixture(scope="module")
def timed() -> Iterator[Served]:
    """Tight time limit, loose size limits: only the deadline can stop a cross product."""
    served = start_serve("--timeout", "2", "--max-rows", "1000000000", "--max-bytes", str(1 << 30))
    yield served
    stop_serve(served)


@pytest.fixture(scope="module")
def capped() -> Iterator[Served]:
    """Small row cap, generous time."""
    served = start_serve("--timeout", "20", "--max-rows", "100")
    yield served
    stop_serve(served)


def test_listens_only_on_localhost_and_reports_its_limits(capped: Served) -> None:
    assert capped.host == "127.0.0.1"
    status, headers, body = capped.request("GET", "/health")
    assert status == 200
    health = json.loads(body)
    assert health["read_only"] is True and health["max_rows"] == 100 and health["timeout_s"] == 20


@pytest.mark.slow
@pytest.mark.parametrize("query", [CROSS_PRODUCT, SILENT_CROSS_PRODUCT], ids=["streaming", "silent"])
def test_cross_product_is_cut_at_the_deadline_and_server_keeps_answering(timed: Served, query: str) -> None:
    answers: list[tuple[int, float]] = []

    def simple_query_meanwhile() -> None:
        time.sleep(0.5)
        status, _, _ = timed.query("ASK { ?s ?p ?o }", timeout=10)
        answers.append((status, time.monotonic()))

    other = threading.Thread(target=simple_query_meanwhile)
    other.start()
    start = time.monotonic()
    status, headers, body = timed.query(query, timeout=30)
    elapsed = time.monotonic() - start
    other.join(timeout=15)
    assert status == 503, body[:200]
    assert b"time limit of 2 s" in body
    assert headers["x-dgs-kg-limit"] == "time"
    assert elapsed < 2 + 1.5, f"the answer took {elapsed:.1f} s for a 2 s limit"
    # Another query, sent while the cross product ran, was answered before the cross product ended.
    assert answers and answers[0][0] == 200 and answers[0][1] < start + elapsed
    # And afterwards Oxigraph is idle again: a simple query is answered at once, correctly.
    start = time.monotonic()
    status, _, body = timed.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10)
    assert status == 200 and time.monotonic() - start < 2
    triples = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE)
    assert triples == len(store)
    assert timed.proc.poll() is None


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_row_cap_refuses_larger_results_in_every_format(capped: Served, accept: str) -> None:
    # Definitions hold commas, quotes and parentheses: the row counters must not miscount them.
    base = ("PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>\n"
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?s IAO:0000115 ?def } ORDER BY ?s ?p ?o")
    status, headers, body = capped.query(base + " LIMIT 100", accept)
    assert status == 200, body[:300]
    assert headers["content-type"].startswith(accept)
    status, headers, body = capped.query(base + " LIMIT 101", accept)
    assert status == 413
    assert b"more than 100 rows" in body and headers["x-dgs-kg-limit"] == "size"
    status, _, body = capped.query(base, accept)
    assert status == 413


def test_row_cap_answer_is_complete_when_within_the_cap(capped: Served) -> None:
    status, _, body = capped.query(LABELS + " LIMIT 100")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 100


def test_construct_results_are_capped_by_triples(capped: Served) -> None:
    status, headers, body = capped.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 100", "application/n-triples")
    assert status == 200 and body.count(b"\n") == 100
    status, _, _ = capped.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 101", "application/n-triples")
    assert status == 413


def test_byte_cap() -> None:
    served = start_serve("--timeout", "20", "--max-bytes", "5000")
    try:
        status, headers, body = served.query(LABELS)
        assert status == 413 and b"larger than 5,000 bytes" in body
        status, _, body = served.query("ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        stop_serve(served)


NEW_TRIPLE = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"


@pytest.mark.parametrize("method,path,body,content_type", [
    ("POST", "/query", urlencode({"update": f"INSERT DATA {{ {NEW_TRIPLE} }}"}), "application/x-www-form-urlencoded"),
    ("POST", "/query", f"INSERT DATA {{ {NEW_TRIPLE} }}", "application/sparql-update"),
    ("POST", "/update", f"INSERT DATA {{ {NEW_TRIPLE} }}", "application/sparql-update"),
    ("POST", "/store?default", f"{NEW_TRIPLE} .", "application/n-triples"),
    ("PUT", "/store?default", f"{NEW_TRIPLE} .", "application/n-triples"),
    ("DELETE", "/store?default", "", "text/plain"),
    ("PUT", "/query", f"{NEW_TRIPLE} .", "application/n-triples"),
])
def test_writes_are_refused(capped: Served, method: str, path: str, body: str, content_type: str) -> None:
    status, _, text = capped.request(method, path, body.encode(), {"Content-Type": content_type})
    assert status in (403, 405), text
    assert b"read-only" in text
    status, _, answer = capped.query(f"ASK {{ {NEW_TRIPLE} }}")
    assert status == 200 and json.loads(answer)["boolean"] is False
    status, _, answer = capped.query("ASK { ?s ?p ?o }")
    assert json.loads(answer)["boolean"] is True


def test_update_sent_as_query_is_a_syntax_error(capped: Served) -> None:
    status, _, text = capped.query(f"INSERT DATA {{ {NEW_TRIPLE} }}")
    assert status == 400 and text.startswith(b"error: ")


def test_syntax_error_names_line_and_column(capped: Served) -> None:
    status, _, text = capped.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert status == 400
    assert re.search(rb"error at \d+:\d+", text), text


def test_json_results_equal_in_process_pyoxigraph(capped: Served) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE)
    query = LABELS + " LIMIT 90"
    expected = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))
    # Both protocol forms: GET with ?query= and POST as a form.
    status, _, body = capped.request("GET", "/query?" + urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body) == expected
    status, _, body = capped.request("POST", "/sparql", urlencode({"query": query}).encode(),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body) == expected
    assert any(b["label"].get("xml:lang") or b["label"]["value"] for b in expected["results"]["bindings"])


def test_query_page_is_self_contained(capped: Served) -> None:
    status, headers, body = capped.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert "research and education only" in page and "not clinical advice" in page
    # Nothing is loaded from elsewhere: no external scripts, styles, images or fetches.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script src" not in page and "<link" not in page
    assert 'fetch("query"' in page
    status, _, _ = capped.request("GET", "/nothing-here")
    assert status == 404


# --------------------------------------------------------------------------- synthetic case data
def _synthetic_vocabulary():
    from dgs_kg.engines import OxigraphEngine
    from dgs_kg.synthetic import vocabulary

    return vocabulary(OxigraphEngine([ONTOLOGY_TTL]))


def test_synthetic_data_is_deterministic_sized_and_points_at_ontology_classes(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from dgs_kg.synthetic import ROOTS, write_synthetic

    first, again, other = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    patients, count = write_synthetic(first, 10_000, seed=7)
    write_synthetic(again, 10_000, seed=7)
    write_synthetic(other, 10_000, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    store = ox.Store()
    store.bulk_load(path=str(first), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == count
    # At least the target, and past it by less than one patient's record.
    assert 10_000 <= count < 10_000 + 40
    store.bulk_load(path=str(ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE)
    case = "https://w3id.org/dgs-kg/case/"
    prefixes = f"PREFIX case: <{case}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    n = next(iter(store.query(prefixes + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a case:Patient }")))["n"]
    assert int(n.value) == patients
    # Every finding, test and diagnosis is a class under the right ontology root.
    for prop, root in (("hasFinding", ROOTS["finding"]), ("test", ROOTS["test"]),
                       ("hasDiagnosis", ROOTS["condition"])):
        bad = list(store.query(prefixes + f"SELECT DISTINCT ?c WHERE {{ ?x case:{prop} ?c "
                                          f"FILTER NOT EXISTS {{ ?c rdfs:subClassOf* <{root}> }} }}"))
        assert bad == [], (prop, bad)
        used = list(store.query(prefixes + f"SELECT DISTINCT ?c WHERE {{ ?x case:{prop} ?c }}"))
        assert used, prop
    # Every test result has exactly one test and one value.
    odd = list(store.query(prefixes + """SELECT ?r WHERE { ?r a case:TestResult .
        { SELECT ?r (COUNT(?t) AS ?nt) WHERE { ?r case:test ?t } GROUP BY ?r } FILTER(?nt != 1) }"""))
    assert odd == []


def test_synthetic_generator_rejects_bad_arguments(tmp_path: Path) -> None:
    from dgs_kg.errors import UsageError
    from dgs_kg.synthetic import write_synthetic

    with pytest.raises(UsageError, match="N-Triples"):
        write_synthetic(tmp_path / "cases.ttl", 100)
    with pytest.raises(UsageError, match="positive"):
        write_synthetic(tmp_path / "cases.nt", 0)
    assert not (tmp_path / "cases.nt").exists() and not (tmp_path / "cases.nt.partial").exists()


def test_serve_ontology_with_synthetic_cases_joins_them(tmp_path: Path) -> None:
    from dgs_kg.synthetic import write_synthetic

    cases = tmp_path / "cases.nt"
    patients, _ = write_synthetic(cases, 5_000, seed=3)
    served = start_serve("--timeout", "20", "--file", str(ONTOLOGY_TTL), "--file", str(cases))
    try:
        status, _, body = served.query("""PREFIX case: <https://w3id.org/dgs-kg/case/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a case:Patient ; case:hasFinding ?f . ?f rdfs:label ?l }""")
        assert status == 200
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == patients
    finally:
        stop_serve(served)


# --------------------------------------------------------------------------- the query page in Chromium
@pytest.mark.browser
@pytest.mark.slow
def test_query_page_runs_queries_in_real_chromium_offline(capped: Served) -> None:
    """Every request other than to the endpoint itself is aborted and recorded: the page needs none."""
    import os

    import pyoxigraph as ox
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("DGS_KG_CHROMIUM", "/usr/bin/chromium")
    assert Path(chromium).is_file(), f"{chromium} missing: apt-get install chromium"
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(capped.url):
            r.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            r.abort()  # type: ignore[attr-defined]

    store = ox.Store()
    store.bulk_load(path=str(ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        try:
            page = browser.new_page()
            page.route("**/*", route)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(capped.url)
            assert "not clinical advice" in page.inner_text("body")
            page.select_option("#examples", "Count triples")
            page.click("#run")
            page.wait_for_selector("table td", timeout=15_000)
            assert page.inner_text("table td") == str(len(store))
            # A result over the row cap shows the endpoint's error, not a partial table.
            page.fill("#query", "SELECT * WHERE { ?s ?p ?o }")
            page.click("#run")
            page.wait_for_selector("p.error", timeout=15_000)
            assert "more than 100 rows" in page.inner_text("p.error")
            assert page.query_selector("table") is None
        finally:
            browser.close()
    assert blocked == [] and errors == []


def test_serve_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e {{{ .\n")
    proc = subprocess.run([sys.executable, "-m", "dgs_kg", "serve", "--port", "0", "--file", str(bad)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {bad}: ") and "line 3" in lines[0]
    proc = subprocess.run([sys.executable, "-m", "dgs_kg", "serve", "--timeout", "0"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2 and "--timeout" in proc.stderr
