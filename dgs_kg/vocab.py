"""rdflib terms for the vocabularies dgs-kg writes (kept apart from constants so the CLI starts fast)."""
from __future__ import annotations

from rdflib import Namespace

from .constants import BASE_ONTOLOGY_IRI, CATEGORY_SUBSET, DGS_IRI_PREFIX, ONTOLOGY_IRI, SUBSET_PREFIX

SUBSET_NS = Namespace(SUBSET_PREFIX)

OBO = Namespace("http://purl.obolibrary.org/obo/")
OIO = Namespace("http://www.geneontology.org/formats/oboInOwl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DGS = Namespace(DGS_IRI_PREFIX)

IAO_DEFINITION = OBO["IAO_0000115"]
IAO_EDITOR_NOTE = OBO["IAO_0000116"]
IAO_REPLACED_BY = OBO["IAO_0100001"]
OIO_XREF = OIO["hasDbXref"]
OIO_SOURCE = OIO["source"]
OIO_IN_SUBSET = OIO["inSubset"]
OIO_SYNONYM_TYPE = OIO["hasSynonymType"]
SYNONYM_SCOPES = {
    "exact": OIO["hasExactSynonym"],
    "broad": OIO["hasBroadSynonym"],
    "narrow": OIO["hasNarrowSynonym"],
    "related": OIO["hasRelatedSynonym"],
}
SYNONYM_TYPES = {
    "abbreviation": OBO["OMO_0003000"],
    "acronym": OBO["OMO_0003012"],
    "layperson": OBO["OMO_0003003"],
    "latin": OBO["OMO_0003011"],
}


__all__ = ["BASE_ONTOLOGY_IRI", "CATEGORY_SUBSET", "ONTOLOGY_IRI"]
