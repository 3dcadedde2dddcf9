"""The large build's first two stages alone (not a test): `load_seeds` and `write_text`.

    python bench/text_assembly.py SEEDS [--before GRAPH_DIR] [-n 1] [--out DIR] [--load-only]

Each run is a fresh process that loads the seeds and writes the N-Quads and N-Triples files
with the build's own `ASSEMBLY_WORKERS`; prints wall and CPU seconds (user + sys, the forked
workers included) of each stage, and a SHA-256 of each file written (equal digests: the same
bytes). With `--before` (a `graph/` folder of another checkout, e.g. `git archive` of an
older commit) the runs alternate before / after, so that other work on the machine weighs on
both alike. Files go to `--out` (default: a temporary folder) and are deleted after each run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import json, os, resource, sys, time
from pathlib import Path

def clock():
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return time.perf_counter(), cpu, own.ru_stime + kids.ru_stime

from chainkg.stream import write_text
from chainkg.tables import load_seeds
out = Path(sys.argv[2])
wall, cpu, _ = clock()
seeds = load_seeds(sys.argv[1])
wall2, cpu2, sys2 = clock()
if sys.argv[3] == "load":  # --load-only
    print(json.dumps({"load": [wall2 - wall, cpu2 - cpu]}))
    sys.exit()
lines = write_text(seeds, out / "graph.nq", out / "graph.nt")
wall3, cpu3, sys3 = clock()
print(json.dumps({"load": [wall2 - wall, cpu2 - cpu], "write_text": [wall3 - wall2, cpu3 - cpu2],
                  "write_text_sys": sys3 - sys2, "lines": lines}))
"""


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 24):
            sha.update(block)
    return sha.hexdigest()[:16]


def run_once(seeds: Path, graph_dir: Path, out: Path, load_only: bool = False) -> dict:
    env = dict(os.environ, PYTHONPATH=str(graph_dir))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(seeds), str(out), "load" if load_only else "all"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if load_only:
        return result
    for name in ("graph.nq", "graph.nt"):
        result[name] = _digest(out / name)
        (out / name).unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("--before", type=Path, help="graph/ folder of the other checkout")
    parser.add_argument("-n", type=int, default=1, help="runs of each")
    parser.add_argument("--load-only", action="store_true", help="time load_seeds alone")
    parser.add_argument("--out", type=Path, help="folder for the files (default: temporary)")
    args = parser.parse_args()
    variants = ([("before", args.before)] if args.before else []) + [("after", REPO / "graph")]
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        for run in range(args.n):
            for name, graph_dir in variants:
                r = run_once(args.seeds, graph_dir, Path(tmp), args.load_only)
                if args.load_only:
                    print(
                        f"{name} run {run + 1}: load {r['load'][0]:.1f} s wall / "
                        f"{r['load'][1]:.1f} CPU-s",
                        flush=True,
                    )
                    continue
                print(
                    f"{name} run {run + 1}: load {r['load'][0]:.1f} s wall / {r['load'][1]:.1f} "
                    f"CPU-s; write_text {r['write_text'][0]:.1f} s wall / "
                    f"{r['write_text'][1]:.1f} CPU-s (sys {r['write_text_sys']:.1f}); "
                    f"{r['lines']} quads; "
                    f"sha256 nq {r['graph.nq']} nt {r['graph.nt']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
