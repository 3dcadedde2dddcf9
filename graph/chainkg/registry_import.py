"""Import a registry export into a data set: `import_enterprises(file, seeds_dir) -> ImportReport`.

Reads and checks the export (`registry.read_registry`), refuses rows that conflict with the
data set's enterprises (`registry.match_records`), then:
- writes the good rows to `seeds/registry/<name>.csv` (UTF-8, the standard headings; the
  法定代表人 column only when the data set opts in with `[registry] store_persons = true`),
  never over another source's file (`_source_and_file`: next year's export under the same
  name is a new source, with its date in its id);
- registers that file in `sources.csv` as a source of kind `registry`, with its date (a
  credit code in two exports is one firm, and the later export's row its record:
  `registry.latest_rows`; the report counts the rows that update, are outdated or are new);
- writes the bad rows, each with its row, field and problem, to `<input>.rejects.csv` beside
  the input (none when every row is good);
- beside earlier exports, writes what this one changes to `<input>.changes.csv`: a line per
  new firm, per changed field (by the build's rule, `registry.latest_rows`) and per firm of
  the earlier exports it leaves out.
With `strict=True` any problem imports nothing (SeedError, nothing written). The graph itself
is only rebuilt by `chainkg build`, which leaves the previous outputs intact if it fails.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date as date_type
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from chainkg.config import load_config
from chainkg.errors import SeedError, SeedProblem
from chainkg.reference import Reference, load_reference
from chainkg.registry import (
    CREDIT_CODE,
    FIRST_DATA_ROW,
    HEADINGS,
    LEGAL_REP,
    NAME,
    RegistryFile,
    RegistryReadError,
    credit_code_of,
    latest_rows,
    match_records,
    parse_date,
    read_registry,
)
from chainkg.write import atomic_write

REGISTRY_DIR = "registry"
SOURCE_COLUMNS = (
    "id",
    "file",
    "headline",
    "publisher",
    "date",
    "date_basis",
    "date_evidence",
    "summary_en",
    "kind",
)


@dataclass
class ImportReport:
    """What an import did."""

    source_id: str
    kept: Path | None
    imported: int
    rejected: int
    reject_file: Path | None
    problems: list[SeedProblem] = field(default_factory=list)
    # imported rows whose credit code an earlier export of the data set holds: this row is
    # now the firm's record (`registry.latest_rows`)
    updating: int = 0
    # imported rows whose credit code a later export holds: that export's row stands
    outdated: int = 0
    # imported rows whose credit code no other export holds (None: there is no other)
    new_firms: int | None = None
    # what this export changes against the earlier ones, one line per new firm, changed
    # field or firm it leaves out (`<input>.changes.csv`; None: no earlier export)
    changes_file: Path | None = None
    changes: int = 0


def source_id_for(path: Path) -> str:
    """A source id from a file name: `registry-` + its ASCII slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return f"registry-{slug}" if slug else "registry-export"


