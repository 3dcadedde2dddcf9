"""The offline site: `build_site(store, out_dir) -> list[Path]`.

`render_site` turns a store into {relative path: content} (pure, deterministic); `build_site`
writes it, with vis-network and the site's CSS/JS copied into `static/` so that every page
works with no network. Layout of the site folder:

    index.html  overview.html  chains/<id>.html  ego/<id>.html  entities/<id>.html
    articles/<source>.html  static/  export/graph.graphml  export/graph.gexf
"""

from __future__ import annotations

import importlib.util
import io
import logging
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from chainkg.gaps import WEAK_THRESHOLD, SegmentGap, compute_gaps
from chainkg_viz import views
from chainkg_viz.data import SiteData, collect
from chainkg_viz.html import STATIC
from chainkg_viz.network import network_html
from chainkg_viz.pages import ChainRow, article_html, chain_row, entity_html, index_html
from chainkg_viz.views import LEVELS, SegmentStatus, type_name

log = logging.getLogger(__name__)

OWN_DIRS = ("chains", "ego", "entities", "articles", "static", "export")
VIS_FILES = {"vis-network.min.js": "vis-network.min.js", "vis-network.css": "vis-network.min.css"}


def vis_network_dir() -> Path:
    """The vis-network files shipped inside the installed pyvis package (found, not imported:
    importing pyvis loads IPython)."""
    spec = importlib.util.find_spec("pyvis")
    locations = (spec.submodule_search_locations or []) if spec else []
    candidates = sorted(
        path for loc in locations for path in Path(loc, "lib").glob("vis-*/vis-network.min.js")
    )
    if not candidates:
        raise FileNotFoundError("vis-network.min.js not found in the installed pyvis package")
    return candidates[-1].parent


def segment_statuses(
    store: ox.Store, data: SiteData, gaps: list[SegmentGap] | None = None
) -> dict[str, SegmentStatus]:
    """Gap level per segment IRI, from `gaps` (computed here when not given)."""
    g = data.graph
    if gaps is None:
        gaps = compute_gaps(store, weak_threshold=WEAK_THRESHOLD)
    by_id = {a["id"]: n for n, a in g.nodes(data=True)}
    out: dict[str, SegmentStatus] = {}
    for gap in gaps:
        node = gap.segment_iri if gap.segment_iri in g else by_id.get(gap.segment_id)
        if node is not None:
            out[node] = SegmentStatus(gap.level, max(gap.local_total, len(gap.local_enterprises)))
    return out


def _chain_of(data: SiteData, segment: str) -> str | None:
    for _s, o, k in data.graph.out_edges(segment, keys=True):
        if k == "inScheme":
            return o
    return None


def render_site(store: ox.Store, gaps: list[SegmentGap] | None = None) -> dict[str, str]:
    """Every page of the site as {relative path: HTML}; nothing is written.

    `gaps` is `chainkg.gaps.compute_gaps(store)` when the caller already has it."""
    data = collect(store)
    g = data.graph
    status = segment_statuses(store, data, gaps)
    pages: dict[str, str] = {}
    overview = views.overview(g)
    pages["overview.html"] = network_html(
        overview,
        title="全景网络",
        subtitle="全部实体按类型着色；点击图例筛选。",
        site_title=data.title,
    )
    rows: list[ChainRow] = []
    chains = sorted(n for n, a in g.nodes(data=True) if a["type"] == "IndustrialChain")
    for chain in chains:
        key = data.key(chain)
        segs = views.segments_of(g, data, chain)
        chain_status = {s: status.get(s) or views.default_status(g, s) for s in segs}
        rows.append(chain_row(data, chain, chain_status))
        view = views.chain_map(g, data, chain, chain_status)
        related = [
            {
                "key": data.key(v),
                "label": g.nodes[v]["label"],
                "type": g.nodes[v]["type"],
                "type_name": type_name(g.nodes[v]["type"]),
            }
            for v in views.concerning(g, chain, segs)
        ]
        pages[f"chains/{key}.html"] = network_html(
            view,
            title=f"{g.nodes[chain]['label']} · 产业链图谱",
            subtitle="上游 → 下游；环节下方为所在企业（园区外企业淡化显示）。",
            site_title=data.title,
            root="../",
            template="chain.html",
            level_legend=list(LEVELS.items()),
            related=related,
            chain_key=key,
            gap_href=f"../gaps/{key}.html",
        )
    pages.update(_node_pages(data, sorted(g.nodes)))
    for source in data.sources.values():
        pages[f"articles/{source.key}.html"] = article_html(data, source)
    pages["index.html"] = index_html(data, rows, True)
    pages["export/graph.graphml"] = export_graph(g, "graphml")
    pages["export/graph.gexf"] = export_graph(g, "gexf")
    return pages


