"""`chainkg serve` rendering the site on request (a streaming build writes no site): the pages
over HTTP, which mode `auto` picks, and the pages in real headless Chromium, offline."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from chainkg.pipeline import BuildReport
from chainkg.project import to_networkx
from chainkg.server import ChainkgServer, ServeConfig
from chainkg.store import open_store
from chainkg_viz.browser import OfflinePage, offline_page
from chainkg_viz.data import slug
from tests.browser_support import needs_chromium
from tests.chainkg.server.serving import http, serving

HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def server(streamed_build: BuildReport) -> Iterator[ChainkgServer]:
    with serving(
        streamed_build.files["store"], pages="auto", site_dir=streamed_build.out_dir / "site"
    ) as running:
        yield running


@pytest.fixture(scope="module")
def keys(streamed_build: BuildReport) -> dict[str, list[str]]:
    """Page keys by type, from the whole projection (small enough at this size)."""
    graph = to_networkx(open_store(streamed_build.files["store"]))
    out: dict[str, list[str]] = {}
    for _node, attrs in sorted(graph.nodes(data=True)):
        out.setdefault(attrs["type"], []).append(slug(attrs["id"]))
    return out


@pytest.fixture(scope="module")
def firm_label(streamed_build: BuildReport, keys: dict[str, list[str]]) -> tuple[str, str]:
    """(key, Chinese label) of an enterprise the home page at scale does not embed."""
    graph = to_networkx(open_store(streamed_build.files["store"]))
    key = keys["Enterprise"][3]
    label = next(a["label"] for _n, a in graph.nodes(data=True) if slug(a["id"]) == key)
    return key, label


def test_auto_renders_pages_when_the_build_wrote_no_site(server: ChainkgServer) -> None:
    assert server.live is not None


def test_auto_serves_a_current_static_site(seed_build: BuildReport) -> None:
    site = seed_build.out_dir / "site"
    with serving(seed_build.files["graph.nq"], pages="auto", site_dir=site) as running:
        assert running.live is None
        status, _, body = http(running, "/site/index.html")
        assert status == 200 and body == (site / "index.html").read_bytes()


def test_pages_over_http(server: ChainkgServer, keys: dict[str, list[str]]) -> None:
    chain, firm, segment = (
        keys["IndustrialChain"][0],
        keys["Enterprise"][3],
        keys["ChainSegment"][0],
    )
    for path, needle in [
        ("/site/", "缺链"),
        ("/site/overview.html", 'id="view-data"'),
        (f"/site/chains/{chain}.html", 'id="view-data"'),
        (f"/site/entities/{firm}.html", f"/{firm}</code>"),
        (f"/site/ego/{firm}.html", 'id="view-data"'),
        (f"/site/segments/{segment}.html?page=1", 'id="listing"'),
        ("/site/gaps/index.html", "缺链弱链报告"),
    ]:
        status, ctype, body = http(server, path)
        assert (status, ctype) == (200, HTML), path
        assert needle in body.decode("utf-8"), path
    status, ctype, body = http(server, "/site/static/vis-network.min.js")
    assert status == 200 and b"vis-network" in body[:2000]
    assert http(server, "/site/static/site.css")[0] == 200
    for export in ("graph.graphml", "graph.gexf"):  # the home page links them
        status, ctype, body = http(server, f"/site/export/{export}")
        assert status == 200 and ctype.startswith("application/xml") and b"<node" in body
    for missing in ["/site/entities/no-such-firm.html", "/site/static/../../x", "/site/x.html"]:
        assert http(server, missing)[0] == 404, missing
    assert http(server, f"/site/segments/{segment}.html?page=999")[0] == 404


def test_the_home_search_asks_the_name_index(
    server: ChainkgServer, firm_label: tuple[str, str]
) -> None:
    key, label = firm_label
    home = http(server, "/site/")[2].decode("utf-8")
    assert 'data-source="search.json"' in home and f"entities/{key}.html" not in home
    status, ctype, body = http(server, "/site/search.json?text=" + quote(label))
    assert (status, ctype) == (200, "application/json")
    hits = json.loads(body)
    assert {"key": key, "label": label, "type": "企业", "aliases": ""} in hits
    assert json.loads(http(server, "/site/search.json?text=" + quote("没有这个名字"))[2]) == []


@pytest.fixture(scope="module")
def browser(server: ChainkgServer) -> Iterator[OfflinePage]:
    with offline_page(1280, 800, allow=(server.url + "/",)) as page:
        yield page


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $CHAINKG_SCREENSHOTS when set, else a temporary folder."""
    wanted = os.environ.get("CHAINKG_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


@pytest.mark.browser
@needs_chromium
def test_served_pages_in_chromium(
    server: ChainkgServer,
    browser: OfflinePage,
    keys: dict[str, list[str]],
    firm_label: tuple[str, str],
    shots: Path,
) -> None:
    chain, firm = keys["IndustrialChain"][0], keys["Enterprise"][3]
    page = browser.page
    for name, path in [
        ("served-chain-map", f"/site/chains/{chain}.html"),
        ("served-ego", f"/site/ego/{firm}.html"),
        ("served-overview", "/site/overview.html"),
    ]:
        page.goto(server.url + path, wait_until="commit")
        page.wait_for_function("window.chainkgView && window.chainkgView.ready", timeout=60_000)
        counts = page.evaluate("window.chainkgView.network.body.nodeIndices.length")
        assert counts > 1, path
        page.wait_for_timeout(200)
        page.screenshot(path=str(shots / f"{name}.png"))
    page.goto(f"{server.url}/site/chains/{chain}.html", wait_until="load")
    listing = page.locator("#segment-listings a").first
    listing.click()
    page.wait_for_load_state("load")
    assert re.search(r"/site/segments/[^/]+\.html$", page.url)
    rows = page.locator("#listing tr").count()
    assert rows > 20  # the header and every actor of a crowded segment (a page)
    page.locator("#listing a").first.click()
    page.wait_for_load_state("load")
    assert "/site/entities/" in page.url and page.locator("h2", has_text="关系").count() == 1
    page.screenshot(path=str(shots / "served-entity.png"), full_page=False)
    key, label = firm_label  # the home page's search finds a firm it does not embed
    page.goto(f"{server.url}/site/", wait_until="load")
    page.fill("#search", label)
    page.locator(f'#results a[href="entities/{key}.html"]').wait_for(timeout=10_000)
    page.evaluate("document.getElementById('search').scrollIntoView()")
    page.screenshot(path=str(shots / "served-search.png"), full_page=False)
    assert browser.console_errors == [] and browser.page_errors == []
    assert browser.blocked == []
    assert all(u.startswith(server.url) for u in browser.requests), browser.requests


def test_an_unknown_pages_mode_is_refused_before_anything_starts(
    streamed_build: BuildReport,
) -> None:
    config = ServeConfig(graph=streamed_build.files["store"], port=0, pages="dynamic")
    with pytest.raises(ValueError, match="pages must be auto, static or live, not 'dynamic'"):
        ChainkgServer(config)
