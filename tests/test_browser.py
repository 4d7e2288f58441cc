"""The explorer and the reference site in real headless Chromium (Debian's package, driven by
Playwright), opened from file:// with every non-file request blocked and recorded."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from dgs_kg.cli import cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("DGS_KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DISCLAIMER = "research and education only, not clinical advice"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class OfflinePage:
    """A page where every request that is not file:// is aborted and remembered."""

    def __init__(self, browser: object) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})  # type: ignore[attr-defined]
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("file://"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def explorer(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "explorer.html"
    result = CliRunner().invoke(cli, ["explore", "-o", str(out), "--file", str(built / "dgs.ttl")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture()
def page(browser: object, explorer: Path) -> Iterator[OfflinePage]:
    p = OfflinePage(browser)
    p.page.goto(explorer.as_uri())
    p.page.wait_for_function("window.dgsExplorer && window.dgsExplorer.ready === true", timeout=60_000)
    yield p
    p.page.close()
    assert p.errors == []


def test_explorer_renders_search_focus_and_details_offline(page: OfflinePage) -> None:
    pg = page.page
    total = pg.evaluate("dgsExplorer.data.nodes.length")
    rendered = pg.evaluate("dgsExplorer.cy.nodes().filter(n => n.visible() && n.renderedBoundingBox().w > 0).length")
    assert total > 100 and rendered == total
    assert DISCLAIMER in pg.inner_text("header")

    pg.fill("#search", "quadratus femoris")
    pg.press("#search", "Enter")
    focused = pg.evaluate("dgsExplorer.focused")
    assert pg.evaluate(f"dgsExplorer.cy.getElementById('{focused}').data('label')") == "quadratus femoris"
    assert pg.evaluate("dgsExplorer.cy.nodes(':selected').map(n => n.data('label'))") == ["quadratus femoris"]
    # focused means in view, near the middle of the graph pane
    box = pg.locator("#cy").bounding_box()
    pos = pg.evaluate(f"dgsExplorer.cy.getElementById('{focused}').renderedPosition()")
    assert abs(pos["x"] - box["width"] / 2) < 5 and abs(pos["y"] - box["height"] / 2) < 5

    # drag the view so the left strip of the pane is empty, click there (details clear), then click
    # the node itself with the mouse
    dx = pg.evaluate("(() => { const bb = dgsExplorer.cy.elements().renderedBoundingBox({includeLabels: true});"
                     " const dx = 120 - bb.x1; dgsExplorer.cy.panBy({x: dx, y: 0}); return dx; })()")
    pg.mouse.click(box["x"] + 40, box["y"] + box["height"] / 2)
    pg.evaluate(f"dgsExplorer.cy.panBy({{x: {-dx}, y: 0}})")
    assert pg.evaluate("dgsExplorer.shown") is None
    assert "quadratus femoris" not in pg.inner_text("#details")
    pos = pg.evaluate(f"dgsExplorer.cy.getElementById('{focused}').renderedPosition()")
    pg.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    pg.wait_for_selector("#detail-label")
    assert pg.inner_text("#detail-label") == "quadratus femoris"
    definition = pg.evaluate(f"dgsExplorer.data.nodes.find(n => n.id === '{focused}').def")
    assert definition and pg.inner_text("#detail-definition") == definition
    links = pg.eval_on_selector_all("#detail-sources a.source", "as => as.map(a => [a.textContent, a.href])")
    assert links, "quadratus femoris is cited (its located-in axiom has a source)"
    for text, href in links:
        assert href.startswith(("https://pubmed.ncbi.nlm.nih.gov/", "https://doi.org/")), href
        assert text.split()[0].split(":", 1)[1] in href.replace("%2F", "/")
    assert "located in" in pg.inner_text("#details")
    SCREENSHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / "explorer-quadratus-femoris.png"))
    assert page.blocked == []


def _poll(pg: object, expression: str, seconds: float = 10.0) -> None:
    """Evaluate ``expression`` until it is true or ``seconds`` pass. The explorer's Content Security
    Policy forbids eval, which Playwright's wait_for_function needs, so poll with evaluate()."""
    deadline = time.monotonic() + seconds
    while not pg.evaluate(expression):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {expression}")
        time.sleep(0.05)


def test_filters_focus_and_path(page: OfflinePage) -> None:
    pg = page.page
    procedures = pg.evaluate("dgsExplorer.data.nodes.filter(n => n.category === 'procedure').length")
    assert procedures > 0
    pg.uncheck("input[data-category='procedure']")
    # Cytoscape may apply the style change on its next frame: wait for it (bounded), then assert.
    hidden = "dgsExplorer.cy.nodes().filter(n => !n.visible()).length"
    _poll(pg, f"{hidden} === {procedures}")
    assert pg.evaluate(hidden) == procedures
    pg.check("input[data-category='procedure']")
    pg.uncheck("input[data-relation='is a']")
    _poll(pg, "dgsExplorer.cy.edges().filter(e => !e.visible()).length > 0")
    hidden_edges = pg.evaluate("dgsExplorer.cy.edges().filter(e => !e.visible()).map(e => e.data('label'))")
    assert hidden_edges and set(hidden_edges) == {"is a"}
    pg.click("#reset-btn")

    options = pg.eval_on_selector_all("#term-list option", "os => os.map(o => [o.value, o.label])")
    values = {v for v, _ in options}
    assert {"ischiofemoral impingement", "IFI", "quadratus femoris"} <= values  # labels and synonyms complete
    assert ["IFI", "IFI (synonym of ischiofemoral impingement)"] in [list(o) for o in options]

    pg.fill("#search", "IFI")  # a synonym finds its term
    pg.press("#search", "Enter")
    assert pg.evaluate("dgsExplorer.cy.getElementById(dgsExplorer.focused).data('label')") == \
        "ischiofemoral impingement"
    pg.click("#focus-btn")
    shown = set(pg.evaluate("dgsExplorer.cy.nodes().filter(n => n.visible()).map(n => n.id())"))
    expected = set(pg.evaluate("dgsExplorer.cy.getElementById(dgsExplorer.focused).closedNeighborhood()"
                               ".nodes().map(n => n.id())"))
    assert shown == expected and len(shown) > 2

    pg.click("#reset-btn")
    pg.fill("#path-from", "piriformis syndrome")
    pg.fill("#path-to", "quadratus femoris")
    pg.click("#path-btn")
    status = pg.inner_text("#status")
    assert status.startswith("path: piriformis syndrome") and status.endswith("quadratus femoris")
    assert pg.evaluate("dgsExplorer.cy.edges('.path').length") >= 1
    assert page.blocked == []


def test_reference_site_search_works_offline(browser: object, built: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["docs", "-o", str(site), "--no-diagrams", "--file", str(built / "dgs.ttl")])
    assert result.exit_code == 0, result.output
    p = OfflinePage(browser)
    p.page.goto((site / "index.html").as_uri())
    p.page.fill("#search", "IFI")
    p.page.wait_for_selector("#results li a")
    assert "ischiofemoral impingement" in p.page.inner_text("#results")
    p.page.click("#results li a >> text=ischiofemoral impingement")
    p.page.wait_for_selector("h1")
    assert p.page.inner_text("h1") == "ischiofemoral impingement"
    assert DISCLAIMER in p.page.inner_text("header")
    assert p.blocked == [] and p.errors == []
    p.page.close()
