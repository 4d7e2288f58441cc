"""The library of named competency queries (``queries/*.rq``): catalogue, parameter binding, running.

Each query file starts with a comment header (``# title: ...``, ``# question: ...``, ``# audience:
...``, ``# param subject: ...``, ``# example: ...``, ``# returns: ...``) and takes its subject as the
variable ``?subject``. The caller names the subject by label, synonym, CURIE or IRI; it is resolved
to one IRI first (see :mod:`dgs_kg.resolve`) and then written into the query text, so the very same
text runs on pyoxigraph, rdflib or any SPARQL 1.1 endpoint (engines only take query strings).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

from .constants import PREFIX_MAP, queries_folder
from .errors import UsageError, shown
from .records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path
    from typing import Any

    from .engines import Cell, QueryEngine, Row
    from .resolve import TermIndex

#: Header keys every named query must carry (besides at least one ``param``).
REQUIRED_HEADER = ("title", "question", "audience", "example", "returns")
_HEADER_LINE = re.compile(r"^#\s*(param\s+[A-Za-z_][A-Za-z0-9_]*|[a-z]+)\s*:\s*(.*?)\s*$")


class NamedQuery(NamedTuple):
    """One query file with the metadata of its header.

    A named tuple, not a dataclass: ``dgs-kg query`` builds one on every start, and the dataclasses
    module is slow to import. ``file`` is the path as text; ``path`` gives it as a ``Path``.
    """

    name: str
    file: str
    text: str
    params: dict[str, str]
    title: str = ""
    question: str = ""
    audience: str = ""
    example: str = ""
    returns: str = ""

    @property
    def path(self) -> Path:
        """The query file."""
        from pathlib import Path

        return Path(self.file)

    @property
    def variables(self) -> set[str]:
        """Variable names used in the query body (comments and strings excluded)."""
        return set(_query_shape(self.text)[0])


def parse_header(text: str) -> dict[str, Any]:
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


def load_query(path: str | os.PathLike[str], name: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file (named or the user's own)."""
    file = os.fspath(path)
    try:
        with open(file, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise UsageError(f"{file}: query file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{file}: cannot read the query file: {exc}") from None
    meta = parse_header(text)
    params = meta.pop("params")
    known = {k: v for k, v in meta.items() if k in REQUIRED_HEADER}
    stem = os.path.splitext(os.path.basename(file))[0]
    return NamedQuery(name=name or stem, file=file, text=text, params=params, **known)


def catalog(directory: str | os.PathLike[str] | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``directory`` (default: the packaged ``queries/``), by name."""
    folder = os.fspath(directory) if directory is not None else queries_folder()
    if not os.path.isdir(folder):
        raise UsageError(f"query folder {folder} not found")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".rq"))
    return {f[:-3]: load_query(os.path.join(folder, f)) for f in files}


def get_query(name_or_path: str | os.PathLike[str], directory: str | os.PathLike[str] | None = None) -> NamedQuery:
    """A named query by name, or a query file by path; unknown names list the closest names."""
    text = os.fspath(name_or_path)
    if text.endswith(".rq") or "/" in text or "\\" in text:
        return load_query(text)
    folder = os.fspath(directory) if directory is not None else queries_folder()
    path = os.path.join(folder, f"{text}.rq")
    if text and os.path.isfile(path):  # the common case: read just that file
        return load_query(path, text)
    queries = catalog(folder)
    if text in queries:
        return queries[text]
    import difflib

    close = difflib.get_close_matches(text, list(queries), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run 'dgs-kg queries' for the list"
    raise UsageError(f"no named query '{shown(text)}'; {hint}")


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


@lru_cache(maxsize=256)
def _query_shape(text: str) -> tuple[frozenset[str], str, tuple[tuple[str, str, bool], ...]]:
    """What binding needs to know about a query text, worked out once per text.

    Returns the variables used, the query form (SELECT, ASK, ...) and a plan: the text cut at every
    variable into ``(text before, variable token, inside the SELECT projection)`` pieces; the last
    piece has an empty variable token.
    """
    used: set[str] = set()
    form = ""
    plan: list[tuple[str, str, bool]] = []
    chunk: list[str] = []
    in_projection = False
    depth = 0
    for kind, tok in _token_list(text):
        if kind == "word":
            upper = tok.upper()
            if not form and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
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
        elif kind == "var":
            used.add(tok[1:])
            plan.append(("".join(chunk), tok, in_projection and depth == 0))
            chunk = []
            continue
        chunk.append(tok)
    plan.append(("".join(chunk), "", False))
    return frozenset(used), form, tuple(plan)


def bind(text: str, values: Mapping[str, "Cell"]) -> str:
    """Write each bound variable's value into the query text.

    Textual substitution keeps line numbers (so syntax errors still point at the file) and works on
    every engine and endpoint. In a SELECT projection ``?v`` becomes ``(<value> AS ?v)`` so the column
    stays; elsewhere it becomes the value itself.
    """
    if not values:
        return text
    syntax = {name: term_syntax(value) for name, value in values.items()}
    out: list[str] = []
    for before, tok, in_projection in _query_shape(text)[2]:
        out.append(before)
        if tok:
            value = syntax.get(tok[1:])
            out.append(tok if value is None else f"({value} AS {tok})" if in_projection else value)
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


class Results(Sequence[dict[str, str]]):
    """Rows of a query: each row a dict from variable to its display text (CURIEs for IRIs).

    ``.cells`` keeps the typed values (:class:`dgs_kg.engines.Cell`, canonical literals from every
    engine), ``.variables`` the column order; ``to_dataframe()`` needs pandas. Display text is made
    when a row is read, so running a query costs no more than the engine's own rows.
    """

    def __init__(self, variables: list[str], cells: list["Row"], query: str = "", sparql: str = "") -> None:
        self.variables = variables
        self.cells = cells
        self.query = query
        self.sparql = sparql

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index: int | slice) -> Any:
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
    where = named.file if named else "query"
    used, form, _ = _query_shape(text)
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
                from .resolve import quick_resolve

                iri = quick_resolve(engine, raw)  # one small query instead of the whole label index
            if iri is None:
                if index is None:
                    from .resolve import TermIndex

                    index = TermIndex.from_engine(engine)
                iri = index.resolve(raw)
            values[key] = Cell(iri, "iri")
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
