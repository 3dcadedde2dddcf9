"""The query page of `chainkg serve` in real headless Chromium: the bundled SPARQL editor,
completion, prefix warnings, sortable results linked to the site, charts and share links."""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainkg.pipeline import BuildReport
from chainkg.server import ChainkgServer
from chainkg.vocab import PREFIXES
from chainkg_viz.browser import OfflinePage, offline_page
from tests.browser_support import needs_chromium
from tests.chainkg.server.serving import serving
from tests.helpers import REPO

pytestmark = [pytest.mark.browser, needs_chromium]
STATIC = REPO / "graph" / "chainkg" / "static"


@pytest.fixture(scope="module")
def server(seed_build: BuildReport) -> Iterator[ChainkgServer]:
    with serving(
        seed_build.files["graph.nq"],
        time_limit=60,
        site_dir=seed_build.out_dir / "site",
    ) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: ChainkgServer) -> Iterator[OfflinePage]:
    with offline_page(1280, 900, allow=(server.url + "/",)) as page:
        yield page


@pytest.fixture()
def op(browser: OfflinePage, server: ChainkgServer) -> Iterator[OfflinePage]:
    for log in (browser.requests, browser.blocked, browser.console_errors, browser.page_errors):
        log.clear()
    yield browser
    assert browser.console_errors == [] and browser.page_errors == []
    assert browser.blocked == []
    assert all(u.startswith(server.url) for u in browser.requests), browser.requests


