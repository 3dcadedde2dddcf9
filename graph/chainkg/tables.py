"""Stage 1 — load and validate the seed tables: `load_seeds(seeds_dir) -> Seeds`.

Reads `dataset.toml`, `sources.csv`, the articles and every curated CSV (pandas, all cells as
strings), and checks them against `schema.TABLES`: columns, required cells, ids, enums,
numbers, references. Every problem is collected, then raised together as one `SeedError`
naming file, line and field. Quotes are checked in the next stage (`evidence`).
"""

from __future__ import annotations

import functools
import os
import re
import weakref
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from chainkg.config import DatasetConfig, load_config
from chainkg.errors import SeedError, SeedProblem
from chainkg.forked import Forked, fork_call
from chainkg.gc_pause import gc_paused
from chainkg.reference import REFERENCE_DIR, load_reference
from chainkg.registry import (
    FormerName,
    RegistryFile,
    RegistryReadError,
    RowChanges,
    latest_rows,
    match_records,
    read_registry,
)
from chainkg.schema import ID_PATTERN, MEMBER_ROLES, MULTI_SEPARATOR, TABLES, Column, Table

ARTICLES_DIR = "articles"
_ID_RE = re.compile(ID_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FIRST_DATA_LINE = 2  # line 1 is the header


@dataclass
class Seeds:
    """Validated seed tables, ready to assemble."""

    root: Path
    config: DatasetConfig
    tables: dict[str, pd.DataFrame]
    articles: dict[str, str]  # source id -> article text
    table_of: dict[str, str] = field(default_factory=dict)  # entity id -> table name
    source_kinds: dict[str, str] = field(default_factory=dict)  # source id -> kind
    registry: dict[str, RegistryFile] = field(default_factory=dict)  # source id -> rows
    # source id -> text of a reference or registry file (its quotes are checked against it)
    files: dict[str, str] = field(default_factory=dict)
    # (registry source id, row) -> the id of the enterprises row that registry row matched
    # (`registry.match_records`; an unmatched row is a new enterprise)
    registry_matches: dict[tuple[str, int], str] = field(default_factory=dict)
    # (registry source id, row) of a row a later export supersedes (same credit code; left
    # out of `registry`) -> the (source id, row) kept (`registry.latest_rows`)
    registry_superseded: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    # (registry source id, row) of a kept row -> the firm's other names in the rows it
    # supersedes, each with its row (written as aliases)
    registry_former_names: dict[tuple[str, int], tuple[FormerName, ...]] = field(
        default_factory=dict
    )
    # (registry source id, row) of a kept row -> what it changes against the firm's row in
    # the export before it; and the kept rows of firms new against the earlier exports
    registry_changes: dict[tuple[str, int], RowChanges] = field(default_factory=dict)
    registry_new_rows: frozenset[tuple[str, int]] = frozenset()

    @property
    def has_registry_rows(self) -> bool:
        """Whether a registry export holds a row: its enterprises, zone presences and
        placements follow `chainkg.mapping_panorama`'s rules, which the side tables built
        from the seed tables (the gap summary, the listings of ties) do not repeat (the
        enterprise listings read them, `chainkg.listings.rows`)."""
        return any(f.records for f in self.registry.values())

    def source_text(self, source: str) -> str | None:
        """The text a quote from this source is checked against (article or file)."""
        text = self.articles.get(source)
        return text if text is not None else self.files.get(source)

    def rows(self, table: str) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row) pairs of a table, in file order."""
        frame = self.tables.get(table)
        if frame is None:
            return
        # zip over plain column lists: pandas' to_dict("records") boxes every cell (~4x slower)
        columns = [str(c) for c in frame.columns]
        cells = [frame[c].tolist() for c in columns]
        for i, values in enumerate(zip(*cells, strict=True)):
            yield i + FIRST_DATA_LINE, dict(zip(columns, values, strict=True))

    def kind_of(self, entity_id: str) -> str:
        """IRI path segment of an id, e.g. 'enterprise'."""
        return TABLES[self.table_of[entity_id]].rdf_kind


T = TypeVar("T")
_SHARED: dict[tuple[int, str, tuple[Any, ...]], Any] = {}


def shared(func: Callable[..., T]) -> Callable[..., T]:
    """Memoise `func(seeds, *args)` while that Seeds object lives, so that what several
    readers of the same seeds derive from them (the presence in the zone, the listings'
    frames) is computed once per process. Callers must not modify what it returns."""
    return _memo(func, lambda seeds: seeds)


def shared_by_ids(func: Callable[..., T]) -> Callable[..., T]:
    """`shared`, for a function of `seeds.table_of` alone: also shared by the Seeds copies
    that keep that map (`dataclasses.replace(seeds, tables=...)`)."""
    return _memo(func, lambda seeds: seeds.table_of)


def _memo(func: Callable[..., T], on: Callable[[Seeds], object]) -> Callable[..., T]:
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(seeds: Seeds, *args: Any) -> T:
        # dropped when the Seeds object that asked first goes: what `on` gives lives as
        # long, so its id is not reused before
        key = (id(on(seeds)), name, args)
        if key not in _SHARED:
            _SHARED[key] = func(seeds, *args)
            weakref.finalize(seeds, _SHARED.pop, key, None)
        return _SHARED[key]

    return wrapper


def split_multi(cell: str) -> list[str]:
    """Split a `|`-separated cell; empty cell -> []."""
    if not cell:
        return []
    if MULTI_SEPARATOR not in cell:  # most cells: no list to build part by part
        return [cell.strip()]
    return [part.strip() for part in cell.split(MULTI_SEPARATOR)]


def is_member(column: pd.Series, members: Collection[str]) -> np.ndarray:
    """`column.isin(members)` as a boolean array, by set lookups: pandas hashes `members`
    again at every call, so testing 900,000 cells against the 1M enterprise ids took 0.81
    CPU-s against 0.21 (a dict's keys are its members, as for `isin`)."""
    lookup = members if isinstance(members, set | frozenset | dict) else set(members)
    return np.fromiter(map(lookup.__contains__, _cells_of(column)), bool, len(column))


def _cells_of(column: pd.Series) -> list[str]:
    """A column's cells as a list: `Series.tolist` of a string column is `list(array)`,
    ~2.5x slower than the array's own `tolist` (pandas 3.1)."""
    return column.to_numpy().tolist()


def parse_number(text: str) -> Decimal:
    """A plain decimal number (no thousands separators, no units)."""
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def load_seeds(seeds_dir: Path | str, base_iri: str | None = None) -> Seeds:
    """Read and validate every table of a seeds folder; raise SeedError listing all problems.
    (Python's cyclic collector is paused meanwhile, `gc_pause`: each registry row is a
    record, and the collector's passes over them cost a fifth of the load: two exports of
    100,000 rows, 3.1-3.2 s -> 2.6 s; the 1M synthetic tables, 7.3 -> 6.6-7.0 s.)"""
    with gc_paused():
        return _load_seeds(Path(seeds_dir), base_iri)


def _load_seeds(root: Path, base_iri: str | None) -> Seeds:
    if not root.is_dir():
        raise SeedError(
            [
                SeedProblem(
                    str(root),
                    None,
                    None,
                    "seeds folder not found",
                    "Pass an existing folder with --seeds",
                )
            ]
        )
    config = load_config(root, base_iri)
    problems: list[SeedProblem] = []
    tables: dict[str, pd.DataFrame] = {}
    cells: dict[str, dict[str, list[str]]] = {}  # table -> column -> its cells, stripped
    reading = _Reading(root, config)
    try:
        for table in TABLES.values():
            frame, columns, found = reading.table(table)
            problems.extend(found)
            if frame is not None and columns is not None:
                tables[table.name] = frame
                cells[table.name] = columns
        if problems:
            raise SeedError(problems)
        table_of = _index_ids(root, cells, problems)
        ids = {name: columns["id"] for name, columns in cells.items()}
        for name, frame in tables.items():
            path = root / f"{name}.csv"
            _check_cells(path, TABLES[name], frame, cells[name], (table_of, ids), problems)
        texts, kinds, registry = reading.sources(tables.get("sources"), problems)
    finally:
        reading.cancel()
    articles = {k: v for k, v in texts.items() if kinds[k] == "article"}
    files = {k: v for k, v in texts.items() if kinds[k] != "article"}
    matches: dict[tuple[str, int], str] = {}
    latest = latest_rows(registry, _source_ranks(tables.get("sources")))
    registry = latest.files
    if registry and "enterprises" in tables:
        records = [(sid, rec) for sid, parsed in sorted(registry.items()) for rec in parsed.records]
        enterprises = tables["enterprises"].to_dict("records")
        matches, conflicts = match_records(records, enterprises, latest.former_names)
        for problem in conflicts:
            file = str(registry[problem.file].path)
            problems.append(
                SeedProblem(file, problem.line, problem.field, problem.message, problem.hint)
            )
    if config.focal_zone not in table_of:
        problems.append(
            SeedProblem(
                str(root / "dataset.toml"),
                None,
                "focal_zone",
                f"'{config.focal_zone}' is not an id in any table",
                "Name the id of the zone in places.csv",
            )
        )
    if problems:
        raise SeedError(problems)
    return Seeds(
        root,
        config,
        tables,
        articles,
        table_of,
        kinds,
        registry,
        files,
        matches,
        latest.superseded,
        latest.former_names,
        latest.changes,
        latest.new_rows,
    )


def _source_ranks(sources: pd.DataFrame | None) -> dict[str, tuple[str, int]]:
    """source id -> (date, line): which of two registry exports is the later
    (`registry.latest_rows`)."""
    if sources is None:
        return {}
    dates = sources["date"] if "date" in sources.columns else [""] * len(sources)
    pairs = zip(sources["id"], dates, strict=True)
    return {sid: (str(date), i) for i, (sid, date) in enumerate(pairs)}


# From this many bytes of CSV on, the tables are read on two cores (see `_Reading`); below,
# a fork and the pickling cost more than they save.
FORK_MIN_BYTES = 64 * 2**20

# a table's frame (cells stripped), its cells by column (None: take them from the frame), and
# its problems; no frame if the file is absent or unreadable
_TableRead = tuple[pd.DataFrame | None, dict[str, list[str]] | None, list[SeedProblem]]
# each source's text and kind, the registry files, the problems of the sources' files
_SourcesRead = tuple[dict[str, str], dict[str, str], dict[str, RegistryFile], list[SeedProblem]]


class _Reading:
    """The seed tables and the sources' files being read, in the order `load_seeds` asks.

    Large seeds (`FORK_MIN_BYTES` of CSV) are read on two cores: a forked child reads every
    table but the largest, another `sources.csv` and the files it names (articles, registry
    exports, on their own for the articles' thousands of small reads), while this process
    reads the largest table and then checks the cells. The children's frames are the same
    (pickled), and the problems come in the same order, as `load_seeds` adds each part's
    problems where it would have found them. Small seeds are read here, each when asked.
    """

    def __init__(self, root: Path, config: DatasetConfig) -> None:
        self.root, self.config = root, config
        paths = {name: root / f"{name}.csv" for name in TABLES}
        sizes = {name: path.stat().st_size for name, path in paths.items() if path.is_file()}
        self.own: dict[str, _TableRead] = {}
        self.others: Forked[dict[str, _TableRead]] | None = None
        self.files: Forked[_SourcesRead] | None = None
        if sum(sizes.values()) < FORK_MIN_BYTES or not hasattr(os, "fork"):
            return
        largest = max((n for n in sizes if n != "sources"), key=sizes.__getitem__)
        others = [t for t in TABLES.values() if t.name != largest]
        self.files = fork_call(lambda: _read_sources_alone(root, config))
        self.others = fork_call(lambda: {t.name: _read_table(root, t, False) for t in others})
        self.own[largest] = _read_table(root, TABLES[largest])

    def table(self, table: Table) -> _TableRead:
        """A table's frame, cells by column and problems (see `_read_table`)."""
        if self.others is None:
            return _read_table(self.root, table)
        if table.name not in self.own:
            self.own.update(self.others.result())
        frame, cells, problems = self.own.pop(table.name)
        if frame is not None and cells is None:
            cells = {name: _cells_of(frame[name]) for name in table.column_names}
        return frame, cells, problems

    def sources(
        self, frame: pd.DataFrame | None, problems: list[SeedProblem]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, RegistryFile]]:
        """Each source's text and kind, and the registry files (see `_read_sources`)."""
        if self.files is None:
            return _read_sources(self.root, self.config, frame, problems)
        texts, kinds, registry, found = self.files.result()
        problems.extend(found)
        return texts, kinds, registry

    def cancel(self) -> None:
        """Stop and reap the children whose results were not collected."""
        for child in (self.others, self.files):
            if child is not None:
                child.cancel()


