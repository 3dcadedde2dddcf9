"""A name index built with the graph: labels, aliases and ids of every entity, searchable
without scanning the store.

SQLite (the standard library's `sqlite3`) with an FTS5 table and the `trigram` tokenizer
(SQLite >= 3.34), which matches any substring of three characters or more in Chinese as in
English; shorter search texts (一两个汉字) use a LIKE scan of the same table. Exact names,
aliases and ids are a plain indexed table, for resolving a parameter to its entity.
Rows are stored in the order a search shows them, in one part or, when the large build adds
the store's few names after the seed tables' (`add_names`), in two, merged at search time.

Written atomically (temp file, then rename) next to the graph: `out/names.sqlite`. It records
a fingerprint of the `graph.nq` it was built with (size and a hash of its ends), so an index
left by an older build is noticed (`open_beside`) and not used for another graph.
"""

from __future__ import annotations

import contextlib
import heapq
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from chainkg.vocab import CKG_IRI, PREFIXES
from chainkg.write import graph_identity, new_database

INDEX_FILE = "names.sqlite"
_FTS_HASH_BYTES = 16 << 20  # see build_index
GRAPH_FILE = "graph.nq"  # what both build paths write beside the index
_NAMES_QUERY = f"""
SELECT ?e ?name ?kind ?type WHERE {{
  {{ ?e <{PREFIXES["rdfs"]}label> ?name BIND("label" AS ?kind) }}
  UNION {{ ?e <{PREFIXES["skos"]}altLabel> ?name BIND("alias" AS ?kind) }}
  UNION {{ ?e <{PREFIXES["dct"]}identifier> ?name BIND("id" AS ?kind) }}
  ?e a ?type . FILTER(STRSTARTS(STR(?type), "{CKG_IRI}"))
  FILTER(?type NOT IN (<{CKG_IRI}Evidence>, <{CKG_IRI}Relation>, <{CKG_IRI}SourceArticle>))
}}"""


@dataclass(frozen=True)
class Hit:
    """One entity whose name matched: its IRI, class name, preferred label and the name that
    matched (a label, an alias or its id)."""

    iri: str
    type: str
    label: str
    matched: str


def name_rows(store: ox.Store) -> Iterator[tuple[str, str, str, str]]:
    """(iri, name, kind, class name) for every label, alias and id of a ckg entity; kind is
    label_zh, label (other languages), alias or id."""
    for s in store.query(_NAMES_QUERY):
        name = s["name"]
        kind = s["kind"].value
        if kind == "label" and getattr(name, "language", None) == "zh":
            kind = "label_zh"  # the label shown: Chinese first
        yield (s["e"].value, name.value, kind, s["type"].value[len(CKG_IRI) :])


