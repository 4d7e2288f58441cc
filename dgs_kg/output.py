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
    from tabulate import tabulate

    if fmt == "md":
        body = tabulate(rows, headers=results.variables, tablefmt="github") if rows else "_no results_"
        return f"{body}\n\n_{DISCLAIMER}_\n"
    if fmt == "table":
        if not rows:
            return f"no results\n\n{DISCLAIMER}\n"
        body = tabulate(rows, headers=results.variables, tablefmt="simple",
                        maxcolwidths=[_MAX_WIDTH] * len(results.variables), disable_numparse=True)
        n = len(rows)
        return f"{body}\n\n{n} row{'s' if n != 1 else ''}. {DISCLAIMER}\n"
    from .errors import UsageError

    raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")


__all__ = ["DISCLAIMER", "FORMATS", "MACHINE_FORMATS", "render", "sparql_json"]
