"""The non-network pages as HTML strings: index, entity pages and article pages."""

from __future__ import annotations

from dataclasses import dataclass

from chainkg_viz.data import Evidence, SiteData, Source
from chainkg_viz.html import render
from chainkg_viz.views import TYPES, SegmentStatus, type_name

CONTEXT = 120  # characters of article text shown around a quote


@dataclass(frozen=True)
class ChainRow:
    """One chain in the index: its key, label, territory and gap counts."""

    key: str
    label: str
    territory: str
    segments: int
    missing: int
    weak: int
    covered: int
    focal: bool


def chain_row(data: SiteData, chain: str, status: dict[str, SegmentStatus]) -> ChainRow:
    g = data.graph
    levels = [s.level for s in status.values()]
    territory = [o for _s, o, k in g.out_edges(chain, keys=True) if k == "territory"]
    return ChainRow(
        key=data.key(chain),
        label=g.nodes[chain]["label"],
        territory="、".join(sorted(g.nodes[t]["label"] for t in territory)),
        segments=len(levels),
        missing=levels.count("missing"),
        weak=levels.count("weak"),
        covered=levels.count("covered"),
        focal=data.focal_zone in territory,
    )


def index_html(data: SiteData, chains: list[ChainRow], gaps: bool) -> str:
    """The entry page: frameworks, chains with gap counts, search, every entity."""
    g = data.graph
    frameworks = []
    for fw in sorted(
        (n for n, a in g.nodes(data=True) if a["type"] == "ClusterFramework"),
        key=lambda n: (  # the focal zone's own frameworks first, newest first
            not any(
                g.nodes[t]["local"] for _s, t, k in g.out_edges(n, keys=True) if k == "territory"
            ),
            -int(data.attr(n, "adoptedIn") or 0),
            g.nodes[n]["label"],
        ),
    ):
        territory = [o for _s, o, k in g.out_edges(fw, keys=True) if k == "territory"]
        members = dict(data.memberships.get(fw, []))
        for _s, c, k in g.out_edges(fw, keys=True):
            if k == "hasMember":
                members.setdefault(c, "")
        frameworks.append(
            {
                "key": data.key(fw),
                "label": g.nodes[fw]["label"],
                "year": data.attr(fw, "adoptedIn"),
                "territory": "、".join(sorted(g.nodes[t]["label"] for t in territory)),
                "members": [
                    {"key": data.key(c), "label": g.nodes[c]["label"], "role": role}
                    for c, role in sorted(members.items(), key=lambda cr: (cr[1], cr[0]))
                ],
            }
        )
    groups = []
    for t in TYPES:
        items = sorted(
            (
                {"key": data.key(n), "label": a["label"]}
                for n, a in g.nodes(data=True)
                if a["type"] == t
            ),
            key=lambda it: (it["label"], it["key"]),
        )
        if items:
            groups.append({"name": type_name(t), "items": items})
    search = [
        {
            "key": data.key(n),
            "label": a["label"],
            "type": type_name(a["type"]),
            "aliases": "、".join(a["aliases"]),
            "text": " ".join([a["label"], a["label_en"] or "", *a["aliases"], a["id"]]).lower(),
        }
        for n, a in sorted(g.nodes(data=True))
        if a["type"] != "Statistic"
    ]
    zone = (
        {"key": data.key(data.focal_zone), "label": g.nodes[data.focal_zone]["label"]}
        if data.focal_zone in g
        else None
    )
    return render(
        "index.html",
        page_title="首页",
        site_title=data.title,
        root="",
        zone=zone,
        n_nodes=g.number_of_nodes(),
        n_edges=g.number_of_edges(),
        frameworks=frameworks,
        chains=sorted(chains, key=lambda c: (not c.focal, c.label, c.key)),
        gaps=gaps,
        groups=groups,
        search=search,
    )


def _evidence(data: SiteData, ev: Evidence) -> dict:
    src = data.sources.get(ev.source)
    text = src.text if src else ""
    start = max(ev.start, 0)
    end = start + len(ev.quote)
    return {
        "quote": ev.quote,
        "before": text[max(0, start - CONTEXT) : start] if ev.start >= 0 else "",
        "after": text[end : end + CONTEXT] if ev.start >= 0 else "",
        "start": start,
        "end": end,
        "source_key": src.key if src else "",
        "source_title": src.title if src else ev.source,
        "mode": ev.mode,
        "note": ev.note,
    }


def entity_html(data: SiteData, node: str, views: list[dict[str, str]] | None = None) -> str:
    """An entity's page: type, labels, attributes, linked relations and quoted evidence."""
    g = data.graph
    a = g.nodes[node]
    relations = []
    for s, o, k, attrs in sorted(g.out_edges(node, keys=True, data=True)):
        relations.append((False, k, attrs["label"], o, data.relation_evidence.get((s, k, o), [])))
    for s, o, k, attrs in sorted(g.in_edges(node, keys=True, data=True)):
        relations.append((True, k, attrs["label"], s, data.relation_evidence.get((s, k, o), [])))
    rows = []
    for incoming, pred, label, other, evs in relations:
        triple = (other, pred, node) if incoming else (node, pred, other)
        rows.append(
            {
                "incoming": incoming,
                "label": label,
                "role": data.relation_roles.get(triple, ""),
                "key": data.key(other),
                "other": g.nodes[other]["label"],
                "type_name": type_name(g.nodes[other]["type"]),
                "evidence": [_evidence(data, ev) for ev in evs],
            }
        )
    entity = {
        "id": a["id"],
        "iri": node,
        "key": data.key(node),
        "type": a["type"],
        "type_name": type_name(a["type"]),
        "kind": a["kind"],
        "label": a["label"],
        "label_en": a["label_en"],
        "aliases": a["aliases"],
        "local": a["local"],
        "attributes": [
            (data.attribute_labels.get(p, p), v) for p, v in data.attributes.get(node, [])
        ],
        "relations": rows,
        "evidence": [_evidence(data, ev) for ev in data.evidence.get(node, [])],
        "views": views or [],
    }
    return render("entity.html", page_title=a["label"], site_title=data.title, root="../", e=entity)


def article_html(data: SiteData, source: Source) -> str:
    """A source article in full; `#q=start-end` in the URL highlights a quote."""
    return render(
        "article.html",
        page_title=source.title,
        site_title=data.title,
        root="../",
        a=source,
    )
