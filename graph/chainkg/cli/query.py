"""`chainkg query`: run SPARQL (inline, from a file, or a named query) against the graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from chainkg.cli.common import app, handle_errors
from chainkg.cli.serve import (
    AuthOption,
    DefaultGraphOption,
    EndpointOption,
    UserOption,
    open_target,
)
from chainkg.config import QUERIES_DIR
from chainkg.listings import Listings
from chainkg.listings import open_beside as open_listings
from chainkg.queries import (
    DEFAULT_PAGE,
    OUTPUT_FORMATS,
    NamedQuery,
    format_result,
    get_query,
    list_queries,
    parse_named_query,
    run_isolated,
    run_named_query,
    run_query,
)
from chainkg.search import NameIndex, open_beside
from chainkg.store import DEFAULT_GRAPH_FILE

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
    all_: bool = typer.Option(
        False, "--all", help="With --list: also the internal helper queries of the gap analysis."
    ),
    limit: int = typer.Option(
        DEFAULT_PAGE,
        "--limit",
        min=0,
        help="Named queries: show this many rows (0: all); the total is shown with them.",
    ),
    offset: int = typer.Option(0, "--offset", min=0, help="Named queries: skip this many rows."),
    endpoint: EndpointOption = None,
    user: UserOption = None,
    auth: AuthOption = "basic",
    default_graph: DefaultGraphOption = None,
) -> None:
    """Answer a question with SPARQL; `--list` shows the named questions."""
    if list_:
        table = Table("name", "summary", "params", title=f"Named queries in {QUERIES_DIR}")
        for q in list_queries():
            if q.internal and not all_:
                continue
            table.add_row(q.name, q.summary, ", ".join(q.params))
        out.print(table)
        return
    if not sparql:
        raise ValueError("give a query (text, .rq file or name), or --list")
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown --format '{fmt}'; use one of {', '.join(OUTPUT_FORMATS)}")
    named = resolve_named_query(sparql)
    store = open_target(graph, endpoint, user, auth, default_graph)
    index = index_beside(graph) if isinstance(store, ox.Store) else None
    listings = listings_beside(graph) if isinstance(store, ox.Store) and named else None
    if named is not None:
        params = parse_params(param)
        run = lambda: run_named_query(store, named, params, index, limit, offset, listings)  # noqa: E731
    else:
        run = lambda: run_query(store, resolve_query_text(sparql), parse_params(param))  # noqa: E731
    try:
        result = run_isolated(run) if isinstance(store, ox.Store) else run()
    finally:
        for opened in (index, listings):
            if opened is not None:
                opened.close()
    typer.echo(format_result(result, fmt), nl=fmt == "table")
    if fmt == "table" and result.is_partial:
        typer.echo(result.page_line(), err=True)


def index_beside(graph: Path) -> NameIndex | None:
    """The name index the build wrote beside the graph file or store folder, if any and if it
    was built with that graph (else a note on stderr, and names are looked up by SPARQL)."""
    return open_beside(graph, lambda message: typer.echo(f"note: {message}", err=True))


def listings_beside(graph: Path) -> Listings | None:
    """The listings side table the build wrote beside the graph, if written for that graph
    (else a note on stderr, and the listings are answered by SPARQL)."""
    return open_listings(graph, lambda message: typer.echo(f"note: {message}", err=True))


def is_inline_sparql(sparql: str) -> bool:
    return any(w in sparql.upper() for w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


def resolve_named_query(sparql: str) -> NamedQuery | None:
    """The named query meant by a name or .rq path, or None for inline SPARQL."""
    if sparql.endswith(".rq") and Path(sparql).is_file():
        return parse_named_query(Path(sparql)) if sparql_has_summary(Path(sparql)) else None
    if is_inline_sparql(sparql):
        return None
    return get_query(sparql)


def sparql_has_summary(path: Path) -> bool:
    return path.read_text(encoding="utf-8").lstrip().lower().startswith("# summary:")


def resolve_query_text(sparql: str) -> str:
    """Inline SPARQL or the text of a .rq file."""
    if sparql.endswith(".rq") and Path(sparql).is_file():
        return Path(sparql).read_text(encoding="utf-8")
    return sparql
