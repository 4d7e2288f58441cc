"""The one engine layer behind every SPARQL query dgs-kg runs.

Every feature (``info``, named queries, QC rules, exports) goes through :class:`QueryEngine`, so the
same query text runs on in-process pyoxigraph (the default, fast), on rdflib, or on a remote SPARQL
1.1 endpoint. Results are plain rows: dicts from variable name to :class:`Cell`.
"""
from __future__ import annotations

import os

from .constants import data_folder
from .errors import ArtefactError, UsageError
from .records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # the query path imports neither pathlib nor typing; engines take str or os.PathLike
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Protocol
else:
    Protocol = object


class Cell(NamedTuple):
    """One bound value: its lexical form and its RDF kind ("iri", "literal" or "bnode").

    A named tuple because result sets create one per bound value: it is built several times faster
    than a frozen dataclass and is just as immutable and hashable. Engines give literals in one
    canonical form (see :func:`literal`), so rows from different engines compare equal.
    """

    value: str
    kind: str = "literal"
    datatype: str = ""
    language: str = ""

    def __str__(self) -> str:
        return self.value


_new_cell = tuple.__new__
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN_DATATYPES = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
_INTEGER_TYPES = frozenset(_XSD + n for n in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))


def iri_cell(value: str) -> Cell:
    """An IRI as a Cell (the fast path every engine uses)."""
    return _new_cell(Cell, (value, "iri", "", ""))


def literal(value: str, datatype: str = "", language: str = "") -> Cell:
    """A literal in canonical form: the same value gives the same Cell whichever engine produced it.

    Engines disagree on lexical forms: pyoxigraph types simple literals as xsd:string and
    language-tagged ones as rdf:langString, rdflib leaves the datatype empty; pyoxigraph turns
    ``79.0``^^xsd:decimal into ``79``, rdflib keeps ``79.0``. Here simple and language-tagged literals
    have an empty datatype, decimals keep one fractional digit at least, integers have no padding.
    """
    if not datatype or datatype in _PLAIN_DATATYPES:
        return _new_cell(Cell, (value, "literal", "", language))
    if datatype == _XSD + "decimal" or datatype in _INTEGER_TYPES:
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return _new_cell(Cell, (value, "literal", datatype, language))
        if datatype in _INTEGER_TYPES:
            if number == number.to_integral_value():
                value = str(int(number))
        elif number.is_finite():
            value = f"{int(number)}.0" if number == number.to_integral_value() else format(number.normalize(), "f")
    return _new_cell(Cell, (value, "literal", datatype, language))


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


def _default_artefact_file() -> str:
    path = os.path.join(data_folder(), "dgs.ttl")
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        raise ArtefactError(f"{path} is missing or empty; run 'dgs-kg build' (or 'make ontology') first")
    return path


def default_artefact() -> Path:
    """The full ontology in Turtle, as built and shipped."""
    from pathlib import Path

    return Path(_default_artefact_file())


def _rdf_format_for(path: str | os.PathLike[str]) -> str:
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    formats = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".xml": "xml", ".nt": "nt", ".n3": "n3",
               ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads"}
    if suffix not in formats:
        raise UsageError(f"{path}: unknown RDF file type '{suffix}'; use .ttl, .owl/.rdf (RDF/XML) or .nt")
    return formats[suffix]


#: Files below this size are parsed with pyoxigraph's transactional loader (see OxigraphEngine).
SMALL_FILE_BYTES = 8 << 20


