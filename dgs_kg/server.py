"""A bounded, read-only local SPARQL 1.1 endpoint: the real Oxigraph server behind a small guard.

Why a guard: ``oxigraph serve-read-only --timeout-s`` cancels evaluation that happens *before* the
first result is written (aggregates, ORDER BY), but a streaming SELECT such as a cross product keeps
sending results long after the timeout. The guard sits in front of Oxigraph (which listens on a
private 127.0.0.1 port) and enforces, per query:

* a wall-clock deadline (``timeout``): the upstream connection is cut when it passes and the client
  gets **HTTP 503** with one plain-text line; Oxigraph's own ``--timeout-s`` is set one second above
  it, so work that never writes (``COUNT`` over a cross product) is cancelled upstream too;
* a result-size cap (``max_rows`` solutions or N-Triples lines, ``max_bytes`` bytes): the upstream
  connection is cut and the client gets **HTTP 413** with one plain-text line. Results are never
  silently truncated: a client gets the complete result or an error, never a partial table;
* read-only access: SPARQL UPDATE, the Graph Store Protocol and every write method are refused
  with 403/405 before anything reaches Oxigraph (which also runs read-only).

Results are buffered (at most ``max_bytes``) so the status code can still say what happened.

Why the standard library (``http.server.ThreadingHTTPServer`` + ``http.client``) and not
aiohttp/starlette: Oxigraph does the SPARQL work; the guard is a ~200-line bounded proxy with
blocking reads, where cutting the upstream means closing one socket. It adds no dependency to
dgs-kg, and it only listens on 127.0.0.1 unless asked. Concurrency is bounded by a semaphore, the
request body by ``MAX_REQUEST_BYTES`` and slow clients by a socket timeout.

Research and education only, not clinical advice.
"""
from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from .constants import DISCLAIMER
from .errors import DgsKgError, UsageError

MAX_REQUEST_BYTES = 1 << 20
#: A refused upload up to this size is read and dropped so the client gets the 403/405 answer.
MAX_DRAIN_BYTES = 256 << 20
#: Paths that accept SPARQL queries (``/sparql`` is a common alias).
QUERY_PATHS = ("/query", "/sparql")
WRITE_PATHS = ("/update", "/store")


@dataclass(frozen=True)
class Limits:
    """The bounds every query is held to."""

    timeout: float = 30.0
    max_rows: int = 50_000
    max_bytes: int = 64 << 20
    max_concurrent: int = 4


class LimitExceeded(Exception):
    """A query passed one of the bounds; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- result row counters
class _RowCounter:
    """Counts result rows in a stream of bytes, in whatever format Oxigraph chose."""

    rows = 0

    def feed(self, data: bytes) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class _NoRows(_RowCounter):
    """Formats whose rows cannot be counted cheaply (Turtle, RDF/XML, ASK): bounded by bytes only."""

    def feed(self, data: bytes) -> None:
        pass


class _LineRows(_RowCounter):
    """TSV results and N-Triples/N-Quads: one row per line (newlines inside literals are escaped)."""

    def __init__(self, header_lines: int) -> None:
        self.lines = 0
        self.header = header_lines

    def feed(self, data: bytes) -> None:
        self.lines += data.count(b"\n")
        self.rows = max(0, self.lines - self.header)


class _CsvRows(_RowCounter):
    """CSV results: newlines outside double quotes, minus the header line."""

    _special = re.compile(rb'["\n]')

    def __init__(self) -> None:
        self.in_quotes = False
        self.lines = 0

    def feed(self, data: bytes) -> None:
        for match in self._special.finditer(data):
            if match.group() == b'"':
                self.in_quotes = not self.in_quotes
            elif not self.in_quotes:
                self.lines += 1
        self.rows = max(0, self.lines - 1)


class _XmlRows(_RowCounter):
    """SPARQL XML results: one ``<result>`` element per row (text content escapes ``<``)."""

    def __init__(self) -> None:
        self.tail = b""

    def feed(self, data: bytes) -> None:
        buf = self.tail + data
        self.rows += buf.count(b"<result>") - self.tail.count(b"<result>")
        self.tail = buf[-7:]


class _JsonRows(_RowCounter):
    """SPARQL JSON results: objects opened directly inside ``results.bindings`` (depth 3)."""

    _special = re.compile(rb'["\\{}\[\]]')

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.skip_next = False  # a backslash ended the previous chunk

    def feed(self, data: bytes) -> None:
        skip_to = 0
        if self.skip_next:
            skip_to, self.skip_next = 1, False
        for match in self._special.finditer(data):
            pos = match.start()
            if pos < skip_to:
                continue
            char = match.group()
            if self.in_string:
                if char == b"\\":
                    skip_to = pos + 2
                    if skip_to > len(data):
                        self.skip_next = True
                elif char == b'"':
                    self.in_string = False
            elif char == b'"':
                self.in_string = True
            elif char in (b"{", b"["):
                if char == b"{" and self.depth == 3:
                    self.rows += 1
                self.depth += 1
            else:
                self.depth -= 1


def row_counter(content_type: str) -> _RowCounter:
    """The row counter for one response media type."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/sparql-results+json":
        return _JsonRows()
    if media == "application/sparql-results+xml":
        return _XmlRows()
    if media == "text/csv":
        return _CsvRows()
    if media == "text/tab-separated-values":
        return _LineRows(header_lines=1)
    if media in ("application/n-triples", "application/n-quads"):
        return _LineRows(header_lines=0)
    return _NoRows()


