"""The Python API: ``KnowledgeGraph.load()`` and one method per named competency query.

Every method goes through the engine layer (:mod:`dgs_kg.engines`), so the same code answers from
the bundled artefact (pyoxigraph), from rdflib, or from a remote SPARQL endpoint. For research and
education only; not clinical advice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .queries import NamedQuery, Results, compact, get_query, run

if TYPE_CHECKING:  # pragma: no cover
    from .engines import QueryEngine
    from .describe import TermInfo
    from .resolve import SearchHit, TermIndex

#: The Python method behind each named query, and the query file it runs.
METHODS: dict[str, str] = {
    "structures_of": "structures-of-variant",
    "variants_of_structure": "variants-of-structure",
    "mechanisms_of": "mechanisms-of-variant",
    "tests_for": "tests-for-condition",
    "imaging_for": "imaging-for-condition",
    "interventions_for": "interventions-for-condition",
    "mimics_of": "mimics-of",
    "distinguishing_features": "distinguishing-features",
    "boundaries_of": "boundaries-of-space",
    "contents_of": "contents-of-space",
    "nerves_at_risk": "nerves-at-risk",
    "red_flags": "red-flags",
    "symptoms_of": "symptoms-of",
    "aggravating_factors": "aggravating-factors",
    "workflow": "workflow",
    "related": "related",
}

_EDGES_QUERY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?s ?p ?o ?plabel ?source WHERE {
  ?s rdfs:subClassOf ?r .
  FILTER(isIRI(?s))
  ?r owl:onProperty ?p ; owl:someValuesFrom ?o .
  FILTER(isIRI(?o))
  OPTIONAL { ?p rdfs:label ?plabel }
  OPTIONAL { ?ax owl:annotatedSource ?s ; owl:annotatedProperty rdfs:subClassOf ;
             owl:annotatedTarget ?r ; oboInOwl:source ?source }
}"""

