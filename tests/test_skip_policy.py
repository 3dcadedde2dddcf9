"""The skip policy fails a run on a skip that is not allow-listed, and passes an allowed one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, allowed: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(
        "import pytest\n\ndef test_ok():\n    pass\n\n"
        "def test_skips():\n    pytest.skip('no tool here')\n",
        encoding="utf-8",
    )
    (tmp_path / "allowed.txt").write_text(allowed, encoding="utf-8")
    env = {**os.environ, "CHAINKG_ALLOWED_SKIPS": str(tmp_path / "allowed.txt")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.skip_policy", "-p", "no:cacheprovider",
         str(tmp_path / "test_sample.py")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip


def test_unlisted_skip_fails_the_run(tmp_path: Path) -> None:
    result = _run(tmp_path, "# nothing may skip\n")
    assert result.returncode == 1, result.stdout
    assert "test_skips: Skipped: no tool here" in result.stdout


def test_listed_skip_passes(tmp_path: Path) -> None:
    result = _run(tmp_path, "test_sample.py::test_skips  # the tool is optional\n")
    assert result.returncode == 0, result.stdout + result.stderr
