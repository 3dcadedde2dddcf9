"""A view graph as a vis-network page: `network_html(view, ...) -> str`, a pure conversion.

The page loads vis-network from the site's own `static/` folder (never a CDN), draws the
positions computed in Python with physics off, and exposes `window.chainkgView` (network,
nodes, edges, ready) for tests and the timing bench.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from chainkg_viz.analysis import LEVELS as GAP_LEVELS
from chainkg_viz.analysis import PANORAMA_STATUS
from chainkg_viz.html import render
from chainkg_viz.views import LEVELS, TYPES, Drawing

FONT_FACE = (
    '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", '
    '"Source Han Sans SC", "SimHei", sans-serif'
)
LARGE = 1000  # above this many nodes: lighter drawing (see vis_data)
# Types that keep their labels on the canvas in large views; others show on hover and click.
LARGE_VIEW_LABELS = ("IndustrialChain", "ChainSegment", "ClusterFramework", "Place")
LEVEL_STYLE = {
    level: {
        "background": "#ffffff" if level == "missing" else words["bg"],
        "border": words["color"],
    }
    for level, words in GAP_LEVELS.items()
}
# Chain maps: label sizes (drawing units) by the node's role, and the widest label line.
ROLE_FONT = {"chain": 22, "segment": 20, "actor": 17, "group": 17, "category": 17}
SMALL_CATEGORY_FONT = 14  # reference categories without local firms are drawn smaller
LABEL_WIDTH = 170
CATEGORY_WIDTH = 150  # reference categories sit PANORAMA_COL (200) apart
MIN_LABEL_PX = 12  # the page zooms in no further out than this for actors' labels


def vis_options(n_nodes: int) -> dict:
    """vis-network options: no physics (positions are given), hover tooltips."""
    large = n_nodes > LARGE
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "size": 12,
            "borderWidth": 1,
            "font": {"face": FONT_FACE, "size": 14, "color": "#222"},
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "color": {"color": "#b8b8b8", "highlight": "#444", "hover": "#444"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "font": {"face": FONT_FACE, "size": 11, "color": "#666", "strokeWidth": 3},
        },
        "groups": {
            name: {"color": {"background": color, "border": color}, "shape": shape}
            for name, (_zh, color, shape) in TYPES.items()
        },
    }


def vis_node(node: str, attrs: dict) -> dict:
    """One vis-network node from a view node."""
    out = {
        "id": attrs["key"],
        "label": attrs["label"],
        "group": attrs["type"],
        "title": attrs["title"],
        "x": attrs["x"],
        "y": attrs["y"],
    }
    if attrs.get("center"):
        out["size"] = 22
        out["font"] = {"size": 18, "bold": True}
    level = attrs.get("level")
    if level:
        out["color"] = LEVEL_STYLE[level]
        out["borderWidth"] = 3
        out["font"] = {"color": "#222"}
        if level != "covered":
            out["label"] = f"{attrs['label']}\n【{LEVELS[level]}】"
            out["shapeProperties"] = {"borderDashes": [6, 4]} if level == "missing" else {}
    status = attrs.get("status")
    if status:  # a reference category of the chain's panorama
        words = PANORAMA_STATUS[status]
        out["shape"] = "box"  # a pill: rounded, unlike the segments' square boxes
        out["color"] = {"background": words["bg"], "border": words["color"]}
        out["borderWidth"] = 3 if status == "present" else 2
        out["label"] = f"{attrs['label']}\n〔{words['zh']}〕"
        if attrs.get("folded"):
            out["label"] += f" +{attrs['folded']}类"
        out["shapeProperties"] = {"borderRadius": 14}
        if status != "present":
            out["shapeProperties"]["borderDashes"] = [2, 3] if status == "no-data" else [6, 4]
        out["category"] = status
    role = attrs.get("role")
    if role:
        font = dict(out.get("font", {}), size=ROLE_FONT[role])
        if role in ("chain", "segment"):
            font["bold"] = True
        if role == "category" and status != "present":
            font.update(size=SMALL_CATEGORY_FONT, color="#555")
        out["font"] = font
        out["widthConstraint"] = {"maximum": CATEGORY_WIDTH if status else LABEL_WIDTH}
    if attrs.get("collapsed"):
        out["hidden"] = True
        out["collapsed"] = attrs["collapsed"]
    if attrs.get("muted"):
        out["opacity"] = 0.45
    return out


def group_node(group: dict) -> dict:
    """The count node standing for a collapsed set of projects, programs or events."""
    return {
        "id": group["key"],
        "label": group["label"] + " ▸",
        "title": group["label"] + "\n点击展开 / 收起",
        "group": group["type"],
        "shape": "box",
        "x": group["x"],
        "y": group["y"],
        "members": group["members"],
        "font": {"size": ROLE_FONT["group"]},
        "shapeProperties": {"borderDashes": [4, 3]},
        "color": {"background": "#ffffff", "border": TYPES[group["type"]][1]},
        "borderWidth": 2,
    }


def vis_data(view: nx.MultiDiGraph | Drawing, edge_labels: bool | None = None) -> dict:
    """Nodes, edges, legend and options of a view, sorted for deterministic output."""
    drawing = view if isinstance(view, Drawing) else Drawing.of(view)
    n = len(drawing.nodes)
    chain_map = "groups" in drawing.attrs
    show_labels = (n <= 150 and not chain_map) if edge_labels is None else edge_labels
    key = {node: attrs["key"] for node, attrs in drawing.nodes}
    nodes = [vis_node(node, attrs) for node, attrs in sorted(drawing.nodes, key=_node_key)]
    if n > LARGE:  # measuring thousands of labels delays the first drawing
        for node in nodes:
            if node["group"] not in LARGE_VIEW_LABELS:
                del node["label"]
    edges = []
    for i, (s, o, k, attrs) in enumerate(sorted(drawing.edges, key=_edge_key)):
        edge = {"id": f"e{i}", "from": key[s], "to": key[o], "title": attrs["label"]}
        if k == "next":
            edge.update({"dashes": True, "width": 3, "color": {"color": "#9467bd"}})
        elif k == "mappedTo":  # an article-named segment onto its reference category
            edge.update({"dashes": [2, 4], "width": 2, "color": {"color": "#00897b"}})
        elif k in ("narrower", "aligned"):  # the reference tree
            edge.update({"width": 1, "color": {"color": "#cfcfcf"}, "arrows": {"to": False}})
        elif show_labels:
            edge["label"] = attrs["label"]
        edges.append(edge)
    groups = drawing.attrs.get("groups", [])
    nodes += [group_node(group) for group in groups]
    counts = Counter(attrs["type"] for _n, attrs in drawing.nodes)
    legend = [
        {"type": t, "label": zh, "color": color, "count": counts[t]}
        for t, (zh, color, _shape) in TYPES.items()
        if counts[t]
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "options": vis_options(n),
        "bands": drawing.attrs.get("bands", []),
        "fit": sorted(
            [attrs["key"] for _n, attrs in drawing.nodes if attrs.get("role")]
            + [group["key"] for group in groups]
        ),
        "minLabelPx": (
            MIN_LABEL_PX
            if groups or drawing.attrs.get("bands") or drawing.attrs.get("panorama")
            else 0
        ),
        "actorFont": ROLE_FONT["actor"],
    }


def _node_key(node: tuple[str, dict]) -> str:
    return node[1]["key"]


def _edge_key(edge: tuple) -> tuple[str, str, str]:
    s, o, k, _attrs = edge
    return (s, o, k)


def network_html(
    view: nx.MultiDiGraph | Drawing,
    *,
    title: str,
    site_title: str,
    root: str = "",
    subtitle: str = "",
    template: str = "network.html",
    **context: object,
) -> str:
    """The HTML page drawing a view graph; `root` is the relative path to the site root."""
    drawing = view if isinstance(view, Drawing) else Drawing.of(view)
    data = vis_data(drawing)
    data["root"] = root
    data["hiddenTypes"] = context.pop("hidden_types", [])
    data["details"] = context.pop("details", {})
    data["panoramaHref"] = context.pop("panorama_href", "")
    return render(
        template,
        page_title=title,
        site_title=site_title,
        root=root,
        subtitle=subtitle,
        view=data,
        node_count=len(drawing.nodes),
        edge_count=len(data["edges"]),
        status_levels=context.pop("level_legend", None),
        **context,
    )