def _read_table(root: Path, table: Table, keep_cells: bool = True) -> _TableRead:
    """Read a table, check its header, strip its cells; an absent optional table is no
    problem. `keep_cells=False` leaves the cells out (a child's result: pickled, they
    would cost more than taking them again from the frame)."""
    path = root / f"{table.name}.csv"
    problems: list[SeedProblem] = []
    if not path.exists():
        if table.name == "sources":
            problems.append(
                SeedProblem(
                    str(path),
                    None,
                    None,
                    "file not found",
                    "Register the source articles in sources.csv",
                )
            )
        return None, None, problems
    frame = _read_csv(path, problems)
    if frame is None or not _check_header(path, table, frame, problems):
        return None, None, problems
    cells = _strip_cells(table, frame)
    return frame, cells if keep_cells else None, problems


def _read_sources_alone(root: Path, config: DatasetConfig) -> _SourcesRead:
    """`_read_sources` from the sources table read again (in a child of `_Reading`)."""
    problems: list[SeedProblem] = []
    frame = _read_table(root, TABLES["sources"], False)[0]
    if frame is None:  # the table's problems come from the other reading of it
        return {}, {}, {}, problems
    texts, kinds, registry = _read_sources(root, config, frame, problems)
    return texts, kinds, registry, problems


