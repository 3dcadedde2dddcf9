"""`chainkg serve` (read-only SPARQL endpoint + query page) and `chainkg push` (to a store).

Also the remote-endpoint options that `query` and `gaps` share (`--endpoint`, `--user`,
`--auth`, `--default-graph`): passwords and tokens come only from the environment
(CHAINKG_PASSWORD, CHAINKG_TOKEN) or a prompt, never from the command line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyoxigraph as ox
import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.store import DEFAULT_GRAPH_FILE, open_store

if TYPE_CHECKING:  # chainkg.remote (and the HTTP modules it loads) only when a command runs
    from chainkg.remote import RemoteEndpoint

err = Console(stderr=True)

ENDPOINT_HELP = "Query a remote SPARQL endpoint (URL) instead of the local graph file."
USER_HELP = "User for the endpoint (or CHAINKG_USER); password from CHAINKG_PASSWORD or a prompt."
AUTH_HELP = "HTTP authentication: basic or digest (Virtuoso's /sparql-auth uses digest)."
DEFAULT_GRAPH_HELP = "Use this graph as the default graph (repeatable), e.g. after push --graph."

# The remote options, declared once for every command that takes them.
EndpointOption = Annotated[str | None, typer.Option("--endpoint", help=ENDPOINT_HELP)]
UserOption = Annotated[str | None, typer.Option("--user", help=USER_HELP)]
AuthOption = Annotated[str, typer.Option("--auth", help=AUTH_HELP)]
DefaultGraphOption = Annotated[
    list[str] | None, typer.Option("--default-graph", help=DEFAULT_GRAPH_HELP)
]


def open_target(
    graph: Path,
    endpoint: str | None = None,
    user: str | None = None,
    auth: str = "basic",
    default_graphs: list[str] | None = None,
    store_url: str | None = None,
) -> ox.Store | RemoteEndpoint:
    """The local store for `graph`, or the remote endpoint if one is given."""
    if not endpoint:
        return open_store(graph)
    from chainkg.remote import ENV_PASSWORD, ENV_TOKEN, connect

    user = user or os.environ.get("CHAINKG_USER")
    if user and not os.environ.get(ENV_PASSWORD) and not os.environ.get(ENV_TOKEN):
        os.environ[ENV_PASSWORD] = typer.prompt(f"Password for {user}", hide_input=True)
    return connect(endpoint, user, auth, default_graphs or [], store_url)


@app.command("serve")
@handle_errors
def serve_command(
    graph: Path = typer.Option(
        DEFAULT_GRAPH_FILE, "--graph", help="Built graph file, or an on-disk Oxigraph store."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8000, "--port", help="Port (0: any free port)."),
    disk: Path | None = typer.Option(
        None, "--disk", help="Serve from an on-disk store in this folder (built if missing)."
    ),
    workers: int = typer.Option(2, "--workers", help="Query worker processes (general lane)."),
    fast_workers: int = typer.Option(
        1, "--fast-workers", help="Extra workers for the fast lane (0: no fast lane)."
    ),
    fast_limit: float = typer.Option(
        1.0, "--fast-limit", help="Seconds a query may run in the fast lane before it moves."
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Time limit per query, seconds."),
    memory_mb: int = typer.Option(
        4096, "--worker-memory-mb", help="Address-space limit per worker, MB (0: none)."
    ),
    per_client: int = typer.Option(
        4, "--max-per-client", help="Uncached queries running at once per client address."
    ),
    max_request_bytes: int = typer.Option(
        1_000_000, "--max-request-bytes", help="Largest request body, bytes."
    ),
    max_query_chars: int = typer.Option(
        100_000, "--max-query-chars", help="Longest query text, characters."
    ),
    max_depth: int = typer.Option(64, "--max-depth", help="Deepest bracket nesting in a query."),
    idle_timeout: float = typer.Option(
        5.0, "--idle-timeout", help="Seconds before an idle or unfinished connection closes."
    ),
    read_timeout: float = typer.Option(
        10.0, "--read-timeout", help="Seconds a request body may take to arrive."
    ),
    cors_origins: list[str] | None = typer.Option(
        None, "--cors-origin", help="Allow this origin to call the endpoint (repeatable; off)."
    ),
    base_iri: str | None = typer.Option(
        None, "--base-iri", help="Base IRI for relative IRIs in queries (default: endpoint URL)."
    ),
    max_result_bytes: int = typer.Option(
        10_000_000, "--max-result-bytes", help="Largest result sent, in bytes."
    ),
    cache_mb: int = typer.Option(
        64, "--cache-mb", help="Memory for repeated answers, MB (0: no cache)."
    ),
    site: Path | None = typer.Option(
        None, "--site", help="Static site folder to serve under /site/ (default: next to graph)."
    ),
) -> None:
    """Serve the graph: read-only SPARQL endpoint at /sparql, query page at /, site at /site/."""
    from chainkg.server import ChainkgServer, ServeConfig
    from chainkg.server.disk import ensure_disk_store

    source = graph
    if disk is not None:
        source = ensure_disk_store(graph, disk)
    config = ServeConfig(
        graph=source,
        host=host,
        port=port,
        workers=workers,
        fast_workers=fast_workers,
        fast_limit=fast_limit,
        time_limit=timeout,
        worker_memory_mb=memory_mb,
        max_per_client=per_client,
        max_request_bytes=max_request_bytes,
        max_query_chars=max_query_chars,
        max_depth=max_depth,
        idle_timeout=idle_timeout,
        read_timeout=read_timeout,
        cors_origins=list(cors_origins or []),
        base_iri=base_iri,
        max_result_bytes=max_result_bytes,
        cache_bytes=cache_mb * 1_000_000,
        site_dir=site or (graph.parent / "site"),
    )
    server = ChainkgServer(config)
    err.print(
        f"Serving {source} at [bold]{server.url}/[/] (SPARQL: {server.url}/sparql, "
        f"site: {server.url}/site/). Ctrl+C stops.",
        highlight=False,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")


@app.command("push")
@handle_errors
def push_command(
    endpoint: str = typer.Option(
        ..., "--endpoint", help="SPARQL query URL of the store, e.g. http://host:7878/query."
    ),
    store_url: str | None = typer.Option(
        None,
        "--store-url",
        help="Graph Store Protocol URL (default: the endpoint's .../store, as in Oxigraph).",
    ),
    into: str | None = typer.Option(
        None, "--graph", help="Put everything into this one graph IRI instead."
    ),
    graph_file: Path = typer.Option(DEFAULT_GRAPH_FILE, "--file", help="Built graph file."),
    user: UserOption = None,
    auth: AuthOption = "basic",
) -> None:
    """Load the built graph into a remote store (SPARQL 1.1 Graph Store Protocol)."""
    from chainkg.remote import RemoteEndpoint, push

    target = open_target(graph_file, endpoint, user, auth, store_url=store_url)
    assert isinstance(target, RemoteEndpoint)
    if not target.store_url:
        raise ValueError("cannot guess the Graph Store Protocol URL; give --store-url")
    report = push(target, graph_file, into)
    for name, count in report.graphs.items():
        typer.echo(f"{count:>8} triples -> {name}")
    typer.echo(f"pushed {report.triples} triples in {len(report.graphs)} graph(s) to {endpoint}")
