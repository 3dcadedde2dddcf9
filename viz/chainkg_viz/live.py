"""The site rendered on request: `LiveSite(target).page(path, params) -> Page | None`.

Above the static-site threshold `chainkg serve` cannot read a pre-built `site/` folder (one
page per entity does not scale), so it renders each page when asked, from the part of the graph
the page needs (`neighbourhood.Neighbourhood`), with the static site's own page functions
(`site.entity_page`, `site.ego_page`, `site.chain_page`, `site.overview_page`,
`pages.index_html`, `reports.report_pages`) and templates. Same paths as the static site, so
its relative links work unchanged:

    index.html  overview.html  changes.html  chains/<key>.html  ego/<key>.html  entities/<key>.html
    segments/<key>.html?page=N (a segment's actors, paged)  articles/<key>.html
    search.json?text=… (the home page's search box, from the name index: every entity)
    export/graph.graphml|.gexf (the aggregated overview's graph: what the home page counts)
    gaps/<id>.html|.md  gaps/index.html|.md  export/gaps.xlsx  export/<id>.xlsx  static/…
    gaps/lists/<id>/<list>.html?page=N (one of a chain's seven lists whole, paged)

What differs at scale: a chain map draws at most `SEGMENT_ACTORS` actors under a segment and
links to the segment's paged listing; an entity page lists at most `EGO_NODES` relations and
says how many more there are; the overview and the home page show chains, segments,
frameworks, places and programs (with their firms counted), not every entity. The gap
analysis is computed once per process (`analysis()`); everything else per request.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainkg.project import local_name
from chainkg_viz import views
from chainkg_viz.analysis import LIST_SHOWN, LIST_TITLES, Analysis, analyse, list_page
from chainkg_viz.changes import ZoneChanges, changes_page, zone_changes
from chainkg_viz.data import slug
from chainkg_viz.html import STATIC, render
from chainkg_viz.neighbourhood import Neighbourhood
from chainkg_viz.office import gap_workbook
from chainkg_viz.pages import article_html, dashboard, index_html
from chainkg_viz.reports import LIST_PAGE, Links, list_page_html, report_page
from chainkg_viz.site import (
    VIS_FILES,
    chain_page,
    ego_page,
    entity_page,
    export_graph,
    overview_page,
    segment_statuses,
    source_links,
    vis_network_dir,
)

HTML = "text/html; charset=utf-8"
LISTING_PAGE = 100  # actors per page of a segment's listing
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {
    ".html": HTML,
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".xlsx": XLSX,
}
OVERVIEW_SUBTITLE = (
    "按产业链与环节汇总：产业链、环节、产业集群框架与地点，环节名后为在其中的企业数；"
    "企业见各产业链图谱与环节名单。"
)


@dataclass(frozen=True)
class Page:
    content_type: str
    body: bytes


class _EveryKey:
    """Links to entity pages by IRI or id: every entity has a page when pages are rendered on
    request."""

    def __contains__(self, key: object) -> bool:
        return bool(key)


class _KeysByLabel:
    """Label -> page key of the entity bearing it, looked up when a report names a firm."""

    def __init__(self, parts: Neighbourhood) -> None:
        self.parts = parts

    def get(self, label: str, default: str | None = None) -> str | None:
        return self.parts.key_of_label(label) or default


GRAPH_EXPORTS = {"export/graph.graphml": "graphml", "export/graph.gexf": "gexf"}
SEARCH_HITS = 50  # entities the home page's search box lists, as the static page's script


class LiveSite:
    """Pages from `target` (a store, or anything `chainkg.queries.run_query` accepts);
    `analysis_target` runs the gap analysis (default: `target`), reading the gap summary
    written with the graph when there is one (`summary`, see chainkg.aggregates) and the
    listings side table (`listings`, see chainkg.listings) for the seven lists. With a
    name index (`index`, `chainkg.search.NameIndex`), the home page's search box asks
    `search.json` (every entity by name or alias); without, it searches the names embedded
    in the page (chains, segments, places: the home page at scale lists no firm)."""

    def __init__(
        self,
        target: Any,
        analysis_target: Any = None,
        summary: Any = None,
        index: Any = None,
        listings: Any = None,
        list_shown: int | None = None,
    ) -> None:
        self.parts = Neighbourhood(target)
        # entries of each of the seven lists a report prints (default LIST_SHOWN)
        self._list_shown = LIST_SHOWN if list_shown is None else list_shown
        self._listings = listings  # the listings side table: whole seven lists at scale
        self.index = index
        self._analysis_target = analysis_target if analysis_target is not None else target
        self._summary = summary
        self._lock = threading.Lock()
        self._analysis: Analysis | None = None
        self._changes: ZoneChanges | None = None
        self._changes_read = False
        self._reports: dict[str, str | bytes] = {}

    def analysis(self) -> Analysis:
        """The gap analysis of the whole store, computed on first use and kept."""
        with self._lock:
            if self._analysis is None:
                self._analysis = analyse(
                    self._analysis_target,
                    summary=self._summary,
                    listings=self._listings,
                    shown=self._list_shown,
                )
            return self._analysis

    def changes(self) -> ZoneChanges | None:
        """The zone's registry changes (`chainkg_viz.changes`), read on first use and kept."""
        with self._lock:
            if not self._changes_read:
                self._changes = zone_changes(self.parts.target, listings=self._listings)
                self._changes_read = True
            return self._changes

    def warm(self) -> None:
        """Read what every page needs (site-wide facts, the gap analysis) ahead of requests."""
        self.parts.warm()
        self.report("gaps/index.html")
        self.changes()

    def _links(self) -> Links:
        """What the gap reports link to: entity pages by IRI or id (every entity has one)
        and by label (looked up), the articles, the chains by name."""
        parts = self.parts
        return Links(
            root="../",
            entities=True,
            list_pages=True,
            exports=True,
            keys=_EveryKey(),  # type: ignore[arg-type]
            by_label=_KeysByLabel(parts),  # type: ignore[arg-type]
            **source_links(parts.sources.values()),
            # the chains by name (benchmark rates cite another chain by its id)
            names={slug(r.summary.id): r.summary.label for r in self.analysis().chains},
        )

    def report(self, rel: str) -> str | bytes | None:
        """A gap report or a download (`gaps/…`, `export/…xlsx`), rendered once and kept."""
        with self._lock:
            if rel in self._reports:
                return self._reports[rel]
        analysis = self.analysis()
        folder, _sep, name = rel.partition("/")
        found: str | bytes | None = None
        if folder == "gaps":
            found = report_page(analysis, self._links(), self.parts.focal[0], name)
        elif rel == "export/gaps.xlsx":
            found = gap_workbook(analysis)
        elif folder == "export" and name.endswith(".xlsx"):
            report_id = name.removesuffix(".xlsx")
            chain = next((r for r in analysis.chains if r.id == report_id), None)
            found = gap_workbook(Analysis([chain])) if chain and chain.exportable else None
        if found is not None:
            with self._lock:
                self._reports[rel] = found
        return found

    def page(self, rel: str, params: dict[str, str] | None = None) -> Page | None:
        """The page at `rel` (a path under the site), or None if there is none."""
        rel = rel or "index.html"
        folder, _sep, name = rel.rpartition("/")
        key, dot, ext = name.rpartition(".")
        if rel in ("index.html", "overview.html"):
            return _html(self._home() if rel == "index.html" else self._overview())
        if rel == "changes.html":
            changes = self.changes()
            return _html(changes_page(changes, self._skeleton().title)) if changes else None
        if rel == "search.json" and self.index is not None:
            return Page(TYPES[".json"], _bytes(self._search((params or {}).get("text", ""))))
        if rel.startswith("gaps/lists/"):
            return self._list(rel.removeprefix("gaps/lists/"), (params or {}).get("page", "1"))
        if rel in GRAPH_EXPORTS:  # the aggregated overview's graph, as the home page counts it
            content = export_graph(self._skeleton().graph, GRAPH_EXPORTS[rel])
            return Page("application/xml; charset=utf-8", _bytes(content))
        if folder in ("gaps", "export"):
            found = self.report(rel)
            return Page(TYPES.get(f".{ext}", HTML), _bytes(found)) if found is not None else None
        if ext != "html" or not dot or not key:
            return None
        if folder == "articles":
            source = next((s for s in self.parts.sources.values() if s.key == key), None)
            return _html(article_html(self._bare(), source)) if source else None
        if folder not in ("entities", "ego", "chains", "segments"):
            return None
        iri = self.parts.iri_of(key)
        if iri is None:
            return None
        if folder == "entities":
            data, more = self.parts.ego(iri)
            data.reports = self._report_ids(data)
            return _html(entity_page(data, iri, more))
        if folder == "ego":
            data, _more = self.parts.ego(iri, details=False)
            return _html(ego_page(data, iri))
        if folder == "chains":
            return self._chain(iri)
        return self._listing(iri, (params or {}).get("page", "1"))

    @staticmethod
    def static_file(name: str) -> Path | None:
        """A file of the site's static/ folder (the stylesheet, scripts, vis-network)."""
        for target_name, source in VIS_FILES.items():
            if name == source:
                return vis_network_dir() / target_name
        path = (STATIC / name).resolve()
        return path if path.is_relative_to(STATIC.resolve()) and path.is_file() else None

    # -- the pages -------------------------------------------------------------------------

    def _bare(self):  # noqa: ANN202 - a SiteData with no graph (articles)
        import networkx as nx

        return self.parts.site_data(nx.MultiDiGraph())

    def _report_ids(self, data) -> dict[str, str]:  # noqa: ANN001
        """Chain -> its gap report's id, for the chains in `data`. Before the analysis is
        ready (it is read once per process), from the chains themselves: a report's id is its
        chain's id (`chainkg.gaps`), so an entity page need not wait for the analysis."""
        if self._analysis is None:
            g = data.graph
            return {n: a["id"] for n, a in g.nodes(data=True) if a["type"] == "IndustrialChain"}
        return {r.iri: r.id for r in self._analysis.chains if r.iri in data.graph}

    def _chain(self, chain: str) -> Page | None:
        data, listings = self.parts.chain(chain)
        if data.graph.nodes[chain]["type"] != "IndustrialChain":
            return None
        analysis = self.analysis()
        data.reports = self._report_ids(data)
        page = chain_page(
            data, chain, segment_statuses(data, analysis), analysis.by_iri(), listings
        )
        return _html(page)

    def _list(self, rel: str, page_param: str) -> Page | None:
        """A page of one of a chain's seven lists (`<chain-id>/<key>.html`), LIST_PAGE
        entries from the side table or the store."""
        report_id, _sep, name = rel.partition("/")
        key = name.removesuffix(".html")
        report = next((r for r in self.analysis().chains if r.id == report_id), None)
        if report is None or key not in LIST_TITLES or not name.endswith(".html"):
            return None
        page = int(page_param) if page_param.isdigit() and int(page_param) > 0 else 1
        offset = (page - 1) * LIST_PAGE
        found = list_page(self._analysis_target, report.iri, key, offset, LIST_PAGE, self._listings)
        if offset and offset >= found.total:
            return None
        links = self._links()
        links.root = "../../../"
        return _html(list_page_html(report, found, links, self.parts.focal[0]))

    def _listing(self, segment: str, page_param: str) -> Page | None:
        page = int(page_param) if page_param.isdigit() and int(page_param) > 0 else 1
        offset = (page - 1) * LISTING_PAGE
        data, total = self.parts.actors(segment, offset, LISTING_PAGE)
        g = data.graph
        if g.nodes[segment]["type"] != "ChainSegment" or (offset and offset >= total):
            return None
        items = [
            {
                "key": data.key(n),
                "label": a["label"],
                "type_name": views.type_name(a["type"]),
                "local": a["local"],
            }
            for n, a in sorted(g.nodes(data=True), key=lambda na: (na[1]["label"], na[0]))
            if n != segment
        ]
        return _html(
            render(
                "listing.html",
                page_title=f"{g.nodes[segment]['label']} · 企业名单",
                site_title=data.title,
                root="../",
                title=f"{g.nodes[segment]['label']} · 在此环节的企业与机构",
                key=data.key(segment),
                total=total,
                first=offset + 1 if items else 0,
                last=offset + len(items),
                items=items,
                previous=page - 1 if page > 1 else None,
                next=page + 1 if offset + len(items) < total else None,
            )
        )

    def _skeleton(self):  # noqa: ANN202 - SiteData
        data = self.parts.skeleton()
        data.reports = self._report_ids(data)
        return data

    def _home(self) -> str:
        data = self._skeleton()
        source = "search.json" if self.index is not None else ""
        board = dashboard(data, self.analysis())
        return index_html(data, board, search_source=source, changes=self.changes())

    def _search(self, text: str) -> str:
        """The search box's hits as the static page's embedded items: key, label, class
        name, and the name that matched when it is not the label."""
        hits = [
            {
                "key": slug(local_name(h.iri)),
                "label": h.label,
                "type": views.type_name(h.type),
                "aliases": h.matched if h.matched != h.label else "",
            }
            for h in self.index.search(text[:100], limit=SEARCH_HITS)
        ]
        return json.dumps(hits, ensure_ascii=False)

    def _overview(self) -> str:
        data = self._skeleton()
        g = data.graph
        # the counts the gap analysis read (the gap summary at scale), not a count of every
        # segment's actors in the store; the store's only for a segment of no chain
        counts = self.analysis().segment_actors()
        if any(a["type"] == "ChainSegment" and n not in counts for n, a in g.nodes(data=True)):
            counts = {**self.parts.segment_counts(), **counts}
        for node, attrs in g.nodes(data=True):
            if attrs["type"] == "ChainSegment":
                attrs["label"] = f"{attrs['label']} ({counts.get(node, 0)})"
        return overview_page(data, views.overview(g), OVERVIEW_SUBTITLE)


def _html(text: str) -> Page:
    return Page(HTML, text.encode("utf-8"))


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")
