"""Query workers: separate processes that each hold the graph, so a query can be stopped.

pyoxigraph cannot cancel a running query, so the time limit is enforced by killing the
worker process that runs it and starting a fresh one; the server itself is never blocked.
The same holds for a query that crashes the engine (Oxigraph aborts the process on some
ORDER BY over mixed types) or passes the worker's memory limit: the client gets a clear error
and a fresh worker takes the dead one's place.

Each worker loads the graph file into memory, or opens an on-disk Oxigraph store read-only;
either way the default graph is the merge of the named graphs (see chainkg.store). Workers
start sandboxed (chainkg.server.guard): no network sockets, an address-space limit.

Two lanes: the *fast* workers take any query, but a query still running after `fast_limit`
seconds moves to the *general* lane and is remembered as slow, so that it goes straight to the
general lane next time. It is not stopped: its worker becomes a general worker and an idle
general worker takes over the fast lane, or, if none is idle, a fresh worker is started for
the fast lane (the general lane grows by at most one extra process per fast worker, once).
Cheap queries therefore answer while the general workers are busy with slow ones.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
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
    base_iri: str | None = None
    format: str = ""  # `format=` from the request: honoured when it fits the query form
    checked: bool = False  # the guard already passed this exact text (in any worker)

    def key(self) -> tuple[object, ...]:
        """What makes two jobs give the same answer (for the cache and the slow list)."""
        return (
            self.query,
            self.accept,
            self.format,
            tuple(self.default_graphs),
            tuple(self.named_graphs),
            self.base_iri,
        )


@dataclass
class Answer:
    """What a worker sends back: an HTTP status, a media type and the body."""

    status: int
    content_type: str
    body: bytes
    retire: bool = False  # the worker asks to be replaced (e.g. after a MemoryError)
    checked: bool = False  # the guard passed the query text (the pool remembers it)


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


def _media_for_format(fmt: str, offered: dict[str, object]) -> str | None:
    """The media type `format=` asks for, if it is one this result can be sent as."""
    fmt = fmt.strip().lower()
    media = FORMAT_ALIASES.get(fmt, fmt)
    return media if media in offered else None


_verdicts: OrderedDict[str, Answer | None] = OrderedDict()  # query text -> refusal, per worker


def _refusal(query: str) -> Answer | None:
    """The guard's verdict on the query text, remembered for the last 1,000 texts."""
    from chainkg.server.guard import inspect

    if query in _verdicts:
        _verdicts.move_to_end(query)
        return _verdicts[query]
    refusal = inspect(query)
    verdict = (
        None if refusal is None else Answer(refusal.status, TEXT, f"{refusal.message}\n".encode())
    )
    _verdicts[query] = verdict
    if len(_verdicts) > 1000:
        _verdicts.popitem(last=False)
    return verdict


def execute(store: ox.Store, job: Job) -> Answer:
    """Check the query, run it on the store and serialize it as the client asked."""
    if not job.checked and (refused := _refusal(job.query)):
        return refused
    answer = _run(store, job)
    answer.checked = True
    return answer


def _run(store: ox.Store, job: Job) -> Answer:
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
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
    media = _media_for_format(job.format, offered) if job.format else None
    media = media or negotiate(job.accept, offered)
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
        return _failure(exc)
    charset = "" if "json" in media or "xml" in media else "; charset=utf-8"
    return Answer(200, media + charset, bytes(sink.data))


def _failure(exc: Exception) -> Answer:
    """The answer for an engine error; a blocked network call is a refused SERVICE, and so is
    a SERVICE the engine could not even address (its endpoint variable unbound)."""
    text = str(exc)
    if "os error 1)" in text or "service name is unbound" in text:
        # EPERM from the sandbox (the query tried to connect), or a SERVICE ?var left unbound
        message = (
            "Refused: federated queries (SERVICE) are not allowed on this endpoint "
            "(the query workers have no network access)."
        )
        return Answer(403, TEXT, f"{message}\n".encode())
    return Answer(500, TEXT, f"Query failed: {exc}\n".encode())


def _load(graph: str) -> ox.Store:
    from chainkg.store import open_store

    return open_store(Path(graph))


def worker_main(graph: str, conn_in: Connection, conn_out: Connection, memory_mb: int) -> None:
    """Worker process: sandbox itself, load the graph, say ready, then answer jobs until the
    pipe closes."""
    from chainkg.server import guard

    guard.forbid_network()
    guard.inspect("ASK {}")  # import and warm the parser before the memory limit
    guard.limit_memory(memory_mb)
    store = _load(graph)
    try:
        conn_out.send("ready")
        while True:
            job = conn_in.recv()
            try:
                answer = execute(store, job)
            except MemoryError:
                message = (
                    f"Query stopped: it needed more than the worker memory limit ({memory_mb} MB)."
                )
                answer = Answer(503, TEXT, (message + "\n").encode(), retire=True)
            except RecursionError:
                answer = Answer(400, TEXT, b"Bad query: nested too deeply.\n")
            except Exception as exc:  # noqa: BLE001 - report any engine failure to the client
                answer = _failure(exc)
            conn_out.send(answer)
            if answer.retire:
                return
    except (EOFError, OSError):  # the server closed the pipes: stop quietly
        return


