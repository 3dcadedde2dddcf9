"""The large build's gaps stage, before and after the split, side by side (not a test).

    python bench/gap_stage.py SEEDS STORE [--out DIR] [--profile FILE]

On the seed tables SEEDS and the store STORE built from them (opened read-only, never
changed): loads the tables, then times (1) the stage as it ran in the parent before
(`TableAnswers` -> `gap_report_data` -> `write_summary`), in its parts; (2) the seed-only
part the build now runs in a child process beside the bulk loader
(`chainkg.gaps.early.precompute_summary`); (3) the store-bound part left to the stage
(`confirm_summary`: the answers asked of the tables' partial graph, asked of STORE); and
checks the two summaries hold the same answers and report. Prints one Markdown row per
part; `--profile` writes the cProfile statistics of (1) and (2) to FILE.before / FILE.after.
"""

from __future__ import annotations

import argparse
import cProfile
import sqlite3
import time
from contextlib import nullcontext
from pathlib import Path

import pyoxigraph as ox

from chainkg.aggregates import write_summary
from chainkg.gaps import gap_report_data
from chainkg.gaps.early import confirm_summary, precompute_summary
from chainkg.gaps.tables import TableAnswers
from chainkg.tables import load_seeds


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
    parser.add_argument("store")
    parser.add_argument("--out", default=".", help="folder for the two summaries written")
    parser.add_argument("--profile", default="", help="write cProfile statistics here")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def profiled():
        return cProfile.Profile() if args.profile else nullcontext()

    start = time.perf_counter()
    seeds = load_seeds(args.seeds)
    store = ox.Store.read_only(args.store)

    before = out / "gaps-before.sqlite"
    with profiled() as prof:
        t0 = time.perf_counter()
        answers = TableAnswers(seeds)
        t1 = time.perf_counter()
        gap_report_data(store, summary=answers)
        t2 = time.perf_counter()
        write_summary(answers, before, [Path(args.store)])
        t3 = time.perf_counter()
    if prof:
        prof.dump_stats(f"{args.profile}.before")
    del answers
    after, early = out / "gaps-after.sqlite", out / "gaps-after.tmp"
    with profiled() as prof:
        t4 = time.perf_counter()
        precompute_summary(seeds, early)
        t5 = time.perf_counter()
    if prof:
        prof.dump_stats(f"{args.profile}.after")
    confirmed = confirm_summary(early, store, after, [Path(args.store)])
    t6 = time.perf_counter()
    same = confirmed and _tables(before) == _tables(after)
    print("| part | seconds |\n|---|---|")
    print(f"| load the seed tables (not in the stage: the build has them) | {t0 - start:.1f} |")
    print(f"| before: index the tables (`TableAnswers`) | {t1 - t0:.1f} |")
    print(f"| before: the analysis (`gap_report_data`) | {t2 - t1:.1f} |")
    print(f"| before: write the summary | {t3 - t2:.1f} |")
    print(f"| **before: the stage** | **{t3 - t0:.1f}** |")
    print(f"| after, seed-only (child, beside the loader): `precompute_summary` | {t5 - t4:.1f} |")
    print(f"| **after, store-bound (the stage): `confirm_summary`** | **{t6 - t5:.2f}** |")
    print(f"\nconfirmed: {confirmed}; same answers and report: {same}")


if __name__ == "__main__":
    main()
