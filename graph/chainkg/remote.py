"""Remote SPARQL stores: push the built graph (Graph Store Protocol) and query it (Protocol).

`RemoteEndpoint(query_url, ...)` works with any store speaking SPARQL 1.1: Oxigraph, Jena
Fuseki, Virtuoso, GraphDB. `run_query(endpoint, text, params)` in chainkg.queries accepts one
in place of a local store and returns the same QueryResult. Credentials come from arguments
or the environment (CHAINKG_USER / CHAINKG_PASSWORD, or CHAINKG_TOKEN for a bearer token).
What the store supports (LATERAL) and which dialect it speaks (Virtuoso) is found out by one
probe query before the first query, and the rewrites of chainkg.dialects applied.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from chainkg.bindings import bind_value
from chainkg.dialects import (
    STANDARD,
    VIRTUOSO,
    query_shape,
    uses_lateral,
    virtuoso_results,
    virtuoso_strings,
    without_lateral,
)
from chainkg.server.text import term_sparql, with_prefixes, with_values
from chainkg.vocab import PREFIXES

ENV_USER, ENV_PASSWORD, ENV_TOKEN = "CHAINKG_USER", "CHAINKG_PASSWORD", "CHAINKG_TOKEN"
SPARQL_JSON = "application/sparql-results+json"
# Answers true where LATERAL works; a store without it rejects the query as a syntax error.
LATERAL_PROBE = "ASK { BIND(1 AS ?x) LATERAL { BIND(?x AS ?y) } }"


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
    dialect ("virtuoso" or "standard") and lateral (whether the store has SPARQL 1.2 LATERAL):
    None means found out by one probe query (its answer and the Server header) when first needed.
    """

    query_url: str
    store_url: str | None = None
    credentials: Credentials = field(default_factory=Credentials)
    default_graphs: list[str] = field(default_factory=list)
    timeout: float = 60.0
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES))
    dialect: str | None = None
    lateral: bool | None = None

    def __post_init__(self) -> None:
        for url in (self.query_url, self.store_url):
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"'{url}' is not an http(s) URL")
        self._opener = _opener(self.query_url, self.store_url, self.credentials)
        digest = [
            h for h in self._opener.handlers if isinstance(h, urllib.request.HTTPDigestAuthHandler)
        ]
        self._digest = digest[0] if digest else None

    def prepare(self, text: str, params: Mapping[str, str] | None = None) -> str:
        """The query as sent: preset prefixes declared, LATERAL rewritten for a store without
        it, parameters bound as VALUES rows, and Virtuoso's string literals typed."""
        bindings = {k.lstrip("?$"): bind_value(v) for k, v in (params or {}).items()}
        text = with_values(self._portable(text), bindings)
        if self.probe()[0] != VIRTUOSO:
            return text
        for name, term in bindings.items():  # Virtuoso: a BIND, where STR() makes it narrow
            if isinstance(term, ox.Literal) and not term.value.isascii():
                row = f"VALUES ?{name} {{ {term_sparql(term)} }}"
                text = text.replace(row, f"BIND({term_sparql(term)} AS ?{name})", 1)
        return virtuoso_strings(text)

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
        if self.dialect == VIRTUOSO:
            data = virtuoso_results(data, *query_shape(self._portable(text)))
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def probe(self) -> tuple[str, bool]:
        """The store's dialect and whether it has LATERAL (asked once, then remembered)."""
        if self.dialect is None or self.lateral is None:
            body = urllib.parse.urlencode({"query": LATERAL_PROBE}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON}
            status, data, server = self._exchange("POST", self.query_url, body, headers, (400,))
            if self.dialect is None:
                from_virtuoso = "virtuoso" in server.lower() or b"Virtuoso" in data[:200]
                self.dialect = VIRTUOSO if from_virtuoso else STANDARD
            if self.lateral is None:
                self.lateral = status == 200 and _true_answer(data)
        return self.dialect, self.lateral

    def _portable(self, text: str) -> str:
        text = with_prefixes(text, self.prefixes)
        if uses_lateral(text) and not self.probe()[1]:
            return without_lateral(text)
        return text

    def put_graph(
        self,
        data: bytes,
        graph: str | None,
        media_type: str = "application/n-triples",
        method: str = "PUT",
    ) -> None:
        """Replace one graph (None: the default graph) with the given RDF (GSP PUT), or add
        the RDF to it (method POST)."""
        if not self.store_url:
            raise ValueError("no Graph Store Protocol URL: give --store-url")
        query = urllib.parse.urlencode({"graph": graph} if graph else {"default": ""})
        separator = "&" if "?" in self.store_url else "?"
        self._request(
            method, f"{self.store_url}{separator}{query}", data, {"Content-Type": media_type}
        )

    def _request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        return self._exchange(method, url, body, headers)[1]

    def _exchange(
        self,
        method: str,
        url: str,
        body: bytes,
        headers: dict[str, str],
        accepted_errors: tuple[int, ...] = (),
    ) -> tuple[int, bytes, str]:
        """Status, body and Server header; an HTTP error not in accepted_errors raises."""
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        if auth := self.credentials.header():
            request.add_header("Authorization", auth)
        elif (
            body
            and len(body) > _SMALL_BODY
            and self.credentials.scheme == "digest"
            and (answer := self._digest_answer(request))
        ):
            # A digest server answers 401 and closes before reading a large body, which the
            # client sees as a broken pipe, never as the challenge: get the challenge with a
            # bodiless GET first and send the body with its answer.
            request.add_header("Authorization", answer)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(), response.headers.get("Server", "")
        except urllib.error.HTTPError as exc:
            data = exc.read()
            if exc.code in accepted_errors:
                return exc.code, data, exc.headers.get("Server", "")
            detail = data.decode("utf-8", "replace").strip()[:2000]
            raise RemoteError(f"{method} {url} -> HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"{method} {url} failed: {exc}") from exc

    def _digest_answer(self, request: urllib.request.Request) -> str | None:
        """The digest Authorization header for `request`, from the challenge the server gives
        a bodiless GET of the same URL (None if it asks for none; the answer is not read)."""
        probe = urllib.request.Request(request.full_url, method="GET")
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout):
                return None
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"GET {request.full_url} failed: {exc}") from exc
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() != "digest":
            return None
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        return self._digest.get_authorization(request, fields) if self._digest else None


