"""The static reference site from a fresh build: one page per term, working relative links, sources,
inline diagrams, nothing fetched from the network (the browser search is in test_browser.py)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from dgs_kg.cli import cli

DISCLAIMER = "research and education only, not clinical advice"
pytestmark = pytest.mark.slow


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.fetching: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "h1":
            self._in_h1 = True
        for name in ("src", "srcset", "data"):
            if a.get(name):
                self.fetching.append(a[name] or "")
        if tag == "link" and a.get("href", "").startswith(("http:", "https:", "//")):  # type: ignore[union-attr]
            self.fetching.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


@pytest.fixture(scope="module")
def site(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(cli, ["docs", "-o", str(out), "--file", str(built / "dgs.ttl")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def labels(built: Path) -> dict[str, str]:
    s = ox.Store()
    s.bulk_load(path=str(built / "dgs.ttl"), format=ox.RdfFormat.TURTLE)
    rows = s.query("""PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c ?l WHERE { ?c a owl:Class ; rdfs:label ?l FILTER(isIRI(?c))
        FILTER(?c != <https://w3id.org/dgs-kg/DGS_0000020>) }""")
    return {r["c"].value: r["l"].value for r in rows}


def test_one_page_per_term_with_working_links_and_no_fetches(site: Path, labels: dict[str, str]) -> None:
    pages = sorted((site / "terms").glob("*.html"))
    assert len(pages) == len(labels)
    assert (site / "style.css").is_file()
    titles = set()
    for page in [site / "index.html", *pages]:
        html = page.read_text(encoding="utf-8")
        assert DISCLAIMER in html, page
        parsed = Page()
        parsed.feed(html)
        assert parsed.fetching == [], page
        titles.add(parsed.h1)
        for href in parsed.links:
            url = urlparse(href)
            if url.scheme in ("http", "https"):
                assert url.netloc in ("pubmed.ncbi.nlm.nih.gov", "doi.org"), href
                continue
            assert (page.parent / unquote(url.path)).resolve().is_file(), (page, href)
    assert set(labels.values()) <= titles


def test_term_page_shows_definition_sources_relations_and_diagram(site: Path) -> None:
    html = (site / "terms" / "DGS_0000304.html").read_text(encoding="utf-8")
    assert "<h1>ischiofemoral impingement</h1>" in html
    assert 'class="definition"' in html
    assert re.search(r'<a class="source" href="https://(pubmed\.ncbi\.nlm\.nih\.gov|doi\.org)/', html)
    assert "IFI" in html  # synonym
    assert 'class="relations-out"' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg, "a small neighbourhood diagram is inlined"
    root = ET.fromstring(svg.group(0))
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "ischiofemoral" in texts and DISCLAIMER in " ".join(texts.split())


def test_index_lists_every_category_and_embeds_its_search(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    for category in ("condition", "procedure", "clinical finding", "anatomical entity"):
        assert f"{category} (" in html
    assert 'id="search"' in html and '"l": "ischiofemoral impingement"' in html