def _read_csv(path: Path, problems: list[SeedProblem]) -> pd.DataFrame | None:
    """The table, all cells as strings; None (and a problem) if it is not UTF-8 or not CSV.

    pandas decodes the file strictly as it parses it, so the bytes are read and decoded
    again only when something fails, to name the first byte that is not UTF-8 (reported
    before any CSV error) and its line."""
    try:
        # no NA markers (every cell a string): na_filter=False skips looking for them
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = raw[: bad.start].count(b"\n") + 1
            problems.append(
                SeedProblem(
                    str(path),
                    line,
                    None,
                    f"is not UTF-8 (byte {bad.start})",
                    "Re-save the file as UTF-8",
                )
            )
            return None
        if isinstance(exc, UnicodeDecodeError):
            raise  # pandas refused what Python's decoder accepts: not a seed problem
        problems.append(
            SeedProblem(
                str(path),
                None,
                None,
                f"is not valid CSV: {exc}",
                "Quote cells that contain commas or line breaks",
            )
        )
        return None


def _check_header(
    path: Path, table: Table, frame: pd.DataFrame, problems: list[SeedProblem]
) -> bool:
    expected = table.column_names
    got = [str(c) for c in frame.columns]
    ok = True
    for name in expected:
        col = table.column(name)
        if name not in got and (col.required or name in ("id", "source", "quote")):
            problems.append(
                SeedProblem(
                    str(path),
                    1,
                    name,
                    "required column is missing",
                    f"Add the column; the header should be: {','.join(expected)}",
                )
            )
            ok = False
    for name in got:
        if name not in expected:
            problems.append(
                SeedProblem(
                    str(path),
                    1,
                    name,
                    "unknown column",
                    f"Remove or rename it; allowed columns: {','.join(expected)}",
                )
            )
            ok = False
    if ok:
        for name in expected:
            if name not in frame.columns:
                frame[name] = ""
    return ok


