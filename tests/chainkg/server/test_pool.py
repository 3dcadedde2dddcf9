"""The query worker pool: a worker is stopped and its pipes closed exactly once."""

from __future__ import annotations

import threading
from pathlib import Path

from chainkg.pipeline import BuildReport
from chainkg.server.pool import GENERAL, WorkerPool


def test_close_during_a_replacement_stops_the_worker_once(seed_build: BuildReport) -> None:
    """`close()` while `_replace` is stopping a worker (a query passed its time limit as the
    server shut down): the worker must not be killed a second time, because two closes of
    one pipe can close a descriptor another thread has just opened under that number (the
    CI's `OSError: [Errno 9] Bad file descriptor` at a server's teardown)."""
    pool = WorkerPool(Path(seed_build.files["graph.nq"]), workers=1, fast_workers=0)
    (worker,) = pool._idle[GENERAL]
    entered, release = threading.Event(), threading.Event()
    waits: list[int] = []
    real_wait = worker.process.wait

    def slow_wait(timeout: float | None = None) -> int:
        waits.append(1)
        entered.set()
        release.wait(10)
        return real_wait(timeout)

    worker.process.wait = slow_wait  # type: ignore[method-assign]
    replacing = threading.Thread(target=pool._replace, args=(worker,))
    replacing.start()
    try:
        assert entered.wait(10), "the replacement never reached the worker's kill"
        closing = threading.Thread(target=pool.close)
        closing.start()
        closing.join(5)
        assert not closing.is_alive(), "close() waited on the worker being replaced"
    finally:
        release.set()
        replacing.join(10)
        pool.close()
    assert len(waits) == 1
    assert worker.process.returncode is not None
    assert worker.send_conn.closed and worker.conn.closed
    assert not pool._all
