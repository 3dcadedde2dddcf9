"""The zone's registry changes page: `changes_page(zone_changes(target), title) -> str`.

What the registry exports changed for the focal zone's enterprises, from the graph (the
build writes each change with its meaning for the zone, `chainkg.presence.zone_events`):
per export, the chains' counts (`registry-changes-by-chain`), then the firms that entered
the zone, left it, closed or changed (`registry-changes-in-zone`), each event's first
`CHANGES_SHOWN` entries with the total and the command that lists them all. The static site
writes it as `changes.html` and `chainkg serve` renders it on request (`chainkg_viz.live`);
a graph without registry changes has no such page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chainkg.project import local_name
from chainkg.queries import get_query, run_named_query
from chainkg.vocab import CKG
from chainkg_viz.data import slug
from chainkg_viz.html import render

CHANGES_SHOWN = 200  # entries of each event a page prints (the query lists them all)
# the events in their order (the ontology's ckg:order), as the query names them, and their
# IRIs (the query's parameter: an IRI is looked up, a name resolved first)
EVENT_TERMS = {
    "新进园区": CKG.EnteredZone,
    "迁出园区": CKG.LeftZone,
    "注销吊销": CKG.ClosedInZone,
    "园区企业变更": CKG.ChangedInZone,
}
EVENTS = tuple(EVENT_TERMS)
EVENT_NOTES = {
    "新进园区": "新登记且在园区，或注册地址迁入园区：可跟进服务、纳入链上配套",
    "迁出园区": "此前注册在园区、仍在经营，如今不在园区：核实去向，评估对链条的影响",
    "注销吊销": "园区企业登记状态由存续变为注销、吊销：所在环节可能变弱",
    "园区企业变更": "园区企业的名称、注册资本、行业、经营范围等变更",
}


@dataclass
class ZoneChanges:
    """The zone's registry changes: per export (latest first) the chains' counts, and per
    event its first entries (of every export) and its total."""

    chains: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # export -> counts
    dates: dict[str, str] = field(default_factory=dict)  # export -> its date
    events: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def zone_changes(
    target: Any, shown: int = CHANGES_SHOWN, listings: Any = None
) -> ZoneChanges | None:
    """The zone's registry changes, or None when the graph holds none. `target`: anything
    `chainkg.queries.run_query` accepts; with the build's `listings` side table
    (`chainkg.listings`), the answers are read from it."""
    found = ZoneChanges()
    by_chain = run_named_query(target, get_query("registry-changes-by-chain"), listings=listings)
    for row in by_chain.records():
        key = slug(local_name(row["chain"])) if row["chain"] else ""
        found.chains.setdefault(row["export"], []).append({**row, "key": key})
        found.dates[row["export"]] = row["export_date"]
    if not found.chains:
        return None
    listed = get_query("registry-changes-in-zone")
    for event, term in EVENT_TERMS.items():
        params = {"event": str(term)}
        answer = run_named_query(target, listed, params, limit=shown, listings=listings)
        found.totals[event] = answer.total if answer.total is not None else len(answer.rows)
        found.events[event] = [
            {**row, "key": slug(local_name(row["enterprise"]))} for row in answer.records()
        ]
    return found


def changes_page(changes: ZoneChanges, site_title: str) -> str:
    """The page of the zone's registry changes (`zone_changes`)."""
    return render(
        "changes.html",
        page_title="登记变动",
        site_title=site_title,
        root="",
        changes=changes,
        events=EVENTS,
        notes=EVENT_NOTES,
    )
