"""Time and memory of the listings builders of `chainkg.listings.ties` (not a test).

    python bench/listings_ties.py SEEDS_DIR [--min-rows 200]

Each builder runs in a fresh child process: load the seeds (`chainkg.tables.load_seeds`),
then consume every (key, rows) pair the builder yields. Prints one Markdown row per builder:
seconds to load, seconds to build, keys, rows, the largest answer, the RSS after loading and
the peak RSS of the child (so the builder's own share is peak minus after-load).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

BUILDERS = (
    "suppliers_of",
    "relations_with_evidence",
    "list_main_enterprises",
    "enterprise_profile",
    "evidence_for_entity",
)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(seeds_dir: str, builder: str, min_rows: int) -> dict[str, object]:
    from chainkg.listings import ties
    from chainkg.tables import load_seeds

    start = time.perf_counter()
    seeds = load_seeds(seeds_dir)
    loaded = time.perf_counter() - start
    after_load = _rss_mb()
    build = getattr(ties, f"build_{builder}")
    kwargs = {"min_rows": min_rows} if "min_rows" in build.__code__.co_varnames else {}
    start = time.perf_counter()
    keys = rows = largest = 0
    for _key, frame in build(seeds, **kwargs):
        keys += 1
        rows += len(frame)
        largest = max(largest, len(frame))
    built = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "builder": builder,
        "load_s": round(loaded, 1),
        "build_s": round(built, 2),
        "keys": keys,
        "rows": rows,
        "largest": largest,
        "rss_after_load_mb": round(after_load),
        "peak_rss_mb": round(peak),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds")
    parser.add_argument("--min-rows", type=int, default=200)
    parser.add_argument("--only", help="one builder, in this process (the child's job)")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.seeds, args.only, args.min_rows)))
        return
    print("| builder | load s | build s | keys | rows | largest | RSS after load | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    for builder in BUILDERS:
        command = [sys.executable, __file__, args.seeds, "--only", builder]
        command += ["--min-rows", str(args.min_rows)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"| {r['builder']} | {r['load_s']} | {r['build_s']} | {r['keys']:,} | {r['rows']:,} "
            f"| {r['largest']:,} | {r['rss_after_load_mb']} MB | {r['peak_rss_mb']} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
