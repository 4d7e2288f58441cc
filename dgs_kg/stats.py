"""Summary counts of a built ontology (``dgs-kg info``), computed by SPARQL through the engine layer."""
from __future__ import annotations

from dataclasses import dataclass, field

from .constants import CATEGORY_SUBSET
from .engines import QueryEngine
from .resolve import SCOPES

PREFIXES = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
"""


@dataclass
class OntologyStats:
    version: str = ""
    title: str = ""
    triples: int = 0
    classes: int = 0
    project_classes: int = 0
    imported_classes: int = 0
    properties: int = 0
    relationship_axioms: int = 0
    sourced_relationship_axioms: int = 0
    logical_axioms: int = 0
    synonyms: int = 0
    sourced_synonyms: int = 0
    sources_cited: int = 0
    publications: int = 0
    by_category: dict[str, int] = field(default_factory=dict)


def _count(engine: QueryEngine, where: str) -> int:
    _, rows = engine.select(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"].value) if rows else 0


def compute_stats(engine: QueryEngine) -> OntologyStats:
    """Counts of terms by top-level category, axioms, sources and the version."""
    s = OntologyStats()
    _, rows = engine.select(PREFIXES + """SELECT ?v ?t WHERE { ?o a owl:Ontology .
        OPTIONAL { ?o owl:versionInfo ?v } OPTIONAL { ?o <http://purl.org/dc/terms/title> ?t } }""")
    if rows:
        s.version = rows[0].get("v").value if rows[0].get("v") else ""  # type: ignore[union-attr]
        s.title = rows[0].get("t").value if rows[0].get("t") else ""  # type: ignore[union-attr]
    s.triples = _count(engine, "?s ?p ?o")
    s.classes = _count(engine, "?c a owl:Class FILTER(isIRI(?c))")
    s.project_classes = _count(engine, "?c a owl:Class FILTER(STRSTARTS(STR(?c), 'https://w3id.org/dgs-kg/'))")
    s.imported_classes = s.classes - s.project_classes
    s.properties = _count(engine, "VALUES ?t { owl:ObjectProperty owl:AnnotationProperty owl:DatatypeProperty } ?p a ?t")
    # Project relationship axioms: any on a project class, plus sourced ones on imported classes
    # (e.g. "piriformis muscle located in deep gluteal space"); Uberon's own part_of axioms are not ours.
    s.relationship_axioms = _count(engine, """?c rdfs:subClassOf ?r . ?r owl:someValuesFrom ?d .
        FILTER(STRSTARTS(STR(?c), 'https://w3id.org/dgs-kg/')
               || EXISTS { ?ax owl:annotatedSource ?c ; owl:annotatedTarget ?r ; oboInOwl:source ?src })""")
    s.sourced_relationship_axioms = _count(engine, """SELECT DISTINCT ?c ?r WHERE {
        ?c rdfs:subClassOf ?r . ?r owl:someValuesFrom ?d .
        ?ax owl:annotatedSource ?c ; owl:annotatedTarget ?r ; oboInOwl:source ?src }""")
    s.logical_axioms = _count(engine, "VALUES ?p { rdfs:subClassOf owl:equivalentClass owl:disjointWith "
                                      "rdfs:subPropertyOf rdfs:domain rdfs:range owl:inverseOf } ?s ?p ?o")
    # Synonyms of project classes, and those whose axiom names the work the wording was seen in.
    scopes = " ".join(f"<{iri}>" for iri in SCOPES)
    synonym = f"""VALUES ?p {{ {scopes} }} ?c a owl:Class ; ?p ?s .
        FILTER(STRSTARTS(STR(?c), 'https://w3id.org/dgs-kg/'))"""
    s.synonyms = _count(engine, synonym)
    s.sourced_synonyms = _count(engine, synonym + """ FILTER EXISTS {
        ?ax owl:annotatedSource ?c ; owl:annotatedProperty ?p ; owl:annotatedTarget ?s ; oboInOwl:source ?src }""")
    s.sources_cited = _count(engine, """SELECT DISTINCT ?src WHERE {
        { ?ax oboInOwl:source ?src } UNION { ?ax a owl:Axiom ; owl:annotatedProperty
          <http://purl.obolibrary.org/obo/IAO_0000115> ; oboInOwl:hasDbXref ?src } }""")
    s.publications = _count(engine, "?p a <https://w3id.org/dgs-kg/DGS_0000020>")
    _, rows = engine.select(PREFIXES + f"""SELECT ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {{
        ?cat oboInOwl:inSubset <{CATEGORY_SUBSET}> ; rdfs:label ?label .
        ?c rdfs:subClassOf* ?cat . ?c a owl:Class . FILTER(isIRI(?c))
        }} GROUP BY ?label ORDER BY ?label""")
    s.by_category = {r["label"].value: int(r["n"].value) for r in rows}
    return s
