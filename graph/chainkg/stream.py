"""The large-graph path: write the row mapping's N-Quads text to files (in forked workers)
and bulk-load it into an on-disk store with Oxigraph's bulk loader (Rust), which builds its
indexes on every core. The mapping itself is `chainkg.mapping`, shared with the small path."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rich.progress import Progress, TaskID

from chainkg.aggregates import SUMMARY_FILE, summary_for, write_summary
from chainkg.errors import ValidationFailed
from chainkg.forked import how_it_ended
from chainkg.gc_pause import gc_paused
from chainkg.listings import LISTINGS_FILE, name_graphs, open_beside, write_listings
from chainkg.mapping import ASSEMBLY_GUARANTEES, assemble_chunks, ontology_quads
from chainkg.names import Row, other_name_rows, seed_name_rows
from chainkg.ntriples import CHUNK_ROWS, PIECE_ROWS
from chainkg.panorama import panorama_status
from chainkg.report import BuildOptions, BuildReport, timed
from chainkg.search import INDEX_FILE, add_names, build_index
from chainkg.tables import Seeds
from chainkg.vocab import CKG_IRI, PREFIXES

log = logging.getLogger("chainkg.pipeline")
# enterprises; above, the gap report pages (site/gaps/) are written only when asked for
# (`gap_reports=True`). A page prints each of the seven lists' first `chainkg.lists.
# LIST_SHOWN` entries and its total (at 100k: 2.7 MB of pages in 12 CPU-s, was 11.5 MB in
# 17-29 CPU-s, BENCHMARKS.md); kept until the stage is measured at 1M. The gap summary (what
# `chainkg gaps` and the site read) is written at any size.
GAP_PAGES_MAX = 100_000
# how much lower the priority of the side tables' writers is: they run through the build's
# stages on the CPU time those leave idle, and yield it when a stage needs both cores. At 1M
# enterprises, three pairs of builds in turn: nice 15 170.8, 172.5, 168.0 s against nice 10
# 179.5, 174.7, 169.2 s (the bulk loader 90-94 s against 93-104; the write stage then waits
# 4-5.5 s for them, where the compaction left a core idle at 10); SCHED_IDLE, tried before,
# kept the loader at its speed alone but left 6-9 s of them after it (BENCHMARKS.md)
BACKGROUND_NICE = 15
ASSEMBLY_WORKERS = 2  # fixed, not the CPU count: the chunks' order in graph.nq depends on it


def write_text(
    seeds: Seeds,
    nquads: Path,
    ntriples: Path,
    on_rows: Callable[[int], None] | None = None,
    workers: int = ASSEMBLY_WORKERS,
) -> int:
    """Write `assemble_text(seeds)` to the N-Quads and N-Triples files, in its order; return
    the N-Quads lines. With `workers` > 1 (and fork available), forked children assemble
    chunks i, i+n, ... (`assemble_chunks`): the Python assembly is CPU-bound, so a 2-core
    machine assembles in about half the time. Each worker writes its chunks straight into
    the two files when its turn comes (`_write_in_turn`), so the bytes are the same for any
    `workers`, and no worker's part is copied after (appending the child's half took 3 s
    on one core at 1M enterprises and 4.5 GB more written to the page cache).

    Python's cyclic collector is paused throughout (the forked workers inherit that): the
    assembly makes tens of millions of lists and strings and no cycles, the collector's
    passes cost ~10 % of it, and in a forked worker a full pass writes to every object it
    inherited, copying those pages from the parent."""
    with gc_paused():
        return _write_text(seeds, nquads, ntriples, on_rows, workers)


def _write_text(
    seeds: Seeds,
    nquads: Path,
    ntriples: Path,
    on_rows: Callable[[int], None] | None,
    workers: int,
) -> int:
    if workers > 1 and not hasattr(os, "fork"):
        workers = 1
    # worker i's turn comes as a byte on turns[i], sent by worker i-1 after its chunk
    turns = [os.pipe() for _ in range(workers)]
    own = tuple(fd for pair in turns for fd in pair)  # this process's ends: all, until forked
    children: list[tuple[int, Path]] = []
    reaped: set[int] = set()
    try:
        with (
            open(nquads, "wb", buffering=0) as quad_file,
            open(ntriples, "wb", buffering=0) as triple_file,
        ):
            files = (quad_file.fileno(), triple_file.fileno())  # shared with the children
            children = [
                _fork_part(seeds, files, turns, (i, workers), _lines_file(nquads, i))
                for i in range(1, workers)
            ]
            own = _own_turns(turns, 0)
            progress = (lambda k: on_rows(k * workers)) if on_rows else None
            try:
                lines = _write_part(seeds, files, own, (0, workers), progress)
            except Exception as error:  # a worker that stopped: its failure is the cause
                _raise_if_stopped(children, reaped, error)
                raise
        for pid, lines_file in children:
            reaped.add(pid)
            lines += _wait_part(pid, lines_file)
    finally:
        for pid, lines_file in children:
            if pid not in reaped:  # (a reaped pid may be another process's by now)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            lines_file.unlink(missing_ok=True)
        for fd in own:
            os.close(fd)
    return lines


# pieces a worker holds while the other writes its chunk: two chunks of CHUNK_ROWS rows in
# pieces of PIECE_ROWS rows (~200 MB of the tables' rows, ~700 MB of registry rows at most),
# so that it never waits with a whole chunk to make
_QUEUED_PIECES = 2 * CHUNK_ROWS // PIECE_ROWS


def _write_part(
    seeds: Seeds,
    files: tuple[int, int],
    turn: tuple[int, int],
    part: tuple[int, int],
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Assemble chunk part `part` (`assemble_chunks`) in this thread and write it in turn
    (`_write_in_turn`) in another, the pieces queued between; the N-Quads lines."""
    pieces: queue.Queue[tuple[int, bytes, bytes] | None] = queue.Queue(_QUEUED_PIECES)
    failed: list[BaseException] = []
    writer = threading.Thread(target=_write_in_turn, args=(pieces, files, turn, failed))
    writer.start()
    lines = 0
    try:
        for piece in assemble_chunks(seeds, on_rows, part):
            if failed:
                break
            lines += piece[1].count(b"\n")
            pieces.put(piece)
    finally:
        pieces.put(None)
        writer.join()
    if failed:
        raise failed[0]
    return lines


