"""Missing and weak links of each chain, and whom to court: `analyse(store)`.

Split along model (the typed read model, `Level`), fetch (the `gap-*` named queries),
rules (the level rule and the ranking, one place each) and compose (`analyse`); tables and
early give the build its answers from the seed tables (`TableAnswers`; the whole summary
before the store exists, `precompute_summary` / `confirm_summary`). The CLI,
the reports and the site all read `analyse()`; the functions below are its views.
"""

from __future__ import annotations

from typing import Any

from chainkg.aggregates import Answers
from chainkg.gaps.compose import analyse
from chainkg.gaps.fetch import chain_names, resolve_chain
from chainkg.gaps.model import (
    LEVEL_ZH,
    LEVELS,
    Candidate,
    ChainAnalysis,
    ChainSummary,
    Evidence,
    FollowUp,
    Level,
    SegmentGap,
    StatedCount,
    quotes_text,
)
from chainkg.gaps.rules import (
    BASIS_TEXT,
    RANKING_TEXT,
    REASON_WEIGHTS,
    TOP,
    WEAK_THRESHOLD,
    segment_level,
)


def compute_gaps(
    store: Any, chain: str | None = None, weak_threshold: int = WEAK_THRESHOLD, top: int = TOP
) -> list[SegmentGap]:
    """Every segment of every chain (or of the named one) with level and candidates."""
    return [g for a in analyse(store, chain, weak_threshold, top) for g in a.gaps]


def chain_summaries(
    store: Any, weak_threshold: int = WEAK_THRESHOLD, chain: str | None = None, top: int = TOP
) -> list[ChainSummary]:
    """Chain-level figures for every chain (or the named one)."""
    return [a.summary for a in analyse(store, chain, weak_threshold, top)]


def gap_report_data(
    store: Any,
    weak_threshold: int = WEAK_THRESHOLD,
    chain: str | None = None,
    top: int = TOP,
    summary: Answers | None = None,
) -> list[ChainAnalysis]:
    """`analyse()` with the old argument order; each item unpacks as (summary, gaps).
    `summary`: the gap summary of this graph, or an `Answers` recording (see `analyse`)."""
    return analyse(store, chain, weak_threshold, top, summary)


__all__ = [
    "quotes_text",
    "BASIS_TEXT",
    "LEVELS",
    "LEVEL_ZH",
    "RANKING_TEXT",
    "REASON_WEIGHTS",
    "TOP",
    "WEAK_THRESHOLD",
    "Candidate",
    "ChainAnalysis",
    "ChainSummary",
    "Evidence",
    "FollowUp",
    "Level",
    "SegmentGap",
    "StatedCount",
    "analyse",
    "chain_names",
    "chain_summaries",
    "compute_gaps",
    "gap_report_data",
    "resolve_chain",
    "segment_level",
]
