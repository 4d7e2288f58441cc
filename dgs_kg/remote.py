"""Run dgs-kg queries on any SPARQL 1.1 endpoint, and push the ontology into any triplestore.

:class:`RemoteEngine` speaks the SPARQL 1.1 Protocol (form-encoded POST, JSON results) and returns
the same :class:`~dgs_kg.engines.Cell` rows as the in-process engine, so every named query runs
unchanged against a user's own store. :func:`push` writes through the SPARQL 1.1 Graph Store
Protocol. Only the standard library is used (``urllib``); every request is bounded in time, and a
response in size.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .engines import Cell, Row, literal
from .errors import DgsKgError, UsageError

#: A response larger than this is refused rather than read into memory.
MAX_RESPONSE_BYTES = 1 << 30
USER_AGENT = "dgs-kg (research and education only, not clinical advice)"


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} '{url}' is not an http(s) URL; e.g. http://127.0.0.1:7878/query")


def _read_bounded(resp: object, deadline: float, url: str, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """Read a whole response, giving up at the deadline or past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise DgsKgError(f"{url} did not finish answering in time; raise --timeout or add LIMIT")
        chunk = resp.read1(1 << 16)  # type: ignore[attr-defined]
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise DgsKgError(f"{url} sent more than {limit:,} bytes; add LIMIT to the query")
        chunks.append(chunk)


def _http(method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """One HTTP exchange bounded by ``timeout`` seconds in total; errors become one clear line."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - URL scheme checked
            return resp.status, _read_bounded(resp, deadline, url)
    except urllib.error.HTTPError as exc:
        try:
            text = _read_bounded(exc, deadline, url, 1 << 16).decode("utf-8", errors="replace").strip()
        except (OSError, DgsKgError):
            text = ""
        first = text.splitlines()[0] if text else exc.reason
        if exc.code == 400:
            raise UsageError(f"the endpoint {url} rejected the query: {first}") from exc
        raise DgsKgError(f"the endpoint {url} answered HTTP {exc.code}: {first}") from exc
    except (TimeoutError, socket.timeout) as exc:
        raise DgsKgError(f"the endpoint {url} did not answer within {timeout:g} s; raise --timeout or add LIMIT") \
            from exc
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, str) else (getattr(exc.reason, "strerror", None) or exc.reason)
        raise DgsKgError(f"cannot reach the endpoint {url}: {reason}; is the server running?") from exc
    except (ConnectionError, OSError) as exc:
        raise DgsKgError(f"connection to the endpoint {url} failed: {exc}") from exc


def cell_from_json(binding: dict[str, str]) -> Cell:
    """One SPARQL 1.1 JSON results term as a Cell, with the datatypes the in-process engine gives."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return Cell(value, "iri")
    if kind == "bnode":
        return Cell(value, "bnode")
    if kind in ("literal", "typed-literal"):
        return literal(value, binding.get("datatype", ""), binding.get("xml:lang", ""))
    if kind == "triple":
        raise DgsKgError("the endpoint returned an RDF-star triple term, which dgs-kg rows cannot hold")
    raise DgsKgError(f"the endpoint returned an unknown term type '{kind}'")


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint as a :class:`~dgs_kg.engines.QueryEngine`.

    ``graph``: when the data sits in a named graph, it is made the query's default graph through the
    protocol's ``default-graph-uri`` parameter, so the same query text still works.
    """

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 60.0, graph: str | None = None) -> None:
        _check_url(endpoint, "endpoint")
        if timeout <= 0:
            raise UsageError("timeout must be positive")
        self.endpoint = endpoint
        self.timeout = timeout
        self.graph = graph

    def _results(self, sparql: str) -> dict:
        fields = [("query", sparql)]
        if self.graph:
            fields.append(("default-graph-uri", self.graph))
        status, body = _http("POST", self.endpoint, urlencode(fields).encode("utf-8"),
                             {"Content-Type": "application/x-www-form-urlencoded",
                              "Accept": "application/sparql-results+json"}, self.timeout)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise DgsKgError(f"the endpoint {self.endpoint} did not return SPARQL JSON results "
                             f"(HTTP {status}, {len(body)} bytes); is it a SPARQL query endpoint?") from exc
        if not isinstance(data, dict):
            raise DgsKgError(f"the endpoint {self.endpoint} returned JSON that is not SPARQL results")
        return data

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        """Run a SELECT query; return the variable names and the rows."""
        data = self._results(sparql)
        try:
            variables = list(data["head"].get("vars", []))
            bindings = data["results"]["bindings"]
        except (KeyError, AttributeError, TypeError) as exc:
            raise DgsKgError(f"the endpoint {self.endpoint} did not return SELECT results; is this a SELECT "
                             "query?") from exc
        rows = [{var: cell_from_json(term) for var, term in binding.items()} for binding in bindings]
        return variables, rows

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        data = self._results(sparql)
        if not isinstance(data.get("boolean"), bool):
            raise DgsKgError(f"the endpoint {self.endpoint} did not return an ASK answer; is this an ASK query?")
        return bool(data["boolean"])


def _ntriples(paths: list[Path]) -> tuple[bytes, int]:
    """All files merged into one N-Triples document (blank nodes kept apart per file) and its size."""
    import pyoxigraph as ox

    from .engines import OxigraphEngine

    store = OxigraphEngine(paths).store
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return bytes(data or b""), len(store)


def push(endpoint: str, paths: list[Path], graph: str | None = None, replace: bool = True,
         timeout: float = 120.0) -> int:
    """Write the files into a store's graph via the Graph Store Protocol; return the triple count.

    ``replace`` uses HTTP PUT (the graph's old content is dropped), otherwise POST (merged).
    """
    _check_url(endpoint, "Graph Store endpoint")
    if graph is not None:
        if not urlsplit(graph).scheme or any(c in graph for c in ' <>"{}|\\^`'):
            raise UsageError(f"graph '{graph}' is not an absolute IRI; e.g. https://w3id.org/dgs-kg/dgs.owl")
    body, triples = _ntriples(paths)
    separator = "&" if urlsplit(endpoint).query else "?"
    target = endpoint + separator + (urlencode({"graph": graph}) if graph else "default")
    status, _ = _http("PUT" if replace else "POST", target, body,
                      {"Content-Type": "application/n-triples"}, timeout)
    if status not in (200, 201, 204):
        raise DgsKgError(f"the store at {endpoint} answered HTTP {status} to the Graph Store request")
    return triples
