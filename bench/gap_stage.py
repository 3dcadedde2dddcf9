"""The large build's gaps stage, before and after, side by side in one run (not a test).

    python bench/gap_stage.py SEEDS STORE [--out DIR] [--before-python PY] [--profile FILE]

On the seed tables SEEDS and the store STORE built from them (opened read-only, never
changed), each part in a fresh process that first loads the tables (not timed: the build
has them already): (1) `before`: the stage as the parent ran it (`TableAnswers` ->
`gap_report_data` -> `write_summary`), with the `chainkg` that `--before-python` imports
(e.g. the main checkout's venv; default this one); (2) `serial`: the same three steps with
this checkout's code (the build's fallback path); (3) `seed-only`: what the build now runs
in a child process beside the bulk loader (`chainkg.gaps.early.precompute_summary`); (4)
`store-bound`: what is left to the stage (`confirm_summary`: the answers asked of the
tables' partial graph, asked of STORE). Checks that the three summaries hold the same
answers and report, and prints one Markdown row per part. `--profile FILE` writes the
cProfile statistics of each part to FILE.<part>.

    python bench/gap_stage.py SEEDS --seed-only [--repeat N] [--before-python PY] [--out DIR]

only times `precompute_summary` (no store needed), as the build's side-table child runs it
(the presence in the zone computed before, by the listings; the cyclic garbage collector
paused around it): CPU seconds of the `before` code (`--before-python`) and of this
checkout's, alternating, N times each, each in a fresh process, and whether the summaries
written are byte-identical (SHA-256).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path


def run_part(part: str, seeds_dir: str, store_dir: str, out: Path, profile: str) -> dict:
    """One part in this process: its seconds by step."""
    import pyoxigraph as ox

    from chainkg.aggregates import write_summary
    from chainkg.gaps import gap_report_data
    from chainkg.gaps.tables import TableAnswers
    from chainkg.tables import load_seeds

    seeds = load_seeds(seeds_dir)
    store = ox.Store.read_only(store_dir)
    steps: dict[str, float] = {}
    prof = cProfile.Profile() if profile else None
    with prof or nullcontext():
        start = time.perf_counter()
        if part in ("before", "serial"):
            paused = nullcontext()
            if part == "serial":
                from chainkg.gc_pause import gc_paused

                paused = gc_paused()
            with paused:
                answers = TableAnswers(seeds)
                steps["index the tables"] = time.perf_counter() - start
                gap_report_data(store, summary=answers)
                steps["the analysis"] = time.perf_counter() - start - sum(steps.values())
                write_summary(answers, out / f"gaps-{part}.sqlite", [Path(store_dir)])
                steps["write the summary"] = time.perf_counter() - start - sum(steps.values())
        else:
            from chainkg.gaps.early import confirm_summary, precompute_summary

            early, dest = out / "gaps-early.tmp", out / "gaps-split.sqlite"
            if part == "seed-only":
                precompute_summary(seeds, early)
            else:
                assert confirm_summary(early, store, dest, [Path(store_dir)]), "not confirmed"
            steps[part] = time.perf_counter() - start
    if prof:
        prof.dump_stats(f"{profile}.{part}")
    return steps


def run_seed_only(seeds_dir: str, out: Path) -> dict:
    """`precompute_summary` alone in this process, as the side-table child runs it: its
    CPU seconds and the SHA-256 of the summary written."""
    import gc

    from chainkg.gaps.early import precompute_summary
    from chainkg.presence import zone_stages
    from chainkg.tables import load_seeds

    seeds = load_seeds(seeds_dir)
    zone_stages(seeds)  # computed apart: what precompute_summary adds is timed alone
    gc.disable()  # as `precompute_summary` pauses it in the build's child
    path = out / "gaps-seed-only.sqlite"
    path.unlink(missing_ok=True)
    start = time.process_time()
    precompute_summary(seeds, path)
    cpu = time.process_time() - start
    return {"cpu": cpu, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def seed_only(args: argparse.Namespace, out: Path) -> None:
    """Before and after, alternating, `args.repeat` times each: a Markdown row per run."""
    print("| code | run | CPU-s | summary SHA-256 |\n|---|---|---|---|")
    found: dict[str, list[dict]] = {"before": [], "after": []}
    for run in range(1, args.repeat + 1):
        for code, python in (("before", args.before_python), ("after", sys.executable)):
            command = [python, __file__, args.seeds, "--out", str(out), "--part", "seed-only"]
            done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            found[code].append(result)
            print(f"| {code} | {run} | {result['cpu']:.2f} | {result['sha256'][:16]} |", flush=True)
    for code, results in found.items():
        cpus = sorted(r["cpu"] for r in results)
        print(f"\n{code}: median {cpus[len(cpus) // 2]:.2f} CPU-s (min {cpus[0]:.2f})", end="")
    same = len({r["sha256"] for rs in found.values() for r in rs}) == 1
    print(f"\nsummaries byte-identical: {same}")


def _tables(path: Path) -> tuple[list, list]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        answers = con.execute("SELECT * FROM answers ORDER BY query, params").fetchall()
        return answers, con.execute("SELECT * FROM reports ORDER BY params").fetchall()
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds")
    parser.add_argument("store", nargs="?", help="not with --seed-only")
    parser.add_argument("--seed-only", action="store_true", help="time precompute_summary")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (--seed-only)")
    parser.add_argument("--out", default=".", help="folder for the summaries written")
    parser.add_argument("--before-python", default=sys.executable, help="Python for `before`")
    parser.add_argument("--profile", default="", help="write cProfile statistics here")
    parser.add_argument("--part", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.part == "seed-only" and args.store is None:
        print(json.dumps(run_seed_only(args.seeds, out)))
        return
    if args.part:
        print(json.dumps(run_part(args.part, args.seeds, args.store, out, args.profile)))
        return
    if args.seed_only:
        seed_only(args, out)
        return
    if args.store is None:
        parser.error("STORE is needed unless --seed-only")
    print("| part | step | seconds |\n|---|---|---|")
    totals = {}
    for part in ("before", "serial", "seed-only", "store-bound"):
        python = args.before_python if part == "before" else sys.executable
        command = [python, __file__, args.seeds, args.store, "--out", str(out), "--part", part]
        done = subprocess.run(
            command + (["--profile", args.profile] if args.profile else []),
            stdout=subprocess.PIPE,
            check=True,
            text=True,
        )
        steps = json.loads(done.stdout.strip().splitlines()[-1])
        for step, seconds in steps.items():
            if step != part:
                print(f"| {part} | {step} | {seconds:.2f} |")
        totals[part] = sum(steps.values())
        print(f"| **{part}** | **the stage's part** | **{totals[part]:.2f}** |", flush=True)
    kept = [_tables(out / f"gaps-{p}.sqlite") for p in ("before", "serial", "split")]
    print(f"\nsame answers and report in all three summaries: {kept[0] == kept[1] == kept[2]}")


if __name__ == "__main__":
    main()
