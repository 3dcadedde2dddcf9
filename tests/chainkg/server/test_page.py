"""The query page of `chainkg serve` in headless Chromium, against the Hypercorn server: named
queries listed, a run drawn as a table, refusals shown, answers inserted as text."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from chainkg.pipeline import BuildReport
from chainkg.queries import run_query
from chainkg.server import ChainkgServer
from chainkg_viz.browser import CHROMIUM_ARGS, chromium_path
from tests.browser_support import needs_chromium
from tests.chainkg.server.serving import serving

pytestmark = [pytest.mark.browser, needs_chromium]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def server(seed_build: BuildReport) -> Iterator[ChainkgServer]:
    with serving(seed_build.files["graph.nq"], fast_workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def page(server: ChainkgServer) -> Iterator[Any]:
    """A Chromium page that may load only what the server serves."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chainkg-chromium-")
    elsewhere: list[str] = []
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
            )

            def route(r: Any) -> None:
                if r.request.url.startswith(server.url + "/"):
                    r.continue_()
                else:
                    elsewhere.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.pages[0] if context.pages else context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            yield page
            context.close()
            assert elsewhere == [] and dialogs == []
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def open_page(page: Any, url: str) -> None:
    """Open the page and wait until it has listed the named queries (and picked one)."""
    page.goto(url)
    expect(page.locator("#named option")).not_to_have_count(1, timeout=30_000)
    expect(page.locator("#summary")).not_to_be_empty()


def run_text(page: Any, text: str, status: str) -> None:
    page.evaluate("(t) => { window.chainkgEditor.value = t; }", text)  # the CodeMirror editor
    page.click("#run")
    expect(page.locator("#status")).to_contain_text(status, timeout=60_000)


def test_page_runs_a_named_query(
    server: ChainkgServer, page: Any, seed_store: Any, tmp_path: Path
) -> None:
    open_page(page, server.url + "/?q=counts-per-class")
    assert page.input_value("#named") == "counts-per-class"
    page.click("#run")
    page.wait_for_selector("#result table tbody tr")
    query = page.input_value("#query")
    local = run_query(seed_store, query)
    rows = page.locator("#result table tbody tr")
    assert rows.count() == len(local.rows) > 5
    assert rows.first.locator("td").all_inner_texts()[-1] == local.rows[0][-1]
    page.screenshot(path=str(tmp_path / "query-page.png"))


def test_page_shows_a_refusal(server: ChainkgServer, page: Any) -> None:
    open_page(page, server.url + "/")
    run_text(
        page, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "HTTP 403"
    )
    assert "SERVICE" in page.inner_text("#result .error-box")


def test_page_inserts_answers_as_text(server: ChainkgServer, page: Any) -> None:
    open_page(page, server.url + "/")
    run_text(page, f'SELECT ?x WHERE {{ BIND("{HOSTILE}" AS ?x) }}', "1 row")
    assert page.inner_text("#result table tbody td") == HOSTILE
    assert page.locator("#result img").count() == 0
