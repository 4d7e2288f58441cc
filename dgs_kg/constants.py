"""IRIs, the CURIE prefix map and where the packaged artefacts live.

Plain strings and ``os.path``: every command imports this module, and ``dgs-kg query`` must start
about as fast as a bare pyoxigraph script (pathlib alone costs a few milliseconds to import).
"""
from __future__ import annotations

import os
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # curies pulls in pydantic; imported only when a converter is needed
    from pathlib import Path

    import curies

#: Shown wherever results are shown.
DISCLAIMER = "dgs-kg is for research and education only; it is not clinical advice."

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


_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
#: Inside a wheel the artefacts are copied to dgs_kg/_data; in a source checkout they sit in ontology/.
_WHEEL_DATA = os.path.join(_PACKAGE_DIR, "_data")
_CHECKOUT_ROOT = os.path.dirname(_PACKAGE_DIR)


def data_folder() -> str:
    """Folder holding the built ontology artefacts (wheel copy first, then the checkout), as a string."""
    wheel = os.path.join(_WHEEL_DATA, "ontology")
    return wheel if os.path.isdir(wheel) else os.path.join(_CHECKOUT_ROOT, "ontology")


def queries_folder() -> str:
    """Folder holding the named SPARQL queries, as a string."""
    wheel = os.path.join(_WHEEL_DATA, "queries")
    return wheel if os.path.isdir(wheel) else os.path.join(_CHECKOUT_ROOT, "queries")


def data_dir() -> Path:
    """Folder holding the built ontology artefacts (wheel copy first, then the checkout)."""
    from pathlib import Path

    return Path(data_folder())


def queries_dir() -> Path:
    """Folder holding the named SPARQL queries."""
    from pathlib import Path

    return Path(queries_folder())


def checkout_root() -> Path | None:
    """The source checkout (where ontology/src lives), or None when running from a wheel."""
    from pathlib import Path

    return Path(_CHECKOUT_ROOT) if os.path.isdir(os.path.join(_CHECKOUT_ROOT, "ontology", "src")) else None
