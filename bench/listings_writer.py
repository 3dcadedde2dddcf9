"""Time `chainkg.listings.write_listings` and a page read, before/after (not a test).

    python bench/listings_writer.py SEEDS_DIR --out DIR [--before main] [--after REF] [--reads 50]

For the package as committed at `--before` and at `--after` (each extracted with `git archive`
into DIR; without `--after`, this working tree), each in a fresh child process, one after the
other: load the seeds
(`chainkg.tables.load_seeds`), write the listings side table to DIR (timed: wall and CPU
seconds of the writing process, and the file's size), then time `Listings.answer` of
`chain-enterprises` for the chain with the most rows, a page of 50 rows at offset 0 and at a
deep offset (90 % of the total): the median of `--reads` reads, in ms. Prints one Markdown row
per side. The files are left in DIR (delete it when done).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50


def measure(seeds_dir: str, target: Path, reads: int) -> dict[str, object]:
    import chainkg
    from chainkg.listings import Listings, write_listings
    from chainkg.queries import get_query
    from chainkg.tables import load_seeds

    start = time.perf_counter()
    seeds = load_seeds(seeds_dir)
    loaded = time.perf_counter() - start
    cpu, wall = time.process_time(), time.perf_counter()
    write_listings(seeds, target, [])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
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
        "write_cpu_s": round(cpu, 1),
        "mb": round(target.stat().st_size / 1e6, 1),
        "peak_rss_mb": round(peak),
        "chain_rows": total,
        "page_ms": pages,
    }


def extract(ref: str, into: Path) -> Path:
    """The repository at `ref` (its package and package data) under `into`; the folder to
    put first on sys.path."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "graph", "ontology", "queries", "seeds"],
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
    parser.add_argument("--child", nargs=2, metavar=("PATH", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child[0])
        print(json.dumps(measure(args.seeds, Path(args.child[1]), args.reads)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    after = ("this tree", ROOT / "graph")
    if args.after:
        after = (args.after, extract(args.after, args.out / "after"))
    sides = [(args.before, extract(args.before, args.out / "before")), after]
    print(
        "| code | write wall s | write CPU s | file MB | peak RSS MB | page @0 ms | page @90% ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for (name, path), side in zip(sides, ("before", "after"), strict=True):
        target = args.out / f"listings-{side}.sqlite"
        command = [sys.executable, __file__, args.seeds, "--out", str(args.out)]
        command += ["--reads", str(args.reads), "--child", str(path), str(target)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        assert Path(str(r["package"])).is_relative_to(path), r["package"]
        print(
            f"| {name} | {r['write_wall_s']} | {r['write_cpu_s']} | {r['mb']} "
            f"| {r['peak_rss_mb']} | {r['page_ms'][0]} | {r['page_ms'][1]} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
