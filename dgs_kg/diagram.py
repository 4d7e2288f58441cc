"""Slide-ready pictures drawn from the ontology: a term's neighbourhood and the deep gluteal space schematic.

Both are laid out by graphviz (``dot`` for neighbourhoods, ``neato`` with pinned positions for the
schematic) and written as SVG or PNG; Mermaid text is offered for slides and wikis that render it.
Nothing is drawn by hand: boundaries come from the ``has ... boundary`` relations, contents and their
order from ``located in`` axioms with the ``superior-to-inferior order`` qualifier.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DgsKgError, UsageError
from .export import DGS, DISCLAIMER, ENTRAPMENT_RELATIONS, IS_A, EduGraph, Term

LOCATED_IN = "http://purl.obolibrary.org/obo/RO_0001025"
OVERLAPS = "http://purl.obolibrary.org/obo/RO_0002131"
#: Relations that put a structure inside a space (``overlaps``: nerves and muscles passing through it).
CONTENT_RELATIONS = (LOCATED_IN, OVERLAPS)
ORDER_PROPERTY = DGS + "0000953"
HAS_BOUNDARY = DGS + "0000910"
#: The boundary relations and the side of the schematic each one draws.
SIDES = {DGS + "0000915": "superior", DGS + "0000916": "inferior", DGS + "0000913": "medial",
         DGS + "0000914": "lateral", DGS + "0000911": "posterior", DGS + "0000912": "anterior",
         HAS_BOUNDARY: "unspecified"}
FORMATS = ("svg", "png", "mmd")
HIGHLIGHT_FILL, HIGHLIGHT_LINE = "#F8C9C9", "#B2182B"


def _wrap(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _light(colour: str) -> str:
    """A pale tint of a category colour, so black text on it stays readable."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(int(c + (255 - c) * 0.65) for c in (r, g, b)))


def _node_id(term: Term) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", term.curie)


def output_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "mermaid":
        fmt = "mmd"
    if fmt not in FORMATS:
        raise UsageError(f"{path}: unknown diagram type '.{fmt}'; use .svg, .png or .mmd (Mermaid)")
    return fmt


def _graphviz():
    try:
        import graphviz
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise DgsKgError("the graphviz Python package is missing; pip install 'graphviz>=0.20'") from exc
    return graphviz


def _render(dot: object, fmt: str) -> bytes:
    graphviz = _graphviz()
    try:
        return dot.pipe(format=fmt)  # type: ignore[attr-defined]
    except graphviz.ExecutableNotFound as exc:
        raise DgsKgError("graphviz's 'dot' program is not installed "
                         "(Debian/Ubuntu: apt-get install graphviz)") from exc


# -- neighbourhood diagrams -----------------------------------------------------------------------

def neighbourhood_dot(graph: EduGraph, term: Term, depth: int = 1, include_is_a: bool = True) -> object:
    """A graphviz Digraph of the term and everything within ``depth`` relationships of it."""
    graphviz = _graphviz()
    nodes, edges = graph.neighbourhood(term.iri, depth, include_is_a)
    dot = graphviz.Digraph("neighbourhood", engine="dot")
    dot.attr(rankdir="LR", fontname="DejaVu Sans", fontsize="12", labelloc="t", nodesep="0.25", ranksep="0.9",
             label=f"{term.label} ({term.curie}): relationships in dgs-kg {graph.version}\n{DISCLAIMER}",
             bgcolor="white", pad="0.3")
    dot.attr("node", shape="box", style="rounded,filled", fontname="DejaVu Sans", fontsize="11", penwidth="1.2")
    dot.attr("edge", fontname="DejaVu Sans", fontsize="9", color="#555555", fontcolor="#333333")
    for iri in sorted(nodes, key=lambda i: graph.terms[i].label):
        t = graph.terms[iri]
        colour = graph.category_colour(t.category)
        attrs = {"fillcolor": _light(colour), "color": colour, "tooltip": f"{t.curie} ({t.category})"}
        if iri == term.iri:
            attrs.update(penwidth="3", fontsize="13", color="#000000")
        dot.node(_node_id(t), _wrap(t.label), **attrs)
    for e in edges:
        style = {"style": "dashed", "arrowhead": "empty"} if e.relation == IS_A else {}
        dot.edge(_node_id(graph.terms[e.subject]), _node_id(graph.terms[e.object]), label=_wrap(e.relation_label, 18),
                 **style)
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="category", fontsize="10", style="rounded", color="#AAAAAA")
        for cat in sorted({graph.terms[i].category for i in nodes}):
            colour = graph.category_colour(cat)
            legend.node("legend_" + re.sub(r"\W", "_", cat), cat, fillcolor=_light(colour), color=colour,
                        fontsize="9")
    return dot


