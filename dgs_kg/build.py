"""Compile the validated sources into the released artefacts, deterministically.

The same sources always give byte-identical files: blank nodes get content-derived labels and
every serialiser writes in sorted order. Files are written to a temporary folder first and moved
into place only when all of them were produced, so a failed build never leaves partial output.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.collection import Collection

from . import obograph
from .constants import BASE_ONTOLOGY_IRI, ONTOLOGY_IRI, PREFIX_MAP, SUBSET_PREFIX, XREF_PREFIXES
from .vocab import (
    DCTERMS, DGS, IAO_DEFINITION, IAO_EDITOR_NOTE, OIO_IN_SUBSET, OIO_SOURCE, OIO_SYNONYM_TYPE, OIO_XREF,
    SUBSET_NS, SYNONYM_SCOPES, SYNONYM_TYPES,
)
from .errors import SourceError, SourceProblem
from .rdfxml import serialize_rdfxml
from .sources import CHARACTERISTICS, PROPERTY_TYPES, OntologySource, Reference, Term, load_sources

PUBLICATION = DGS["0000020"]
PMID_PROP, DOI_PROP, PUBLISHED_IN = DGS["0000960"], DGS["0000961"], DGS["0000962"]
#: Annotation properties the builder itself writes; each must be declared for OWL 2 DL.
BUILTIN_ANNOTATION_PROPERTIES = {
    IAO_DEFINITION: "definition", IAO_EDITOR_NOTE: "editor note", OIO_XREF: "database_cross_reference",
    OIO_SOURCE: "source", OIO_IN_SUBSET: "in_subset", OIO_SYNONYM_TYPE: "has_synonym_type",
    SYNONYM_SCOPES["exact"]: "has_exact_synonym", SYNONYM_SCOPES["broad"]: "has_broad_synonym",
    SYNONYM_SCOPES["narrow"]: "has_narrow_synonym", SYNONYM_SCOPES["related"]: "has_related_synonym",
    DCTERMS.title: "title", DCTERMS.description: "description", DCTERMS.license: "license",
    DCTERMS.creator: "creator", DCTERMS.date: "date",
}
RDF_PREFIXES = dict(PREFIX_MAP) | {"dgssubset": SUBSET_PREFIX}


@dataclass(frozen=True)
class Artefacts:
    """The graphs a build produces: base (project axioms only) and full (with imports merged)."""

    base: Graph
    full: Graph
    version: str
    sssom: str = ""


def _bnode(*parts: object) -> BNode:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]
    return BNode(f"n{digest}")


def _annotate(graph: Graph, source: URIRef | BNode, prop: URIRef, target: object,
              annotations: Sequence[tuple[URIRef, Literal | URIRef]]) -> None:
    """Add an OWL axiom annotation (owl:Axiom reification) to an already asserted triple."""
    if not annotations:
        return
    node = _bnode("axiom", source, prop, target)
    graph.add((node, RDF.type, OWL.Axiom))
    graph.add((node, OWL.annotatedSource, source))
    graph.add((node, OWL.annotatedProperty, prop))
    graph.add((node, OWL.annotatedTarget, target))  # type: ignore[arg-type]
    for p, v in annotations:
        graph.add((node, p, v))


def reference_iri(ref: Reference) -> URIRef:
    """The standard IRI of a cited work: its PubMed page, else its DOI resolver address."""
    if ref.pmid:
        return URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}")
    return URIRef("https://doi.org/" + quote(ref.doi, safe="/:;()._-"))


def _header(src: OntologySource) -> tuple[str, list[tuple[URIRef, object]]]:
    onts = list(src.header.subjects(RDF.type, OWL.Ontology))
    problems = []
    if len(onts) != 1:
        problems.append(SourceProblem("src/dgs-edit.ttl", 0, f"expected one owl:Ontology, found {len(onts)}",
                                      "declare exactly one ontology header"))
        raise SourceError(problems)
    ont = onts[0]
    version = src.header.value(ont, OWL.versionInfo)
    for prop, name in ((DCTERMS.title, "dcterms:title"), (DCTERMS.description, "dcterms:description"),
                       (DCTERMS.license, "dcterms:license"), (DCTERMS.creator, "dcterms:creator"),
                       (OWL.versionInfo, "owl:versionInfo")):
        if src.header.value(ont, prop) is None:
            problems.append(SourceProblem("src/dgs-edit.ttl", 0, f"the ontology header has no {name}",
                                          f"add {name} to the owl:Ontology block"))
    description = str(src.header.value(ont, DCTERMS.description) or "")
    if description and "not clinical advice" not in description:
        problems.append(SourceProblem("src/dgs-edit.ttl", 0, "the description lacks the disclaimer",
                                      "say that the ontology is for research and education, not clinical advice"))
    if problems:
        raise SourceError(problems)
    annotations = [(p, o) for p, o in src.header.predicate_objects(ont)
                   if p not in (RDF.type, OWL.imports, OWL.versionIRI)]
    return str(version), annotations  # type: ignore[return-value]


def _add_definition_axiom(graph: Graph, term: Term) -> None:
    """``EquivalentClasses(term, ObjectIntersectionOf(genus..., R some F...))``, sourced like the definition."""
    members: list[Node] = list(term.equivalent_genus)
    for prop, filler in term.equivalent_restrictions:
        r = _bnode("equivalent-restriction", term.iri, prop, filler)
        graph.add((r, RDF.type, OWL.Restriction))
        graph.add((r, OWL.onProperty, prop))
        graph.add((r, OWL.someValuesFrom, filler))
        members.append(r)
    if len(members) == 1:
        target: Node = members[0]
    else:
        target = _bnode("equivalent", term.iri)
        graph.add((target, RDF.type, OWL.Class))
        Collection(graph, _bnode("equivalent-list", term.iri), members)
        graph.add((target, OWL.intersectionOf, _bnode("equivalent-list", term.iri)))
    graph.add((term.iri, OWL.equivalentClass, target))
    _annotate(graph, term.iri, OWL.equivalentClass, target,
              [(OIO_SOURCE, Literal(s)) for s in term.definition_sources])


def _declare_external_classes(graph: Graph) -> None:
    """Declare every IRI used in a class position, so the base file is OWL 2 DL on its own."""
    used: set[URIRef] = set()
    for s, o in graph.subject_objects(RDFS.subClassOf):
        used.update(x for x in (s, o) if isinstance(x, URIRef))
    used.update(o for o in graph.objects(None, OWL.someValuesFrom) if isinstance(o, URIRef))
    for lst in graph.objects(None, OWL.intersectionOf):
        used.update(x for x in graph.items(lst) if isinstance(x, URIRef))
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        for pred in (RDFS.domain, RDFS.range):
            used.update(o for o in graph.objects(prop, pred) if isinstance(o, URIRef))
    for members in graph.objects(None, OWL.members):
        used.update(x for x in graph.items(members) if isinstance(x, URIRef))
    for iri in used:
        graph.add((iri, RDF.type, OWL.Class))


def compile_sources(src: OntologySource) -> Artefacts:
    """Turn validated sources into the base and full graphs."""
    version, header_annotations = _header(src)
    base = Graph()
    ont = URIRef(BASE_ONTOLOGY_IRI)
    base.add((ont, RDF.type, OWL.Ontology))
    base.add((ont, OWL.versionIRI, URIRef(f"https://w3id.org/dgs-kg/releases/{version}/dgs-base.owl")))
    for p, o in header_annotations:
        base.add((ont, p, o))  # type: ignore[arg-type]

    # Logical axioms written by hand in the edit file (disjointness, defined classes).
    header_ont = next(iter(src.header.subjects(RDF.type, OWL.Ontology)))
    for triple in src.header:
        if triple[0] != header_ont:
            base.add(triple)

    for annotation_property, label in BUILTIN_ANNOTATION_PROPERTIES.items():
        base.add((annotation_property, RDF.type, OWL.AnnotationProperty))
        base.add((annotation_property, RDFS.label, Literal(label)))

    for prop in src.properties:
        base.add((prop.iri, RDF.type, PROPERTY_TYPES[prop.type]))
        base.add((prop.iri, RDFS.label, Literal(prop.label)))
        for parent in prop.parents:
            base.add((prop.iri, RDFS.subPropertyOf, parent))
        if prop.domain is not None:
            base.add((prop.iri, RDFS.domain, prop.domain))
        if prop.range is not None:
            base.add((prop.iri, RDFS.range, prop.range))
        for ch in prop.characteristics:
            base.add((prop.iri, RDF.type, CHARACTERISTICS[ch]))
        if prop.inverse is not None:
            base.add((prop.iri, OWL.inverseOf, prop.inverse))
        if prop.definition:
            definition = Literal(prop.definition)
            base.add((prop.iri, IAO_DEFINITION, definition))
            _annotate(base, prop.iri, IAO_DEFINITION, definition,
                      [(OIO_XREF, Literal(s)) for s in prop.definition_sources])

    for term in src.terms:
        base.add((term.iri, RDF.type, OWL.Class))
        base.add((term.iri, RDFS.label, Literal(term.label)))
        definition = Literal(term.definition)
        base.add((term.iri, IAO_DEFINITION, definition))
        _annotate(base, term.iri, IAO_DEFINITION, definition,
                  [(OIO_XREF, Literal(s)) for s in term.definition_sources])
        for parent in term.parents:
            base.add((term.iri, RDFS.subClassOf, parent))
        for syn in term.synonyms:
            lit = Literal(syn.text)
            base.add((term.iri, SYNONYM_SCOPES[syn.scope], lit))
            syn_notes: list[tuple[URIRef, Literal | URIRef]] = [(OIO_SOURCE, Literal(s)) for s in syn.sources]
            if syn.type:
                syn_notes.append((OIO_SYNONYM_TYPE, SYNONYM_TYPES[syn.type]))
            _annotate(base, term.iri, SYNONYM_SCOPES[syn.scope], lit, syn_notes)
        for xref in term.xrefs:
            base.add((term.iri, OIO_XREF, Literal(xref)))
        for subset in term.subsets:
            base.add((term.iri, OIO_IN_SUBSET, SUBSET_NS[subset]))
        if term.comment:
            base.add((term.iri, RDFS.comment, Literal(term.comment)))
        if term.equivalent_genus or term.equivalent_restrictions:
            _add_definition_axiom(base, term)

    for rel in src.relations:
        restriction = _bnode("restriction", rel.subject, rel.relation, rel.object)
        base.add((restriction, RDF.type, OWL.Restriction))
        base.add((restriction, OWL.onProperty, rel.relation))
        base.add((restriction, OWL.someValuesFrom, rel.object))
        base.add((rel.subject, RDFS.subClassOf, restriction))
        notes = [(OIO_SOURCE, Literal(s)) for s in rel.sources] + list(rel.qualifiers)
        if rel.comment:
            notes.append((RDFS.comment, Literal(rel.comment)))
        _annotate(base, rel.subject, RDFS.subClassOf, restriction, notes)

    for val in src.values:
        base.add((val.subject, val.property, val.value))
        notes = [(OIO_SOURCE, Literal(s)) for s in val.sources]
        if val.comment:
            notes.append((RDFS.comment, Literal(val.comment)))
        _annotate(base, val.subject, val.property, val.value, notes)

    for ref in src.references:
        iri = reference_iri(ref)
        base.add((iri, RDF.type, OWL.NamedIndividual))
        base.add((iri, RDF.type, PUBLICATION))
        base.add((iri, RDFS.label, Literal(ref.title)))
        base.add((iri, DCTERMS.title, Literal(ref.title)))
        if ref.authors:
            base.add((iri, DCTERMS.creator, Literal(ref.authors)))
        if ref.year:
            base.add((iri, DCTERMS.date, Literal(ref.year)))
        if ref.journal:
            base.add((iri, PUBLISHED_IN, Literal(ref.journal)))
        if ref.pmid:
            base.add((iri, PMID_PROP, Literal(ref.pmid)))
            base.add((iri, OIO_XREF, Literal(f"PMID:{ref.pmid}")))
        if ref.doi:
            base.add((iri, DOI_PROP, Literal(ref.doi)))
            base.add((iri, OIO_XREF, Literal(f"doi:{ref.doi}")))

    _declare_external_classes(base)

    full = Graph()
    for triple in base:
        full.add(triple)
    full.remove((ont, None, None))
    full_ont = URIRef(ONTOLOGY_IRI)
    full.add((full_ont, RDF.type, OWL.Ontology))
    full.add((full_ont, OWL.versionIRI, URIRef(f"https://w3id.org/dgs-kg/releases/{version}/dgs.owl")))
    for p, o in header_annotations:
        full.add((full_ont, p, o))  # type: ignore[arg-type]
    for triple in src.imports:
        if (triple[0], RDF.type, OWL.Ontology) in src.imports:
            continue
        full.add(triple)
    return Artefacts(_canonical(base), _canonical(full), version, _sssom(src, version))


_SKOS = {"exact": "skos:exactMatch", "close": "skos:closeMatch", "broader": "skos:broadMatch",
         "narrower": "skos:narrowMatch"}


def _sssom(src: OntologySource, version: str) -> str:
    """The SSSOM mapping set of every xref, with the match type recorded in the verified table."""
    rows = []
    prefixes = {"DGS"}
    for term in sorted(src.terms, key=lambda t: t.curie):
        for xref in sorted(term.xrefs):
            verified = src.xref_table[xref]
            prefixes.add(xref.split(":", 1)[0])
            rows.append("\t".join([term.curie, term.label, _SKOS.get(verified.relation, "skos:relatedMatch"),
                                   xref, verified.label, "semapv:ManualMappingCuration",
                                   f"verified in {verified.seen_in}".replace("\t", " ")]))
    curie_map = {"DGS": PREFIX_MAP["DGS"], "skos": "http://www.w3.org/2004/02/skos/core#",
                 "semapv": "https://w3id.org/semapv/vocab/"}
    curie_map.update({p: XREF_PREFIXES[p] for p in prefixes if p in XREF_PREFIXES})
    header = ["# curie_map:"] + [f"#   {k}: {v}" for k, v in sorted(curie_map.items())] + [
        "# license: https://creativecommons.org/licenses/by/4.0/",
        "# mapping_set_id: https://w3id.org/dgs-kg/mappings/dgs.sssom.tsv",
        f"# mapping_set_version: '{version}'",
        "# mapping_set_description: Cross-references of dgs-kg terms, each verified in the source ontology's own files.",
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tcomment"]
    return "\n".join(header + rows) + "\n"


def _canonical(graph: Graph) -> Graph:
    """Relabel blank nodes from their content, so serialisations are identical across builds.

    A blank node's label is a hash of its outgoing triples (recursively) and of the IRIs that point
    at it. That is linear in the graph size, unlike full RDF canonicalisation, and enough for the
    tree-shaped blank nodes of OWL (restrictions, lists, axiom annotations).
    """
    memo: dict[BNode, str] = {}

    def signature(node: BNode, stack: frozenset[BNode]) -> str:
        if node in memo:
            return memo[node]
        parts = []
        for p, o in graph.predicate_objects(node):
            if isinstance(o, BNode):
                value = "cycle" if o in stack else "_:" + signature(o, stack | {node})
            else:
                value = o.n3()
            parts.append(f"{p.n3()} {value}")
        for s, p in graph.subject_predicates(node):
            if isinstance(s, URIRef):
                parts.append(f"<- {s.n3()} {p.n3()}")
        digest = hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        memo[node] = digest
        return digest

    bnodes = {n for triple in graph for n in triple if isinstance(n, BNode)}
    for node in bnodes:
        signature(node, frozenset())
    clashes: dict[str, int] = {}
    for node in bnodes:
        clashes[memo[node]] = clashes.get(memo[node], 0) + 1
    final: dict[BNode, str] = {}

    def disambiguated(node: BNode, depth: int = 0) -> str:
        # Equal content: tell the nodes apart by where they hang (their parents' labels).
        if node in final:
            return final[node]
        digest = memo[node]
        if clashes[digest] > 1 and depth < 50:
            parents = sorted(f"{p.n3()} " + (disambiguated(s, depth + 1) if isinstance(s, BNode) else s.n3())
                             for s, p in graph.subject_predicates(node))
            digest = hashlib.sha1((digest + "\n" + "\n".join(parents)).encode()).hexdigest()[:20]
        final[node] = digest
        return digest

    labels: dict[Node, Node] = {node: BNode("n" + disambiguated(node)) for node in bnodes}
    out = Graph()
    for prefix, ns in RDF_PREFIXES.items():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o in graph:
        out.add((labels.get(s, s), p, labels.get(o, o)))
    return out


def serialise(artefacts: Artefacts) -> dict[str, bytes]:
    """Every artefact file name with its exact bytes."""
    note = ("dgs-kg {v}: generated by 'dgs-kg build' from ontology/src; do not edit. "
            "For research and education, not clinical advice.").format(v=artefacts.version)
    files = {
        "dgs.ttl": ("# " + note + "\n").encode() + artefacts.full.serialize(format="turtle").encode(),
        "dgs.owl": serialize_rdfxml(artefacts.full, RDF_PREFIXES, note).encode(),
        "dgs-base.ttl": ("# " + note + "\n").encode() + artefacts.base.serialize(format="turtle").encode(),
        "dgs-base.owl": serialize_rdfxml(artefacts.base, RDF_PREFIXES, note).encode(),
        "mappings/dgs.sssom.tsv": artefacts.sssom.encode(),
        "dgs.json": (json.dumps(obograph.to_obograph(artefacts.full, ONTOLOGY_IRI), indent=1,
                                ensure_ascii=False, sort_keys=True) + "\n").encode(),
    }
    return files


def build(src_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Validate ``src_dir`` and write all artefacts into ``out_dir`` atomically.

    Nothing is written when the sources contain a mistake (:class:`SourceError` is raised).
    """
    artefacts = compile_sources(load_sources(src_dir))
    files = serialise(artefacts)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dgs-build-", dir=out_dir))
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        written = {}
        for name in files:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out_dir / name)
            written[name] = out_dir / name
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def stale_artefacts(src_dir: Path, out_dir: Path) -> list[str]:
    """Names of artefacts in ``out_dir`` that differ from a fresh build of ``src_dir``."""
    files = serialise(compile_sources(load_sources(src_dir)))
    return sorted(name for name, data in files.items()
                  if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != data)


__all__ = ["Artefacts", "build", "compile_sources", "reference_iri", "serialise", "stale_artefacts"]
