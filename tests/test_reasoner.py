"""HermiT finds the real ontology consistent and the OWL API finds it inside OWL 2 DL.

Each check is also shown to fail on a deliberately broken input, so a green run means something.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dgs_kg.reason import owl2_dl_violations, run_hermit

pytestmark = pytest.mark.reasoner

BROKEN_DL = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/o> a owl:Ontology .
<http://example.org/p> a owl:ObjectProperty, owl:TransitiveProperty .
<http://example.org/A> a owl:Class ; rdfs:subClassOf [ a owl:Restriction ;
    owl:onProperty <http://example.org/p> ; owl:minCardinality "1"^^xsd:nonNegativeInteger ] .
"""


@pytest.mark.parametrize("name", ["dgs.owl", "dgs-base.owl"])
def test_artefact_is_in_owl2_dl_profile(built: Path, name: str) -> None:
    assert owl2_dl_violations(built / name) == []


def test_profile_checker_reports_a_real_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BROKEN_DL)
    violations = owl2_dl_violations(bad)
    assert len(violations) == 1 and "non-simple property" in violations[0]


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(built: Path) -> None:
    result = run_hermit([built / "dgs.owl"])
    assert result.consistent
    assert result.unsatisfiable == []


def test_hermit_detects_a_class_under_two_disjoint_categories(built: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/Broken> a owl:Class ; rdfs:label "broken term" ;
    rdfs:subClassOf <https://w3id.org/dgs-kg/DGS_0000010>, <https://w3id.org/dgs-kg/DGS_0000012> .
""")
    result = run_hermit([built / "dgs.owl", extra])
    assert result.consistent
    assert result.unsatisfiable == [("http://example.org/Broken", "broken term")]
