"""`chainkg build`: seeds folder -> out/ (graph files, then the views). Flags and printing only:
`chainkg.pipeline.build` chooses the path and runs it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chainkg.cli.common import app, handle_errors
from chainkg.config import default_seeds
from chainkg.pipeline import LARGE_ENTERPRISES, BuildReport, build
from chainkg.stream import GAP_PAGES_MAX

out = Console()


@app.command("build")
@handle_errors
def build_command(
    seeds: Path | None = typer.Option(
        None,
        "--seeds",
        help="Seeds folder to read (default: ./seeds if it holds a dataset.toml, else the "
        "example data set installed with chainkg).",
    ),
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
        help="Check also what the mapping guarantees by construction: large builds, those "
        "constraints over the whole store (otherwise on a sample); small builds, the nodes "
        "written from the packaged reference (otherwise left out of pyshacl). Slower.",
    ),
    shapes: Path | None = typer.Option(
        None,
        "--shapes",
        exists=True,
        dir_okay=False,
        help="Validate against this SHACL file instead of the packaged ontology/shapes.ttl.",
    ),
) -> None:
    """Build the graph (Turtle, N-Quads, JSON-LD) from the seed tables and articles."""
    if seeds is None:
        seeds, why = default_seeds()
        out.print(f"Seeds: {why}.", highlight=False)
    columns = (TextColumn("{task.description:>15}"), BarColumn(), TimeElapsedColumn())
    bars = Progress(*columns, console=out)  # started by the streaming build only

    def on_stage(stage: str) -> None:
        # Plain lines, not a live spinner, on the small path: it forks SHACL, which must not
        # happen while another thread (a spinner) holds locks. The bars name the large stages.
        if not bars.live.is_started:
            out.print(f"{stage}…", style="dim")

    report = build(seeds, out_dir, base_iri, on_stage, large, bars, full_shacl, shapes)
    print_summary(report)
    if report.streaming:
        out.print(
            f"Turtle, JSON-LD and the HTML site are not written for large graphs (the site is "
            f"built for seeds of at most {LARGE_ENTERPRISES:,} enterprises); query "
            f"{out_dir / 'store'} with `chainkg query --graph`, or write Turtle with "
            f"`chainkg export {out_dir / 'graph.ttl'} --graph {out_dir / 'store'}`.",
            highlight=False,
        )
        if "gap-pages" not in report.seconds:
            out.print(
                f"Gap report pages skipped above {GAP_PAGES_MAX:,} enterprises (their seven "
                f"lists are whole lists); the gap summary is written: `chainkg gaps --graph "
                f"{out_dir / 'store'}` reads it.",
                highlight=False,
            )


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
    if report.superseded_rows:
        out.print(
            f"registry: {report.superseded_rows:,} rows superseded by a later export of the "
            "same credit code (the later row is the firm's record; a name only the earlier "
            "row gives stays as an alias)",
            highlight=False,
        )
    for path in report.files.values():
        out.print(
            f"wrote {path}  ({path.stat().st_size:,} bytes)"
            if path.is_file()
            else f"wrote {path}/",
            highlight=False,
        )
