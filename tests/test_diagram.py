"""Diagrams drawn by real graphviz from a fresh build: neighbourhoods (SVG, PNG, Mermaid) and the
deep gluteal space schematic, checked against what the ontology says (read here with SPARQL)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from dgs_kg.cli import cli

SVG = "{http://www.w3.org/2000/svg}"
DISCLAIMER = "research and education only, not clinical advice"
P = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX DGS: <https://w3id.org/dgs-kg/DGS_>
PREFIX RO: <http://purl.obolibrary.org/obo/RO_>
"""


@pytest.fixture(scope="module")
def store(built: Path) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(built / "dgs.ttl"), format=ox.RdfFormat.TURTLE)
    return s


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(P + query)
    names = [v.value for v in result.variables]
    return [tuple(row[n].value if row[n] is not None else "" for n in names) for row in result]


def svg_nodes(path: Path) -> dict[str, tuple[str, float, str]]:
    """Each graphviz node: title -> (text joined, mean y of its text lines, i.e. its middle; class)."""
    root = ET.parse(path).getroot()
    out = {}
    for g in root.iter(SVG + "g"):
        cls = g.get("class", "")
        if not cls.startswith("node"):
            continue
        texts = [t for t in g.iter(SVG + "text")]
        title = g.find(SVG + "title")
        out[title.text if title is not None else ""] = (" ".join((t.text or "") for t in texts),
                                                        sum(float(t.get("y")) for t in texts) / len(texts)
                                                        if texts else 0.0, cls)
    return out


def all_text(path: Path) -> str:
    return " ".join((t.text or "") for t in ET.parse(path).getroot().iter(SVG + "text"))


def draw(runner, built: Path, *args: str) -> object:  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["diagram", *args, "--file", str(built / "dgs.ttl")])


