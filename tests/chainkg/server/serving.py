"""Starting a chainkg server for a test: loopback, any free port, stopped on exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chainkg.server import ChainkgServer, ServeConfig


@contextmanager
def serving(graph: Path, **options: Any) -> Iterator[ChainkgServer]:
    """A server on `graph` (one general worker unless told otherwise) for a `with` block."""
    config = ServeConfig(graph=graph, port=0, **{"workers": 1, **options})
    with ChainkgServer(config).start() as running:
        yield running
