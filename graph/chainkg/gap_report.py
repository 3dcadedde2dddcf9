"""Gaps, chain summaries and the seven lists as flat tables (pandas) for the CLI.

The HTML and Markdown reports are rendered by the one site writer (`chainkg_viz.reports`,
whose `write_reports(store, out_dir)` writes them on their own, outside a site build).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chainkg.gaps import (
    BASIS_TEXT,
    LEVEL_ZH,
    ChainSummary,
    SegmentGap,
    quotes_text,
)
from chainkg.lists import EMPTY_NOTE, EMPTY_NOTES, LISTS, ListItem

SEP = "、"
TOP_CANDIDATES = 5


def more_text(shown: int, total: int, query: str, chain_id: str) -> str:
    """'…and N more' when a list holds `shown` of `total` names, with the command listing all
    (Chinese first); '' when nothing is left out."""
    if total <= shown:
        return ""
    command = f"chainkg query {query} --param chain={chain_id}"
    return (
        f"……另有 {total - shown} 家(用 `{command}` 查看全部)"
        f"(…and {total - shown} more; all: `{command}`)"
    )


def _joined(names: list[str], total: int, query: str, chain_id: str) -> str:
    more = more_text(len(names), total, query, chain_id)
    return SEP.join(names) + (f" {more}" if more else "")


def gaps_frame(gaps: list[SegmentGap], top: int = TOP_CANDIDATES) -> pd.DataFrame:
    """One flat row per segment (the gap table)."""
    rows = [
        {
            "chain_id": g.chain_id,
            "chain": g.chain,
            "order": g.order,
            "segment": g.segment,
            "stage": g.stage,
            "level": g.level,
            "level_zh": LEVEL_ZH[g.level],
            "basis": g.basis,
            "local_total": g.local_total,
            "local_enterprises": _joined(
                g.local_enterprises, g.local_total, "segment-enterprises", g.chain_id
            ),
            "non_local_total": g.non_local_total,
            "non_local_enterprises": _joined(
                g.non_local_enterprises, g.non_local_total, "segment-enterprises", g.chain_id
            ),
            "other_actors": _joined(
                g.other_actors, g.other_total, "segment-enterprises", g.chain_id
            ),
            "projects": SEP.join(g.projects),
            "follow_ups": SEP.join(f.text for f in g.follow_ups),
            "stated_counts": SEP.join(c.value_text for c in g.stated_counts),
            "candidates": SEP.join(g.candidates[:top]),
            "candidate_total": g.candidate_total,
            "evidence": quotes_text(g.evidence),
        }
        for g in gaps
    ]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else ["chain", "segment", "level"])


def summaries_frame(summaries: list[ChainSummary]) -> pd.DataFrame:
    """One row per chain with its chain-level figures."""
    return pd.DataFrame(
        [
            {
                "chain_id": s.id,
                "chain": s.label,
                "chain_en": s.label_en,
                "territory": s.territory,
                "benchmark": s.benchmark,
                "segments": s.segments,
                "levels": s.levels_text,
                "missing": s.missing,
                "pipeline": s.pipeline,
                "weak": s.weak,
                "covered": s.covered,
                "local_enterprises": max(s.local_enterprise_total, len(s.local_enterprises)),
                "leaders": SEP.join(f"{ld.label}({ld.pull})" for ld in s.leaders),
                "local_supply_rate": s.local_supply_rate,
                "benchmark_supply_rates": SEP.join(
                    f"{f.chain_id} {f.value_text}" for f in s.benchmark_supply_rates
                ),
                "data_gaps": " | ".join(s.data_gaps),
            }
            for s in summaries
        ]
    )


def lists_frame(lists: dict[str, list[ListItem]]) -> pd.DataFrame:
    """The seven lists as one table; an empty list is one row saying it is a data gap."""
    rows = []
    for key, items in lists.items():
        _query, zh, en = LISTS[key]
        if not items:
            rows.append(
                {
                    "list": key,
                    "list_zh": zh,
                    "list_en": en,
                    "label": "",
                    "note": EMPTY_NOTES.get(key, EMPTY_NOTE),
                }
            )
        for item in items:
            rows.append(
                {
                    "list": key,
                    "list_zh": zh,
                    "list_en": en,
                    "label": item.label,
                    "kind": item.kind,
                    "detail": item.detail,
                    "local": item.local,
                    "evidence": quotes_text(item.evidence),
                    "note": "",
                }
            )
    columns = ["list", "list_zh", "list_en", "label", "kind", "detail", "local", "evidence", "note"]
    return pd.DataFrame(rows).reindex(columns=columns).astype(object).fillna("")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-style Markdown table (pipes and line breaks in cells escaped)."""

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


__all__ = ["BASIS_TEXT", "gaps_frame", "lists_frame", "summaries_frame"]
