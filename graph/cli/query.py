"""`chainkg query`: run SPARQL (inline, from a file, or a named query) against the graph."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from chainkg.cli import app, handle_errors
from chainkg.config import QUERIES_DIR
from chainkg.queries import OUTPUT_FORMATS, format_result, get_query, list_queries, run_query
from chainkg.store import DEFAULT_GRAPH_FILE, open_store

out = Console()


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--param '{pair}' must look like name=value")
        params[name.strip().lstrip("?")] = value
    return params


@app.command("query")
@handle_errors
def query_command(
    sparql: str | None = typer.Argument(
        None, help="SPARQL text, a .rq file, or the name of a query in queries/."
    ),
    graph: Path = typer.Option(DEFAULT_GRAPH_FILE, "--graph", help="Built graph file."),
    fmt: str = typer.Option(
        "table", "--format", "-f", help=f"Output: {', '.join(OUTPUT_FORMATS)}."
    ),
    param: list[str] = typer.Option([], "--param", "-p", help="Bind a parameter: name=value."),
    list_: bool = typer.Option(False, "--list", help="List the named queries."),
) -> None:
    """Answer a question with SPARQL; `--list` shows the named questions."""
    if list_:
        table = Table("name", "summary", "params", title=f"Named queries in {QUERIES_DIR}")
        for q in list_queries():
            table.add_row(q.name, q.summary, ", ".join(q.params))
        out.print(table)
        return
    if not sparql:
        raise ValueError("give a query (text, .rq file or name), or --list")
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown --format '{fmt}'; use one of {', '.join(OUTPUT_FORMATS)}")
    text = resolve_query_text(sparql)
    result = run_query(open_store(graph), text, parse_params(param))
    typer.echo(format_result(result, fmt), nl=fmt == "table")


def resolve_query_text(sparql: str) -> str:
    """Inline SPARQL, a path to a .rq file, or a named query."""
    if sparql.endswith(".rq") and Path(sparql).is_file():
        return Path(sparql).read_text(encoding="utf-8")
    if any(word in sparql.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        return sparql
    return get_query(sparql).text
