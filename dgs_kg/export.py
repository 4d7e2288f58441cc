"""The educator views' data (terms, sourced relationships) and exports to GraphML, GEXF, Cytoscape JSON.

The explorer, the diagrams and the reference site all draw from one :class:`EduGraph`, read from the
built ontology through the engine layer (:class:`dgs_kg.engines.OxigraphEngine`) with SPARQL, so
every picture shows exactly what the ontology says and nothing drawn by hand.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import UsageError
from .resolve import IAO_DEFINITION, OIO, SCOPES

DISCLAIMER = "research and education only, not clinical advice"
IS_A = "is a"

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DGS = "https://w3id.org/dgs-kg/DGS_"
CATEGORY_SUBSET = "https://w3id.org/dgs-kg/subset/category"
PUBLICATION = DGS + "0000020"
ANATOMY = "anatomical entity"
PREFIXES = f"""PREFIX owl: <{OWL}>
PREFIX rdfs: <{RDFS}>
PREFIX oboInOwl: <{OIO}>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
#: Relations that name where a condition entraps a nerve (used to highlight the schematic).
ENTRAPMENT_RELATIONS = (DGS + "0000924", DGS + "0000901", DGS + "0000902")
#: Categories in a fixed order with colours that stay distinguishable for colour-blind viewers.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#6A3D9A",
           "#B8A200", "#2F4F4F"]


@dataclass
class Term:
    """One class as the educator views show it."""

    iri: str
    curie: str
    label: str
    definition: str = ""
    definition_sources: list[str] = field(default_factory=list)
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (scope, text)
    xrefs: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # IRIs
    category: str = ""
    comment: str = ""
    values: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (property label, value, sources)

    @property
    def project(self) -> bool:
        return self.iri.startswith(DGS)


@dataclass
class Edge:
    """One relationship axiom ``subject SubClassOf relation some object`` with its provenance."""

    subject: str
    relation: str  # IRI, or "is a" for plain subclass links
    relation_label: str
    object: str
    sources: list[str] = field(default_factory=list)
    qualifiers: dict[str, str] = field(default_factory=dict)


@dataclass
class Reference:
    curie: str
    title: str = ""
    authors: str = ""
    year: str = ""
    journal: str = ""


