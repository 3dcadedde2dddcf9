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
  the input (none when every row is good).
With `strict=True` any problem imports nothing (SeedError, nothing written). The graph itself
is only rebuilt by `chainkg build`, which leaves the previous outputs intact if it fails.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date as date_type
from pathlib import Path

import pandas as pd

from chainkg.config import load_config
from chainkg.errors import SeedError, SeedProblem
from chainkg.reference import load_reference
from chainkg.registry import (
    ADDRESS,
    CAPITAL,
    CREDIT_CODE,
    FIRST_DATA_ROW,
    FOUNDED,
    HEADINGS,
    INDUSTRY,
    LEGAL_REP,
    NAME,
    SCOPE,
    STATUS,
    RegistryReadError,
    credit_code_of,
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
    try:
        parsed = read_registry(file, load_reference(), encoding, mapping)
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
    later, earlier = _other_exports(seeds, others, when)
    codes = [r.credit_code for r in good]
    outdated = sum(code in later for code in codes)
    updating = sum(code in earlier and code not in later for code in codes)
    changes_file, changes = None, 0
    if earlier:  # the firms as the earlier exports leave them, against this one's rows
        at = _positions(keep)
        fresh = [(c, _compared(at, r)) for c, r in zip(codes, rows, strict=True)]
        lines = _changes(fresh, earlier, later)
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


# the cells compared between exports (`_changes`), and the columns of the changes file
COMPARED = (NAME, STATUS, FOUNDED, CAPITAL, ADDRESS, INDUSTRY, SCOPE)
CHANGE_COLUMNS = (CREDIT_CODE, NAME, "变化 change", "字段 field", "原值 before", "新值 after")
NEW_FIRM, CHANGED, LEFT_OUT = "新增 new firm", "变更 changed", "本次未列 not in this export"
_NAME_AT = COMPARED.index(NAME)


def _registry_sources(sources: list[dict[str, str]], sid: str) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of sources.csv's other registry exports than `sid` (`sources`: its rows)."""
    return [(i, r) for i, r in enumerate(sources) if r.get("kind") == "registry" and r["id"] != sid]


Compared = tuple[str | None, ...]  # a row's COMPARED cells (None: the export has no column)


def _positions(headings: list[str]) -> tuple[int | None, ...]:
    """Where an export's row holds each COMPARED cell (None: no such column)."""
    return tuple(headings.index(h) if h in headings else None for h in COMPARED)


def _compared(at: tuple[int | None, ...], cells: list[str]) -> Compared:
    """A row's COMPARED cells (`at`: `_positions`), as a tuple: a million of them are held
    at once, and a dict each took ~1 GB more."""
    return tuple(None if i is None or i >= len(cells) else cells[i].strip() for i in at)


def _other_exports(
    seeds: Path, others: list[tuple[int, dict[str, str]]], when: str
) -> tuple[set[str], dict[str, Compared]]:
    """The data set's other registry exports (`_registry_sources`), against an export dated
    `when`: the credit codes of the later ones, and each code's row (its COMPARED cells) in
    the latest of the earlier or same-day ones (`registry.latest_rows`' order: the new
    export is registered last, so it wins a tie of dates)."""
    later: set[str] = set()
    earlier: dict[str, Compared] = {}
    ranked = sorted(others, key=lambda x: (x[1].get("date") or "", x[0]))
    for _line, other in ranked:
        file = seeds / other["file"]
        if not file.is_file():
            continue
        with open(file, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            headings = next(reader, [])
            if CREDIT_CODE not in headings:
                continue
            code_at = headings.index(CREDIT_CODE)
            if (other.get("date") or "") > when:
                later.update(credit_code_of(r[code_at]) for r in reader if len(r) > code_at)
                continue
            at = _positions(headings)
            for r in reader:
                if len(r) > code_at:
                    earlier[credit_code_of(r[code_at])] = _compared(at, r)
    return later, earlier


def _changes(
    rows: list[tuple[str, Compared]], earlier: dict[str, Compared], later: set[str]
) -> list[list[str]]:
    """What an export's rows (credit code, cells) change against the firms' rows in the
    earlier exports: a line per new firm, per changed cell (the cells both exports
    have), then per firm of the earlier exports this one leaves out (a firm left out is not
    gone: only its 登记状态 says so). A row a later export holds changes nothing."""
    lines: list[list[str]] = []
    for code, cells in rows:
        if code in later:
            continue
        before = earlier.get(code)
        name = cells[_NAME_AT] or ""
        if before is None:
            lines.append([code, name, NEW_FIRM, "", "", ""])
            continue
        for heading, old, new in zip(COMPARED, before, cells, strict=True):
            if old is not None and new is not None and old != new:
                lines.append([code, name, CHANGED, heading, old, new])
    held = {code for code, _cells in rows}
    for code, before in earlier.items():
        if code not in held:
            lines.append([code, before[_NAME_AT] or "", LEFT_OUT, "", "", ""])
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