def test_neighbourhood_svg_names_the_term_and_its_direct_relations(runner, built: Path, store: ox.Store,
                                                                     tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ps.svg"
    result = draw(runner, built, "piriformis syndrome", "-o", str(out))
    assert result.exit_code == 0, result.output
    nodes = svg_nodes(out)
    labels = {" ".join(text.split()) for text, _, _ in nodes.values()}
    expected = {r[0] for r in select(store, """SELECT ?l WHERE { ?t rdfs:label "piriformis syndrome" .
        { ?t rdfs:subClassOf [ owl:someValuesFrom ?o ] } UNION { ?t rdfs:subClassOf ?o FILTER(isIRI(?o)) }
        UNION { ?o rdfs:subClassOf [ owl:someValuesFrom ?t ] } UNION { ?o rdfs:subClassOf ?t }
        ?o rdfs:label ?l }""")}
    assert len(expected) >= 3
    assert expected | {"piriformis syndrome"} <= labels
    relations = {r[0] for r in select(store, """SELECT ?pl WHERE { ?t rdfs:label "piriformis syndrome" .
        { ?t rdfs:subClassOf [ owl:onProperty ?p ] } UNION { ?o rdfs:subClassOf [ owl:onProperty ?p ;
          owl:someValuesFrom ?t ] } ?p rdfs:label ?pl }""")}
    text = " ".join(all_text(out).split())
    for rel in relations:
        assert rel in text
    assert DISCLAIMER in text


def test_png_and_mermaid_exports(runner, built: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png, mmd = tmp_path / "d.png", tmp_path / "d.mmd"
    assert draw(runner, built, "sciatic nerve", "-o", str(png)).exit_code == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 300 and height > 200
    assert draw(runner, built, "sciatic nerve", "-o", str(mmd)).exit_code == 0
    text = mmd.read_text()
    assert "flowchart LR" in text and '["sciatic nerve"]' in text and DISCLAIMER in text


def ordered_contents(store: ox.Store) -> list[tuple[str, int]]:
    """Structures in (located in) or passing through (overlaps) the space, with their recorded rank."""
    rows = select(store, """SELECT ?l ?order WHERE {
        ?space rdfs:label "deep gluteal space" .
        VALUES ?p { RO:0001025 RO:0002131 }
        ?m rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?space .
        ?ax owl:annotatedSource ?m ; owl:annotatedTarget ?r ; DGS:0000953 ?order .
        ?m rdfs:label ?l } ORDER BY ?order""")
    return [(label, int(order)) for label, order in rows]


def test_schematic_puts_the_short_external_rotators_in_recorded_order(runner, built: Path, store: ox.Store,
                                                                       tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ordered = ordered_contents(store)
    # piriformis, superior gemellus, obturator internus (and/or its tendon), inferior gemellus, quadratus femoris
    assert sorted({rank for _, rank in ordered}) == [1, 2, 3, 4, 5], ordered
    out = tmp_path / "space.svg"
    result = draw(runner, built, "deep gluteal space", "--schematic", "-o", str(out))
    assert result.exit_code == 0, result.output
    contents = [(" ".join(text.split()), y) for text, y, cls in svg_nodes(out).values() if "content" in cls.split()]
    row_y: dict[int, list[float]] = {}
    for label, rank in ordered:
        match = [y for text, y in contents if text == f"{rank}. {label}"]
        assert len(match) == 1, (label, contents)
        row_y.setdefault(rank, []).append(match[0])
    assert all(max(ys) - min(ys) < 2 for ys in row_y.values()), row_y  # a shared rank shares a row
    ys = [row_y[rank][0] for rank in sorted(row_y)]
    assert all(b - a > 20 for a, b in zip(ys, ys[1:])), ys  # SVG y grows downwards: superior first
    frame = [y for text, y, cls in svg_nodes(out).values() if "space" in cls.split()]
    assert frame and frame[0] < ys[0]  # the space's name sits above its contents
    assert DISCLAIMER in " ".join(all_text(out).split())


def test_schematic_draws_every_recorded_boundary_on_its_side(runner, built: Path, store: ox.Store,
                                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = select(store, """SELECT ?pl ?l WHERE { ?space rdfs:label "deep gluteal space" ;
        rdfs:subClassOf [ owl:onProperty ?p ; owl:someValuesFrom ?b ] . ?p rdfs:label ?pl .
        FILTER(STRSTARTS(?pl, "has ") && STRENDS(?pl, " boundary")) ?b rdfs:label ?l }""")
    sides = {(pl.split()[1], label) for pl, label in rows}
    assert {s for s, _ in sides} >= {"superior", "inferior", "medial", "lateral", "anterior", "posterior"}
    out = tmp_path / "space.svg"
    assert draw(runner, built, "deep gluteal space", "--schematic", "-o", str(out)).exit_code == 0
    drawn = {(cls.split()[2], " ".join(text.split()[1:])) for text, _, cls in svg_nodes(out).values()
             if cls.split()[1:2] == ["boundary"]}
    assert drawn == sides


def test_schematic_highlights_the_entrapment_sites_of_a_variant(runner, built: Path, store: ox.Store,
                                                                tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sites = {r[0] for r in select(store, """SELECT ?l WHERE { ?v rdfs:label "ischiofemoral impingement" ;
        rdfs:subClassOf [ owl:onProperty ?p ; owl:someValuesFrom ?s ] .
        VALUES ?p { DGS:0000924 DGS:0000901 DGS:0000902 } ?s rdfs:label ?l }""")}
    assert sites
    out = tmp_path / "ifi.svg"
    result = draw(runner, built, "deep gluteal space", "--schematic", "--highlight", "ischiofemoral impingement",
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    nodes = svg_nodes(out).values()
    lit = {" ".join(text.split()) for text, _, cls in nodes if "highlighted" in cls.split()}
    plain = {" ".join(text.split()) for text, _, cls in nodes if "highlighted" not in cls.split()}
    assert lit, "at least one entrapment site of IFI is drawn in the schematic"
    for text in lit:
        assert any(text.endswith(site) for site in sites), text
    for site in sites:
        assert not any(t.endswith(f". {site}") or t == site for t in plain), site
    assert "ischiofemoral impingement" in " ".join(all_text(out).split())


@pytest.mark.parametrize("args, message", [
    (["no such structure", "-o", "x.svg"], "unknown term"),
    (["piriformis syndrome", "-o", "x.pdf"], "use .svg, .png or .mmd"),
    (["piriformis syndrome", "--schematic", "-o", "x.svg"], "no boundary or 'located in' relations"),
    (["deep gluteal space", "--schematic", "--highlight", "sciatic nerve", "-o", "x.svg"], "no entrapment site"),
    (["piriformis syndrome", "--highlight", "ischiofemoral impingement", "-o", "x.svg"], "--schematic only"),
])
def test_bad_input_is_one_clear_line(runner, built: Path, tmp_path: Path, args: list[str],  # type: ignore[no-untyped-def]
                                     message: str) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = draw(runner, built, *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.output
    assert not list(tmp_path.iterdir())


def test_schematic_as_mermaid_keeps_the_order_and_the_sides(runner, built: Path, store: ox.Store,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    out = tmp_path / "space.mmd"
    result = draw(runner, built, "deep gluteal space", "--schematic", "--highlight", "piriformis syndrome",
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("---\ntitle:") and DISCLAIMER in text and "flowchart TB" in text
    positions = [text.index(f'["{rank}. {label}"]') for label, rank in
                 sorted(ordered_contents(store), key=lambda lr: (lr[1], lr[0]))]
    assert positions == sorted(positions)
    for side in ("superior", "inferior", "medial", "lateral", "anterior", "posterior"):
        assert f"|{side}|" in text
    assert "classDef hl" in text