@dataclass
class EduGraph:
    """Terms, relationships and the bibliography of one built ontology."""

    terms: dict[str, Term]
    edges: list[Edge]
    references: dict[str, Reference]
    categories: list[str]
    version: str = ""
    property_labels: dict[str, str] = field(default_factory=dict)  # IRI -> label of every property
    kg: Any = None  # the KnowledgeGraph it was read from (term resolution is shared with the rest of dgs-kg)

    # -- look-ups -------------------------------------------------------------------------------
    def resolve(self, name: str) -> Term:
        """A term by CURIE, IRI, label or synonym (case-insensitive); a clear error otherwise."""
        if self.kg is not None:
            iri = self.kg.resolve(name)
            if iri not in self.terms:
                raise UsageError(f"'{name}' is not a class with a label; pick a term such as deep gluteal syndrome")
            return self.terms[iri]
        key = name.strip()
        if key in self.terms:
            return self.terms[key]
        low = key.lower()
        for term in self.terms.values():
            if term.curie.lower() == low or term.label.lower() == low:
                return term
        for term in self.terms.values():
            if any(text.lower() == low for _, text in term.synonyms):
                return term
        import difflib

        close = difflib.get_close_matches(low, [t.label.lower() for t in self.terms.values()], n=3)
        hint = f"did you mean: {', '.join(close)}?" if close else "use a label or a CURIE such as DGS:0000001"
        raise UsageError(f"term '{name}' not found in the ontology ({hint})")

    def out_edges(self, iri: str) -> list[Edge]:
        return [e for e in self.edges if e.subject == iri]

    def in_edges(self, iri: str) -> list[Edge]:
        return [e for e in self.edges if e.object == iri]

    def neighbourhood(self, iri: str, depth: int = 1, include_is_a: bool = True) -> tuple[set[str], list[Edge]]:
        """Terms within ``depth`` steps (either direction) and the edges among them."""
        adj: dict[str, set[str]] = defaultdict(set)
        for e in self.edges:
            if e.relation == IS_A and not include_is_a:
                continue
            adj[e.subject].add(e.object)
            adj[e.object].add(e.subject)
        seen = {iri}
        frontier = deque([(iri, 0)])
        while frontier:
            node, d = frontier.popleft()
            if d == depth:
                continue
            for nxt in sorted(adj[node]):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append((nxt, d + 1))
        edges = [e for e in self.edges if e.subject in seen and e.object in seen
                 and (include_is_a or e.relation != IS_A) and (e.subject == iri or e.object == iri or depth > 1)]
        return seen, edges

    def term_sources(self, iri: str) -> list[str]:
        """Every PMID/DOI behind a term: its definition and each relationship it takes part in."""
        found: list[str] = list(self.terms[iri].definition_sources)
        for e in self.edges:
            if iri in (e.subject, e.object):
                found.extend(e.sources)
        for _, _, srcs in self.terms[iri].values:
            found.extend(srcs)
        return list(dict.fromkeys(s for s in found if source_url(s)))

    def category_colour(self, category: str) -> str:
        if category == "other":
            return "#999999"
        try:
            return PALETTE[self.categories.index(category) % len(PALETTE)]
        except ValueError:
            return "#BBBBBB"

    # -- exports --------------------------------------------------------------------------------
    def to_networkx(self) -> Any:
        """A networkx MultiDiGraph: nodes keyed by CURIE, one edge per relationship axiom."""
        import networkx as nx

        g = nx.MultiDiGraph(name="dgs-kg", version=self.version, disclaimer=DISCLAIMER)
        for t in self.terms.values():
            g.add_node(t.curie, label=t.label, iri=t.iri, category=t.category, definition=t.definition,
                       synonyms=" | ".join(s for _, s in t.synonyms), xrefs=" | ".join(t.xrefs),
                       sources=" | ".join(t.definition_sources), colour=self.category_colour(t.category))
        for e in self.edges:
            attrs = {"relation": e.relation_label, "relation_iri": e.relation if e.relation != IS_A else "",
                     "sources": " | ".join(e.sources)}
            attrs.update({k: str(v) for k, v in e.qualifiers.items()})
            g.add_edge(self.terms[e.subject].curie, self.terms[e.object].curie, **attrs)
        return g


def source_url(source: str) -> str:
    """The public address of a PMID or DOI source; "" for anything else."""
    s = source.strip()
    m = re.fullmatch(r"(?i)pmid:\s*(\d+)", s)
    if m:
        return f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/"
    m = re.fullmatch(r"(?i)doi:\s*(10\.\S+)", s)
    if m:
        return "https://doi.org/" + quote(m.group(1), safe="/:;()._-<>")
    if s.startswith("https://pubmed.ncbi.nlm.nih.gov/") or s.startswith("https://doi.org/"):
        return s
    return ""


def _curie(iri: str) -> str:
    from .constants import converter

    try:
        compressed = converter().compress(iri)
    except Exception:
        compressed = None
    return compressed or iri


def _files(files: list[Path] | None) -> list[Path] | None:
    for f in files or []:
        if not Path(f).is_file():
            raise UsageError(f"{f}: ontology file not found; pass a built dgs.ttl or dgs.owl")
    return list(files) if files else None


