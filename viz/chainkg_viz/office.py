"""Office-ready Excel workbooks of the gap analysis: `gap_workbook(analysis) -> bytes`.

Chinese sheet names and headers, real numbers and booleans, column widths fitted to the text,
a bold frozen header row with filters. Sheets: 产业链概况 (one row per chain), 缺链弱链 (one
row per segment), 招商线索 (ranked leads with reasons and evidence), 七清单 (every list entry;
an empty list is one row saying so). The bytes are deterministic (fixed zip and document
dates), so the same graph gives the same file.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chainkg_viz.analysis import (
    EMPTY_LIST_ZH,
    LEVELS,
    LIST_TITLES,
    Analysis,
    ChainReport,
    ListItem,
    quotes_text,
)

SEP = "、"
MAX_WIDTH = 60
FIXED_TIME = datetime(2000, 1, 1)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)

Rows = list[dict[str, Any]]


def _kind(report: ChainReport) -> str:
    if report.zone_chain:
        return "本区"
    return "对标" if report.summary.benchmark else "其他地区"


def chain_rows(analysis: Analysis) -> Rows:
    rows = []
    for r in analysis.chains:
        s = r.summary
        rows.append(
            {
                "产业链": s.label,
                "地区": s.territory,
                "类别": _kind(r),
                "环节数": s.segments,
                "缺链": s.missing,
                "弱链": s.weak,
                "已覆盖": s.covered,
                "区内企业数": max(s.local_enterprise_total, len(s.local_enterprises)),
                "前期项目数": r.pipeline,
                "本地配套率": s.local_supply_rate,
                "对标配套率": SEP.join(
                    f"{f.chain_id} {f.value_text}" for f in s.benchmark_supply_rates
                ),
                "龙头企业(带动区内企业数)": SEP.join(f"{ld.label}({ld.pull})" for ld in s.leaders),
                "数据缺口": ";".join(s.data_gaps),
                "标识": s.id,
            }
        )
    return rows


def segment_rows(analysis: Analysis) -> Rows:
    rows = []
    for r in analysis.chains:
        for g in r.gaps:
            rows.append(
                {
                    "产业链": g.chain,
                    "序号": g.order,
                    "环节": g.segment,
                    "上中下游": g.stage_zh,
                    "状态": LEVELS[g.level]["zh"],
                    "区内企业数": max(g.local_total, len(g.local_enterprises)),
                    "区内企业": SEP.join(g.local_enterprises),
                    "区外企业数": max(g.non_local_total, len(g.non_local_enterprises)),
                    "区外企业": SEP.join(g.non_local_enterprises),
                    "在建/待建项目": SEP.join(g.projects),
                    "候选企业数": max(g.candidate_total, len(g.candidates)),
                    "前五名候选": SEP.join(g.candidates[:5]),
                    "依据": g.basis_note,
                    "证据": quotes_text(g.evidence),
                    "产业链标识": g.chain_id,
                    "环节标识": g.segment_id,
                }
            )
    return rows


def lead_rows(analysis: Analysis) -> Rows:
    """Every ranked lead, the zone's own chains first; leads of unknown segment last."""
    rows = []
    ordered = sorted(analysis.chains, key=lambda r: not r.zone_chain)
    for r in ordered:
        for gap, c in r.leads():
            rows.append(
                {
                    "产业链": r.summary.label,
                    "环节": gap.segment if gap else "(环节未知)",
                    "环节状态": LEVELS[gap.level]["zh"] if gap else "",
                    "排名": c.rank or None,
                    "候选企业": c.label,
                    "理由": ";".join(c.reasons),
                    "理由强度": c.strength,
                    "区内关联数": c.local_ties,
                    "距龙头": c.leader_distance,
                    "证据条数": len(c.evidence),
                    "证据": quotes_text(c.evidence),
                    "本区产业链": r.zone_chain,
                }
            )
    return rows


def list_rows(analysis: Analysis) -> Rows:
    return [row for r in analysis.chains for row in _list_rows(r.summary.label, r.whole_lists())]


def _list_rows(chain_label: str, lists: dict[str, list[ListItem]]) -> Rows:
    rows: Rows = []
    for key, items in lists.items():
        title = LIST_TITLES[key][0]
        if not items:
            rows.append({"产业链": chain_label, "清单": title, "说明": EMPTY_LIST_ZH})
        for i in items:
            rows.append(
                {
                    "产业链": chain_label,
                    "清单": title,
                    "名称": i.label,
                    "类别": i.kind,
                    "说明": i.detail,
                    "区内": i.local,
                    "证据": quotes_text(i.evidence),
                }
            )
    return rows


LIST_COLUMNS = ["产业链", "清单", "名称", "类别", "说明", "区内", "证据"]


def _width(value: Any) -> int:
    """Display width of a cell's text: wide (CJK) characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet(wb: Workbook, name: str, rows: Rows, columns: list[str] | None = None) -> None:
    ws = wb.create_sheet(title=name[:31])
    cols = columns or list(dict.fromkeys(k for row in rows for k in row))
    ws.append(cols)
    for row in rows:
        ws.append([row.get(c) for c in cols])
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows) + 1, 2)}"
    for i, col in enumerate(cols, 1):
        widest = max([_width(col) + 4, *(_width(row.get(col)) for row in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(widest + 2, MAX_WIDTH)
        if widest > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = WRAP


def workbook_bytes(sheets: dict[str, tuple[Rows, list[str] | None]]) -> bytes:
    """An .xlsx file of the named sheets (rows as dicts, optional column order)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (rows, columns) in sheets.items():
        _sheet(wb, name, rows, columns)
    wb.properties.creator = "chainkg"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry dates and core-property dates (deterministic bytes)."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    start = text.find(f"<{tag}")
                    if start >= 0:
                        open_end = text.index(">", start) + 1
                        close = text.index(f"</{tag}>", open_end)
                        text = text[:open_end] + stamp + text[close:]
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def gap_workbook(analysis: Analysis) -> bytes:
    """The four sheets for the chains of `analysis`."""
    return workbook_bytes(
        {
            "产业链概况": (chain_rows(analysis), None),
            "缺链弱链": (segment_rows(analysis), None),
            "招商线索": (lead_rows(analysis), None),
            "七清单": (list_rows(analysis), LIST_COLUMNS),
        }
    )


def lists_workbook(chain_label: str, lists: dict[str, list[ListItem]]) -> bytes:
    """The seven lists of one chain, one sheet."""
    rows = _list_rows(chain_label, lists)
    return workbook_bytes({"七清单": (rows, LIST_COLUMNS)})