def _strip_cells(table: Table, frame: pd.DataFrame) -> dict[str, list[str]]:
    """Strip every cell of the table's columns; return each column as a list of its cells.

    A column is replaced in the frame only where a cell changed (most columns have none), and
    the lists serve the checks that follow: a list comprehension is ~5x faster than pandas'
    per-cell string methods on the object-string layer (pandas 3 without pyarrow). An ASCII
    column without any whitespace (`str.split` finds none: ids, codes, empty columns) is
    left as it is without a call per cell.
    """
    cells: dict[str, list[str]] = {}
    for name in table.column_names:
        column = frame[name]
        values = _cells_of(column)
        joined = "".join(values)
        if joined.isascii() and len(joined.split(maxsplit=1)) < 2:
            cells[name] = values  # no whitespace in any cell (ids, codes, empty columns)
            continue
        stripped = [v.strip() for v in values]
        if stripped != values:  # C-level compare; `strip` returns the same object if unchanged
            frame[name] = pd.Series(stripped, index=frame.index, dtype=column.dtype)
        cells[name] = stripped
    return cells


_ID_CHARS = b"abcdefghijklmnopqrstuvwxyz0123456789-"


def _ids_well_formed(ids: list[str]) -> bool:
    """Whether every id matches ID_PATTERN, decided on the joined ids without a per-id regex:
    ASCII, nothing but id characters between the line breaks, none empty or starting with '-'.
    """
    if not ids:
        return True
    joined = "\n".join(ids)
    if "" in ids or not joined.isascii():
        return False
    data = joined.encode("ascii")
    return (
        not data.translate(None, _ID_CHARS + b"\n")
        and data.count(b"\n") == len(ids) - 1
        and not data.startswith(b"-")
        and b"\n-" not in data
    )