def build_index(
    rows: Iterable[tuple[str, str, str, str]], path: Path, graph: Path | None = None
) -> Path:
    """Write the index of `rows` (see `name_rows`) to `path`, atomically; return the path.
    `graph`: the graph file built with it, whose identity the index keeps. `add_names` can
    add a later part in place (the large build indexes the seed tables' names while the
    store loads, and the store's few others after)."""
    with new_database(path) as con:
        con.executescript(
            "CREATE TABLE names (iri TEXT, name TEXT, kind TEXT, type TEXT, ascii INTEGER);"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE VIRTUAL TABLE names_fts USING fts5("
            "  name, content='names', content_rowid='rowid', tokenize='trigram');"
        )
        _insert_part(con, rows)
        if graph is not None:
            _record_graph(con, graph)
        with contextlib.suppress(sqlite3.OperationalError):  # (an SQLite without the key)
            # the terms FTS5 gathers in memory before it writes them out as a segment (1 MB by
            # default; the `hashsize` key of FTS5's source, fts5_config.c, not of its
            # documentation): fewer, larger segments to merge. At 1M enterprises the full-text
            # index took 4.5 against 6.5 CPU-s, with the same answers as fast
            con.execute(
                "INSERT INTO names_fts (names_fts, rank) VALUES ('hashsize', ?)", (_FTS_HASH_BYTES,)
            )
        # the full-text index first: it reads the names in rowid order only while no other
        # index covers the name column (else SQLite reads names_by_name, in name order, and
        # FTS5 flushes its pending data at every rowid lower than the last: 1M enterprises,
        # 18.7 against 5.6 CPU-s, BENCHMARKS.md)
        con.execute("INSERT INTO names_fts (names_fts) VALUES ('rebuild')")
        con.execute("CREATE INDEX names_by_name ON names (name COLLATE NOCASE)")
        con.execute("CREATE INDEX names_by_iri ON names (iri)")
        # a short Chinese text is looked for by a scan, which then skips the ASCII names
        # (every id: a million of the shortest names at 1M enterprises, 0.3 s of the scan)
        con.execute("CREATE INDEX names_by_script ON names (ascii)")
    return path


def add_names(
    path: Path, rows: Iterable[tuple[str, str, str, str]], graph: Path | None = None
) -> Path:
    """Add `rows` to the index `build_index` wrote at `path`, as a new part: in place, for a
    file not yet published (the build's temp folder). Each part is in search order and
    its first rowid is recorded (meta `parts`); a search merges the parts' matches in that
    order, so the hits are those of one index of all the rows. `rows` are names the index
    does not hold yet (the build's two parts are of disjoint classes); one given twice
    would cost space, not change a search or a count, which go by entity."""
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        with con:
            (last,) = con.execute("SELECT COALESCE(MAX(rowid), 0) FROM names").fetchone()
            _insert_part(con, rows)
            (added,) = con.execute("SELECT COUNT(*) FROM names WHERE rowid > ?", (last,)).fetchone()
            if added and last:
                parts = ",".join(map(str, [*_parts(con), last + 1]))
                con.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('parts', ?)", (parts,)
                )
            if added:
                con.execute(
                    "INSERT INTO names_fts (rowid, name) SELECT rowid, name FROM names"
                    " WHERE rowid > ?",
                    (last,),
                )
            if graph is not None:
                _record_graph(con, graph)
    finally:
        con.close()
    return path


def _insert_part(con: sqlite3.Connection, rows: Iterable[tuple[str, str, str, str]]) -> None:
    con.executemany(
        "INSERT INTO names (iri, name, kind, type, ascii) VALUES (?, ?, ?, ?, ?)",
        _in_search_order(rows),
    )


def _in_search_order(
    rows: Iterable[tuple[str, str, str, str]],
) -> Iterator[tuple[str, str, str, str, bool]]:
    """`rows` in the order of a search (rowid order, `_search_keys`), each once, with
    whether the name is ASCII. A key holds its whole row, so the keys are sorted and a
    repeated row is skipped where it comes next to itself. At 1M enterprises (2.2M rows)
    the index took 16.6-16.9 against 18.3-18.9 CPU-s in one process, when the rows were
    de-duplicated in a dict first (a set instead: 41.7-44.2, its hash order scatters the
    sort's reads over memory, BENCHMARKS.md)."""
    previous = None
    for key in sorted(_search_keys(rows)):
        if key != previous:
            previous = key
            _length, name, iri, _generic, type_, kind = key
            yield iri, name, kind, type_, name.isascii()


def _record_graph(con: sqlite3.Connection, graph: Path) -> None:
    con.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('graph', ?)", (graph_identity(graph),)
    )


