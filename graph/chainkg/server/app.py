"""The HTTP side of `chainkg serve`: a read-only SPARQL 1.1 Protocol endpoint, a query page
and the static site, as a Starlette application served by Hypercorn.

Routes:
    /sparql (and /sparql/, /query)   SPARQL 1.1 Protocol, GET and POST; updates refused
    /                      query page (graph/chainkg/static/), named queries from /api/queries
    /api/queries           the named queries as JSON
    /api/bind              POST {query, params}: the query with parameters bound (VALUES)
    /api/search            GET ?text=&limit=&offset=: entities by name, from the name index
    /site/...              the site: the static files of out/site/, or pages rendered on
                           request from the graph (see `ServeConfig.pages`, docs/serving.md)
    /health                "ok" once the workers are up

HTTP itself (parsing, one Content-Length, chunked bodies, header size, read and keep-alive
timeouts, HEAD) is Hypercorn's (h11); this module adds the body cap, the per-client limit, the
answer cache and the SPARQL Protocol rules. What a query may do is checked in
chainkg.server.guard; queries run in chainkg.server.pool's worker processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from chainkg.aggregates import summary_for
from chainkg.config import QUERIES_DIR
from chainkg.queries import (
    ENTITY_PARAMS,
    SEARCH_COLUMNS,
    bind_value,
    list_queries,
    resolve_entity,
    search_result,
)
from chainkg.search import open_beside
from chainkg.server.guard import precheck, read_only_refusal
from chainkg.server.pool import Answer, Job, WorkerPool
from chainkg.server.text import with_values
from chainkg.store import DEFAULT_GRAPH_FILE, open_store
from chainkg.vocab import PREFIXES

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TEXT = "text/plain; charset=utf-8"
# The page may load only what this server serves: proof that nothing comes from a CDN.
PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
SPARQL_PATHS = ("/sparql", "/sparql/", "/query")
ALLOW = "GET, HEAD, POST, OPTIONS"
# h11 enforces this only on a head that arrives in pieces; checked again on the whole head
MAX_HEAD_BYTES = 16 * 1024
ANALYSIS_SECONDS = 300.0  # the gap analysis's queries, run once per process for the pages
OWN_RESULT_BYTES = 200_000_000  # the server's own queries (pages, analysis) may return this


@dataclass
class ServeConfig:
    """Everything `chainkg serve` can be told."""

    graph: Path = DEFAULT_GRAPH_FILE
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    fast_workers: int = 1  # the fast lane (see chainkg.server.pool); 0 disables it
    fast_limit: float = 1.0  # seconds a query may run in the fast lane
    time_limit: float = 10.0
    max_result_bytes: int = 10_000_000
    max_request_bytes: int = 1_000_000
    max_query_chars: int = 100_000
    max_depth: int = 64  # nesting of brackets in a query
    worker_memory_mb: int = 4096  # address-space limit per worker; 0: none
    max_per_client: int = 4  # uncached queries in flight per client address
    max_pending: int = 256  # uncached queries in flight in all
    wait_limit: float = 60.0
    idle_timeout: float = 5.0  # an idle connection, or one with unfinished headers, closes
    read_timeout: float = 10.0  # seconds a request body may take to arrive in full
    site_dir: Path | None = None  # default: site/ next to the graph file
    # /site/: "static" serves site_dir's files; "live" renders pages on request from the graph
    # (chainkg_viz.live); "auto" is static when site_dir holds a site at least as new as the
    # graph, else live (a large build writes no site).
    pages: str = "auto"
    page_threads: int = 4  # pages rendered at once (each waits for its queries in a thread)
    queries_dir: Path = QUERIES_DIR
    cache_bytes: int = 64_000_000  # answers kept (the graph is read-only); 0 disables
    cors_origins: list[str] = field(default_factory=list)  # off unless given
    base_iri: str | None = None  # for relative IRIs in queries; default: the endpoint URL
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status, headers, media_type=TEXT)


def _answer(answer: Answer) -> Response:
    return Response(answer.body, answer.status, media_type=answer.content_type)


class _BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def _bad_request_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _BadRequest)
    return exc.response


class ChainkgServer:
    """The query workers plus the HTTP server; `serve_forever()` or `start()` then `close()`."""

    def __init__(self, config: ServeConfig) -> None:
        if config.pages not in ("auto", "static", "live"):  # before anything is started
            raise ValueError(f"pages must be auto, static or live, not '{config.pages}'")
        self.config = config
        self.site_dir = config.site_dir or Path(config.graph).parent / "site"
        self.socket = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((config.host, config.port))
            self.socket.listen(1024)  # connections queue from now on, before serving starts
        except OSError:
            self.socket.close()
            raise
        try:
            self.pool = WorkerPool(
                config.graph, config.workers, config.fast_workers, config.worker_memory_mb
            )
            # names resolved and searched without scanning (None: by SPARQL, no search)
            self.index = open_beside(Path(config.graph), log.warning)
        except Exception:
            self.socket.close()
            raise
        self.base_iri = config.base_iri or f"{self.url}/sparql"
        self.app = self._build_app()
        self._cache: OrderedDict[tuple[object, ...], Answer] = OrderedDict()
        self._cache_size = 0
        self._cache_lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._limiter = anyio.CapacityLimiter(max(1, config.max_pending))
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self.live = self._live_site()
        self._page_limiter = anyio.CapacityLimiter(max(1, config.page_threads))
        self._warming: threading.Thread | None = None
        if self.live is not None:  # the gap analysis and site-wide facts, before any request
            self._warming = threading.Thread(target=self._warm, daemon=True)
            self._warming.start()

    def _live_site(self):  # noqa: ANN202 - chainkg_viz is imported only when pages are live
        """A `chainkg_viz.live.LiveSite` reading through the worker pool, or None when /site/
        serves the static folder (see ServeConfig.pages)."""
        mode = self.config.pages
        if mode == "static" or (mode == "auto" and self._static_site_current()):
            return None
        from chainkg_viz.live import LiveSite

        graph = Path(self.config.graph)
        summary = summary_for(graph)  # the gap summary the build wrote for this graph, if any
        if graph.is_dir():
            # An on-disk store (a large build's out/store, or --disk) opens read-only here at
            # little memory cost: the pages' own bounded queries run on it from their threads
            # (Oxigraph releases the GIL), not in the workers that answer /sparql.
            from chainkg.listings import open_beside as open_listings

            listings = open_listings(graph, log.warning)  # the seven lists at scale
            return LiveSite(open_store(graph), summary=summary, index=self.index, listings=listings)
        # A graph file would be a second copy in memory: the pages query through the workers
        # (the gap analysis, read once per process, may take longer than one query).
        analysis = _PoolQueries(self, time_limit=max(self.config.time_limit, ANALYSIS_SECONDS))
        return LiveSite(_PoolQueries(self), analysis, summary, self.index)

    def _static_site_current(self) -> bool:
        index = self.site_dir / "index.html"
        graph = Path(self.config.graph)
        return index.is_file() and index.stat().st_mtime >= graph.stat().st_mtime

    def _warm(self) -> None:
        try:
            self.live.warm()
        except Exception:  # noqa: BLE001 - a request will try again and report it
            log.warning("warming the served pages failed", exc_info=True)

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    # -- running ---------------------------------------------------------------------------

    def _hypercorn_config(self):  # noqa: ANN202 - hypercorn is imported lazily
        from hypercorn.config import Config

        hc = Config()
        hc.bind = [f"fd://{os.dup(self.socket.fileno())}"]  # hypercorn closes its copy
        hc.backlog = 1024  # 200 clients connecting at once are queued, not reset
        # Hypercorn's read timeout counts while an answer is being computed too, so it is set
        # past the longest answer (queue wait + time limit); slow bodies: see _body.
        hc.read_timeout = self.config.wait_limit + self.config.time_limit + 30
        hc.keep_alive_timeout = self.config.idle_timeout
        hc.h11_max_incomplete_size = MAX_HEAD_BYTES  # request line + headers
        hc.include_server_header = False
        hc.graceful_timeout = 2.0
        hc.accesslog = None
        return hc

    async def _serve(self) -> None:
        from hypercorn.asyncio import serve

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._started.set()
        await serve(self.app, self._hypercorn_config(), shutdown_trigger=self._stop.wait)

    def serve_forever(self) -> None:
        try:
            asyncio.run(self._serve())
        finally:
            self.close()

    def start(self) -> ChainkgServer:
        """Serve from a background thread (for tests and scripts)."""
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._thread.start()
        self._started.wait(30)
        return self

    def close(self) -> None:
        """Stop serving and stop the workers."""
        if self._thread is not None and self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already stopped
                self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)
            self._thread = None
        self.socket.close()
        self.pool.close()
        if self._warming is not None:
            self._warming.join(10)
        if self.index is not None:
            self.index.close()

    def __enter__(self) -> ChainkgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the application -------------------------------------------------------------------

    def _build_app(self) -> Starlette:
        routes = [
            Route(path, self._sparql_route, methods=["GET", "POST"]) for path in SPARQL_PATHS
        ] + [
            Route("/", self._page),
            Route("/index.html", self._page),
            Route("/static/{rel:path}", self._static),
            Route("/api/queries", self._named_queries),
            Route("/api/bind", self._bind_route, methods=["POST"]),
            Route("/api/search", self._search_route),
            Route("/health", self._health),
            Route("/site", lambda _: RedirectResponse("/site/", 301)),
            Route("/site/{rel:path}", self._site),
        ]
        middleware = []
        if self.config.cors_origins:
            middleware.append(
                Middleware(
                    CORSMiddleware,
                    allow_origins=self.config.cors_origins,
                    allow_methods=["GET", "POST", "OPTIONS"],
                    allow_headers=["Content-Type", "Accept"],
                )
            )
        app = Starlette(
            routes=routes,
            middleware=middleware,
            exception_handlers={_BadRequest: _bad_request_response},
        )
        return _Guard(app, self)  # type: ignore[return-value]

    async def _health(self, request: Request) -> Response:
        return _text(200, "ok")

    async def _page(self, request: Request) -> Response:
        return self._file(STATIC_DIR, "index.html", {"Content-Security-Policy": PAGE_CSP})

    async def _static(self, request: Request) -> Response:
        return self._file(STATIC_DIR, request.path_params["rel"])

    async def _site(self, request: Request) -> Response:
        if self.live is not None:
            return await self._live_page(request)
        if not self.site_dir.is_dir():
            return _text(
                404, f"No static site at {self.site_dir}; build it first (see docs/serving.md)"
            )
        return self._file(self.site_dir, request.path_params["rel"] or "index.html")

    async def _live_page(self, request: Request) -> Response:
        """A site page rendered from the graph (its queries run in the worker pool, the
        rendering in a thread, at most `page_threads` at once)."""
        rel = request.path_params["rel"] or "index.html"
        if rel.startswith("static/"):
            path = self.live.static_file(rel.removeprefix("static/"))
            return FileResponse(path) if path else _text(404, f"Not found: {rel}")
        params = {k: v[-1] for k, v in _decode_form(request.scope["query_string"]).items()}
        try:
            page = await anyio.to_thread.run_sync(
                self.live.page, rel, params, limiter=self._page_limiter
            )
        except ValueError as exc:  # a query refused, timed out or failed in its worker
            log.warning("page %s failed: %s", rel, exc)
            return _text(503, f"The page {rel} could not be rendered now: {exc}")
        except Exception:  # noqa: BLE001 - the server must stay up
            log.exception("page %s failed", rel)
            return _text(500, f"The page {rel} could not be rendered (see the server's log)")
        if page is None:
            return _text(404, f"Not found: {rel}")
        return Response(page.body, 200, media_type=page.content_type)

    def _file(self, root: Path, rel: str, headers: dict[str, str] | None = None) -> Response:
        root = root.resolve()
        target = (root / rel).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return _text(404, f"Not found: {rel}")
        return FileResponse(target, headers=headers)

    async def _named_queries(self, request: Request) -> Response:
        return _answer(self.named_queries())

    async def _search_route(self, request: Request) -> Response:
        params = request.query_params
        answer = await anyio.to_thread.run_sync(
            self.search,
            params.get("text", ""),
            params.get("limit", "20"),
            params.get("offset", "0"),
        )
        return _answer(answer)

    async def _bind_route(self, request: Request) -> Response:
        body = await self._body(request)  # resolving a name runs queries: off the event loop
        return _answer(await anyio.to_thread.run_sync(self.bind, body, limiter=self._limiter))

    async def _sparql_route(self, request: Request) -> Response:
        params = await self._protocol_params(request)
        accept = request.headers.get("accept", "")
        client = request.client.host if request.client else "-"
        return _answer(await self.sparql(params, accept, client))

    async def _body(self, request: Request) -> bytes:
        limit = self.config.max_request_bytes
        too_large = _BadRequest(_text(413, f"Request body must be at most {limit} bytes"))
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise too_large
        body = bytearray()
        with anyio.move_on_after(self.config.read_timeout) as timer:
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise too_large
        if timer.cancelled_caught:
            seconds = self.config.read_timeout
            raise _BadRequest(_text(408, f"Request body not received within {seconds:g} s"))
        return bytes(body)

    async def _protocol_params(self, request: Request) -> dict[str, list[str]]:
        """The SPARQL Protocol parameters from the URL and, for POST, the body (UTF-8 only)."""
        params = _decode_form(request.scope.get("query_string", b""))
        if request.method != "POST":
            return params
        body = await self._body(request)
        ctype, _, ctype_params = request.headers.get("content-type", "").partition(";")
        ctype = ctype.strip().lower()
        if ctype == "application/sparql-update":
            raise _BadRequest(_refuse("SPARQL Update"))
        charset = ""
        for part in ctype_params.split(";"):
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
        if charset not in ("", "utf-8", "utf8"):
            raise _BadRequest(_text(415, f"Unsupported charset '{charset}': send UTF-8"))
        if ctype == "application/x-www-form-urlencoded":
            for key, values in _decode_form(body).items():
                params.setdefault(key, []).extend(values)
        elif ctype == "application/sparql-query":
            params["query"] = [_utf8(body)]
        else:
            raise _BadRequest(
                _text(
                    415,
                    f"Unsupported Content-Type '{ctype}': send application/sparql-query "
                    "or application/x-www-form-urlencoded",
                )
            )
        return params

    # -- request handling, independent of the HTTP plumbing ---------------------------------

    async def sparql(self, params: dict[str, list[str]], accept: str, client: str) -> Answer:
        """Answer one SPARQL Protocol request (params already merged from URL and body)."""
        config = self.config
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            return _refusal_answer("SPARQL Update")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return Answer(400, TEXT, b"Give exactly one 'query' parameter (SPARQL 1.1 Protocol)\n")
        query = queries[0]
        if refused := precheck(query, config.max_query_chars, config.max_depth):
            return Answer(refused.status, TEXT, f"{refused.message}\n".encode())
        job = Job(
            query=query,
            accept=accept,
            prefixes=config.prefixes,
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
            max_bytes=config.max_result_bytes,
            base_iri=self.base_iri,
            format=params.get("format", [""])[0],
        )
        key = job.key()
        if cached := self._cached(key):
            return cached
        if self._in_flight.get(client, 0) >= config.max_per_client:
            message = (
                f"Too many queries at once from {client}: at most {config.max_per_client} "
                "run at a time per client; wait for one to finish.\n"
            )
            return Answer(429, TEXT, message.encode())
        self._in_flight[client] = self._in_flight.get(client, 0) + 1
        try:
            answer = await anyio.to_thread.run_sync(
                lambda: self.pool.run(job, config.time_limit, config.wait_limit, config.fast_limit),
                limiter=self._limiter,
            )
        except Exception as exc:  # noqa: BLE001 - the server must stay up
            log.exception("query failed")
            return Answer(500, TEXT, f"Query failed: {exc}\n".encode())
        finally:
            self._in_flight[client] -= 1
            if not self._in_flight[client]:
                del self._in_flight[client]
        if answer.status in (200, 400, 403, 406, 422):
            self._remember(key, answer)
        return answer

    def _cached(self, key: tuple[object, ...]) -> Answer | None:
        with self._cache_lock:
            answer = self._cache.get(key)
            if answer is not None:
                self._cache.move_to_end(key)
            return answer

    def _remember(self, key: tuple[object, ...], answer: Answer) -> None:
        """Keep answers up to cache_bytes, least recently used out first."""
        size = len(answer.body) + len(key[0])  # type: ignore[arg-type]
        if size > self.config.cache_bytes // 4:
            return
        with self._cache_lock:
            if key in self._cache:
                return
            self._cache[key] = answer
            self._cache_size += size
            while self._cache_size > self.config.cache_bytes:
                old_key, old = self._cache.popitem(last=False)
                self._cache_size -= len(old.body) + len(old_key[0])  # type: ignore[arg-type]

    def named_queries(self) -> Answer:
        items = [
            {"name": q.name, "summary": q.summary, "params": q.params, "text": q.text}
            for q in list_queries(self.config.queries_dir)
        ]
        return _json(items)

    def search(self, text: str, limit: str = "20", offset: str = "0") -> Answer:
        """Entities whose name contains `text`, as `entity-search` answers from the index:
        {"columns", "rows", "total", "offset", "total_exact"} (`total_exact` false: more
        than `total` match, counting stopped there); 404 without an index built with this graph."""
        if self.index is None:
            return Answer(
                404, TEXT, b"No name index beside the graph: rebuild with chainkg build\n"
            )
        try:
            page = (min(max(int(limit), 1), 500), max(int(offset), 0))
        except ValueError:
            return Answer(400, TEXT, b"limit and offset must be whole numbers\n")
        if not text.strip():
            return Answer(400, TEXT, b"Give a text to search for: /api/search?text=...\n")
        result = search_result(self.index, text, *page)
        body = {"columns": SEARCH_COLUMNS, "rows": result.rows, "total": result.total}
        return _json({**body, "offset": result.offset, "total_exact": result.total_exact})

    def bind(self, body: bytes) -> Answer:
        """The query text with its parameters bound as VALUES rows (for the query page)."""
        try:
            data = json.loads(body or b"{}")
            params = {k: v for k, v in (data.get("params") or {}).items() if str(v).strip()}
            params = {k.lstrip("?$"): str(v) for k, v in params.items()}
            for name in [n for n in params if n in ENTITY_PARAMS]:
                # a label, alias, id or IRI, resolved once as `chainkg query` does
                params[name] = resolve_entity(_PoolQueries(self), name, params[name], self.index)
            terms = {k: bind_value(v) for k, v in params.items()}
            return _json({"query": with_values(str(data.get("query", "")), terms)})
        except KeyError as exc:
            message = exc.args[0] if exc.args else exc
            return Answer(400, TEXT, f"Cannot bind the parameters: {message}\n".encode())
        except (ValueError, AttributeError, TypeError) as exc:
            return Answer(400, TEXT, f"Cannot bind the parameters: {exc}\n".encode())


class _PoolQueries:
    """The server's worker pool as a query target for `resolve_entity` and the served pages
    (SPARQL JSON back); `time_limit` defaults to the server's."""

    def __init__(self, server: ChainkgServer, time_limit: float | None = None):
        self.server = server
        self.time_limit = time_limit or server.config.time_limit

    def query(self, text: str, params: dict[str, str] | None = None) -> ox.QuerySolutions:
        bindings = {k: bind_value(v) for k, v in (params or {}).items()}
        config = self.server.config
        job = Job(
            query=with_values(text, bindings),
            accept="application/sparql-results+json",
            prefixes=config.prefixes,
            max_bytes=max(config.max_result_bytes, OWN_RESULT_BYTES),
        )
        answer = self.server.pool.run(job, self.time_limit, config.wait_limit, config.fast_limit)
        if answer.status != 200:
            raise ValueError(answer.body.decode("utf-8", "replace").strip())
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


