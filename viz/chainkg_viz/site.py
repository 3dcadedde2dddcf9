"""The one site writer: `render_site(store) -> {path: text}`, `write_site(pages, out_dir)`.

Everything under the site folder is rendered here, by one Jinja environment (`html.py`) with
one base template and one stylesheet: the home dashboard, network views, entity and article
pages, the gap reports (`reports.py`) and the Excel downloads (`office.py`). `render_site` is
pure and deterministic; `write_site` writes the whole folder at once (a fresh sibling folder
renamed into place, so a failed write leaves the previous site intact). Layout:

    index.html  overview.html  chains/<id>.html  ego/<id>.html  entities/<id>.html
    entities/index.json (their keys)  articles/<source>.html
    gaps/<chain>.html|.md  gaps/index.html|.md
    export/graph.graphml  export/graph.gexf  export/gaps.xlsx  export/<chain>.xlsx  static/
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from chainkg_viz import views
from chainkg_viz.analysis import LEVELS, PANORAMA_STATUS, Analysis, ChainReport, analyse
from chainkg_viz.changes import changes_page, zone_changes
from chainkg_viz.data import SiteData, Source, collect
from chainkg_viz.html import STATIC
from chainkg_viz.network import network_html
from chainkg_viz.office import gap_workbook
from chainkg_viz.pages import article_html, dashboard, entity_html, index_html
from chainkg_viz.reports import Links, report_pages
from chainkg_viz.views import SegmentStatus, type_name

log = logging.getLogger(__name__)

VIS_FILES = {"vis-network.min.js": "vis-network.min.js", "vis-network.css": "vis-network.min.css"}
Pages = dict[str, str | bytes]
# What a site folder may hold: write_site replaces such a folder, and refuses any other.
SITE_ENTRIES = {
    "index.html",
    "changes.html",
    "overview.html",
    "chains",
    "ego",
    "entities",
    "articles",
    "gaps",
    "export",
    "static",
}


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


def segment_statuses(data: SiteData, analysis: Analysis) -> dict[str, SegmentStatus]:
    """Gap level per segment IRI, from the analysis."""
    g = data.graph
    return {
        iri: SegmentStatus(level, n)
        for iri, (level, n) in analysis.segment_levels().items()
        if iri in g
    }


def site_links(data: SiteData, root: str = "../") -> Links:
    """What the gap reports link to: every entity page and article of the site."""
    g = data.graph
    labels: dict[str, set[str]] = {}
    for node, attrs in g.nodes(data=True):
        labels.setdefault(attrs["label"], set()).add(data.key(node))
    return Links(
        root=root,
        entities=True,
        exports=True,  # the site writes export/<id>.xlsx beside the reports
        keys={data.key(n) for n in g},
        by_label={label: next(iter(keys)) for label, keys in labels.items() if len(keys) == 1},
        **source_links(data.sources.values()),
        names={data.key(n): a["label"] for n, a in g.nodes(data=True)},
    )


def source_links(sources: Iterable[Source]) -> dict[str, dict]:
    """`Links.sources` and `Links.texts`: the articles a report cites, by key."""
    sources = list(sources)
    return {
        "sources": {
            s.key: {"key": s.key, "title": s.title, "date": s.date, "publisher": s.publisher}
            for s in sources
        },
        "texts": {s.key: s.text for s in sources},
    }


def _chain_of(data: SiteData, segment: str) -> str | None:
    for _s, o, k in data.graph.out_edges(segment, keys=True):
        if k == "inScheme":
            return o
    return None


def render_site(store: ox.Store, analysis: Analysis | None = None) -> Pages:
    """Every file of the site as {relative path: text (bytes for .xlsx)}; nothing is written.

    `analysis` is `chainkg_viz.analysis.analyse(store)` when the caller already has it."""
    data = collect(store)
    if analysis is None:
        analysis = analyse(store)
    g = data.graph
    status = segment_statuses(data, analysis)
    reports = analysis.by_iri()
    data.reports = {iri: r.id for iri, r in reports.items() if iri in g}
    pages: Pages = {}
    pages["overview.html"] = overview_page(data, views.overview(g))
    for chain in sorted(n for n, a in g.nodes(data=True) if a["type"] == "IndustrialChain"):
        pages[f"chains/{data.key(chain)}.html"] = chain_page(data, chain, status, reports)
    pages.update(_node_pages(data, sorted(g.nodes)))
    # The keys of the entity pages, for pages that link IRIs to them (the query page).
    pages["entities/index.json"] = json.dumps(sorted(data.key(n) for n in g), indent=0) + "\n"
    for source in data.sources.values():
        pages[f"articles/{source.key}.html"] = article_html(data, source)
    changes = zone_changes(store)
    if changes is not None:
        pages["changes.html"] = changes_page(changes, data.title)
    pages["index.html"] = index_html(data, dashboard(data, analysis), changes=changes)
    pages.update(report_pages(analysis, site_links(data), data.title))
    pages["export/graph.graphml"] = export_graph(g, "graphml")
    pages["export/graph.gexf"] = export_graph(g, "gexf")
    pages["export/gaps.xlsx"] = gap_workbook(analysis)
    for report in analysis.chains:
        if report.exportable:
            pages[f"export/{report.id}.xlsx"] = gap_workbook(Analysis([report]))
    return pages


OVERVIEW_SUBTITLE = "产业链、环节、企业、机构与地点；统计数据、政府举措、项目与活动在图例中打开。"


def overview_page(data: SiteData, view: nx.MultiDiGraph, subtitle: str = OVERVIEW_SUBTITLE) -> str:
    """overview.html: the overview view (`views.overview`, or an aggregate of it) drawn."""
    return network_html(
        view,
        title="全景网络",
        subtitle=subtitle,
        site_title=data.title,
        hidden_types=list(views.OVERVIEW_HIDDEN),
    )


def chain_page(
    data: SiteData,
    chain: str,
    status: dict[str, SegmentStatus],
    reports: dict[str, ChainReport],
    listings: list[dict] | None = None,
) -> str:
    """chains/<key>.html: the chain map of one chain (its segments' gap levels in `status`,
    its report in `reports`); `listings` names segments whose actors are only partly drawn."""
    g = data.graph
    key = data.key(chain)
    segs = views.segments_of(g, data, chain)
    chain_status = {s: status.get(s) or views.default_status(g, s) for s in segs}
    report = reports.get(chain)
    panorama = report.panorama if report else None
    view = views.chain_map(g, data, chain, chain_status, panorama)
    related = [
        {
            "key": data.key(v),
            "label": g.nodes[v]["label"],
            "type": g.nodes[v]["type"],
            "type_name": type_name(g.nodes[v]["type"]),
        }
        for v in views.concerning(g, chain, segs)
    ]
    return network_html(
        view,
        title=f"{g.nodes[chain]['label']} · 产业链图谱",
        subtitle="全景图与现状图：上游 → 下游，环节下方为所在企业（园区外企业淡化显示）。",
        site_title=data.title,
        root="../",
        template="chain.html",
        level_legend=LEVELS,
        panorama_legend=PANORAMA_STATUS if view.graph["panorama"] else None,
        panorama=panorama.counts() if panorama else None,
        panorama_shown=view.graph["panorama"],
        panorama_href=f"gaps/{report.id}.html#panorama" if report and panorama else "",
        related=related,
        chain_key=key,
        gap_href=f"../gaps/{report.id}.html" if report else "",
        export_href=f"../export/{report.id}.xlsx" if report and report.exportable else "",
        details=views.evidence_details(data, view),
        listings=listings or [],
    )


def ego_page(data: SiteData, node: str, hubs: frozenset[str] | None = None) -> str:
    """ego/<key>.html: the node's neighbourhood (`views.ego_drawing`)."""
    ego = views.ego_drawing(data.graph, node, hubs=hubs)
    radius = ego.attrs["radius"]  # 0: no relation (a registry firm no source ties to another)
    return network_html(
        ego,
        title=f"{data.graph.nodes[node]['label']} · 关系网络",
        subtitle=f"{radius} 跳以内的实体。" if radius else "图谱中暂无它与其他实体的关系。",
        site_title=data.title,
        root="../",
    )


