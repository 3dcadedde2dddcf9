"""The large-graph path: write the row mapping's N-Quads text to files (in forked workers)
and bulk-load it into an on-disk store, which Oxigraph's bulk loader (Rust) parses on every
core. The mapping itself is `chainkg.mapping`, shared with the small path."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rich.progress import Progress, TaskID

from chainkg.aggregates import SUMMARY_FILE, Answers, summary_for, write_summary
from chainkg.errors import ValidationFailed
from chainkg.listings import LISTINGS_FILE, name_graphs, open_beside, write_listings
from chainkg.mapping import ASSEMBLY_GUARANTEES, assemble_text, ontology_quads
from chainkg.names import Row, other_name_rows, seed_name_rows
from chainkg.panorama import PANORAMA_QUERY, panorama_status
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
# stages on the CPU time those leave idle, and yield it when a stage needs both cores
BACKGROUND_NICE = 10
ASSEMBLY_WORKERS = 2  # fixed, not the CPU count: the chunks' order in graph.nq depends on it


def write_text(
    seeds: Seeds,
    nquads: Path,
    ntriples: Path,
    on_rows: Callable[[int], None] | None = None,
    workers: int = ASSEMBLY_WORKERS,
) -> int:
    """Write `assemble_text(seeds)` to the N-Quads and N-Triples files; return the N-Quads
    lines. With `workers` > 1 (and fork available), forked children assemble chunks
    i, i+n, ... into files of their own, appended in order after this process's chunks:
    the Python assembly is CPU-bound, so a 2-core machine assembles in about half the time.
    Same `workers`, same bytes; any `workers`, the same set of quads.

    Python's cyclic collector is paused throughout (the forked workers inherit that): the
    assembly makes tens of millions of lists and strings and no cycles, the collector's
    passes cost ~10 % of it, and in a forked worker a full pass writes to every object it
    inherited, copying those pages from the parent."""
    from chainkg.gaps.early import gc_paused  # here: the gaps package loads slowly

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
    children = [_fork_part(seeds, nquads, ntriples, (i, workers)) for i in range(1, workers)]
    progress = (lambda k: on_rows(k * workers)) if on_rows else None
    try:
        lines = _write_part(seeds, nquads, ntriples, (0, workers), progress)
        # "r+b" at the end, not "ab": copy_file_range refuses files opened for appending
        with open(nquads, "r+b") as quad_file, open(ntriples, "r+b") as triple_file:
            quad_file.seek(0, os.SEEK_END)
            triple_file.seek(0, os.SEEK_END)
            for pid, quad_part, triple_part in children:
                lines += _wait_part(pid, quad_part)
                _append(triple_part, triple_file)
                _append(quad_part, quad_file)
    finally:
        for pid, quad_part, triple_part in children:
            with contextlib.suppress(OSError):  # already reaped when all went well
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            for leftover in (quad_part, triple_part, _lines_file(quad_part)):
                leftover.unlink(missing_ok=True)
    return lines


def _write_part(
    seeds: Seeds,
    nquads: Path,
    ntriples: Path,
    part: tuple[int, int],
    on_rows: Callable[[int], None] | None = None,
) -> int:
    lines = 0
    with (
        open(nquads, "wb") as quad_file,
        open(ntriples, "wb") as triple_file,
    ):
        for quad_text, triple_text in assemble_text(seeds, on_rows, part):
            quad_file.write(quad_text)
            lines += quad_text.count(b"\n")
            triple_file.write(triple_text)
    return lines


def _fork_part(
    seeds: Seeds, nquads: Path, ntriples: Path, part: tuple[int, int]
) -> tuple[int, Path, Path]:
    """Fork a child writing chunk part `part` to `<file>.<i>`; its line count goes to
    `<nquads>.<i>.lines`. The child only assembles text and writes its own files (no
    console, no store, no imports), then leaves with os._exit, so locks other threads of
    the parent (a progress bar) may hold at the fork are never needed in it."""
    quad_part = nquads.with_name(f"{nquads.name}.{part[0]}")
    triple_part = ntriples.with_name(f"{ntriples.name}.{part[0]}")
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            lines = _write_part(seeds, quad_part, triple_part, part)
            _lines_file(quad_part).write_text(str(lines))
            code = 0
        finally:
            os._exit(code)
    return pid, quad_part, triple_part


def _wait_part(pid: int, quad_part: Path) -> int:
    """Wait for a child of `_fork_part`; its line count, or RuntimeError if it failed."""
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"text assembly worker {pid} failed (status {status})")
    return int(_lines_file(quad_part).read_text())


def _lines_file(quad_part: Path) -> Path:
    return quad_part.with_name(quad_part.name + ".lines")


def _append(source: Path, target: BinaryIO) -> None:
    """Append a file's bytes to an open file, in the kernel (copy_file_range)."""
    target.flush()
    with open(source, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        done = 0
        while done < size:
            copied = os.copy_file_range(handle.fileno(), target.fileno(), size - done)
            if copied == 0:
                break
            done += copied
    source.unlink()


def bulk_load(ntriples: Path, store_dir: Path) -> ox.Store:
    """A new on-disk store at `store_dir` holding the N-Triples file in its default graph.

    The whole file in one bulk load, after the assembly rather than streamed during it:
    Oxigraph parses a file on every core but a pipe on one, and each extra bulk-load call
    re-merges its indexes. At 1M enterprises, on this 2-core machine while other work ran
    (wall / CPU seconds of assembly + load): one file 209 / 232; 256 MB parts loaded while
    assembling 286 / 270; 1 GB parts 233 / 247. `lenient` (no IRI re-validation, ~20 %
    faster): every IRI here is built from the checked base IRI, ids matching
    `schema.ID_PATTERN`, enum values and ontology terms.
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
    SHACL (beside it, in a child process: the few names only the store has, for the index,
    and the class counts) -> those names added to the index -> the gap summary kept once
    the store confirms the few answers the child asked of the tables' part of the graph
    (`chainkg.gaps.early`; else the analysis runs here, its heavy answers from the tables,
    `chainkg.gaps.tables`) -> the gap report pages (by default up to GAP_PAGES_MAX
    enterprises).

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
    from chainkg.gaps.early import confirm_summary, gc_paused
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
    bar.update(task, total=1, completed=1)
    nq_tmp, nt_tmp, store_tmp = out / ".graph.nq.tmp", out / ".graph.nt.tmp", out / ".store.tmp"
    names_tmp = out / ".names.tmp"  # a folder: the index written in it by a child process
    # the same for the listings side table, and for the gap summary from the seed tables
    listings_tmp, summary_tmp = out / ".listings.tmp", out / ".gap-summary.tmp"
    early = out / ".gaps-early.sqlite"  # that summary, until the store confirms it
    names_pid, side_pids = 0, [0, 0]
    early.unlink(missing_ok=True)
    for folder in (store_tmp, names_tmp, listings_tmp, summary_tmp):
        shutil.rmtree(folder, ignore_errors=True)
    counter = ThreadPoolExecutor(1)
    reader: subprocess.Popen[str] | None = None
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
        # the triple count scans the whole store in Rust, without the GIL: in a thread, on
        # the CPU the validation leaves idle (it keeps about one core busy), ~8 s at 1M
        triples = counter.submit(len, store)
        # the few names not in the seed tables and the class counts, read beside the
        # validation by another process (here they would wait for the GIL it holds)
        reader = _start_store_reads(store_tmp)
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
            report.triples = triples.result()
            others, report.class_counts = _read_store_reads(reader)  # the names: indexed below
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
            if (summary_tmp / SUMMARY_FILE).is_file():  # precomputed (no registry rows)
                os.replace(summary_tmp / SUMMARY_FILE, early)
            # the graphs it belongs to (their identities do not change when they move)
            name_graphs(listings_tmp / LISTINGS_FILE, [nq_tmp, store_tmp])
            del store  # closes the store before it moves
            os.replace(names_tmp / INDEX_FILE, out / INDEX_FILE)
            os.replace(listings_tmp / LISTINGS_FILE, out / LISTINGS_FILE)
            os.replace(nq_tmp, out / "graph.nq")
            for stale in ("graph.ttl", "graph.jsonld"):
                (out / stale).unlink(missing_ok=True)
            shutil.rmtree(out / "store", ignore_errors=True)
            os.replace(store_tmp, out / "store")
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
        counter.shutdown()  # (waits for the count: the store's files are removed below)
        if reader is not None and reader.poll() is None:  # an earlier stage failed
            reader.kill()
            reader.communicate()
        _stop([names_pid, *side_pids])  # an earlier stage failed: not wanted
        nq_tmp.unlink(missing_ok=True)
        nt_tmp.unlink(missing_ok=True)
        for folder in (names_tmp, listings_tmp, summary_tmp, store_tmp):
            shutil.rmtree(folder, ignore_errors=True)
    (out / SUMMARY_FILE).unlink(missing_ok=True)  # an earlier build's: never read again
    if options.gap_reports is False:
        return report
    task = stage("gaps")
    with timed(report, "gaps"):  # the analysis once, its answers and report: the gap summary
        store = ox.Store.read_only(str(out / "store"))
        # the summary the child computed from the tables, if the store gives the answers it
        # asked of the tables' partial graph, with the panoramas asked of the store (the
        # child has no reference data); else the analysis here, as the child ran it
        panoramas = Answers(recording=True)
        if early.is_file():
            panorama_status(store, summary=panoramas)
        if confirm_summary(early, store, out / SUMMARY_FILE, [out / "store"], panoramas):
            answers = summary_for(out / "store")  # holds the composed report: read back
        else:
            with gc_paused():
                answers = TableAnswers(seeds)  # the heavy answers from the tables, the rest
                gap_report_data(store, summary=answers)  # recorded
                if asked := panoramas.get(PANORAMA_QUERY, {}):  # (not asked twice)
                    answers.put(PANORAMA_QUERY, {}, asked)
                panorama_status(store, summary=answers)  # recorded too
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
    return report


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
    from chainkg.gaps.early import gc_paused

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
        detail = error.read_text() if error.is_file() else f"status {status}"
        raise RuntimeError(f"{what} worker {pid} failed: {detail}")


def _stop(pids: list[int]) -> None:
    """Stop the writer children still running (an earlier stage failed)."""
    for pid in pids:
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _start_store_reads(path: Path) -> subprocess.Popen[str]:
    """A child Python reading the compacted store at `path` (read-only, while this process
    validates it) for the names only the store has (`other_name_rows`) and the class
    counts (`class_counts_store`): ~2 + 1.7 s at 1M. A plain subprocess: a fork would copy
    this process's open store and its threads' locks."""
    code = "from chainkg.stream import _store_reads_main; _store_reads_main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _store_reads_main() -> None:
    """Entry point of `_start_store_reads`' child: JSON on stdout."""
    store = ox.Store.read_only(sys.argv[1])
    names = list(other_name_rows(store))
    json.dump({"names": names, "classes": class_counts_store(store)}, sys.stdout)


def _read_store_reads(reader: subprocess.Popen[str]) -> tuple[list[Row], dict[str, int]]:
    """What `_start_store_reads`' child found; RuntimeError with its stderr if it failed."""
    out, err = reader.communicate()
    if reader.returncode:
        raise RuntimeError(f"store reader failed (exit {reader.returncode}): {err}")
    answer = json.loads(out)
    return [(e, n, k, t) for e, n, k, t in answer["names"]], answer["classes"]


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
