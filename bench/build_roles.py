"""Which process of a large build used the CPU, stage by stage (not a test):

    python bench/build_roles.py SEEDS OUT

Runs `chainkg.pipeline.build(large=True)` in this process and samples, every 0.25 s, the CPU
seconds of each process of the build: this one ("main": the load, the evidence, half the
assembly, the bulk loader's threads, the compaction, the validation), the forked assembly
worker, the side tables' writers (their folders: `.listings.tmp`, `.gap-summary.tmp`,
`.names.tmp`) and the store readers beside the validation (`reads-names`, `reads-count`).
Prints one Markdown row per stage with each role's CPU seconds in it: where the background
writers found their CPU (a core the stage left idle, or taken from it). A child's last
0.25 s before it exits may be missed.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
from pathlib import Path
from typing import Any

import psutil

import chainkg.stream as stream


def _record_roles(roles: dict[int, str]) -> None:
    """Make the build's forks and store readers note their pids in `roles`."""
    fork_writer, fork_part, start_reads = (
        stream._fork_writer,
        stream._fork_part,
        stream._start_store_reads,
    )

    def writer(folder: Path, write: Any, nice: int = 0) -> int:
        pid = fork_writer(folder, write, nice)
        roles[pid] = folder.name
        return pid

    def part(*args: Any) -> tuple[int, Path]:
        pid, lines = fork_part(*args)
        roles[pid] = "assembly worker"
        return pid, lines

    def reads(path: Path, job: str) -> Any:
        process = start_reads(path, job)
        roles[process.pid] = f"reads-{job}"
        return process

    stream._fork_writer, stream._fork_part, stream._start_store_reads = writer, part, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    from chainkg.pipeline import build

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    roles: dict[int, str] = {}
    _record_roles(roles)
    me = psutil.Process()
    seen: dict[int | str, float] = {}  # pid ("main" for this process) -> CPU seconds
    lock = threading.Lock()

    def snapshot() -> dict[int | str, float]:
        with lock:
            times = me.cpu_times()
            seen["main"] = times.user + times.system
            for child in me.children(recursive=True):
                try:
                    own = child.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                seen[child.pid] = own.user + own.system
            return dict(seen)

    done = threading.Event()

    def sample() -> None:  # a child's seconds, kept after it exits
        while not done.wait(0.25):
            snapshot()

    threading.Thread(target=sample, daemon=True).start()
    marks: list[tuple[str, float, dict[int | str, float]]] = []
    start = time.perf_counter()
    build(
        args.seeds,
        args.out,
        large=True,
        on_stage=lambda name: marks.append((name, time.perf_counter(), snapshot())),
    )
    marks.append(("end", time.perf_counter(), snapshot()))
    done.set()

    def role(key: int | str) -> str:
        return "main" if key == "main" else roles.get(int(key), f"pid {key}")

    names = sorted({role(k) for _n, _w, cpu in marks for k in cpu})
    print("| stage | wall s | " + " | ".join(names) + " | all |")
    print("|---|---|" + "---|" * (len(names) + 1))
    totals = dict.fromkeys(names, 0.0)
    for (stage, wall, cpu), (_next, wall2, cpu2) in zip(marks, marks[1:], strict=False):
        used = dict.fromkeys(names, 0.0)
        for key, seconds in cpu2.items():
            used[role(key)] += seconds - cpu.get(key, 0.0)
        for name in names:
            totals[name] += used[name]
        cells = " | ".join(f"{used[n]:.1f}" for n in names)
        print(f"| {stage} | {wall2 - wall:.1f} | {cells} | {sum(used.values()):.1f} |")
    cells = " | ".join(f"{totals[n]:.1f}" for n in names)
    print(f"| total | {marks[-1][1] - start:.1f} | {cells} | {sum(totals.values()):.1f} |")


if __name__ == "__main__":
    main()