class _Worker:
    """A worker started as `python -m chainkg.server.worker GRAPH FD_IN FD_OUT MEMORY_MB`.

    A plain subprocess (not multiprocessing's spawn) so that the server works from any
    caller without the `if __name__ == "__main__"` guard multiprocessing needs. Its stderr is
    read by a thread that logs it and keeps the last lines, which say why it died (a Rust
    panic, "memory allocation of N bytes failed").
    """

    def __init__(self, graph: str, lane: str, memory_mb: int) -> None:
        self.lane = lane
        self.memory_mb = memory_mb
        job_r, job_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "chainkg.server.worker",
                    graph,
                    str(job_r),
                    str(answer_w),
                    str(memory_mb),
                ],  # fmt: skip
                pass_fds=(job_r, answer_w),
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "RUST_BACKTRACE": "0"},
            )
        finally:
            os.close(job_r)
            os.close(answer_w)
        self.send_conn = Connection(job_w, readable=False)
        self.conn = Connection(answer_r, writable=False)
        self.stderr_tail: deque[str] = deque(maxlen=8)
        self._kill_lock = threading.Lock()
        self._killed = False
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self.stderr_tail.append(line)
            log.debug("worker %s: %s", self.process.pid, line)

    def send(self, job: Job) -> None:
        self.send_conn.send(job)

    def death_answer(self) -> Answer:
        """What to tell the client whose query killed this worker."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        time.sleep(0.05)  # let the reader thread take the last lines
        tail = " ".join(self.stderr_tail)
        if "memory allocation" in tail or "MemoryError" in tail:
            message = (
                f"Query stopped: it needed more than the worker memory limit "
                f"({self.memory_mb} MB). Narrow it or add a LIMIT."
            )
            return Answer(503, TEXT, (message + "\n").encode())
        lines = [line for line in self.stderr_tail if line.strip()]
        detail = next(
            (line for line in lines if "panicked" not in line and "note:" not in line), ""
        )
        if "total order" in tail:
            detail = (
                "Oxigraph cannot sort these values (ORDER BY over values of mixed types, e.g. "
                "strings and numbers); order by STR(?x) or filter the values by type"
            )
        message = (
            "Query failed: the query engine crashed on this query"
            + (f" ({detail})" if detail else "")
            + "; the worker is being restarted."
        )
        return Answer(500, TEXT, (message + "\n").encode())

    def wait_ready(self, timeout: float) -> None:
        try:
            ready = self.conn.poll(timeout) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            tail = " | ".join(self.stderr_tail)
            raise RuntimeError(f"a query worker did not start: {tail or 'see the messages above'}")

    def kill(self) -> None:
        """Stop the process and close its pipes, once: a worker being replaced can be killed
        by `WorkerPool.close` at the same moment, and a second close of a pipe could close
        a descriptor another thread has just opened with the same number."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(10)
            self.send_conn.close()
            self.conn.close()


GENERAL, FAST = "general", "fast"
BUSY = Answer(503, TEXT, b"Server busy; try again.\n")


