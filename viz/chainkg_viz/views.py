"""The views as graphs: each function turns the projection into the graph one page draws.

A view graph is an `nx.MultiDiGraph` whose nodes carry what a drawing needs: `key` (file-name
id), `label`, `type`, `title` (tooltip text), `x`, `y`, and optionally `level` (a segment's
gap level) or `muted`. Positions are computed here, in Python, so that no page runs physics.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import networkx as nx

from chainkg_viz.analysis import LEVELS as GAP_LEVELS
from chainkg_viz.analysis import (
    PANORAMA_STATUS,
    WEAK_THRESHOLD,
    CategoryStatus,
    ChainPanorama,
    segment_level,
)
from chainkg_viz.data import SiteData, slug
from chainkg_viz.layout import component_layout

# type -> (Chinese name, colour, vis-network shape); names as in ontology/chainkg.ttl.
TYPES: dict[str, tuple[str, str, str]] = {
    "Enterprise": ("企业", "#1f77b4", "dot"),
    "Organization": ("机构", "#ff7f0e", "square"),
    "Place": ("地点", "#2ca02c", "triangle"),
    "IndustrialChain": ("产业链", "#d62728", "star"),
    "ChainSegment": ("产业链环节", "#9467bd", "box"),
    "ClusterFramework": ("产业集群框架", "#8c564b", "hexagon"),
    "InvestmentProject": ("投资项目", "#e377c2", "diamond"),
    "GovernmentProgram": ("政府举措", "#17becf", "triangleDown"),
    "Event": ("活动", "#bcbd22", "dot"),
    "Statistic": ("统计数据", "#7f7f7f", "dot"),
}
LEVELS = {level: words["zh"] for level, words in GAP_LEVELS.items()}
EGO_MAX_NODES = 400
# Types the overview hides until asked (numerous, and rarely what an officer looks for first):
# it opens on chains, segments, firms, organizations and places.
OVERVIEW_HIDDEN = ("Statistic", "GovernmentProgram", "InvestmentProject", "Event")
# Types an ego network does not expand through (a hub links everything to everything).
HUB_TYPES = ("Place", "IndustrialChain", "ClusterFramework")
# Readable names of predicates the ontology leaves unlabelled (standard vocabularies).
EDGE_LABELS = {"inScheme": "属于产业链", "broader": "上位", "narrower": "下位"}
# Chain maps: what concerns the chain besides its actors, collapsed into one count node each.
COLLAPSED_TYPES = ("InvestmentProject", "GovernmentProgram", "Event")
EVIDENCE_PER_NODE = 3
# Chain maps' reference panorama: above this many categories, deep levels are collapsed (only
# categories with local firms or an article-named segment stay, with their ancestors).
PANORAMA_MAX_NODES = 30
PANORAMA_ROW, PANORAMA_COL = 100.0, 200.0


@dataclass(frozen=True)
class SegmentStatus:
    """A segment's gap level and how many local actors operate in it."""

    level: str  # a chainkg.gaps.Level value
    local_actors: int


def type_name(node_type: str) -> str:
    return TYPES.get(node_type, (node_type, "", ""))[0]


def tooltip(attrs: dict, extra: list[str] | None = None) -> str:
    """Plain-text tooltip with the key attributes of an entity."""
    lines = [attrs["label"], f"{type_name(attrs['type'])} · {attrs['kind']}"]
    if attrs.get("label_en"):
        lines.append(attrs["label_en"])
    if attrs.get("aliases"):
        lines.append("别名: " + "、".join(attrs["aliases"]))
    if attrs.get("local"):
        lines.append("园区内")
    return "\n".join(lines + (extra or []))


@dataclass(frozen=True)
class _Index:
    """Plain-dict lookups over a projection, built once per graph (see `_index`)."""

    nodes: dict[str, dict]  # node -> the attributes every view node starts from
    neighbours: dict[str, list[str]]  # undirected adjacency
    out: dict[str, list[tuple[str, str, dict]]]  # node -> (object, key, edge attributes)


