"""`chainkg import enterprises` (a registry export into a data set) and `chainkg panorama`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from chainkg.cli.common import app, err, handle_errors
from chainkg.cli.gaps import FormatOption, GraphOption, OutputOption, _emit
from chainkg.cli.serve import open_target
from chainkg.config import DEFAULT_SEEDS
from chainkg.panorama import panorama_markdown, panorama_status
from chainkg.registry_import import import_enterprises
from chainkg.store import DEFAULT_GRAPH_FILE

out = Console()
import_app = typer.Typer(help="Add data to a data set: registry exports of enterprises.")
app.add_typer(import_app, name="import")


def _column_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        heading, sep, standard = pair.partition("=")
        if not sep or not heading or not standard:
            raise ValueError(f"--column '{pair}' is not HEADING=STANDARD, e.g. 公司名称=企业名称")
        mapping[heading.strip()] = standard.strip()
    return mapping


@import_app.command("enterprises")
@handle_errors
def import_enterprises_command(
    file: Path = typer.Argument(..., help="Registry export: CSV (UTF-8 or --encoding) or XLSX."),
    seeds: Path = typer.Option(DEFAULT_SEEDS, "--seeds", help="Data set (seeds folder)."),
    strict: bool = typer.Option(False, "--strict", help="Import nothing if any row is bad."),
    encoding: str | None = typer.Option(
        None, "--encoding", help="CSV encoding, e.g. gbk (default: UTF-8, GBK is detected)."
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        help="Map a heading of the file to a standard one, HEADING=STANDARD (repeatable), "
        "e.g. --column 公司名称=企业名称; [registry.columns] in dataset.toml does the same.",
    ),
    date: str | None = typer.Option(None, "--date", help="Date of the export (YYYY-MM-DD)."),
    source_id: str | None = typer.Option(None, "--source-id", help="Source id to register."),
    title: str | None = typer.Option(None, "--title", help="Headline of the source."),
) -> None:
    """Add a registry export (工商登记名录) to a data set; `chainkg build` then maps its rows.

    Good rows are kept in SEEDS/registry/ and registered in sources.csv; bad rows go to
    FILE.rejects.csv beside the input, each with its row, field and problem."""
    report = import_enterprises(
        file,
        seeds,
        strict=strict,
        encoding=encoding,
        columns=_column_map(column),
        date=date,
        source_id=source_id,
        title=title,
    )
    for problem in report.problems:
        err.print(f"  - {problem}", markup=False, highlight=False)
    out.print(
        f"imported {report.imported} rows as source '{report.source_id}' into {report.kept}"
        + (f"; {report.rejected} rejected, see {report.reject_file}" if report.rejected else ""),
        highlight=False,
    )
    if report.new_firms is not None:
        out.print(
            f"{report.new_firms} rows are firms no other export of the data set holds",
            highlight=False,
        )
    if report.updating:
        out.print(
            f"{report.updating} rows update firms of earlier exports (same credit code): "
            "each is now its firm's record, and a name only the earlier row gives stays as "
            "an alias",
            highlight=False,
        )
    if report.changes_file is not None:
        out.print(
            f"{report.changes} changes against the earlier exports (new firms, changed "
            f"fields, firms this export leaves out): see {report.changes_file}",
            highlight=False,
        )
    if report.outdated:
        out.print(
            f"{report.outdated} rows are older than a later export's row of the same credit "
            "code, which stands (the build maps the latest row of each firm)",
            highlight=False,
        )


@app.command("panorama")
@handle_errors
def panorama_command(
    chain: str | None = typer.Option(None, "--chain", "-c", help="Chain (default all)."),
    fmt: FormatOption = "md",
    graph: GraphOption = DEFAULT_GRAPH_FILE,
    output: OutputOption = None,
) -> None:
    """Each chain's reference panorama (全景图) and the zone's status in every category."""
    if fmt not in ("md", "json"):
        raise ValueError(f"unknown --format '{fmt}'; use md or json")
    panoramas = panorama_status(open_target(graph, None, None, "basic", None), chain)
    if fmt == "json":
        text = json.dumps([p.to_dict() for p in panoramas], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(f"# {p.chain_label}\n{panorama_markdown(p)}\n" for p in panoramas)
    _emit(text, output)
