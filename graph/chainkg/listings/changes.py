"""Listings side-table builders for the zone's registry changes: `registry-changes-in-zone`,
unbound and per zone event (the event's IRI, as the parameter resolves to it), and
`registry-changes-by-chain` (its counts per export and chain).

The rows are those the mapping writes (`mapping_panorama._registry_changes`) with a zone
event, made from the same rules: each kept registry row's changes and new-firm listing
(`registry.latest_rows`, held by the seeds), their events (`presence.zone_events`), the firm
as `presence.registry_firm` names it, labels of ontology terms from the ontology. Sorted as
the query's ORDER BY: the export's date (latest first), the export, the event's order, the
enterprise's label, the field's label, the enterprise's IRI (Python compares strings by code
point, as the engine does)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pandas as pd

from chainkg.listings.enterprises import _chains, _chains_of
from chainkg.listings.rows import ListingRows, table
from chainkg.mapping import ontology_label
from chainkg.mapping_panorama import FIELD_TERMS
from chainkg.presence import registry_firm, zone_events
from chainkg.tables import Seeds, shared
from chainkg.vocab import CKG

# the query's columns, its parameter (?event) dropped as `run_named_query` drops it
COLUMNS = [
    "event_label",
    "enterprise_label",
    "credit_code",
    "field_label",
    "before",
    "after",
    "export",
    "export_date",
    "compared_with",
    "enterprise",
]
NEW_FIRM_LABEL, NAME_LABEL = "新增企业", "企业名称"  # as the query names them
_ORDER = {"EnteredZone": 1, "LeftZone": 2, "ClosedInZone": 3, "ChangedInZone": 4}


class _Change(NamedTuple):
    event: str  # the ZoneEvent's local name
    field: str  # the field's label, NEW_FIRM_LABEL for a new firm
    before: str
    after: str
    export: str
    compared_with: str
    firm: str  # the enterprise id (`presence.registry_firm`)
    label: str
    credit_code: str


@shared
def _zone_changes(seeds: Seeds) -> list[_Change]:
    """The changes the mapping writes with a zone event, in the seeds' order."""
    curated = table(seeds, "enterprises", "id", "label_zh")
    names = dict(zip(curated["id"], curated["label_zh"], strict=True))
    found: list[_Change] = []
    for source, registry_file in sorted(seeds.registry.items()):
        for rec in registry_file.records:
            new, events = zone_events(seeds, source, rec)
            if new is None and not any(events):
                continue
            firm = registry_firm(seeds, source, rec)
            who = (firm, names.get(firm, rec.name), rec.credit_code)
            if new:
                found.append(_Change(new, NEW_FIRM_LABEL, "", "", source, "", *who))
            changed = seeds.registry_changes.get((source, rec.row))
            for change, event in zip(changed.fields if changed else (), events, strict=True):
                if event and changed:
                    term = FIELD_TERMS[change.field].strip("<>")  # (rdfs:label: the name)
                    own = term.startswith(str(CKG))
                    field = ontology_label(term.removeprefix(str(CKG))) if own else NAME_LABEL
                    found.append(
                        _Change(event, field, change.before, change.after, source,
                                changed.source, *who)
                    )  # fmt: skip
    return found


def _export_dates(seeds: Seeds) -> dict[str, str]:
    sources = table(seeds, "sources")
    dates = sources["date"] if "date" in sources.columns else [""] * len(sources)
    return dict(zip(sources["id"], dates, strict=True))


def build_registry_changes_in_zone(seeds: Seeds) -> Iterator[ListingRows]:
    """registry-changes-in-zone: every change of the zone's firms, and each event's."""
    changes = _zone_changes(seeds)  # (none: empty answers, as the query's)
    dates, base = _export_dates(seeds), seeds.config.base_iri
    out = [
        {
            "event": str(CKG[c.event]),
            "event_label": ontology_label(c.event),
            "enterprise_label": c.label,
            "credit_code": c.credit_code,
            "field_label": c.field,
            "before": c.before,
            "after": c.after,
            "export": c.export,
            "export_date": str(dates.get(c.export, "")),
            "compared_with": c.compared_with,
            "enterprise": f"{base}enterprise/{c.firm}",
        }
        for c in changes
    ]
    out.sort(
        key=lambda r: (
            r["export"],
            _ORDER[r["event"].rsplit("#", 1)[-1]],
            r["enterprise_label"],
            r["field_label"],
            r["enterprise"],
        )
    )
    out.sort(key=lambda r: r["export_date"], reverse=True)  # (stable: the rest stays sorted)
    events = pd.Series([r["event"] for r in out], dtype=object)
    frame = pd.DataFrame(out, columns=COLUMNS, dtype=object)
    yield "", frame
    for event in _ORDER:
        iri = str(CKG[event])
        yield iri, frame[(events == iri).to_numpy()].reset_index(drop=True)


UNCHAINED = "未归链"  # as the query names the firms of no chain


def build_registry_changes_by_chain(seeds: Seeds) -> Iterator[ListingRows]:
    """registry-changes-by-chain: per export and chain, the firms of each zone event."""
    changes = _zone_changes(seeds)  # (none: an empty answer, as the query's)
    chains = _chains(seeds)
    iris = dict(zip(chains["chain"], chains["iri"], strict=True))
    chain_labels = dict(zip(chains["chain"], chains["chain_label"], strict=True))
    tied = _chains_of(seeds)
    tied = tied[tied["chain"].isin(list(iris))]
    firms = {c.firm for c in changes}
    of: dict[str, list[str]] = {}
    for e, chain in zip(tied["e"], tied["chain"], strict=True):
        if e in firms:
            of.setdefault(e, []).append(chain)
    groups: dict[tuple[str, str], dict[str, set[str]]] = {}
    for c in changes:
        for chain in of.get(c.firm) or [""]:
            groups.setdefault((c.export, chain), {}).setdefault(c.event, set()).add(c.firm)
    dates = _export_dates(seeds)
    rows = []
    for (export, chain), by_event in groups.items():
        counts = [len(by_event.get(event, ())) for event in _ORDER]
        label = chain_labels.get(chain) or UNCHAINED
        rows.append((str(dates.get(export, "")), export, -sum(counts), label, chain, counts))
    rows.sort(key=lambda r: (r[1], r[2], r[3]))
    rows.sort(key=lambda r: r[0], reverse=True)
    frame = pd.DataFrame(
        [
            [export, date, iris.get(chain, ""), label, *(str(n) for n in counts)]
            for date, export, _total, label, chain, counts in rows
        ],
        columns=["export", "export_date", "chain", "chain_label", "entered", "left", "closed",
                 "changed"],
        dtype=object,
    )  # fmt: skip
    yield "", frame