class _Guard:
    """ASGI wrapper: errors raised while reading a request become their answers, methods that
    change data are refused everywhere, OPTIONS is answered, and every answer says nosniff."""

    def __init__(self, app: Starlette, server: ChainkgServer) -> None:
        self.app, self.server = app, server

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_nosniff(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        method = scope["method"]
        response: Response | None = None
        head_size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        head_size += sum(len(name) + len(value) for name, value in scope.get("headers", []))
        if head_size > MAX_HEAD_BYTES:
            limit = f"at most {MAX_HEAD_BYTES} bytes"
            response = _text(431, f"Request line and headers must be {limit}")
        elif "\x00" in scope.get("path", ""):
            response = _text(400, "Bad request: NUL in the path")
        elif method in ("PUT", "DELETE", "PATCH"):
            response = _refuse(f"HTTP {method}")
        elif method == "POST" and scope["path"] in ("/update", "/store"):
            response = _refuse("changing the data")
        elif method == "OPTIONS" and not (self.server.config.cors_origins and _is_preflight(scope)):
            response = Response(b"", 204, {"Allow": ALLOW})
        elif method not in ("GET", "HEAD", "POST", "OPTIONS"):
            response = _text(405, f"Method {method} not allowed", {"Allow": ALLOW})
        if response is not None:
            await response(scope, receive, send_nosniff)
            return
        await self.app(scope, receive, send_nosniff)


def _is_preflight(scope) -> bool:  # noqa: ANN001
    names = {name for name, _ in scope.get("headers", [])}
    return b"origin" in names and b"access-control-request-method" in names


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadRequest(
            _text(400, f"Bad request: the body is not UTF-8 (byte {exc.start})")
        ) from None


def _decode_form(data: bytes) -> dict[str, list[str]]:
    """A URL-encoded form or query string; percent-escapes must decode as UTF-8."""
    try:
        return parse_qs(_utf8(data), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _BadRequest(
            _text(400, "Bad request: a parameter is not UTF-8 once percent-decoded")
        ) from None


def _refusal_answer(what: str) -> Answer:
    refusal = read_only_refusal(what)
    return Answer(refusal.status, TEXT, (refusal.message + "\n").encode())


def _refuse(what: str) -> Response:
    return _answer(_refusal_answer(what))


def _json(data: object) -> Answer:
    return Answer(200, "application/json", json.dumps(data, ensure_ascii=False).encode())
