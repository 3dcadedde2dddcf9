"""Load test for `chainkg serve`: the named queries from many concurrent clients.

Loopback only, bounded in requests and time, and it stops by itself. By default it starts
`chainkg serve` on a free 127.0.0.1 port for the built graph, runs each concurrency level,
prints a Markdown table and stops the server; `--url` targets a server already running on
this machine instead.

    python bench/load_test.py --graph out/graph.nq --clients 50 200 --requests 2000
    python bench/load_test.py --graph out/graph.nq --clients 50 200 --no-cache

Each client is an asyncio task with one keep-alive HTTP/1.1 connection from its own loopback
source address (127.0.0.2, 127.0.0.3, ...: the server limits queries per client address, and
200 clients are 200 addresses); it POSTs the named queries (those without required parameters)
round-robin, from its own starting point, until the level's request budget or time limit is
spent. Any non-200 answer or socket error counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from chainkg.queries import list_queries


@dataclass
class Level:
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def row(self) -> str:
        ok = sorted(self.latencies)
        n_err = sum(self.errors.values())
        total = len(ok) + n_err
        p50 = statistics.median(ok) * 1000 if ok else float("nan")
        p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000 if ok else float("nan")
        detail = ", ".join(f"{k}: {v}" for k, v in self.errors.items()) or "0"
        return (
            f"| {self.clients} | {total} | {self.seconds:.1f} | {total / self.seconds:.1f} "
            f"| {p50:.0f} | {p99:.0f} | {detail} |"
        )


async def _client(
    host: str, port: int, bodies: list[bytes], start: int, level: Level, budget: list[int],
    deadline: float, timeout: float, source: str,
) -> None:  # fmt: skip
    reader = writer = None
    i = start
    while budget[0] > 0 and time.monotonic() < deadline:
        budget[0] -= 1
        body = bodies[i % len(bodies)]
        i += 1
        began = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
            assert reader is not None
            writer.write(body)
            await writer.drain()
            status, body = await asyncio.wait_for(_read_response(reader), timeout)
            if status == 200:
                level.latencies.append(time.monotonic() - began)
            else:
                reason = " ".join(body.decode("utf-8", "replace").split()[:3])
                name = f"HTTP {status} ({reason})"
                level.errors[name] = level.errors.get(name, 0) + 1
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            name = type(exc).__name__
            level.errors[name] = level.errors.get(name, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def _requests(host: str, port: int) -> list[bytes]:
    bodies = []
    for query in list_queries():
        if query.required_params:
            continue
        form = urllib.parse.urlencode({"query": query.text}).encode()
        head = (
            f"POST /sparql HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Accept: application/sparql-results+json\r\n"
            f"Content-Length: {len(form)}\r\n\r\n"
        ).encode()
        bodies.append(head + form)
    return bodies


async def run_level(
    host: str, port: int, clients: int, requests: int, duration: float, timeout: float
) -> Level:
    bodies = _requests(host, port)
    level, budget = Level(clients), [requests]
    began = time.monotonic()
    deadline = began + duration
    await asyncio.gather(
        *(
            _client(host, port, bodies, k, level, budget, deadline, timeout, _source(k))
            for k in range(clients)
        )
    )
    level.seconds = time.monotonic() - began
    return level


def _source(k: int) -> str:
    """Client k's loopback source address (127.0.0.2 upwards; Linux routes all of 127/8)."""
    return f"127.0.{(k + 2) // 256}.{(k + 2) % 256}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen[bytes] | None, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                raise SystemExit("the server exited") from None
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {limit} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, default=Path("out/graph.nq"))
    parser.add_argument("--url", help="a chainkg server already running on 127.0.0.1")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--requests", type=int, default=2000, help="per level (bound)")
    parser.add_argument("--duration", type=float, default=120, help="seconds per level (bound)")
    parser.add_argument("--timeout", type=float, default=120, help="per request, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fast-workers", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="serve with --cache-mb 0")
    args = parser.parse_args(argv)

    process = None
    if args.url:
        url = args.url.rstrip("/")
    else:
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [
            sys.executable, "-c", "import sys; from chainkg.cli import main; sys.exit(main())",
            "serve", "--graph", str(args.graph), "--port", str(port),
            "--workers", str(args.workers), "--fast-workers", str(args.fast_workers),
            "--cache-mb", "0" if args.no_cache else "64",
        ]  # fmt: skip
        process = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env={**os.environ})
    split = urllib.parse.urlsplit(url)
    if split.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only: the load test refuses other hosts")
    try:
        _wait(url, process)
        lanes = f"workers: {args.workers} + {args.fast_workers} fast" if process else "as started"
        print(f"server: {url}  cache: {'off' if args.no_cache else 'on'}  {lanes}")
        print("| clients | requests | seconds | req/s | p50 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        for clients in args.clients:
            level = asyncio.run(
                run_level(
                    split.hostname or "127.0.0.1",
                    split.port or 80,
                    clients,
                    args.requests,
                    args.duration,
                    args.timeout,
                )
            )
            print(level.row(), flush=True)
    finally:
        if process is not None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(15)
            process.kill()  # a no-op once it has exited
            process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
