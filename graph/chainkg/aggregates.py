"""The gap summary: the gap analysis's answers, computed once at build time.

The build runs the gap analysis once (it needs it for the reports and the site anyway) with
an `Answers` that keeps every query answer the analysis reads (`chainkg.gaps.tables.
TableAnswers`: the heavy ones computed from the seed tables as the named queries' rows, the
others recorded as the store gives them): the whole-graph counts and
lists (per-segment and per-chain counts of local, pipeline and outside firms, actors of each
chain, projects, statistics, suppliers of unknown segment, name-matched segments), the first
actors of each segment, and the direct ties of every leader, lead and follow-up
(`gap-entity-ties`: leads' features), and the panoramas' rows (`panorama-status`, the
firms of every reference category: `chainkg.panorama`); the large build runs it from the
seed tables alone
in a child process while the store loads (`chainkg.gaps.early`). `write_summary` keeps
them beside the graph in
`out/gaps.sqlite`; `chainkg.gaps.analyse(..., summary=summary_for(graph))` then reads those
answers instead of asking the store, and asks the store only what the summary does not hold
(another `--top`, another threshold's leads). The report the build composed (the default
`--top` and threshold) is kept too, as JSON (`Answers.report`), so reading it back composes
nothing; other parameters compose from the answers. Every rule keeps its one definition: the
answers are the named `gap-*` queries' own rows and the analysis is the same code (presence
is `ckg:zoneStage` from chainkg.presence, levels and ranking are `chainkg.gaps.rules`).

The summary names the graph it was computed from (`graph_identity`: the on-disk store's
RocksDB IDENTITY, new with every store, or a graph file's SHA-256);
`summary_for(graph)` opens it only while it matches, so a rebuilt or replaced graph never
reads a stale summary (every build writes a new one). A remote endpoint has no summary:
the analysis asks it every query.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from chainkg.write import compact_json, graph_identity, new_database, open_for_graph

SUMMARY_FILE = "gaps.sqlite"

Rows = list[dict[str, str]]


@dataclass
class Answer:
    """The rows of one query with its parameters; `complete` is False when the reader
    stopped early (a streamed listing): then they are the first rows in the query's order."""

    rows: Rows
    complete: bool = True
    # False: made on request (rows may then be an iterator, made as they are read), and a
    # reader keeps what it reads
    kept: bool = True


def _params(params: dict[str, object]) -> str:
    try:  # with each value's type: 1 and True are equal keys, not equal JSON
        return _params_text(tuple(sorted((k, type(v), v) for k, v in params.items())))
    except TypeError:  # a value that is no key (a list): not kept
        return json.dumps(params, ensure_ascii=False, sort_keys=True)


@functools.lru_cache(maxsize=65536)
def _params_text(items: tuple[tuple[str, type, object], ...]) -> str:
    """The parameters as JSON text (sorted keys), kept: the gap analysis looks the same
    few thousand up again and again."""
    return json.dumps({k: v for k, _t, v in items}, ensure_ascii=False, sort_keys=True)


def _key(name: str, params: dict[str, str]) -> tuple[str, str]:
    return name, _params(params)


class Answers:
    """Query answers by (query, parameters), and composed reports by their parameters:
    recorded from a live analysis when `recording`, or read back from a written summary
    (`Summary`)."""

    def __init__(self, recording: bool = False) -> None:
        self.recording = recording
        self._answers: dict[tuple[str, str], Answer] = {}
        self._reports: dict[str, str] = {}

    def report(self, params: dict[str, object]) -> str | None:
        """The composed report (JSON text) for these parameters, if one was kept."""
        return self._reports.get(_params(params))

    def put_report(self, params: dict[str, object], text: str) -> None:
        if self.recording:
            self._reports[_params(params)] = text

    def reports(self) -> list[tuple[str, str]]:
        return sorted(self._reports.items())

    def get(self, name: str, params: dict[str, str]) -> Answer | None:
        return self._answers.get(_key(name, params))

    def put(self, name: str, params: dict[str, str], answer: Answer) -> None:
        if self.recording:
            self._answers[_key(name, params)] = answer

    def items(self) -> list[tuple[tuple[str, str], Answer]]:
        return sorted(self._answers.items())


class Summary(Answers):
    """A written summary, read-only (`summary_for`)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        # read-only, so one connection may serve a threaded server's requests
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def identities(self) -> set[str]:
        return {r[0] for r in self._con.execute("SELECT identity FROM graphs")}

    def get(self, name: str, params: dict[str, str]) -> Answer | None:
        found = self._con.execute(
            "SELECT rows, complete FROM answers WHERE query = ? AND params = ?",
            _key(name, params),
        ).fetchone()
        return Answer(json.loads(found[0]), bool(found[1])) if found else None

    def items(self) -> list[tuple[tuple[str, str], Answer]]:
        found = self._con.execute("SELECT query, params, rows, complete FROM answers")
        return sorted(((q, p), Answer(json.loads(r), bool(c))) for q, p, r, c in found)

    def report(self, params: dict[str, object]) -> str | None:
        try:
            found = self._con.execute(
                "SELECT report FROM reports WHERE params = ?", (_params(params),)
            ).fetchone()
        except sqlite3.OperationalError:  # written before reports were kept: compose
            return None
        return found[0] if found else None

    def reports(self) -> list[tuple[str, str]]:
        return sorted(self._con.execute("SELECT params, report FROM reports"))

    def close(self) -> None:
        self._con.close()


def write_summary(answers: Answers, path: Path, graphs: Iterable[Path]) -> Path:
    """Write the answers to `path` atomically (temp file, then rename), naming `graphs` (the
    files or store folders holding the graph they were computed from); return the path."""
    with new_database(path) as con:
        con.executescript(
            "CREATE TABLE graphs (identity TEXT PRIMARY KEY);"
            "CREATE TABLE answers (query TEXT, params TEXT, complete INTEGER, rows TEXT,"
            " PRIMARY KEY (query, params));"
            "CREATE TABLE reports (params TEXT PRIMARY KEY, report TEXT);"
        )
        con.executemany(
            "INSERT OR IGNORE INTO graphs VALUES (?)",
            sorted((graph_identity(g),) for g in graphs),
        )
        con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", _answer_rows(answers))
        con.executemany("INSERT INTO reports VALUES (?, ?)", answers.reports())
    return path


def _answer_rows(answers: Answers) -> list[tuple[str, str, int, str]]:
    """The rows of a summary's `answers` table for `answers`: (query, parameters,
    complete, rows as JSON)."""
    return [
        (name, params, int(a.complete), _dumps(a.rows)) for (name, params), a in answers.items()
    ]


def _dumps(rows: Rows) -> str:
    return compact_json(rows, sort_keys=True).decode("utf-8")


def summary_for(graph: Path | str) -> Summary | None:
    """The summary written beside `graph` (a built graph file or store folder) for that very
    graph, or None (none written, or written for another graph: stale, never used)."""
    return open_for_graph(graph, SUMMARY_FILE, Summary)
