"""Skip policy: a test that skips on a fresh machine is a failing test.

When CHAINKG_ALLOWED_SKIPS names a file (scripts/test.sh, and so CI, sets it to
tests/allowed_skips.txt), the run fails on any skip whose test id does not start with an entry
of that file. Each entry carries its reason after a '#'.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_skipped: list[tuple[str, str]] = []


def _allowed_skips(path: Path) -> list[str]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            if "#" not in line:
                raise pytest.UsageError(f"{path}: '{entry}' has no '# reason'")
            entries.append(entry)
    return entries


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    allowed_file = os.environ.get("CHAINKG_ALLOWED_SKIPS")
    if not allowed_file or not _skipped:
        return
    allowed = _allowed_skips(Path(allowed_file))
    unexpected = [(n, r) for n, r in _skipped if not any(n.startswith(a) for a in allowed)]
    if unexpected:
        lines = "\n".join(f"  {n}: {r}" for n, r in unexpected)
        session.config.get_terminal_writer().line(
            f"\n{len(unexpected)} test(s) skipped that a fresh machine must run "
            f"(not in {allowed_file}):\n{lines}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