_ISA_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?o WHERE { ?s rdfs:subClassOf ?o . FILTER(isIRI(?s) && isIRI(?o)) }"""


@dataclass
class PathStep:
    """One edge walked along a path: ``source --relation--> target`` as asserted in the ontology."""

    subject: str
    relation: str
    object: str
    sources: list[str] = field(default_factory=list)
    forward: bool = True  # False when the path walks the edge from its object to its subject


@dataclass
class TermPath:
    """A chain of asserted relationships connecting two terms."""

    steps: list[PathStep]
    labels: dict[str, str]

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        parts = []
        for st in self.steps:
            src = f" [{'; '.join(st.sources)}]" if st.sources else ""
            parts.append(f"'{self.labels.get(st.subject, st.subject)}' --{st.relation}--> "
                         f"'{self.labels.get(st.object, st.object)}'{src}")
        return "\n".join(parts)


class KnowledgeGraph:
    """The dgs-kg knowledge graph behind one query engine.

    >>> kg = KnowledgeGraph.load()                        # doctest: +SKIP
    >>> kg.structures_of("deep gluteal syndrome")         # doctest: +SKIP
    """

    def __init__(self, engine: "QueryEngine", paths: list[Path] | None = None,
                 queries_dir: Path | None = None) -> None:
        self.engine = engine
        self.paths_loaded = list(paths or [])
        self.queries_dir = queries_dir
        self._index: TermIndex | None = None
        self._nx: Any = None
        self._catalog: dict[str, NamedQuery] | None = None

    @classmethod
    def load(cls, path: str | Path | Sequence[str | Path] | None = None, *, engine: str = "oxigraph",
             endpoint: str | None = None, queries_dir: Path | None = None) -> "KnowledgeGraph":
        """Load the bundled ontology (or ``path``) into ``engine``, or talk to a remote ``endpoint``."""
        from .engines import default_artefact, open_engine

        if path is None:
            paths = None
        elif isinstance(path, (str, Path)):
            paths = [Path(path)]
        else:
            paths = [Path(p) for p in path]
        engine_ = open_engine(paths, engine, endpoint)  # refuses both a path and an endpoint
        if endpoint:
            return cls(engine_, queries_dir=queries_dir)
        return cls(engine_, paths or [default_artefact()], queries_dir=queries_dir)

    # --- terms ----------------------------------------------------------------------------------
    @property
    def index(self) -> "TermIndex":
        """Labels and synonyms of every class (built once, on first use)."""
        if self._index is None:
            from .resolve import TermIndex

            self._index = TermIndex.from_engine(self.engine)
        return self._index

    def resolve(self, name: str) -> str:
        """The IRI of the term ``name`` (label, synonym, CURIE or IRI)."""
        return self.index.resolve(name)

    def term(self, name: str) -> "TermInfo":
        """Label, definition and its sources, synonyms, xrefs and parents of one term."""
        from .describe import describe

        return describe(self.engine, self.resolve(name))

    def search(self, text: str, limit: int = 20) -> list["SearchHit"]:
        """Terms matching ``text`` in a label, synonym or definition, best first."""
        return self.index.search(text, limit)

    # --- queries --------------------------------------------------------------------------------
    def query(self, name_or_sparql: str, **params: str) -> Results:
        """Run a named query, a ``.rq`` file or SPARQL text; keyword arguments bind ``?name``."""
        text = name_or_sparql.strip()
        query: NamedQuery | str
        if text in self.named_queries():
            query = self.named_queries()[text]
        elif any(c in text for c in "{}\n ") and not text.endswith(".rq"):
            query = text
        else:
            query = get_query(text, self.queries_dir)
        return run(self.engine, query, params, self.index if params else None)

    def named_queries(self) -> dict[str, NamedQuery]:
        """The library of named queries, by name (read once per graph)."""
        if self._catalog is None:
            from .queries import catalog

            self._catalog = catalog(self.queries_dir)
        return self._catalog

    def structures_of(self, subject: str) -> Results:
        """Anatomical structures entrapping or entrapped in DGS or a variant (and its subclasses)."""
        return self.query("structures-of-variant", subject=subject)

    def variants_of_structure(self, subject: str) -> Results:
        """DGS variants that involve an anatomical structure."""
        return self.query("variants-of-structure", subject=subject)

    def mechanisms_of(self, subject: str) -> Results:
        """Mechanisms of a variant."""
        return self.query("mechanisms-of-variant", subject=subject)

    def tests_for(self, subject: str) -> Results:
        """Diagnostic tests for a condition, with accuracy where recorded."""
        return self.query("tests-for-condition", subject=subject)

    def imaging_for(self, subject: str) -> Results:
        """Imaging modalities and findings for a condition or an imaging procedure."""
        return self.query("imaging-for-condition", subject=subject)

    def interventions_for(self, subject: str) -> Results:
        """Management options for a condition or a management procedure."""
        return self.query("interventions-for-condition", subject=subject)

    def mimics_of(self, subject: str) -> Results:
        """Differential diagnoses of DGS or a variant."""
        return self.query("mimics-of", subject=subject)

    def distinguishing_features(self, subject: str) -> Results:
        """Features that tell a mimic or variant apart from DGS."""
        return self.query("distinguishing-features", subject=subject)

    def boundaries_of(self, subject: str) -> Results:
        """Boundaries of a space, with their side."""
        return self.query("boundaries-of-space", subject=subject)

    def contents_of(self, subject: str) -> Results:
        """Contents of a space (or of the space holding a structure), in order where recorded."""
        return self.query("contents-of-space", subject=subject)

    def nerves_at_risk(self, subject: str) -> Results:
        """Nerves that can be entrapped in DGS or a variant, or conditions entrapping a nerve."""
        return self.query("nerves-at-risk", subject=subject)

    def red_flags(self, subject: str) -> Results:
        """Red flags of a condition or presentation."""
        return self.query("red-flags", subject=subject)

    def symptoms_of(self, subject: str) -> Results:
        """Symptoms and signs of a condition."""
        return self.query("symptoms-of", subject=subject)

    def aggravating_factors(self, subject: str) -> Results:
        """Activities and positions that provoke a condition or finding."""
        return self.query("aggravating-factors", subject=subject)

    def workflow(self, subject: str = "deep gluteal syndrome") -> Results:
        """The evaluation steps, in order."""
        return self.query("workflow", subject=subject)

    def related(self, subject: str) -> Results:
        """Every direct relationship of a term, both directions."""
        return self.query("related", subject=subject)

    # --- graph views ----------------------------------------------------------------------------
    def to_networkx(self) -> Any:
        """A networkx MultiDiGraph: nodes are CURIEs (with ``label``), edges are asserted
        relationships (``relation``, ``relation_id``, ``sources``) and ``is a`` links."""
        if self._nx is not None:
            return self._nx
        import networkx as nx

        g = nx.MultiDiGraph()
        for iri, label in self.index.labels.items():
            g.add_node(compact(iri), label=label, iri=iri)
        _, rows = self.engine.select(_EDGES_QUERY)
        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in rows:
            s, p, o = compact(r["s"].value), compact(r["p"].value), compact(r["o"].value)
            data = edges.setdefault((s, p, o), {"relation": r["plabel"].value if "plabel" in r else p,
                                                "relation_id": p, "sources": []})
            if "source" in r and r["source"].value not in data["sources"]:
                data["sources"].append(r["source"].value)
        for (s, p, o), data in sorted(edges.items()):
            data["sources"].sort()
            g.add_edge(s, o, key=p, **data)
        _, rows = self.engine.select(_ISA_QUERY)
        for r in rows:
            s, o = compact(r["s"].value), compact(r["o"].value)
            g.add_edge(s, o, key="is_a", relation="is a", relation_id="rdfs:subClassOf", sources=[])
        for node in g.nodes:
            g.nodes[node].setdefault("label", "")
        self._nx = g
        return g

    def paths(self, a: str, b: str, limit: int = 5, include_is_a: bool = True) -> list[TermPath]:
        """The shortest chains of asserted relationships connecting ``a`` and ``b`` (either direction),
        each step with its relation label and sources."""
        import networkx as nx

        g = self.to_networkx()
        start, end = compact(self.resolve(a)), compact(self.resolve(b))
        und = nx.Graph()
        for s, o, data in g.edges(data=True):
            if not include_is_a and data["relation_id"] == "rdfs:subClassOf":
                continue
            und.add_edge(s, o)
        if start not in und or end not in und:
            return []
        try:
            node_paths = list(_take(nx.all_shortest_paths(und, start, end), limit))
        except nx.NetworkXNoPath:
            return []
        labels = {n: g.nodes[n].get("label", "") or n for n in g.nodes}
        out = []
        for nodes in node_paths:
            steps = []
            for x, y in zip(nodes, nodes[1:]):
                step = _edge(g, x, y, include_is_a)
                steps.append(step)
            out.append(TermPath(steps, labels))
        return out

    def rdflib_graph(self) -> Any:
        """The ontology as an rdflib Graph (parsed from the loaded artefact files)."""
        if not self.paths_loaded:
            raise UsageError("rdflib_graph() needs local ontology files; this graph is a remote endpoint")
        from rdflib import Graph

        graph = getattr(self.engine, "graph", None)
        if isinstance(graph, Graph):
            return graph  # the rdflib engine already holds it

        from .engines import _rdf_format_for

        g = Graph()
        for p in self.paths_loaded:
            g.parse(p, format=_rdf_format_for(p))
        return g


def _take(iterator: Any, n: int) -> Any:
    for i, item in enumerate(iterator):
        if i >= n:
            return
        yield item


def _edge(g: Any, x: str, y: str, include_is_a: bool) -> PathStep:
    """The best asserted edge between x and y (a sourced relationship before an is-a link)."""
    candidates = []
    for s, o, forward in ((x, y, True), (y, x, False)):
        for _key, data in (g.get_edge_data(s, o) or {}).items():
            if not include_is_a and data["relation_id"] == "rdfs:subClassOf":
                continue
            candidates.append((data["relation_id"] == "rdfs:subClassOf", not forward, data["relation_id"],
                               PathStep(s, data["relation"], o, list(data["sources"]), forward)))
    candidates.sort(key=lambda c: c[:3])
    return candidates[0][3]


__all__ = ["KnowledgeGraph", "METHODS", "PathStep", "TermPath"]
