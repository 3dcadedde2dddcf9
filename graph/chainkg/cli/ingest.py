"""`chainkg ingest` (articles -> candidate facts to review) and `chainkg accept` (merge)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.config import DEFAULT_SEEDS

out = Console()


class ReviewFormat(StrEnum):
    all = "all"
    xlsx = "xlsx"
    html = "html"
    json = "json"


@app.command("ingest")
@handle_errors
def ingest_command(
    files: list[Path] = typer.Argument(..., help="Articles: UTF-8 text, .html or .docx."),
    seeds: Path = typer.Option(DEFAULT_SEEDS, "--seeds", help="Seeds folder the facts go to."),
    out_dir: Path = typer.Option(Path("out/ingest"), "--out", help="Folder for the review."),
    fmt: ReviewFormat = typer.Option(
        ReviewFormat.all, "--format", help="Review files: xlsx, html, json or all."
    ),
) -> None:
    """Propose candidate facts (with quotes) from new articles, for review."""
    from chainkg.ingest import propose, write_review
    from chainkg.ingest.review import FORMATS

    proposal = propose(files, seeds)
    formats = FORMATS if fmt is ReviewFormat.all else (fmt.value,)
    counts = proposal.counts()
    known = sum(1 for c in proposal.candidates if c.known_id)
    out.print(
        f"{len(proposal.candidates)} candidates ({known} known): "
        + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())),
        highlight=False,
    )
    for path in write_review(proposal, out_dir, formats):
        out.print(f"wrote {path}", highlight=False)
    if "xlsx" in formats:
        out.print(
            f"Mark rows accept / reject / edit in {out_dir / 'review.xlsx'}, then run "
            f"`chainkg accept {out_dir / 'review.xlsx'} --seeds {seeds}`.",
            highlight=False,
        )


@app.command("accept")
@handle_errors
def accept_command(
    review: Path = typer.Argument(..., help="The review.xlsx written by `chainkg ingest`."),
    seeds: Path = typer.Option(DEFAULT_SEEDS, "--seeds", help="Seeds folder to merge into."),
) -> None:
    """Merge the accepted rows of a review into the seed tables (checked by a full build)."""
    from chainkg.ingest import accept

    report = accept(review, seeds)
    added = ", ".join(f"{t} +{n}" for t, n in sorted(report.added.items())) or "no new rows"
    evidence = ", ".join(f"{t} {n}" for t, n in sorted(report.evidence_added.items()))
    out.print(
        f"accepted: {added}" + (f"; evidence added to known rows: {evidence}" if evidence else ""),
        highlight=False,
    )
    for name in report.articles:
        out.print(f"registered article {seeds / 'articles' / name}", highlight=False)
