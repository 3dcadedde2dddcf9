"""The name index at scale, side by side (not a test):

    python bench/name_index.py OUT/names.sqlite [--work /tmp/name-index] [--repeat 5] [--old REV]
        [--seeds SEEDS] [--sort N]

Reads the rows of a built index (`chainkg build --large` writes it in two parts: the seed
tables' names, then the store's few others), in the index's order or, with `--seeds` (the
seeds it was built from), in the build's: `seed_name_rows` of the seeds, then the index's
other rows. Then, in one run:
- writes them again as one index (`build_index` of all rows) and as the build's two parts
  (`build_index` of the seed classes' rows, then `add_names` of the others), in a fresh
  child process each, timing wall and CPU seconds;
- times `search` (limit 100) and `count` (capped at 10,000, as `entity-search` pages it)
  on both, best of `--repeat`, for texts of 2 to 6 characters, and checks both answer the
  same;
- with `--old REV`, also writes them as one index with `build_index` of git revision REV
  (`chainkg/search.py` at REV, imported as a module of its own) after each of the others,
  `--writes` times in turn, and searches it too.
With `--sort N`, only the rows' de-duplication and sort, N times each way in turn, each in a
fresh child: by a set (as before 2ddff54) against by `dict.fromkeys` (in the order given), CPU
seconds, both checked to give the same order.
Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "graph"))

from chainkg.names import indexed_classes, seed_name_rows  # noqa: E402
from chainkg.search import NameIndex, _search_order, add_names, build_index  # noqa: E402

TEXTS = ("智能", "半导体", "新能源汽车", "股份有限公司1", "产值", "Rail", "宏鑫华", "统计")


def _rows(index: Path) -> list[tuple[str, str, str, str]]:
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return con.execute("SELECT iri, name, kind, type FROM names").fetchall()
    finally:
        con.close()


def _old_module(rev: str, work: Path):  # noqa: ANN202 - a module
    """`chainkg/search.py` as it was at git revision `rev`, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:graph/chainkg/search.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = work / "search_old.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("search_old", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_old"] = module  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


OLD = {}  # "module": search.py at --old REV


def _write(kind: str, rows: list, path: Path, queue: multiprocessing.Queue) -> None:
    start = time.perf_counter()
    if kind == "one":
        build_index(rows, path)
    elif kind == "old":
        OLD["module"].build_index(rows, path)
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


def _sort(kind: str, rows: list, queue: multiprocessing.Queue) -> None:
    start = time.process_time()
    unique = set(rows) if kind == "set" else dict.fromkeys(rows)
    ordered = sorted(unique, key=_search_order)
    queue.put((time.process_time() - start, hash(tuple(ordered))))


def _timed_sort(kind: str, rows: list) -> tuple[float, int]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_sort, args=(kind, rows, queue))
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
    parser.add_argument("--old", metavar="REV", help="also build_index as at git revision REV")
    parser.add_argument("--writes", type=int, default=1, help="write each index this often")
    parser.add_argument("--seeds", type=Path, help="the rows in the build's order, from SEEDS")
    parser.add_argument("--sort", type=int, default=0, help="only time the sort, N times each")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    rows = _rows(args.index)
    if args.seeds:
        from chainkg.tables import load_seeds

        seed_classes = indexed_classes()
        others = [r for r in rows if r[3] not in seed_classes]
        rows = list(seed_name_rows(load_seeds(args.seeds))) + others
    print(f"{len(rows):,} rows from {args.index}{' in the build order' if args.seeds else ''}\n")
    if args.sort:
        print("| de-duplicated by | CPU-s |\n|---|---|")
        orders = set()
        for _ in range(args.sort):
            for kind in ("set", "dict.fromkeys"):
                cpu, order = _timed_sort(kind, rows)
                orders.add(order)
                print(f"| {kind} | {cpu:.1f} |", flush=True)
        assert len(orders) == 1, "the two ways gave different orders"
        return
    paths = {"one": args.work / "one.sqlite", "two": args.work / "two.sqlite"}
    names = {"one": "one part", "two": "two parts"}
    if args.old:
        OLD["module"] = _old_module(args.old, args.work)
        paths["old"] = args.work / "old.sqlite"
        names["old"] = f"one part, build_index at {args.old}"
    print("| index | wall s | CPU-s | MB | |\n|---|---|---|---|---|")
    for _ in range(args.writes):
        for kind, path in paths.items():
            wall, cpu, detail = _timed_write(kind, rows, path)
            size = path.stat().st_size / 1e6
            print(f"| {names[kind]} | {wall:.1f} | {cpu:.1f} | {size:.0f} | {detail} |")
    print("\n| text | " + " | ".join(f"{names[k]}: search / count s" for k in paths) + " |")
    print("|---" * (len(paths) + 1) + "|")
    indexes = [NameIndex(path) for path in paths.values()]
    try:
        for text in TEXTS:
            first = indexes[0]
            for other in indexes[1:]:
                assert first.search(text, 100) == other.search(text, 100), text
                assert first.count(text, 10_000) == other.count(text, 10_000), text
            cells = [
                f"{_best(lambda i=i, t=text: i.search(t, 100), args.repeat):.3f} / "
                f"{_best(lambda i=i, t=text: i.count(t, 10_000), args.repeat):.3f}"
                for i in indexes
            ]
            print(f"| {text} | " + " | ".join(cells) + " |")
    finally:
        for index in indexes:
            index.close()


if __name__ == "__main__":
    main()
