"""Remote SPARQL stores: push the built graph (Graph Store Protocol) and query it (Protocol).

`RemoteEndpoint(query_url, ...)` works with any store speaking SPARQL 1.1: Oxigraph, Jena
Fuseki, Virtuoso, GraphDB. `run_query(endpoint, text, params)` in chainkg.queries accepts one
in place of a local store and returns the same QueryResult. Credentials come from arguments
or the environment (CHAINKG_USER / CHAINKG_PASSWORD, or CHAINKG_TOKEN for a bearer token).
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from chainkg.bindings import bind_value
from chainkg.server.text import with_prefixes, with_values
from chainkg.vocab import PREFIXES

ENV_USER, ENV_PASSWORD, ENV_TOKEN = "CHAINKG_USER", "CHAINKG_PASSWORD", "CHAINKG_TOKEN"
SPARQL_JSON = "application/sparql-results+json"


class RemoteError(ValueError):
    """The remote store answered with an error or could not be reached.

    A ValueError so that the CLI reports it as an input error (exit 2) with its message."""


@dataclass
class Credentials:
    """HTTP credentials: a bearer token, or a user and password (basic or digest)."""

    user: str | None = None
    password: str | None = None
    token: str | None = None
    scheme: str = "basic"

    @classmethod
    def from_env(
        cls, user: str | None = None, scheme: str = "basic", env: Mapping[str, str] | None = None
    ) -> Credentials:
        """User from the argument or CHAINKG_USER; password and token only from the environment."""
        env = os.environ if env is None else env
        return cls(
            user=user or env.get(ENV_USER) or None,
            password=env.get(ENV_PASSWORD) or None,
            token=env.get(ENV_TOKEN) or None,
            scheme=scheme,
        )

    def header(self) -> str | None:
        """A pre-emptive Authorization header (None for digest, which needs a challenge)."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user and self.scheme == "basic":
            raw = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(raw).decode("ascii")
        return None


@dataclass
class RemoteEndpoint:
    """A remote SPARQL query endpoint (and optionally its Graph Store Protocol endpoint).

    Queries run against the store's default graph, where `push` puts the merge of all named
    graphs (as the local store has it). default_graphs: sent as `default-graph-uri` (and
    `named-graph-uri`) with every query, when the data was pushed into one graph (`--graph`),
    e.g. on Virtuoso, whose default graph is the union of all its graphs.
    """

    query_url: str
    store_url: str | None = None
    credentials: Credentials = field(default_factory=Credentials)
    default_graphs: list[str] = field(default_factory=list)
    timeout: float = 60.0
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES))

    def __post_init__(self) -> None:
        for url in (self.query_url, self.store_url):
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"'{url}' is not an http(s) URL")
        self._opener = _opener(self.query_url, self.store_url, self.credentials)

    def prepare(self, text: str, params: Mapping[str, str] | None = None) -> str:
        """The query as sent: preset prefixes declared, parameters bound as VALUES rows."""
        bindings = {k.lstrip("?$"): bind_value(v) for k, v in (params or {}).items()}
        return with_values(with_prefixes(text, self.prefixes), bindings)

    def query(self, text: str, params: Mapping[str, str] | None = None) -> ox.QuerySolutions:
        """Run a SELECT or ASK query; the answer parsed by pyoxigraph (SPARQL JSON)."""
        form = [("query", self.prepare(text, params))]
        for graph in self.default_graphs:
            form += [("default-graph-uri", graph), ("named-graph-uri", graph)]
        body = urllib.parse.urlencode(form).encode()
        data = self._request(
            "POST",
            self.query_url,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON},
        )
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def put_graph(self, data: bytes, graph: str | None, media_type: str = "application/n-triples"):
        """Replace one graph (None: the default graph) with the given RDF (GSP PUT)."""
        if not self.store_url:
            raise ValueError("no Graph Store Protocol URL: give --store-url")
        query = urllib.parse.urlencode({"graph": graph} if graph else {"default": ""})
        separator = "&" if "?" in self.store_url else "?"
        self._request(
            "PUT", f"{self.store_url}{separator}{query}", data, {"Content-Type": media_type}
        )

    def _request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        if auth := self.credentials.header():
            request.add_header("Authorization", auth)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:2000]
            raise RemoteError(f"{method} {url} -> HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"{method} {url} failed: {exc}") from exc


def connect(
    url: str,
    user: str | None = None,
    scheme: str = "basic",
    default_graphs: Iterable[str] = (),
    store_url: str | None = None,
) -> RemoteEndpoint:
    """An endpoint from a query URL; credentials from the environment (see Credentials).

    The Graph Store URL defaults to Oxigraph's layout: `.../query` or `.../sparql` ->
    `.../store`; give it explicitly for Fuseki (`/ds/data`) or Virtuoso (`/sparql-graph-crud`).
    """
    if scheme not in ("basic", "digest"):
        raise ValueError(f"unknown auth scheme '{scheme}'; use basic or digest")
    if store_url is None:
        head, _, tail = url.rstrip("/").rpartition("/")
        store_url = f"{head}/store" if tail in ("query", "sparql") else None
    return RemoteEndpoint(
        url,
        store_url,
        Credentials.from_env(user, scheme),
        default_graphs=list(default_graphs),
    )


def _opener(
    query_url: str, store_url: str | None, creds: Credentials
) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if creds.user and creds.scheme == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in filter(None, (query_url, store_url)):
            manager.add_password(None, url, creds.user, creds.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


@dataclass
class PushReport:
    """What `push` sent: triples per target graph."""

    graphs: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def push(endpoint: RemoteEndpoint, graph_file: Path | str, into: str | None = None) -> PushReport:
    """Load the built graph into the remote store with Graph Store Protocol PUTs.

    By default each named graph of the build (one per source article, the ontology and the
    register) is replaced by its own PUT, so provenance graphs survive, and the default graph
    by their merge, which the named queries read; with `into`, the merge alone goes into that
    one graph. Re-pushing replaces, it never duplicates.
    """
    from chainkg.store import open_store

    store = open_store(graph_file)
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in store:
        if into is None:
            by_graph[_graph_name(quad.graph_name)].append(quad.triple)
        elif isinstance(quad.graph_name, ox.DefaultGraph):
            by_graph[into].append(quad.triple)
    report = PushReport()
    for name, triples in by_graph.items():
        data = _ntriples(dict.fromkeys(triples))
        endpoint.put_graph(data, None if name == "" else name)
        report.graphs[name or "(default graph)"] = len(set(triples))
    return report


def _graph_name(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    if isinstance(graph, ox.DefaultGraph):
        return ""
    if isinstance(graph, ox.BlankNode):
        raise ValueError("a blank-node graph name cannot be pushed over the Graph Store Protocol")
    return graph.value


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
