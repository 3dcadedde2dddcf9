"""The build, end to end: `build(seeds_dir, out_dir) -> BuildReport`.

Stages (each its own module, one public function):
    tables.load_seeds      seeds folder        -> Seeds (validated tables, articles)
    evidence.check_evidence Seeds              -> every quote found in its article
    assemble.assemble      Seeds               -> quads (one named graph per source)
    validate.validate      quads               -> SHACL report (fails the build; above
                                                  PYSHACL_MAX_QUADS validate.validate_store)
    gaps.gap_report_data   store               -> the gap analysis (one, for reports and site),
                                                  recording the answers it reads
    viz.site.render_site   store + the analysis -> the whole site (views, gap reports,
                                                  exports), in memory
    write.write_outputs    quads               -> out/graph.nq, graph.ttl, graph.jsonld
    search.build_index     names.seed_name_rows -> out/names.sqlite (the name index)
    listings.write_listings Seeds              -> out/listings.sqlite (long listings, paged)
    aggregates.write_summary the recorded answers -> out/gaps.sqlite (the gap summary)
    viz.site.write_site    the site            -> out/site/, written at once
SHACL runs in a forked process while the analysis and the views are computed (they write
nothing), so its seconds overlap theirs. Bad input raises SeedError and a non-conforming graph
raises ValidationFailed, both before anything is written, so the previous outputs stay as they
were.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rich.progress import Progress

from chainkg.aggregates import SUMMARY_FILE, write_summary
from chainkg.assemble import assemble
from chainkg.errors import ValidationFailed
from chainkg.evidence import check_evidence
from chainkg.gaps import gap_report_data
from chainkg.gaps.tables import TableAnswers
from chainkg.listings import LISTINGS_FILE, write_listings
from chainkg.mapping_panorama import REFERENCE_CLASSES, reference_node_prefixes
from chainkg.names import other_name_rows, seed_name_rows
from chainkg.queries import run_query
from chainkg.report import BuildOptions, BuildReport, timed
from chainkg.search import INDEX_FILE, build_index
from chainkg.store import store_from_quads
from chainkg.stream import build_streaming
from chainkg.tables import load_seeds
from chainkg.vocab import CKG_IRI, ONTOLOGY_IRI
from chainkg.write import write_outputs
from chainkg_viz.analysis import analyse
from chainkg_viz.site import render_site, write_site

if TYPE_CHECKING:  # imported when used: only the process that validates needs pyshacl
    from chainkg.validate import Trusted

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{ONTOLOGY_IRI}> && STRSTARTS(STR(?class), "{CKG_IRI}"))
}} GROUP BY ?class ORDER BY ?class
"""


LARGE_ENTERPRISES = 20_000  # more rows than this in enterprises.csv: the streaming build
# Above this many quads the small path checks SHACL as the large one does: the shapes
# compiled to SPARQL over an in-memory store, every node (`validate.validate_store`; pyshacl
# on a sample), when they compile whole. pyshacl over the whole graph took 168 s of a
# 10,000-row registry build (460k quads) against ~10 CPU-s for the compiled checks; the
# example data set (46k quads) stays with pyshacl, the reference implementation.
PYSHACL_MAX_QUADS = 100_000


def is_large(seeds_dir: Path | str) -> bool:
    """Whether enterprises.csv and the registry exports (seeds/registry/*.csv) hold more than
    LARGE_ENTERPRISES firms together: enterprises.csv's data rows, and the exports' distinct
    credit codes (their first column, as `chainkg import enterprises` writes them: a firm in
    two yearly exports is one firm, `registry.latest_rows`)."""
    root = Path(seeds_dir)
    lines = 0
    enterprises = root / "enterprises.csv"
    if enterprises.is_file():
        with open(enterprises, "rb") as handle:
            while chunk := handle.read(1 << 22):
                lines += chunk.count(b"\n")
                if lines > LARGE_ENTERPRISES + 1:
                    return True
        lines -= 1  # the heading line
    codes: set[bytes] = set()
    for path in sorted((root / "registry").glob("*.csv")):
        with open(path, "rb") as handle:
            next(handle, None)  # the heading line
            for line in handle:
                codes.add(line.split(b",", 1)[0].strip().upper())
                if lines + len(codes) > LARGE_ENTERPRISES:
                    return True
    return False


def build(
    seeds_dir: Path | str,
    out_dir: Path | str = "out",
    base_iri: str | None = None,
    on_stage: Callable[[str], None] | None = None,
    large: bool | None = None,
    progress: Progress | None = None,
    full_shacl: bool = False,
    shapes: Path | None = None,
    gap_reports: bool | None = None,
) -> BuildReport:
    """Build the graph from a seeds folder into out_dir; see the module docstring. The one
    entry point of both build paths (see `report.BuildOptions` for the options).

    `large` (default: `is_large(seeds_dir)`) switches to `chainkg.stream.build_streaming`:
    N-Quads, an on-disk store and the gap reports, without Turtle, JSON-LD and the site;
    `progress` (a rich Progress, started here while the build runs) shows its stages as bars.
    The small path reports its stages through `on_stage` only (no live display: it forks
    SHACL, which must not happen while a display thread holds locks)."""
    options = BuildOptions(base_iri, on_stage, shapes, full_shacl, progress, gap_reports)
    if large if large is not None else is_large(seeds_dir):
        with progress or contextlib.nullcontext():
            return build_streaming(seeds_dir, out_dir, options)
    return _build_small(seeds_dir, Path(out_dir), options)