def _index_ids(
    root: Path, cells: dict[str, dict[str, list[str]]], problems: list[SeedProblem]
) -> dict[str, str]:
    """id -> table, checking that ids are well-formed and unique across all tables."""
    table_of: dict[str, str] = {}
    for name, columns in cells.items():
        table_of.update(zip(columns["id"], repeat(name)))  # ~30 % faster than dict.fromkeys
    well_formed = all(_ids_well_formed(c["id"]) for c in cells.values())
    if well_formed and len(table_of) == sum(len(c["id"]) for c in cells.values()):
        return table_of  # the usual case, found column-wise; else name every problem below
    table_of = {}
    first_seen: dict[str, tuple[str, int]] = {}
    for name, columns in cells.items():
        path = root / f"{name}.csv"
        for i, value in enumerate(columns["id"]):
            line = i + FIRST_DATA_LINE
            if not value:
                problems.append(
                    SeedProblem(str(path), line, "id", "is empty", "Give the row a unique id")
                )
                continue
            if not _ID_RE.match(value):
                problems.append(
                    SeedProblem(
                        str(path),
                        line,
                        "id",
                        f"'{value}' is not a valid id",
                        "Use lower-case ASCII letters, digits and '-'",
                    )
                )
            if value in first_seen:
                other_table, other_line = first_seen[value]
                problems.append(
                    SeedProblem(
                        str(path),
                        line,
                        "id",
                        f"duplicate id '{value}'",
                        f"It is already used in {other_table}.csv line "
                        f"{other_line}; choose another id or merge the rows",
                    )
                )
                continue
            first_seen[value] = (name, line)
            table_of[value] = name
    return table_of


