"""`chainkg synth`: write a synthetic seeds folder of any size (for scale tests)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.synth import synthesize

out = Console()


@app.command("synth")
@handle_errors
def synth_command(
    enterprises: int = typer.Option(..., "--enterprises", "-n", help="Number of enterprises."),
    out_dir: Path = typer.Option(..., "--out", help="Seeds folder to write."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same files."),
) -> None:
    """Write synthetic seed tables and articles (same format as seeds/), deterministically."""
    with out.status("generating…") as status:
        counts = synthesize(enterprises, out_dir, seed, on_table=lambda t: status.update(t))
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items() if ":" not in k)
    out.print(f"wrote {out_dir}: {rows}", highlight=False)
