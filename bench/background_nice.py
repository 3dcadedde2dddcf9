"""The large build with the side tables' writers at a given priority (not a test):

    python bench/background_nice.py SEEDS OUT NICE [NICE ...]

For each NICE, in a fresh child process: `build(large=True)` with `stream.BACKGROUND_NICE`
set to it; prints the wall and CPU seconds (the process and its reaped children) and the
stages' seconds. Alternate the values (10 0 10 0) to compare them side by side.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time


def run(seeds: str, out: str, nice: int) -> dict:
    import chainkg.stream as stream
    from chainkg.pipeline import build

    stream.BACKGROUND_NICE = nice
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    report = build(seeds, out, large=True)
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return {
        "nice": nice,
        "wall": round(time.perf_counter() - start, 1),
        "cpu": round(cpu, 1),
        "stages": {k: round(v, 1) for k, v in report.seconds.items()},
    }


def main() -> None:
    if len(sys.argv) >= 5 and sys.argv[1] == "--one":
        print(json.dumps(run(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    seeds, out, *nices = sys.argv[1:]
    for nice in nices:
        found = subprocess.run(
            [sys.executable, __file__, "--one", seeds, out, nice],
            check=True,
            capture_output=True,
            text=True,
        )
        print(found.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
