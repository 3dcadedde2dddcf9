"""Named SPARQL queries (`queries/*.rq`) and running any query against a store.

A named query file starts with comment lines:
    # Summary: one line saying what question it answers
    # Param: name — what the parameter means (optional, repeatable)
Parameters are bound at run time as SPARQL substitutions (never pasted into the text); a value
that looks like an IRI is bound as an IRI, anything else as a plain literal. Substituted
variables must be projected, so a named query lists its parameters first in its SELECT;
`run_named_query` checks the parameters given and drops those columns from the answer.

Answers come a page at a time when asked (`limit`, `offset`; `run_paged`), with the total row
count; entity parameters and `entity-search` use the build's name index (`chainkg.search`)
when given one.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import pyoxigraph as ox

from chainkg.bindings import bind_value
from chainkg.config import ONTOLOGY_DIR, QUERIES_DIR, package_resource
from chainkg.forked import how_it_ended
from chainkg.search import NameIndex
from chainkg.vocab import PREFIXES

_SUMMARY = re.compile(r"^#\s*Summary:\s*(.+)$", re.IGNORECASE)
_PARAM = re.compile(r"^#\s*Param:\s*\??(\w+)\s*(?:[—:-]+\s*(.*))?$", re.IGNORECASE)
_INTERNAL = re.compile(r"^#\s*Internal:\s*(yes|true)\b", re.IGNORECASE)
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
# GROUP_CONCAT's SEPARATOR in the named queries that join labels (firms, chains, segments):
# the side tables that answer them join with it too
LABEL_SEPARATOR = "、"


class Endpoint(Protocol):
    """A store reached over SPARQL (`chainkg.remote.RemoteEndpoint`): it declares the preset
    prefixes and binds the parameters itself."""

    def query(
        self, text: str, params: Mapping[str, str] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | bool: ...


@dataclass(frozen=True)
class NamedQuery:
    """A query file from queries/: its name (file stem), summary, parameters and text."""

    name: str
    summary: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    internal: bool = False  # a helper of the gap analysis; `--list` hides it unless asked

    @property
    def required_params(self) -> list[str]:
        return [name for name, doc in self.params.items() if "required" in doc.lower()]


@dataclass
class QueryResult:
    """A SELECT result as columns and rows of strings (or a boolean for ASK). A page of a
    longer answer has its `offset` and the `total` number of rows of the whole answer."""

    columns: list[str]
    rows: list[list[str]]
    boolean: bool | None = None
    total: int | None = None
    offset: int = 0
    total_exact: bool = True  # False: `total` is a lower bound (a search's count was capped)

    @property
    def is_partial(self) -> bool:
        return self.total is not None and (self.offset > 0 or len(self.rows) < self.total)

    def page_line(self) -> str:
        """'显示 1–100 / 共 2,345 行 (rows 1–100 of 2,345)': which rows these are of how many."""
        total = self.total if self.total is not None else len(self.rows)
        zh, en = (
            (f"{total:,}", f"{total:,}")
            if self.total_exact
            else (f"{total:,}+", f"more than {total:,}")
        )
        if not self.rows:
            return f"显示 0 / 共 {zh} 行 (no rows at offset {self.offset:,} of {en})"
        first, last = self.offset + 1, self.offset + len(self.rows)
        return f"显示 {first:,}–{last:,} / 共 {zh} 行 (rows {first:,}–{last:,} of {en})"

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def parse_named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    summary, params, internal = "", {}, False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _SUMMARY.match(line):
            summary = m.group(1).strip()
        elif m := _PARAM.match(line):
            params[m.group(1)] = (m.group(2) or "").strip()
        elif _INTERNAL.match(line):
            internal = True
    if not summary:
        raise ValueError(f"{path}: a named query needs a '# Summary: ...' first line")
    return NamedQuery(path.stem, summary, text, params, internal)


def list_queries(queries_dir: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every named query, sorted by name; ResourceMissing if the folder is not there."""
    folder = package_resource(Path(queries_dir), "The named queries folder")
    return [parse_named_query(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, queries_dir: Path = QUERIES_DIR) -> NamedQuery:
    path = Path(queries_dir) / f"{name.removesuffix('.rq')}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries(queries_dir))
        raise KeyError(f"no named query '{name}'. Known: {known}")
    return parse_named_query(path)


def term_text(term: object) -> str:
    """The lexical value of a result term; '' for unbound."""
    if term is None:
        return ""
    return str(getattr(term, "value", term))


def run_query(
    store: ox.Store | Endpoint, text: str, params: dict[str, str] | None = None
) -> QueryResult:
    """Run SELECT or ASK against the default graph (the merge of all named graphs).

    `store` is a local pyoxigraph Store or a chainkg.remote.RemoteEndpoint; the endpoint
    sends the same preset prefixes and binds the parameters as VALUES rows.
    """
    if isinstance(store, ox.Store):
        substitutions = {ox.Variable(k): bind_value(v) for k, v in (params or {}).items()}
        result = store.query(
            text,
            prefixes=PREFIXES,
            substitutions=substitutions or None,
        )
    else:
        result = store.query(text, params)
    if isinstance(result, bool | ox.QueryBoolean):
        return QueryResult(["result"], [[str(bool(result)).lower()]], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[term_text(solution[c]) for c in columns] for solution in result]
        return QueryResult(columns, rows)
    raise ValueError("only SELECT and ASK queries can be shown as a table")


T = TypeVar("T")


def run_isolated(run: Callable[[], T]) -> T:
    """`run()` in a forked child, so that an engine abort becomes a ValueError here.

    Oxigraph aborts the whole process on some queries (a Rust panic, e.g. ORDER BY over values
    of mixed types: "comparison function does not correctly implement a total order"); for a
    one-off command, forking costs a few milliseconds and keeps the message and exit code ours.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send back the result or the exception, exit at once
        os.close(read_end)
        try:
            payload = pickle.dumps(("ok", run()))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent as is
            payload = pickle.dumps(("error", exc))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise ValueError(
            f"the query engine crashed on this query ({how_it_ended(status)}); Oxigraph "
            "aborts on ORDER BY over values of mixed types (e.g. strings and numbers): order by "
            "STR(?x) or filter the values by type"
        )
    kind, value = pickle.loads(payload)
    if kind == "error":
        raise value
    return value


DEFAULT_PAGE = 100  # rows of a named query's answer `chainkg query` shows unless asked
_PROLOGUE = re.compile(r"\A(?:\s*(?:#[^\n]*|(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)<[^>]*>))*", re.I)
_HAS_SLICE = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+\s*\Z", re.I)


def paged_text(text: str, limit: int, offset: int = 0) -> str:
    """`text` (a SELECT query) with LIMIT/OFFSET appended to its outer solution modifiers;
    `limit` 0 = no limit. A query that already ends in LIMIT/OFFSET is left alone."""
    if _HAS_SLICE.search(_strip_comments(text)):
        return text
    return text + (f"\nLIMIT {limit}" if limit else "") + (f"\nOFFSET {offset}" if offset else "")


def count_text(text: str, keep: list[str]) -> str:
    """A query counting the rows of the SELECT `text`: it becomes a sub-select; the variables
    `keep` (the bound parameters) stay projected so that their bindings still reach it."""
    prologue = _PROLOGUE.match(text)
    head, body = text[: prologue.end()], _without_order(text[prologue.end() :])
    grouped = " ".join(f"?{k}" for k in keep)
    group_by = f" GROUP BY {grouped}" if keep else ""
    return f"{head}\nSELECT {grouped} (COUNT(*) AS ?total) WHERE {{\n{body}\n}}{group_by}"


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)


def _without_order(body: str) -> str:
    """The query without its final top-level ORDER BY (a count need not sort), unless a
    LIMIT or OFFSET follows it (then the order decides which rows are counted)."""
    for match in reversed(list(_ORDER_BY.finditer(body))):
        before, after = body[: match.start()], body[match.start() :]
        if before.count("{") == before.count("}") and "}" not in after:
            return body if re.search(r"\b(?:LIMIT|OFFSET)\b", after, re.I) else before
    return body


def _strip_comments(text: str) -> str:
    return "\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def run_paged(
    store: ox.Store | Endpoint,
    text: str,
    params: dict[str, str] | None = None,
    limit: int = 0,
    offset: int = 0,
    rewrite: bool | None = None,
) -> QueryResult:
    """One page of a SELECT query's answer (`limit` 0: from `offset` to the end) with the
    total number of rows. ASK answers as `run_query`.

    A local store evaluates the query once and only the page's rows become strings (the
    engine must see every row to sort and to count anyway). An endpoint (or `rewrite`) gets
    the query with LIMIT/OFFSET and, unless the page shows it was the whole answer, a second
    query counting the rows, so only the page travels."""
    if rewrite is None:
        rewrite = not isinstance(store, ox.Store)
    if not rewrite:
        return _sliced(store, text, params, limit, offset)
    if not limit and not offset:
        result = run_query(store, text, params)
        if result.boolean is None:
            result.total = len(result.rows)
        return result
    result = run_query(store, paged_text(text, limit, offset), params)
    if result.boolean is not None:
        return result
    result.offset = offset
    if offset == 0 and (not limit or len(result.rows) < limit):
        result.total = len(result.rows)
    else:
        counted = run_query(store, count_text(text, sorted(params or {})), params).records()
        result.total = int(counted[0]["total"]) if counted else 0
    return result


def _sliced(
    store: ox.Store, text: str, params: dict[str, str] | None, limit: int, offset: int
) -> QueryResult:
    substitutions = {ox.Variable(k): bind_value(v) for k, v in (params or {}).items()}
    answer = store.query(text, prefixes=PREFIXES, substitutions=substitutions or None)
    if isinstance(answer, bool | ox.QueryBoolean):
        return QueryResult(["result"], [[str(bool(answer)).lower()]], boolean=bool(answer))
    if not isinstance(answer, ox.QuerySolutions):
        raise ValueError("only SELECT and ASK queries can be shown as a table")
    columns = [v.value for v in answer.variables]
    end = offset + limit if limit else None
    rows, total = [], 0
    for total, solution in enumerate(answer, 1):  # noqa: B007 - the count is the total
        if total > offset and (end is None or total <= end):
            rows.append([term_text(solution[c]) for c in columns])
    return QueryResult(columns, rows, total=total, offset=offset)


class StoredAnswers(Protocol):
    """Answers written at build time (`chainkg.listings.Listings`): a page of a named
    query's answer for resolved parameters, or None when not stored."""

    def answer(
        self, query: NamedQuery, params: Mapping[str, str], limit: int = 0, offset: int = 0
    ) -> QueryResult | None: ...


