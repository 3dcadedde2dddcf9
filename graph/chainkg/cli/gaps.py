"""`chainkg gaps` and `chainkg lists`: missing and weak links, whom to court, the seven lists."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from chainkg.aggregates import summary_for
from chainkg.cli.common import app, handle_errors
from chainkg.cli.serve import (
    AuthOption,
    DefaultGraphOption,
    EndpointOption,
    UserOption,
    open_target,
)
from chainkg.gap_report import gaps_frame, lists_frame, markdown_table, summaries_frame
from chainkg.gaps import WEAK_THRESHOLD, analyse, resolve_chain
from chainkg.lists import seven_lists
from chainkg.panorama import panorama_markdown, panorama_status
from chainkg.project import local_name
from chainkg.queries import resolve_entity, run_query
from chainkg.search import open_beside
from chainkg.store import DEFAULT_GRAPH_FILE

FORMATS = ("table", "csv", "json", "xlsx", "md")
out = Console(width=200)
# Options both commands take, declared once.
FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(FORMATS)}.")]
GraphOption = Annotated[Path, typer.Option("--graph", help="Built graph file or store folder.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")]


@dataclass
class Report:
    """Where both commands read (a graph or an endpoint) and how they write (format, file)."""

    fmt: str
    output: Path | None
    graph: Path
    endpoint: str | None
    user: str | None
    auth: str
    default_graph: list[str] | None

    def open(self) -> Any:
        """The store or endpoint, after checking the format and output."""
        _check(self.fmt, self.output)
        return open_target(self.graph, self.endpoint, self.user, self.auth, self.default_graph)

    def chain_iri(self, store: Any, chain: str) -> str:
        """The chain's IRI, its name looked up in the name index beside a local graph (a
        chain is otherwise found by comparing every name in the store)."""
        index = None if self.endpoint else open_beside(self.graph, _note)
        try:
            return resolve_entity(store, "chain", chain, index)
        finally:
            if index is not None:
                index.close()


def _note(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


_REPORT_OPTIONS = {  # name: (annotation, default), the parameters of `Report`
    "fmt": (FormatOption, "table"),
    "graph": (GraphOption, DEFAULT_GRAPH_FILE),
    "output": (OutputOption, None),
    "endpoint": (EndpointOption, None),
    "user": (UserOption, None),
    "auth": (AuthOption, "basic"),
    "default_graph": (DefaultGraphOption, None),
}


def report_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the options of `Report` (declared once here) in place of its `report`
    parameter, which receives them as one `Report`."""
    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != "report"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in _REPORT_OPTIONS.items()
    ]

    @wraps(command)
    def wrapper(**kwargs: Any) -> None:
        report = Report(**{name: kwargs.pop(name) for name in _REPORT_OPTIONS})
        command(report=report, **kwargs)

    hints = {k: v for k, v in command.__annotations__.items() if k != "report"}
    wrapper.__annotations__ = {**hints, **{k: v[0] for k, v in _REPORT_OPTIONS.items()}}
    own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
    wrapper.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
    return wrapper


def _check(fmt: str, output: Path | None) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown --format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt == "xlsx" and output is None:
        raise ValueError("--format xlsx writes a binary file: give --output PATH.xlsx")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


def _rich(frame: pd.DataFrame, title: str) -> None:
    table = Table(*[str(c) for c in frame.columns], title=title, show_lines=True)
    for row in frame.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    out.print(table)


def _write_xlsx(content: bytes, output: Path) -> None:
    """An office-ready workbook (see chainkg_viz.office), by temp file and rename."""
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(output)
    typer.echo(f"wrote {output}", err=True)


def chain_label(store: Any, chain: str) -> str:
    """The Chinese label of the named chain (its id if it has none)."""
    iri = resolve_chain(store, chain)
    query = f'SELECT ?l WHERE {{ <{iri}> rdfs:label ?l FILTER(LANG(?l) = "zh") }} LIMIT 1'
    rows = run_query(store, query).records()
    return rows[0]["l"] if rows else local_name(iri)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@app.command("gaps")