# --------------------------------------------------------------------------- the Oxigraph process
def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable (PyPI package ``oxigraph``), next to this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise DgsKgError("the Oxigraph server is not installed; run 'pip install oxigraph' (the PyPI package "
                         "that ships the 'oxigraph' command)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS reports free on ``host`` (used for Oxigraph's private listener)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: let the kernel stop Oxigraph if the guard is killed outright."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def wait_until_listening(host: str, port: int, deadline_s: float, proc: subprocess.Popen | None = None) -> None:
    """Poll a TCP port until it accepts connections; bounded by ``deadline_s``."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise DgsKgError(f"the Oxigraph server exited at start (code {proc.returncode})")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise DgsKgError(f"the Oxigraph server did not start listening on {host}:{port} within {deadline_s:.0f} s")


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """Terminate ``proc``, and kill it if it has not exited within ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class OxigraphProcess:
    """A read-only ``oxigraph serve-read-only`` child over a store loaded from the artefact(s)."""

    def __init__(self, paths: list[Path], timeout: float, store_dir: Path | None = None) -> None:
        self.paths = paths
        self.timeout = timeout
        self._tmp = None if store_dir else tempfile.TemporaryDirectory(prefix="dgs-kg-store-")
        self.store = store_dir or Path(self._tmp.name) / "store"  # type: ignore[union-attr]
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Bulk-load the artefacts into the on-disk store with ``oxigraph load``."""
        for path in self.paths:
            if not path.is_file():
                raise UsageError(f"{path}: file not found")
            done = subprocess.run([oxigraph_binary(), "load", "--location", str(self.store), "--file", str(path)],
                                  capture_output=True, text=True, timeout=600, check=False)
            if done.returncode != 0:
                lines = done.stderr.strip().splitlines()
                detail = next((line.split(": ", 1)[1] for line in lines
                               if line.startswith("Error while loading file") and ": " in line),
                              next((line for line in lines if line.startswith("Error")), "unknown error"))
                raise UsageError(f"{path}: Oxigraph could not load it: {detail.strip()}")

    def start(self) -> None:
        """Start (or restart) the read-only server on a private 127.0.0.1 port."""
        with self._lock:
            if self.proc is not None and self.proc.poll() is None:
                return
            self.port = free_port()
            upstream_timeout = str(math.ceil(self.timeout) + 1)
            self.proc = subprocess.Popen(
                [oxigraph_binary(), "serve-read-only", "--location", str(self.store),
                 "--bind", f"127.0.0.1:{self.port}", "--timeout-s", upstream_timeout],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
            wait_until_listening("127.0.0.1", self.port, 30.0, self.proc)

    def ensure_running(self) -> None:
        """Restart Oxigraph if it died (it should not; this keeps the endpoint answering)."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, 10)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


# --------------------------------------------------------------------------- the guard
def fetch_bounded(port: int, query: str, params: list[tuple[str, str]], accept: str,
                  limits: Limits, deadline: float) -> tuple[int, str, bytes]:
    """Send one query to Oxigraph and read the answer within the deadline and the size caps.

    Returns (status, content type, body); raises :class:`LimitExceeded` after cutting the upstream.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise LimitExceeded(503, f"query exceeded the time limit of {limits.timeout:g} s")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=remaining)
    try:
        path = "/query" + (f"?{urlencode(params)}" if params else "")
        try:
            conn.request("POST", path, body=query.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
            resp = conn.getresponse()
        except (TimeoutError, socket.timeout) as exc:
            raise LimitExceeded(503, f"query exceeded the time limit of {limits.timeout:g} s") from exc
        content_type = resp.getheader("Content-Type", "application/octet-stream")
        counter = row_counter(content_type) if resp.status == 200 else _NoRows()
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LimitExceeded(503, f"query exceeded the time limit of {limits.timeout:g} s; "
                                         "add LIMIT or narrow the pattern")
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
            try:
                chunk = resp.read1(65536)
            except (TimeoutError, socket.timeout) as exc:
                raise LimitExceeded(503, f"query exceeded the time limit of {limits.timeout:g} s; "
                                         "add LIMIT or narrow the pattern") from exc
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise LimitExceeded(413, f"result larger than {limits.max_bytes:,} bytes; add LIMIT or select fewer "
                                         "variables")
            counter.feed(chunk)
            if counter.rows > limits.max_rows:
                raise LimitExceeded(413, f"result has more than {limits.max_rows:,} rows; add LIMIT (or start the "
                                         "server with a larger --max-rows)")
            chunks.append(chunk)
        return resp.status, content_type, b"".join(chunks)
    finally:
        # Cutting the connection is what stops Oxigraph streaming: it notices the closed socket.
        if conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        conn.close()


class GuardServer(ThreadingHTTPServer):
    """The public listener; holds the limits and the Oxigraph child."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], upstream: OxigraphProcess, limits: Limits) -> None:
        super().__init__(address, GuardHandler)
        self.upstream = upstream
        self.limits = limits
        self.slots = threading.BoundedSemaphore(limits.max_concurrent)


class GuardHandler(BaseHTTPRequestHandler):
    """Routes: ``/`` query page, ``/query`` (and ``/sparql``) SPARQL 1.1 Protocol, ``/health``."""

    server: GuardServer
    server_version = "dgs-kg-guard"
    protocol_version = "HTTP/1.1"
    timeout = 15  # seconds to wait on a slow client, per socket operation

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        if os.environ.get("DGS_KG_SERVE_LOG"):
            super().log_message(format, *args)

    # -- helpers
    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8",
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), extra=extra)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._error(411, "send the query with a Content-Length header")
            return None
        try:
            size = int(length or 0)
        except ValueError:
            self._error(400, "bad Content-Length header")
            return None
        if size > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._error(413, f"request body larger than {MAX_REQUEST_BYTES:,} bytes")
            return None
        return self.rfile.read(size) if size else b""

    # -- methods
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(200, query_page().encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/health":
            self._send(200, json.dumps({"status": "ok", "read_only": True, "timeout_s": self.server.limits.timeout,
                                        "max_rows": self.server.limits.max_rows,
                                        "max_bytes": self.server.limits.max_bytes}).encode(), "application/json")
        elif url.path in QUERY_PATHS:
            params = parse_qsl(url.query, keep_blank_values=True)
            self._query(params, None)
        elif url.path in WRITE_PATHS:
            self._error(403, "this endpoint is read-only: the Graph Store Protocol and SPARQL UPDATE are refused")
        else:
            self._error(404, f"no such page: {url.path}; SPARQL queries go to /query")

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path in WRITE_PATHS:
            self._drain_body()
            self._error(403, "this endpoint is read-only: the Graph Store Protocol and SPARQL UPDATE are refused")
            return
        body = self._read_body()
        if body is None:
            return
        if url.path not in QUERY_PATHS:
            self._error(404, f"no such endpoint: {url.path}; SPARQL queries go to /query")
            return
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qsl(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
            return
        if media == "application/sparql-query":
            self._query(params, body.decode("utf-8", errors="replace"))
        elif media == "application/x-www-form-urlencoded":
            form = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if any(key == "update" for key, _ in form):
                self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
                return
            self._query(params + form, None)
        else:
            self._error(415, "send the query as application/sparql-query or as a form field 'query' "
                             "(application/x-www-form-urlencoded)")

    def _drain_body(self) -> None:
        """Read and drop a request body we refuse, so the client sees our answer, not a reset."""
        try:
            remaining = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            remaining = 0
        if remaining > MAX_DRAIN_BYTES or self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            return
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)

    def _refuse_write(self) -> None:
        self._drain_body()
        self._error(405, "this endpoint is read-only; use GET or POST with a SPARQL query",
                    {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def _query(self, params: list[tuple[str, str]], query: str | None) -> None:
        started = time.monotonic()
        limits = self.server.limits
        deadline = started + limits.timeout
        queries = [value for key, value in params if key == "query"]
        if query is None:
            if len(queries) != 1:
                self._error(400, "give exactly one SPARQL query (parameter 'query' or a sparql-query body)")
                return
            query = queries[0]
        if any(key == "update" for key, _ in params):
            self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
            return
        passed = [(k, v) for k, v in params if k in ("default-graph-uri", "named-graph-uri")]
        accept = self.headers.get("Accept") or "application/sparql-results+json"
        if not self.server.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            self._error(503, "the endpoint is busy with other queries; try again", {"Retry-After": "1"})
            return
        try:
            self.server.upstream.ensure_running()
            status, content_type, body = fetch_bounded(self.server.upstream.port, query, passed, accept,
                                                       limits, deadline)
        except LimitExceeded as exc:
            self.close_connection = True
            self._error(exc.status, f"error: {exc}", {"X-DGS-KG-Limit": "time" if exc.status == 503 else "size"})
            return
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            self._error(502, f"error: the Oxigraph server did not answer ({exc})")
            return
        finally:
            self.server.slots.release()
        if status != 200:
            # Oxigraph's message (e.g. "error at 1:6: expected ...") already names line and column.
            message = body.decode("utf-8", errors="replace").strip() or http.client.responses.get(status, "")
            self._error(status, f"error: {message}")
            return
        self._send(200, body, content_type)


# --------------------------------------------------------------------------- the page at /
def query_page() -> str:
    """A self-contained query page: plain HTML and inlined JavaScript, no network beyond this server."""
    return _PAGE.replace("__DISCLAIMER__", DISCLAIMER)


_PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dgs-kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:80em;color:#222}
textarea{width:100%;height:12em;font-family:ui-monospace,monospace;font-size:0.95em}
table{border-collapse:collapse;margin-top:1em;font-size:0.9em}
td,th{border:1px solid #bbb;padding:0.25em 0.5em;vertical-align:top;text-align:left}
th{background:#eee}.note{color:#555;font-size:0.9em}.error{color:#a00;white-space:pre-wrap}
pre{white-space:pre-wrap;background:#f6f6f6;padding:0.5em}
</style></head><body>
<h1>dgs-kg SPARQL endpoint</h1>
<p class="note"><strong>__DISCLAIMER__</strong></p>
<p class="note">Read-only SPARQL 1.1 endpoint at <code>/query</code>. Every query is bounded in time and
in result size; a query that passes a bound gets an error (HTTP 503 for time, 413 for size), never a
truncated table.</p>
<label for="examples">Example: </label><select id="examples"></select>
<textarea id="query" spellcheck="false"></textarea>
<p><button id="run">Run query</button> (Ctrl+Enter) <span id="status" class="note"></span></p>
<div id="out"></div>
<script>
"use strict";
const P = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n" +
  "PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>\nPREFIX DGS: <https://w3id.org/dgs-kg/DGS_>\n";
const EXAMPLES = {
  "Terms and labels": P + "SELECT ?term ?label WHERE {\n  ?term a owl:Class ; rdfs:label ?label .\n} ORDER BY ?label LIMIT 50",
  "Search labels": P + "SELECT ?term ?label WHERE {\n  ?term rdfs:label ?label .\n  FILTER(CONTAINS(LCASE(STR(?label)), \"piriformis\"))\n} LIMIT 50",
  "Relationships of a term": P + "SELECT ?relation ?target WHERE {\n  ?term rdfs:label \"deep gluteal syndrome\" ; rdfs:subClassOf ?r .\n  ?r owl:onProperty/rdfs:label ?relation ; owl:someValuesFrom/rdfs:label ?target .\n} LIMIT 100",
  "Count triples": "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
};
const sel = document.getElementById("examples"), box = document.getElementById("query");
for (const name of Object.keys(EXAMPLES)) { const o = document.createElement("option"); o.textContent = name; sel.appendChild(o); }
sel.onchange = () => { box.value = EXAMPLES[sel.value]; };
box.value = EXAMPLES[Object.keys(EXAMPLES)[0]];
function cell(b) {
  if (!b) return "";
  if (b.type === "uri") return b.value;
  if (b.type === "bnode") return "_:" + b.value;
  return b.value + (b["xml:lang"] ? "@" + b["xml:lang"] : "");
}
function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
async function run() {
  const out = document.getElementById("out"), status = document.getElementById("status");
  out.textContent = ""; status.textContent = "running...";
  const t0 = performance.now();
  let resp;
  try {
    resp = await fetch("query", {method: "POST", headers: {"Content-Type": "application/sparql-query",
      "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.1"}, body: box.value});
  } catch (e) { status.textContent = ""; out.appendChild(el("p", "cannot reach the endpoint: " + e)).className = "error"; return; }
  const ms = Math.round(performance.now() - t0), type = resp.headers.get("Content-Type") || "", text = await resp.text();
  if (!resp.ok) { status.textContent = "HTTP " + resp.status + " after " + ms + " ms"; out.appendChild(el("p", text)).className = "error"; return; }
  if (type.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) { status.textContent = ms + " ms"; out.appendChild(el("p", "ASK: " + data.boolean)); return; }
    const vars = data.head.vars, rows = data.results.bindings;
    status.textContent = rows.length + " rows in " + ms + " ms";
    const table = el("table"), head = el("tr");
    for (const v of vars) head.appendChild(el("th", "?" + v));
    table.appendChild(head);
    for (const r of rows) { const tr = el("tr"); for (const v of vars) tr.appendChild(el("td", cell(r[v]))); table.appendChild(tr); }
    out.appendChild(table);
  } else { status.textContent = ms + " ms"; out.appendChild(el("pre", text)); }
}
document.getElementById("run").onclick = run;
box.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
</script></body></html>
"""


# --------------------------------------------------------------------------- entry point
def start_server(paths: list[Path], host: str = "127.0.0.1", port: int = 7878,
                 limits: Limits | None = None) -> GuardServer:
    """Load the store, start Oxigraph and bind the guard; the caller runs ``serve_forever``."""
    limits = limits or Limits()
    if limits.timeout <= 0 or limits.max_rows < 0 or limits.max_bytes <= 0:
        raise UsageError("--timeout and --max-bytes must be positive and --max-rows not negative")
    upstream = OxigraphProcess(paths, limits.timeout)
    try:
        upstream.load()
        upstream.start()
        try:
            server = GuardServer((host, port), upstream, limits)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from exc
    except BaseException:
        upstream.stop()
        raise
    return server


def serve(paths: list[Path], host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None,
          announce: Callable[[str], object] = print) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM); always stops the Oxigraph child."""
    server = start_server(paths, host, port, limits)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        announce(f"serving {', '.join(str(p) for p in paths)} read-only at http://{bound_host}:{bound_port}/ "
                 f"(SPARQL: /query; limits: {server.limits.timeout:g} s, {server.limits.max_rows:,} rows, "
                 f"{server.limits.max_bytes:,} bytes)")
        announce(DISCLAIMER)
        sys.stdout.flush()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.upstream.stop()
