"""Pages rendered on request (`chainkg_viz.live`) against the static site and the graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from chainkg.pipeline import BuildReport
from chainkg.project import to_networkx
from chainkg.store import open_store
from chainkg_viz import live as live_module
from chainkg_viz import neighbourhood, views
from chainkg_viz.data import slug
from chainkg_viz.live import LiveSite

VIEW_DATA = re.compile(r'<script id="view-data" type="application/json">(.*?)</script>', re.S)
SKELETON_TYPES = {"IndustrialChain", "ChainSegment", "ClusterFramework", "Place"}


def view_data(body: bytes) -> dict:
    return json.loads(VIEW_DATA.search(body.decode("utf-8")).group(1))


@pytest.fixture(scope="module")
def streamed_store(streamed_build: BuildReport) -> ox.Store:
    return open_store(streamed_build.files["store"])


@pytest.fixture(scope="module")
def whole(streamed_store: ox.Store) -> nx.MultiDiGraph:
    """The whole projection, to check the served parts against (small enough here)."""
    return to_networkx(streamed_store)


def actors(graph: nx.MultiDiGraph, segment: str) -> set[str]:
    return {s for s, _o, k in graph.in_edges(segment, keys=True) if k == "operatesInSegment"}


def test_served_pages_equal_the_static_site_on_the_seeds(
    seed_build: BuildReport, seed_store: ox.Store
) -> None:
    site = seed_build.out_dir / "site"
    served = LiveSite(seed_store)
    keys = sorted(p.stem for p in (site / "entities").glob("*.html"))
    sample = keys[::12] + ["baic-zhuzhou", "nev", "zhuzhou-hitech-zone"]
    rels = [f"{folder}/{key}.html" for key in sample for folder in ("entities", "ego")]
    rels += [f"chains/{p.name}" for p in sorted((site / "chains").glob("*.html"))]
    rels += [f"gaps/{p.name}" for p in sorted((site / "gaps").glob("*.*"))]
    assert len(rels) > 100
    for rel in rels:
        page = served.page(rel)
        assert page is not None, rel
        assert page.body == (site / rel).read_bytes(), f"{rel} differs from the static page"


def test_unknown_paths_have_no_page(seed_store: ox.Store) -> None:
    served = LiveSite(seed_store)
    for rel in ("entities/no-such-thing.html", "chains/baic-zhuzhou.html", "entities/../x.html"):
        assert served.page(rel) is None, rel
    assert served.page("segments/baic-zhuzhou.html") is None  # a firm is no segment


def test_ego_networks_at_scale_equal_the_whole_graphs(
    streamed_store: ox.Store, whole: nx.MultiDiGraph
) -> None:
    parts = neighbourhood.Neighbourhood(streamed_store)
    firms = sorted(n for n, a in whole.nodes(data=True) if a["type"] == "Enterprise")
    checked = firms[::97] + sorted(n for n, a in whole.nodes(data=True) if a["type"] == "Place")
    for node in checked:
        data, more = parts.ego(node, details=False)
        assert more == 0
        assert views.ego_drawing(data.graph, node) == views.ego_drawing(whole, node), node


def test_a_hubs_page_lists_a_bounded_number_and_counts_the_rest(
    streamed_store: ox.Store, whole: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neighbourhood, "EGO_NODES", 10)
    segment = max(
        (n for n, a in whole.nodes(data=True) if a["type"] == "ChainSegment"),
        key=lambda s: len(actors(whole, s)),
    )
    page = LiveSite(streamed_store).page(f"entities/{slug(whole.nodes[segment]['id'])}.html")
    assert page is not None
    text = page.body.decode("utf-8")
    listed = text.count('<td><a href="../entities/')  # one row per relation shown
    assert 10 <= listed < whole.degree(segment)
    assert f"另有 {whole.degree(segment) - listed} 个关系未列出" in text


def test_a_pages_relations_are_the_same_read_from_either_end(
    streamed_store: ox.Store, whole: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node with few relations reads them from itself, a hub from its shown neighbours:
    the same page either way (a hub, firms with supplier ties, a place)."""

    def kind(t: str) -> list[str]:
        return sorted(n for n, a in whole.nodes(data=True) if a["type"] == t)

    suppliers = sorted({s for s, _o, k in whole.edges(keys=True) if k == "supplierOf"})
    checked = [kind("ChainSegment")[0], *suppliers[:3], *kind("Place")[:2], *kind("Enterprise")[:2]]
    pages, default = {}, neighbourhood.CENTER_RELATIONS
    for threshold in (default, 0):
        monkeypatch.setattr(neighbourhood, "CENTER_RELATIONS", threshold)
        served = LiveSite(streamed_store)
        pages[threshold] = [
            served.page(f"entities/{slug(whole.nodes[n]['id'])}.html") for n in checked
        ]
    assert default > 0 and pages[0] == pages[default]
    assert sum(p.body.decode("utf-8").count("<td><a href=") for p in pages[0]) > 20


