"""A capped list on a served gap report, in headless Chromium: the first entries, the total,
and its link followed page after page to the end of the whole list."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chainkg import lists
from chainkg.pipeline import BuildReport
from chainkg.store import open_store
from chainkg_viz.browser import offline_page
from tests.browser_support import needs_chromium
from tests.chainkg.server.serving import serving

SHOWN, PAGE = 7, 10  # small, so that the longest list of the small synthetic set is cut


@pytest.mark.browser
@needs_chromium
def test_a_capped_list_and_its_pages_in_chromium(
    streamed_build: BuildReport, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("chainkg_viz.live.LIST_SHOWN", SHOWN)
    monkeypatch.setattr("chainkg_viz.live.LIST_PAGE", PAGE)
    monkeypatch.setattr("chainkg_viz.reports.LIST_PAGE", PAGE)
    store = open_store(streamed_build.files["store"])
    every = lists.seven_lists_of_all_chains(store)
    chain = max(every, key=lambda c: (len(every[c]["main_enterprises"]), c))
    whole = [i.label for i in every[chain]["main_enterprises"]]
    del store
    assert len(whole) > 2 * PAGE
    shots = Path(os.environ.get("CHAINKG_SCREENSHOTS") or tmp_path)
    chain_id = chain.rsplit("/", 1)[-1]
    with serving(streamed_build.files["store"], pages="auto") as server:
        for width, height in ((1440, 900), (390, 844)):
            with offline_page(width, height, allow=(server.url + "/",)) as browser:
                page = browser.page
                page.goto(f"{server.url}/site/gaps/{chain_id}.html#list-main_enterprises")
                table = page.locator("#list-main_enterprises + .table-scroll tr")
                shown = table.all_inner_texts()[1:]
                assert [row.split("\t")[0] for row in shown] == whole[:SHOWN]
                more = page.locator("#list-main_enterprises ~ .list-more").first
                assert f"共 {len(whole)} 条，此处列出前 {SHOWN} 条" in more.inner_text()
                more.scroll_into_view_if_needed()
                page.screenshot(path=str(shots / f"capped-list-{width}.png"))
                more.locator("a.list-all").click()
                seen: list[str] = []
                while True:
                    page.wait_for_selector("main.list-page")
                    rows = page.locator("main.list-page table tr").all_inner_texts()[1:]
                    assert [int(r.split("\t")[0]) for r in rows] == list(
                        range(len(seen) + 1, len(seen) + len(rows) + 1)
                    )
                    seen += [r.split("\t")[1] for r in rows]
                    if not seen[PAGE:]:
                        page.screenshot(path=str(shots / f"list-page-{width}.png"))
                    following = page.locator('a[rel="next"]')
                    if not following.count():
                        break
                    following.click()
                assert seen == whole
                page.locator("main.list-page a").first.click()  # back to the report
                page.wait_for_selector("#list-main_enterprises")