def _wait(op: OfflinePage, script: str, timeout: float = 30.0) -> None:
    """Poll a function in the page (the page's CSP forbids the string eval that playwright's
    wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not op.page.evaluate(script):
        if time.monotonic() > deadline:
            raise TimeoutError(script)
        time.sleep(0.05)


def _open(op: OfflinePage, server: ChainkgServer, query: str = "") -> None:
    op.page.goto(server.url + "/" + query)
    _wait(op, "() => document.body.dataset.ready === '1'")


def _type_query(op: OfflinePage, text: str) -> None:
    op.page.evaluate("(t) => { window.chainkgEditor.value = t; }", text)


def _run(op: OfflinePage) -> None:
    op.page.click("#run")
    _wait(op, "() => /row\\(s\\)|HTTP|answer/.test(document.getElementById('status').textContent)")


def test_prefixes_file_is_the_vocabulary() -> None:
    assert json.loads((STATIC / "prefixes.json").read_text(encoding="utf-8")) == PREFIXES
    assert (STATIC / "sparql-editor.LICENSE.txt").read_text(encoding="utf-8").count("MIT") >= 2


def test_editor_highlights_and_completes_ontology_terms(op: OfflinePage, server: ChainkgServer):
    _open(op, server)
    assert op.page.locator("#editor .cm-editor").count() == 1  # the bundled CodeMirror
    assert not op.page.locator("#query").is_visible()
    _wait(op, "() => Number(document.getElementById('editor').dataset.terms) > 20")
    _type_query(op, "SELECT ?s WHERE { ?s a ckg:Enterprise }")
    keyword = op.page.locator("#editor .cm-line span", has_text="SELECT").first
    assert keyword.evaluate("e => getComputedStyle(e).color") != op.page.locator(
        "#editor .cm-content"
    ).evaluate("e => getComputedStyle(e).color")
    op.page.evaluate("window.chainkgEditor.value = ''")
    op.page.click("#editor .cm-content")
    op.page.keyboard.type("SELECT ?e WHERE { ?e a ckg:Enterp")
    op.page.wait_for_selector(".cm-tooltip-autocomplete li:has-text('ckg:Enterprise')")
    options = op.page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert options[0].startswith("ckg:Enterprise"), options  # with its Chinese label
    assert "企业" in options[0]
    op.page.wait_for_selector(
        ".cm-tooltip-autocomplete li[aria-selected]:has-text('ckg:Enterprise')"
    )
    op.page.wait_for_timeout(300)  # CodeMirror ignores Enter for 75 ms after the list opens
    op.page.keyboard.press("Enter")
    _wait(op, "() => window.chainkgEditor.value.includes('ckg:Enterprise')", timeout=5)


def test_unknown_prefix_is_warned(op: OfflinePage, server: ChainkgServer):
    _open(op, server)
    _type_query(op, "SELECT ?e WHERE { ?e a ckgx:Enterprise }")
    op.page.wait_for_selector("#warnings li")
    assert "ckgx:" in op.page.inner_text("#warnings")
    _type_query(op, "PREFIX ckg: <urn:other#>\nSELECT ?e WHERE { ?e a ckg:Enterprise }")
    _wait(op, "() => document.getElementById('warnings').textContent.includes('urn:other')")
    _run(op)
    assert "前缀" in op.page.inner_text("#status")  # 0 rows is not silent
    _type_query(op, "SELECT ?e WHERE { ?e a ckg:Enterprise } LIMIT 3")
    _wait(op, "() => document.getElementById('warnings').hidden")


def test_results_sort_link_the_site_and_hide_language_tags(op: OfflinePage, server: ChainkgServer):
    _open(op, server)
    _type_query(
        op,
        "SELECT ?e ?label ?n WHERE { ?e a ckg:Enterprise ; rdfs:label ?label . "
        'FILTER(LANG(?label) = "zh") '
        "{ SELECT ?e (COUNT(?x) AS ?n) WHERE { ?e ?p ?x } GROUP BY ?e } } LIMIT 40",
    )
    _run(op)
    rows = op.page.locator("table.results tbody tr")
    assert rows.count() == 40
    assert "@zh" not in op.page.inner_text("table.results")
    op.page.wait_for_selector("table.results a.local")
    href = op.page.locator("table.results a.local").first.get_attribute("href")
    assert href.startswith("/site/entities/") and href.endswith(".html")
    op.page.click("table.results th button:text-is('n')")
    values = [int(v) for v in op.page.locator("table.results tbody td.num").all_inner_texts()]
    assert values == sorted(values)
    op.page.click("table.results th button:text-is('n')")
    values = [int(v) for v in op.page.locator("table.results tbody td.num").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    op.page.locator("table.results a.local").first.click()
    op.page.wait_for_load_state()
    assert "/site/entities/" in op.page.url and op.page.locator("h1").count() == 1


def test_two_column_numbers_draw_a_bar_chart(op: OfflinePage, server: ChainkgServer):
    _open(op, server, "?q=counts-per-class")
    _run(op)
    shots = os.environ.get("CHAINKG_SCREENSHOTS")
    if shots:
        op.page.screenshot(path=str(Path(shots) / "query-page.png"))
    bars = op.page.locator(".chart .bar-row")
    rows = op.page.locator("table.results tbody tr").count()
    assert bars.count() == rows > 5
    widths = op.page.locator(".chart .bar").evaluate_all("bs => bs.map(b => b.style.width)")
    assert max(float(w.rstrip("%")) for w in widths) == 100.0


def test_share_link_keeps_query_parameters_and_text(op: OfflinePage, server: ChainkgServer):
    _open(op, server, "?q=segment-enterprises")
    op.page.fill("#params input[data-param='chain']", "新能源汽车")
    _type_query(op, op.page.evaluate("window.chainkgEditor.value") + "\n# edited by hand")
    link = op.page.get_attribute("#share", "href")
    params = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)
    assert params["q"] == ["segment-enterprises"] and params["p.chain"] == ["新能源汽车"]
    assert params["query"][0].endswith("# edited by hand")
    op.page.goto(link)
    _wait(op, "() => document.body.dataset.ready === '1'")
    assert op.page.input_value("#params input[data-param='chain']") == "新能源汽车"
    assert op.page.evaluate("window.chainkgEditor.value").endswith("# edited by hand")
    _run(op)
    assert op.page.locator("table.results tbody tr").count() > 0


def test_named_query_list_hides_internal_queries(op: OfflinePage, server: ChainkgServer):
    _open(op, server)
    options = op.page.locator("#named option").all_inner_texts()
    assert options and not any(o.startswith("gap-") for o in options)
    assert all(len(o) < 120 for o in options)
    op.page.check("#show-internal")
    assert any(o.startswith("gap-") for o in op.page.locator("#named option").all_inner_texts())
    box = op.page.locator("#named").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280


def test_query_page_fits_a_phone(op: OfflinePage, server: ChainkgServer):
    op.page.set_viewport_size({"width": 390, "height": 844})
    try:
        _open(op, server)
        assert op.page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        op.page.set_viewport_size({"width": 1280, "height": 900})
