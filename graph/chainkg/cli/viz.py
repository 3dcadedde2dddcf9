"""`chainkg viz`: the offline HTML site (overview, chain maps, ego networks, entity pages)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.store import DEFAULT_GRAPH_FILE, open_store

out = Console()


@app.command("viz")
@handle_errors
def viz_command(
    graph: Path = typer.Option(DEFAULT_GRAPH_FILE, "--graph", help="Built graph file."),
    out_dir: Path = typer.Option(Path("out/site"), "--out", help="Folder to write the site into."),
    screenshots: Path | None = typer.Option(
        None,
        "--screenshots",
        help="Also write PNGs of the overview and one chain map into this folder "
        "(needs playwright and Chromium).",
    ),
    chain: str | None = typer.Option(
        None, "--chain", help="Chain id for the chain-map screenshot (default: the largest)."
    ),
) -> None:
    """Write the offline site: index, overview, chain maps, ego networks, entity pages."""
    from chainkg_viz.site import build_site

    files = build_site(open_store(graph), out_dir)
    out.print(f"wrote {len(files)} files into {out_dir}/ — open {out_dir / 'index.html'}")
    if screenshots is not None:
        from chainkg_viz.browser import screenshot_views

        for path in screenshot_views(out_dir, screenshots, chain):
            out.print(f"wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)
