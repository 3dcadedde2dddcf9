"""The seven lists (七清单) of a chain, from `queries/list-*.rq`: `seven_lists(store, chain)`;
what a report prints of them, `list_heads(store)` (the first LIST_SHOWN entries of each list
and its total), and a page of one whole list, `list_page(store, chain, key, offset, limit)`.

The zone's method 一划两图七清单 keeps, per chain: early-stage projects; main upstream /
midstream / downstream enterprises; leading domestic and foreign enterprises; research
institutes and universities; industry associations and chambers; important fairs and forums;
industry experts. An empty list is returned empty and shown as a gap in the data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from chainkg.gaps import Evidence, resolve_chain
from chainkg.gaps.fetch import Sources
from chainkg.project import local_name
from chainkg.queries import get_query, run_query

# key -> (query, Chinese title, English title), in the zone's order.
LISTS: dict[str, tuple[str, str, str]] = {
    "early_stage_projects": ("list-early-stage-projects", "前期项目清单", "Early-stage projects"),
    "main_enterprises": (
        "list-main-enterprises",
        "上中下游主要企业清单",
        "Main upstream, midstream and downstream enterprises",
    ),
    "leading_enterprises": (
        "list-leading-enterprises",
        "国内外龙头企业清单",
        "Leading domestic and foreign enterprises",
    ),
    "research_institutes": (
        "list-research-institutes",
        "科研院所和高校清单",
        "Research institutes and universities",
    ),
    "associations": (
        "list-associations",
        "行业协会和商会清单",
        "Industry associations and chambers of commerce",
    ),
    "fairs_forums": ("list-fairs-forums", "重要展会论坛清单", "Important fairs and forums"),
    "experts": ("list-experts", "产业专家清单", "Industry experts"),
}
LIST_SHOWN = 50  # entries of each list a gap report prints; the rest are counted and linked
EMPTY_NOTE = "数据缺口:图谱中暂无此清单的条目 (data gap: the graph has no entries for this list)"
# Lists whose emptiness says something more specific than a data gap.
EMPTY_NOTES = {
    "experts": "来源文章未点名本链的产业专家或链长 "
    "(the sources name no expert or chain chief of this chain)",
}


@dataclass
class ListItem:
    """One entry of a list, with its evidence."""

    id: str
    label: str
    kind: str
    detail: str
    local: bool
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ListPage:
    """Some entries of one list (`key` of LISTS), from entry `offset` in the list's order,
    and how many entries the whole list has."""

    key: str
    items: list[ListItem]
    total: int
    offset: int = 0

    @property
    def query(self) -> str:
        """The named query listing the whole list."""
        return LISTS[self.key][0]


def seven_lists(store: ox.Store, chain: str, listings: Any = None) -> dict[str, list[ListItem]]:
    """The seven lists of the named chain (name, id, alias or IRI), each sorted (a list the
    listings side table holds, from it)."""
    iri = resolve_chain(store, chain)
    heads = _lists_by_chain(store, {"chain": iri}, listings)
    return {key: head.items for key, head in heads.get(iri, _empty()).items()}


def seven_lists_of_all_chains(
    store: ox.Store, listings: Any = None
) -> dict[str, dict[str, list[ListItem]]]:
    """The seven lists of every chain, keyed by chain IRI: seven queries in all, not per chain;
    a list the listings side table written with the graph holds for every chain
    (`listings`, `chainkg.listings.Listings`: `list-main-enterprises`, 370,000 rows at 1M
    enterprises) is read from it, chain by chain."""
    return {
        chain: {key: head.items for key, head in heads.items()}
        for chain, heads in _lists_by_chain(store, {}, listings).items()
    }


def list_heads(
    store: ox.Store, listings: Any = None, shown: int = LIST_SHOWN
) -> dict[str, dict[str, ListPage]]:
    """The first `shown` entries of each of the seven lists of every chain, with each list's
    total, keyed by chain IRI: what a gap report prints. Only the shown entries get their
    evidence (a list's other rows are read for their keys alone: the total and the order)."""
    return _lists_by_chain(store, {}, listings, 0, shown)


def list_page(
    store: ox.Store, chain: str, key: str, offset: int, limit: int, listings: Any = None
) -> ListPage:
    """Entries [offset, offset + limit) of one list (`key` of LISTS) of the named chain, in
    the list's order, with the list's total: a page of the whole list."""
    if key not in LISTS:
        raise ValueError(f"no list '{key}'; the lists are: {', '.join(LISTS)}")
    iri = resolve_chain(store, chain)
    heads = _lists_by_chain(store, {"chain": iri}, listings, offset, limit, only=key)
    return heads.get(iri, _empty())[key]


def _empty() -> dict[str, ListPage]:
    return {key: ListPage(key, [], 0) for key in LISTS}


def _stored_rows(
    store: ox.Store, query: str, params: dict[str, str], listings: Any
) -> list[dict[str, str]] | None:
    """The rows of a list query from the listings side table, each with its chain, or None
    when the table does not hold them (for the given chain, or for every chain)."""
    if listings is None:
        return None
    named = get_query(query)
    if params:
        chains = [params["chain"]]
    else:
        found = run_query(store, "SELECT DISTINCT ?c WHERE { ?c a ckg:IndustrialChain }")
        chains = [row[0] for row in found.rows]
    rows: list[dict[str, str]] = []
    for chain in chains:
        answer = listings.answer(named, {"chain": chain})
        if answer is None:
            return None
        rows += [{**r, "chain": chain} for r in answer.records()]
    return rows


def _lists_by_chain(
    store: ox.Store,
    params: dict[str, str],
    listings: Any = None,
    offset: int = 0,
    limit: int | None = None,
    only: str = "",
) -> dict[str, dict[str, ListPage]]:
    sources = Sources(store)
    rows_by_chain: dict[str, dict[str, list[dict[str, str]]]] = {}
    for key, (query, _zh, _en) in LISTS.items():
        if only and key != only:
            continue
        found = _stored_rows(store, query, params, listings)
        if found is None:
            found = run_query(store, get_query(query).text, params).records()
        for r in found:
            rows_by_chain.setdefault(r["chain"], {}).setdefault(key, []).append(r)
    return {
        chain: {
            key: _page(key, lists.get(key, []), sources, offset, limit)
            for key in LISTS
            if not only or key == only
        }
        for chain, lists in rows_by_chain.items()
    }


def _page(
    key: str, rows: list[dict[str, str]], sources: Sources, offset: int, limit: int | None
) -> ListPage:
    """One list's rows -> its entries [offset, offset + limit) (all when limit is None), with
    their evidence, sorted by stage, locality, kind, label; and the number of entries."""
    items: dict[tuple[str, str, str], ListItem] = {}
    stage: dict[tuple[str, str, str], int] = {}
    rows_of: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for r in rows:
        k = (r["item"], r["kind"], r["detail"])
        if k not in items:
            items[k] = ListItem(
                local_name(r["item"]),
                r["label"] or local_name(r["item"]),
                r["kind"],
                r["detail"].strip(),
                r["local"] == "true",
            )
            rows_of[k] = []
        stage[k] = int(r.get("stage_order") or 9)
        rows_of[k].append(r)
    # an entry without detail says nothing its detailed twin does not: keep the detailed one
    detailed = {(k[0], k[1]) for k in items if k[2]}
    for k in [k for k in items if not k[2] and (k[0], k[1]) in detailed]:
        twin = next(t for t in items if t[:2] == k[:2] and t[2])
        rows_of[twin] += [r for r in rows_of[k] if r not in rows_of[twin]]
        del items[k]
    ordered = sorted(
        items, key=lambda k: (stage[k], not items[k].local, items[k].kind, k[2], items[k].label, k)
    )
    end = None if limit is None else offset + limit
    shown = [items[k] for k in ordered[offset:end]]
    for k, item in zip(ordered[offset:end], shown, strict=True):
        for r in rows_of[k]:
            ev = sources.evidence(r, item.label)
            if ev and ev not in item.evidence:
                item.evidence.append(ev)
        item.evidence.sort()
    return ListPage(key, shown, len(ordered), offset)