def load_graph(files: list[Path] | None = None, kg: Any = None) -> EduGraph:
    """Read terms, sourced and qualified relationships and references from the built ontology.

    ``files`` default to the bundled artefact; ``kg`` reuses an already loaded
    :class:`dgs_kg.graph.KnowledgeGraph`. The qualifiers (order, accuracy), categories and the
    bibliography are not in ``KnowledgeGraph.to_networkx()``, so they are read here with SPARQL
    through the same engine.
    """
    if kg is None:
        from .graph import KnowledgeGraph

        kg = KnowledgeGraph.load(_files(files))
    engine = kg.engine

    def rows(q: str) -> list[dict[str, str]]:
        _, result = engine.select(PREFIXES + q)
        return [{k: v.value for k, v in r.items()} for r in result]

    terms: dict[str, Term] = {}
    for r in rows(f"""SELECT ?c ?label ?def ?comment WHERE {{ ?c a owl:Class ; rdfs:label ?label .
            FILTER(isIRI(?c) && ?c != <{PUBLICATION}>)
            OPTIONAL {{ ?c <{IAO_DEFINITION}> ?def }} OPTIONAL {{ ?c rdfs:comment ?comment }} }}"""):
        if r["c"] not in terms:
            terms[r["c"]] = Term(r["c"], _curie(r["c"]), r["label"], r.get("def", ""), comment=r.get("comment", ""))
    if not terms:
        raise UsageError("the ontology has no labelled classes; is this a built dgs-kg file?")

    for r in rows(f"""SELECT ?c ?x WHERE {{ ?ax a owl:Axiom ; owl:annotatedSource ?c ;
            owl:annotatedProperty <{IAO_DEFINITION}> ; oboInOwl:hasDbXref ?x }} ORDER BY ?c ?x"""):
        if r["c"] in terms:
            terms[r["c"]].definition_sources.append(r["x"])
    for r in rows("SELECT ?c ?p ?s WHERE { VALUES ?p { oboInOwl:hasExactSynonym oboInOwl:hasBroadSynonym "
                  "oboInOwl:hasNarrowSynonym oboInOwl:hasRelatedSynonym } ?c ?p ?s } ORDER BY ?c ?s"):
        if r["c"] in terms:
            terms[r["c"]].synonyms.append((SCOPES[r["p"]], r["s"]))
    for r in rows("SELECT ?c ?x WHERE { ?c a owl:Class ; oboInOwl:hasDbXref ?x } ORDER BY ?c ?x"):
        if r["c"] in terms:
            terms[r["c"]].xrefs.append(r["x"])

    prop_labels = {r["p"]: r["l"] for r in rows(
        "SELECT ?p ?l WHERE { ?p rdfs:label ?l . { ?p a owl:ObjectProperty } UNION { ?p a owl:AnnotationProperty } "
        "UNION { ?p a owl:DatatypeProperty } }")}

    edges: list[Edge] = []
    for r in rows("SELECT ?c ?p WHERE { ?c rdfs:subClassOf ?p . FILTER(isIRI(?p)) } ORDER BY ?c ?p"):
        if r["c"] in terms and r["p"] in terms:
            terms[r["c"]].parents.append(r["p"])
            edges.append(Edge(r["c"], IS_A, IS_A, r["p"]))

    notes: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for r in rows("""SELECT ?c ?r ?q ?v WHERE { ?c rdfs:subClassOf ?r . ?r owl:someValuesFrom ?o .
            ?ax owl:annotatedSource ?c ; owl:annotatedTarget ?r ; ?q ?v .
            FILTER(?q NOT IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, owl:annotatedSource,
                             owl:annotatedTarget, owl:annotatedProperty)) }"""):
        notes[(r["c"], r["r"])].append((r["q"], r["v"]))
    for r in rows("""SELECT ?c ?r ?p ?o WHERE { ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ;
            owl:someValuesFrom ?o . FILTER(isIRI(?o)) } ORDER BY ?c ?p ?o"""):
        if r["c"] not in terms or r["o"] not in terms:
            continue
        edge = Edge(r["c"], r["p"], prop_labels.get(r["p"], _curie(r["p"])), r["o"])
        for q, v in sorted(notes.get((r["c"], r["r"]), [])):
            if q == OIO + "source":
                edge.sources.append(v)
            elif q == RDFS + "comment":
                edge.qualifiers["comment"] = v
            else:
                edge.qualifiers[prop_labels.get(q, _curie(q))] = v
        edges.append(edge)

    # Sourced data values (frequencies, thresholds) written directly on classes.
    value_sources: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in rows("""SELECT ?c ?p ?v ?s WHERE { ?ax owl:annotatedSource ?c ; owl:annotatedProperty ?p ;
            owl:annotatedTarget ?v ; oboInOwl:source ?s }"""):
        value_sources[(r["c"], r["p"], r["v"])].append(r["s"])
    for r in rows(f"""SELECT ?c ?p ?v WHERE {{ ?c a owl:Class ; ?p ?v . FILTER(isLiteral(?v))
            FILTER(STRSTARTS(STR(?p), "{DGS}")) }} ORDER BY ?c ?p ?v"""):
        if r["c"] in terms:
            terms[r["c"]].values.append((prop_labels.get(r["p"], _curie(r["p"])), r["v"],
                                         sorted(value_sources.get((r["c"], r["p"], r["v"]), []))))

    # Category: the nearest ancestor in the category subset; imported anatomy falls back to "anatomical entity".
    category_iris = {r["c"] for r in rows(f"SELECT ?c WHERE {{ ?c oboInOwl:inSubset <{CATEGORY_SUBSET}> }}")}
    categories = sorted(terms[c].label for c in category_iris if c in terms)
    for term in terms.values():
        term.category = _category(term.iri, terms, category_iris)
    if any(t.category == ANATOMY for t in terms.values()) and ANATOMY not in categories:
        categories.append(ANATOMY)
    if any(t.category == "other" for t in terms.values()):
        categories.append("other")

    references: dict[str, Reference] = {}
    for r in rows(f"""SELECT ?x ?title ?authors ?year ?journal WHERE {{ ?pub a <{PUBLICATION}> ;
            oboInOwl:hasDbXref ?x . OPTIONAL {{ ?pub dcterms:title ?title }}
            OPTIONAL {{ ?pub dcterms:creator ?authors }} OPTIONAL {{ ?pub dcterms:date ?year }}
            OPTIONAL {{ ?pub <{DGS}0000962> ?journal }} }}"""):
        references[r["x"].lower()] = Reference(r["x"], r.get("title", ""), r.get("authors", ""), r.get("year", ""),
                                               r.get("journal", ""))
    version_rows = rows("SELECT ?v WHERE { ?o a owl:Ontology ; owl:versionInfo ?v }")
    return EduGraph(terms, edges, references, categories, version_rows[0]["v"] if version_rows else "", prop_labels,
                    kg)