def import_enterprises(
    file: Path | str,
    seeds_dir: Path | str,
    *,
    strict: bool = False,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
    date: str | None = None,
    source_id: str | None = None,
    title: str | None = None,
) -> ImportReport:
    """Import a registry export into a seeds folder; see the module docstring."""
    file, seeds = Path(file), Path(seeds_dir)
    when = _export_date(file, date)  # (checked first: the later export's rows win)
    config = load_config(seeds)
    mapping = {**dict(config.registry_columns), **(columns or {})}
    reference = load_reference()
    try:
        parsed = read_registry(file, reference, encoding, mapping)
    except RegistryReadError as exc:
        raise SeedError(exc.problems) from None
    sources = _sources(seeds)  # (as before this import)
    sid, kept = _source_and_file(seeds, sources, file, source_id, when)
    records = [(sid, r) for r in parsed.records]
    enterprises = _enterprises(seeds)
    conflicts = [
        SeedProblem(str(file), p.line, p.field, p.message, p.hint)
        for p in match_records(records, enterprises)[1]
    ]
    problems = sorted(parsed.problems + conflicts, key=lambda p: (p.line or 0, p.field or ""))
    if strict and problems:
        raise SeedError(problems)
    bad = {p.line for p in problems}
    good = [r for r in parsed.records if r.row not in bad]
    keep = [h for h in HEADINGS if h in parsed.headings]
    if not config.registry_persons and LEGAL_REP in keep:
        keep.remove(LEGAL_REP)
    index = {h: i for i, h in enumerate(parsed.headings)}
    rows = [[_cell(parsed.cells[r.row], index[h]) for h in keep] for r in good]
    atomic_write(kept, _csv_bytes([keep, *rows]))
    reject_file = None
    if problems:
        reject_file = file.with_name(f"{file.stem}.rejects.csv")
        head = ["row", "field", "problem", *parsed.headings]
        lines = [
            [
                str(p.line or ""),
                p.field or "",
                f"{p.message}. {p.hint}",
                *parsed.cells.get(p.line, []),
            ]
            for p in problems
        ]
        atomic_write(reject_file, _csv_bytes([head, *lines]))
    others = _registry_sources(sources, sid)
    found = _other_exports(seeds, others, when, reference)
    earlier = {r.credit_code for f in found.earlier.values() for r in f.records}
    codes = [r.credit_code for r in good]
    outdated = sum(code in found.later for code in codes)
    updating = sum(code in earlier and code not in found.later for code in codes)
    changes_file, changes = None, 0
    if earlier:  # the firms as the earlier exports leave them, against this one's rows
        lines = _changes(sid, replace(parsed, records=good), when, found)
        changes_file, changes = file.with_name(f"{file.stem}.changes.csv"), len(lines)
        atomic_write(changes_file, _csv_bytes([list(CHANGE_COLUMNS), *lines]))
    _register(seeds, sid, kept, when, bool(date), title, len(good), len(bad - {None}))
    return ImportReport(
        sid,
        kept,
        len(good),
        len(bad - {None}),
        reject_file,
        problems,
        updating,
        outdated,
        len(codes) - updating - outdated if others else None,
        changes_file,
        changes,
    )


def _source_and_file(
    seeds: Path, sources: list[dict[str, str]], file: Path, source_id: str | None, when: str
) -> tuple[str, Path]:
    """The source id and the kept file of an import; a new export never takes another's
    place. The id from the file's name (`source_id_for`) is reused by an export of the same
    date only (a corrected file: it replaces that one); of another date (next year's export
    under the same name) it gets the date appended. A kept file name another source holds
    gets the date appended, or else the source id (`sources`: sources.csv's rows)."""
    dates = {r["id"]: r.get("date") or "" for r in sources}
    sid = source_id or source_id_for(file)
    if source_id is None and sid in dates and dates[sid] != when:
        sid = f"{sid}-{when}"
    name = f"{REGISTRY_DIR}/{file.stem}.csv"
    owners = {r.get("file") or "": r["id"] for r in sources}
    for other in (f"{file.stem}-{when}", f"{file.stem}-{sid}"):
        if owners.get(name, sid) == sid:
            break
        name = f"{REGISTRY_DIR}/{other}.csv"
    return sid, seeds / name


def _sources(seeds: Path) -> list[dict[str, str]]:
    """The rows of the data set's sources.csv (none without the file)."""
    path = seeds / "sources.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _export_date(file: Path, date: str | None) -> str:
    """The export's date as sources.csv keeps it (ISO): `date` as given (YYYY-MM-DD, YYYY-MM,
    YYYY, or a printed form such as 2025/6/30 or 2025年6月30日), else today."""
    if date is None:
        return date_type.today().isoformat()
    if re.fullmatch(r"\d{4}(-\d{2})?", date.strip()):
        return date.strip()
    iso = parse_date(date)
    if iso is None:
        raise SeedError(
            [
                SeedProblem(
                    str(file),
                    None,
                    "--date",
                    f"'{date}' is not a date",
                    "Give the date of the export as YYYY-MM-DD (of two exports holding a "
                    "firm, the later one's row is its record)",
                )
            ]
        )
    return iso


CHANGE_COLUMNS = (CREDIT_CODE, NAME, "变化 change", "字段 field", "原值 before", "新值 after")
NEW_FIRM, CHANGED, LEFT_OUT = "新增 new firm", "变更 changed", "本次未列 not in this export"