_INDEX: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def _index(graph: nx.MultiDiGraph) -> _Index:
    """The graph's `_Index`, cached (the projection is not changed once the views start)."""
    found = _INDEX.get(graph)
    if found is None:
        nodes = {
            n: {"key": slug(a["id"]), "label": a["label"], "type": a["type"], "title": tooltip(a)}
            for n, a in graph.nodes(data=True)
        }
        neighbours = {n: list(dict.fromkeys([*graph.succ[n], *graph.pred[n]])) for n in graph}
        out = {
            n: [(o, k, attrs) for o, keyed in graph.succ[n].items() for k, attrs in keyed.items()]
            for n in graph
        }
        found = _INDEX[graph] = _Index(nodes, neighbours, out)
    return found


def _node(graph: nx.MultiDiGraph, node: str, x: float, y: float, **kw) -> tuple[str, dict]:
    """A view node: its key, label, type, tooltip and position, plus `kw`."""
    extra = kw.pop("extra", None)
    attrs = dict(_index(graph).nodes[node], x=round(x, 1), y=round(y, 1), **kw)
    if extra is not None:  # a page-specific tooltip; the plain one is shared
        attrs["title"] = tooltip(graph.nodes[node], extra)
    return node, attrs


def _add(view: nx.MultiDiGraph, graph: nx.MultiDiGraph, node: str, x: float, y: float, **kw):
    view.add_nodes_from([_node(graph, node, x, y, **kw)])


def _edges_among(graph: nx.MultiDiGraph, nodes: list[str]) -> list[tuple[str, str, str, dict]]:
    """The projection's edges between `nodes` as (subject, object, key, attributes)."""
    out = _index(graph).out
    members = set(nodes)
    return [(s, o, k, attrs) for s in nodes for o, k, attrs in out[s] if o in members]


def edge_label(key: str, label: str) -> str:
    """The edge's Chinese label; a readable name for predicates the ontology leaves bare."""
    return EDGE_LABELS.get(key, label) if label == key else label


def _copy_edges(view: nx.MultiDiGraph, graph: nx.MultiDiGraph) -> None:
    view.add_edges_from(
        (s, o, k, {"label": edge_label(k, attrs["label"]), "predicate": attrs["predicate"]})
        for s, o, k, attrs in _edges_among(graph, list(view.nodes))
    )


@dataclass(frozen=True)
class Drawing:
    """A view as plain lists, what `network.vis_data` reads: cheaper to build than a graph,
    which matters for the one ego page per entity. `to_networkx` gives the view graph."""

    nodes: list[tuple[str, dict]]  # (node, attributes), in insertion order
    edges: list[tuple[str, str, str, dict]]  # (subject, object, key, attributes)
    attrs: dict  # graph attributes

    @classmethod
    def of(cls, view: nx.MultiDiGraph) -> Drawing:
        return cls(list(view.nodes(data=True)), list(view.edges(keys=True, data=True)), view.graph)

    def to_networkx(self) -> nx.MultiDiGraph:
        view = nx.MultiDiGraph(**self.attrs)
        view.add_nodes_from(self.nodes)
        view.add_edges_from(
            (s, o, k, {"label": a["label"], "predicate": a["predicate"]})
            for s, o, k, a in self.edges
        )
        return view


def overview(graph: nx.MultiDiGraph, seed: int = 7) -> nx.MultiDiGraph:
    """Every entity, at positions computed once in Python (see `layout`): the types the page
    opens with are laid out on their own, the others (OVERVIEW_HIDDEN) around a neighbour."""
    core = [n for n, a in graph.nodes(data=True) if a["type"] not in OVERVIEW_HIDDEN]
    pos = component_layout(graph.subgraph(core), seed=seed)
    _place_around(graph, pos)
    view = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        x, y = pos[node]
        _add(view, graph, node, x, y)
    _copy_edges(view, graph)
    return view


