"""The HTTP side of `chainkg serve`: a read-only SPARQL 1.1 Protocol endpoint, a query page
and the static site, on the standard library's threading HTTP server.

Routes:
    /sparql (and /query)   SPARQL 1.1 Protocol, GET and POST; update and SERVICE refused
    /                      query page (graph/chainkg/static/), named queries from /api/queries
    /api/queries           the named queries as JSON
    /api/bind              POST {query, params}: the query with parameters bound (VALUES)
    /site/...              the static site (out/site/), if it was built
    /health                "ok" once the workers are up
"""

from __future__ import annotations

import json
import logging
import mimetypes
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from chainkg.config import QUERIES_DIR
from chainkg.queries import ENTITY_PARAMS, bind_value, list_queries, resolve_entity
from chainkg.server.pool import FORMAT_ALIASES, Answer, Job, WorkerPool
from chainkg.server.text import update_keyword, uses_service, with_values
from chainkg.store import DEFAULT_GRAPH_FILE
from chainkg.vocab import PREFIXES

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TEXT = "text/plain; charset=utf-8"
# The page may load only what this server serves: proof that nothing comes from a CDN.
PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"


@dataclass
class ServeConfig:
    """Everything `chainkg serve` can be told."""

    graph: Path = DEFAULT_GRAPH_FILE
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    time_limit: float = 10.0
    max_result_bytes: int = 10_000_000
    max_request_bytes: int = 1_000_000
    wait_limit: float = 60.0
    site_dir: Path | None = None  # default: site/ next to the graph file
    queries_dir: Path = QUERIES_DIR
    cache_bytes: int = 64_000_000  # answers kept (the graph is read-only); 0 disables
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the default (5) resets connections under load


class ChainkgServer:
    """The query workers plus the HTTP server; `serve_forever()` or `start()` then `close()`."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.site_dir = config.site_dir or Path(config.graph).parent / "site"
        self.pool = WorkerPool(config.graph, config.workers)
        try:
            self.httpd = _Server((config.host, config.port), _handler_class(self))
        except OSError:
            self.pool.close()
            raise
        self._thread: threading.Thread | None = None
        self._cache: OrderedDict[tuple[object, ...], Answer] = OrderedDict()
        self._cache_size = 0
        self._cache_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.close()

    def start(self) -> ChainkgServer:
        """Serve from a background thread (for tests and scripts)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and stop the workers."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(10)
            self._thread = None
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> ChainkgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- request handling, independent of the HTTP plumbing ---------------------------------

    def sparql(self, params: dict[str, list[str]], accept: str) -> Answer:
        """Answer one SPARQL Protocol request (params already merged from URL and body)."""
        if "update" in params:
            return _refuse_update("SPARQL Update")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return Answer(400, TEXT, b"Give exactly one 'query' parameter (SPARQL 1.1 Protocol)\n")
        query = queries[0]
        if keyword := update_keyword(query):
            return _refuse_update(keyword)
        if uses_service(query):
            return Answer(
                403,
                TEXT,
                b"Refused: federated queries (SERVICE) are not allowed on this endpoint.\n",
            )
        fmt = params.get("format", [""])[0].lower()
        if fmt:
            if fmt not in FORMAT_ALIASES:
                known = ", ".join(FORMAT_ALIASES)
                return Answer(400, TEXT, f"Unknown format '{fmt}'; use one of {known}\n".encode())
            accept = FORMAT_ALIASES[fmt]
        job = Job(
            query=query,
            accept=accept,
            prefixes=self.config.prefixes,
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
            max_bytes=self.config.max_result_bytes,
        )
        key = (job.query, job.accept, tuple(job.default_graphs), tuple(job.named_graphs))
        if cached := self._cached(key):
            return cached
        try:
            answer = self.pool.run(job, self.config.time_limit, self.config.wait_limit)
        except Exception as exc:  # noqa: BLE001 - the server must stay up
            log.exception("query failed")
            return Answer(500, TEXT, f"Query failed: {exc}\n".encode())
        if answer.status in (200, 400, 406, 422):
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

    def bind(self, body: bytes) -> Answer:
        """The query text with its parameters bound as VALUES rows (for the query page)."""
        try:
            data = json.loads(body or b"{}")
            params = {k: v for k, v in (data.get("params") or {}).items() if str(v).strip()}
            params = {k.lstrip("?$"): str(v) for k, v in params.items()}
            for name in [n for n in params if n in ENTITY_PARAMS]:
                # a label, alias, id or IRI, resolved once as `chainkg query` does
                params[name] = resolve_entity(_PoolQueries(self), name, params[name])
            terms = {k: bind_value(v) for k, v in params.items()}
            return _json({"query": with_values(str(data.get("query", "")), terms)})
        except KeyError as exc:
            message = exc.args[0] if exc.args else exc
            return Answer(400, TEXT, f"Cannot bind the parameters: {message}\n".encode())
        except (ValueError, AttributeError, TypeError) as exc:
            return Answer(400, TEXT, f"Cannot bind the parameters: {exc}\n".encode())


