"""Seed build wall clock (not a test): `build_graph.py` N times, each in a fresh process.

    python bench/seed_build.py [-n 7] [--root DIR ...]

Prints each run's wall clock (process start to exit: start-up, imports, build, writes), user
and system CPU seconds and the build's own seconds per stage (from its summary line), then the
medians. Outputs go to a temporary folder, so out/ is not touched. With several `--root`s the
runs are interleaved (A B A B ...), so that other work on the machine weighs on each alike.
A root other than this repository is run with PYTHONPATH=DIR, so DIR must hold a `chainkg`
link to its `graph/` folder (and `graph/viz` one to `../viz`), e.g. an exported older commit.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGE = re.compile(r"\b([a-z]+) (\d+\.\d+)s\b")


def run_once(root: Path, out: Path) -> dict[str, float]:
    """One build in a fresh process: wall, user and sys seconds, and seconds per stage."""
    env = dict(os.environ, COLUMNS="1000")  # one summary line, however rich would wrap it
    if root != REPO:
        env["PYTHONPATH"] = str(root)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(root / "build_graph.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"build failed in {root} ({done.returncode}):\n{done.stderr}")
    line = next(x for x in done.stdout.splitlines() if "quotes checked;" in x)
    stages = {name: float(sec) for name, sec in STAGE.findall(line.split("quotes checked;")[1])}
    total = re.search(r"total (\d+\.\d+) s", line)
    return {
        "wall": wall,
        "user": after.ru_utime - before.ru_utime,
        "sys": after.ru_stime - before.ru_stime,
        **stages,
        "build": float(total.group(1)) if total else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=7, help="runs per root (default 7)")
    parser.add_argument("--root", type=Path, action="append", help="checkout(s) to time")
    args = parser.parse_args()
    roots = [r.resolve() for r in args.root or [REPO]]
    runs: dict[Path, list[dict[str, float]]] = {r: [] for r in roots}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            for k, root in enumerate(roots):
                result = run_once(root, Path(tmp) / f"out{k}")
                runs[root].append(result)
                cells = "  ".join(f"{name} {sec:.2f}" for name, sec in result.items())
                print(f"run {i + 1} {root.name}: {cells}", flush=True)
    for root, results in runs.items():
        names = list(dict.fromkeys(name for r in results for name in r))
        medians = {n: statistics.median(r[n] for r in results if n in r) for n in names}
        print(f"\n{root}: median of {len(results)} runs (seconds)")
        print("  " + "  ".join(f"{name} {sec:.2f}" for name, sec in medians.items()))


if __name__ == "__main__":
    main()
