"""Positions computed in Python, so that no page has to run physics in the browser.

`component_layout(graph)` lays out each connected component on its own — a vectorised
Fruchterman-Reingold (numpy) for components up to `FR_MAX` nodes, BFS rings around the
best-connected node above that — and packs the components in rows, largest first, with the
isolated nodes in a grid at the end. Linear in the graph for big components, deterministic.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

FR_MAX = 600
SPACING = 45.0  # average distance between neighbouring nodes, in drawing units


def fruchterman_reingold(graph: nx.Graph, iterations: int = 60, seed: int = 7) -> np.ndarray:
    """Force-directed positions (n x 2, roughly in [0, 1]) of a small graph, dense numpy."""
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    adj = (nx.to_numpy_array(graph, nodelist=nodes, weight=None) > 0).astype(np.float32)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    k = math.sqrt(1.0 / n)
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.clip(dist, 0.01, None, out=dist)
        force = k * k / dist**2 - adj * dist / k
        disp = np.einsum("ijk,ij->ik", delta, force)
        length = np.hypot(disp[:, 0], disp[:, 1])
        length[length < 0.01] = 0.1
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos


def rings(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Concentric BFS rings around the best-connected node (for very large components)."""
    center = max(graph.nodes, key=lambda v: (graph.degree(v), str(v)))
    hops = nx.single_source_shortest_path_length(graph, center)
    by_ring: dict[int, list[str]] = {}
    for node, d in hops.items():
        by_ring.setdefault(d, []).append(node)
    angle: dict[str, float] = {center: 0.0}
    pos = {center: (0.0, 0.0)}
    radius = 0.0
    for d in sorted(by_ring)[1:]:

        def parent(v: str, d: int = d) -> float:
            return min((angle[p] for p in graph[v] if hops.get(p) == d - 1), default=0.0)

        ring = sorted(by_ring[d], key=lambda v: (parent(v), str(v)))
        radius = max(radius + SPACING * 2, SPACING * len(ring) / (2 * math.pi))
        for i, node in enumerate(ring):
            a = 2 * math.pi * i / len(ring)
            angle[node] = a
            pos[node] = (radius * math.cos(a), radius * math.sin(a))
    return pos


def _component(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    n = graph.number_of_nodes()
    if n > FR_MAX:
        return rings(graph)
    nodes = list(graph.nodes)
    raw = fruchterman_reingold(graph, seed=seed)
    raw -= raw.mean(axis=0)
    extent = float(np.abs(raw).max()) or 1.0
    scale = SPACING * math.sqrt(n) * 0.9 / extent
    return {v: (float(x) * scale, float(y) * scale) for v, (x, y) in zip(nodes, raw, strict=True)}


def _ordered_subgraph(graph: nx.Graph, nodes: list[str]) -> nx.Graph:
    """A copy of the subgraph with nodes and edges in sorted order. (`graph.subgraph` iterates
    a Python set for small node sets, so its order, and the layout, would follow the hash seed.)"""
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges()))
    return sub


def component_layout(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for every node: components laid out apart, packed in rows, largest first."""
    simple = nx.Graph(graph.to_undirected(as_view=True)) if graph.is_directed() else graph
    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(simple)),
        key=lambda c: (-len(c), str(c[0])),
    )
    boxes: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    singles = [c[0] for c in comps if len(c) == 1]
    for comp in comps:
        if len(comp) == 1:
            continue
        pos = _component(_ordered_subgraph(simple, comp), seed)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        shifted = {v: (x - min(xs), y - min(ys)) for v, (x, y) in pos.items()}
        boxes.append((shifted, max(xs) - min(xs) + SPACING * 2, max(ys) - min(ys) + SPACING * 2))
    if singles:
        cols = max(1, math.ceil(math.sqrt(len(singles))))
        grid = {v: ((i % cols) * SPACING * 2, (i // cols) * SPACING) for i, v in enumerate(singles)}
        rows = math.ceil(len(singles) / cols)
        boxes.append((grid, cols * SPACING * 2 + SPACING, rows * SPACING + SPACING))
    total_area = sum(w * h for _p, w, h in boxes) or 1.0
    row_width = max(max((w for _p, w, _h in boxes), default=0.0), math.sqrt(total_area) * 1.3)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in pos.items():
            out[v] = (round(px + x, 1), round(py + y, 1))
        x += w
        row_height = max(row_height, h)
    return out
