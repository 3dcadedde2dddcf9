"""The zone's registry changes page (`chainkg_viz.changes`): written by the static site,
rendered on request by `chainkg serve`, read in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.queries import get_query, run_named_query
from chainkg_viz.browser import offline_page
from chainkg_viz.changes import EVENTS, zone_changes
from chainkg_viz.live import LiveSite
from tests.browser_support import needs_chromium
from tests.registry_fixture import Built


def _site(built: Built) -> Path:
    return Path(built.report.files["graph.nq"]).parent / "site"


def test_the_page_counts_and_lists_what_the_query_answers(registry_built: Built) -> None:
    site = _site(registry_built)
    page = (site / "changes.html").read_text(encoding="utf-8")
    rows = run_named_query(registry_built.store, get_query("registry-changes-in-zone")).records()
    changes = zone_changes(registry_built.store)
    assert changes is not None
    assert changes.totals == {e: sum(r["event_label"] == e for r in rows) for e in EVENTS}
    for event, n in changes.totals.items():
        assert f"{event} <b>{n}</b>" in page
    for row in rows:  # every firm listed, linked to its page, which the site has
        key = row["enterprise"].rsplit("/", 1)[-1]
        assert f'href="entities/{key}.html">{row["enterprise_label"]}</a>' in page
        assert (site / "entities" / f"{key}.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="changes.html"' in home and f"迁出园区 <b>{changes.totals['迁出园区']}</b>" in home


def test_a_page_lists_its_first_entries_and_says_how_to_get_all(registry_built: Built) -> None:
    changes = zone_changes(registry_built.store, shown=3)
    assert changes is not None
    assert all(len(changes.events[e]) == min(3, changes.totals[e]) for e in EVENTS)


def test_served_and_static_pages_are_the_same(registry_built: Built) -> None:
    served = LiveSite(registry_built.store).page("changes.html")
    assert served is not None
    assert served.body == (_site(registry_built) / "changes.html").read_bytes()


def test_a_graph_without_registry_changes_has_no_page(seed_build, seed_store) -> None:  # noqa: ANN001
    assert not (seed_build.out_dir / "site" / "changes.html").exists()
    assert LiveSite(seed_store).page("changes.html") is None
    assert 'href="changes.html"' not in (seed_build.out_dir / "site/index.html").read_text("utf-8")


@pytest.mark.browser
@needs_chromium
def test_the_page_in_chromium(registry_built: Built, tmp_path: Path) -> None:
    with offline_page() as op:
        op.open(_site(registry_built) / "changes.html")
        page = op.page
        assert page.locator("h1").inner_text().startswith("登记变动")
        assert page.locator("table.by-chain tr").count() > 2
        page.get_by_role("link", name="迁出园区").first.click()
        assert page.evaluate("location.hash") == "#event-2"
        page.screenshot(path=str(tmp_path / "changes.png"), full_page=True)
        assert op.console_errors == [] and op.page_errors == [] and op.blocked == []
