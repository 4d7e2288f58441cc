"""IRIs, the CURIE prefix map and where the packaged artefacts live (plain strings: cheap to import)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # curies pulls in pydantic; imported only when a converter is needed
    import curies

DGS_IRI_PREFIX = "https://w3id.org/dgs-kg/DGS_"
ONTOLOGY_IRI = "https://w3id.org/dgs-kg/dgs.owl"
BASE_ONTOLOGY_IRI = "https://w3id.org/dgs-kg/dgs-base.owl"
SUBSET_PREFIX = "https://w3id.org/dgs-kg/subset/"
CATEGORY_SUBSET = SUBSET_PREFIX + "category"

#: Prefixes used in the sources and printed to users. Order matters only for display.
PREFIX_MAP: dict[str, str] = {
    "DGS": DGS_IRI_PREFIX,
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "IAO": "http://purl.obolibrary.org/obo/IAO_",
    "OMO": "http://purl.obolibrary.org/obo/OMO_",
    "CARO": "http://purl.obolibrary.org/obo/CARO_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


#: Expansions of the cross-reference prefixes (bioregistry conventions), for the SSSOM mapping set.
XREF_PREFIXES: dict[str, str] = {
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "FMA": "http://purl.obolibrary.org/obo/FMA_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "SNOMEDCT": "http://snomed.info/id/",
    "UMLS": "https://uts.nlm.nih.gov/uts/umls/concept/",
    "ICD10CM": "https://icd.codes/icd10cm/",
    "ORPHANET": "http://www.orpha.net/ORDO/Orphanet_",
}


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The CURIE <-> IRI converter for every prefix dgs-kg knows."""
    import curies

    return curies.Converter.from_prefix_map(PREFIX_MAP)


PACKAGE_DIR = Path(__file__).resolve().parent
#: Inside a wheel the artefacts are copied to dgs_kg/_data; in a source checkout they sit in ontology/.
_WHEEL_DATA = PACKAGE_DIR / "_data"
_CHECKOUT_ROOT = PACKAGE_DIR.parent


def data_dir() -> Path:
    """Folder holding the built ontology artefacts (wheel copy first, then the checkout)."""
    if (_WHEEL_DATA / "ontology").is_dir():
        return _WHEEL_DATA / "ontology"
    return _CHECKOUT_ROOT / "ontology"


def queries_dir() -> Path:
    """Folder holding the named SPARQL queries."""
    if (_WHEEL_DATA / "queries").is_dir():
        return _WHEEL_DATA / "queries"
    return _CHECKOUT_ROOT / "queries"


def checkout_root() -> Path | None:
    """The source checkout (where ontology/src lives), or None when running from a wheel."""
    return _CHECKOUT_ROOT if (_CHECKOUT_ROOT / "ontology" / "src").is_dir() else None


