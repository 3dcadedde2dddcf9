"""The site in real headless Chromium with the network blocked."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chainkg.pipeline import BuildReport, build
from chainkg.project import to_networkx
from chainkg.store import open_store
from chainkg_viz.browser import OfflinePage, offline_page
from chainkg_viz.views import OVERVIEW_HIDDEN
from tests.browser_support import HOSTILE, needs_chromium, write_demo_seeds

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go to be looked at: $CHAINKG_SCREENSHOTS (e.g. docs/screenshots)
    when set, else a temporary folder."""
    wanted = os.environ.get("CHAINKG_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


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
    browser.page.set_viewport_size({"width": 1280, "height": 800})
    yield browser
    assert browser.console_errors == []
    assert browser.page_errors == []
    assert browser.blocked == []
    assert all(u.startswith("file://") for u in browser.requests), browser.requests
    assert browser.dialogs == []  # nothing from the data ran


def test_overview_opens_without_statistics_and_programs(demo: BuildReport, op: OfflinePage):
    graph = to_networkx(open_store(demo.files["graph.nq"]))
    op.open_view(demo.out_dir / "site/overview.html")
    counts = op.view_counts()
    n = graph.number_of_nodes()
    types = Counter(a["type"] for _n, a in graph.nodes(data=True))
    hidden = sum(types[t] for t in OVERVIEW_HIDDEN)
    assert hidden == 1  # the demo program
    assert counts == {"dataset": n, "expected": n, "drawn": n - hidden, "visible": n - hidden}
    programs = op.page.locator('.legend-item[data-type="GovernmentProgram"]')
    assert "off" in programs.get_attribute("class")
    programs.click()
    assert op.view_counts()["drawn"] == n
    assert types["Enterprise"] == 2
    button = op.page.locator('.legend-item[data-type="Enterprise"]')
    assert button.inner_text() == "企业 (2)"
    button.click()
    after = op.view_counts()
    assert after["visible"] == after["drawn"] == n - 2
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


def _click_node(op: OfflinePage, node_id: str) -> None:
    """A real mouse click on a drawn node."""
    xy = op.page.evaluate(
        """(id) => { const v = window.chainkgView;
                   const p = v.network.getPositions([id])[id];
                   const d = v.network.canvasToDOM(p);
                   const r = document.getElementById('network').getBoundingClientRect();
                   return [d.x + r.left, d.y + r.top]; }""",
        node_id,
    )
    op.page.mouse.click(xy[0], xy[1])


def test_chain_map_collapses_related_items_into_counts(demo: BuildReport, op: OfflinePage):
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
    assert len(related) == 1 and len({chain} | segments | actors) == 6
    op.open_view(demo.out_dir / "site/chains/demo-chain.html")
    counts = op.view_counts()
    # the chain, segments and actors, plus one count node standing for the program
    assert counts["drawn"] == 7 and counts["dataset"] == 8
    labels = op.page.evaluate("window.chainkgView.nodes.get().map(n => n.label)")
    assert "整车\n【缺链】" in labels and "材料\n【弱链】" in labels
    assert "政府举措 (1) ▸" in labels
    _click_node(op, "group-GovernmentProgram")
    assert op.view_counts()["drawn"] == 8
    assert not op.page.evaluate("window.chainkgView.nodes.get('demo-policy').hidden")
    edge_labels = op.page.evaluate("window.chainkgView.edges.get().map(e => e.title)")
    assert "inScheme" not in edge_labels  # predicates shown with human labels
    op.page.click("#side >> text=示例政策")
    assert op.page.url.endswith("entities/demo-policy.html")


def test_chain_map_panel_shows_evidence_and_gap_report(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/chains/demo-chain.html")
    side = op.page.locator("#side").bounding_box()
    report = op.page.locator("#side a", has_text="缺链弱链报告")
    box = report.bounding_box()
    assert box is not None and side is not None and box["y"] + box["height"] < 200
    _click_node(op, "ent-a")
    assert op.page.inner_text("#info h3") == "示例企业甲"
    assert "「示例企业甲在示例园区」" in op.page.inner_text("#info .node-evidence")
    op.page.click("#info .node-evidence a")
    assert op.page.inner_text("#article-text mark") == "示例企业甲在示例园区"


def test_chain_map_zoom_fit_and_search(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/chains/demo-chain.html")
    scale = op.page.evaluate("window.chainkgView.network.getScale()")
    op.page.click("#zoom-in")
    zoomed = op.page.evaluate("window.chainkgView.network.getScale()")
    assert zoomed == pytest.approx(scale * 1.25)
    op.page.click("#zoom-out")
    op.page.click("#zoom-out")
    assert op.page.evaluate("window.chainkgView.network.getScale()") < scale
    op.page.fill("#map-search", "onerror")  # an alias
    hit = op.page.locator("#map-hits .hit")
    assert hit.count() == 1 and hit.inner_text() == HOSTILE
    hit.click()
    assert op.page.evaluate("window.chainkgView.network.getSelectedNodes()") == ["ent-hostile"]
    assert op.page.inner_text("#info h3") == HOSTILE
    op.page.fill("#map-search", "示例政策")  # a collapsed program opens when found
    op.page.press("#map-search", "Enter")
    assert not op.page.evaluate("window.chainkgView.nodes.get('demo-policy').hidden")


def test_ego_network_stops_at_hubs(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/overview.html")
    op.page.evaluate(
        """() => window.chainkgView.network.body.emitter.emit('click',
               {nodes: ['ent-a'], edges: []})"""
    )
    op.page.click("#info >> text=关系网络")
    op.page.wait_for_function("window.chainkgView && window.chainkgView.ready")
    assert op.page.url.endswith("ego/ent-a.html")
    ids = op.page.evaluate("window.chainkgView.nodes.getIds()")
    assert {"ent-a", "seg-1", "demo-chain", "demo-zone"} <= set(ids)  # up to 2 hops
    # the other firm is two hops away only through the zone (a hub): not drawn
    assert "ent-hostile" not in ids
    op.page.fill("#map-search", "示例园区")
    assert op.page.locator("#map-hits .hit").first.inner_text() == "示例园区"


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


def test_seed_site_views_draw_the_graph(seed_build: BuildReport, op: OfflinePage, shots: Path):
    site = Path(seed_build.out_dir) / "site"
    graph = to_networkx(open_store(seed_build.files["graph.nq"]))
    types = Counter(a["type"] for _n, a in graph.nodes(data=True))
    op.page.set_viewport_size({"width": 1440, "height": 900})
    timing = op.open_view(site / "overview.html")
    op.page.screenshot(path=str(shots / "overview.png"))
    opened = graph.number_of_nodes() - sum(types[t] for t in OVERVIEW_HIDDEN)
    assert op.view_counts()["drawn"] == opened
    assert timing["interactive"] < 3.0
    for page in sorted((site / "chains").glob("*.html"))[:5]:
        op.open_view(page)
        counts = op.view_counts()
        assert counts["drawn"] == counts["visible"] > 0


def _largest_chain(site: Path) -> Path:
    return max(
        sorted((site / "chains").glob("*.html")),
        key=lambda p: (
            p.read_text(encoding="utf-8").count('"role":"actor"')
            + p.read_text(encoding="utf-8").count('"group":"Enterprise"')
        ),
    )


LABEL_PX = """() => {
  const v = window.chainkgView, net = v.network, scale = net.getScale();
  const box = document.getElementById('network').getBoundingClientRect();
  return v.nodes.get({filter: n => !n.hidden && !n.members}).map(n => {
    const body = net.body.nodes[n.id];
    const d = net.canvasToDOM(net.getPositions([n.id])[n.id]);
    return {id: n.id, group: n.group, px: body.labelModule.fontOptions.size * scale,
            inside: d.x >= 0 && d.x <= box.width && d.y >= 0 && d.y <= box.height};
  });
}"""


def test_seed_chain_map_is_legible_at_default_zoom(
    seed_build: BuildReport, op: OfflinePage, shots: Path
):
    """Labels of segments and firms as drawn on the canvas at the opening zoom: at least 12 px,
    with the upstream segments on screen."""
    site = Path(seed_build.out_dir) / "site"
    page = _largest_chain(site)
    op.page.set_viewport_size({"width": 1440, "height": 900})
    op.open_view(page)
    nodes = op.page.evaluate(LABEL_PX)
    firms = [n for n in nodes if n["group"] in ("Enterprise", "Organization")]
    segments = [n for n in nodes if n["group"] == "ChainSegment"]
    assert len(firms) >= 10 and len(segments) >= 5, page
    assert min(n["px"] for n in firms) >= 12
    assert min(n["px"] for n in segments) >= 12
    on_screen = [n for n in segments if n["inside"]]
    assert len(on_screen) >= 4
    op.page.screenshot(path=str(shots / "chain-map.png"))
    op.page.click("#zoom-fit")
    assert all(n["inside"] for n in op.page.evaluate(LABEL_PX))


def test_seed_ego_network_of_a_firm_is_small(seed_build: BuildReport, op: OfflinePage):
    graph = to_networkx(open_store(seed_build.files["graph.nq"]))
    firm = max(
        (n for n, a in graph.nodes(data=True) if a["type"] == "Enterprise" and a["local"]),
        key=lambda n: (graph.degree(n), n),
    )
    key = graph.nodes[firm]["id"]
    op.open_view(Path(seed_build.out_dir) / f"site/ego/{key}.html")
    drawn = op.view_counts()["drawn"]
    hubs = {n for n, a in graph.nodes(data=True) if a["type"] in ("Place", "IndustrialChain")}
    undirected = graph.to_undirected(as_view=True)
    direct = set(undirected[firm])
    via_non_hubs = {v for u in direct - hubs for v in undirected[u]}
    assert drawn == len({firm} | direct | via_non_hubs)
    assert drawn < 120  # the two-hop walk through the zone would draw far more
    through_zone = {v for u in direct & hubs for v in undirected[u]}
    assert len(through_zone - via_non_hubs - direct) > 50


def test_seed_home_is_the_zone_dashboard(seed_build: BuildReport, op: OfflinePage, shots: Path):
    op.page.set_viewport_size({"width": 1440, "height": 900})
    op.open(Path(seed_build.out_dir) / "site/index.html")
    zone_rows = op.page.locator("table.chains.zone tbody tr")
    other_rows = op.page.locator("table.chains.others tbody tr")
    assert zone_rows.count() >= 5 and other_rows.count() >= 5
    # the zone's table is above the fold; benchmark chains only in their own section
    top = op.page.locator("table.chains.zone").bounding_box()
    assert top is not None and top["y"] < 450
    assert op.page.locator("table.chains.zone .tag.benchmark").count() == 0
    assert op.page.locator("table.chains.others .tag.benchmark").count() >= 3
    roles = op.page.locator("table.chains.zone .tag.role").all_inner_texts()
    assert len(roles) >= 2 and len(set(roles)) >= 2
    missing = [
        int(t) if t.strip().isdigit() else -1
        for t in op.page.locator("table.chains.zone tbody tr td:nth-child(2)").all_inner_texts()
    ]
    shown = [m for m in missing if m >= 0]
    assert shown == sorted(shown, reverse=True) and shown[0] > 0
    first = zone_rows.first
    for text in ("全景/现状图", "缺口报告", "七清单"):
        assert first.locator("a", has_text=text).count() == 1
    op.page.screenshot(path=str(shots / "home.png"))
    leads = op.page.locator("#zone-chains ul.leads li")
    assert 1 <= leads.count() <= 10
    assert leads.first.locator('a[href*="#leads"]').count() == 1
    empty = op.page.locator(".card.framework", has_text="文章未列出")
    assert empty.count() >= 1
    first.locator("a", has_text="缺口报告").click()
    assert "/gaps/" in op.page.url and op.page.locator("h1").inner_text().endswith("缺链弱链报告")
    op.page.screenshot(path=str(shots / "report.png"))


def test_seed_gap_report_page(seed_build: BuildReport, op: OfflinePage):
    site = Path(seed_build.out_dir) / "site"
    page = max(sorted((site / "gaps").glob("*.html")), key=lambda p: p.stat().st_size)
    op.open(page)
    assert op.page.locator('meta[name="viewport"]').count() == 1
    english = op.page.locator(".en")
    assert english.count() > 10
    assert not english.first.is_visible()  # Chinese only until asked
    op.page.check("#show-en")
    assert english.first.is_visible()
    entity_links = op.page.locator('main a[href^="../entities/"]')
    assert entity_links.count() > 10
    sources = op.page.locator("ul.sources li a")
    assert sources.count() >= 1 and "-" not in sources.first.inner_text()[:1]
    quote = op.page.locator('.quote a[href*="articles/"]').first
    quote.click()  # opens the article, whose script then marks the quote: wait for it
    expect(op.page.locator("#article-text mark")).to_have_count(1)
    op.open(page)
    op.page.emulate_media(media="print")
    assert not op.page.locator("header.top").is_visible()
    assert not op.page.locator(".report-tools").is_visible()
    op.page.emulate_media(media="screen")


PHONE_PAGES = ["index.html", "gaps/index.html", "gaps/nev.html", "entities/nev.html"]


def test_seed_pages_fit_a_phone(seed_build: BuildReport, op: OfflinePage, shots: Path):
    site = Path(seed_build.out_dir) / "site"
    pages = [site / rel for rel in PHONE_PAGES if (site / rel).is_file()]
    pages.append(max(sorted((site / "gaps").glob("*.html")), key=lambda p: p.stat().st_size))
    pages.append(sorted((site / "articles").glob("*.html"))[0])
    pages.append(max(sorted((site / "entities").glob("*.html")), key=lambda p: p.stat().st_size))
    op.page.set_viewport_size({"width": 390, "height": 844})
    for page in pages:
        op.open(page)
        width = op.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (page, width)  # wide tables scroll inside their box
    chain = _largest_chain(site)
    op.open_view(chain)
    canvas = op.page.locator("#network").bounding_box()
    assert canvas is not None and canvas["width"] >= 380 and canvas["height"] >= 500
    assert not op.page.locator("#side").is_visible() or op.page.evaluate(
        "document.getElementById('side').getBoundingClientRect().top >= window.innerHeight"
    )
    op.page.click("#toggle-side")
    op.page.wait_for_timeout(300)
    side = op.page.locator("#side").bounding_box()
    assert side is not None and side["y"] < 844 and side["width"] <= 390
    op.page.click("#toggle-side")
    op.page.wait_for_timeout(300)
    op.page.screenshot(path=str(shots / "chain-map-390.png"))
    op.open(site / "index.html")
    op.page.screenshot(path=str(shots / "home-390.png"))


def test_chain_map_full_screen_button(demo: BuildReport, op: OfflinePage):
    op.open_view(demo.out_dir / "site/chains/demo-chain.html")
    state = (
        "() => Boolean(document.fullscreenElement) || document.body.classList.contains('maximised')"
    )
    assert not op.page.evaluate(state)
    op.page.click("#full-screen")
    op.page.wait_for_function(state)
    full = op.page.locator("#network").bounding_box()
    assert full is not None and full["height"] > 700  # the map takes the whole window
    op.page.click("#full-screen")
    op.page.wait_for_function(f"() => !({state})()")


def test_seed_pages_open_without_errors(seed_build: BuildReport, op: OfflinePage):
    """Every chain map and gap report, and a sample of the other pages, in the browser."""
    site = Path(seed_build.out_dir) / "site"
    views = [site / "overview.html", *sorted((site / "chains").glob("*.html"))]
    views += sorted((site / "ego").glob("*.html"))[::40]
    pages = [site / "index.html", *sorted((site / "gaps").glob("*.html"))]
    pages += sorted((site / "entities").glob("*.html"))[::40]
    pages += sorted((site / "articles").glob("*.html"))
    assert len(views) > 30 and len(pages) > 40
    for view in views:
        op.open_view(view)
        assert op.view_counts()["drawn"] > 0, view
    for page in pages:
        op.open(page)
        assert op.page.locator("h1").count() == 1, page
    assert op.console_errors == [] and op.page_errors == [] and op.blocked == []


PANORAMA_NODES = """() => {
  const v = window.chainkgView, net = v.network;
  const nodes = v.nodes.get({filter: n => !n.hidden && !n.members});
  return nodes.map(n => ({id: n.id, group: n.group, label: n.label, category: n.category || null,
    border: n.color && n.color.border, y: net.getPositions([n.id])[n.id].y,
    drawn: net.body.nodeIndices.indexOf(n.id) >= 0}));
}"""


def test_seed_nev_chain_map_shows_the_reference_panorama(
    seed_build: BuildReport, seed_store, op: OfflinePage, shots: Path
):
    """The 新能源汽车 map draws every category of the reference panorama under 新能源汽车产业
    with the zone's status colour (unlike the segments' gap levels), each article-named
    segment below and linked to its category, and a legend with the status counts."""
    from chainkg.panorama import panorama_status
    from chainkg_viz.analysis import LEVELS, PANORAMA_STATUS

    (panorama,) = panorama_status(seed_store, "nev")
    site = Path(seed_build.out_dir) / "site"
    op.page.set_viewport_size({"width": 1440, "height": 900})
    op.open_view(site / "chains/nev.html")
    nodes = op.page.evaluate(PANORAMA_NODES)
    cats = [n for n in nodes if n["category"]]
    segments = {n["label"].split("\n")[0]: n for n in nodes if n["group"] == "ChainSegment"}
    drawn = {n["id"]: n for n in cats}  # a category node's id is cat-<category id>
    assert all(n["drawn"] for n in cats)
    # every category the reference has for the chain (14, under 新能源汽车产业), none folded
    assert sorted(drawn) == sorted(f"cat-{c.id}" for c in panorama.categories)
    for word in ("整车", "储能装置", "电机", "零部件", "相关设施", "相关服务", "新能源汽车产业"):
        assert any(word in n["label"] for n in cats), word
    level_colours = {words["color"] for words in LEVELS.values()}
    for c in panorama.categories:
        node = drawn[f"cat-{c.id}"]
        assert node["label"].startswith(c.label + "\n")
        assert node["category"] == c.status
        assert node["border"] == PANORAMA_STATUS[c.status]["color"] not in level_colours
        assert f"〔{PANORAMA_STATUS[c.status]['zh']}〕" in node["label"]
    assert {n["category"] for n in cats} >= {"present", "no-data"}
    # the article segments in place: below the categories, each linked to its category
    edges = op.page.evaluate(
        "() => window.chainkgView.edges.get().map(e => [e.from, e.to, e.title])"
    )
    links = {(f, t) for f, t, title in edges if title == "对应类目"}
    mapped = [(s, c) for c in panorama.categories for s in c.segments]
    assert len(mapped) >= 6
    assert len(links) == len(mapped)
    for segment, category in mapped:
        seg, cat = segments[segment], drawn[f"cat-{category.id}"]
        assert (seg["id"], cat["id"]) in links
        assert cat["y"] < seg["y"]
    legend = op.page.locator("#panorama-legend li")
    assert legend.count() == 3
    counts = panorama.counts()
    for status, words in PANORAMA_STATUS.items():
        text = op.page.locator(f'#panorama-legend li[data-status="{status}"]').inner_text()
        assert text.startswith(words["zh"]) and f"({counts[status]})" in text
    op.page.screenshot(path=str(shots / "chain-map-panorama.png"))
    op.page.click("#zoom-fit")
    op.page.screenshot(path=str(shots / "chain-map-panorama-fit.png"))
    # a category's panel: its status in words, a link to the report's panorama table, and
    # no link to an entity page (a reference category has none)
    present = next(n for n in cats if n["category"] == "present")
    op.page.evaluate(f"() => window.chainkgView.show({present['id']!r})")
    info = op.page.locator("#info")
    assert "区内有在产的该类企业" in info.inner_text()
    hrefs = [a.get_attribute("href") for a in info.locator("a").all()]
    assert hrefs == ["../gaps/nev.html#panorama"]
    assert (site / "gaps/nev.html").read_text(encoding="utf-8").count('id="panorama"') == 1


def test_seed_large_panorama_is_folded(seed_build: BuildReport, seed_store, op: OfflinePage):
    """新材料 is aligned to 166 reference categories: the map keeps the legible few (the top and
    any with local firms or a segment) and says how many it folded."""
    from chainkg.panorama import panorama_status

    (panorama,) = panorama_status(seed_store, "new-materials")
    assert len(panorama.categories) > 100
    site = Path(seed_build.out_dir) / "site"
    op.open_view(site / "chains/new-materials.html")
    cats = [n for n in op.page.evaluate(PANORAMA_NODES) if n["category"]]
    assert 1 <= len(cats) <= 30
    folded = sum(int(n["label"].rsplit("+", 1)[1].rstrip("类")) for n in cats if "+" in n["label"])
    assert len(cats) + folded == len(panorama.categories)
    hint = op.page.locator(".side").inner_text()
    assert f"共 {len(panorama.categories)} 类，图中显示 {len(cats)} 类" in hint
