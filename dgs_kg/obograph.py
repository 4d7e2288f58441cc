"""OBO Graph JSON (the obographs model used by OAK, ROBOT and the OBO Foundry) from an RDF graph.

Only what the dgs-kg builder writes is mapped, and every such triple has a place in the JSON: the
tests compare both sides so that nothing is lost on the way.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .vocab import IAO_DEFINITION, OIO_IN_SUBSET, OIO_SYNONYM_TYPE, OIO_XREF, SYNONYM_SCOPES

_SCOPE_NAMES: dict[Node, str] = {v: "has" + k.capitalize() + "Synonym" for k, v in SYNONYM_SCOPES.items()}
_NODE_TYPES: dict[Node, str] = {OWL.Class: "CLASS", OWL.ObjectProperty: "PROPERTY", OWL.AnnotationProperty: "PROPERTY",
               OWL.DatatypeProperty: "PROPERTY", OWL.NamedIndividual: "INDIVIDUAL"}
_PROPERTY_TYPES: dict[Node, str] = {OWL.ObjectProperty: "OBJECT", OWL.AnnotationProperty: "ANNOTATION",
                   OWL.DatatypeProperty: "DATA"}
_STRUCTURAL = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
               OWL.versionIRI, OWL.imports, OWL.equivalentClass}


def _val(node: Node) -> str:
    return str(node)


def _axiom_annotations(graph: Graph) -> dict[tuple[Node, Node, Node], list[tuple[Node, Node]]]:
    out: dict[tuple[Node, Node, Node], list[tuple[Node, Node]]] = defaultdict(list)
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        key = (graph.value(ax, OWL.annotatedSource), graph.value(ax, OWL.annotatedProperty),
               graph.value(ax, OWL.annotatedTarget))
        for p, o in graph.predicate_objects(ax):
            if p not in (RDF.type, OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget):
                out[key].append((p, o))  # type: ignore[index]
    return out


def _meta_from(annotations: list[tuple[Node, Node]]) -> dict[str, Any]:
    xrefs = sorted(_val(o) for p, o in annotations if p == OIO_XREF)
    bpvs = sorted(({"pred": _val(p), "val": _val(o)} for p, o in annotations if p != OIO_XREF),
                  key=lambda d: (d["pred"], d["val"]))
    meta: dict[str, Any] = {}
    if xrefs:
        meta["xrefs"] = [{"val": x} for x in xrefs]
    if bpvs:
        meta["basicPropertyValues"] = bpvs
    return meta


def to_obograph(graph: Graph, graph_id: str) -> dict[str, Any]:
    """Convert ``graph`` to an obographs document (one graph), sorted for stable output."""
    ax = _axiom_annotations(graph)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    domain_range: list[dict[str, Any]] = []
    inverses: list[dict[str, Any]] = []
    ont = URIRef(graph_id)
    graph_meta: dict[str, Any] = {"basicPropertyValues": sorted(
        ({"pred": _val(p), "val": _val(o)} for p, o in graph.predicate_objects(ont)
         if p not in (RDF.type, OWL.versionIRI)), key=lambda d: (d["pred"], d["val"]))}
    version = graph.value(ont, OWL.versionIRI)
    if version is not None:
        graph_meta["version"] = str(version)

    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and s != ont}, key=str)
    for s in subjects:
        types = set(graph.objects(s, RDF.type))
        node: dict[str, Any] = {"id": str(s)}
        kind = next((_NODE_TYPES[t] for t in sorted(types, key=str) if t in _NODE_TYPES), None)
        if kind:
            node["type"] = kind
        ptype = next((_PROPERTY_TYPES[t] for t in types if t in _PROPERTY_TYPES), None)
        if ptype:
            node["propertyType"] = ptype
        meta: dict[str, Any] = {}
        synonyms, xrefs, subsets, comments, bpvs = [], [], [], [], []
        for p, o in sorted(graph.predicate_objects(s), key=lambda po: (str(po[0]), str(po[1]))):
            notes = ax.get((s, p, o), [])
            if p == RDFS.label and isinstance(o, Literal):
                node["lbl"] = str(o)
            elif p == IAO_DEFINITION:
                meta["definition"] = {"val": str(o)} | _meta_from(notes)
            elif p in _SCOPE_NAMES:
                syn: dict[str, Any] = {"pred": _SCOPE_NAMES[p], "val": str(o)}
                stype = next((n_o for n_p, n_o in notes if n_p == OIO_SYNONYM_TYPE), None)
                if stype is not None:
                    syn["synonymType"] = str(stype)
                synonyms.append(syn)
            elif p == OIO_XREF:
                xrefs.append({"val": str(o)})
            elif p == OIO_IN_SUBSET:
                subsets.append(str(o))
            elif p == RDFS.comment:
                comments.append(str(o))
            elif p == RDF.type:
                if isinstance(o, URIRef) and o not in _NODE_TYPES:
                    if o.startswith(str(OWL)):
                        bpvs.append({"pred": str(RDF.type), "val": str(o)})
                    else:
                        edges.append({"sub": str(s), "pred": "type", "obj": str(o)})
            elif p == RDFS.subClassOf:
                if isinstance(o, URIRef):
                    edges.append({"sub": str(s), "pred": "is_a", "obj": str(o)})
                elif isinstance(o, BNode) and (o, OWL.someValuesFrom, None) in graph:
                    edge: dict[str, Any] = {"sub": str(s), "pred": str(graph.value(o, OWL.onProperty)),
                                            "obj": str(graph.value(o, OWL.someValuesFrom))}
                    m = _meta_from(ax.get((s, p, o), []))
                    if m:
                        edge["meta"] = m
                    edges.append(edge)
            elif p == RDFS.subPropertyOf:
                edges.append({"sub": str(s), "pred": "subPropertyOf", "obj": str(o)})
            elif p in (RDFS.domain, RDFS.range):
                domain_range.append({"predicateId": str(s),
                                     ("domainClassIds" if p == RDFS.domain else "rangeClassIds"): [str(o)]})
            elif p == OWL.inverseOf:
                inverses.append({"sub": str(s), "pred": "inverseOf", "obj": str(o)})
            elif p not in _STRUCTURAL:
                bpv: dict[str, Any] = {"pred": str(p), "val": str(o)}
                m = _meta_from(notes)
                if m:
                    bpv["meta"] = m
                bpvs.append(bpv)
        for key, items in (("synonyms", synonyms), ("xrefs", xrefs), ("subsets", subsets),
                           ("comments", comments), ("basicPropertyValues", bpvs)):
            if items:
                meta[key] = items
        if meta:
            node["meta"] = meta
        nodes.append(node)

    logical_definitions = []
    for defined, target in graph.subject_objects(OWL.equivalentClass):
        intersection = graph.value(target, OWL.intersectionOf) if isinstance(target, BNode) else None
        members = list(graph.items(intersection)) if intersection is not None else [target]
        genus = sorted(str(m) for m in members if isinstance(m, URIRef))
        restrictions = sorted(({"propertyId": str(graph.value(m, OWL.onProperty)),
                                "fillerId": str(graph.value(m, OWL.someValuesFrom))}
                               for m in members if isinstance(m, BNode)), key=lambda r: (r["propertyId"], r["fillerId"]))
        ldef: dict[str, Any] = {"definedClassId": str(defined), "genusIds": genus, "restrictions": restrictions}
        m = _meta_from(ax.get((defined, OWL.equivalentClass, target), []))
        if m:
            ldef["meta"] = m
        logical_definitions.append(ldef)

    disjoint = []
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        lst = graph.value(axiom, OWL.members)
        ids = sorted(str(x) for x in graph.items(lst)) if lst is not None else []
        disjoint.append({"classIds": ids})
    edges.sort(key=lambda e: (e["sub"], e["pred"], e["obj"]))
    return {"graphs": [{
        "id": graph_id,
        "meta": graph_meta,
        "nodes": nodes,
        "edges": edges + sorted(inverses, key=lambda e: (e["sub"], e["obj"])),
        "domainRangeAxioms": sorted(domain_range, key=lambda d: (d["predicateId"], sorted(d))),
        "disjointClassExpressionsAxioms": sorted(disjoint, key=lambda d: d["classIds"]),
        "equivalentNodesSets": [],
        "logicalDefinitionAxioms": sorted(logical_definitions, key=lambda d: d["definedClassId"]),
        "propertyChainAxioms": [],
    }]}