_SMALL_BODY = 64 * 1024  # bodies a server's socket buffers take in whole before it answers


def _true_answer(data: bytes) -> bool:
    """Whether a SPARQL JSON ASK answer (or Virtuoso's one-row form of it) says true."""
    try:
        doc = json.loads(virtuoso_results(data, frozenset()))
    except ValueError:
        return False
    return doc.get("boolean") is True


def connect(
    url: str,
    user: str | None = None,
    scheme: str = "basic",
    default_graphs: Iterable[str] = (),
    store_url: str | None = None,
) -> RemoteEndpoint:
    """An endpoint from a query URL; credentials from the environment (see Credentials).

    The Graph Store URL defaults to Oxigraph's layout: `.../query` or `.../sparql` ->
    `.../store`, and to Virtuoso's for its authenticated endpoint: `.../sparql-auth` ->
    `.../sparql-graph-crud-auth`; give it explicitly for others (Fuseki: `/ds/data`).
    """
    if scheme not in ("basic", "digest"):
        raise ValueError(f"unknown auth scheme '{scheme}'; use basic or digest")
    if store_url is None:
        head, _, tail = url.rstrip("/").rpartition("/")
        guesses = {"query": "store", "sparql": "store", "sparql-auth": "sparql-graph-crud-auth"}
        store_url = f"{head}/{guesses[tail]}" if tail in guesses else None
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

    if into is None and endpoint.probe()[0] == VIRTUOSO:
        raise ValueError(
            "Virtuoso has no default graph of its own (its default graph is the union of all "
            "graphs): push with --graph IRI, then query with --default-graph IRI"
        )
    store = open_store(graph_file)
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in store:
        if into is None:
            by_graph[_graph_name(quad.graph_name)].append(quad.triple)
        elif isinstance(quad.graph_name, ox.DefaultGraph):
            by_graph[into].append(quad.triple)
    report = PushReport()
    for name, triples in by_graph.items():
        graph = None if name == "" else name
        for n, batch in enumerate(_batches(_ntriples(dict.fromkeys(triples)))):
            if n == 0:
                endpoint.put_graph(batch, graph)  # replaces the graph
            else:
                endpoint.put_graph(batch, graph, method="POST")  # adds to it
        report.graphs[name or "(default graph)"] = len(set(triples))
    return report


PUSH_BATCH_BYTES = 512 * 1024  # Virtuoso 7 drops request bodies of about 2 MB and more


def _batches(ntriples: bytes, limit: int = PUSH_BATCH_BYTES) -> Iterator[bytes]:
    """N-Triples text in whole-line pieces of at most `limit` bytes (a longer line alone);
    always at least one piece, so an empty graph is still replaced."""
    start, size = 0, len(ntriples)
    while True:
        if size - start <= limit:
            end = size
        else:
            end = ntriples.rfind(b"\n", start, start + limit) + 1
            if end <= start:  # one line longer than the limit
                end = ntriples.index(b"\n", start) + 1
        yield ntriples[start:end]
        start = end
        if start >= size:
            return


def _graph_name(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    if isinstance(graph, ox.DefaultGraph):
        return ""
    if isinstance(graph, ox.BlankNode):
        raise ValueError("a blank-node graph name cannot be pushed over the Graph Store Protocol")
    return graph.value


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