def neighbourhood_mermaid(graph: EduGraph, term: Term, depth: int = 1, include_is_a: bool = True) -> str:
    """The neighbourhood as a Mermaid flowchart (text)."""
    nodes, edges = graph.neighbourhood(term.iri, depth, include_is_a)
    ids = {iri: f"n{i}" for i, iri in enumerate(sorted(nodes, key=lambda i: graph.terms[i].label))}
    lines = ["---", f"title: \"{_mm(term.label)} ({term.curie}), {DISCLAIMER}\"", "---",
             f"%% generated by dgs-kg {graph.version} from the ontology; {DISCLAIMER}", "flowchart LR"]
    for iri, nid in ids.items():
        lines.append(f"  {nid}[\"{_mm(graph.terms[iri].label)}\"]")
    for e in edges:
        arrow = "-.->" if e.relation == IS_A else "-->"
        lines.append(f"  {ids[e.subject]} {arrow}|\"{_mm(e.relation_label)}\"| {ids[e.object]}")
    cats = sorted({graph.terms[i].category for i in nodes})
    for n, cat in enumerate(cats):
        colour = graph.category_colour(cat)
        lines.append(f"  classDef cat{n} fill:{_light(colour)},stroke:{colour},color:#000")
        members = [ids[i] for i in ids if graph.terms[i].category == cat]
        lines.append(f"  class {','.join(members)} cat{n}")
    lines.append(f"  style {ids[term.iri]} stroke-width:3px,stroke:#000")
    return "\n".join(lines) + "\n"


def _mm(text: str) -> str:
    return text.replace('"', "#quot;")


# -- the deep gluteal space schematic -------------------------------------------------------------

@dataclass
class Schematic:
    """What the schematic shows, read from the ontology's relations."""

    space: Term
    boundaries: dict[str, list[Term]] = field(default_factory=dict)  # side -> structures
    ordered: list[tuple[int, Term]] = field(default_factory=list)  # (rank, structure), superior first
    unordered: list[Term] = field(default_factory=list)  # other contents without a rank
    highlight: set[str] = field(default_factory=set)  # IRIs
    highlight_term: Term | None = None
    highlight_elsewhere: list[Term] = field(default_factory=list)  # entrapment sites not drawn


def schematic_data(graph: EduGraph, space: Term, highlight: Term | None = None) -> Schematic:
    """Boundaries (``has ... boundary``) and contents (``located in`` or ``overlaps``, ordered by the qualifier)."""
    order_label = graph.property_labels.get(ORDER_PROPERTY, "superior-to-inferior order")
    s = Schematic(space)
    for e in graph.out_edges(space.iri):
        if e.relation in SIDES:
            s.boundaries.setdefault(SIDES[e.relation], []).append(graph.terms[e.object])
    for e in graph.in_edges(space.iri):
        if e.relation not in CONTENT_RELATIONS:
            continue
        rank = e.qualifiers.get(order_label)
        if rank is not None:
            try:
                s.ordered.append((int(float(rank)), graph.terms[e.subject]))
            except ValueError:
                raise DgsKgError(f"{graph.terms[e.subject].label} located in {space.label}: "
                                 f"{order_label} '{rank}' is not a whole number (fix the relations table)") from None
        else:
            s.unordered.append(graph.terms[e.subject])
    if not s.boundaries and not s.ordered and not s.unordered:
        spaces = sorted({graph.terms[e.subject].label for e in graph.edges if e.relation in SIDES})
        hint = f"try: {', '.join(spaces)}" if spaces else "the ontology records no boundaries yet"
        raise UsageError(f"'{space.label}' has no boundary or 'located in' relations to draw a schematic from ({hint})")
    s.ordered.sort(key=lambda rt: (rt[0], rt[1].label))
    s.unordered.sort(key=lambda t: t.label)
    for side in s.boundaries:
        s.boundaries[side].sort(key=lambda t: t.label)
    if highlight is not None:
        sites = [e.object for e in graph.out_edges(highlight.iri) if e.relation in ENTRAPMENT_RELATIONS]
        if not sites:
            variants = sorted({graph.terms[e.subject].label for e in graph.edges if e.relation in ENTRAPMENT_RELATIONS})
            raise UsageError(f"'{highlight.label}' has no entrapment site, entrapping or entrapped structure in the "
                             f"ontology; try: {', '.join(variants) or 'none recorded yet'}")
        s.highlight_term = highlight
        s.highlight = set(sites)
        drawn = {t.iri for ts in s.boundaries.values() for t in ts} | {t.iri for _, t in s.ordered} | \
            {t.iri for t in s.unordered}
        s.highlight_elsewhere = sorted((graph.terms[i] for i in set(sites) - drawn), key=lambda t: t.label)
    return s