def _parts(con: sqlite3.Connection) -> list[int]:
    """The first rowid of each part of the index (`add_names`), [1] for one part."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'parts'").fetchone()
    except sqlite3.OperationalError:  # an index from before the meta table
        row = None
    return [int(v) for v in row[0].split(",")] if row else [1]


_GENERIC_TYPES = ("Place", "Organization", "Enterprise")  # a more specific class first


SearchKey = tuple[int, str, str, bool, str, str]


def _search_keys(rows: Iterable[tuple[str, str, str, str]]) -> list[SearchKey]:
    """Rows are stored in the order a search shows its hits (shorter names first, then by
    name, entity, a specific class before a generic one), so a search reads the matches in
    rowid order and stops at its limit instead of sorting every match (90,000 names hold
    智能 at 1M enterprises). The same rows give the same file. A key holds every field of
    its row (`_in_search_order` reads them back from it)."""
    generic = _GENERIC_TYPES
    return [
        (len(name), name, iri, type_ in generic, type_, kind) for iri, name, kind, type_ in rows
    ]


def _search_order(row: tuple[str, str, str, str]) -> SearchKey:
    """The key of one row (`_search_keys`)."""
    return _search_keys((row,))[0]


class NameIndex:
    """A read-only view of an index file."""

    def __init__(self, path: Path):
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: no name index (built by `chainkg build`)")
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        columns = {r[1] for r in self._con.execute("PRAGMA table_info(names)")}
        self._by_script = "ascii" in columns  # an index from before the column has none
        self._parts = _parts(self._con)

    def close(self) -> None:
        self._con.close()

    def graph_identity(self) -> str:
        """The identity of the graph file it was built with ('' if not recorded)."""
        try:
            row = self._con.execute("SELECT value FROM meta WHERE key = 'graph'").fetchone()
        except sqlite3.OperationalError:  # an index from before the fingerprint
            return ""
        return row[0] if row else ""

    def __enter__(self) -> NameIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _label(self, iri: str) -> str:
        row = self._con.execute(
            "SELECT name FROM names WHERE iri = ? AND kind IN ('label_zh', 'label')"
            " ORDER BY kind DESC, name LIMIT 1",
            (iri,),
        ).fetchone()
        return row[0] if row else iri

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        """Entities with a name containing `text` (case-insensitive), exact matches first,
        then shorter names, then by name; at most `limit`."""
        text = text.strip()
        if not text:
            return []
        exact = self._ordered(  # exact names first (case-insensitive), by the index
            "SELECT iri, type, name, kind FROM names WHERE name = ? COLLATE NOCASE", "rowid", text
        )
        sql, needle, rowid = _matching(text, "n.iri, n.type, n.name, n.kind", self._by_script)
        matches = self._ordered(sql, rowid, needle, limit)
        best: dict[str, tuple[str, str]] = {}
        for iri, type_, name, _kind in chain(exact, matches):
            best.setdefault(iri, (type_, name))
            if len(best) >= limit:
                break
        return [Hit(iri, t, self._label(iri), m) for iri, (t, m) in best.items()]

    def _ordered(
        self, sql: str, rowid: str, arg: str, limit: int = 0
    ) -> Iterator[tuple[str, str, str, str]]:
        """The rows (iri, type, name, kind) of `sql` (one `?` for `arg`) in the order of a
        search: each part of the index (`add_names`) read in `rowid` order, the parts
        merged by the order they were stored in.

        The later parts (the store's few names) are read whole. With `limit` (the reader
        stops after that many entities), once they hold that many entities the first part
        is read only up to the longest name among them: rows are stored shortest names
        first, so a longer one comes after them. Without that bound a short text that few
        seed names hold (产值 at 1M enterprises) made the merge scan the whole first part
        for its next match before it could yield the later parts' (0.27 s)."""
        if len(self._parts) == 1:
            yield from self._con.execute(f"{sql} ORDER BY {rowid}", (arg,))
            return
        bounds = [*self._parts[1:], 2**63 - 1]
        ranged = f"{sql} AND {rowid} >= ? AND {rowid} < ? ORDER BY {rowid}"
        key = lambda r: _search_order((r[0], r[2], r[3], r[1]))  # noqa: E731
        later = list(
            heapq.merge(
                *(
                    self._con.execute(ranged, (arg, lo, hi))
                    for lo, hi in zip(self._parts[1:], bounds[1:], strict=True)
                ),
                key=key,
            )
        )
        end, seen = bounds[0], set()
        for row in later if limit else ():
            seen.add(row[0])
            if len(seen) >= limit:
                end = self._first_longer(len(row[2]), end)
                break
        first = self._con.execute(ranged, (arg, self._parts[0], end))
        yield from heapq.merge(first, later, key=key)

    def _first_longer(self, length: int, end: int) -> int:
        """The first rowid of the first part (rowids 1 to `end` - 1, shortest names first)
        whose name is longer than `length`, or `end`: a binary search by rowid."""
        lo, hi = 1, end
        while lo < hi:
            mid = (lo + hi) // 2
            (size,) = self._con.execute(
                "SELECT length(name) FROM names WHERE rowid = ?", (mid,)
            ).fetchone()
            lo, hi = (mid + 1, hi) if size <= length else (lo, mid)
        return lo

    def count(self, text: str, cap: int | None = None) -> int:
        """How many entities `search(text)` finds without a limit; with `cap`, counting
        stops past it (`cap + 1` then means "more than `cap`"): a two-character text can
        match 90,000 names at 1M enterprises, and counting them all costs half a second."""
        text = text.strip()
        if not text:
            return 0
        if cap is None:
            sql, needle, _ = _matching(text, "COUNT(DISTINCT n.iri)", self._by_script)
        else:
            inner, needle, _ = _matching(text, "DISTINCT n.iri", self._by_script)
            sql = f"SELECT COUNT(*) FROM ({inner} LIMIT {int(cap) + 1})"
        return int(self._con.execute(sql, (needle,)).fetchone()[0])

    def resolve(self, value: str, type_: str | None = None) -> list[str]:
        """IRIs whose label, alias or id equals `value` (case-insensitive), sorted; with
        `type_` only entities of that class, else only entities that have an id."""
        if type_:
            sql, args = " AND type = ?", (value.strip(), type_)
        else:
            sql = " AND iri IN (SELECT iri FROM names WHERE kind = 'id')"
            args = (value.strip(),)
        rows = self._con.execute(
            f"SELECT DISTINCT iri FROM names WHERE name = ? COLLATE NOCASE{sql} ORDER BY iri",
            args,
        )
        return [r[0] for r in rows]

    def identifier(self, iri: str) -> str:
        """The entity's id ('' if it has none)."""
        row = self._con.execute(
            "SELECT name FROM names WHERE iri = ? AND kind = 'id' ORDER BY name LIMIT 1", (iri,)
        ).fetchone()
        return row[0] if row else ""

    def known(self, type_: str, limit: int) -> tuple[list[tuple[str, str]], int]:
        """The first `limit` (id, label) of a class by id, and how many it has."""
        ids = self._con.execute(
            "SELECT iri, name FROM names WHERE type = ? AND kind = 'id' ORDER BY name", (type_,)
        ).fetchall()
        return [(name, self._label(iri)) for iri, name in ids[:limit]], len(ids)