@handle_errors
@report_options
def gaps_command(
    report: Report,
    chain: str | None = typer.Option(
        None, "--chain", "-c", help="Chain: Chinese or English label, alias or id (default all)."
    ),
    weak_threshold: int = typer.Option(
        WEAK_THRESHOLD,
        "--weak-threshold",
        "-w",
        help="A segment with fewer local enterprises is weak.",
    ),
    with_panorama: bool = typer.Option(
        False,
        "--with-panorama",
        help="json: an object {gaps: [...], panorama: [...]} with each chain's reference "
        "panorama (category statuses) beside the segment gaps (without it: the list of gaps, "
        "as before); md: the panorama tables after the gaps.",
    ),
) -> None:
    """Missing (缺链), pipeline (在建补链) and weak (弱链) segments, follow-ups and new targets."""
    fmt, output = report.fmt, report.output
    store = report.open()
    chain_iri = chain and report.chain_iri(store, chain)
    # the gap summary the build wrote for this graph, if any (never for an endpoint)
    summary = None if report.endpoint else summary_for(report.graph)
    data = analyse(store, chain_iri, weak_threshold, summary=summary)
    summaries = [a.summary for a in data]
    gaps = [gap for a in data for gap in a.gaps]
    panoramas = []
    if with_panorama:
        wanted = {s.iri for s in summaries}
        panoramas = [p for p in panorama_status(store, summary=summary) if p.chain_iri in wanted]
    if fmt == "json":
        listed = [g.to_dict() for g in gaps]
        if with_panorama:
            _emit(_json({"gaps": listed, "panorama": [p.to_dict() for p in panoramas]}), output)
        else:
            _emit(_json(listed), output)
    elif fmt == "csv":
        _emit(gaps_frame(gaps).to_csv(index=False, lineterminator="\n"), output)
    elif fmt == "md":
        text = markdown_table(summaries_frame(summaries)) + "\n" + markdown_table(gaps_frame(gaps))
        for panorama in panoramas:
            text += f"\n# {panorama.chain_label}\n" + panorama_markdown(panorama)
        _emit(text, output)
    elif fmt == "xlsx":
        assert output is not None
        from chainkg_viz.analysis import analyse as site_analysis
        from chainkg_viz.office import gap_workbook

        _write_xlsx(gap_workbook(site_analysis(store, data)), output)
    else:
        _rich(summaries_frame(summaries), "产业链概况 (chains)")
        columns = ["chain", "order", "segment", "stage", "level_zh", "local_enterprises"]
        frame = gaps_frame(gaps)
        if len(frame):
            frame = frame[[*columns, "stated_counts", "follow_ups", "candidates"]]
        _rich(frame, "缺链弱链 (segment gaps)")


@app.command("lists")
@handle_errors
@report_options
def lists_command(
    report: Report,
    chain: str = typer.Option(
        ..., "--chain", "-c", help="Chain: Chinese or English label, alias or id."
    ),
) -> None:
    """The seven lists (七清单) of a chain; an empty list is shown as a data gap."""
    fmt, output = report.fmt, report.output
    store = report.open()
    iri = report.chain_iri(store, chain)
    lists = seven_lists(store, iri)
    frame = lists_frame(lists)
    if fmt == "json":
        _emit(_json({k: [i.to_dict() for i in v] for k, v in lists.items()}), output)
    elif fmt == "csv":
        _emit(frame.to_csv(index=False, lineterminator="\n"), output)
    elif fmt == "md":
        _emit(markdown_table(frame), output)
    elif fmt == "xlsx":
        assert output is not None
        from chainkg_viz.office import lists_workbook

        _write_xlsx(lists_workbook(chain_label(store, iri), lists), output)
    else:
        _rich(frame.drop(columns=["list", "list_en"]), f"七清单 (seven lists): {chain}")
