"""The one door from the site to the gap analysis: `analyse(store) -> Analysis`.

Every page, report and export of `chainkg_viz` reads the gap analysis through this module and
nothing else imports `chainkg.gaps` or `chainkg.lists`. Today it wraps `gap_report_data`
(`ChainSummary`, `SegmentGap`) and `seven_lists_of_all_chains`; pointing the site at another
read model is a change to this file alone.
"""

from __future__ import annotations

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
from chainkg.lists import EMPTY_NOTE, EMPTY_NOTES, LISTS, ListItem, seven_lists_of_all_chains
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
    "ListItem",
    "SegmentGap",
    "WEAK_THRESHOLD",
    "analyse",
    "from_report_data",
    "panorama_markdown",
    "quotes_text",
    "segment_level",
]


@dataclass
class ChainReport:
    """One chain as the site shows it: chain figures, segments (upstream first), seven lists."""

    summary: ChainSummary
    gaps: list[SegmentGap]
    lists: dict[str, list[ListItem]]
    panorama: ChainPanorama | None = None  # the reference panorama and the zone's status

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def iri(self) -> str:
        return self.summary.iri

    @property
    def pipeline(self) -> int:
        """Projects in the pipeline (the early-stage projects list)."""
        return len(self.lists.get(PIPELINE_LIST, []))

    @property
    def zone_chain(self) -> bool:
        """A chain of the focal zone itself (not a benchmark, not another place's)."""
        return self.summary.local and not self.summary.benchmark

    @property
    def exportable(self) -> bool:
        """Whether the chain has rows to export beyond its summary (segments, leads, lists)."""
        return bool(self.gaps or self.leads() or any(self.lists.values()))

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

    def segment_levels(self) -> dict[str, tuple[str, int]]:
        """Segment IRI -> (level, local actors)."""
        return {
            gap.segment_iri: (gap.level, max(gap.local_total, len(gap.local_enterprises)))
            for c in self.chains
            for gap in c.gaps
        }


def from_report_data(
    data: list[tuple[ChainSummary, list[SegmentGap]]],
    lists: dict[str, dict[str, list[ListItem]]],
    panoramas: list[ChainPanorama] = (),
) -> Analysis:
    """An `Analysis` from `gap_report_data` output, the seven lists by chain IRI and the
    panoramas of the chains aligned to the reference."""
    empty: dict[str, list[ListItem]] = {key: [] for key in LISTS}
    by_chain = {p.chain_iri: p for p in panoramas}
    return Analysis(
        [
            ChainReport(summary, gaps, lists.get(summary.iri, empty), by_chain.get(summary.iri))
            for summary, gaps in data
        ]
    )


def analyse(
    store: Any,
    data: list[tuple[ChainSummary, list[SegmentGap]]] | None = None,
    summary: Any = None,
    listings: Any = None,
) -> Analysis:
    """The analysis of every chain in `store` (`data`: a `gap_report_data` result to reuse;
    `summary`: the gap summary written with the graph, `chainkg.aggregates.summary_for`;
    `listings`: the listings side table written with it, `chainkg.listings.open_beside`)."""
    if data is None:
        data = gap_report_data(store, WEAK_THRESHOLD, summary=summary)
    lists = seven_lists_of_all_chains(store, listings)
    return from_report_data(data, lists, panorama_status(store))


def more_text(shown: int, total: int, query: str, chain_id: str) -> tuple[str, str]:
    """('……另有 N 家(…)', '…and N more; …') when a list holds `shown` of `total`, else ('', '')."""
    from chainkg.gap_report import more_text as both

    text = both(shown, total, query, chain_id)
    if not text:
        return "", ""
    zh, _sep, en = text.partition("(…and")
    return zh, "(…and" + en
