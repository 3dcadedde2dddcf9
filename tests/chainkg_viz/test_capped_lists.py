"""The seven lists on a gap report: the first entries, the total, and the whole list paged."""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook

from chainkg import lists
from chainkg.listings import open_beside
from chainkg.pipeline import BuildReport
from chainkg.store import open_store
from chainkg_viz.analysis import Analysis, analyse
from chainkg_viz.live import LiveSite
from chainkg_viz.office import gap_workbook
from chainkg_viz.reports import write_reports
from tests.helpers import command_beside_python

SHOWN = 7  # below the longest list of the small synthetic set, so that it is cut
LIST_ROWS = re.compile(r'<h3 id="list-main_enterprises">.*?</table></div>', re.S)
CELLS = re.compile(r"<tr>(?:<td class=\"num\">(\d+)</td>)?<td>(?:<a [^>]*>)?([^<]*)")


@pytest.fixture(scope="module")
def streamed_store(streamed_build: BuildReport) -> ox.Store:
    return open_store(streamed_build.files["store"])


@pytest.fixture(scope="module")
def longest(streamed_store: ox.Store) -> tuple[str, list[lists.ListItem]]:
    """The chain with the most main enterprises, and that list whole."""
    every = lists.seven_lists_of_all_chains(streamed_store)
    chain = max(every, key=lambda c: (len(every[c]["main_enterprises"]), c))
    whole = every[chain]["main_enterprises"]
    assert len(whole) > 2 * SHOWN  # several pages at LIST_PAGE = SHOWN below
    return chain, whole


def labels(html: str) -> list[str]:
    return [label for _n, label in CELLS.findall(html)]


def test_a_report_prints_the_first_entries_the_total_and_links_the_rest(
    streamed_build: BuildReport, streamed_store: ox.Store, longest, monkeypatch
) -> None:
    chain, whole = longest
    listings = open_beside(streamed_build.files["store"])
    served = LiveSite(streamed_store, listings=listings, list_shown=SHOWN)
    report = next(r for r in served.analysis().chains if r.iri == chain)
    page = served.page(f"gaps/{report.id}.html")
    assert page is not None
    html = page.body.decode("utf-8")
    section = LIST_ROWS.search(html).group(0)
    assert labels(section) == [i.label for i in whole[:SHOWN]]  # the list's own order
    assert f"共 {len(whole)} 条，此处列出前 {SHOWN} 条" in html
    href = re.search(r'<a class="list-all" href="([^"]+)">', html).group(1)
    assert href == f"lists/{report.id}/main_enterprises.html?page=1"
    # following the link, page after page, lists the whole list in order
    monkeypatch.setattr("chainkg_viz.live.LIST_PAGE", SHOWN)
    monkeypatch.setattr("chainkg_viz.reports.LIST_PAGE", SHOWN)
    rel, number, seen = href.split("?")[0], 1, []
    while True:
        listed = served.page(f"gaps/{rel}", {"page": str(number)})
        assert listed is not None
        text = listed.body.decode("utf-8")
        rows = CELLS.findall(text)
        assert [int(n) for n, _label in rows] == list(
            range(len(seen) + 1, len(seen) + 1 + len(rows))
        )
        seen += [label for _n, label in rows]
        assert f"共 {len(whole)} 条" in text
        if 'rel="next"' not in text:
            break
        assert f'href="?page={number + 1}"' in text
        number += 1
    assert seen == [i.label for i in whole]
    assert number == -(-len(whole) // SHOWN)
    assert served.page(f"gaps/{rel}", {"page": str(number + 1)}) is None
    assert served.page(f"gaps/lists/{report.id}/no_such_list.html") is None
    # the evidence shown on a page is the whole list's for those entries
    first = lists.list_page(streamed_store, chain, "main_enterprises", SHOWN, SHOWN, listings)
    assert first.items == whole[SHOWN : 2 * SHOWN] and first.total == len(whole)
    # the pipeline figure and the workbook count every entry, not the shown ones
    early = lists.seven_lists(streamed_store, chain)["early_stage_projects"]
    assert report.pipeline == len(early)
    book = load_workbook(io.BytesIO(gap_workbook(Analysis([report]))))
    sheet = book["七清单"]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles.count("上中下游主要企业清单") == len(whole)


def test_reports_without_a_server_name_the_total_and_the_command(
    streamed_build: BuildReport, streamed_store: ox.Store, longest, tmp_path: Path
) -> None:
    chain, whole = longest
    store_dir = str(streamed_build.files["store"])
    write_reports(streamed_store, tmp_path, list_shown=SHOWN, graph=store_dir)
    report = next(r for r in analyse(streamed_store, shown=SHOWN).chains if r.iri == chain)
    assert report.lists["main_enterprises"] == whole[:SHOWN]
    html = (tmp_path / f"{report.id}.html").read_text(encoding="utf-8")
    markdown = (tmp_path / f"{report.id}.md").read_text(encoding="utf-8")
    command = f"chainkg lists --chain {report.id} --format csv --graph {store_dir}"
    # the command the page names prints the whole list
    printed = subprocess.run(
        [command_beside_python("chainkg"), *shlex.split(command)[1:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(printed)))
    assert [r["label"] for r in rows if r["list"] == "main_enterprises"] == [i.label for i in whole]
    assert labels(LIST_ROWS.search(html).group(0)) == [i.label for i in whole[:SHOWN]]
    assert f"共 {len(whole)} 条，此处列出前 {SHOWN} 条" in html
    assert f"<code>{command}</code>" in html
    section = markdown.split("### 上中下游主要企业清单")[1].split("\n### ")[0]
    assert len([line for line in section.splitlines() if line.startswith("- ")]) == SHOWN
    assert f"共 {len(whole)} 条,此处列出前 {SHOWN} 条;全部:`{command}`" in section
