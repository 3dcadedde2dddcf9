"""Where a large build spends its wall and CPU time, stage by stage (not a test):

    python bench/build_profile.py SEEDS OUT [--json bench/out/build-profile.json]

Runs `chainkg.pipeline.build(large=True)` in this process and samples, every 0.5 s, the CPU
seconds of the whole process tree (this process, its threads, its live children and the
children it has reaped: the assembly worker, the side tables' writers, the validation
worker). Prints one row per stage: wall seconds, CPU seconds of the tree during it, and the
cores busy on average (CPU ÷ wall: on this 2-core machine, below 2 means a core left idle
that a background writer could use). Timings share the machine with whatever else runs:
compare runs made in the same conditions.

    python bench/build_profile.py SEEDS OUT --loader-alone /path/loader-input.nt

also keeps the N-Triples file the build bulk-loads (a hard link, at that path) and times
Oxigraph's bulk loader alone on it in a fresh process after the build (and before it too,
when the file is left from an earlier run, with the ratio to the mean of both): the issue's
budget is the build against the loader alone measured side by side, since this VM's speed at
memory-heavy work varies up to 3x from hour to hour. Even one run's ratio drifts (the same
code gave 3.2x and 1.89x half an hour apart): run the command several times in a row and
compare the ratios to the before/after means:

    python bench/build_profile.py SEEDS OUT --loader-alone FILE --runs 3

builds N times, each in a fresh process, with the loader alone timed between them (loader,
build, loader, build, ..., loader: the first loader once the file exists), and prints each
build's stages, then one row per build with its ratio to the mean of the loader runs just
before and after it, and the median of those ratios.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

LOADER_ALONE = """
import resource, shutil, sys, time
import pyoxigraph as ox
path, store_dir = sys.argv[1], sys.argv[2]
shutil.rmtree(store_dir, ignore_errors=True)
start = time.perf_counter()
ox.Store(store_dir).bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, lenient=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_SELF)
print(round(wall, 1), round(use.ru_utime + use.ru_stime, 1))
shutil.rmtree(store_dir, ignore_errors=True)
"""


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


def loader_alone(ntriples: Path) -> dict[str, float | str]:
    """Oxigraph's bulk loader alone on `ntriples` (the build's call: lenient, default
    graph) in a fresh process: wall and CPU seconds."""
    store_dir = ntriples.with_name(ntriples.name + ".store")
    result = subprocess.run(
        [sys.executable, "-c", LOADER_ALONE, str(ntriples), str(store_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu = (float(x) for x in result.stdout.split())
    return {"stage": "loader alone", "wall": wall, "cpu": cpu, "cores": round(cpu / wall, 2)}


def keep_loader_input(path: Path) -> None:
    """Make the build's bulk load also hard-link its N-Triples file to `path`."""
    import chainkg.stream as stream

    load = stream.bulk_load

    def linking(ntriples: Path, store_dir: Path):  # noqa: ANN202 - the wrapped function's
        path.unlink(missing_ok=True)
        os.link(ntriples, path)
        return load(ntriples, store_dir)

    stream.bulk_load = linking


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
    parser.add_argument(
        "--loader-alone",
        type=Path,
        help="keep the bulk-loaded N-Triples here and time the loader alone on them",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="with --loader-alone: this many builds, each in a fresh process, the loader "
        "alone timed before and after each",
    )
    parser.add_argument("--keep-input", type=Path, help=argparse.SUPPRESS)  # for --runs
    args = parser.parse_args()
    if args.runs > 1:
        if not args.loader_alone:
            parser.error("--runs needs --loader-alone")
        runs(args.seeds, args.out, args.loader_alone, args.runs, args.json)
        return
    # the stages' seconds and the background writers' (their wall and CPU seconds)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    before = []
    if args.keep_input:
        keep_loader_input(args.keep_input)
    if args.loader_alone:
        if args.loader_alone.is_file():
            before = [dict(loader_alone(args.loader_alone), stage="loader alone, before")]
            logging.info("loader alone, before: %s", before[0])
        keep_loader_input(args.loader_alone)
    rows = before + profile(args.seeds, args.out)
    if args.loader_alone:
        rows.append(dict(loader_alone(args.loader_alone), stage="loader alone, after"))
        build_wall = next(r["wall"] for r in rows if r["stage"] == "total")
        loaders = [r for r in rows if str(r["stage"]).startswith("loader alone")]
        for r in loaders:
            r["ratio"] = round(float(build_wall) / float(r["wall"]), 2)
        if len(loaders) == 2:  # the loader's speed drifts: the build against both sides
            mean = sum(float(r["wall"]) for r in loaders) / 2
            rows.append(
                {
                    "stage": "loader alone, mean of before and after",
                    "wall": round(mean, 1),
                    "cpu": round(sum(float(r["cpu"]) for r in loaders) / 2, 1),
                    "cores": round(sum(float(r["cores"]) for r in loaders) / 2, 2),
                    "ratio": round(float(build_wall) / mean, 2),
                }
            )
    print("| stage | wall s | CPU s (process tree) | cores busy |")
    print("|---|---|---|---|")
    for r in rows:
        ratio = f" (build = {r['ratio']}x)" if "ratio" in r else ""
        print(f"| {r['stage']}{ratio} | {r['wall']} | {r['cpu']} | {r['cores']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


def runs(seeds: Path, out: Path, ntriples: Path, count: int, json_path: Path | None) -> None:
    """`count` builds in fresh processes, the loader alone timed between them; prints each
    build's stage table, then each build against the loader runs around it."""
    loaders: list[dict[str, float | str]] = []
    if ntriples.is_file():
        loaders.append(loader_alone(ntriples))
        logging.info("loader alone: %s", loaders[-1])
    builds: list[list[dict[str, float | str]]] = []
    for k in range(count):
        rows_file = ntriples.with_name(f"{ntriples.name}.run{k + 1}.json")
        command = [sys.executable, __file__, str(seeds), str(out), "--json", str(rows_file)]
        subprocess.run([*command, "--keep-input", str(ntriples)], check=True)
        builds.append(json.loads(rows_file.read_text()))
        rows_file.unlink()
        loaders.append(loader_alone(ntriples))
        logging.info("loader alone: %s", loaders[-1])
    offset = len(loaders) - count  # 1 when a loader ran before the first build
    summary: list[dict[str, float | str]] = []
    print("| build | wall s | CPU s | loader alone before / after, s | ratio to their mean |")
    print("|---|---|---|---|---|")
    for k, rows in enumerate(builds):
        total = next(r for r in rows if r["stage"] == "total")
        around = loaders[max(k + offset - 1, 0) : k + offset + 1]
        mean = sum(float(r["wall"]) for r in around) / len(around)
        ratio = round(float(total["wall"]) / mean, 2)
        walls = " / ".join(str(r["wall"]) for r in around)
        print(f"| {k + 1} | {total['wall']} | {total['cpu']} | {walls} | {ratio}x |")
        summary.append({"build": k + 1, "wall": total["wall"], "ratio": ratio})
    median = statistics.median(float(r["ratio"]) for r in summary)
    print(f"\nmedian ratio: {median}x over {count} builds")
    if json_path:
        record = {"builds": builds, "loaders": loaders, "ratios": summary, "median": median}
        json_path.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
