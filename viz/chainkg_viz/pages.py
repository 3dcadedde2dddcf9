"""The non-network pages as HTML strings: the home dashboard, entity and article pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainkg_viz.analysis import LEVELS, Analysis
from chainkg_viz.changes import ZoneChanges
from chainkg_viz.data import Evidence, SiteData, Source
from chainkg_viz.html import render
from chainkg_viz.views import TYPES, type_name

CONTEXT = 120  # characters of article text shown around a quote


PLAN_KINDS = ("Plan", "ActionPlan", "PolicyDocument")  # program kinds that are a plan (一划)
GENERIC_ROLES = 1  # a framework whose members all share one role does not rank them
TOP_LEADS = 10  # leads shown on the home page (all are in the reports and the Excel file)


@dataclass(frozen=True)
class ChainRow:
    """One chain on the dashboard: its figures, roles and the pages about it."""

    key: str
    report: str  # gap report / export id ('' when the analysis does not know the chain)
    label: str
    territory: str
    roles: tuple[str, ...]
    segments: int
    missing: int
    weak: int
    covered: int
    pipeline: int
    local_enterprises: int
    supply_rate: str
    benchmark_rate: str
    plans: tuple[tuple[str, str], ...]  # (key, label) of plans concerning the chain
    zone: bool
    benchmark: bool
    data_gaps: int
    export: bool  # whether export/<report>.xlsx exists
    reference_panorama: bool = False  # aligned to a reference classification
    pipeline_segments: int = 0  # segments whose capacity is under way (在建补链)

    @property
    def attention(self) -> tuple:
        """Sort key: chains with segments first, then most missing, pipeline and weak segments,
        then most pipeline projects."""
        return (
            self.segments == 0,
            -self.missing,
            -self.pipeline_segments,
            -self.weak,
            -self.pipeline,
            -_rate_gap(self.supply_rate, self.benchmark_rate),
            self.label,
            self.key,
        )


def _percent(text: str) -> float | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
    return float(match.group(1)) if match else None


def _rate_gap(rate: str, benchmark: str) -> float:
    """How far the local supply rate is below its benchmark, in points (0 if unknown)."""
    own, other = _percent(rate), _percent(benchmark)
    return other - own if own is not None and other is not None else 0.0


def _chain_roles(data: SiteData) -> dict[str, list[str]]:
    """Chain -> roles in the focal zone's newest framework that gives its members different
    roles (e.g. leading and featured clusters)."""
    g = data.graph
    ranked = []
    for fw, members in data.memberships.items():
        territory = {o for _s, o, k in g.out_edges(fw, keys=True) if k == "territory"}
        roles = {role for _c, role in members if role}
        if data.focal_zone in territory and len(roles) > GENERIC_ROLES:
            ranked.append((int(data.attr(fw, "adoptedIn") or 0), fw))
    if not ranked:
        return {}
    _year, newest = max(ranked)
    out: dict[str, list[str]] = {}
    for chain, role in data.memberships[newest]:
        if role:
            out.setdefault(chain, []).append(role)
    return out


def _plans(data: SiteData, chain: str) -> tuple[tuple[str, str], ...]:
    g = data.graph
    found = {
        s
        for s, _o, k in g.in_edges(chain, keys=True)
        if k in ("concerns", "inChain")
        and g.nodes[s]["type"] == "GovernmentProgram"
        and g.nodes[s]["kind"] in PLAN_KINDS
    }
    return tuple(sorted((data.key(p), g.nodes[p]["label"]) for p in found))


def chain_rows(data: SiteData, analysis: Analysis) -> list[ChainRow]:
    """Every chain of the analysis as a dashboard row (in the analysis's order)."""
    g = data.graph
    roles = _chain_roles(data)
    rows = []
    for r in analysis.chains:
        s = r.summary
        if s.iri not in g:
            continue
        rows.append(
            ChainRow(
                key=data.key(s.iri),
                report=s.id,
                label=s.label,
                territory=s.territory,
                roles=tuple(roles.get(s.iri, [])),
                segments=s.segments,
                reference_panorama=s.reference_panorama,
                pipeline_segments=s.pipeline,
                missing=s.missing,
                weak=s.weak,
                covered=s.covered,
                pipeline=r.pipeline,
                local_enterprises=max(s.local_enterprise_total, len(s.local_enterprises)),
                supply_rate=s.local_supply_rate,
                benchmark_rate="、".join(f.value_text for f in s.benchmark_supply_rates),
                plans=_plans(data, s.iri),
                zone=r.zone_chain,
                benchmark=s.benchmark,
                data_gaps=len(s.data_gaps),
                export=r.exportable,
            )
        )
    return rows


def dashboard(data: SiteData, analysis: Analysis) -> dict:
    """What the home page shows: the zone's chains by attention, the others apart."""
    rows = chain_rows(data, analysis)
    zone = sorted((r for r in rows if r.zone), key=lambda r: r.attention)
    others = sorted((r for r in rows if not r.zone), key=lambda r: (not r.benchmark, r.attention))
    g = data.graph
    method = sorted(
        (data.key(n), a["label"])
        for n, a in g.nodes(data=True)
        if a["type"] == "GovernmentProgram" and "七清单" in a["label"]
    )
    leads = []
    for report in analysis.chains:
        if not report.zone_chain or report.iri not in g:
            continue
        for gap, cand in report.leads():
            leads.append(
                {
                    "key": data.key(cand.iri) if cand.iri in g else "",
                    "label": cand.label,
                    "chain": report.summary.label,
                    "report": report.id,
                    "segment": gap.segment if gap else "",
                    "level": gap.level if gap else "",
                    "reason": cand.reasons[0] if cand.reasons else "",
                    "rank": cand.rank,
                    "strength": cand.strength,
                }
            )
    leads.sort(key=lambda ld: (-ld["strength"], ld["rank"] or 99, ld["chain"], ld["label"]))
    return {
        "leads": leads[:TOP_LEADS],
        "zone_chains": zone,
        "other_chains": others,
        "method": method,
        "totals": {
            "missing": sum(r.missing for r in zone),
            "weak": sum(r.weak for r in zone),
            "pipeline": sum(r.pipeline for r in zone),
            "leads": sum(len(c.leads()) for c in analysis.chains if c.zone_chain and c.iri in g),
        },
    }


def index_html(
    data: SiteData, board: dict, search_source: str = "", changes: ZoneChanges | None = None
) -> str:
    """The entry page: the zone's dashboard, search, frameworks, every entity, and the
    registry changes' counts (`chainkg_viz.changes`) when there are any. The search box
    looks in the page's own entities, or asks `search_source` (a served site's name search,
    `search.json?text=`) when given."""
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
        board=board,
        levels=LEVELS,
        groups=groups,
        search=search,
        search_source=search_source,
        changes=changes.totals if changes else None,
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


def profile_sections(facts: list) -> list[dict]:
    """An enterprise's profile lines grouped by field, in the query's order: [{zh, en, facts}]."""
    sections: list[dict] = []
    for fact in facts:
        if not sections or sections[-1]["field"] != fact.field:
            zh, _sep, en = fact.field.partition(" ")
            sections.append({"field": fact.field, "zh": zh, "en": en, "facts": []})
        sections[-1]["facts"].append(fact)
    return sections


def entity_html(
    data: SiteData, node: str, views: list[dict[str, str]] | None = None, more: int = 0
) -> str:
    """An entity's page: type, labels, attributes, linked relations and quoted evidence;
    `more`: relations the graph holds beyond those in `data` (a page served at scale)."""
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
        "more": more,
        "profile": profile_sections(data.profiles.get(node, [])),
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
