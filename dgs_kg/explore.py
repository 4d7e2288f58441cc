"""One self-contained HTML explorer of the ontology that opens from ``file://`` with no network.

The vendored cytoscape.js (dgs_kg/vendor/, MIT licence), the page script, styles and the data are all
inlined, and a Content-Security-Policy forbids every fetch, so a classroom laptop without internet
shows exactly what the file contains.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .export import DISCLAIMER, IS_A, EduGraph

PACKAGE = Path(__file__).resolve().parent
VENDOR_JS = PACKAGE / "vendor" / "cytoscape.min.js"
TEMPLATE = PACKAGE / "templates" / "explorer.html"


def explorer_data(graph: EduGraph) -> dict[str, Any]:
    """The JSON the page embeds: nodes, sourced edges, references, categories with colours."""
    nodes = [{"id": t.curie, "label": t.label, "category": t.category, "def": t.definition,
              "defsrc": t.definition_sources, "syn": [list(s) for s in t.synonyms], "xrefs": t.xrefs,
              "comment": t.comment, "values": [[p, v, s] for p, v, s in t.values]}
             for t in sorted(graph.terms.values(), key=lambda t: t.curie)]
    edges = [{"s": graph.terms[e.subject].curie, "o": graph.terms[e.object].curie, "rel": e.relation_label,
              "src": e.sources, "q": e.qualifiers} for e in graph.edges]
    relations = sorted({e.relation_label for e in graph.edges} - {IS_A}) + [IS_A]
    refs = {key: {"title": r.title, "authors": r.authors, "year": r.year, "journal": r.journal}
            for key, r in sorted(graph.references.items())}
    return {"version": graph.version, "disclaimer": DISCLAIMER, "nodes": nodes, "edges": edges, "refs": refs,
            "categories": [{"name": c, "colour": graph.category_colour(c)} for c in graph.categories],
            "relations": relations}


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it is inlined into."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def explorer_html(graph: EduGraph) -> str:
    """The complete page as one string."""
    js = VENDOR_JS.read_text(encoding="utf-8")
    if "</script" in js.lower():  # pragma: no cover - guards a future vendored update
        js = js.replace("</script", "<\\/script")
    data = _script_safe(json.dumps(explorer_data(graph), ensure_ascii=False, sort_keys=True))
    html = TEMPLATE.read_text(encoding="utf-8")
    html = html.replace("{{VERSION}}", graph.version)
    # Insert the data before the library so a '{{' inside either cannot be taken as a placeholder.
    head, tail = html.split("{{DATA}}")
    tail_head, tail_tail = tail.split("{{CYTOSCAPE}}")
    return head + data + tail_head + js + tail_tail


def write_explorer(graph: EduGraph, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(explorer_html(graph), encoding="utf-8")
    return output


__all__ = ["explorer_data", "explorer_html", "write_explorer"]