def _write_in_turn(
    pieces: queue.Queue[tuple[int, bytes, bytes] | None],
    files: tuple[int, int],
    turn: tuple[int, int],
    failed: list[BaseException],
) -> None:
    """Write the queued pieces to the shared files, each chunk once the worker of the one
    before has written it (a byte on `turn[0]`; then one on `turn[1]` for the next): the
    files' shared offset puts the chunks in their order. A failure goes to `failed`, and
    the queue is drained so that the assembling thread is not left waiting."""
    wait, hand_on = turn
    current = None
    try:
        while (piece := pieces.get()) is not None:
            chunk, quads, triples = piece
            if chunk != current:
                if current is not None:
                    os.write(hand_on, b".")
                if chunk and not os.read(wait, 1):
                    raise RuntimeError("text assembly: the worker before this one stopped")
                current = chunk
            _write_all(files[0], quads)
            _write_all(files[1], triples)
        if current is not None:
            with contextlib.suppress(BrokenPipeError):  # the next worker has no chunk left
                os.write(hand_on, b".")
    except BaseException as error:  # noqa: BLE001 - raised by _write_part
        failed.append(error)
        while pieces.get() is not None:
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _own_turns(turns: list[tuple[int, int]], index: int) -> tuple[int, int]:
    """Worker `index`'s ends of the turn pipes (the one it waits on, the one it hands the
    turn on with); the others are closed in this process, so that a worker that stops
    ends its successor's wait instead of leaving it blocked."""
    own = (turns[index][0], turns[(index + 1) % len(turns)][1])
    for pair in turns:
        for fd in pair:
            if fd not in own:
                os.close(fd)
    return own


def _fork_part(
    seeds: Seeds,
    files: tuple[int, int],
    turns: list[tuple[int, int]],
    part: tuple[int, int],
    lines_file: Path,
) -> tuple[int, Path]:
    """Fork a child writing chunk part `part` in turn into the shared files; its line count
    goes to `lines_file`. The child only assembles text and writes (no console, no
    store, no imports), then leaves with os._exit, so locks other threads of the parent (a
    progress bar) may hold at the fork are never needed in it."""
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            lines = _write_part(seeds, files, _own_turns(turns, part[0]), part)
            lines_file.write_text(str(lines))
            code = 0
        finally:
            os._exit(code)
    return pid, lines_file


