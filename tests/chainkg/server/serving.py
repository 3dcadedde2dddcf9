"""Starting a chainkg server for a test: loopback, any free port, stopped on exit."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chainkg.pipeline import BuildReport
from chainkg.server import ChainkgServer, ServeConfig


@contextmanager
def serving(graph: Path, **options: Any) -> Iterator[ChainkgServer]:
    """A server on `graph` (one general worker and the static /site/ unless told otherwise)
    for a `with` block."""
    config = ServeConfig(graph=graph, port=0, **{"workers": 1, "pages": "static", **options})
    with ChainkgServer(config).start() as running:
        yield running


def serving_seeds(build: BuildReport, **options: Any) -> Iterator[ChainkgServer]:
    """A module fixture's body: `yield from serving_seeds(seed_build, ...)` serves the seed
    graph for the module and stops the server after it."""
    with serving(build.files["graph.nq"], **options) as running:
        yield running


def http(
    server: ChainkgServer,
    path: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of one request to the server."""
    request = urllib.request.Request(server.url + path, data=data, method=method)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()
