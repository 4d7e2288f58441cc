"""Describe one term: label, definition with its sources, synonyms, xrefs, parents and comment.

Kept apart from :mod:`dgs_kg.resolve` (which every named query needs) because ``TermInfo`` is a
dataclass, and importing dataclasses would slow the start of ``dgs-kg query``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .resolve import IAO_DEFINITION, OIO, RDFS_LABEL, SCOPES

if TYPE_CHECKING:  # pragma: no cover
    from .engines import QueryEngine


class Synonym(NamedTuple):
    """A synonym with its scope (exact, related, broad, narrow), type (e.g. abbreviation) and the
    works (PMID/DOI) in which its wording was seen, when the ontology records them."""

    text: str
    scope: str
    type: str = ""
    sources: tuple[str, ...] = ()


@dataclass
class TermInfo:
    """Everything a person wants to know about one term, with its sources."""

    iri: str
    curie: str
    label: str
    definition: str = ""
    sources: list[str] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    parents: list[tuple[str, str]] = field(default_factory=list)
    comment: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "curie": self.curie, "label": self.label, "definition": self.definition,
                "sources": self.sources, "synonyms": [s._asdict() for s in self.synonyms], "xrefs": self.xrefs,
                "parents": [{"curie": c, "label": lab} for c, lab in self.parents], "comment": self.comment}


_TERM_QUERY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
SELECT ?p ?o ?olabel ?type ?dsource ?ssource WHERE {
  { <TERM> ?p ?o .
    VALUES ?p { rdfs:label IAO:0000115 oboInOwl:hasExactSynonym oboInOwl:hasRelatedSynonym
                oboInOwl:hasBroadSynonym oboInOwl:hasNarrowSynonym oboInOwl:hasDbXref rdfs:comment }
    OPTIONAL { ?ax owl:annotatedSource <TERM> ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
               OPTIONAL { ?ax oboInOwl:hasSynonymType ?type }
               OPTIONAL { ?ax oboInOwl:hasDbXref ?dsource }
               OPTIONAL { ?ax oboInOwl:source ?ssource } }
  } UNION {
    <TERM> rdfs:subClassOf ?o . FILTER(isIRI(?o)) BIND(rdfs:subClassOf AS ?p)
    OPTIONAL { ?o rdfs:label ?olabel }
  }
}"""

_TYPE_NAMES = {"http://purl.obolibrary.org/obo/OMO_0003000": "abbreviation",
               "http://purl.obolibrary.org/obo/OMO_0003012": "acronym",
               "http://purl.obolibrary.org/obo/OMO_0003003": "layperson",
               "http://purl.obolibrary.org/obo/OMO_0003011": "latin"}


def describe(engine: "QueryEngine", iri: str) -> TermInfo:
    """Label, definition with its sources, synonyms, xrefs, parents and comment of one term."""
    from .queries import compact

    _, rows = engine.select(_TERM_QUERY.replace("<TERM>", f"<{iri}>"))
    info = TermInfo(iri=iri, curie=compact(iri), label="")
    seen_syn: set[tuple[str, str]] = set()
    for r in rows:
        p, o = r["p"].value, r["o"].value
        if p == RDFS_LABEL:
            info.label = info.label or o
        elif p == IAO_DEFINITION:
            info.definition = info.definition or o
            if "dsource" in r and r["dsource"].value not in info.sources:
                info.sources.append(r["dsource"].value)
        elif p in SCOPES:
            key = (SCOPES[p], o)
            typ = r["type"].value if "type" in r else ""
            typ = _TYPE_NAMES.get(typ, typ)
            found = (r["ssource"].value,) if "ssource" in r else ()
            if key not in seen_syn:
                seen_syn.add(key)
                info.synonyms.append(Synonym(o, SCOPES[p], typ, found))
            else:  # the same synonym on another row (one per source): merge its type and sources
                info.synonyms = [s._replace(type=s.type or typ,
                                            sources=tuple(sorted(set(s.sources) | set(found))))
                                 if (s.scope, s.text) == key else s for s in info.synonyms]
        elif p == OIO + "hasDbXref":
            if o not in info.xrefs:
                info.xrefs.append(o)
        elif p == "http://www.w3.org/2000/01/rdf-schema#comment":
            info.comment = info.comment or o
        elif p == "http://www.w3.org/2000/01/rdf-schema#subClassOf":
            parent = (compact(o), r["olabel"].value if "olabel" in r else "")
            if parent not in info.parents:
                info.parents.append(parent)
    info.sources.sort()
    info.synonyms.sort(key=lambda s: (s.scope, s.text.casefold()))
    info.xrefs.sort()
    info.parents.sort()
    return info


__all__ = ["Synonym", "TermInfo", "describe"]