def _raise_if_stopped(
    children: list[tuple[int, Path]], reaped: set[int], error: BaseException
) -> None:
    """RuntimeError naming the first of `children` (`_fork_part`) that has exited with a
    failure, from `error` (what this process met: its turn never came, or handing it on
    broke the pipe); nothing if none has within half a second (a worker whose pipes closed
    is exiting). Each child found exited is added to `reaped`."""
    deadline = time.monotonic() + 0.5
    while True:
        for pid, _lines in children:
            if pid in reaped:
                continue
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                reaped.add(pid)
                if os.waitstatus_to_exitcode(status) != 0:
                    raise RuntimeError(
                        f"text assembly worker {pid} failed ({how_it_ended(status)}): {error}"
                    ) from error
        if len(reaped) == len(children) or time.monotonic() > deadline:
            return
        time.sleep(0.01)


def _lines_file(nquads: Path, index: int) -> Path:
    return nquads.with_name(f"{nquads.name}.{index}.lines")


def _wait_part(pid: int, lines_file: Path) -> int:
    """Wait for a child of `_fork_part`; its line count, or RuntimeError if it failed."""
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"text assembly worker {pid} failed ({how_it_ended(status)})")
    return int(lines_file.read_text())


def bulk_load(ntriples: Path, store_dir: Path) -> ox.Store:
    """A new on-disk store at `store_dir` holding the N-Triples file in its default graph.

    The whole file in one bulk load, after the assembly rather than streamed during it:
    each extra bulk-load call re-merges its indexes, and with 4 cores or more Oxigraph
    parses a file in parallel, a pipe on one thread (with fewer, pyoxigraph 0.5 reads
    either on one thread and builds the index files on the others). At 1M enterprises, on
    this 2-core machine while other work ran (wall / CPU seconds of assembly + load): one
    file 209 / 232; 256 MB parts loaded while assembling 286 / 270; 1 GB parts 233 / 247.
    `lenient` (no IRI re-validation, ~20 % faster): every IRI here is built from the
    checked base IRI, ids matching `schema.ID_PATTERN`, enum values and ontology terms.
    """
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


