"""Render query results as a table, CSV, TSV, Markdown or W3C SPARQL 1.1 Query Results JSON.

Human formats (table, md) show CURIEs and carry the disclaimer in the output itself; machine
formats (csv, tsv, json) stay clean, and the CLI writes the disclaimer to stderr for them.
"""
from __future__ import annotations

from .constants import DISCLAIMER

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from .queries import Results

FORMATS = ("table", "csv", "tsv", "json", "md")
#: Formats read by programs: the disclaimer goes to stderr so the data stays parseable.
MACHINE_FORMATS = frozenset({"csv", "tsv", "json"})
_MAX_WIDTH = 48


def sparql_json(results: "Results") -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON document (https://www.w3.org/TR/sparql11-results-json/)."""
    bindings = []
    for row in results.cells:
        out: dict[str, dict[str, str]] = {}
        for var in results.variables:
            cell = row.get(var)
            if cell is None:
                continue
            if cell.kind == "iri":
                out[var] = {"type": "uri", "value": cell.value}
            elif cell.kind == "bnode":
                out[var] = {"type": "bnode", "value": cell.value}
            else:
                term: dict[str, str] = {"type": "literal", "value": cell.value}
                if cell.language:
                    term["xml:lang"] = cell.language
                elif cell.datatype and cell.datatype != "http://www.w3.org/2001/XMLSchema#string":
                    term["datatype"] = cell.datatype
                out[var] = term
        bindings.append(out)
    return {"head": {"vars": list(results.variables)}, "results": {"bindings": bindings}}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _wrapped(text: str, width: int | None) -> list[str]:
    if width is None or len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width) or [""]


def text_table(headers: list[str] | None, rows: list[list[str]],
               max_width: int | list[int | None] | None = _MAX_WIDTH) -> str:
    """Rows in aligned columns two spaces apart, under their headers and a rule of dashes (no
    header lines when ``headers`` is None); a cell longer than ``max_width`` characters (one limit
    for every column, or one per column) wraps onto more lines.

    Written here rather than taken from tabulate: ``import tabulate`` (0.10, with wcwidth) takes
    ~85 ms, more than a whole cold ``dgs-kg query``.
    """
    columns = len(headers) if headers is not None else max((len(r) for r in rows), default=0)
    limits = max_width if isinstance(max_width, list) else [max_width] * columns
    cells = [[_wrapped(value, limit) for value, limit in zip(row, limits)] for row in rows]
    widths = [len(h) for h in headers] if headers is not None else [0] * columns
    for row in cells:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in lines))

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)] if headers is not None else []
    for row in cells:
        for k in range(max(len(lines) for lines in row) if row else 0):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return "\n".join(out)


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown pipe table; a ``|`` inside a value is escaped."""
    def escaped(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|")

    head = [escaped(h) for h in headers]
    body = [[escaped(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(head)]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths)) + " |"

    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in body])


def render(results: "Results", fmt: str = "table") -> str:
    """The results in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    if fmt == "json":
        import json

        return json.dumps(sparql_json(results), indent=2, ensure_ascii=False) + "\n"
    rows = [[_flat(r[v]) for v in results.variables] for r in results]
    if fmt in ("csv", "tsv"):
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerow(results.variables)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "md":
        body = markdown_table(results.variables, rows) if rows else "_no results_"
        return f"{body}\n\n_{DISCLAIMER}_\n"
    if fmt == "table":
        if not rows:
            return f"no results\n\n{DISCLAIMER}\n"
        n = len(rows)
        return f"{text_table(results.variables, rows)}\n\n{n} row{'s' if n != 1 else ''}. {DISCLAIMER}\n"
    from .errors import UsageError

    raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")


__all__ = ["DISCLAIMER", "FORMATS", "MACHINE_FORMATS", "markdown_table", "render", "sparql_json", "text_table"]