def _check_cells(
    path: Path,
    table: Table,
    frame: pd.DataFrame,
    cells: dict[str, list[str]],
    index: tuple[dict[str, str], dict[str, list[str]]],
    problems: list[SeedProblem],
) -> None:
    """Name every bad cell of a table; `index` is (id -> table, table -> its ids)."""
    table_of = index[0]
    columns = [table.column(n) for n in table.column_names]
    suspects = _suspect_rows(table, cells, index)
    if not suspects:
        return
    for i, record in zip(suspects, frame.iloc[suspects].to_dict("records"), strict=True):
        line = i + FIRST_DATA_LINE
        for col in columns:
            value = record.get(col.name, "")
            problem = _check_value(col, value, table_of)
            if problem:
                message, hint = problem
                problems.append(SeedProblem(str(path), line, col.name, message, hint))
        if table.evidence:
            sources, quotes = split_multi(record["source"]), split_multi(record["quote"])
            if sources and quotes and len(sources) != len(quotes):
                problems.append(
                    SeedProblem(
                        str(path),
                        line,
                        "quote",
                        f"{len(sources)} source(s) but {len(quotes)} quote(s)",
                        "Give one quote per source, both separated by '|'",
                    )
                )
            if record.get("assertion") == "curator" and not record.get("note"):
                problems.append(
                    SeedProblem(
                        str(path),
                        line,
                        "note",
                        "a curator's assertion needs a note",
                        "Say what was judged and why",
                    )
                )
        if table.name == "sources" and record.get("date") and not _ISO_DATE.match(record["date"]):
            problems.append(
                SeedProblem(
                    str(path),
                    line,
                    "date",
                    f"'{record['date']}' is not an ISO date",
                    "Write YYYY, YYYY-MM or YYYY-MM-DD",
                )
            )


def _suspect_rows(
    table: Table, cells: dict[str, list[str]], index: tuple[dict[str, str], dict[str, list[str]]]
) -> list[int]:
    """Positions of the rows that may hold a problem, found a column at a time.

    A superset of the rows `_check_cells` reports, so the per-cell checks, their messages and
    their order stay as they are while running on few rows. A column's values are checked
    once each (`_check_value` on its distinct values: few in most columns), and a row is a
    suspect when it holds a value that fails; at a million rows the per-cell checks, in
    Python or through pandas' object strings, took most of the load stage.
    """
    table_of = index[0]
    suspects: set[int] = set()
    for col in (table.column(n) for n in table.column_names):
        values = cells[col.name]
        if col.type in _VALUE_TYPES or col.name == "declared_parts":
            distinct = set(values)
            if col.type in ("ref", "refs"):
                # most ids name a row of a target table; only the rest (lists, unknown or
                # misplaced ids, empty cells) go to `_check_value`
                distinct = _not_target_ids(distinct, col.targets, index)
            wrong = {v for v in distinct if _check_value(col, v, table_of)}
        else:
            wrong = {""} if col.required and "" in values else set()
        if wrong:
            suspects.update(i for i, v in enumerate(values) if v in wrong)
    if table.evidence:
        sources, quotes = cells["source"], cells["quote"]
        sep = MULTI_SEPARATOR
        if any(sep in v for v in set(sources)) or any(sep in v for v in quotes):
            suspects.update(
                i
                for i, (s, q) in enumerate(zip(sources, quotes, strict=True))
                if s and q and s.count(sep) != q.count(sep)
            )
        if "curator" in cells["assertion"]:
            suspects.update(
                i
                for i, (a, n) in enumerate(zip(cells["assertion"], cells["note"], strict=True))
                if a == "curator" and not n
            )
    if table.name == "sources":
        wrong = {v for v in set(cells["date"]) if v and not _ISO_DATE.match(v)}
        suspects.update(i for i, v in enumerate(cells["date"]) if v in wrong)
    return sorted(suspects)


