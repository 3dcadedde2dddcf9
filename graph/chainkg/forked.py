"""Work on the second core: `fork_call(run) -> Forked`, `run()` in a forked child whose
pickled result the parent collects later with `Forked.result()`.

A child process rather than a thread because the work it takes (parsing CSV into Python
strings, reading thousands of files) holds the GIL; the parent pays only the unpickling.
Where `os.fork` is missing, `run()` is called by `result()` in this process instead.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Forked(Generic[T]):
    """The pending result of a `fork_call`: collect it once with `result()`, or `cancel()`."""

    def __init__(self, run: Callable[[], T], fork: bool = True) -> None:
        self._run: Callable[[], T] | None = run
        self._pid = 0
        self._read_end = -1
        if not (fork and hasattr(os, "fork")):
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code, whatever happens
            code = 1
            try:
                os.close(read_end)
                try:
                    payload = pickle.dumps(("ok", run()), protocol=5)
                except BaseException as exc:  # noqa: BLE001 - handed to the parent as is
                    payload = pickle.dumps(("error", exc), protocol=5)
                # written whole after the work, so that pickling overlaps the parent's work
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._read_end, self._run = pid, read_end, None

    def result(self) -> T:
        """Wait for the child; its result, or its exception raised here."""
        if self._run is not None:
            run, self._run = self._run, None
            return run()
        if not self._pid:
            raise RuntimeError("the result of this forked call was already collected")
        read_end, self._read_end = self._read_end, -1
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        pid, self._pid = self._pid, 0
        if not payload:
            how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {status}"
            raise RuntimeError(f"a forked child (pid {pid}) ended without a result ({how})")
        kind, value = pickle.loads(payload)
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs, and reap it; no-op once collected."""
        self._run = None
        if self._read_end >= 0:
            os.close(self._read_end)
            self._read_end = -1
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)  # not reaped yet: the pid is still the child's
            os.waitpid(self._pid, 0)
            self._pid = 0


def fork_call(run: Callable[[], T], fork: bool = True) -> Forked[T]:
    """Start `run()` in a forked child now; collect its result with `.result()`.

    What `run` returns (or raises) must pickle. With `fork=False` (work too small to pay
    for a process) `run()` is called by `result()` instead, in this process. A lock that
    another thread of the parent holds at the fork stays held in the child: `run` must not
    need one (logging, a console)."""
    return Forked(run, fork)
