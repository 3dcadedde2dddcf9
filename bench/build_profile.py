"""Where a large build spends its wall and CPU time, stage by stage (not a test):

    python bench/build_profile.py SEEDS OUT [--json bench/out/build-profile.json]

Runs `chainkg.pipeline.build(large=True)` in this process and samples, every 0.5 s, the CPU
seconds of the whole process tree (this process, its threads, its live children and the
children it has reaped: the assembly worker, the side tables' writers, the validation
worker). Prints one row per stage: wall seconds, CPU seconds of the tree during it, and the
cores busy on average (CPU ÷ wall: on this 2-core machine, below 2 means a core left idle
that a background writer could use). Timings share the machine with whatever else runs:
compare runs made in the same conditions.
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
import time
from pathlib import Path

import psutil


def tree_cpu(process: psutil.Process) -> float:
    """CPU seconds of a process, its reaped children and its live descendants."""
    times = process.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            own = child.cpu_times()
        except psutil.NoSuchProcess:  # exited between the listing and the reading
            continue
        total += own.user + own.system
    return total


def profile(seeds: Path, out: Path) -> list[dict[str, float | str]]:
    from chainkg.pipeline import build

    me = psutil.Process()
    marks: list[tuple[str, float, float]] = []  # (stage, wall at start, tree CPU at start)
    last = {"cpu": 0.0}
    done = threading.Event()

    def sample() -> None:  # keeps the tree's CPU fresh: children may exit unreaped
        while not done.wait(0.5):
            last["cpu"] = max(last["cpu"], tree_cpu(me))

    def on_stage(name: str) -> None:
        marks.append((name, time.perf_counter(), max(last["cpu"], tree_cpu(me))))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    build(seeds, out, large=True, on_stage=on_stage)
    marks.append(("end", time.perf_counter(), tree_cpu(me)))
    done.set()
    rows: list[dict[str, float | str]] = []
    for (name, wall, cpu), (_next, wall2, cpu2) in zip(marks, marks[1:], strict=False):
        seconds = wall2 - wall
        rows.append(
            {
                "stage": name,
                "wall": round(seconds, 1),
                "cpu": round(cpu2 - cpu, 1),
                "cores": round((cpu2 - cpu) / seconds, 2) if seconds else 0.0,
            }
        )
    total_cpu = marks[-1][2] - marks[0][2]
    rows.append(
        {
            "stage": "total",
            "wall": round(marks[-1][1] - start, 1),
            "cpu": round(total_cpu, 1),
            "cores": round(total_cpu / (marks[-1][1] - start), 2),
        }
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    # the stages' seconds and the background writers' (their wall and CPU seconds)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    rows = profile(args.seeds, args.out)
    print("| stage | wall s | CPU s (process tree) | cores busy |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['stage']} | {r['wall']} | {r['cpu']} | {r['cores']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