def entity_page(data: SiteData, node: str, more: int = 0) -> str:
    """entities/<key>.html: the node's page, linked to its chain map and gap report."""
    g = data.graph
    key = data.key(node)
    links = []
    if g.nodes[node]["type"] == "IndustrialChain":
        links.append({"href": f"../chains/{key}.html", "text": "产业链图谱"})
        if node in data.reports:
            links.append({"href": f"../gaps/{data.reports[node]}.html", "text": "缺链弱链报告"})
    elif g.nodes[node]["type"] == "ChainSegment" and (chain := _chain_of(data, node)):
        links.append({"href": f"../chains/{data.key(chain)}.html", "text": "所属产业链图谱"})
        if chain in data.reports:
            report = data.reports[chain]
            links.append({"href": f"../gaps/{report}.html#segments", "text": "缺链弱链报告"})
    return entity_html(data, node, links, more)


def _pages_of(data: SiteData, node: str) -> dict[str, str]:
    """The ego-network page and the entity page of one node."""
    key = data.key(node)
    return {
        f"ego/{key}.html": ego_page(data, node),
        f"entities/{key}.html": entity_page(data, node),
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
    store: ox.Store, out_dir: Path | str, analysis: Analysis | None = None
) -> list[Path]:
    """Render the site and write it into out_dir (replacing it as a whole)."""
    return write_site(render_site(store, analysis), out_dir)


def write_site(pages: Pages, out_dir: Path | str) -> list[Path]:
    """Write rendered pages and the static files as the folder out_dir, at once.

    Everything goes into a new sibling folder first; only when all of it is written is the
    old folder moved aside and the new one renamed into place (then the old one removed). On
    any error before that, the previous site stays as it was."""
    out = Path(out_dir)
    foreign = (
        sorted(p.name for p in out.iterdir() if p.name not in SITE_ENTRIES) if out.is_dir() else []
    )
    if foreign:
        raise FileExistsError(
            f"{out} holds files that are not part of a chainkg site ({', '.join(foreign[:5])}): "
            "refusing to replace it; give an empty or new folder, or a previous site folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        rels = sorted(pages)
        for folder in sorted({(fresh / rel).parent for rel in rels}):
            folder.mkdir(parents=True, exist_ok=True)
        for rel in rels:
            content = pages[rel]
            path = fresh / rel
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        static = fresh / "static"
        static.mkdir(parents=True, exist_ok=True)
        names = []
        for src in sorted(STATIC.iterdir()):
            if src.is_file():
                shutil.copyfile(src, static / src.name)
                names.append(f"static/{src.name}")
        vis = vis_network_dir()
        for name, target in VIS_FILES.items():
            shutil.copyfile(vis / name, static / target)
            names.append(f"static/{target}")
        fresh.chmod(0o755)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(fresh, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    written = [out / rel for rel in [*rels, *names]]
    log.info("site: %d files in %s", len(written), out)
    return written