def _matching(text: str, columns: str, by_script: bool = False) -> tuple[str, str, str]:
    """SELECT `columns` of the names containing `text` (trigram index from 3 characters,
    else a LIKE scan, of the non-ASCII names only when the text is not ASCII and the index
    has the column (`by_script`)), the needle, and the rowid to order by for the order of
    a search."""
    if len(text) >= 3:  # trigram index
        sql = (
            f"SELECT {columns} FROM names_fts"
            " JOIN names n ON n.rowid = names_fts.rowid WHERE names_fts MATCH ?"
        )
        return sql, '"' + text.replace('"', '""') + '"', "names_fts.rowid"
    # too short for trigrams: a scan
    script = "n.ascii = 0 AND " if by_script and not text.isascii() else ""
    if not any(c.isascii() and c.isalpha() for c in text):  # no case to ignore: instr
        # (a byte search, faster than LIKE: 1M registry names, 0.18 against 0.22 s)
        return f"SELECT {columns} FROM names n WHERE {script}instr(n.name, ?) > 0", text, "n.rowid"
    sql = f"SELECT {columns} FROM names n WHERE {script}n.name LIKE ? ESCAPE '\\'"
    needle = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sql, needle, "n.rowid"


def open_beside(graph: Path, on_stale: Callable[[str], None] | None = None) -> NameIndex | None:
    """The name index the build wrote beside a graph file or store folder (`out/graph.nq`,
    `out/store`), or None if there is none, or if it was built with another graph than the
    `graph.nq` there (an older build's, or one without a fingerprint): then `on_stale` gets
    a message saying so, and the caller searches the store instead."""
    folder = Path(graph).parent
    path = folder / INDEX_FILE
    if not path.is_file():
        return None
    index = NameIndex(path)
    graph_file = folder / GRAPH_FILE
    recorded = index.graph_identity()
    if graph_file.is_file() and recorded and recorded == graph_identity(graph_file):
        return index
    index.close()
    if on_stale is not None:
        on_stale(
            f"{path} was not built with {graph_file} (an older build's index?): not used, "
            "names are looked up in the graph instead (slower); rebuild with `chainkg build`"
        )
    return None