def _registry_sources(sources: list[dict[str, str]], sid: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of sources.csv's other registry exports than `sid` (`sources`: its rows)."""
    return [(i, r) for i, r in enumerate(sources) if r.get("kind") == "registry" and r["id"] != sid]


class _Others(NamedTuple):
    """The data set's other registry exports, against an export of a given date."""

    later: set[str]  # the credit codes of the later ones
    earlier: dict[str, RegistryFile]  # source id -> the earlier or same-day ones, read
    ranks: dict[str, tuple[str, int]]  # their ranks (`registry.latest_rows`)


def _other_exports(
    seeds: Path, others: list[tuple[int, dict[str, str]]], when: str, reference: Reference
) -> _Others:
    """The data set's other registry exports (`_registry_sources`) against an export dated
    `when`: the later ones' credit codes, and the earlier or same-day ones read (the new
    export is registered last, so it wins a tie of dates)."""
    found = _Others(set(), {}, {})
    for line, other in others:
        file, date = seeds / other["file"], other.get("date") or ""
        if not file.is_file():
            continue
        if date > when:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                headings = next(reader, [])
                if CREDIT_CODE in headings:
                    at = headings.index(CREDIT_CODE)
                    found.later.update(credit_code_of(r[at]) for r in reader if len(r) > at)
            continue
        try:
            found.earlier[other["id"]] = read_registry(file, reference)
        except RegistryReadError:
            continue  # (not an export the build could read either)
        found.ranks[other["id"]] = (date, line)
    return found


def _changes(sid: str, export: RegistryFile, when: str, others: _Others) -> list[list[str]]:
    """What an export's rows change against the firms' rows in the earlier exports, by the
    build's rule (`registry.latest_rows`): a line per new firm, per changed field, then per
    firm of the earlier exports this one leaves out (a firm left out is not gone: only its
    登记状态 says so). A row a later export holds changes nothing."""
    top = max((line for _date, line in others.ranks.values()), default=0) + 1
    latest = latest_rows({**others.earlier, sid: export}, {**others.ranks, sid: (when, top)})
    lines: list[list[str]] = []
    for rec in export.records:
        if rec.credit_code in others.later:
            continue
        if (sid, rec.row) in latest.new_rows:
            lines.append([rec.credit_code, rec.name, NEW_FIRM, "", "", ""])
        elif (sid, rec.row) in latest.changes:
            for change in latest.changes[(sid, rec.row)].fields:
                lines.append([rec.credit_code, rec.name, CHANGED, *change])
    for source in sorted(others.earlier, key=others.ranks.__getitem__):
        for rec in latest.files[source].records:  # (the firms this export does not hold)
            lines.append([rec.credit_code, rec.name, LEFT_OUT, "", "", ""])
    return lines


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _enterprises(seeds: Path) -> list[dict[str, str]]:
    path = seeds / "enterprises.csv"
    if not path.is_file():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in ("credit_code", "aliases", "label_zh"):
        if column not in frame.columns:
            frame[column] = ""
    return frame.to_dict("records")


def _register(
    seeds: Path,
    sid: str,
    kept: Path,
    date: str,
    printed: bool,
    title: str | None,
    imported: int,
    rejected: int,
) -> None:
    """Add (or replace) the export's row in sources.csv, adding the columns it lacks (kind,
    or date: which of two exports is the later)."""
    path = seeds / "sources.csv"
    rows: list[dict[str, str]] = []
    header = list(SOURCE_COLUMNS)
    if path.is_file():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or SOURCE_COLUMNS)
            rows = [row for row in reader if row["id"] != sid]
    header += [c for c in SOURCE_COLUMNS if c not in header]  # (kind, date: the rule's)
    rows.append(
        {
            "id": sid,
            "file": f"{REGISTRY_DIR}/{kept.name}",
            "headline": title or f"工商登记导出 {kept.stem}",
            "publisher": "",
            "date": date,
            "date_basis": "printed" if printed else "inferred",
            "date_evidence": "date of the export, given with --date"
            if printed
            else "date of the import (no --date given)",
            "summary_en": f"Enterprise-registry export imported by chainkg: {imported} rows"
            + (f" ({rejected} rejected)" if rejected else ""),
            "kind": "registry",
        }
    )
    atomic_write(path, _csv_bytes([header, *([r.get(h, "") for h in header] for r in rows)]))


__all__ = ["FIRST_DATA_ROW", "ImportReport", "import_enterprises", "source_id_for"]
