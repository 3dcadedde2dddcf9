"""Stage 1 — load and validate the seed tables: `load_seeds(seeds_dir) -> Seeds`.

Reads `dataset.toml`, `sources.csv`, the articles and every curated CSV (pandas, all cells as
strings), and checks them against `schema.TABLES`: columns, required cells, ids, enums,
numbers, references. Every problem is collected, then raised together as one `SeedError`
naming file, line and field. Quotes are checked in the next stage (`evidence`).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from chainkg.config import DatasetConfig, load_config
from chainkg.errors import SeedError, SeedProblem
from chainkg.reference import REFERENCE_DIR, load_reference
from chainkg.registry import RegistryFile, RegistryReadError, match_records, read_registry
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


def parse_number(text: str) -> Decimal:
    """A plain decimal number (no thousands separators, no units)."""
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def load_seeds(seeds_dir: Path | str, base_iri: str | None = None) -> Seeds:
    """Read and validate every table of a seeds folder; raise SeedError listing all problems."""
    root = Path(seeds_dir)
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
    for table in TABLES.values():
        path = root / f"{table.name}.csv"
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
            continue
        frame = _read_csv(path, problems)
        if frame is not None and _check_header(path, table, frame, problems):
            tables[table.name] = frame
    if problems:
        raise SeedError(problems)

    table_of = _index_ids(root, tables, problems)
    for name, frame in tables.items():
        _check_cells(root / f"{name}.csv", TABLES[name], frame, table_of, problems)
    texts, kinds, registry = _read_sources(root, config, tables.get("sources"), problems)
    articles = {k: v for k, v in texts.items() if kinds[k] == "article"}
    files = {k: v for k, v in texts.items() if kinds[k] != "article"}
    if registry and "enterprises" in tables:
        records = [(sid, rec) for sid, parsed in sorted(registry.items()) for rec in parsed.records]
        enterprises = tables["enterprises"].to_dict("records")
        for problem in match_records(records, enterprises)[1]:
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
    return Seeds(root, config, tables, articles, table_of, kinds, registry, files)


def _read_csv(path: Path, problems: list[SeedProblem]) -> pd.DataFrame | None:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            SeedProblem(
                str(path),
                line,
                None,
                f"is not UTF-8 (byte {exc.start})",
                "Re-save the file as UTF-8",
            )
        )
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
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
        for name in expected:
            # a comprehension: `.str.strip()` calls a Python lambda per cell through pandas'
            # object-string layer, ~5x slower at a million rows (pandas 3 without pyarrow)
            column = frame[name]
            frame[name] = pd.Series(
                [v.strip() for v in column.tolist()], index=frame.index, dtype=column.dtype
            )
    return ok


def _index_ids(
    root: Path, tables: dict[str, pd.DataFrame], problems: list[SeedProblem]
) -> dict[str, str]:
    """id -> table, checking that ids are well-formed and unique across all tables."""
    table_of: dict[str, str] = {}
    for name, frame in tables.items():
        table_of.update(dict.fromkeys(frame["id"].tolist(), name))
    well_formed = all(bool(f["id"].str.fullmatch(ID_PATTERN).all()) for f in tables.values())
    if well_formed and len(table_of) == sum(len(f) for f in tables.values()):
        return table_of  # the usual case, found column-wise; else name every problem below
    table_of = {}
    first_seen: dict[str, tuple[str, int]] = {}
    for name, frame in tables.items():
        path = root / f"{name}.csv"
        for i, value in enumerate(frame["id"].tolist()):
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
    table_of: dict[str, str],
    problems: list[SeedProblem],
) -> None:
    columns = [table.column(n) for n in table.column_names]
    suspects = _suspect_rows(table, frame, table_of)
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


def _suspect_rows(table: Table, frame: pd.DataFrame, table_of: dict[str, str]) -> list[int]:
    """Positions of the rows that may hold a problem, found column-wise with pandas.

    A superset of the rows `_check_cells` reports (anything unusual is a suspect), so the
    per-cell checks, their messages and their order stay as they are while running on few
    rows: at a million rows the per-cell Python loop alone took most of the load stage.
    """
    bad = np.zeros(len(frame), dtype=bool)
    sep = re.escape(MULTI_SEPARATOR)
    for col in (table.column(n) for n in table.column_names):
        values = frame[col.name]
        empty = (values == "").to_numpy()
        if col.required:
            bad |= empty
        if col.type == "enum":
            ok = values.isin(list(col.allowed))
        elif col.type == "int":
            ok = values.str.fullmatch(r"-?\d+")
        elif col.type == "number":
            ok = values.str.fullmatch(r"-?\d+(?:\.\d+)?")  # Decimal decides the rest
        elif col.type in ("ref", "refs"):
            # dict lookups in Python: `Series.map(table_of)` first copies the id index
            # into pandas and checks it is unique, ~0.6 s a column at a million ids
            targets = set(col.targets)
            cells = values.str.split(sep, regex=True).explode() if col.type == "refs" else values
            found = [table_of.get(v.strip()) in targets for v in cells.tolist()]
            ok = pd.Series(found, index=cells.index, dtype=bool)
            if col.type == "refs":
                ok = ok.groupby(level=0).all()
        elif col.type == "category":
            ok = values.isin(list(load_reference().categories))
        elif col.name == "declared_parts":
            ok = pd.Series(False, index=frame.index)
        else:
            continue
        bad |= ~empty & ~ok.to_numpy(dtype=bool)
    if table.evidence:
        sources, quotes = frame["source"], frame["quote"]
        counts_differ = sources.str.count(sep) != quotes.str.count(sep)
        bad |= ((sources != "") & (quotes != "") & counts_differ).to_numpy()
        if "assertion" in frame.columns:
            notes = frame["note"] if "note" in frame.columns else ""
            bad |= ((frame["assertion"] == "curator") & (notes == "")).to_numpy()
    if table.name == "sources" and "date" in frame.columns:
        bad |= frame["date"].map(lambda v: bool(v) and not _ISO_DATE.match(v)).to_numpy(bool)
    return np.flatnonzero(bad).tolist()


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