def test_chain_map_draws_a_few_actors_per_segment_and_links_the_listing(
    streamed_store: ox.Store, whole: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neighbourhood, "SEGMENT_ACTORS", 5)
    monkeypatch.setattr(live_module, "LISTING_PAGE", 7)
    served = LiveSite(streamed_store)
    chains = sorted(n for n, a in whole.nodes(data=True) if a["type"] == "IndustrialChain")
    crowded = 0
    for chain in chains:
        page = served.page(f"chains/{slug(whole.nodes[chain]['id'])}.html")
        assert page is not None
        drawn = {n["id"]: n for n in view_data(page.body)["nodes"]}
        segs = [s for s, _o, k in whole.in_edges(chain, keys=True) if k == "inScheme"]
        for seg in segs:
            everyone = actors(whole, seg)
            shown = {slug(whole.nodes[a]["id"]) for a in everyone} & set(drawn)
            key = slug(whole.nodes[seg]["id"])
            assert key in drawn
            if len(everyone) <= 5:
                continue
            crowded += 1
            assert 0 < len(shown) < len(everyone)  # at most 5 fetched, some drawn elsewhere too
            listing = f'<a href="../segments/{key}.html">'
            assert listing in page.body.decode("utf-8")
            assert f"图中 {len(shown)} 家 / 共 {len(everyone)} 家" in page.body.decode("utf-8")
            pages = listed(served, key)  # every actor once, over the pages
            assert sorted(pages) == sorted(slug(whole.nodes[a]["id"]) for a in everyone)
        in_chain = {s for s, _o, k in whole.in_edges(chain, keys=True) if k == "inChain"}
        firms = [n for n in drawn.values() if n["group"] in ("Enterprise", "Organization")]
        assert len(firms) <= 5 * len(segs) + len(in_chain)
    assert crowded > 3


def listed(served: LiveSite, segment_key: str) -> list[str]:
    """Every actor key of a segment's listing, following its pages."""
    out: list[str] = []
    number = 1
    while True:
        page = served.page(f"segments/{segment_key}.html", {"page": str(number)})
        assert page is not None
        text = page.body.decode("utf-8")
        keys = re.findall(r'<td><a href="\.\./entities/([^"]+)\.html">', text)
        out += keys
        # every row says whether the actor is in the zone: 是 or 否, never a blank cell
        assert len(re.findall(r"<td>[是否]</td></tr>", text)) == len(keys)
        if 'rel="next"' not in text:
            return out
        number += 1


def test_overview_aggregates_to_chains_and_segments(
    streamed_store: ox.Store, whole: nx.MultiDiGraph
) -> None:
    served = LiveSite(streamed_store)
    page = served.page("overview.html")
    assert page is not None
    nodes = view_data(page.body)["nodes"]
    by_key = {slug(a["id"]): (n, a) for n, a in whole.nodes(data=True)}
    groups = {n["group"] for n in nodes}
    assert groups <= SKELETON_TYPES | {"GovernmentProgram"}
    assert {"IndustrialChain", "ChainSegment"} <= groups
    segments = [n for n in nodes if n["group"] == "ChainSegment"]
    assert len(segments) == sum(
        1 for _n, a in whole.nodes(data=True) if a["type"] == "ChainSegment"
    )
    for item in segments:
        node, attrs = by_key[item["id"]]
        assert item["label"] == f"{attrs['label']} ({len(actors(whole, node))})"
    assert len(nodes) < whole.number_of_nodes() / 5  # no firm is drawn


def test_home_and_gap_pages_at_scale(streamed_build: BuildReport, streamed_store: ox.Store) -> None:
    served = LiveSite(streamed_store)
    home = served.page("index.html")
    assert home is not None and "缺链" in home.body.decode("utf-8")
    written = Path(streamed_build.files["site/gaps/index.html"]).parent
    for built in sorted(written.glob("*.md")):  # the build's reports, without a site around
        page = served.page(f"gaps/{built.name}")
        assert page is not None and page.body == built.read_bytes(), built.name
    index = served.page("gaps/index.html")
    assert index is not None and index.content_type.startswith("text/html")
    workbook = served.page("export/gaps.xlsx")
    assert workbook is not None and workbook.body[:2] == b"PK"


def test_the_seven_lists_read_from_the_listings_side_table_equal_the_queries(
    streamed_build: BuildReport, streamed_store: ox.Store
) -> None:
    from chainkg import lists
    from chainkg.listings import open_beside

    listings = open_beside(streamed_build.files["store"])
    assert listings is not None
    stored = lists._stored_rows(streamed_store, "list-main-enterprises", {}, listings)
    assert stored  # every chain's main enterprises are in the table
    every = lists.seven_lists_of_all_chains(streamed_store)
    assert lists.seven_lists_of_all_chains(streamed_store, listings) == every
    chain = max(every, key=lambda c: len(every[c]["main_enterprises"]))
    assert lists.seven_lists(streamed_store, chain, listings) == every[chain]
    assert len(every[chain]["main_enterprises"]) > 10
