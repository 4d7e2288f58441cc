"""The offline explorer file and the graph exports, from a fresh build (no browser here; see
test_browser.py for the page in real Chromium)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from dgs_kg.cli import cli

DISCLAIMER = "research and education only, not clinical advice"
P = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
"""


@pytest.fixture(scope="module")
def store(built: Path) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(built / "dgs.ttl"), format=ox.RdfFormat.TURTLE)
    return s


def count(store: ox.Store, where: str) -> int:
    rows = list(store.query(P + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


SOURCED_RELATIONSHIPS = """SELECT DISTINCT ?c ?p ?o WHERE { ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ;
    owl:someValuesFrom ?o . ?ax owl:annotatedSource ?c ; owl:annotatedTarget ?r ; oboInOwl:source ?s }"""


class Resources(HTMLParser):
    """Collects every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster") or (tag == "link" and name == "href"):
                self.fetching.append((tag, name, value or ""))


@pytest.fixture(scope="module")
def explorer(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("explore") / "explorer.html"
    result = CliRunner().invoke(cli, ["explore", "-o", str(out), "--file", str(built / "dgs.ttl")])
    assert result.exit_code == 0, result.output
    assert DISCLAIMER in result.output
    return out


def test_explorer_is_one_self_contained_file(explorer: Path) -> None:
    html = explorer.read_text(encoding="utf-8")
    parser = Resources()
    parser.feed(html)
    assert parser.fetching == []  # no <script src>, <link href>, <img src>, ...
    assert "default-src 'none'" in html  # and the page forbids every fetch anyway
    assert re.search(r"url\(\s*['\"]?https?:", html) is None and "@import" not in html
    assert "The Cytoscape Consortium" in html  # the vendored library with its licence header, inlined
    assert DISCLAIMER in html


def embedded(explorer: Path) -> dict:
    html = explorer.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="dgs-data">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_explorer_embeds_every_term_and_sourced_relationship(explorer: Path, store: ox.Store) -> None:
    data = embedded(explorer)
    classes = count(store, "SELECT DISTINCT ?c WHERE { ?c a owl:Class ; rdfs:label ?l FILTER(isIRI(?c)) "
                           "FILTER(?c != <https://w3id.org/dgs-kg/DGS_0000020>) }")
    assert len(data["nodes"]) == classes
    sourced = [e for e in data["edges"] if e["src"]]
    assert len({(e["s"], e["rel"], e["o"]) for e in sourced}) == count(store, SOURCED_RELATIONSHIPS)
    for e in sourced:
        assert all(re.fullmatch(r"(PMID:\d+|doi:10\.\S+)", s) for s in e["src"]), e
    by_id = {n["id"]: n for n in data["nodes"]}
    dgs = by_id["DGS:0000001"]
    assert dgs["label"] == "deep gluteal syndrome" and dgs["category"] == "condition" and dgs["defsrc"]
    categories = {c["name"] for c in data["categories"]}
    assert {"condition", "procedure", "clinical finding", "anatomical entity"} <= categories
    assert len({c["colour"] for c in data["categories"]}) == len(categories)
    assert {n["category"] for n in data["nodes"]} <= categories


def test_quadratus_femoris_carries_its_ordered_location(explorer: Path) -> None:
    data = embedded(explorer)
    qf = [n for n in data["nodes"] if n["label"] == "quadratus femoris"]
    assert len(qf) == 1
    located = [e for e in data["edges"] if e["s"] == qf[0]["id"] and e["rel"] == "located in"]
    assert any(e["q"].get("superior-to-inferior order") == "5" and e["src"] for e in located), located


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape"])
def test_exports_hold_the_sourced_relationships(fmt: str, built: Path, store: ox.Store, runner,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    out = tmp_path / f"dgs.{fmt}"
    result = runner.invoke(cli, ["export", "--format", fmt, "-o", str(out), "--file", str(built / "dgs.ttl")])
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        g = nx.read_graphml(out)
    elif fmt == "gexf":
        g = nx.read_gexf(out)
    else:
        g = nx.cytoscape_graph(json.loads(out.read_text()))
    sourced = {(s, d["relation"], o) for s, o, d in g.edges(data=True) if d.get("sources")}
    assert len(sourced) == count(store, SOURCED_RELATIONSHIPS)
    node = "DGS:0000001" if fmt != "gexf" else next(n for n, d in g.nodes(data=True) if d.get("label") ==
                                                       "deep gluteal syndrome")
    assert g.nodes[node]["label"] == "deep gluteal syndrome" or g.nodes[node].get("label") == "deep gluteal syndrome"
    assert g.nodes[node]["category"] == "condition"
    assert DISCLAIMER in out.read_text(encoding="utf-8")
    if fmt != "cytoscape":
        ET.parse(out)  # well-formed XML


def test_export_refuses_a_missing_ontology_file(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["export", "--format", "gexf", "-o", str(tmp_path / "x.gexf"),
                                 "--file", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2
    assert "missing.ttl" in result.output and len(result.output.strip().splitlines()) == 1