class _PoolQueries:
    """The server's worker pool as a query target for `resolve_entity` (SPARQL JSON back)."""

    def __init__(self, server: ChainkgServer):
        self.server = server

    def query(self, text: str, params: dict[str, str] | None = None) -> ox.QuerySolutions:
        bindings = {k: bind_value(v) for k, v in (params or {}).items()}
        job = Job(
            query=with_values(text, bindings),
            accept="application/sparql-results+json",
            prefixes=self.server.config.prefixes,
            max_bytes=self.server.config.max_result_bytes,
        )
        answer = self.server.pool.run(job, self.server.config.time_limit)
        if answer.status != 200:
            raise ValueError(answer.body.decode("utf-8", "replace").strip())
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


def _refuse_update(what: str) -> Answer:
    return Answer(
        403,
        TEXT,
        f"Refused: this endpoint is read-only; {what} is not allowed.\n".encode(),
    )


def _json(data: object) -> Answer:
    return Answer(200, "application/json", json.dumps(data, ensure_ascii=False).encode())


def _handler_class(server: ChainkgServer) -> type[BaseHTTPRequestHandler]:
    config = server.config

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "chainkg"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            log.debug("%s " + format, self.address_string(), *args)

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            path = url.path
            if path in ("/sparql", "/query"):
                params = parse_qs(url.query, keep_blank_values=True)
                self._send(server.sparql(params, self.headers.get("Accept", "")))
            elif path in ("/", "/index.html"):
                self._file(STATIC_DIR, "index.html", csp=True)
            elif path.startswith("/static/"):
                self._file(STATIC_DIR, path.removeprefix("/static/"))
            elif path == "/api/queries":
                self._send(server.named_queries())
            elif path == "/health":
                self._send(Answer(200, TEXT, b"ok\n"))
            elif path == "/site":
                self._redirect("/site/")
            elif path.startswith("/site/"):
                self._site(path.removeprefix("/site/"))
            else:
                self._send(Answer(404, TEXT, f"Not found: {path}\n".encode()))

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            body = self._body()
            if body is None:
                return
            if url.path == "/api/bind":
                self._send(server.bind(body))
                return
            if url.path not in ("/sparql", "/query"):
                if url.path in ("/update", "/store") or url.path.startswith("/store"):
                    self._send(_refuse_update("changing the data"))
                else:
                    self._send(Answer(404, TEXT, f"Not found: {url.path}\n".encode()))
                return
            params = parse_qs(url.query, keep_blank_values=True)
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-query":
                params["query"] = [body.decode("utf-8")]
            elif ctype == "application/sparql-update":
                self._send(_refuse_update("SPARQL Update"))
                return
            else:
                message = (
                    f"Unsupported Content-Type '{ctype}': send application/sparql-query "
                    "or application/x-www-form-urlencoded\n"
                )
                self._send(Answer(415, TEXT, message.encode()))
                return
            self._send(server.sparql(params, self.headers.get("Accept", "")))

        def _read_only(self) -> None:
            self._body()
            self._send(_refuse_update(f"HTTP {self.command}"))

        do_PUT = do_DELETE = do_PATCH = _read_only  # noqa: N815

        def _body(self) -> bytes | None:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > config.max_request_bytes:
                self.close_connection = True
                message = f"Request body must be at most {config.max_request_bytes} bytes\n"
                self._send(Answer(413, TEXT, message.encode()))
                return None
            return self.rfile.read(length) if length else b""

        def _site(self, rel: str) -> None:
            site = server.site_dir
            if not site.is_dir():
                hint = f"No static site at {site}; build it first (see docs/serving.md)\n"
                self._send(Answer(404, TEXT, hint.encode()))
                return
            self._file(site, rel or "index.html")

        def _file(self, root: Path, rel: str, csp: bool = False) -> None:
            root = root.resolve()
            target = (root / rel).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root) or not target.is_file():
                self._send(Answer(404, TEXT, f"Not found: {rel}\n".encode()))
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
                ctype += "; charset=utf-8"
            extra = {"Content-Security-Policy": PAGE_CSP} if csp else {}
            self._send(Answer(200, ctype, target.read_bytes()), extra)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, answer: Answer, extra: dict[str, str] | None = None) -> None:
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("X-Content-Type-Options", "nosniff")
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