def build_streaming(
    seeds_dir: Path | str, out_dir: Path | str, options: BuildOptions
) -> BuildReport:
    """The build for large seeds: the listings side table, the gap summary and the name
    index of the seed tables' names (from the seeds alone, in three low-priority child
    processes, `_fork_side_tables` and `_fork_index`, through every stage up to the
    writing) -> text assembly bulk-loaded into an on-disk store -> compaction -> store
    SHACL (beside it, in two child processes: the few names only the store has, for the
    index, and the class counts; the triple count) -> those names added to the index (the
    outputs replace the previous build's, which are removed beside the next stage) -> the
    gap summary kept once the store confirms the few answers the child asked of the tables'
    part of the graph (`chainkg.gaps.early`; else the analysis runs here, its heavy answers
    from the tables, `chainkg.gaps.tables`) -> the gap report pages (by default up to
    GAP_PAGES_MAX enterprises).

    Writes `out/graph.nq` (the assembled N-Quads, one named graph per source article; a quad
    repeated by two rows is written twice, which RDF readers merge), `out/store/` (the
    on-disk Oxigraph store: the merged, de-duplicated triples in its default graph only,
    for `chainkg query --graph out/store`), `out/names.sqlite` (the name index,
    `chainkg.search`), `out/listings.sqlite` (the listings side table, `chainkg.listings`),
    the gap reports in `out/site/gaps/` and the gap summary they were
    computed from, `out/gaps.sqlite` (`chainkg.aggregates`), unless `options.gap_reports`
    is False (the pages: up to GAP_PAGES_MAX enterprises, or when it is True).
    Turtle, JSON-LD and the HTML site are not written at this size (a stale `graph.ttl` or
    `graph.jsonld` from an earlier small build is removed): `chainkg export out/graph.ttl
    --graph out/store` writes Turtle from the store when someone needs it. SHACL runs over
    the whole store, except for the constraints in ASSEMBLY_GUARANTEES (checked on a sample)
    unless `options.full_shacl`; against `options.shapes` if given, else the packaged shapes.
    Called by `pipeline.build`, the one entry point.
    The graph files and the store change only if every stage up to validation succeeds.
    """
    # Imported here: pyshacl and the gap analysis load slowly, and `chainkg query` imports
    # this module through the CLI without building anything.
    from chainkg.evidence import check_evidence
    from chainkg.gaps import gap_report_data
    from chainkg.gaps.early import confirm_summary
    from chainkg.gaps.tables import TableAnswers
    from chainkg.tables import load_seeds
    from chainkg.validate import SHAPES_FILE, validate_store
    from chainkg_viz.reports import write_reports

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out, streaming=True)
    bar = options.progress or Progress(disable=True)

    def stage(name: str, total: float | None = None) -> TaskID:
        options.notify(name)
        return bar.add_task(name, total=total)

    task = stage("load")
    with timed(report, "load"):
        seeds = load_seeds(seeds_dir, options.base_iri)
        report.superseded_rows = len(seeds.registry_superseded)
    bar.update(task, total=1, completed=1)
    nq_tmp, nt_tmp, store_tmp = out / ".graph.nq.tmp", out / ".graph.nt.tmp", out / ".store.tmp"
    names_tmp = out / ".names.tmp"  # a folder: the index written in it by a child process
    # the same for the listings side table, and for the gap summary from the seed tables
    listings_tmp, summary_tmp = out / ".listings.tmp", out / ".gap-summary.tmp"
    early = out / ".gaps-early.sqlite"  # that summary, until the store confirms it
    old = out / ".old"  # the previous build's outputs, once the new ones are in place
    names_pid, side_pids = 0, [0, 0]
    early.unlink(missing_ok=True)
    for folder in (store_tmp, names_tmp, listings_tmp, summary_tmp):
        shutil.rmtree(folder, ignore_errors=True)
    reader: subprocess.Popen[str] | None = None
    counter: subprocess.Popen[str] | None = None
    try:
        # from the seeds alone, in the background: they use what the next stages leave idle
        side_pids = _fork_side_tables(
            seeds, listings_tmp, summary_tmp if options.gap_reports is not False else None
        )
        names_pid = _fork_index(seed_name_rows(seeds), names_tmp)  # the store's few: later
        task = stage("evidence")
        with timed(report, "evidence"):
            report.quotes_checked = check_evidence(seeds)
        bar.update(task, total=1, completed=1)
        rows = sum(len(f) for n, f in seeds.tables.items() if n != "sources")
        task = stage("assemble", rows)
        with timed(report, "assemble"):
            report.quads = write_text(seeds, nq_tmp, nt_tmp, on_rows=lambda k: bar.advance(task, k))
            bar.update(task, completed=rows)
        task = stage("bulk-load")  # no total: Oxigraph reports no progress
        with timed(report, "bulk-load"):
            store = bulk_load(nt_tmp, store_tmp)
            nt_tmp.unlink()
        bar.update(task, total=1, completed=1)
        # Compacting the freshly bulk-loaded files pays for itself in the next stages alone
        # (1M enterprises: optimize 28 s, then SHACL 16 s; without it SHACL took 49 s; 100k,
        # re-measured in CPU-s: optimize + names query + SHACL + count 5.7-6.3 with it,
        # 7.1-7.4 without), and leaves the store fast for its users.
        task = stage("optimize")
        with timed(report, "optimize"):
            store.optimize()
        bar.update(task, total=1, completed=1)
        # beside the validation, in other processes reading the store (here they would
        # wait for the GIL the validation holds): the few names not in the seed tables and
        # the class counts, and the triple count (`len` scans the store in Rust, ~3.4 s at
        # 1M, holding the GIL: in a thread here it held up the validation as long)
        reader = _start_store_reads(store_tmp, "names")
        counter = _start_store_reads(store_tmp, "count")
        task = stage("validate")
        with timed(report, "validate"):
            shacl = validate_store(
                store,
                options.shapes or SHAPES_FILE,
                on_check=lambda _c: bar.advance(task),
                path=store_tmp,
                guaranteed=() if options.full_shacl else ASSEMBLY_GUARANTEES,
            )
            report.conforms, report.violations = shacl.conforms, shacl.violations
        bar.update(task, total=1, completed=1)
        if not shacl.conforms:
            raise ValidationFailed(shacl.text)
        task = stage("count")
        with timed(report, "count"):  # (its seconds are the part not overlapped)
            report.triples = _read_store_reads(counter)["triples"]
            answer = _read_store_reads(reader)
            others = [(e, n, k, t) for e, n, k, t in answer["names"]]  # indexed below
            report.class_counts = answer["classes"]
        bar.update(task, total=1, completed=1)
        task = stage("write")
        with timed(report, "write"):
            _wait_index(names_pid, names_tmp)  # (its seconds are the part not overlapped)
            names_pid = 0
            add_names(names_tmp / INDEX_FILE, others, nq_tmp)
            for pid, folder, what in zip(
                side_pids, (listings_tmp, summary_tmp), SIDE_TABLES, strict=True
            ):
                _wait_writer(pid, folder, what)
                seconds = folder / "seconds.txt"
                if seconds.is_file():  # overlapped with other stages: logged, not a stage
                    log.info("%s (in a child process): %s", what, seconds.read_text())
            side_pids = [0, 0]
            if (summary_tmp / SUMMARY_FILE).is_file():  # precomputed (asked for)
                os.replace(summary_tmp / SUMMARY_FILE, early)
            # the graphs it belongs to (their identities do not change when they move)
            name_graphs(listings_tmp / LISTINGS_FILE, [nq_tmp, store_tmp])
            del store  # closes the store before it moves
            # the previous build's outputs set aside in `old` (removed below, beside the
            # gaps stage: at 1M enterprises, 1.5 s of unlinking 10 GB), replaced atomically
            shutil.rmtree(old, ignore_errors=True)  # (left by a build that stopped here)
            old.mkdir()
            for new, path in (
                (names_tmp / INDEX_FILE, out / INDEX_FILE),
                (listings_tmp / LISTINGS_FILE, out / LISTINGS_FILE),
                (nq_tmp, out / "graph.nq"),
                (store_tmp, out / "store"),
            ):
                _set_aside(path, old)
                os.replace(new, path)
            for stale in ("graph.ttl", "graph.jsonld"):
                (out / stale).unlink(missing_ok=True)
            report.files = {
                "graph.nq": out / "graph.nq",
                "store": out / "store",
                INDEX_FILE: out / INDEX_FILE,
                LISTINGS_FILE: out / LISTINGS_FILE,
            }
        bar.update(task, total=1, completed=1)
    except BaseException:
        early.unlink(missing_ok=True)  # the summary moved out of gaps_tmp: not wanted
        raise
    finally:
        for child in (reader, counter):  # still running: an earlier stage failed
            if child is not None and child.poll() is None:
                child.kill()
                child.communicate()
        _stop([names_pid, *side_pids])  # an earlier stage failed: not wanted
        nq_tmp.unlink(missing_ok=True)
        nt_tmp.unlink(missing_ok=True)
        for folder in (names_tmp, listings_tmp, summary_tmp, store_tmp):
            shutil.rmtree(folder, ignore_errors=True)
    remover = threading.Thread(target=shutil.rmtree, args=(old, True))
    remover.start()
    try:
        (out / SUMMARY_FILE).unlink(missing_ok=True)  # an earlier build's: never read again
        if options.gap_reports is False:
            return report
        task = stage("gaps")
        with timed(report, "gaps"):  # the analysis once, its answers and report: the gap summary
            store = ox.Store.read_only(str(out / "store"))
            # the summary the child computed from the tables (the panoramas' rows too), if the
            # store gives the answers it asked of the tables' partial graph; else the analysis
            # here, as the child ran it
            if confirm_summary(early, store, out / SUMMARY_FILE, [out / "store"]):
                answers = summary_for(out / "store")  # holds the composed report: read back
            else:
                with gc_paused():
                    answers = TableAnswers(seeds)  # the heavy answers from the tables, the rest
                    gap_report_data(store, summary=answers)  # recorded
                    panorama_status(store, summary=answers)  # from the tables too
                    write_summary(answers, out / SUMMARY_FILE, [out / "store"])
            report.files[SUMMARY_FILE] = out / SUMMARY_FILE
        bar.update(task, total=1, completed=1)
        enterprises = report.class_counts.get("Enterprise", 0)
        if options.gap_reports or enterprises <= GAP_PAGES_MAX:
            task = stage("gap-pages")
            with timed(report, "gap-pages"):
                data = gap_report_data(store, summary=answers)  # the kept report
                # the seven lists from the listings side table written with the store; a capped
                # list's command reads the store (graph.nq would load in memory)
                with open_beside(out / "store") or contextlib.nullcontext() as listings:
                    written = write_reports(
                        store,
                        out / "site" / "gaps",
                        data,
                        graph=str(out / "store"),
                        listings=listings,
                        summary=answers,
                    )
                for path in written:
                    report.files[f"site/gaps/{path.name}"] = path
            bar.update(task, total=1, completed=1)
    finally:
        remover.join()
    return report