def _place_around(graph: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> None:
    """Positions for the nodes not in `pos`: in small rings around their first placed
    neighbour, or in a grid below everything when they have none."""
    neighbours = _index(graph).neighbours
    around: dict[str, int] = {}
    loose: list[str] = []
    for node in sorted(n for n in graph if n not in pos):
        anchor = min((v for v in neighbours[node] if v in pos), default=None)
        if anchor is None:
            loose.append(node)
            continue
        k = around[anchor] = around.get(anchor, 0) + 1
        ring, slot = divmod(k - 1, 12)
        angle = 2 * math.pi * (slot / 12 + ring * 0.04)
        r = 28.0 + 18.0 * ring
        x, y = pos[anchor]
        pos[node] = (round(x + r * math.cos(angle), 1), round(y + r * math.sin(angle), 1))
    bottom = max((y for _x, y in pos.values()), default=0.0) + 90.0
    cols = max(1, math.ceil(math.sqrt(len(loose) or 1)))
    for i, node in enumerate(loose):
        pos[node] = ((i % cols) * 90.0, bottom + (i // cols) * 45.0)


def _hops(
    neighbours: dict[str, list[str]], center: str, cutoff: int, hubs: frozenset[str] = frozenset()
) -> dict[str, int]:
    """Distance from `center` of every node at most `cutoff` hops away (breadth first); the
    walk reaches `hubs` but does not go on through them (unless one is the center)."""
    hops = {center: 0}
    frontier = [center]
    for d in range(1, cutoff + 1):
        nxt = []
        for node in frontier:
            if node in hubs and node != center:
                continue
            for other in neighbours[node]:
                if other not in hops:
                    hops[other] = d
                    nxt.append(other)
        frontier = nxt
    return hops


def ego(graph: nx.MultiDiGraph, center: str, radius: int = 2) -> nx.MultiDiGraph:
    """The entity and its neighbours up to `radius` hops (1 if 2 would be too many), in rings."""
    return ego_drawing(graph, center, radius).to_networkx()


def hub_nodes(graph: nx.MultiDiGraph, focal_zone: str = "") -> frozenset[str]:
    """Nodes an ego network does not expand through: places (the zone among them), chains
    and frameworks."""
    base = _index(graph).nodes
    return frozenset(n for n, a in base.items() if a["type"] in HUB_TYPES or n == focal_zone)


def ego_drawing(
    graph: nx.MultiDiGraph, center: str, radius: int = 2, hubs: frozenset[str] | None = None
) -> Drawing:
    """`ego` as a `Drawing` (what the site renders for every entity); two-hop paths do not
    pass through `hubs` (default `hub_nodes(graph)`)."""
    index = _index(graph)
    neighbours, base = index.neighbours, index.nodes
    hubs = hub_nodes(graph) if hubs is None else hubs
    hops = _hops(neighbours, center, radius, hubs)
    if radius > 1 and len(hops) > EGO_MAX_NODES:
        hops = _hops(neighbours, center, 1, hubs)
    rings: dict[int, list[str]] = {}
    for node, d in hops.items():
        rings.setdefault(d, []).append(node)
    placed = [(center, dict(base[center], x=0.0, y=0.0, center=True))]
    angle: dict[str, float] = {center: 0.0}
    previous = [center]
    for d in sorted(rings)[1:]:
        parent: dict[str, float] = {}  # the smallest angle of a neighbour one ring inside
        for p in previous:
            for v in neighbours[p]:
                if hops.get(v) == d and angle[p] < parent.get(v, math.inf):
                    parent[v] = angle[p]
        ring = sorted(
            rings[d], key=lambda v: (parent.get(v, 0.0), base[v]["type"], base[v]["label"], v)
        )
        r = 220.0 * d + 12.0 * len(ring) / (2 * math.pi) * (d - 0.5)
        for i, node in enumerate(ring):
            a = 2 * math.pi * i / len(ring)
            angle[node] = a
            x, y = round(r * math.cos(a), 1), round(r * math.sin(a), 1)
            placed.append((node, dict(base[node], x=x, y=y)))
        previous = ring
    edges = [
        (s, o, k, dict(attrs, label=edge_label(k, attrs["label"])))
        for s, o, k, attrs in _edges_among(graph, [node for node, _attrs in placed])
    ]
    return Drawing(placed, edges, {"radius": max(rings)})


def segments_of(graph: nx.MultiDiGraph, data: SiteData, chain: str) -> list[str]:
    """The chain's segments, upstream first (by ckg:order, then id)."""
    segs = [
        s
        for s, _o, k in graph.in_edges(chain, keys=True)
        if k == "inScheme" and graph.nodes[s]["type"] == "ChainSegment"
    ]

    def order(seg: str) -> tuple[int, str]:
        value = data.attr(seg, "order")
        return (int(value) if value.lstrip("-").isdigit() else 10**6, graph.nodes[seg]["id"])

    return sorted(set(segs), key=order)


def actors_in(graph: nx.MultiDiGraph, segment: str) -> list[str]:
    """Who operates in a segment, local first, then by label."""
    actors = {s for s, _o, k in graph.in_edges(segment, keys=True) if k == "operatesInSegment"}
    return sorted(actors, key=lambda a: (not graph.nodes[a]["local"], graph.nodes[a]["label"], a))


def default_status(
    graph: nx.MultiDiGraph, segment: str, weak_threshold: int = WEAK_THRESHOLD
) -> SegmentStatus:
    """Gap level from the projection alone, by the one rule (chainkg.gaps.segment_level)
    with local actors only (used when no analysis was passed in)."""
    n = sum(1 for a in actors_in(graph, segment) if graph.nodes[a]["local"])
    level, _basis = segment_level(n, 0, 0, 0, 0, weak_threshold)
    return SegmentStatus(level.value, n)


def concerning(graph: nx.MultiDiGraph, chain: str, segments: list[str]) -> list[str]:
    """Projects, programs and events about the chain or one of its segments."""
    targets = {chain, *segments}
    found = {
        s
        for t in targets
        for s, _o, k in graph.in_edges(t, keys=True)
        if k in ("concerns", "inChain")
        and graph.nodes[s]["type"] in ("InvestmentProject", "GovernmentProgram", "Event")
    }
    return sorted(found, key=lambda v: (graph.nodes[v]["type"], graph.nodes[v]["label"], v))


def chain_map(
    graph: nx.MultiDiGraph,
    data: SiteData,
    chain: str,
    status: dict[str, SegmentStatus] | None = None,
    panorama: ChainPanorama | None = None,
) -> nx.MultiDiGraph:
    """Segments left (upstream) to right (downstream), their actors stacked below, the chain
    above; projects, programs and events concerning the chain collapsed into one count node
    per type (`collapsed` names it on each item; the page expands it on click). Segment nodes
    carry `level` (missing | weak | covered). With a `panorama`, the reference categories are
    drawn in rows between the chain and the segments (see `_panorama_layer`), each carrying
    `status` (present | missing | no-data), each segment linked to its category."""
    col, row = 200.0, 72.0
    segs = segments_of(graph, data, chain)
    status = status or {}
    view = nx.MultiDiGraph(bands=[], groups=[])
    width = col * max(len(segs) - 1, 0)
    top_x = min(width / 2, col * 1.5)  # over the upstream end, where a zoomed-in map opens
    seg_x = {graph.nodes[seg]["label"]: i * col for i, seg in enumerate(segs)}
    layer = _panorama_layer(panorama, seg_x) if panorama and panorama.categories else None
    shift = -(layer.rows * PANORAMA_ROW + 40.0) if layer else 0.0
    _add(view, graph, chain, top_x, -230.0 + shift, role="chain")
    placed: set[str] = {chain}
    for i, seg in enumerate(segs):
        st = status.get(seg) or default_status(graph, seg)
        _add(
            view,
            graph,
            seg,
            i * col,
            0.0,
            level=st.level,
            role="segment",
            extra=[f"状态: {LEVELS.get(st.level, st.level)} (园区内 {st.local_actors} 家)"],
        )
        placed.add(seg)
        for j, actor in enumerate(a for a in actors_in(graph, seg) if a not in placed):
            _add(
                view,
                graph,
                actor,
                i * col,
                95.0 + j * row,
                muted=not graph.nodes[actor]["local"],
                role="actor",
            )
            placed.add(actor)
    unassigned = sorted(
        (
            s
            for s, _o, k in graph.in_edges(chain, keys=True)
            if k in ("inChain", "leadsChain")
            and graph.nodes[s]["type"] in ("Enterprise", "Organization")
            and s not in placed
        ),
        key=lambda a: (not graph.nodes[a]["local"], graph.nodes[a]["label"], a),
    )
    # A chain without article-named segments (a registry-only data set): its firms stand
    # under the reference category their registry row places them in, as under a segment.
    under: dict[str, int] = {}
    in_category: dict[str, str] = {}  # firm -> the category it is drawn under
    for actor in dict.fromkeys(unassigned):
        anchors = [layer.anchor[c] for c in data.categories.get(actor, []) if c in layer.anchor]
        if segs or not layer or not anchors:
            continue
        x, y = layer.pos[anchors[0]]
        j = under[anchors[0]] = under.get(anchors[0], 0) + 1
        muted = not graph.nodes[actor]["local"]
        _add(view, graph, actor, x, y + 30.0 + j * row, muted=muted, role="actor")
        placed.add(actor)
        in_category[actor] = anchors[0]
    unassigned = [a for a in unassigned if a not in placed]
    for j, actor in enumerate(dict.fromkeys(unassigned)):
        _add(
            view,
            graph,
            actor,
            -col,
            95.0 + j * row,
            muted=not graph.nodes[actor]["local"],
            role="actor",
        )
        placed.add(actor)
    items = [v for v in concerning(graph, chain, segs) if v not in placed]
    by_type: dict[str, list[str]] = {}
    for item in items:
        by_type.setdefault(graph.nodes[item]["type"], []).append(item)
    groups = []
    for g_i, (node_type, members) in enumerate(
        sorted(by_type.items(), key=lambda kv: COLLAPSED_TYPES.index(kv[0]))
    ):
        gx = top_x + (g_i - (len(by_type) - 1) / 2) * col * 1.2
        key = f"group-{node_type}"
        groups.append(
            {
                "key": key,
                "type": node_type,
                "label": f"{type_name(node_type)} ({len(members)})",
                "x": round(gx, 1),
                "y": -120.0 + shift,
                "members": [_index(graph).nodes[m]["key"] for m in members],
            }
        )
        for j, item in enumerate(members):
            r, c = divmod(j, 4)
            x = gx + (c - 1.5) * 150.0
            _add(view, graph, item, x, -330.0 + shift - r * 60.0, collapsed=key)
    view.graph["groups"] = groups
    depth = max((view.nodes[v]["y"] for v in view), default=0.0)
    _copy_edges(view, graph)
    # An actor drawn under one of the chain's segments needs no line to the chain as well.
    in_segment = {s for s, o, k in view.edges(keys=True) if k == "operatesInSegment" and o in segs}
    view.remove_edges_from(
        [(s, chain, "inChain") for s in in_segment if view.has_edge(s, chain, "inChain")]
        + [(s, chain, "inScheme") for s in segs if view.has_edge(s, chain, "inScheme")]
    )
    for a, b in zip(segs, segs[1:], strict=False):
        view.add_edge(a, b, key="next", label="", predicate="next")
    if layer:
        _draw_panorama(view, graph, chain, segs, layer)
        view.remove_edges_from(
            [(a, chain, "inChain") for a in in_category if view.has_edge(a, chain, "inChain")]
        )
        view.add_edges_from(
            (a, c, "inCategory", {"label": "所属类目", "predicate": "inCategory"})
            for a, c in in_category.items()
        )
    stages: dict[str, list[int]] = {}
    for i, seg in enumerate(segs):
        stages.setdefault(data.attr(seg, "stage") or "", []).append(i)
    view.graph["bands"] = [
        {
            "label": name,
            "x0": min(ix) * col - col / 2,
            "x1": max(ix) * col + col / 2,
            "y1": depth + 60.0,
        }
        for name, ix in stages.items()
        if name
    ]
    view.graph["panorama"] = (
        {"shown": len(layer.shown), "total": len(panorama.categories), "rows": layer.rows}
        if layer and panorama
        else None
    )
    view.graph["unassigned"] = bool(unassigned)
    view.graph["unassigned_x"] = -col
    return view


@dataclass(frozen=True)
class _PanoramaLayer:
    """The categories a chain map shows, where, and how many each one folds away."""

    shown: list[CategoryStatus]
    pos: dict[str, tuple[float, float]]  # category IRI -> (x, y)
    folded: dict[str, int]  # category IRI -> descendants not drawn
    parent: dict[str, str]  # category IRI -> shown parent IRI
    rows: int
    anchor: dict[str, str]  # every category IRI -> itself if shown, else its shown ancestor


def _panorama_layer(panorama: ChainPanorama, seg_x: dict[str, float]) -> _PanoramaLayer:
    """Which categories to draw and where. All of them up to PANORAMA_MAX_NODES; above that
    the top two levels plus every category with local firms or an article-named segment (and
    its ancestors), or, if still too many, only those and the tops. Leaves are ordered by the
    segments mapped onto them (upstream first, on average) and placed over those segments where
    there is room; a parent is centred over its children. Rows: the top level first."""
    cats = {c.iri: c for c in panorama.categories}
    top_level = min(c.level for c in cats.values())

    def ancestors(iri: str) -> list[str]:
        out = []
        while (iri := cats[iri].parent) in cats and iri not in out:
            out.append(iri)
        return out

    keep = set(cats)
    if len(cats) > PANORAMA_MAX_NODES:
        important = {i for i, c in cats.items() if c.status == "present" or c.segments}
        wanted = important | {a for i in important for a in ancestors(i)}
        keep = wanted | {i for i, c in cats.items() if c.level - top_level <= 1}
        if len(keep) > PANORAMA_MAX_NODES:
            keep = wanted | {i for i, c in cats.items() if c.parent not in cats}
    parent = {i: next((a for a in ancestors(i) if a in keep), "") for i in cats}
    folded: dict[str, int] = {}
    for i in cats:
        if i not in keep and parent[i]:
            folded[parent[i]] = folded.get(parent[i], 0) + 1
    children: dict[str, list[str]] = {}
    for i in sorted(keep, key=lambda i: cats[i].path):
        children.setdefault(parent[i], []).append(i)

    def own_x(i: str) -> list[float]:
        return [seg_x[s] for s in cats[i].segments if s in seg_x]

    def subtree_x(i: str) -> list[float]:
        return own_x(i) + [x for c in children.get(i, []) for x in subtree_x(c)]

    def first_segment(i: str) -> float:
        """Where the category's segments are, on average (the order of its subtree)."""
        xs = subtree_x(i)
        return sum(xs) / len(xs) if xs else math.inf

    order: list[tuple[str, int]] = []  # (IRI, depth) in tree order

    def walk(i: str, depth: int) -> None:
        order.append((i, depth))
        for c in sorted(children.get(i, []), key=lambda c: (first_segment(c), cats[c].path)):
            walk(c, depth + 1)

    for root in sorted(children.get("", []), key=lambda c: (first_segment(c), cats[c].path)):
        walk(root, 0)
    rows = max(d for _i, d in order) + 1
    x: dict[str, float] = {}
    last = -math.inf
    for i, _d in order:
        if i not in children:  # a leaf: over its segments if there is room
            # over its segments, else under its parent's (a parent named by a segment)
            xs = own_x(i) or (own_x(parent[i]) if parent[i] else [])
            after = last + PANORAMA_COL if last > -math.inf else 0.0
            x[i] = last = max(after, sum(xs) / len(xs)) if xs else after
    for i, _d in reversed(order):
        if i in children:
            kids = [x[c] for c in children[i]]
            x[i] = (min(kids) + max(kids)) / 2
    pos = {i: (round(x[i], 1), -140.0 - (rows - 1 - d) * PANORAMA_ROW) for i, d in order}
    shown = [cats[i] for i, _d in order]
    anchor = {i: i if i in keep else parent[i] for i in cats if i in keep or parent[i]}
    return _PanoramaLayer(shown, pos, folded, {i: parent[i] for i in keep}, rows, anchor)


def _draw_panorama(
    view: nx.MultiDiGraph,
    graph: nx.MultiDiGraph,
    chain: str,
    segs: list[str],
    layer: _PanoramaLayer,
) -> None:
    """Category nodes (`role` category, `status`, `folded`), the tree's edges, an edge from the
    chain to each top category and from each segment to the category it is mapped onto."""
    by_label = {graph.nodes[s]["label"]: s for s in segs}
    for c in layer.shown:
        x, y = layer.pos[c.iri]
        words = PANORAMA_STATUS[c.status]
        lines = [
            c.label,
            f"参考类目 · {c.path}",
            f"状态: {words['zh']} ({words['en']}) — {c.status_text}",
            f"园区内企业 {c.local_firms} 家 · 全部 {c.firms} 家",
        ]
        if c.stage:
            lines.append(f"阶段: {c.stage}")
        if c.segments:
            lines.append("文章所列环节: " + "、".join(c.segments))
        folded = layer.folded.get(c.iri, 0)
        if folded:
            lines.append(f"另有 {folded} 个下级类目未展开(见缺链弱链报告的全景表)")
        view.add_node(
            c.iri,
            key=f"cat-{c.id}",
            label=c.label,
            type="ReferenceCategory",
            title="\n".join(lines),
            x=x,
            y=y,
            role="category",
            status=c.status,
            folded=folded,
        )
        up = layer.parent.get(c.iri, "")
        if up:
            view.add_edge(up, c.iri, key="narrower", label="下位类目", predicate="narrower")
        else:
            view.add_edge(chain, c.iri, key="aligned", label="参考全景", predicate="aligned")
        for name in c.segments:
            if name in by_label:
                view.add_edge(
                    by_label[name], c.iri, key="mappedTo", label="对应类目", predicate="mappedTo"
                )
                seg = view.nodes[by_label[name]]
                seg["title"] += f"\n参考类目: {c.label} ({words['zh']})"


def evidence_details(data: SiteData, view: nx.MultiDiGraph) -> dict[str, dict]:
    """For each enterprise or organization of a view: up to EVIDENCE_PER_NODE quotes with the
    article page (scrolled to the quote), title and date, and how many quotes there are."""
    out: dict[str, dict] = {}
    for node, attrs in view.nodes(data=True):
        if attrs["type"] not in ("Enterprise", "Organization") or node not in data.graph:
            continue
        evs = data.evidence.get(node, [])
        quotes = []
        for ev in evs[:EVIDENCE_PER_NODE]:
            src = data.sources.get(ev.source)
            quotes.append(
                {
                    "quote": ev.quote,
                    "title": src.title if src else ev.source,
                    "date": src.date if src else "",
                    "href": (
                        f"articles/{src.key}.html"
                        + (f"#q={ev.start}-{ev.start + len(ev.quote)}" if ev.start >= 0 else "")
                        if src
                        else ""
                    ),
                }
            )
        out[attrs["key"]] = {"quotes": quotes, "total": len(evs)}
    return out