class WorkerPool:
    """Query workers in two lanes (see the module docstring); a worker that times out, dies or
    passes its memory limit is killed and replaced."""

    def __init__(
        self,
        graph: Path | str,
        workers: int = 2,
        fast_workers: int = 1,
        memory_mb: int = 0,
        start_timeout: float = 120,
    ) -> None:
        self.graph = str(graph)
        self.size = max(1, workers)
        self.fast_size = max(0, fast_workers)
        self.memory_mb = memory_mb
        self.start_timeout = start_timeout
        self._cond = threading.Condition()
        self._idle: dict[str, deque[_Worker]] = {GENERAL: deque(), FAST: deque()}
        self._all: set[_Worker] = set()
        self._slow: OrderedDict[tuple[object, ...], None] = OrderedDict()
        self._count = {GENERAL: self.size, FAST: self.fast_size}  # live workers, busy or idle
        self._passed: OrderedDict[str, None] = OrderedDict()  # texts the guard let through
        self._closed = False
        self.restarts = 0
        lanes = [GENERAL] * self.size + [FAST] * self.fast_size
        started = [_Worker(self.graph, lane, memory_mb) for lane in lanes]
        try:
            for worker in started:
                worker.wait_ready(start_timeout)
        except Exception:
            for worker in started:
                worker.kill()
            raise
        for worker in started:
            self._all.add(worker)
            self._idle[worker.lane].append(worker)

    def run(
        self, job: Job, time_limit: float, wait_limit: float = 60, fast_limit: float = 1.0
    ) -> Answer:
        """Run a job (see the lanes above), waiting for a worker at most `wait_limit` s."""
        deadline = time.monotonic() + wait_limit
        key = job.key()
        with self._cond:
            job.checked = job.query in self._passed
        taken = self._take(key, deadline)
        if taken is None:
            return BUSY
        worker, started = taken, time.monotonic()
        if not self._send(worker, job):
            return worker.death_answer()
        if worker.lane == FAST:
            if worker.conn.poll(fast_limit):
                return self._receive(worker, job)
            self._remember_slow(key)
            self._leave_fast_lane(worker)
        if worker.conn.poll(max(0.0, time_limit - (time.monotonic() - started))):
            return self._receive(worker, job)
        log.warning("query stopped after %.1f s: %s", time_limit, job.query[:200])
        self._replace(worker)
        message = (
            f"Query stopped: it ran longer than the time limit of {time_limit:g} s "
            f"({time.monotonic() - started:.1f} s). Narrow it or add a LIMIT.\n"
        )
        return Answer(503, TEXT, message.encode())

    def _take(self, key: tuple[object, ...], deadline: float) -> _Worker | None:
        """An idle worker: general or fast, or only general for a query known to be slow
        (looked up again after every wait: another run of it may have just proved slow)."""
        with self._cond:
            while not self._closed:
                slow = key in self._slow or not self.fast_size
                for lane in (GENERAL,) if slow else (FAST, GENERAL):
                    if self._idle[lane]:
                        return self._idle[lane].popleft()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
        return None

    def _send(self, worker: _Worker, job: Job) -> bool:
        try:
            worker.send(job)
            return True
        except (OSError, BrokenPipeError):
            self._replace(worker)
            return False

    def _receive(self, worker: _Worker, job: Job) -> Answer:
        try:
            answer: Answer = worker.conn.recv()
        except (EOFError, OSError) as exc:
            log.error("query worker %s died: %s", worker.process.pid, exc)
            answer = worker.death_answer()
            self._replace(worker)
            return answer
        if answer.checked and not job.checked:  # parsed once per text, not once per worker
            with self._cond:
                self._passed[job.query] = None
                if len(self._passed) > 10_000:
                    self._passed.popitem(last=False)
        if answer.retire:
            self._replace(worker)
        else:
            self._release(worker)
        return answer

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                return
            self._idle[worker.lane].append(worker)
            self._cond.notify_all()

    def _remember_slow(self, key: tuple[object, ...]) -> None:
        with self._cond:
            self._slow[key] = None
            self._slow.move_to_end(key)
            if len(self._slow) > 10_000:
                self._slow.popitem(last=False)

    def _leave_fast_lane(self, worker: _Worker) -> None:
        """A fast worker whose query overran carries on in the general lane; the fast lane
        gets an idle general worker in exchange, or else a fresh worker (the general lane grows
        by at most one extra process per fast worker, once: extras are kept, since starting a
        worker costs seconds of CPU). Nothing is stopped."""
        with self._cond:
            if self._idle[GENERAL]:
                other = self._idle[GENERAL].popleft()
                other.lane, worker.lane = FAST, GENERAL
                self._idle[FAST].append(other)
                self._cond.notify_all()
                return
            if self._count[GENERAL] >= self.size + self.fast_size:
                return  # extras all busy: this query keeps the fast worker until it ends
            worker.lane = GENERAL
            self._count[GENERAL] += 1
            self._count[FAST] -= 1
        self._start_spawn(FAST)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (time limit, crash, memory) and start one in its lane if needed."""
        with self._cond:
            self._all.discard(worker)
        worker.kill()
        with self._cond:
            if self._closed:
                return
            self.restarts += 1
            self._count[worker.lane] -= 1
            target = self.size if worker.lane == GENERAL else self.fast_size
            if self._count[worker.lane] >= target:
                return  # it was an extra
            self._count[worker.lane] += 1
        self._start_spawn(worker.lane)

    def _start_spawn(self, lane: str) -> None:
        """Start a worker for `lane` in the background (already counted in its lane)."""
        threading.Thread(target=self._spawn, args=(lane,), daemon=True).start()

    def _spawn(self, lane: str) -> None:
        with self._cond:
            if self._closed:
                return
            worker = _Worker(self.graph, lane, self.memory_mb)
            self._all.add(worker)
        try:
            worker.wait_ready(self.start_timeout)
        except RuntimeError:
            with self._cond:
                self._all.discard(worker)
                self._count[worker.lane] -= 1
            if not self._closed:
                log.exception("could not start a query worker")
            return
        self._release(worker)

    def close(self) -> None:
        """Stop every worker process."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.kill()