def _set_aside(path: Path, old: Path) -> None:
    """Keep what is at `path` (a previous build's output) in the folder `old`, which is
    removed later: a folder moved there, a file linked there (so that replacing it stays
    atomic, and unlinking it frees nothing yet); nothing for no file."""
    if path.is_dir() and not path.is_symlink():
        os.replace(path, old / path.name)
    elif path.exists():
        with contextlib.suppress(OSError):  # no hard links here: freed when replaced
            os.link(path, old / path.name)


def _fork_index(rows: Iterable[Row], folder: Path) -> int:
    """Fork a child writing the name index of `rows` to `folder/names.sqlite`, at the side
    tables' low priority; its pid (see `_fork_writer`).

    The index of the seed tables' names (sorting the rows, SQLite and its trigram full-text
    index: ~3 CPU-s at 100,000 enterprises, ten times that at 1M) needs only the seeds, so
    it is written from the start, through the stages that leave a core idle. The few names
    only the store has (statistics, sources, reference data: ~59,000 at 1M enterprises,
    read from the compacted store; on the store fresh from the bulk load that query took
    seconds) are added to it as a second part (`chainkg.search.add_names`) once both are
    ready: when the child wrote the whole index after the compaction, the build waited
    17-34 s for it at 1M."""
    return _fork_writer(
        folder, lambda: build_index(rows, folder / INDEX_FILE), nice=BACKGROUND_NICE
    )


