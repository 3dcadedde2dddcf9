"""The site in real headless Chromium with the network blocked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from chainkg_viz.browser import OfflinePage, offline_page

from chainkg.pipeline import BuildReport, build
from chainkg.project import to_networkx
from chainkg.store import open_store
from tests.browser_support import HOSTILE, needs_chromium, write_demo_seeds

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    root = tmp_path_factory.mktemp("demo")
    return build(write_demo_seeds(root / "seeds"), root / "out")


@pytest.fixture(scope="module")
def browser() -> Iterator[OfflinePage]:
    with offline_page() as page:
        yield page


@pytest.fixture()
def op(browser: OfflinePage) -> Iterator[OfflinePage]:
    for log in (browser.requests, browser.blocked, browser.console_errors, browser.page_errors):
        log.clear()
    browser.dialogs.clear()
    yield browser
    assert browser.console_errors == []
    assert browser.page_errors == []
    assert browser.blocked == []
    assert all(u.startswith("file://") for u in browser.requests), browser.requests
    assert browser.dialogs == []  # nothing from the data ran


def test_overview_draws_every_entity_and_legend_filters(demo: BuildReport, op: OfflinePage):
    graph = to_networkx(open_store(demo.files["graph.nq"]))
    op.open_view(demo.out_dir / "site/overview.html")
    counts = op.view_counts()
    n = graph.number_of_nodes()
    assert counts == {"dataset": n, "expected": n, "drawn": n, "visible": n}
    enterprises = Counter(a["type"] for _n, a in graph.nodes(data=True))["Enterprise"]
    assert enterprises == 2
    button = op.page.locator('.legend-item[data-type="Enterprise"]')
    assert button.inner_text() == "企业 (2)"
    button.click()
    after = op.view_counts()
    assert after["visible"] == after["drawn"] == n - enterprises
    button.click()
    assert op.view_counts()["drawn"] == n


def test_hostile_label_shows_as_text_in_tooltip_and_panel(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/overview.html")
    page = op.page
    xy = page.evaluate(
        """() => { const v = window.chainkgView;
                   const p = v.network.getPositions(['ent-hostile'])['ent-hostile'];
                   const d = v.network.canvasToDOM(p);
                   const r = document.getElementById('network').getBoundingClientRect();
                   return [d.x + r.left, d.y + r.top]; }"""
    )
    page.mouse.move(xy[0], xy[1])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert HOSTILE in page.inner_text("div.vis-tooltip")
    page.mouse.click(xy[0], xy[1])
    assert page.inner_text("#info h3") == HOSTILE
    assert page.locator("#info script, #info img").count() == 0


def test_chain_map_draws_segments_actors_and_related(demo: BuildReport, op: OfflinePage):
    graph = to_networkx(open_store(demo.files["graph.nq"]))
    chain = next(n for n, a in graph.nodes(data=True) if a["id"] == "demo-chain")
    segments = {s for s, _o, k in graph.in_edges(chain, keys=True) if k == "inScheme"}
    actors = {
        s
        for seg in segments
        for s, _o, k in graph.in_edges(seg, keys=True)
        if k == "operatesInSegment"
    }
    related = {s for s, _o, k in graph.in_edges(chain, keys=True) if k == "concerns"}
    expected = len({chain} | segments | actors | related)
    assert expected == 7
    op.open_view(demo.out_dir / "site/chains/demo-chain.html")
    assert op.view_counts()["drawn"] == expected
    labels = op.page.evaluate("window.chainkgView.nodes.get().map(n => n.label)")
    assert "整车\n【缺链】" in labels and "材料\n【弱链】" in labels
    op.page.click("text=示例政策")
    assert op.page.url.endswith("entities/demo-policy.html")


def test_ego_network_reachable_from_a_node(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/overview.html")
    op.page.evaluate("window.chainkgView.network.selectNodes(['ent-a'])")
    op.page.evaluate(
        """() => window.chainkgView.network.body.emitter.emit('click',
               {nodes: ['ent-a'], edges: []})"""
    )
    op.page.click("#info >> text=关系网络")
    op.page.wait_for_function("window.chainkgView && window.chainkgView.ready")
    assert op.page.url.endswith("ego/ent-a.html")
    ids = op.page.evaluate("window.chainkgView.nodes.getIds()")
    assert "ent-a" in ids and "seg-1" in ids and "demo-chain" in ids  # 2 hops


def test_entity_page_and_article_highlight(demo: BuildReport, op: OfflinePage):
    op.open(demo.out_dir / "site/entities/ent-hostile.html")
    assert op.page.inner_text("h1") == HOSTILE
    op.page.click(".evidence a")
    mark = op.page.inner_text("#article-text mark")
    assert mark == f"{HOSTILE}公司在示例园区从事电机"


def test_index_search_finds_aliases(demo: BuildReport, op: OfflinePage):
    op.open(demo.out_dir / "site/index.html")
    op.page.fill("#search", "onerror")
    assert op.page.inner_text("#results a") == HOSTILE
    assert op.page.locator("#results img").count() == 0
    assert op.page.locator("table.chains a", has_text="示例产业链").count() >= 1


def test_seed_site_views_draw_the_graph(seed_build: BuildReport, op: OfflinePage):
    site = Path(seed_build.out_dir) / "site"
    graph = to_networkx(open_store(seed_build.files["graph.nq"]))
    timing = op.open_view(site / "overview.html")
    assert op.view_counts()["drawn"] == graph.number_of_nodes()
    assert timing["interactive"] < 3.0
    for page in sorted((site / "chains").glob("*.html"))[:5]:
        op.open_view(page)
        counts = op.view_counts()
        assert counts["drawn"] == counts["expected"] > 0
