"""`chainkg build`: seeds folder -> out/ (graph files, then the views)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from chainkg.cli import app, handle_errors
from chainkg.config import DEFAULT_SEEDS
from chainkg.pipeline import LARGE_ENTERPRISES, BuildReport, build, is_large
from chainkg.stream import GAP_REPORTS_MAX, build_streaming

out = Console()


@app.command("build")
@handle_errors
def build_command(
    seeds: Path = typer.Option(DEFAULT_SEEDS, "--seeds", help="Seeds folder to read."),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder to write into."),
    base_iri: str | None = typer.Option(None, "--base-iri", help="Override the base IRI."),
    large: bool | None = typer.Option(
        None,
        "--large/--no-large",
        help=f"Force the streaming build for large seeds (default: automatic above "
        f"{LARGE_ENTERPRISES:,} enterprises).",
    ),
    full_shacl: bool = typer.Option(
        False,
        "--full-shacl",
        help="Large builds: also check over the whole store the constraints the assembler "
        "guarantees by construction (otherwise checked on a sample; slower).",
    ),
) -> None:
    """Build the graph (Turtle, N-Quads, JSON-LD) from the seed tables and articles."""
    if large if large is not None else is_large(seeds):
        report = _build_large(seeds, out_dir, base_iri, full_shacl)
        print_summary(report)
        out.print(
            f"Turtle, JSON-LD and the HTML site are not written for large graphs (the site is "
            f"built for seeds of at most {LARGE_ENTERPRISES:,} enterprises); query "
            f"{out_dir / 'store'} with `chainkg query --graph`, or write Turtle with "
            f"`chainkg export {out_dir / 'graph.ttl'} --graph {out_dir / 'store'}`.",
            highlight=False,
        )
        if "gaps" not in report.seconds:
            out.print(
                f"Gap reports skipped above {GAP_REPORTS_MAX:,} enterprises (the analysis "
                f"takes minutes at this size); run `chainkg gaps --graph {out_dir / 'store'}`.",
                highlight=False,
            )
        return
    # Stage names as plain lines, not a live spinner: the site stage may fork worker
    # processes, which must not happen while another thread (a spinner) holds locks.
    report = build(seeds, out_dir, base_iri, on_stage=lambda s: out.print(f"{s}…", style="dim"))
    print_summary(report)


def _build_large(
    seeds: Path, out_dir: Path, base_iri: str | None, full_shacl: bool = False
) -> BuildReport:
    """The streaming build with one rich progress bar per stage."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:>15}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out) as progress:
        return build_streaming(seeds, out_dir, base_iri, progress=progress, full_shacl=full_shacl)


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