def _fork_side_tables(seeds: Seeds, listings: Path, summary: Path | None) -> list[int]:
    """Fork the children writing the side tables computed from `seeds` alone, each at a
    low priority (BACKGROUND_NICE) into its own new folder: the listings side table into
    `listings` (naming no graph yet: `name_graphs` adds them once they exist) and, given
    `summary`, the gap summary from the seed tables into `summary` (which the gaps stage
    keeps once the store confirms it); their pids, 0 for the summary not asked for.

    They need only the seeds, so they start right after these are read and run through the
    build's stages on the CPU time those leave idle (the bulk loader and the compaction use
    less than this machine's two cores) rather than slowing them down. Two children, not
    one writing both in turn: when the build reaches the `write` stage and waits for them,
    what is left of their work runs on both cores (one child, at 1M enterprises, kept the
    build waiting 46-80 s on one core). What both read of the seeds, the presence in the
    zone (`chainkg.presence.zone_stages`), is computed in each (1.2 CPU-s at 1M)."""
    pids = [
        _fork_writer(
            listings,
            lambda: _paused(write_listings, seeds, listings / LISTINGS_FILE, ()),
            nice=BACKGROUND_NICE,
        ),
        0,
    ]
    if summary is not None:
        from chainkg.gaps.early import precompute_summary  # (pauses the collector itself)

        pids[1] = _fork_writer(
            summary, lambda: precompute_summary(seeds, summary / SUMMARY_FILE), BACKGROUND_NICE
        )
    return pids


SIDE_TABLES = ("listings", "gap summary")  # what `_fork_side_tables`' children write, in order


def _paused(write: Callable[..., object], *args: object) -> None:
    """`write(*args)` with the cyclic garbage collector paused (the listings side table makes
    tens of millions of small objects and no cycles worth collecting)."""
    with gc_paused():
        write(*args)


