"""`chainkg export`: write a built graph or store as Turtle, N-Triples, N-Quads, ..."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.store import DEFAULT_GRAPH_FILE, export_store, open_store

out = Console()


@app.command("export")
@handle_errors
def export_command(
    out_file: Path = typer.Argument(..., help="File to write; its extension picks the format."),
    graph: Path = typer.Option(
        DEFAULT_GRAPH_FILE, "--graph", help="Graph file or on-disk store folder (out/store)."
    ),
) -> None:
    """Write the graph in another format, e.g. `chainkg export out/graph.ttl --graph out/store`
    after a large build (which writes N-Quads and the store only)."""
    with out.status(f"writing {out_file}…"):
        path = export_store(open_store(graph), out_file)
    out.print(f"wrote {path}  ({path.stat().st_size:,} bytes)", highlight=False)
