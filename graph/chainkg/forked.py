"""Work on the second core: `fork_call(run) -> Forked`, `run()` in a forked child whose
pickled result the parent collects later with `Forked.result()`.

A child process rather than a thread because the work it takes (parsing CSV into Python
strings, reading thousands of files) holds the GIL; the parent pays only the unpickling.
The child pickles into an anonymous in-memory file (`memfd`), not a pipe: through a pipe's
64 KiB a large result takes thousands of turns between the two processes, each a wait for
the scheduler on a busy machine. Where `os.fork` is missing, `run()` is called by
`result()` in this process instead.
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from typing import IO, Generic, TypeVar

T = TypeVar("T")


def how_it_ended(status: int) -> str:
    """A child's wait status (`os.waitpid`) in words: "exit code N" or "killed by signal N"."""
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _anonymous_file() -> IO[bytes]:
    """A read-write file with no name, in memory where the system allows."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("chainkg-forked"), "w+b")  # noqa: SIM115 - kept open
    return tempfile.TemporaryFile()  # noqa: SIM115 - kept open until collected


class Forked(Generic[T]):
    """The pending result of a `fork_call`: collect it once with `result()`, or `cancel()`."""

    def __init__(self, run: Callable[[], T], fork: bool = True) -> None:
        self._run: Callable[[], T] | None = run
        self._pid = 0
        self._file: IO[bytes] | None = None
        if not (fork and hasattr(os, "fork")):
            return
        file = _anonymous_file()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code, whatever happens
            code = 1
            try:
                try:
                    pickle.dump(("ok", run()), file, protocol=5)
                except BaseException as exc:  # noqa: BLE001 - handed to the parent as is
                    file.seek(0)
                    file.truncate()
                    pickle.dump(("error", exc), file, protocol=5)
                file.flush()
                code = 0
            finally:
                os._exit(code)
        self._pid, self._file, self._run = pid, file, None

    def result(self) -> T:
        """Wait for the child; its result, or its exception raised here."""
        if self._run is not None:
            run, self._run = self._run, None
            return run()
        if not self._pid or self._file is None:
            raise RuntimeError("the result of this forked call was already collected")
        _, status = os.waitpid(self._pid, 0)
        pid, self._pid = self._pid, 0
        with self._file as file:
            self._file = None
            file.seek(0)
            if status != 0:
                raise RuntimeError(
                    f"a forked child (pid {pid}) ended without a result ({how_it_ended(status)})"
                )
            kind, value = pickle.load(file)
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs, and reap it; no-op once collected."""
        self._run = None
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)  # not reaped yet: the pid is still the child's
            os.waitpid(self._pid, 0)
            self._pid = 0
        if self._file is not None:
            self._file.close()
            self._file = None


def fork_call(run: Callable[[], T], fork: bool = True) -> Forked[T]:
    """Start `run()` in a forked child now; collect its result with `.result()`.

    What `run` returns (or raises) must pickle. With `fork=False` (work too small to pay
    for a process) `run()` is called by `result()` instead, in this process. A lock that
    another thread of the parent holds at the fork stays held in the child: `run` must not
    need one (logging, a console)."""
    return Forked(run, fork)
