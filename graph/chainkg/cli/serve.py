"""`chainkg serve` (read-only SPARQL endpoint + query page) and `chainkg push` (to a store).

Also the remote-endpoint options that `query` and `gaps` share (`--endpoint`, `--user`,
`--auth`, `--default-graph`): passwords and tokens come only from the environment
(CHAINKG_PASSWORD, CHAINKG_TOKEN) or a prompt, never from the command line.
"""

from __future__ import annotations

import inspect
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import pyoxigraph as ox
import typer
from rich.console import Console

from chainkg.cli.common import app, handle_errors
from chainkg.store import DEFAULT_GRAPH_FILE, open_store

if TYPE_CHECKING:  # chainkg.remote (and the HTTP modules it loads) only when a command runs
    from chainkg.remote import RemoteEndpoint

err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

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


# The limits `serve` passes on to ServeConfig unchanged: field -> (flag, default, help).
LIMITS: dict[str, tuple[str, int | float, str]] = {
    name: (spec["flag"], spec["default"], spec["help"])
    for name, spec in tomllib.loads(
        (Path(__file__).parent / "serve_limits.toml").read_text(encoding="utf-8")
    ).items()
}
PAGES_HELP = (
    "/site/: 'static' serves the built site folder, 'live' renders pages from the graph on "
    "request, 'auto' is static when the folder holds a site as new as the graph, else live."
)


def with_options(options: dict[str, tuple[str, int | float, str]]) -> Callable[[F], F]:
    """The command also takes `options` (flag, default, help), as keyword arguments named
    after their keys: one table instead of a parameter each."""

    def wrap(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        extra = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[type(default), typer.Option(flag, help=help_text)],
            )
            for name, (flag, default, help_text) in options.items()
        ]
        kept = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
        func.__signature__ = signature.replace(parameters=kept + extra)  # type: ignore[attr-defined]
        return func

    return wrap


@app.command("serve")
@handle_errors
@with_options(LIMITS)
def serve_command(
    graph: Path = typer.Option(
        DEFAULT_GRAPH_FILE, "--graph", help="Built graph file, or an on-disk Oxigraph store."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8000, "--port", help="Port (0: any free port)."),
    disk: Path | None = typer.Option(
        None, "--disk", help="Serve from an on-disk store in this folder (built if missing)."
    ),
    cors_origins: list[str] | None = typer.Option(
        None, "--cors-origin", help="Allow this origin to call the endpoint (repeatable; off)."
    ),
    base_iri: str | None = typer.Option(
        None, "--base-iri", help="Base IRI for relative IRIs in queries (default: endpoint URL)."
    ),
    cache_mb: int = typer.Option(
        64, "--cache-mb", help="Memory for repeated answers, MB (0: no cache)."
    ),
    site: Path | None = typer.Option(
        None, "--site", help="Static site folder to serve under /site/ (default: next to graph)."
    ),
    pages: str = typer.Option("auto", "--pages", help=PAGES_HELP),
    **limits: Any,
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
        cors_origins=list(cors_origins or []),
        base_iri=base_iri,
        cache_bytes=cache_mb * 1_000_000,
        site_dir=site or (graph.parent / "site"),
        pages=pages,
        **limits,
    )
    server = ChainkgServer(config)
    site_kind = "rendered on request" if server.live is not None else "static files"
    err.print(
        f"Serving {source} at [bold]{server.url}/[/] (SPARQL: {server.url}/sparql, "
        f"site: {server.url}/site/, {site_kind}). Ctrl+C stops.",
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