def _not_target_ids(
    values: set[str], targets: tuple[str, ...], index: tuple[dict[str, str], dict[str, list[str]]]
) -> set[str]:
    """The values that are not the id of a row of a target table.

    Few values: a dict lookup each. Many (a column of a million references): set operations,
    whose loops over the ids run in C, ~3x faster than a lookup each in Python."""
    table_of, ids = index
    if len(values) * 4 < len(table_of):
        return {v for v in values if table_of.get(v) not in targets}
    found = values - table_of.keys()
    for name, table_ids in ids.items():
        if name not in targets:
            found |= values.intersection(table_ids)
    return found


# column types whose cells `_check_value` checks beyond "required"
_VALUE_TYPES = ("enum", "int", "number", "ref", "refs", "category")


def _check_value(col: Column, value: str, table_of: dict[str, str]) -> tuple[str, str] | None:
    if not value:
        if col.required:
            return "is empty", "Fill in this required cell"
        return None
    if col.type == "enum" and value not in col.allowed:
        return f"'{value}' is not allowed", f"Use one of: {', '.join(col.allowed)}"
    if col.type == "int" and not re.fullmatch(r"-?\d+", value):
        return f"'{value}' is not a whole number", "Write digits only, e.g. 2019"
    if col.type == "number":
        try:
            parse_number(value)
        except InvalidOperation:
            return (
                f"'{value}' is not a number",
                "Write a plain number without units or separators, e.g. 1000000000 or 30.5",
            )
    if col.type in ("ref", "refs"):
        refs = split_multi(value) if col.type == "refs" else [value]
        for ref in refs:
            target = table_of.get(ref)
            if target is None:
                return (
                    f"'{ref}' is not an id in any table",
                    f"Use an id from {', '.join(t + '.csv' for t in col.targets)} "
                    "or add that row first",
                )
            if target not in col.targets:
                return (
                    f"'{ref}' is in {target}.csv",
                    f"This column takes ids from {', '.join(t + '.csv' for t in col.targets)}",
                )
    if col.type == "category" and value not in load_reference().categories:
        return (
            f"'{value}' is not a category of the reference file",
            "Copy a path from reference/sei2018_to_gbt4754.csv (column sei_path, or its first "
            "one or two levels), parts joined by ' > '",
        )
    if col.name == "declared_parts":
        for part in split_multi(value):
            role, _, count = part.partition(":")
            if role not in MEMBER_ROLES or not count.isdigit():
                return (
                    f"'{part}' is not role:count",
                    f"Write e.g. chain:8|group:2 with a role from {', '.join(MEMBER_ROLES)}",
                )
    return None


def _read_sources(
    root: Path, config: DatasetConfig, sources: pd.DataFrame | None, problems: list[SeedProblem]
) -> tuple[dict[str, str], dict[str, str], dict[str, RegistryFile]]:
    """Each source's text (what its quotes are checked against), kind, and registry rows."""
    articles: dict[str, str] = {}
    kinds: dict[str, str] = {}
    registry: dict[str, RegistryFile] = {}
    if sources is None:
        return articles, kinds, registry
    path = root / "sources.csv"
    folders = {"article": root / ARTICLES_DIR, "reference": REFERENCE_DIR, "registry": root}
    for i, record in enumerate(sources.to_dict("records")):
        line = i + FIRST_DATA_LINE
        kind = record.get("kind") or "article"
        kinds[record["id"]] = kind
        if not record["file"]:
            continue
        article = folders[kind] / record["file"]
        if not article.is_file():
            problems.append(
                SeedProblem(
                    str(path),
                    line,
                    "file",
                    f"{kind} file '{article}' not found",
                    f"Put the file in {folders[kind]} or correct the file name",
                )
            )
            continue
        if kind == "registry":
            try:
                parsed = read_registry(
                    article, load_reference(), None, dict(config.registry_columns)
                )
            except RegistryReadError as exc:
                problems.extend(exc.problems)
                continue
            problems.extend(parsed.problems)
            registry[record["id"]] = parsed
        try:
            articles[record["id"]] = article.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                SeedProblem(
                    str(article),
                    None,
                    None,
                    f"is not UTF-8 (byte {exc.start})",
                    "Re-save the file as UTF-8",
                )
            )
    return articles, kinds, registry