def schematic_dot(graph: EduGraph, s: Schematic) -> object:
    """The schematic as a graphviz graph with pinned positions (inches; y grows upwards)."""
    graphviz = _graphviz()
    dot = graphviz.Graph("schematic", engine="neato")
    title = (f"{s.space.label}: boundaries and contents, superior at the top (drawn from dgs-kg {graph.version} "
             f"relations)")
    if s.highlight_term is not None:
        title += f"\nhighlighted: where {s.highlight_term.label} entraps the nerve"
    dot.attr(label=f"{title}\n{DISCLAIMER}", labelloc="t", fontname="DejaVu Sans", fontsize="13",
             bgcolor="white", pad="0.3", splines="false", overlap="true")
    dot.attr("node", shape="box", style="rounded,filled", fontname="DejaVu Sans", fontsize="11", fixedsize="true",
             fillcolor="#EEF3F8", color="#4A6A8A")
    anat = graph.category_colour(s.space.category)

    row_h, gap = 0.55, 0.2
    ranks = sorted({rank for rank, _ in s.ordered})
    inner = max(len(ranks), len(s.unordered), 1)
    space_h = inner * (row_h + gap) + 0.9
    space_w, cx = 6.6, 5.5
    top = space_h / 2
    used_ids: set[str] = set()

    def node(term: Term, x: float, y: float, w: float, h: float, cls: str, label: str | None = None,
             **extra: str) -> None:
        nid = f"{cls}_{_node_id(term)}"
        while nid in used_ids:
            nid += "_"
        used_ids.add(nid)
        attrs = {"pos": f"{x:.2f},{y:.2f}!", "width": f"{w:.2f}", "height": f"{h:.2f}", "class": cls,
                 "tooltip": f"{term.curie}"}
        attrs.update(extra)
        if term.iri in s.highlight:
            attrs.update(fillcolor=HIGHLIGHT_FILL, color=HIGHLIGHT_LINE, penwidth="3", fontcolor="#7A0010",
                         **{"class": cls + " highlighted"})
        dot.node(nid, label or _wrap(term.label, max(10, int(w * 8))), **attrs)

    # The space itself: a dashed frame with its name at the top.
    node(s.space, cx, 0, space_w, space_h, "space", label=s.space.label, style="rounded,dashed", fillcolor="white",
         color=anat, labelloc="t", fontsize="13", penwidth="2")
    # Contents, superior first, in the recorded order.
    col_x = cx - 1.1 if s.unordered else cx
    for i, rank in enumerate(ranks):  # one row per rank; structures sharing a rank share the row
        y = top - 0.75 - i * (row_h + gap) - row_h / 2
        row = [t for r, t in s.ordered if r == rank]
        w = (3.6 - 0.1 * (len(row) - 1)) / len(row)
        for k, term in enumerate(row):
            x = col_x - 1.8 + k * (w + 0.1) + w / 2
            node(term, x, y, w, row_h, "content", label=_wrap(f"{rank}. {term.label}", max(10, int(w * 8))))
    if s.unordered:
        dot.node("unordered_head", "also in or passing\nthrough the space:", shape="plaintext", style="", pos=f"{cx + 2.0:.2f},"
                 f"{top - 0.45:.2f}!", fontsize="10", width="1.9", height="0.3")
        for i, term in enumerate(s.unordered):
            y = top - 0.75 - i * (row_h + gap) - row_h / 2
            node(term, cx + 2.0, y, 2.2, row_h, "other-content", fillcolor="#FFF6D5", color="#A08020")

    def band(side: str, x0: float, y: float, width: float, h: float, horizontal: bool) -> None:
        terms = s.boundaries.get(side, [])
        if not terms:
            return
        n = len(terms)
        for i, term in enumerate(terms):
            if horizontal:
                w = (width - 0.1 * (n - 1)) / n
                x, yy, ww, hh = x0 + i * (w + 0.1) + w / 2, y, w, h
            else:
                hh = (width - 0.1 * (n - 1)) / n
                x, yy, ww = x0, y - i * (hh + 0.1) - hh / 2, h
            node(term, x, yy, ww, hh, f"boundary {side}", label=f"{side}:\n{_wrap(term.label, max(10, int(ww * 8)))}",
                 fillcolor="#E8E8E8", color="#666666")

    band("superior", cx - space_w / 2, top + 0.55, space_w, 0.7, True)
    band("inferior", cx - space_w / 2, -top - 0.55, space_w, 0.7, True)
    band("medial", cx - space_w / 2 - 1.05, top, space_h, 1.8, False)
    band("lateral", cx + space_w / 2 + 1.05, top, space_h, 1.8, False)
    depth_y = -top - 1.55
    band("posterior", cx - space_w / 2, depth_y, space_w, 0.7, True)
    depth_y -= 0.85 if s.boundaries.get("posterior") else 0
    band("anterior", cx - space_w / 2, depth_y, space_w, 0.7, True)
    depth_y -= 0.85 if s.boundaries.get("anterior") else 0
    band("unspecified", cx - space_w / 2, depth_y, space_w, 0.7, True)
    depth_y -= 0.85 if s.boundaries.get("unspecified") else 0
    notes = ["posterior = wall nearest the skin of the buttock; anterior = deepest wall"]
    if s.highlight_elsewhere:
        notes.append(f"{s.highlight_term.label} also involves: "  # type: ignore[union-attr]
                     + ", ".join(t.label for t in s.highlight_elsewhere))
    notes.append(DISCLAIMER)
    dot.node("footer", "\n".join(notes), shape="plaintext", style="", fixedsize="false", fontsize="10",
             pos=f"{cx:.2f},{depth_y - 0.2:.2f}!")
    return dot