class OxigraphEngine:
    """In-process pyoxigraph store: the default engine."""

    name = "oxigraph"

    def __init__(self, paths: Sequence[str | os.PathLike[str]] | None = None) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.store = ox.Store()
        for path in paths or [_default_artefact_file()]:
            fmt = {"turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES,
                   "n3": ox.RdfFormat.N3, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                   "json-ld": ox.RdfFormat.JSON_LD}[_rdf_format_for(path)]
            # A transactional load is faster on small files (the bundled ontology); the bulk loader,
            # which builds its indexes in parallel, wins from a few megabytes on.
            small = os.path.isfile(path) and os.path.getsize(path) < SMALL_FILE_BYTES
            load = self.store.load if small else self.store.bulk_load
            try:
                load(path=os.fspath(path), format=fmt, to_graph=ox.DefaultGraph())
            except (SyntaxError, ValueError) as exc:
                raise UsageError(f"{path}: not valid {fmt}: {exc}") from exc
            except OSError as exc:
                raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from exc

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from exc
        variables = [v.value for v in result.variables]  # type: ignore[union-attr]
        # The hot loop of every query: a solution iterates its terms in variable order, a type check
        # by identity picks the kind, and IRIs (most cells) skip the literal canonicalisation.
        named_node, blank_node = self._ox.NamedNode, self._ox.BlankNode
        new, cell_type = _new_cell, Cell
        rows: list[Row] = []
        for solution in result:  # type: ignore[union-attr]
            row: Row = {}
            for var, term in zip(variables, solution):
                if term is None:
                    continue
                kind = type(term)
                if kind is named_node:
                    row[var] = new(cell_type, (term.value, "iri", "", ""))
                elif kind is blank_node:
                    row[var] = new(cell_type, (term.value, "bnode", "", ""))
                else:
                    row[var] = literal(term.value, term.datatype.value, term.language or "")
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

    def __init__(self, paths: Sequence[str | os.PathLike[str]] | None = None) -> None:
        from rdflib import Graph

        self.graph = Graph()
        for path in paths or [_default_artefact_file()]:
            self.graph.parse(os.fspath(path), format=_rdf_format_for(path))

    def _cell(self, term: object) -> Cell:
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, URIRef):
            return iri_cell(str(term))
        if isinstance(term, BNode):
            return Cell(str(term), "bnode")
        assert isinstance(term, Literal)
        return literal(str(term), str(term.datatype or ""), term.language or "")

    def select(self, sparql: str) -> tuple[list[str], list[Row]]:
        try:
            result = self.graph.query(sparql)
        except Exception as exc:  # pyparsing raises its own types
            raise UsageError(f"SPARQL error: {exc}") from exc
        names = list(result.vars or [])
        variables = [str(v) for v in names]
        rows = [{str(v): self._cell(b[v]) for v in names if b.get(v) is not None} for b in result.bindings]
        return variables, rows

    def ask(self, sparql: str) -> bool:
        return bool(self.graph.query(sparql).askAnswer)


ENGINE_NAMES = ("oxigraph", "rdflib", "remote")
#: Engines that query local files (``--engine``); ``remote`` is chosen with ``--endpoint``.
LOCAL_ENGINES = ("oxigraph", "rdflib")


def get_engine(name: str = "oxigraph", paths: Sequence[str | os.PathLike[str]] | None = None,
               **options: object) -> QueryEngine:
    """Select an engine by name: ``oxigraph`` (default), ``rdflib``, or ``remote`` (``endpoint=URL``,
    optional ``timeout=`` seconds and ``graph=`` IRI), a SPARQL 1.1 endpoint such as a triplestore."""
    if name == "remote":
        from .remote import RemoteEngine

        if paths:
            raise UsageError("a remote engine queries its endpoint; it takes no local files")
        return RemoteEngine(**options)  # type: ignore[arg-type]
    engines: dict[str, type[OxigraphEngine] | type[RdflibEngine]] = {"oxigraph": OxigraphEngine,
                                                                     "rdflib": RdflibEngine}
    if name not in engines:
        raise UsageError(f"unknown engine '{name}'; choose one of: {', '.join(ENGINE_NAMES)}")
    if options:
        raise UsageError(f"engine '{name}' takes no options ({', '.join(options)})")
    return engines[name](paths)


def open_engine(paths: Sequence[str | os.PathLike[str]] | None = None, engine: str = "oxigraph",
                endpoint: str | None = None) -> QueryEngine:
    """The engine for ``paths`` (default: the bundled ontology) or for a remote ``endpoint``.

    The one place that checks what the user asked for: files that exist, not both a file and an
    endpoint. :meth:`dgs_kg.KnowledgeGraph.load` and the CLI both open engines here.
    """
    if endpoint:
        if paths:
            raise UsageError("give either --endpoint or --ontology, not both")
        return get_engine("remote", endpoint=endpoint)
    for path in paths or []:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: ontology file not found")
    return get_engine(engine, list(paths) if paths else None)
