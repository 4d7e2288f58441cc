"""The library of named competency queries (``queries/*.rq``): catalogue, parameter binding, running.

Each query file starts with a comment header (``# title: ...``, ``# question: ...``, ``# audience:
...``, ``# param subject: ...``, ``# example: ...``, ``# returns: ...``) and takes its subject as the
variable ``?subject``. The caller names the subject by label, synonym, CURIE or IRI; it is resolved
to one IRI first (see :mod:`dgs_kg.resolve`) and then written into the query text, so the very same
text runs on pyoxigraph, rdflib or any SPARQL 1.1 endpoint (engines only take query strings).
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .constants import PREFIX_MAP, queries_dir
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .engines import Cell, QueryEngine, Row
    from .resolve import TermIndex

#: Header keys every named query must carry (besides at least one ``param``).
REQUIRED_HEADER = ("title", "question", "audience", "example", "returns")
_HEADER_LINE = re.compile(r"^#\s*(param\s+[A-Za-z_][A-Za-z0-9_]*|[a-z]+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """One query file with the metadata of its header."""

    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    audience: str = ""
    example: str = ""
    returns: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def variables(self) -> set[str]:
        """Variable names used in the query body (comments and strings excluded)."""
        return {tok[1:] for kind, tok in _tokens(self.text) if kind == "var"}


def parse_header(text: str, path: Path) -> dict[str, Any]:
    """Read the leading ``# key: value`` comment lines of a query file."""
    meta: dict[str, Any] = {"params": {}}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_LINE.match(stripped)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if key.startswith("param"):
            meta["params"][key.split()[1]] = value
        else:
            meta[key] = value
    return meta


