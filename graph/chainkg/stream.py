"""The large-graph path: assemble N-Quads *text* and bulk-load it into an on-disk store.

`assemble.assemble` yields pyoxigraph objects; at ~20M quads creating those objects costs
~9 µs a quad (measured: 0.43 s for 48k quads with the dedupe), i.e. minutes. Here the same
mapping writes N-Quads lines directly (f-strings, ~1 µs a quad) in chunks, and Oxigraph's
bulk loader (Rust) parses them. `tests/test_scale.py` checks that both paths give the same
set of quads for the real seeds and for a synthetic data set, so the two stay in step.

Hand-written N-Quads escaping (not a library call) because pyoxigraph would need a Literal
object per value, which is the cost this module avoids; the escapes are the ECHAR set of the
N-Quads grammar that can occur in CSV text: backslash, double quote, newline, carriage return.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox
from rich.progress import Progress, TaskID

from chainkg import assemble as asm
from chainkg.errors import ValidationFailed
from chainkg.schema import TABLES
from chainkg.tables import Seeds, split_multi
from chainkg.vocab import CKG, CKG_IRI, ORG, QB

if TYPE_CHECKING:
    from chainkg.pipeline import BuildReport

_RDF, _RDFS, _SKOS, _DCT, _XSD = (
    asm._RDF,
    asm._RDFS,
    asm._SKOS,
    asm._DCT,
    asm._XSD,
)
# Shape constraints this module's mappers make true for every row that passed `load_seeds`
# and `check_evidence`, whatever the rows hold (so checking them over 20M triples would only
# re-check the code): the streaming build leaves them to the pyshacl sample, which still runs
# them on up to 50 nodes per class, and `build_streaming(full_shacl=True)` /
# `chainkg build --full-shacl` checks them over the whole store. Constraints that data can
# break (references to entities of the wrong class, a second locatedIn from a relation row,
# value ranges, years) are not listed and are checked over the whole store.
#   - Every Evidence node is `<evidence/{kind}.{row id}.{n}>`, made once by `with_evidence`
#     for the n-th source/quote pair of one row (ids are unique per table): exactly one
#     ckg:supports, ckg:quote (a non-empty "@zh" literal: empty quotes are refused by
#     check_evidence), ckg:source (a registered source: unknown ones are refused) and
#     ckg:assertionMode (from the `assertion` enum); a curator note whenever the mode is a
#     curator assertion (the loader requires `note` then).
#   - ckg:evidence on any class: every fact of a row gets one Evidence node per source, and
#     `source` is a required column; only rows' facts carry ckg:evidence.
#   - rdfs:label: `labels()` writes the required `label_zh` cell as a "@zh" literal (a
#     statistic's label is built from required cells); labels come from nowhere else.
#   - rdf:subject / rdf:predicate / rdf:object of a Relation: one IRI each, from the row's
#     required, resolved `subject`, `predicate` (enum) and `object` cells.
ASSEMBLY_GUARANTEES: tuple[tuple[str | None, str | None], ...] = (
    (str(CKG.Evidence), None),
    (None, str(CKG.evidence)),
    (None, _RDFS + "label"),
    (str(CKG.Relation), _RDF + "subject"),
    (str(CKG.Relation), _RDF + "predicate"),
    (str(CKG.Relation), _RDF + "object"),
)
CHUNK_ROWS = 20_000
GAP_REPORTS_MAX = 50_000  # enterprises; above, `chainkg gaps` on the store when needed


def iri(value: str) -> str:
    """An IRI term in N-Quads syntax."""
    return f"<{value}>"


def lit(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Quads syntax (xsd:string literals are written plain)."""
    # chained str.replace is C-speed; str.translate with a dict is ~10x slower on CJK text
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = f'"{text}"'
    if language:
        return f"{text}@{language}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


