"""Headless Chromium with the network blocked: open site pages, time them, screenshot them.

Used by the browser tests, the timing bench and `chainkg viz --screenshots`. Needs the
`playwright` package and a Chromium binary (Debian: /usr/bin/chromium, or $CHAINKG_CHROMIUM);
playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str | None:
    """The Chromium to drive, or None if there is none."""
    for candidate in (os.environ.get("CHAINKG_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found


@dataclass
class OfflinePage:
    """A page plus everything it tried to do: requests, console errors, dialogs."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path, hash_: str = "") -> None:
        self.page.goto(Path(path).resolve().as_uri() + hash_, wait_until="load")

    def open_view(self, path: Path, timeout_ms: float = 60_000) -> dict[str, float]:
        """Open a network view and wait until it is drawn and the page answers.

        Returns seconds from navigation start to first drawing (`drawn`, measured in the
        page) and to the first answer of the page after that (`interactive`, wall clock)."""
        start = time.perf_counter()
        self.page.goto(Path(path).resolve().as_uri(), wait_until="commit")
        self.page.wait_for_function(
            "window.chainkgView && window.chainkgView.ready", timeout=timeout_ms, polling=20
        )
        drawn_ms = self.page.evaluate("window.chainkgView.readyMs")
        interactive = time.perf_counter() - start
        return {"drawn": round(drawn_ms / 1000, 3), "interactive": round(interactive, 3)}

    def view_counts(self) -> dict[str, int]:
        """Nodes in the page's DataSet, nodes vis-network draws, and nodes not hidden."""
        return self.page.evaluate(
            """() => ({
                dataset: window.chainkgView.nodes.length,
                expected: window.chainkgView.expected,
                drawn: window.chainkgView.network.body.nodeIndices.length,
                visible: window.chainkgView.visibleCount(),
            })"""
        )


@contextmanager
def offline_page(
    width: int = 1280, height: int = 800, allow: tuple[str, ...] = ()
) -> Iterator[OfflinePage]:
    """A fresh headless Chromium page that may load file:// URLs and nothing else, except
    URLs starting with one of `allow` (a test's own server on 127.0.0.1)."""
    for prefix in allow:
        if not prefix.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError(f"only a local server may be allowed, not {prefix}")
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise FileNotFoundError("no Chromium found; install it or set CHAINKG_CHROMIUM")
    profile = tempfile.mkdtemp(prefix="chainkg-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                service_workers="block",
            )
            try:
                page = context.pages[0] if context.pages else context.new_page()
                state = OfflinePage(page)

                def route(r: Any) -> None:
                    url = r.request.url
                    state.requests.append(url)
                    if url.startswith(("file://", "data:", "blob:", "about:", *allow)):
                        r.continue_()
                    else:
                        state.blocked.append(url)
                        r.abort()

                context.route("**/*", route)
                page.on(
                    "console",
                    lambda m: state.console_errors.append(m.text) if m.type == "error" else None,
                )
                page.on("pageerror", lambda e: state.page_errors.append(str(e)))

                def on_dialog(dialog: Any) -> None:
                    state.dialogs.append(dialog.message)
                    dialog.dismiss()

                page.on("dialog", on_dialog)
                yield state
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot_views(site: Path, out_dir: Path, chain_key: str | None = None) -> list[Path]:
    """PNG screenshots of the overview and one chain map (the given one, else the chain
    page with the most nodes) into out_dir; returns the files."""
    site, out_dir = Path(site), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if chain_key is None:
        chain_pages = sorted((site / "chains").glob("*.html"))
        if not chain_pages:
            raise FileNotFoundError(f"no chain maps in {site / 'chains'}")
        chain_key = max(chain_pages, key=lambda p: (_node_count(p), p.stem)).stem
    shots = [("overview", site / "overview.html"), ("chain-map", site / f"chains/{chain_key}.html")]
    written = []
    with offline_page() as op:
        for name, page in shots:
            op.open_view(page)
            op.page.wait_for_timeout(200)
            target = out_dir / f"{name}.png"
            op.page.screenshot(path=str(target))
            written.append(target)
    return written


def _node_count(page: Path) -> int:
    text = page.read_text(encoding="utf-8")
    return text.count('"group":')