def load_query(path: Path, name: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file (named or the user's own)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: query file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the query file: {exc}") from None
    meta = parse_header(text, path)
    params = meta.pop("params")
    known = {k: v for k, v in meta.items() if k in REQUIRED_HEADER}
    return NamedQuery(name=name or path.stem, path=path, text=text, params=params, **known)


def catalog(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``directory`` (default: the packaged ``queries/``), by name."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        raise UsageError(f"query folder {directory} not found")
    return {p.stem: load_query(p) for p in sorted(directory.glob("*.rq"))}


def get_query(name_or_path: str | Path, directory: Path | None = None) -> NamedQuery:
    """A named query by name, or a query file by path; unknown names list the closest names."""
    text = str(name_or_path)
    if text.endswith(".rq") or "/" in text or "\\" in text:
        return load_query(Path(text))
    queries = catalog(directory)
    if text in queries:
        return queries[text]
    close = difflib.get_close_matches(text, list(queries), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run 'dgs-kg queries' for the list"
    raise UsageError(f"no named query '{text}'; {hint}")


# --- binding ------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<comment>\#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<var>[?$][A-Za-z0-9_]+)'
    r'|(?P<word>[A-Za-z_][A-Za-z0-9_]*)'
    r'|(?P<other>[\s\S])'
)


@lru_cache(maxsize=256)
def _token_list(text: str) -> tuple[tuple[str, str], ...]:
    """The tokens of a query text (cached: named queries are bound again and again)."""
    return tuple((m.lastgroup or "other", m.group(0)) for m in _TOKEN.finditer(text))


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    return iter(_token_list(text))


def term_syntax(value: "Cell") -> str:
    """A bound value written as SPARQL syntax (``<iri>`` or a quoted literal)."""
    if value.kind == "iri":
        return f"<{value.value}>"
    escaped = value.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if value.language:
        return f'"{escaped}"@{value.language}'
    if value.datatype:
        return f'"{escaped}"^^<{value.datatype}>'
    return f'"{escaped}"'


def bind(text: str, values: Mapping[str, "Cell"]) -> str:
    """Write each bound variable's value into the query text.

    Textual substitution keeps line numbers (so syntax errors still point at the file) and works on
    every engine and endpoint. In a SELECT projection ``?v`` becomes ``(<value> AS ?v)`` so the column
    stays; elsewhere it becomes the value itself.
    """
    if not values:
        return text
    out: list[str] = []
    in_projection = False
    depth = 0
    for kind, tok in _tokens(text):
        if kind == "word":
            upper = tok.upper()
            if upper == "SELECT":
                in_projection, depth = True, 0
            elif upper in ("WHERE", "FROM") and in_projection:
                in_projection = False
        elif kind == "other" and in_projection:
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
            elif tok == "{":
                in_projection = False
        elif kind == "var" and tok[1:] in values:
            syntax = term_syntax(values[tok[1:]])
            tok = f"({syntax} AS {tok})" if in_projection and depth == 0 else syntax
        out.append(tok)
    return "".join(out)


# --- results ------------------------------------------------------------------------------------

_PREFIXES_BY_LENGTH = sorted(PREFIX_MAP.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str) -> str:
    """An IRI as a CURIE when dgs-kg knows its prefix, else the IRI itself."""
    for prefix, ns in _PREFIXES_BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def display(cell: "Cell | None") -> str:
    """What a person sees for one value: CURIEs for IRIs, the lexical form for literals."""
    if cell is None:
        return ""
    return compact(cell.value) if cell.kind == "iri" else cell.value


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {_XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                     "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                     "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


def canonical(cell: "Cell") -> "Cell":
    """The canonical lexical form of a numeric literal.

    Engines disagree on lexical forms of the same value (pyoxigraph turns ``79.0``^^xsd:decimal into
    ``79``, rdflib keeps ``79.0``; pyoxigraph types simple literals as xsd:string, rdflib does not);
    results are compared and shown in one canonical form.
    """
    if cell.kind != "literal" or not cell.datatype.startswith(_XSD):
        return cell
    from dataclasses import replace

    if cell.datatype == _XSD + "string":  # a simple literal: rdflib leaves the datatype empty
        return replace(cell, datatype="")
    from decimal import Decimal, InvalidOperation

    try:
        if cell.datatype == _XSD + "decimal":
            value = Decimal(cell.value.strip())
            if value == value.to_integral_value():
                text = f"{int(value)}.0"
            else:
                text = format(value.normalize(), "f")
            return replace(cell, value=text)
        if cell.datatype in _INTEGER_TYPES:
            return replace(cell, value=str(int(cell.value.strip())))
    except (InvalidOperation, ValueError):
        return cell
    return cell


class Results(Sequence[dict[str, str]]):
    """Rows of a query: each row a dict from variable to its display text (CURIEs for IRIs).

    ``.cells`` keeps the typed values (:class:`dgs_kg.engines.Cell`), ``.variables`` the column
    order; ``to_dataframe()`` needs pandas.
    """

    def __init__(self, variables: list[str], cells: list["Row"], query: str = "", sparql: str = "") -> None:
        self.variables = variables
        self.cells = [{k: canonical(v) for k, v in row.items()} for row in cells]
        self.query = query
        self.sparql = sparql

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index: int | slice) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.cells)))]
        row = self.cells[index]
        return {v: display(row.get(v)) for v in self.variables}

    def __iter__(self) -> Iterator[dict[str, str]]:
        for i in range(len(self.cells)):
            yield self[i]

    def __repr__(self) -> str:
        return f"<Results {self.query or 'query'}: {len(self)} rows x {len(self.variables)} columns>"

    def column(self, name: str) -> list[str]:
        """One column's display values, in row order."""
        return [display(r.get(name)) for r in self.cells]

    def as_set(self, columns: Sequence[str] | None = None) -> set[tuple[str, ...]]:
        """The rows as a set of tuples (for comparing engines and expectations)."""
        cols = list(columns or self.variables)
        return {tuple(display(r.get(c)) for c in cols) for r in self.cells}

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the display values (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise UsageError("to_dataframe() needs pandas; pip install pandas") from None
        return pd.DataFrame(list(self), columns=self.variables)

    def to_json(self) -> dict[str, Any]:
        """The W3C SPARQL 1.1 Query Results JSON document."""
        from .output import sparql_json

        return sparql_json(self)


# --- running ------------------------------------------------------------------------------------

def _one_line(message: str) -> str:
    return " ".join(message.split())


def run(engine: "QueryEngine", query: NamedQuery | str, params: Mapping[str, str] | None = None,
        index: "TermIndex | None" = None) -> Results:
    """Resolve the parameters, bind them into the query and run it on ``engine``.

    ``query`` is a :class:`NamedQuery` or raw SPARQL text. Parameter values are terms (label,
    synonym, CURIE or IRI, resolved through ``index``); a value in double quotes is a literal.
    """
    from .engines import Cell

    named = query if isinstance(query, NamedQuery) else None
    text = named.text if named else str(query)
    where = str(named.path) if named else "query"
    used = {tok[1:] for kind, tok in _tokens(text) if kind == "var"}
    params = dict(params or {})
    unknown = sorted(set(params) - used)
    if unknown:
        raise UsageError(f"{where}: no variable ?{unknown[0]} in the query; "
                         f"its parameters are: {', '.join(sorted(named.params)) if named and named.params else 'none'}")
    declared = set(named.params) if named else set()
    missing = sorted(p for p in declared if p in used and p not in params)
    if missing:
        example = f" (example: {named.example})" if named and named.example else ""
        raise UsageError(f"{where}: needs --param {missing[0]}=...{example}")
    values: dict[str, Cell] = {}
    for key, raw in params.items():
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            values[key] = Cell(raw[1:-1], "literal")
        else:
            iri = None
            if index is None:
                from .resolve import known_iri

                iri = known_iri(engine, raw)  # a CURIE or IRI needs no index: one cheap ASK
            if iri is None:
                if index is None:
                    from .resolve import TermIndex

                    index = TermIndex.from_engine(engine)
                iri = index.resolve(raw)
            values[key] = Cell(iri, "iri")
    form = next((tok.upper() for kind, tok in _tokens(text)
                 if kind == "word" and tok.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "")
    if form != "SELECT":
        raise UsageError(f"{where}: only SELECT queries give rows; this is {form or 'not'} a SELECT query")
    sparql = bind(text, values)
    try:
        variables, rows = engine.select(sparql)
    except UsageError as exc:
        message = _one_line(str(exc))
        at = re.search(r"(?:error at |line:?\s*)(\d+)[:, ]+(?:col:?\s*)?(\d+)", message)
        if at:
            message = re.sub(r"error at \d+:\d+:\s*", "", message)
            raise UsageError(f"{where}:{at.group(1)}:{at.group(2)}: {message}") from None
        raise UsageError(f"{where}: {message}") from None
    return Results(variables, rows, query=named.name if named else "", sparql=sparql)


__all__ = ["NamedQuery", "Results", "bind", "catalog", "compact", "display", "get_query", "load_query",
           "parse_header", "run", "term_syntax"]
