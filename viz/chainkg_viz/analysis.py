"""The one door from the site to the gap analysis: `analyse(store) -> Analysis`.

Every page, report and export of `chainkg_viz` reads the gap analysis through this module and
nothing else imports `chainkg.gaps` or `chainkg.lists`. Today it wraps `gap_report_data`
(`ChainSummary`, `SegmentGap`) and `seven_lists_of_all_chains`; pointing the site at another
read model is a change to this file alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chainkg.gaps import (
    RANKING_TEXT,
    WEAK_THRESHOLD,
    Candidate,
    ChainSummary,
    Evidence,
    Level,
    SegmentGap,
    gap_report_data,
    quotes_text,
    segment_level,
)
from chainkg.lists import (
    EMPTY_NOTE,
    EMPTY_NOTES,
    LIST_SHOWN,
    LISTS,
    ListItem,
    ListPage,
    list_heads,
    list_page,
    seven_lists,
    seven_lists_of_all_chains,
)
from chainkg.panorama import (
    STATUS_ZH,
    CategoryStatus,
    ChainPanorama,
    panorama_markdown,
    panorama_status,
)

# The status words and colours of segment levels (`chainkg.gaps.Level` owns them): one legend
# for maps, tables and reports, the most urgent first.
LEVELS: dict[str, dict[str, str]] = {
    level.value: {"zh": level.zh, "en": level.en, "color": level.colour, "bg": level.background}
    for level in sorted(Level, key=lambda lv: -lv.order)
}
# The zone's status in a reference category (`chainkg.panorama` owns the rule): words and
# colours for chain maps, deliberately unlike the segment levels' (green, orange, blue, red).
PANORAMA_STATUS: dict[str, dict[str, str]] = {
    status: {"zh": STATUS_ZH[status], "en": en, "color": color, "bg": bg}
    for status, en, color, bg in (
        ("present", "present in the zone", "#00897b", "#e0f2f1"),
        ("missing", "missing in the zone (registry)", "#ad1457", "#fce4ec"),
        ("no-data", "no data (no registry list)", "#8d8d8d", "#f4f4f4"),
    )
}
RANKING_ZH, RANKING_EN = RANKING_TEXT
EMPTY_LIST_ZH, _, EMPTY_LIST_EN = EMPTY_NOTE.partition(" (")
EMPTY_LIST_EN = EMPTY_LIST_EN.rstrip(")")
LIST_TITLES: dict[str, tuple[str, str]] = {key: (zh, en) for key, (_q, zh, en) in LISTS.items()}
LIST_QUERIES: dict[str, str] = {key: query for key, (query, _zh, _en) in LISTS.items()}
PIPELINE_LIST = "early_stage_projects"

__all__ = [
    "Analysis",
    "Candidate",
    "CategoryStatus",
    "ChainPanorama",
    "ChainReport",
    "ChainSummary",
    "Evidence",
    "EMPTY_NOTES",
    "LEVELS",
    "LIST_TITLES",
    "PANORAMA_STATUS",
    "LIST_QUERIES",
    "LIST_SHOWN",
    "ListItem",
    "ListPage",
    "SegmentGap",
    "WEAK_THRESHOLD",
    "analyse",
    "from_report_data",
    "list_page",
    "panorama_markdown",
    "quotes_text",
    "segment_level",
]


@dataclass
class ChainReport:
    """One chain as the site shows it: chain figures, segments (upstream first), seven lists
    (`lists`: the entries a report prints, all of a list or its first LIST_SHOWN; `totals`:
    each list's entries in all, when cut; `whole_lists` reads them all, for the workbook)."""

    summary: ChainSummary
    gaps: list[SegmentGap]
    lists: dict[str, list[ListItem]]
    panorama: ChainPanorama | None = None  # the reference panorama and the zone's status
    totals: dict[str, int] = field(default_factory=dict)  # list key -> entries, when cut
    whole: Callable[[], dict[str, list[ListItem]]] | None = None

    def total(self, key: str) -> int:
        """The entries of the list `key` in all (shown or not)."""
        return max(self.totals.get(key, 0), len(self.lists.get(key, [])))

    def whole_lists(self) -> dict[str, list[ListItem]]:
        """Every entry of the seven lists (read again when the report holds only the first)."""
        cut = any(self.total(key) > len(items) for key, items in self.lists.items())
        return self.whole() if cut and self.whole is not None else self.lists

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def iri(self) -> str:
        return self.summary.iri

    @property
    def pipeline(self) -> int:
        """Projects in the pipeline (the early-stage projects list)."""
        return self.total(PIPELINE_LIST)

    @property
    def zone_chain(self) -> bool:
        """A chain of the focal zone itself (not a benchmark, not another place's)."""
        return self.summary.local and not self.summary.benchmark

    @property
    def exportable(self) -> bool:
        """Whether the chain has rows to export beyond its summary (segments, leads, lists)."""
        return bool(self.gaps or self.leads() or any(self.total(key) for key in self.lists))

    def leads(self) -> list[tuple[SegmentGap | None, Candidate]]:
        """Ranked candidates of every missing or weak segment, then suppliers of unknown
        segment (segment None)."""
        out: list[tuple[SegmentGap | None, Candidate]] = [
            (gap, c) for gap in self.gaps if gap.level != "covered" for c in gap.candidate_details
        ]
        out += [(None, c) for c in self.summary.chain_candidates]
        return out


@dataclass
class Analysis:
    """Every chain's report, in the analysis's order, and lookups over them."""

    chains: list[ChainReport] = field(default_factory=list)

    def panoramas(self) -> list[ChainPanorama]:
        return [c.panorama for c in self.chains if c.panorama]

    def by_iri(self) -> dict[str, ChainReport]:
        return {c.iri: c for c in self.chains}

    def segment_actors(self) -> dict[str, int]:
        """Segment IRI -> enterprises and organizations operating in it, from the counts the
        analysis read (the gap summary at scale): local, pipeline, elsewhere and others."""
        return {
            gap.segment_iri: gap.local_total
            + gap.pipeline_total
            + gap.non_local_total
            + gap.other_total
            for c in self.chains
            for gap in c.gaps
        }

    def segment_levels(self) -> dict[str, tuple[str, int]]:
        """Segment IRI -> (level, local actors)."""
        return {
            gap.segment_iri: (gap.level, max(gap.local_total, len(gap.local_enterprises)))
            for c in self.chains
            for gap in c.gaps
        }


def from_report_data(
    data: list[tuple[ChainSummary, list[SegmentGap]]],
    lists: dict[str, dict[str, list[ListItem]]] | dict[str, dict[str, ListPage]],
    panoramas: list[ChainPanorama] = (),
    whole: Callable[[str], dict[str, list[ListItem]]] | None = None,
) -> Analysis:
    """An `Analysis` from `gap_report_data` output, the seven lists by chain IRI (whole, or
    `ListPage`s of their first entries, then `whole(chain IRI)` reads them all) and the
    panoramas of the chains aligned to the reference."""
    by_chain = {p.chain_iri: p for p in panoramas}
    reports = []
    for summary, gaps in data:
        found: dict[str, Any] = lists.get(summary.iri, {})
        shown = {key: _items(found.get(key, [])) for key in LISTS}
        totals = {key: v.total for key, v in found.items() if isinstance(v, ListPage)}
        reader = None
        if whole is not None:
            reader = _reader(whole, summary.iri)
        report = ChainReport(summary, gaps, shown, by_chain.get(summary.iri), totals, reader)
        reports.append(report)
    return Analysis(reports)


def _items(found: list[ListItem] | ListPage) -> list[ListItem]:
    return found.items if isinstance(found, ListPage) else found


def _reader(
    whole: Callable[[str], dict[str, list[ListItem]]], chain: str
) -> Callable[[], dict[str, list[ListItem]]]:
    return lambda: whole(chain)


def analyse(
    store: Any,
    data: list[tuple[ChainSummary, list[SegmentGap]]] | None = None,
    summary: Any = None,
    listings: Any = None,
    shown: int | None = LIST_SHOWN,
) -> Analysis:
    """The analysis of every chain in `store` (`data`: a `gap_report_data` result to reuse;
    `summary`: the gap summary written with the graph, `chainkg.aggregates.summary_for`,
    or the answers a build records for it, gaps and panoramas;
    `listings`: the listings side table written with it, `chainkg.listings.open_beside`).
    The reports hold the first `shown` entries of each list and its total (None: every
    entry); `ChainReport.whole_lists()` reads a chain's whole lists."""
    if data is None:
        data = gap_report_data(store, WEAK_THRESHOLD, summary=summary)
    if shown is None:
        lists: dict = seven_lists_of_all_chains(store, listings)
    else:
        lists = list_heads(store, listings, shown)
    return from_report_data(
        data,
        lists,
        panorama_status(store, summary=summary),
        lambda chain: seven_lists(store, chain, listings),
    )


def more_text(shown: int, total: int, query: str, chain_id: str) -> tuple[str, str]:
    """('……另有 N 家(…)', '…and N more; …') when a list holds `shown` of `total`, else ('', '')."""
    from chainkg.gap_report import more_text as both

    text = both(shown, total, query, chain_id)
    if not text:
        return "", ""
    zh, _sep, en = text.partition("(…and")
    return zh, "(…and" + en
