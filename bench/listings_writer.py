"""Time the side-table writers and a page read, before/after (not a test).

    python bench/listings_writer.py SEEDS_DIR --out DIR [--before main] [--after REF]
        [--reads 50] [--gaps] [--repeats 1] [--gc] [--per-query]

For the package as committed at `--before` and at `--after` (each extracted with `git archive`
into DIR; without `--after`, this working tree), each in a fresh child process, one after the
other (`--repeats` rounds, alternating): load the seeds (`chainkg.tables.load_seeds`), write
the listings side table to DIR (timed: CPU seconds of the writing process, and the file's
size; wall seconds: of both writers), with `--gaps` then the gap summary from the seed tables
(`chainkg.gaps.early.precompute_summary`, CPU seconds) in the same process (the large build
writes them in two children since 2026-11-30; code from before that has one writer for both,
`chainkg.stream.write_side_tables`, used where the package has it); then time `Listings.answer` of
`chain-enterprises` for the chain with the most rows, a page of 50 rows at offset 0 and at a
deep offset (90 % of the total): the median of `--reads` reads, in ms. Prints one Markdown row
per side and round, with the first 12 hex digits of each file's SHA-256 (the same on both
sides when the output is unchanged). The files are left in DIR (delete it when done).

The writers run with Python's cyclic garbage collector paused, as the large build's
children run them (`chainkg.stream._fork_side_tables`); `--gc` leaves it on.
`--per-query` also prints, per side and round, the CPU seconds of each query's builder and
of writing its answers (the builders wrapped from outside, so it works on either side's code).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50
PACKAGE_DIRS = ("graph", "ontology", "queries", "reference", "seeds")  # the package and its data


def timed_builders(builders: dict[str, Any], seconds: dict[str, float]) -> dict[str, Any]:
    """`builders` each wrapped to add the CPU seconds spent in it to `seconds[name]`."""

    def wrap(name: str, build: Any) -> Any:
        def timed(seeds: object) -> Iterator[object]:
            answers = iter(build(seeds))
            while True:
                start = time.process_time()
                found = next(answers, None)
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - start
                if found is None:
                    return
                yield found

        return timed

    return {name: wrap(name, build) for name, build in builders.items()}


def measure(
    seeds_dir: str, target: Path, reads: int, gaps: Path | None, gc_on: bool, per_query: bool
) -> dict[str, object]:
    import chainkg
    import chainkg.stream
    from chainkg.listings import BUILDERS, Listings, write_listings
    from chainkg.queries import get_query
    from chainkg.tables import load_seeds

    start = time.perf_counter()
    seeds = load_seeds(seeds_dir)
    loaded = time.perf_counter() - start
    if not gc_on:
        gc.disable()  # as the build's background writer (chainkg.gc_pause.gc_paused)
    built: dict[str, float] = {}
    builders = timed_builders(BUILDERS, built) if per_query else None
    gaps_cpu = 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    both = getattr(chainkg.stream, "write_side_tables", None)
    if gaps is not None and both is not None and not per_query:  # one writer for both
        gaps_cpu = both(seeds, target, gaps).get("gap summary", 0.0)
    else:
        write_listings(seeds, target, [], builders)
        if gaps is not None:
            from chainkg.gaps.early import precompute_summary

            gaps_cpu = time.process_time()
            precompute_summary(seeds, gaps)
            gaps_cpu = time.process_time() - gaps_cpu
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu - gaps_cpu
    gc.enable()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    query = get_query("chain-enterprises")
    with Listings(target) as listings:
        total, chain = max((t, k) for k, t in listings.totals(query.name).items() if k)
        pages = []
        for offset in (0, total * 9 // 10):
            times = []
            for _ in range(reads):
                t = time.perf_counter()
                page = listings.answer(query, {"chain": chain}, PAGE, offset)
                times.append((time.perf_counter() - t) * 1000)
            assert page is not None and len(page.rows) == min(PAGE, total - offset)
            pages.append(round(statistics.median(times), 2))
    return {
        "package": str(Path(chainkg.__file__).parent),
        "load_s": round(loaded, 1),
        "write_wall_s": round(wall, 1),
        "write_cpu_s": round(cpu, 2),
        "gaps_cpu_s": round(gaps_cpu, 2),
        "sha256": [_digest(p) for p in (target, gaps) if p is not None],
        "mb": round(target.stat().st_size / 1e6, 1),
        "peak_rss_mb": round(peak),
        "chain_rows": total,
        "page_ms": pages,
        "built_cpu_s": {name: round(t, 2) for name, t in sorted(built.items())},
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def extract(ref: str, into: Path) -> Path:
    """The repository at `ref` (its package and package data) under `into`; the folder to
    put first on sys.path."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, *PACKAGE_DIRS],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "graph"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--before", default="main", help="the 'before' commit")
    parser.add_argument("--after", help="the 'after' commit (default: this working tree)")
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--gaps", action="store_true", help="also the gap summary's writer")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--gc", action="store_true", help="leave the garbage collector on")
    parser.add_argument(
        "--per-query", action="store_true", help="also each query's builder CPU seconds"
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("PATH", "TARGET", "GAPS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child[0])
        gaps = Path(args.child[2]) if args.child[2] else None
        found = measure(args.seeds, Path(args.child[1]), args.reads, gaps, args.gc, args.per_query)
        print(json.dumps(found))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    after = ("this tree", ROOT / "graph")
    if args.after:
        after = (args.after, extract(args.after, args.out / "after"))
    sides = [(args.before, extract(args.before, args.out / "before")), after]
    print(
        "| code | write wall s | listings CPU s | gaps CPU s | both CPU s | file MB "
        "| peak RSS MB | page @0 ms | page @90% ms | sha256 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    per_query: list[tuple[str, dict[str, float]]] = []
    for _round in range(args.repeats):
        for (name, path), side in zip(sides, ("before", "after"), strict=True):
            target = args.out / f"listings-{side}.sqlite"
            gaps = args.out / f"gaps-{side}.sqlite" if args.gaps else ""
            command = [sys.executable, __file__, args.seeds, "--out", str(args.out)]
            command += ["--reads", str(args.reads), "--child", str(path), str(target), str(gaps)]
            command += ["--gc"] * args.gc + ["--per-query"] * args.per_query
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            assert Path(str(r["package"])).is_relative_to(path), r["package"]
            both = round(float(r["write_cpu_s"]) + float(r["gaps_cpu_s"]), 2)
            print(
                f"| {name} | {r['write_wall_s']} | {r['write_cpu_s']} | {r['gaps_cpu_s']} "
                f"| {both} | {r['mb']} | {r['peak_rss_mb']} | {r['page_ms'][0]} "
                f"| {r['page_ms'][1]} | {' '.join(r['sha256'])} |",
                flush=True,
            )
            per_query.append((name, r["built_cpu_s"]))
    if args.per_query:  # builders' CPU seconds (the rest of "listings CPU s" is writing)
        print("\n| query | " + " | ".join(name for name, _ in per_query) + " |")
        print("|---|" + "---|" * len(per_query))
        for query in sorted({q for _, found in per_query for q in found}):
            cells = " | ".join(str(found.get(query, "")) for _, found in per_query)
            print(f"| {query} | {cells} |")


if __name__ == "__main__":
    main()