def _category(iri: str, terms: dict[str, Term], category_iris: set[str]) -> str:
    seen = {iri}
    frontier = deque([iri])
    while frontier:  # breadth first, so the nearest category wins
        node = frontier.popleft()
        if node in category_iris:
            return terms[node].label
        for parent in terms[node].parents if node in terms else []:
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    if iri.startswith("http://purl.obolibrary.org/obo/UBERON_") or iri.startswith("http://purl.obolibrary.org/obo/CARO_"):
        return ANATOMY
    return "other"


def cytoscape_json(graph: EduGraph) -> dict[str, Any]:
    """Cytoscape.js JSON (``elements``) as networkx writes it, plus the disclaimer."""
    import networkx as nx

    return nx.cytoscape_data(graph.to_networkx())  # the graph attributes carry the disclaimer


def export(graph: EduGraph, fmt: str, output: Path) -> Path:
    """Write the graph as GraphML, GEXF or Cytoscape JSON (all via networkx)."""
    import networkx as nx

    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph.to_networkx(), output)
    elif fmt == "gexf":  # GEXF keeps no graph attributes; the disclaimer goes into <meta><description>
        nx.write_gexf(graph.to_networkx(), output)
        text = output.read_text(encoding="utf-8")
        note = f"<description>dgs-kg {graph.version}: {DISCLAIMER}</description></meta>"
        output.write_text(text.replace("</meta>", note, 1), encoding="utf-8")
    elif fmt == "cytoscape":
        output.write_text(json.dumps(cytoscape_json(graph), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")
    else:
        raise UsageError(f"unknown export format '{fmt}'; use graphml, gexf or cytoscape")
    return output


__all__ = ["DISCLAIMER", "EduGraph", "Edge", "Term", "export", "load_graph", "source_url"]
