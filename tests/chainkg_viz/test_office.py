"""Office-ready Excel exports: on the seed build's site downloads and through the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.gaps import LEVEL_ZH
from chainkg.lists import seven_lists
from chainkg.pipeline import BuildReport
from chainkg_viz.analysis import analyse
from chainkg_viz.office import gap_workbook, lists_workbook

SHEETS = ["产业链概况", "缺链弱链", "招商线索", "七清单"]


@pytest.fixture(scope="module")
def workbook(seed_build: BuildReport) -> openpyxl.Workbook:
    return openpyxl.load_workbook(seed_build.out_dir / "site/export/gaps.xlsx")


def test_sheets_and_headers_are_chinese_and_formatted(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == SHEETS
    for ws in workbook.worksheets:
        header = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and not h.isascii() for h in header), header
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(w and w >= 6 for w in widths) and len(set(widths)) > 1


def test_values_are_real_numbers_and_booleans(
    workbook: openpyxl.Workbook, seed_store: ox.Store
) -> None:
    analysis = analyse(seed_store)
    ws = workbook["缺链弱链"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    gaps = [g for r in analysis.chains for g in r.gaps]
    assert len(rows) == len(gaps)
    assert [r["状态"] for r in rows] == [LEVEL_ZH[g.level] for g in gaps]
    assert all(isinstance(r["序号"], int) and isinstance(r["区内企业数"], int) for r in rows)
    lists = workbook["七清单"]
    local = [row[5].value for row in lists.iter_rows(2) if row[2].value]
    assert local and all(isinstance(v, bool) for v in local) and any(local)
    assert all(v not in ("True", "False") for row in lists.iter_rows(2) for v in [row[5].value])


def test_leads_are_ranked_with_reasons_and_evidence(
    workbook: openpyxl.Workbook, seed_store: ox.Store
) -> None:
    ws = workbook["招商线索"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    analysis = analyse(seed_store)
    expected = sum(len(r.leads()) for r in analysis.chains)
    assert len(rows) == expected > 0
    assert all(r["理由"] and r["候选企业"] for r in rows)
    assert any(r["证据"] for r in rows)
    ranked = [r for r in rows if r["排名"] is not None]
    for chain_segment in {(r["产业链"], r["环节"]) for r in ranked}:
        ranks = [r["排名"] for r in ranked if (r["产业链"], r["环节"]) == chain_segment]
        assert ranks == sorted(ranks) and ranks[0] == 1
    zone = [r["本区产业链"] for r in rows]
    assert zone == sorted(zone, reverse=True)  # the zone's chains first


def test_workbook_bytes_are_deterministic(seed_store: ox.Store) -> None:
    analysis = analyse(seed_store)
    assert gap_workbook(analysis) == gap_workbook(analysis)


def test_site_offers_per_chain_downloads(seed_build: BuildReport, seed_store: ox.Store) -> None:
    site = seed_build.out_dir / "site"
    analysis = analyse(seed_store)
    for report in analysis.chains:
        path = site / "export" / f"{report.id}.xlsx"
        assert path.is_file() == report.exportable, report.id
        if report.exportable:
            ws = openpyxl.load_workbook(path)["产业链概况"]
            assert [c.value for c in ws[2]][0] == report.summary.label


def test_cli_writes_the_same_workbooks(seed_build: BuildReport, tmp_path: Path) -> None:
    runner = CliRunner()
    graph = str(seed_build.files["graph.nq"])
    out = tmp_path / "gaps.xlsx"
    result = runner.invoke(app, ["gaps", "--graph", graph, "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (seed_build.out_dir / "site/export/gaps.xlsx").read_bytes()
    lists = tmp_path / "lists.xlsx"
    result = runner.invoke(
        app, ["lists", "--graph", graph, "-c", "新能源汽车", "-f", "xlsx", "-o", str(lists)]
    )
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(lists)["七清单"]
    assert ws["A2"].value == "新能源汽车" and ws.freeze_panes == "A2"


def test_lists_workbook_marks_empty_lists(seed_store: ox.Store) -> None:
    lists = seven_lists(seed_store, "新能源汽车")
    ws = openpyxl.load_workbook(io.BytesIO(lists_workbook("新能源汽车", lists)))["七清单"]
    titles = {row[1].value for row in ws.iter_rows(2)}
    assert len(titles) == len(lists)  # every list, an empty one as a row saying so
