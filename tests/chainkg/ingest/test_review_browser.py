"""The ingest review page in real headless Chromium (network blocked): candidates beside
their quotes, each linked to its name highlighted in the article; text from the article is
shown as text, never run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chainkg.config import DEFAULT_SEEDS
from chainkg.ingest import propose, write_review
from chainkg_viz.browser import OfflinePage, offline_page
from tests.browser_support import needs_chromium
from tests.helpers import CASES as HELPER_CASES

pytestmark = [pytest.mark.browser, needs_chromium]
CASES = HELPER_CASES / "ingest"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("review")
    article = root / "qinghe.txt"
    text = (CASES / "qinghe-signing.txt").read_text(encoding="utf-8")
    article.write_text(text + f"\n读者来信{HOSTILE}。\n", encoding="utf-8")
    proposal = propose([article], DEFAULT_SEEDS)
    write_review(proposal, root / "out", ("html",))
    return root / "out" / "review.html", len(proposal.candidates)


@pytest.fixture()
def op() -> Iterator[OfflinePage]:
    with offline_page() as page:
        yield page
        assert page.console_errors == [] and page.page_errors == []
        assert page.blocked == [] and page.dialogs == []


def test_candidates_link_to_their_highlighted_names(review, op, tmp_path):
    path, count = review
    op.open(path)
    page = op.page
    rows = page.locator("tbody tr")
    assert rows.count() == count
    assert page.locator("mark").count() >= count // 2  # overlapping spans are drawn once
    hrefs = page.locator("td.name a").evaluate_all("links => links.map(a => a.hash.slice(1))")
    assert all(page.locator(f"mark#{h}").count() == 1 for h in hrefs)  # every link lands
    link = page.get_by_role("link", name="青禾机器人减速器产业化项目", exact=True)
    row = page.locator('tbody tr[data-kind="project"]').filter(has=link)
    assert "投资12亿元" in row.inner_text()
    link.click()
    anchor = page.evaluate("location.hash").lstrip("#")
    mark = page.locator(f"mark#{anchor}")
    assert mark.inner_text() == "青禾机器人减速器产业化项目"
    assert mark.is_visible()
    color = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert HOSTILE in page.locator("section.article").inner_text()  # shown, not run
    page.screenshot(path=str(tmp_path / "review.png"))
