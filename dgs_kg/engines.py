"""The one engine layer behind every SPARQL query dgs-kg runs.

Every feature (``info``, named queries, QC rules, exports) goes through :class:`QueryEngine`, so the
same query text runs on in-process pyoxigraph (the default, fast), on rdflib, or on a remote SPARQL
1.1 endpoint. Results are plain rows: dicts from variable name to :class:`Cell`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .constants import data_dir
from .errors import ArtefactError, UsageError


@dataclass(frozen=True, slots=True)
class Cell:
    """One bound value: its lexical form and its RDF kind ("iri", "literal" or "bnode")."""

    value: str
    kind: str = "literal"
    datatype: str = ""
    language: str = ""

    def __str__(self) -> str:
        return self.value


Row = dict[str, Cell]


class QueryEngine(Protocol):
    """A SPARQL 1.1 query engine over the dgs-kg graph."""

    name: str

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        """Run a SELECT query; return the variable names and the rows."""
        ...

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        ...


def default_artefact() -> Path:
    """The full ontology in Turtle, as built and shipped."""
    path = data_dir() / "dgs.ttl"
    if not path.is_file() or path.stat().st_size == 0:
        raise ArtefactError(f"{path} is missing or empty; run 'dgs-kg build' (or 'make ontology') first")
    return path


def _rdf_format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    formats = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".xml": "xml", ".nt": "nt", ".n3": "n3",
               ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads"}
    if suffix not in formats:
        raise UsageError(f"{path}: unknown RDF file type '{suffix}'; use .ttl, .owl/.rdf (RDF/XML) or .nt")
    return formats[suffix]


class OxigraphEngine:
    """In-process pyoxigraph store: the default engine."""

    name = "oxigraph"

    def __init__(self, paths: list[Path] | None = None) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.store = ox.Store()
        for path in paths or [default_artefact()]:
            fmt = {"turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES,
                   "n3": ox.RdfFormat.N3, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                   "json-ld": ox.RdfFormat.JSON_LD}[_rdf_format_for(path)]
            try:
                self.store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
            except (SyntaxError, ValueError) as exc:
                raise UsageError(f"{path}: not valid {fmt}: {exc}") from exc
            except OSError as exc:
                raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc

    def _cell(self, term: object) -> Cell:
        ox = self._ox
        if isinstance(term, ox.NamedNode):
            return Cell(term.value, "iri")
        if isinstance(term, ox.BlankNode):
            return Cell(term.value, "bnode")
        return Cell(term.value, "literal", term.datatype.value if term.datatype else "",  # type: ignore[attr-defined]
                    term.language or "")  # type: ignore[attr-defined]

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from exc
        variables = [v.value for v in result.variables]  # type: ignore[union-attr]
        rows = []
        for solution in result:  # type: ignore[union-attr]
            row = {}
            for var in variables:
                term = solution[var]
                if term is not None:
                    row[var] = self._cell(term)
            rows.append(row)
        return variables, rows

    def ask(self, sparql: str) -> bool:
        try:
            return bool(self.store.query(sparql, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from exc


class RdflibEngine:
    """rdflib's SPARQL engine: slow, but the reference implementation many users know."""

    name = "rdflib"

    def __init__(self, paths: list[Path] | None = None) -> None:
        from rdflib import Graph

        self.graph = Graph()
        for path in paths or [default_artefact()]:
            self.graph.parse(path, format=_rdf_format_for(path))

    def _cell(self, term: object) -> Cell:
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, URIRef):
            return Cell(str(term), "iri")
        if isinstance(term, BNode):
            return Cell(str(term), "bnode")
        assert isinstance(term, Literal)
        return Cell(str(term), "literal", str(term.datatype or ""), term.language or "")

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        try:
            result = self.graph.query(sparql)
        except Exception as exc:  # pyparsing raises its own types
            raise UsageError(f"SPARQL error: {exc}") from exc
        variables = [str(v) for v in result.vars or []]
        rows = [{v: self._cell(b[v]) for v in variables if b.get(v) is not None}  # type: ignore[union-attr]
                for b in result.bindings]
        return variables, rows

    def ask(self, sparql: str) -> bool:
        return bool(self.graph.query(sparql).askAnswer)


ENGINE_NAMES = ("oxigraph", "rdflib", "remote")


def get_engine(name: str = "oxigraph", paths: list[Path] | None = None, **options: object) -> QueryEngine:
    """Select an engine by name: ``oxigraph`` (default), ``rdflib``, or ``remote`` (``endpoint=URL``,
    optional ``timeout=`` seconds and ``graph=`` IRI), a SPARQL 1.1 endpoint such as a triplestore."""
    if name == "remote":
        from .remote import RemoteEngine

        if paths:
            raise UsageError("a remote engine queries its endpoint; it takes no local files")
        return RemoteEngine(**options)  # type: ignore[arg-type]
    engines = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}
    if name not in engines:
        raise UsageError(f"unknown engine '{name}'; choose one of: {', '.join(ENGINE_NAMES)}")
    if options:
        raise UsageError(f"engine '{name}' takes no options ({', '.join(options)})")
    return engines[name](paths)  # type: ignore[no-any-return]