def _build_small(seeds_dir: Path | str, out_dir: Path, options: BuildOptions) -> BuildReport:
    """The stages of the module docstring, in memory."""
    started = time.perf_counter()
    report = BuildReport(out_dir)
    notify = options.notify

    notify("load")
    with timed(report, "load"):
        seeds = load_seeds(seeds_dir, options.base_iri)
        report.superseded_rows = len(seeds.registry_superseded)
    notify("evidence")
    with timed(report, "evidence"):
        report.quotes_checked = check_evidence(seeds)
    notify("assemble")
    with timed(report, "assemble"):
        quads = list(dict.fromkeys(assemble(seeds)))
        report.quads = len(quads)
        report.triples = len({q.triple for q in quads})
    notify("validate")
    report.seconds["validate"] = 0.0  # filled in when SHACL is done
    # the reference nodes hold their shapes by construction (mapping_panorama)
    trusted = None if options.full_shacl else reference_trust(seeds.config.base_iri)
    with _background(_validate, quads, options.shapes, trusted) as shacl:
        store = store_from_quads(quads)
        notify("gaps")
        with timed(report, "gaps"):
            answers = TableAnswers(seeds)  # the heavy answers from the tables, the rest recorded
            analysis = gap_report_data(store, summary=answers)
        notify("site")
        with timed(report, "site"):
            # (the panoramas asked here are recorded in the answers, for the summary)
            pages = render_site(store, analyse(store, analysis, answers))
        report.conforms, report.violations, text, report.seconds["validate"] = shacl.result()
    if not report.conforms:
        raise ValidationFailed(text)
    notify("write")
    with timed(report, "write"):
        report.files = write_outputs(quads, report.out_dir, seeds.config.base_iri)
    notify("names")
    with timed(report, "names"):
        rows = chain(seed_name_rows(seeds), other_name_rows(store))
        graph = report.files["graph.nq"]
        report.files[INDEX_FILE] = build_index(rows, report.out_dir / INDEX_FILE, graph)
    notify("listings")
    with timed(report, "listings"):
        graphs = [p for n, p in report.files.items() if n.startswith("graph.")]
        report.files[LISTINGS_FILE] = write_listings(seeds, out_dir / LISTINGS_FILE, graphs)
    with timed(report, "gaps"):  # for the graph files just written
        graphs = [p for n, p in report.files.items() if n.startswith("graph.")]
        report.files[SUMMARY_FILE] = write_summary(answers, out_dir / SUMMARY_FILE, graphs)
    with timed(report, "site"):
        site = report.out_dir / "site"
        for path in write_site(pages, site):
            if path.parent.name == "gaps":
                report.files[f"site/gaps/{path.name}"] = path
        report.files["site"] = site
    notify("count")
    with timed(report, "count"):
        report.class_counts = class_counts(store)
    report.elapsed = round(time.perf_counter() - started, 3)
    return report


def reference_trust(base: str) -> Trusted:
    """The reference nodes as `validate.Trusted` (see `mapping_panorama.REFERENCE_CLASSES`)."""
    from chainkg.validate import Trusted

    return Trusted(reference_node_prefixes(base), REFERENCE_CLASSES)


def _validate(
    quads: list[ox.Quad], shapes: Path | None, trusted: Trusted | None = None
) -> tuple[bool, int, str, float]:
    """SHACL on the quads (against `shapes`, default the packaged shapes; `trusted`: see
    `validate.validate`; above PYSHACL_MAX_QUADS the compiled checks, which check every
    node, trusted or not): conforms, violations, report text, seconds. (Imported here: only
    the process that validates needs pyshacl.)"""
    from chainkg.validate import SHAPES_FILE, compile_shapes, validate, validate_store

    start = time.perf_counter()
    shapes = shapes or SHAPES_FILE
    if len(quads) > PYSHACL_MAX_QUADS and not compile_shapes(shapes)[1]:
        shacl = validate_store(store_from_quads(quads), shapes)
    else:
        shacl = validate(quads, shapes, trusted)
    return shacl.conforms, shacl.violations, shacl.text, round(time.perf_counter() - start, 3)


def _can_fork() -> bool:
    """Whether a stage may run in a forked process: a second CPU, and no other thread that
    could hold a lock at the fork."""
    return (
        (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


@contextmanager
def _background(func: Callable[..., Any], *args: Any) -> Iterator[_Forked | _Inline]:
    """`func(*args)` in a forked process when `_can_fork()`, else when its result is asked
    for; a child still running when the block exits (on an error) is stopped."""
    task = _Forked(func, *args) if _can_fork() else _Inline(func, *args)
    try:
        yield task
    finally:
        task.stop()


class _Inline:
    """`func(*args)`, run by `result()`."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self._call = lambda: func(*args)

    def result(self) -> Any:
        return self._call()

    def stop(self) -> None:
        pass


class _Forked:
    """`func(*args)` in a forked child process (the arguments are inherited, not pickled);
    `result()` waits for its return value or raises its exception."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # else the child flushes the same text again
            stream.flush()
        self._process = context.Process(target=_run, args=(send, func, args), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            ok, value = self._receive.recv()
        except EOFError:
            ok, value = False, None
        finally:
            self._receive.close()
            self._process.join()
        if not ok:
            raise value or RuntimeError(f"worker process died ({self._process.exitcode})")
        return value

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _run(send: Any, func: Callable[..., Any], args: tuple) -> None:
    try:
        send.send((True, func(*args)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        send.send((False, exc))


def class_counts(store: ox.Store) -> dict[str, int]:
    """Instances per ckg class in the data (ontology graph excluded)."""
    rows = run_query(store, _CLASS_COUNTS).rows
    return {iri[len(CKG_IRI) :]: int(n) for iri, n in rows}
