"""chainkg.forked: a function run in a forked child, its result or exception collected later."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from chainkg.forked import fork_call, how_it_ended


def test_the_result_comes_from_the_child(tmp_path: Path) -> None:
    parent = os.getpid()
    child = fork_call(lambda: (os.getpid(), [str(i) for i in range(100_000)]))
    pid, values = child.result()
    assert pid != parent and values == [str(i) for i in range(100_000)]
    with pytest.raises(RuntimeError, match="already collected"):
        child.result()


def test_the_childs_exception_is_raised_here() -> None:
    def fail() -> None:
        raise ValueError("bad cell in row 7")

    with pytest.raises(ValueError, match="bad cell in row 7"):
        fork_call(fail).result()


def test_a_child_that_dies_without_a_result_is_an_error() -> None:
    with pytest.raises(RuntimeError, match=r"without a result \(exit code 3\)"):
        fork_call(lambda: os._exit(3)).result()


def test_cancel_stops_and_reaps_a_running_child(tmp_path: Path) -> None:
    mark = tmp_path / "pid"

    def sleep() -> None:
        mark.write_text(str(os.getpid()))
        time.sleep(60)

    child = fork_call(sleep)
    deadline = time.monotonic() + 10
    while not mark.exists() or not mark.read_text():
        assert time.monotonic() < deadline, "the child did not start"
        time.sleep(0.01)
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):  # reaped: no zombie left behind
        os.kill(int(mark.read_text()), 0)
    child.cancel()  # twice is harmless


def test_without_fork_the_call_runs_here_when_collected() -> None:
    calls: list[int] = []
    child = fork_call(lambda: calls.append(os.getpid()) or "done", fork=False)
    assert calls == []
    assert child.result() == "done" and calls == [os.getpid()]
    cancelled = fork_call(lambda: calls.append(0), fork=False)
    cancelled.cancel()
    assert calls == [os.getpid()]


def test_a_result_that_does_not_pickle_is_an_error_here() -> None:
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        fork_call(lambda: lambda: 1).result()  # a local function does not pickle


@pytest.mark.parametrize(
    ("end", "said"),
    [(lambda: os._exit(3), "exit code 3"), (lambda: os.kill(os.getpid(), 9), "killed by signal 9")],
)
def test_how_a_child_ended_is_said_in_words(end, said: str) -> None:
    pid = os.fork()
    if pid == 0:  # the child
        try:
            end()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert how_it_ended(status) == said
