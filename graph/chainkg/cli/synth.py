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
    enterprises: int | None = typer.Option(
        None, "--enterprises", "-n", help="Number of enterprises."
    ),
    out_dir: Path = typer.Option(
        ..., "--out", help="Seeds folder to write (with --registry: the export file)."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same files."),
    registry: int | None = typer.Option(
        None, "--registry", help="Write a registry export of this many rows to --out instead."
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help="Registry CSV encoding (gbk)."),
    bad_rows: bool = typer.Option(False, "--bad-rows", help="Plant one bad row of each kind."),
    dataset: Path | None = typer.Option(
        None, "--dataset", help="Also write a registry-only data set (no articles) here."
    ),
) -> None:
    """Write synthetic seed tables and articles (same format as seeds/), or with --registry a
    synthetic registry export (CSV, or XLSX by suffix), deterministically."""
    if registry is not None:
        from chainkg.registry_import import source_id_for
        from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset

        written = synthesize_registry(registry, out_dir, seed, bad_rows, encoding)
        out.print(f"wrote {out_dir}: {written.rows:,} rows, {len(written.bad)} planted bad")
        if dataset is not None:
            synthesize_registry_dataset(dataset, source_id_for(out_dir))
            out.print(
                f"wrote {dataset}: import with chainkg import enterprises {out_dir} "
                f"--seeds {dataset}",
                highlight=False,
            )
        return
    if enterprises is None:
        raise ValueError("give --enterprises N (a seeds folder) or --registry N (an export)")
    with out.status("generating…") as status:
        counts = synthesize(enterprises, out_dir, seed, on_table=lambda t: status.update(t))
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items() if ":" not in k)
    out.print(f"wrote {out_dir}: {rows}", highlight=False)