def _fork_writer(folder: Path, write: Callable[[], object], nice: int = 0) -> int:
    """Fork a child running `write` (which writes into the new folder `folder`), its
    priority lowered by `nice`; its pid. Its wall and CPU seconds go to
    `folder/seconds.txt` (followed by what `write` returns, if it is a string).

    The child touches no store, console or lock of the parent and leaves with os._exit; a
    failure's traceback goes to `folder/error.txt`. Without fork, `write` runs here and the
    pid is 0."""
    folder.mkdir()
    if not hasattr(os, "fork"):
        write()
        return 0
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            if nice:
                os.nice(nice)
            start, cpu = time.perf_counter(), time.process_time()
            detail = write()
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            text = f"{wall:.1f} s wall, {used:.1f} CPU-s"
            if isinstance(detail, str):
                text += f" ({detail})"
            (folder / "seconds.txt").write_text(text)
            code = 0
        except BaseException:  # noqa: BLE001 - reported to the parent by _wait_writer
            (folder / "error.txt").write_text(traceback.format_exc())
        finally:
            os._exit(code)
    return pid


def _wait_index(pid: int, folder: Path) -> None:
    """Wait for `_fork_index`'s child; RuntimeError with its traceback if it failed."""
    _wait_writer(pid, folder, "name index")


def _wait_writer(pid: int, folder: Path, what: str) -> None:
    """Wait for a `_fork_writer` child; RuntimeError with its traceback if it failed."""
    if not pid:
        return
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        error = folder / "error.txt"
        detail = error.read_text() if error.is_file() else how_it_ended(status)
        raise RuntimeError(f"{what} worker {pid} failed: {detail}")


def _stop(pids: list[int]) -> None:
    """Stop the writer children still running (an earlier stage failed)."""
    for pid in pids:
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _start_store_reads(path: Path, job: str) -> subprocess.Popen[str]:
    """A child Python reading the compacted store at `path` (read-only, while this process
    validates it), its answer as JSON on stdout: `job` "names", the names only the store
    has (`other_name_rows`) and the class counts (`class_counts_store`), ~2 + 1.7 s at 1M;
    "count", the triple count (pyoxigraph alone: chainkg's imports cost ~0.5 CPU-s), ~3.4
    s. A plain subprocess: a fork would copy this process's open store and its threads'
    locks."""
    return subprocess.Popen(
        [sys.executable, "-c", _STORE_READS[job], str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


_STORE_READS = {
    "names": "from chainkg.stream import _store_reads_main; _store_reads_main()",
    "count": "import json, sys, pyoxigraph as ox\n"
    "json.dump({'triples': len(ox.Store.read_only(sys.argv[1]))}, sys.stdout)",
}


def _store_reads_main() -> None:
    """Entry point of `_start_store_reads`' "names" child."""
    store = ox.Store.read_only(sys.argv[1])
    names = list(other_name_rows(store))
    json.dump({"names": names, "classes": class_counts_store(store)}, sys.stdout)


def _read_store_reads(reader: subprocess.Popen[str]) -> dict[str, Any]:
    """What `_start_store_reads`' child found; RuntimeError with its stderr if it failed."""
    out, err = reader.communicate()
    if reader.returncode:
        raise RuntimeError(f"store reader failed (exit {reader.returncode}): {err}")
    return json.loads(out)


def class_counts_store(store: ox.Store) -> dict[str, int]:
    """Instances per ckg class in the store's default graph, minus the ontology's own
    individuals (the small path counts outside the ontology graph; here the ontology is
    merged into the default graph, and data IRIs never coincide with ontology IRIs)."""
    # grouped on the class alone, filtered here: a FILTER would decode every type triple
    query = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
    counts = {
        s["class"].value: int(s["n"].value)
        for s in store.query(query)
        if s["class"].value.startswith(CKG_IRI)
    }
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    for triple in {q.triple for q in ontology_quads()}:
        if triple.predicate == rdf_type and triple.object.value in counts:
            counts[triple.object.value] -= 1
    return {k[len(CKG_IRI) :]: n for k, n in sorted(counts.items()) if n > 0}
