"""The name index at scale, side by side (not a test):

    python bench/name_index.py OUT/names.sqlite [--work /tmp/name-index] [--repeat 5]

Reads the rows of a built index (`chainkg build --large` writes it in two parts: the seed
tables' names, then the store's few others) and, in one run:
- writes them again as one index (`build_index` of all rows) and as the build's two parts
  (`build_index` of the seed classes' rows, then `add_names` of the others), in a fresh
  child process each, timing wall and CPU seconds;
- times `search` (limit 100) and `count` (capped at 10,000, as `entity-search` pages it)
  on both, best of `--repeat`, for texts of 2 to 6 characters, and checks both answer the
  same.
Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "graph"))

from chainkg.names import indexed_classes  # noqa: E402
from chainkg.search import NameIndex, add_names, build_index  # noqa: E402

TEXTS = ("智能", "半导体", "新能源汽车", "股份有限公司1", "产值", "Rail", "宏鑫华", "统计")


def _rows(index: Path) -> list[tuple[str, str, str, str]]:
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return con.execute("SELECT iri, name, kind, type FROM names").fetchall()
    finally:
        con.close()


def _write(kind: str, rows: list, path: Path, queue: multiprocessing.Queue) -> None:
    start = time.perf_counter()
    if kind == "one":
        build_index(rows, path)
    else:
        seed_classes = indexed_classes()
        build_index([r for r in rows if r[3] in seed_classes], path)
        mid_wall, mid = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
        add_names(path, [r for r in rows if r[3] not in seed_classes])
    use = resource.getrusage(resource.RUSAGE_SELF)
    detail = ""
    if kind == "two":
        second = (use.ru_utime + use.ru_stime) - (mid.ru_utime + mid.ru_stime)
        detail = f"second part {time.perf_counter() - start - mid_wall:.1f} s / {second:.1f} CPU-s"
    queue.put((time.perf_counter() - start, use.ru_utime + use.ru_stime, detail))


def _timed_write(kind: str, rows: list, path: Path) -> tuple[float, float, str]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_write, args=(kind, rows, path, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def _best(call, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/name-index"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    rows = _rows(args.index)
    print(f"{len(rows):,} rows from {args.index}\n")
    paths = {"one": args.work / "one.sqlite", "two": args.work / "two.sqlite"}
    print("| index | wall s | CPU-s | MB | |\n|---|---|---|---|---|")
    for kind, path in paths.items():
        wall, cpu, detail = _timed_write(kind, rows, path)
        size = path.stat().st_size / 1e6
        print(
            f"| {kind} part{'s' if kind == 'two' else ''} | {wall:.1f} | {cpu:.1f} | "
            f"{size:.0f} | {detail} |"
        )
    print("\n| text | one part: search / count s | two parts: search / count s |")
    print("|---|---|---|")
    with NameIndex(paths["one"]) as one, NameIndex(paths["two"]) as two:
        for text in TEXTS:
            assert one.search(text, 100) == two.search(text, 100), text
            assert one.count(text, 10_000) == two.count(text, 10_000), text
            cells = [
                f"{_best(lambda i=i, t=text: i.search(t, 100), args.repeat):.3f} / "
                f"{_best(lambda i=i, t=text: i.count(t, 10_000), args.repeat):.3f}"
                for i in (one, two)
            ]
            print(f"| {text} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
