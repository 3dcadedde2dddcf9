"""Query workers: separate processes that each hold the graph, so a query can be stopped.

pyoxigraph cannot cancel a running query, so the time limit is enforced by killing the
worker process that runs it and starting a fresh one; the server itself is never blocked.
Each worker loads the graph file into memory, or opens an on-disk Oxigraph store read-only;
either way the default graph is the merge of the named graphs (see chainkg.store).
"""

from __future__ import annotations

import io
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# Short names for `?format=` in links.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@dataclass
class Job:
    """One query as the worker runs it."""

    query: str
    accept: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_bytes: int = 10_000_000


@dataclass
class Answer:
    """What a worker sends back: an HTTP status, a media type and the body."""

    status: int
    content_type: str
    body: bytes


class ResultTooLarge(Exception):
    """The serialized result passed the size limit."""


class _CappedBuffer(io.RawIOBase):
    """A byte sink that refuses to grow past `limit`, which stops the serializer early."""

    def __init__(self, limit: int) -> None:
        self.limit, self.data, self.overflowed = limit, bytearray(), False

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if len(self.data) + len(chunk) > self.limit:
            self.overflowed = True
            raise ResultTooLarge
        self.data += chunk
        return len(chunk)


def negotiate(accept: str, offered: dict[str, object]) -> str | None:
    """The offered media type the Accept header prefers (first offered if it allows any)."""
    if not accept.strip():
        return next(iter(offered))
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            choices.append((q, -index, media))
        elif media in ("*/*", "application/*", "text/*"):
            major = media.split("/")[0]
            fallback = next((m for m in offered if major == "*" or m.startswith(major + "/")), None)
            if fallback:
                choices.append((q - 0.0001, -index, fallback))
    return max(choices)[2] if choices else None


def execute(store: ox.Store, job: Job) -> Answer:
    """Run one query on the store and serialize it as the client asked."""
    try:
        result = store.query(
            job.query,
            prefixes=job.prefixes or None,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as exc:
        return Answer(400, TEXT, f"Bad query: {exc}\n".encode())
    except ValueError as exc:
        return Answer(400, TEXT, f"Bad request: {exc}\n".encode())
    offered: dict[str, object] = (
        GRAPH_TYPES if isinstance(result, ox.QueryTriples) else SELECT_TYPES
    )
    media = negotiate(job.accept, offered)
    if media is None:
        return Answer(
            406,
            TEXT,
            f"Not acceptable: this result can be sent as {', '.join(offered)}\n".encode(),
        )
    sink = _CappedBuffer(job.max_bytes)
    try:
        result.serialize(sink, offered[media])  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - the writer's refusal comes back wrapped
        if sink.overflowed:
            message = (
                f"Result too large: more than {job.max_bytes} bytes. "
                "Add a LIMIT or narrow the query.\n"
            )
            return Answer(422, TEXT, message.encode())
        return Answer(500, TEXT, f"Query failed: {exc}\n".encode())
    charset = "" if "json" in media or "xml" in media else "; charset=utf-8"
    return Answer(200, media + charset, bytes(sink.data))


def _load(graph: str) -> ox.Store:
    from chainkg.store import open_store

    return open_store(Path(graph))


def worker_main(graph: str, conn_in: Connection, conn_out: Connection) -> None:
    """Worker process: load the graph, say ready, then answer jobs until the pipe closes."""
    store = _load(graph)
    try:
        conn_out.send("ready")
        while True:
            job = conn_in.recv()
            try:
                answer = execute(store, job)
            except Exception as exc:  # noqa: BLE001 - report any engine failure to the client
                answer = Answer(500, TEXT, f"Query failed: {exc}\n".encode())
            conn_out.send(answer)
    except (EOFError, OSError):  # the server closed the pipes: stop quietly
        return


class _Worker:
    """A worker started as `python -m chainkg.server.worker GRAPH FD_IN FD_OUT`.

    A plain subprocess (not multiprocessing's spawn) so that the server works from any
    caller without the `if __name__ == "__main__"` guard multiprocessing needs.
    """

    def __init__(self, graph: str) -> None:
        job_r, job_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "chainkg.server.worker", graph, str(job_r), str(answer_w)],
                pass_fds=(job_r, answer_w),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(job_r)
            os.close(answer_w)
        self.send_conn = Connection(job_w, readable=False)
        self.conn = Connection(answer_r, writable=False)

    def send(self, job: Job) -> None:
        self.send_conn.send(job)

    def wait_ready(self, timeout: float) -> None:
        try:
            ready = self.conn.poll(timeout) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError("a query worker did not start; see the messages above")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self.send_conn.close()
        self.conn.close()


class WorkerPool:
    """A fixed number of query workers; a worker that times out is killed and replaced."""

    def __init__(self, graph: Path | str, workers: int = 2, start_timeout: float = 120) -> None:
        self.graph = str(graph)
        self.size = max(1, workers)
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        started = [_Worker(self.graph) for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(start_timeout)
        except Exception:
            for worker in started:
                worker.kill()
            raise
        for worker in started:
            self._all.add(worker)
            self._idle.put(worker)

    def run(self, job: Job, time_limit: float, wait_limit: float = 60) -> Answer:
        """Run a job on an idle worker, waiting for one at most `wait_limit` seconds."""
        try:
            worker = self._idle.get(timeout=wait_limit)
        except queue.Empty:
            return Answer(503, TEXT, b"Server busy; try again.\n")
        started = time.monotonic()
        try:
            worker.send(job)
            if worker.conn.poll(time_limit):
                answer: Answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
            log.warning("query stopped after %.1f s: %s", time_limit, job.query[:200])
            message = (
                f"Query stopped: it ran longer than the time limit of {time_limit:g} s "
                f"({time.monotonic() - started:.1f} s). Narrow it or add a LIMIT.\n"
            )
            status = 503
        except (EOFError, OSError, BrokenPipeError) as exc:
            log.error("query worker failed: %s", exc)
            message, status = f"Query worker failed ({exc}); it is being restarted.\n", 500
        self._replace(worker)
        return Answer(status, TEXT, message.encode())

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        threading.Thread(target=self._spawn, daemon=True).start()

    def _spawn(self) -> None:
        with self._lock:
            if self._closed:
                return
            worker = _Worker(self.graph)
            self._all.add(worker)
        try:
            worker.wait_ready(self.start_timeout)
        except RuntimeError:
            with self._lock:
                self._all.discard(worker)
            if not self._closed:
                log.exception("could not restart a query worker")
            return
        self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
