"""A deterministic RDF/XML writer.

rdflib's XML serialisers order subjects by Python hash, so two builds of the same graph differ.
This writer emits one flat, typed node element per subject, subjects and properties sorted,
which OWL tools (OWL API, owlready2, Protégé) read like any other RDF/XML.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XML_LANG = "http://www.w3.org/XML/1998/namespace"


def _split_iri(iri: str) -> tuple[str, str]:
    """Split an IRI into namespace and a local name that is a valid XML NCName."""
    for i in range(len(iri) - 1, -1, -1):
        if iri[i] in "#/":
            local = iri[i + 1:]
            if local and (local[0].isalpha() or local[0] == "_") and all(c.isalnum() or c in "_-." for c in local):
                return iri[: i + 1], local
            break
    raise ValueError(f"cannot write <{iri}> as an RDF/XML element name")


def _sort_key(node: Node) -> tuple[int, str]:
    # IRIs first, then blank nodes, each in lexical order: stable across runs.
    return (0 if isinstance(node, URIRef) else 1, str(node))


def serialize_rdfxml(graph: Graph, prefixes: dict[str, str], base_comment: str = "") -> str:
    """Serialise ``graph`` as RDF/XML, byte-identical for identical graphs."""
    ns_prefix: dict[str, str] = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf"}
    for prefix, ns in sorted(prefixes.items()):
        ns_prefix.setdefault(ns, prefix)
    used: dict[str, str] = {}
    gen = 0

    def qname(iri: str) -> str:
        nonlocal gen
        ns, local = _split_iri(iri)
        if ns not in ns_prefix:
            gen += 1
            ns_prefix[ns] = f"ns{gen}"
        used[ns] = ns_prefix[ns]
        return f"{ns_prefix[ns]}:{local}"

    used["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = "rdf"
    body: list[str] = []
    subjects = sorted(set(graph.subjects()), key=_sort_key)
    for subject in subjects:
        types = sorted((o for o in graph.objects(subject, RDF.type) if isinstance(o, URIRef)), key=str)
        element = qname(str(types[0])) if types else "rdf:Description"
        if isinstance(subject, URIRef):
            ident = f"rdf:about={quoteattr(str(subject))}"
        else:
            ident = f"rdf:nodeID={quoteattr(_node_id(subject))}"
        children: list[str] = []
        triples = sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), _sort_key(po[1]), _lit_key(po[1])))
        for p, o in triples:
            if types and p == RDF.type and o == types[0]:
                continue
            name = qname(str(p))
            if isinstance(o, URIRef):
                children.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                children.append(f"    <{name} rdf:nodeID={quoteattr(_node_id(o))}/>")
            elif isinstance(o, Literal):
                attrs = ""
                if o.language:
                    attrs = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype:
                    attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
                children.append(f"    <{name}{attrs}>{escape(str(o))}</{name}>")
        if children:
            body.append(f"  <{element} {ident}>\n" + "\n".join(children) + f"\n  </{element}>")
        else:
            body.append(f"  <{element} {ident}/>")
    decls = "".join(f"\n    xmlns:{p}={quoteattr(ns)}" for ns, p in sorted(used.items(), key=lambda kv: kv[1]))
    comment = f"<!-- {escape(base_comment)} -->\n" if base_comment else ""
    return f'<?xml version="1.0" encoding="utf-8"?>\n{comment}<rdf:RDF{decls}>\n' + "\n".join(body) + "\n</rdf:RDF>\n"


def _lit_key(node: Node) -> str:
    if isinstance(node, Literal):
        return f"{node.datatype or ''}@{node.language or ''}"
    return ""


def _node_id(node: object) -> str:
    text = str(node)
    return text if text[:1].isalpha() else f"b{text}"