def _pages_of(data: SiteData, node: str) -> dict[str, str]:
    """The ego-network page and the entity page of one node."""
    g = data.graph
    key = data.key(node)
    ego = views.ego_drawing(g, node)
    links = []
    if g.nodes[node]["type"] == "IndustrialChain":
        links.append({"href": f"../chains/{key}.html", "text": "产业链图谱"})
    elif g.nodes[node]["type"] == "ChainSegment" and (chain := _chain_of(data, node)):
        links.append({"href": f"../chains/{data.key(chain)}.html", "text": "所属产业链图谱"})
    return {
        f"ego/{key}.html": network_html(
            ego,
            title=f"{g.nodes[node]['label']} · 关系网络",
            subtitle=f"{ego.attrs['radius']} 跳以内的实体。",
            site_title=data.title,
            root="../",
        ),
        f"entities/{key}.html": entity_html(data, node, links),
    }


_FORKED: SiteData | None = None  # what forked workers inherit (see _node_pages)
PARALLEL_MIN_NODES = 300


def _pages_of_chunk(nodes: list[str]) -> dict[str, str]:
    assert _FORKED is not None
    out: dict[str, str] = {}
    for node in nodes:
        out.update(_pages_of(_FORKED, node))
    return out


def _node_pages(data: SiteData, nodes: list[str]) -> dict[str, str]:
    """Ego and entity pages of every node; in forked worker processes when that is safe and
    worth it (they inherit `data`, so nothing is re-loaded). The pages are the same either way:
    each depends on its node alone."""
    global _FORKED
    workers = min(os.cpu_count() or 1, 4)
    if (
        workers < 2
        or len(nodes) < PARALLEL_MIN_NODES
        or threading.active_count() > 1  # forking with other threads running can deadlock
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        out: dict[str, str] = {}
        for node in nodes:
            out.update(_pages_of(data, node))
        return out
    _FORKED = data
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.map(_pages_of_chunk, [nodes[i::workers] for i in range(workers)])
    finally:
        _FORKED = None
    return {path: html for chunk in chunks for path, html in chunk.items()}


def export_graph(graph: nx.MultiDiGraph, fmt: str = "graphml") -> str:
    """The networkx projection as GraphML or GEXF for Gephi (lists joined with '|')."""
    flat = nx.MultiDiGraph()
    for node, attrs in sorted(graph.nodes(data=True)):
        flat.add_node(
            node,
            **{
                k: "|".join(v) if isinstance(v, list) else ("" if v is None else v)
                for k, v in attrs.items()
            },
        )
    for s, o, k, attrs in sorted(graph.edges(keys=True, data=True)):
        flat.add_edge(s, o, key=k, **attrs)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(flat, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown export format '{fmt}'; use graphml or gexf")
    return buffer.getvalue().decode("utf-8")


def build_site(
    store: ox.Store, out_dir: Path | str, gaps: list[SegmentGap] | None = None
) -> list[Path]:
    """Render the site and write it into out_dir (replacing its own sub-folders)."""
    return write_site(render_site(store, gaps), out_dir)


def write_site(pages: dict[str, str], out_dir: Path | str) -> list[Path]:
    """Write rendered pages and the static files into out_dir (replacing its own sub-folders)."""
    out = Path(out_dir)
    for sub in OWN_DIRS:
        shutil.rmtree(out / sub, ignore_errors=True)
    written: list[Path] = []
    folders: set[Path] = set()
    for rel, text in sorted(pages.items()):
        path = out / rel
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    static = out / "static"
    static.mkdir(parents=True, exist_ok=True)
    for src in sorted(STATIC.iterdir()):
        if src.is_file():
            shutil.copyfile(src, static / src.name)
            written.append(static / src.name)
    vis = vis_network_dir()
    for name, target in VIS_FILES.items():
        shutil.copyfile(vis / name, static / target)
        written.append(static / target)
    log.info("site: %d files in %s", len(written), out)
    return written
