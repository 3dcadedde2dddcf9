"""Render gaps, chain summaries and the seven lists: tables (pandas), Markdown and HTML reports.

`write_reports(store, out_dir)` writes one self-contained report per chain, Chinese first:
`<chain-id>.html` (no external CSS or JS; every data text HTML-escaped by Jinja2) and
`<chain-id>.md`, plus `index.html` and `index.md` listing the chains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import pyoxigraph as ox

from chainkg.gaps import (
    BASIS_TEXT,
    LEVEL_ZH,
    RANKING_TEXT,
    ChainSummary,
    Evidence,
    SegmentGap,
    gap_report_data,
)
from chainkg.lists import EMPTY_NOTE, LISTS, ListItem, seven_lists_of_all_chains
from chainkg.panorama import panorama_markdown, panorama_status

SEP = "、"
TOP_CANDIDATES = 5


def _quotes(evidence: list[Evidence]) -> str:
    # One entry per quote: a quote that proves several firms is shown once, naming them all.
    merged: dict[tuple[str, str], list[str]] = {}
    for e in evidence:
        names = merged.setdefault((e.quote, e.source), [])
        if e.supports and e.supports not in names:
            names.append(e.supports)
    return " | ".join(
        f"“{quote}”〔{source}〕" + (f"({'、'.join(names)})" if len(names) > 1 else "")
        for (quote, source), names in merged.items()
    )


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
            "candidates": SEP.join(g.candidates[:top]),
            "candidate_total": g.candidate_total,
            "evidence": _quotes(g.evidence),
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
                "missing": s.missing,
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
                {"list": key, "list_zh": zh, "list_en": en, "label": "", "note": EMPTY_NOTE}
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
                    "evidence": _quotes(item.evidence),
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


TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def render_html(s: ChainSummary, gaps: list[SegmentGap], lists: dict[str, list[ListItem]]) -> str:
    """A self-contained HTML report of one chain (Chinese first, English in brackets)."""
    return _ENV.get_template("gap_report.html.j2").render(
        s=s,
        gaps=gaps,
        lists=lists,
        titles=LISTS,
        level_zh=LEVEL_ZH,
        ranking=RANKING_TEXT,
        empty_note=EMPTY_NOTE,
        quotes=_quotes,
        more=more_text,
    )


def render_markdown(
    s: ChainSummary, gaps: list[SegmentGap], lists: dict[str, list[ListItem]]
) -> str:
    """The same report as Markdown."""
    out = [f"# {s.label} 产业链缺链弱链报告 ({s.label_en} — gap report)\n"]
    out.append(
        f"所属地区 (territory): {s.territory}" + (";对标案例 (benchmark)" if s.benchmark else "")
    )
    out.append(
        f"\n- 环节 (segments): {s.segments};缺链 {s.missing} / 弱链 {s.weak} / 已覆盖 {s.covered}"
        f"(弱链阈值 {s.weak_threshold})"
    )
    n_local = max(s.local_enterprise_total, len(s.local_enterprises))
    out.append(f"- 区内企业 (local enterprises): {n_local}")
    rate = s.local_supply_rate or "来源未给出 (not given by the sources)"
    out.append(f"- 本地配套率 (local supply rate): {rate}")
    bench = SEP.join(f"{f.chain_id} {f.value_text}" for f in s.benchmark_supply_rates)
    out.append(f"- 对标数据 (benchmark figures): {bench or '无 (none)'}")
    leaders = SEP.join(f"{ld.label}(带动区内企业 {ld.pull} 家)" for ld in s.leaders)
    out.append(f"- 龙头 (leaders, pull): {leaders or '数据缺口 (data gap)'}")
    out += [f"- ⚠ {note}" for note in s.data_gaps]
    out.append("\n## 全景图与现状图 (segments)\n")
    if gaps:
        frame = gaps_frame(gaps)[
            [
                "order",
                "segment",
                "stage",
                "level_zh",
                "local_enterprises",
                "non_local_enterprises",
                "projects",
                "candidates",
            ]
        ]
        out.append(markdown_table(frame))
        out.append("依据 (basis):\n")
        out += [f"- {g.order}. {g.segment}: {g.basis_note} {_quotes(g.evidence)}" for g in gaps]
    else:
        out.append("数据缺口:图谱中没有该产业链的环节 (data gap: no segments in the graph)\n")
    out.append("\n## 招商候选 (candidate targets)\n")
    out.append(f"{RANKING_TEXT[0]}\n\n{RANKING_TEXT[1]}\n")
    for g in gaps:
        if g.level == "covered":
            continue
        out.append(f"\n### {g.order}. {g.segment}({LEVEL_ZH[g.level]})\n")
        if not g.candidate_details:
            out.append("图谱中没有候选企业 (no candidate in the graph)")
        for c in g.candidate_details:
            out.append(f"{c.rank}. **{c.label}** — {';'.join(c.reasons)} {_quotes(c.evidence)}")
        if g.candidate_total > len(g.candidate_details):
            rest = g.candidate_total - len(g.candidate_details)
            out.append(f"\n……另有 {rest} 家候选未列出 (…and {rest} more candidates)")
    if s.chain_candidates:
        out.append("\n### 环节未知的区外供应商 (suppliers elsewhere, segment unknown)\n")
        out += [
            f"- {c.label} — {';'.join(c.reasons)} {_quotes(c.evidence)}" for c in s.chain_candidates
        ]
        if s.chain_candidate_total > len(s.chain_candidates):
            rest = s.chain_candidate_total - len(s.chain_candidates)
            out.append(f"- ……另有 {rest} 家未列出 (…and {rest} more)")
    out.append("\n## 七清单 (the seven lists)\n")
    for key, items in lists.items():
        _q, zh, en = LISTS[key]
        out.append(f"\n### {zh} ({en})\n")
        if not items:
            out.append(EMPTY_NOTE)
        for i in items:
            extra = SEP.join(x for x in (i.kind, i.detail, "区内" if i.local else "") if x)
            out.append(f"- {i.label}({extra}) {_quotes(i.evidence)}")
    return "\n".join(out) + "\n"


def write_reports(
    store: ox.Store,
    out_dir: Path,
    weak_threshold: int = 2,
    data: list[tuple[ChainSummary, list[SegmentGap]]] | None = None,
) -> list[Path]:
    """Write <chain-id>.html and .md for every chain, and index.html / index.md.

    `data` is `gaps.gap_report_data(store, weak_threshold)` when the caller already has it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if data is None:
        data = gap_report_data(store, weak_threshold)
    all_lists = seven_lists_of_all_chains(store)
    no_lists: dict[str, list] = {key: [] for key in LISTS}
    panoramas = {p.chain_iri: p for p in panorama_status(store)}  # hook: chainkg.panorama
    for summary, gaps in data:
        lists = all_lists.get(summary.iri, no_lists)
        panorama = panoramas.get(summary.iri)
        markdown = render_markdown(summary, gaps, lists)
        if panorama:
            markdown += panorama_markdown(panorama)
        for suffix, text in (
            (".html", render_html(summary, gaps, lists)),
            (".md", markdown),
        ):
            path = out_dir / f"{summary.id}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    summaries = [s for s, _g in data]
    index_html = out_dir / "index.html"
    index_html.write_text(
        _ENV.get_template("gap_index.html.j2").render(summaries=summaries), encoding="utf-8"
    )
    index_md = out_dir / "index.md"
    index_md.write_text(
        "# 产业链缺链弱链报告 (gap reports)\n\n" + markdown_table(summaries_frame(summaries)),
        encoding="utf-8",
    )
    panorama_json = out_dir / "panorama.json"
    panorama_json.write_text(
        json.dumps([p.to_dict() for p in panoramas.values()], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    return [*written, index_html, index_md, panorama_json]


__all__ = ["BASIS_TEXT", "gaps_frame", "lists_frame", "summaries_frame", "write_reports"]
