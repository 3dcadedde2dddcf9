"""`chainkg build`: seeds folder -> out/ (graph files, then the views)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from chainkg.cli import app, handle_errors
from chainkg.config import DEFAULT_SEEDS
from chainkg.pipeline import BuildReport, build

out = Console()


@app.command("build")
@handle_errors
def build_command(
    seeds: Path = typer.Option(DEFAULT_SEEDS, "--seeds", help="Seeds folder to read."),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder to write into."),
    base_iri: str | None = typer.Option(None, "--base-iri", help="Override the base IRI."),
) -> None:
    """Build the graph (Turtle, N-Quads, JSON-LD) from the seed tables and articles."""
    with out.status("building…") as status:
        report = build(seeds, out_dir, base_iri, on_stage=lambda s: status.update(f"{s}…"))
    print_summary(report)


def print_summary(report: BuildReport) -> None:
    counts = Table("class", "instances", title="Counts per class")
    for name, n in sorted(report.class_counts.items()):
        counts.add_row(name, str(n))
    out.print(counts)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
    out.print(
        f"{report.triples} triples ({report.quads} quads), "
        f"{report.quotes_checked} quotes checked; {stages}; "
        f"total {report.total_seconds:.2f} s"
    )
    out.print(f"SHACL: {'conforms' if report.conforms else 'FAILS'}")
    for name, path in report.files.items():
        out.print(
            f"wrote {path}  ({path.stat().st_size:,} bytes)"
            if path.is_file()
            else f"wrote {path}/",
            highlight=False,
        )
        del name