def schematic_mermaid(graph: EduGraph, s: Schematic) -> str:
    """The schematic as a top-to-bottom Mermaid flowchart."""
    lines = ["---", f"title: \"{_mm(s.space.label)}: boundaries and contents, {DISCLAIMER}\"", "---",
             f"%% generated by dgs-kg {graph.version} from the ontology; {DISCLAIMER}", "flowchart TB"]
    ids: dict[str, str] = {}

    def nid(term: Term, prefix: str) -> str:
        key = f"{prefix}{len(ids)}"
        ids[key] = term.iri
        return key

    highlighted: list[str] = []
    sides: dict[str, str] = {}
    for side in ("superior", "medial", "lateral", "posterior", "anterior", "unspecified", "inferior"):
        for term in s.boundaries.get(side, []):
            k = nid(term, "b")
            sides[k] = side
            lines.append(f"  {k}[\"{side} boundary: {_mm(term.label)}\"]")
            if term.iri in s.highlight:
                highlighted.append(k)
    lines.append(f"  subgraph space[\"{_mm(s.space.label)}\"]")
    previous = ""
    for rank, term in s.ordered:
        k = nid(term, "c")
        lines.append(f"    {k}[\"{rank}. {_mm(term.label)}\"]")
        if previous:
            lines.append(f"    {previous} --- {k}")
        previous = k
        if term.iri in s.highlight:
            highlighted.append(k)
    for term in s.unordered:
        k = nid(term, "o")
        lines.append(f"    {k}([\"{_mm(term.label)}\"])")
        if term.iri in s.highlight:
            highlighted.append(k)
    lines.append("  end")
    for key, side in sides.items():  # tie each boundary to the space, labelled with its side
        lines.append(f"  {key} ---|{side}| space" if side != "inferior" else f"  space ---|{side}| {key}")
    if highlighted:
        lines.append(f"  classDef hl fill:{HIGHLIGHT_FILL},stroke:{HIGHLIGHT_LINE},stroke-width:3px")
        lines.append(f"  class {','.join(highlighted)} hl")
    return "\n".join(lines) + "\n"


# -- entry point ----------------------------------------------------------------------------------

def write_diagram(graph: EduGraph, term_name: str, output: Path, schematic: bool = False,
                  highlight: str | None = None, depth: int = 1, include_is_a: bool = True) -> Path:
    """Draw a neighbourhood (or, with ``schematic``, the space schematic) into ``output``."""
    fmt = output_format(output)
    term = graph.resolve(term_name)
    if highlight and not schematic:
        raise UsageError("--highlight works with --schematic only")
    if depth < 1 or depth > 3:
        raise UsageError(f"--depth {depth}: use 1, 2 or 3")
    if schematic:
        data = schematic_data(graph, term, graph.resolve(highlight) if highlight else None)
        payload: bytes = (schematic_mermaid(graph, data).encode() if fmt == "mmd"
                          else _render(schematic_dot(graph, data), fmt))
    else:
        payload = (neighbourhood_mermaid(graph, term, depth, include_is_a).encode() if fmt == "mmd"
                   else _render(neighbourhood_dot(graph, term, depth, include_is_a), fmt))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(payload)
    return output


def svg_text(graph: EduGraph, term: Term, depth: int = 1) -> str:
    """A neighbourhood as inline SVG text (for the reference site and notebooks)."""
    svg = _render(neighbourhood_dot(graph, term, depth), "svg").decode("utf-8")
    return svg[svg.index("<svg"):]


__all__ = ["Schematic", "neighbourhood_dot", "neighbourhood_mermaid", "schematic_data", "schematic_dot",
           "schematic_mermaid", "svg_text", "write_diagram"]