A = iri(_RDF + "type")
LABEL, PREF, ALT = iri(_RDFS + "label"), iri(_SKOS + "prefLabel"), iri(_SKOS + "altLabel")
DESCRIPTION = iri(_DCT + "description")
IDENTIFIER = iri(_DCT + "identifier")
INTEGER, DECIMAL, GYEAR = _XSD + "integer", _XSD + "decimal", _XSD + "gYear"
Line = str  # "subject predicate object" in N-Triples syntax, without the final " ."


@functools.cache
def _c(term: object) -> str:
    """An rdflib/ox term (or IRI string) as N-Triples text, computed once per term."""
    return iri(str(term))


# Every ckg term as N-Triples text, looked up as a plain attribute: `CKG.x` on the
# DefinedNamespace costs a __getattr__ call (~1 µs) per use, i.e. seconds per million rows.
K = SimpleNamespace(**{name: f"<{CKG_IRI}{name}>" for name in CKG.__annotations__})


class _TextBuilder:
    """The N-Quads twin of `assemble._RowBuilder`."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.base = seeds.config.base_iri
        self.kind = {e: TABLES[t].rdf_kind for e, t in seeds.table_of.items()}
        self.modes = {k: _c(v) for k, v in asm.ASSERTION_MODES.items()}
        self.node_prefix = {name: f"<{self.base}{t.rdf_kind}/" for name, t in TABLES.items()}
        self.evidence_prefix = {
            name: f"<{self.base}evidence/{t.rdf_kind}." for name, t in TABLES.items()
        }

    def entity(self, entity_id: str) -> str:
        return f"<{self.base}{self.kind[entity_id]}/{entity_id}>"

    def node(self, table: str, row_id: str) -> str:
        return f"{self.node_prefix[table]}{row_id}>"

    def labels(self, s: str, row: dict[str, str]) -> list[Line]:
        zh = lit(row["label_zh"], "zh")
        out = [f"{s} {LABEL} {zh}", f"{s} {PREF} {zh}"]
        if row.get("label_en"):
            en = lit(row["label_en"], "en")
            out += [f"{s} {LABEL} {en}", f"{s} {PREF} {en}"]
        if row["aliases"]:
            out += [f"{s} {ALT} {lit(a, 'zh')}" for a in split_multi(row["aliases"])]
        out.append(f"{s} {IDENTIFIER} {lit(row['id'])}")
        if row.get("description_en"):
            out.append(f"{s} {DESCRIPTION} {lit(row['description_en'], 'en')}")
        return out

    def ref(self, s: str, p: str, value: str) -> list[Line]:
        return [f"{s} {p} {self.entity(value)}"] if value else []

    def text(self, s: str, p: str, value: str) -> list[Line]:
        return [f"{s} {p} {lit(value)}"] if value else []

    def typed(self, s: str, p: str, value: str, datatype: str) -> list[Line]:
        return [f"{s} {p} {lit(value, datatype=datatype)}"] if value else []

    def with_evidence(
        self, table: str, row: dict[str, str], fact: str, body: list[Line]
    ) -> tuple[str, str]:
        """The row's N-Quads text (its triples and evidence in each source's graph) and its
        N-Triples text (the same triples once, for the default-graph store)."""
        mode = self.modes[row.get("assertion") or "stated"]
        note = row.get("note")
        ev_prefix = f"{self.evidence_prefix[table]}{row['id']}."
        triples = list(body)
        quads = []
        sources = split_multi(row["source"])
        for n, (source, quote) in enumerate(zip(sources, split_multi(row["quote"]), strict=True)):
            ev = f"{ev_prefix}{n + 1}>"
            evidence = [
                f"{fact} {K.evidence} {ev}",
                f"{ev} {A} {K.Evidence}",
                f"{ev} {K.supports} {fact}",
                f"{ev} {K.quote} {lit(quote, 'zh')}",
                f"{ev} {K.source} <{self.base}source/{source}>",
                f"{ev} {K.assertionMode} {mode}",
            ]
            if note:
                evidence.append(f"{ev} {K.curatorNote} {lit(note)}")
            end = f" <{self.base}graph/{source}> .\n"
            quads.append(end.join(body + evidence) + end)
            triples += evidence
        return "".join(quads), " .\n".join(triples) + " .\n"


TextMapper = Callable[[_TextBuilder, dict[str, str]], tuple[str, list[Line]]]


def assemble_text(
    seeds: Seeds, on_rows: Callable[[int], None] | None = None, part: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, str]]:
    """The quads of `assemble.assemble(seeds)` as (N-Quads, N-Triples) text chunks.

    N-Quads keep `assemble`'s order (no dedupe); N-Triples hold the same triples without
    graph names (a row's triples once however many sources it has; the store de-duplicates
    the rest). `on_rows(k)` is called after every chunk of k rows (for progress bars).
    `part=(i, n)` yields only chunks i, i+n, i+2n, ... (chunk 0 is the ontology and the
    source register, then CHUNK_ROWS rows of a table each), for `write_text`'s workers.
    """
    index, parts = part
    if index == 0:
        head = list(asm.ontology_quads()) + list(asm._register_quads(seeds))
        yield (
            ox.serialize(head, format=ox.RdfFormat.N_QUADS).decode("utf-8"),
            ox.serialize((q.triple for q in head), format=ox.RdfFormat.N_TRIPLES).decode(),
        )
    builder = _TextBuilder(seeds)
    chunk = 0
    for name in TABLES:
        if name == "sources" or name not in seeds.tables:
            continue
        mapper, evidence = _MAPPERS[name], builder.with_evidence
        frame = seeds.tables[name]
        columns = [str(c) for c in frame.columns]
        # plain column lists: pandas' to_dict("records") boxes every cell (~4x slower)
        cells = [frame[c].tolist() for c in columns]
        for start in range(0, len(frame), CHUNK_ROWS):
            chunk += 1
            if chunk % parts != index:
                continue
            nquads: list[str] = []
            ntriples: list[str] = []
            for values in zip(*(c[start : start + CHUNK_ROWS] for c in cells), strict=True):
                row = dict(zip(columns, values, strict=True))
                quad_text, triple_text = evidence(name, row, *mapper(builder, row))
                nquads.append(quad_text)
                ntriples.append(triple_text)
            yield "".join(nquads), "".join(ntriples)
            if on_rows:
                on_rows(len(nquads))


def assemble_nquads(seeds: Seeds, on_rows: Callable[[int], None] | None = None) -> Iterator[str]:
    """The quads of `assemble.assemble(seeds)` as N-Quads text chunks (same order, no dedupe)."""
    return (nquads for nquads, _ntriples in assemble_text(seeds, on_rows))


def _types(s: str, *classes: str) -> list[Line]:
    return [f"{s} {A} {c}" for c in classes]


def _place(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("places", row["id"])
    t = _types(s, K.Place, _c(asm.PLACE_CLASSES[row["kind"]])) + b.labels(s, row)
    return s, t + b.ref(s, K.partOf, row["part_of"])


def _organization(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("organizations", row["id"])
    cls = _c(asm.ORGANIZATION_CLASSES[row["kind"]])
    t = _types(s, K.Organization) + (_types(s, cls) if cls != K.Organization else [])
    return s, t + b.labels(s, row) + b.ref(s, K.locatedIn, row["located_in"])


_ENTERPRISE_TYPES = (K.Enterprise, _c(ORG.FormalOrganization))


def _enterprise(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("enterprises", row["id"])
    t = _types(s, *_ENTERPRISE_TYPES) + b.labels(s, row)
    return s, t + b.ref(s, K.locatedIn, row["located_in"])


_BOOLEAN = _XSD + "boolean"


def _chain(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("chains", row["id"])
    t = _types(s, K.IndustrialChain, iri(_SKOS + "ConceptScheme")) + b.labels(s, row)
    t += b.ref(s, K.territory, row["place"])
    if row["benchmark"]:
        value = "true" if row["benchmark"] == "yes" else "false"
        t.append(f"{s} {K.isBenchmark} {lit(value, datatype=_BOOLEAN)}")
    return s, t


def _segment(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("segments", row["id"])
    t = _types(s, K.ChainSegment, iri(_SKOS + "Concept")) + b.labels(s, row)
    t += [
        f"{s} {iri(_SKOS + 'inScheme')} {b.entity(row['chain'])}",
        f"{s} {K.order} {lit(row['order'], datatype=INTEGER)}",
        f"{s} {K.stage} {_c(asm.STAGES[row['stage']])}",
    ]
    return s, t


def _framework(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("frameworks", row["id"])
    t = _types(s, K.ClusterFramework) + b.labels(s, row)
    t += b.ref(s, K.territory, row["place"])
    t += b.typed(s, K.adoptedIn, row["year"], GYEAR)
    t += b.text(s, K.dateText, row["date"])
    for part in split_multi(row["declared_parts"]):
        role, count = part.split(":")
        p = iri(f"{b.base}declared-part/{row['id']}.{role}")
        t += [
            f"{s} {K.declaredPart} {p}",
            f"{p} {A} {K.DeclaredPart}",
            f"{p} {K.role} {_c(asm.ROLES[role])}",
            f"{p} {K.count} {lit(count, datatype=INTEGER)}",
        ]
    return s, t


def _membership(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("framework_members", row["id"])
    fw, member = b.entity(row["framework"]), b.entity(row["member"])
    return s, [
        f"{fw} {K.hasMember} {member}",
        f"{s} {A} {K.FrameworkMembership}",
        f"{s} {K.framework} {fw}",
        f"{s} {K.member} {member}",
        f"{s} {K.role} {_c(asm.ROLES[row['role']])}",
    ]


def _project(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("projects", row["id"])
    t = _types(s, K.InvestmentProject) + b.labels(s, row)
    t += b.ref(s, K.investor, row["investor"]) + b.ref(s, K.inChain, row["chain"])
    t += b.ref(s, K.locatedIn, row["site"])
    t += b.text(s, K.amountText, row["amount_text"])
    t += b.typed(s, K.amountYuan, row["amount_yuan"], DECIMAL)
    t += b.typed(s, K.landAreaMu, row["land_mu"], DECIMAL)
    t += b.text(s, K.capacityText, row["capacity_text"])
    if row["status"]:
        t.append(f"{s} {K.status} {_c(asm.STATUSES[row['status']])}")
    t += b.text(s, K.statusDate, row["status_date"])
    return s, t + b.typed(s, K.year, row["year"], GYEAR)


def _program(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("programs", row["id"])
    t = _types(s, K.GovernmentProgram, _c(asm.PROGRAM_CLASSES[row["kind"]]))
    t += b.labels(s, row) + b.ref(s, K.issuedBy, row["issuer"])
    t += [f"{s} {K.concerns} {b.entity(c)}" for c in split_multi(row["chains"])]
    t += b.text(s, K.dateText, row["date"])
    return s, t + b.typed(s, K.year, row["year"], GYEAR)


def _event(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("events", row["id"])
    t = _types(s, K.Event, _c(asm.EVENT_CLASSES[row["kind"]])) + b.labels(s, row)
    t += b.ref(s, K.locatedIn, row["place"]) + b.ref(s, K.organizedBy, row["organizer"])
    t += [f"{s} {K.concerns} {b.entity(c)}" for c in split_multi(row["chains"])]
    t += b.text(s, K.dateText, row["date"])
    return s, t + b.typed(s, K.year, row["year"], GYEAR)


_STATISTIC_TYPES = (K.Statistic, _c(QB.Observation))


def _statistic(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("statistics", row["id"])
    period = f" ({row['period']})" if row["period"] else ""
    qualifier = _c(asm.QUALIFIERS[row["value_qualifier"] or "exact"])
    label = lit(f"{row['indicator_zh']} {row['value_text']}{period}", "zh")
    t = _types(s, *_STATISTIC_TYPES) + [
        f"{s} {LABEL} {label}",
        f"{s} {K.about} {b.entity(row['subject'])}",
        f"{s} {K.indicator} {lit(row['indicator_zh'], 'zh')}",
        f"{s} {K.indicator} {lit(row['indicator_en'], 'en')}",
        f"{s} {K.value} {lit(row['value'], datatype=DECIMAL)}",
        f"{s} {K.valueQualifier} {qualifier}",
        f"{s} {K.unit} {lit(row['unit'])}",
        f"{s} {K.valueText} {lit(row['value_text'])}",
    ]
    t += b.text(s, K.period, row["period"]) + b.typed(s, K.year, row["year"], GYEAR)
    if row["flag"]:
        t.append(f"{s} {K.flag} {_c(asm.FLAGS[row['flag']])}")
    return s, t + b.text(s, K.flagNote, row["flag_note"])


_RELATION_TYPES = (K.Relation, iri(_RDF + "Statement"))
_RDF_SPO = (iri(_RDF + "subject"), iri(_RDF + "predicate"), iri(_RDF + "object"))


@functools.cache
def _predicate(name: str) -> str:
    return _c(asm.predicate_iri(name).value)


def _relation(b: _TextBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("relations", row["id"])
    subj, obj = b.entity(row["subject"]), b.entity(row["object"])
    pred = _predicate(row["predicate"])
    t = [f"{subj} {pred} {obj}", *_types(s, *_RELATION_TYPES)]
    t += [f"{s} {_RDF_SPO[0]} {subj}", f"{s} {_RDF_SPO[1]} {pred}", f"{s} {_RDF_SPO[2]} {obj}"]
    return s, t + b.text(s, K.roleText, row["role"]) + b.text(s, K.dateText, row["date"])


_MAPPERS: dict[str, TextMapper] = {
    "places": _place,
    "organizations": _organization,
    "enterprises": _enterprise,
    "chains": _chain,
    "segments": _segment,
    "frameworks": _framework,
    "framework_members": _membership,
    "projects": _project,
    "programs": _program,
    "events": _event,
    "statistics": _statistic,
    "relations": _relation,
}
assert set(_MAPPERS) == set(asm._ROW_MAPPERS), "every table needs a text mapper"


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
    Same `workers`, same bytes; any `workers`, the same set of quads."""
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
        open(nquads, "w", encoding="utf-8", newline="\n") as quad_file,
        open(ntriples, "w", encoding="utf-8", newline="\n") as triple_file,
    ):
        for quad_text, triple_text in assemble_text(seeds, on_rows, part):
            quad_file.write(quad_text)
            lines += quad_text.count("\n")
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
    seeds_dir: Path | str,
    out_dir: Path | str = "out",
    base_iri: str | None = None,
    on_stage: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    gap_reports: bool | None = None,
    full_shacl: bool = False,
) -> BuildReport:
    """The build for large seeds: text assembly bulk-loaded into an on-disk store -> store
    SHACL -> class counts -> gap reports (by default only up to GAP_REPORTS_MAX enterprises).

    Writes `out/graph.nq` (the assembled N-Quads, one named graph per source article; a quad
    repeated by two rows is written twice, which RDF readers merge), `out/store/` (the
    on-disk Oxigraph store: the merged, de-duplicated triples in its default graph only,
    for `chainkg query --graph out/store`) and the gap reports in `out/site/gaps/`.
    Turtle, JSON-LD and the HTML site are not written at this size (a stale `graph.ttl` or
    `graph.jsonld` from an earlier small build is removed): `chainkg export out/graph.ttl
    --graph out/store` writes Turtle from the store when someone needs it. SHACL runs over
    the whole store, except for the constraints in ASSEMBLY_GUARANTEES (checked on a sample)
    unless `full_shacl`.
    The graph files and the store change only if every stage up to validation succeeds.
    """
    from chainkg.evidence import check_evidence
    from chainkg.gaps import write_gap_reports
    from chainkg.pipeline import BuildReport, _timed
    from chainkg.tables import load_seeds
    from chainkg.validate import validate_store

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out)
    notify = on_stage or (lambda _stage: None)
    bar = progress or Progress(disable=True)

    def stage(name: str, total: float | None = None) -> TaskID:
        notify(name)
        return bar.add_task(name, total=total)

    task = stage("load")
    with _timed(report, "load"):
        seeds = load_seeds(seeds_dir, base_iri)
    bar.update(task, total=1, completed=1)
    task = stage("evidence")
    with _timed(report, "evidence"):
        report.quotes_checked = check_evidence(seeds)
    bar.update(task, total=1, completed=1)
    rows = sum(len(f) for n, f in seeds.tables.items() if n != "sources")
    task = stage("assemble", rows)
    nq_tmp, nt_tmp, store_tmp = out / ".graph.nq.tmp", out / ".graph.nt.tmp", out / ".store.tmp"
    shutil.rmtree(store_tmp, ignore_errors=True)
    try:
        with _timed(report, "assemble"):
            report.quads = write_text(seeds, nq_tmp, nt_tmp, on_rows=lambda k: bar.advance(task, k))
            bar.update(task, completed=rows)
        task = stage("bulk-load")  # no total: Oxigraph reports no progress
        with _timed(report, "bulk-load"):
            store = bulk_load(nt_tmp, store_tmp)
            nt_tmp.unlink()
        bar.update(task, total=1, completed=1)
        # Compacting the freshly bulk-loaded files pays for itself in the next stage alone
        # (1M enterprises: optimize 28 s, then SHACL 16 s; without it SHACL took 49 s), and
        # leaves the store fast for its users.
        task = stage("optimize")
        with _timed(report, "optimize"):
            store.optimize()
        bar.update(task, total=1, completed=1)
        task = stage("validate")
        with _timed(report, "validate"):
            shacl = validate_store(
                store,
                on_check=lambda _c: bar.advance(task),
                path=store_tmp,
                guaranteed=() if full_shacl else ASSEMBLY_GUARANTEES,
            )
            report.conforms, report.violations = shacl.conforms, shacl.violations
        bar.update(task, total=1, completed=1)
        if not shacl.conforms:
            raise ValidationFailed(shacl.text)
        task = stage("count")
        with _timed(report, "count"):
            report.triples = len(store)
            report.class_counts = class_counts_store(store)
        bar.update(task, total=1, completed=1)
        task = stage("write")
        with _timed(report, "write"):
            del store  # closes the store before it moves
            os.replace(nq_tmp, out / "graph.nq")
            for stale in ("graph.ttl", "graph.jsonld"):
                (out / stale).unlink(missing_ok=True)
            shutil.rmtree(out / "store", ignore_errors=True)
            os.replace(store_tmp, out / "store")
            report.files = {
                "graph.nq": out / "graph.nq",
                "store": out / "store",
            }
        bar.update(task, total=1, completed=1)
    finally:
        nq_tmp.unlink(missing_ok=True)
        nt_tmp.unlink(missing_ok=True)
        shutil.rmtree(store_tmp, ignore_errors=True)
    enterprises = report.class_counts.get("Enterprise", 0)
    if not (gap_reports if gap_reports is not None else enterprises <= GAP_REPORTS_MAX):
        return report
    task = stage("gaps")
    with _timed(report, "gaps"):
        store = ox.Store.read_only(str(out / "store"))
        for path in write_gap_reports(store, out / "site" / "gaps"):
            report.files[f"site/gaps/{path.name}"] = path
    bar.update(task, total=1, completed=1)
    return report


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
    rdf_type = ox.NamedNode(_RDF + "type")
    for triple in {q.triple for q in asm.ontology_quads()}:
        if triple.predicate == rdf_type and triple.object.value in counts:
            counts[triple.object.value] -= 1
    return {k[len(CKG_IRI) :]: n for k, n in sorted(counts.items()) if n > 0}