def run_named_query(
    store: ox.Store | Endpoint,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    index: NameIndex | None = None,
    limit: int = 0,
    offset: int = 0,
    listings: StoredAnswers | None = None,
) -> QueryResult:
    """Run a named query after checking its parameters; parameter columns are dropped.

    With a name `index` (`chainkg.search`, built beside the graph), entity parameters are
    resolved through it and `entity-search` answers from it without a scan. With the
    `listings` written beside the graph (`chainkg.listings`), an answer stored there is
    read from it (the same rows) instead of evaluated. `limit` rows from `offset` (`limit`
    0 = all); the result carries the total row count."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        takes = ", ".join(query.params) or "no parameters"
        raise ValueError(
            f"query '{query.name}' has no parameter {', '.join(unknown)}; it takes: {takes}"
        )
    missing = [p for p in query.required_params if not params.get(p)]
    if missing:
        raise ValueError(
            f"query '{query.name}' needs --param {missing[0]}=VALUE ({query.params[missing[0]]})"
        )
    for name in list(params):
        if name in ENTITY_PARAMS and params[name]:
            params[name] = resolve_entity(store, name, params[name], index)
    if index is not None and query.name == SEARCH_QUERY:
        return search_result(index, params["text"], limit, offset)
    stored = listings.answer(query, params, limit, offset) if listings is not None else None
    if stored is not None:
        return stored
    result = run_paged(store, query.text, params, limit, offset)
    keep = [i for i, c in enumerate(result.columns) if c not in query.params]
    return QueryResult(
        [result.columns[i] for i in keep],
        [[row[i] for i in keep] for row in result.rows],
        result.boolean,
        result.total,
        result.offset,
    )


SEARCH_QUERY = "entity-search"
SEARCH_COLUMNS = ["label", "type", "matched", "iri"]  # entity-search.rq's, without ?text


SEARCH_COUNT_CAP = 10_000  # a paged search counts its matches up to this, then says "more"


def search_result(index: NameIndex, text: str, limit: int = 0, offset: int = 0) -> QueryResult:
    """`entity-search` answered from the name index: the same columns as the SPARQL query,
    but one row per entity (its most specific class, the best-matching name), ids matched
    too, and ranked exact match first, then shorter names (the SPARQL query: one row per
    class and matching name, ordered by label). A page (`limit` > 0) counts the matches only
    up to SEARCH_COUNT_CAP past its own end: beyond, `total` is that bound and
    `total_exact` is False ("10,000+")."""
    if limit:
        found = index.search(text, limit=offset + limit)
        hits = found[offset:]
        if len(found) < offset + limit:  # the search found every match: no count needed
            total, exact = len(found), True  # (a short text's scan, twice: 0.44 s at 1M)
        else:
            cap = max(SEARCH_COUNT_CAP, offset + limit)
            total = index.count(text, cap)
            exact = total <= cap
            total = min(total, cap)
    else:
        total, exact = index.count(text), True
        hits = index.search(text, limit=max(total, 1))[offset:]
    rows = [[h.label, h.type, h.matched, h.iri] for h in hits]
    return QueryResult(list(SEARCH_COLUMNS), rows, total=total, offset=offset, total_exact=exact)


# Parameters that name an entity, and the class it must have ('' = any labelled entity).
# Every named query takes a label, an alias, an id or an IRI for them, resolved once here.
ENTITY_PARAMS = {
    "chain": "ckg:IndustrialChain",
    "company": "ckg:Enterprise",
    "segment": "ckg:ChainSegment",
    "subject": "",
    "entity": "",
    "event": "ckg:ZoneEvent",
}
_RESOLVE = """
SELECT DISTINCT ?wanted ?e ?label ?id ?own WHERE {
  %s
  %s
  OPTIONAL { ?e rdfs:label ?label . FILTER(LANG(?label) = "zh") }
  OPTIONAL { ?e dct:identifier ?id }
  BIND(EXISTS { { ?e ckg:zoneStage ?stage }
               UNION { ?ds ckg:focalZone ?zone . ?e ckg:territory ?zone .
                       FILTER NOT EXISTS { ?e ckg:isBenchmark true } } } AS ?own)
}
ORDER BY ?e
"""
# by a Chinese or English label, an alias, an id or a credit code (case-insensitive);
# one group each, so a remote endpoint's VALUES binding reaches the FILTER
_BY_NAME = (  # a credit code (统一社会信用代码) names an enterprise too
    "?e rdfs:label|skos:altLabel|dct:identifier|ckg:creditCode ?name . "
    "FILTER(LCASE(STR(?name)) = ?wanted)"
)
_IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]+$", re.IGNORECASE)


@functools.cache
def ontology_individuals(cls: str) -> dict[str, str]:
    """Casefolded name (label, local name or IRI) -> IRI of the individuals the ontology
    itself declares of class `cls` (e.g. "ckg:ZoneEvent"); empty for a class of data."""
    graph = package_resource(ONTOLOGY_DIR, "the ontology") / "chainkg.ttl"
    wanted = ox.NamedNode(PREFIXES["ckg"] + cls.removeprefix("ckg:"))
    quads = list(ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE))
    members = {q.subject for q in quads if q.predicate == _RDF_TYPE and q.object == wanted}
    names: dict[str, str] = {}
    for q in quads:
        if q.subject in members and q.predicate == _RDFS_LABEL:
            names[q.object.value.casefold()] = q.subject.value
    for member in members:
        names[member.value.casefold()] = member.value
        names[member.value.rsplit("#", 1)[-1].casefold()] = member.value
    return names


_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")


class AmbiguousName(KeyError):
    """A parameter value names several entities; the message lists them."""


class UnknownName(KeyError):
    """A parameter value names no entity of the expected kind."""


def resolve_entity(
    store: ox.Store | Endpoint, param: str, value: str, index: NameIndex | None = None
) -> str:
    """The IRI of the entity a parameter value names: a Chinese or English label, an alias,
    an id or an IRI (case-insensitive). When a name fits several, the focal zone's own one
    (its chain, or an actor present in it) wins; otherwise an AmbiguousName lists them all,
    and a name that fits none raises UnknownName.

    With the name `index`, a name is looked up there (exact names, aliases and ids) and the
    store is asked only about the candidates; without it, or for a value the index does not
    hold, SPARQL compares every name (slow on a large store), and an unknown value's error
    lists similar names from the index."""
    wanted = value.strip()
    if wanted.startswith("<") and wanted.endswith(">"):
        wanted = wanted[1:-1]
    if not wanted:
        raise UnknownName(f"give a value for --param {param}")
    cls = ENTITY_PARAMS.get(param, "")
    terms = ontology_individuals(cls) if cls else {}
    if terms:  # a class of the ontology's own individuals (four zone events): no store read
        found_iri = terms.get(wanted.casefold())
        if found_iri is None:
            known = ", ".join(sorted({v.rsplit("#", 1)[-1] for v in terms.values()}))
            raise UnknownName(f"--param {param}='{value}' is none of {known} (or their labels)")
        return found_iri
    typed = f"?e a {cls} ." if cls else "?e dct:identifier ?any_id ."
    if _IRI.match(wanted) and "://" in wanted:  # ?e itself bound: looked up, not compared
        found = run_query(store, _RESOLVE % (typed, ""), {"e": wanted}).records()
    elif index is not None and (
        candidates := index.resolve(wanted, cls.removeprefix("ckg:") or None)
    ):
        if len(candidates) == 1:
            return candidates[0]
        listed = " ".join(f"<{c}>" for c in candidates)  # IRIs the build minted
        found = run_query(store, _RESOLVE % (f"VALUES ?e {{ {listed} }}", typed)).records()
    else:  # no index, or a value it does not hold (it may still match what SPARQL compares)
        found = run_query(store, _RESOLVE % (_BY_NAME, typed), {"wanted": wanted.casefold()})
        found = found.records()
    by_iri: dict[str, dict[str, str]] = {}
    for row in found:
        by_iri.setdefault(row["e"], row)
    matches = list(by_iri.values())
    if len(matches) > 1:
        own = [m for m in matches if m["own"] == "true"]
        if len(own) == 1:
            matches = own
    if len(matches) == 1:
        return matches[0]["e"]
    kind = cls.removeprefix("ckg:") or "entity"
    if matches:
        listed = "; ".join(f"{m['id'] or m['e']} ({m['label']})" for m in matches)
        raise AmbiguousName(
            f"--param {param}='{value}' names {len(matches)} {kind}s: {listed}. Use an id."
        )
    if index is not None:
        raise UnknownName(_unknown_from_index(index, param, value, cls))
    hint = ""
    if cls:
        names = run_query(
            store,
            f"SELECT DISTINCT ?id ?label WHERE {{ ?e a {cls} ; dct:identifier ?id . "
            'OPTIONAL { ?e rdfs:label ?label . FILTER(LANG(?label) = "zh") } } ORDER BY ?id',
        ).records()
        shown = "; ".join(f"{n['id']} ({n['label']})" for n in names[:40])
        more = f" … and {len(names) - 40} more" if len(names) > 40 else ""
        hint = f" Known {kind}s: {shown}{more}"
    raise UnknownName(f"--param {param}='{value}' names no {kind} in the graph.{hint}")


def _unknown_from_index(index: NameIndex, param: str, value: str, cls: str) -> str:
    kind = cls.removeprefix("ckg:") or "entity"
    type_ = cls.removeprefix("ckg:") or None
    similar = [h for h in index.search(value, limit=200) if type_ in (None, h.type)][:20]
    if similar:
        shown = "; ".join(f"{index.identifier(h.iri) or h.iri} ({h.label})" for h in similar)
        hint = f" Similar names: {shown}"
    elif type_:
        known, count = index.known(type_, 40)
        more = f" … and {count - 40} more" if count > 40 else ""
        hint = f" Known {kind}s: " + "; ".join(f"{i} ({label})" for i, label in known) + more
    else:
        hint = ""
    return f"--param {param}='{value}' names no {kind} in the graph.{hint}"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as csv, tsv, json, or a plain-text table. JSON of a page is an object
    {"total", "offset", "rows"}; a whole answer stays a plain list of records."""
    if fmt == "json":
        if result.boolean is not None:
            return json.dumps({"boolean": result.boolean})
        if result.is_partial:
            page = {"total": result.total, "offset": result.offset, "rows": result.records()}
            if not result.total_exact:
                page["total_exact"] = False
            return json.dumps(page, ensure_ascii=False, indent=2)
        return json.dumps(result.records(), ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return buffer.getvalue()
    if fmt == "table":
        return _rich_table(result)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(OUTPUT_FORMATS)}")


def _rich_table(result: QueryResult) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*result.columns, show_lines=False)
    for row in result.rows:
        table.add_row(*row)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    console.print(f"{len(result.rows)} row(s)")
    return console.export_text()
