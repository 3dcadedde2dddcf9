"""What every listing builder shares: the builder contract's types and the seed tables read
as the row mapping reads them (IRIs as `chainkg.mapping` mints them, labels, relations,
presence in the focal zone from `chainkg.presence`, labels of ontology terms), as pandas
frames, so that builders stay vectorised at a million enterprises.

Registry rows (`chainkg.mapping_panorama`) add enterprises and placements in places, chains
and segments: `enterprises` and `relations` give them as rows of those tables (the new firms
after the enterprises.csv rows, the placements as relation rows marked `registry`), by the
registry's own rules (`registry_placements`), so the builders that read only these answer
for registry data sets too; the others decline them (`declines`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping

import numpy as np
import pandas as pd

from chainkg.mapping_panorama import registry_firms, registry_ties
from chainkg.presence import zone_stages as presence_stages
from chainkg.schema import TABLES
from chainkg.tables import Seeds, shared

ListingRows = tuple[str, pd.DataFrame]  # (the parameter's value, or "", the answer's rows)
Builder = Callable[[Seeds], Iterator[ListingRows]]
MIN_ROWS = 100  # a builder may leave keys with fewer rows than this to SPARQL
CURATOR_JUDGED, STATED = "编者判断", "原文明示"  # chain-enterprises' ?assertion
PRESENCE_STAGES = {
    "producing": "PresentProducing",
    "building": "PresentBuilding",
    "signed": "PresentSigned",
}


def table(seeds: Seeds, name: str, *columns: str) -> pd.DataFrame:
    """The named columns of a seed table, or all of them when none is named (an empty frame
    with them, the schema's, if the data set has no such table)."""
    frame = seeds.tables.get(name)
    if frame is None:
        names = columns or TABLES[name].column_names
        return pd.DataFrame({c: pd.Series(dtype=object) for c in names})
    return frame.loc[:, list(columns)] if columns else frame


def enterprises(seeds: Seeds, *columns: str) -> pd.DataFrame:
    """`table(seeds, "enterprises", *columns)` followed by the enterprises registry rows add
    (`registry_firms`; their other cells empty)."""
    frame = table(seeds, "enterprises", *columns)
    added = registry_firms(seeds)
    if added.empty:
        return frame
    more = pd.DataFrame({c: added.get(c, "") for c in frame.columns})
    return pd.concat([frame, more.astype(frame.dtypes.to_dict())], ignore_index=True)


def entity_iris(seeds: Seeds, ids: pd.Series) -> pd.Series:
    """`{base}{kind}/{id}` for each id, as the row mapping mints it (`RowBuilder.entity`)."""
    kinds = {name: t.rdf_kind for name, t in TABLES.items()}
    tables = {i: seeds.table_of[i] for i in ids.unique() if i in seeds.table_of}  # not all 2M
    others = set(ids.unique().tolist()) - tables.keys()
    if others:  # the registry's new firms
        tables |= {i: "enterprises" for i in others & set(registry_firms(seeds)["id"])}
    kind = ids.map(tables).map(kinds)
    return seeds.config.base_iri + kind + "/" + ids


@shared
def enterprise_index(seeds: Seeds) -> pd.Index:
    """The ids of the enterprises (`enterprises`: enterprises.csv, then the registry's new
    firms) as an index, its hash table built once per write: the position of an id
    (`get_indexer`), or whether it names an enterprise, without hashing a million ids again
    per question (what `isin(enterprises["id"])` does)."""
    return pd.Index(enterprises(seeds, "id")["id"])


def enterprise_rows(seeds: Seeds, ids: Collection[str] | pd.Series) -> np.ndarray:
    """Which rows of `enterprises` (a mask in its order) have one of `ids`."""
    index = enterprise_index(seeds)
    at = index.get_indexer(pd.unique(pd.Series(list(ids) if isinstance(ids, set) else ids)))
    mask = np.zeros(len(index), dtype=bool)
    mask[at[at >= 0]] = True
    return mask


@shared
def labels(seeds: Seeds) -> pd.Series:
    """id -> Chinese label (`label_zh`, what `RowBuilder.labels` writes as rdfs:label@zh) of
    every row of a labelled table."""
    parts = [
        frame.set_index("id")["label_zh"]
        for name, frame in seeds.tables.items()
        if "label_zh" in frame.columns and TABLES[name].evidence
    ]
    parts.append(registry_firms(seeds).set_index("id")["label_zh"])
    return pd.concat(parts)


@shared
def relations(seeds: Seeds, predicate: str) -> pd.DataFrame:
    """subject, object, whether the row is a curator's assertion and whether it is a
    registry placement (`registry_ties`: no statement of the tie, no quote), of the rows
    with one predicate (snake case, as in relations.csv)."""
    frame = table(seeds, "relations", "subject", "predicate", "object", "assertion")
    frame = frame[frame["predicate"] == predicate]
    rows = pd.DataFrame(
        {
            "subject": frame["subject"],
            "object": frame["object"],
            "curator": frame["assertion"] == "curator",
            "registry": False,
        }
    )
    placed = registry_ties(seeds)
    placed = placed[placed["predicate"] == predicate]
    if len(placed):
        more = pd.DataFrame(
            {"subject": placed["subject"], "object": placed["object"], "curator": False}
        ).assign(registry=True)
        rows = pd.concat([rows, more.astype(rows.dtypes.to_dict())])
    return rows.reset_index(drop=True)


@shared
def entities(seeds: Seeds) -> pd.DataFrame:
    """Every row with a Chinese label: id, seed table and the label as the mappers write it
    (`labels()`, a statistic's and a post's own label); other rows have none; the
    enterprises registry rows add follow those of enterprises.csv (`enterprises`). Computed
    once per write (do not modify it)."""
    added = registry_firms(seeds)
    parts = []
    if "enterprises" not in seeds.tables:
        parts.append(
            pd.DataFrame({"id": added["id"], "table": "enterprises", "label": added["label_zh"]})
        )
    for name, frame in seeds.tables.items():
        if name not in TABLES or "id" not in frame.columns or not TABLES[name].evidence:
            continue
        if "label_zh" in frame.columns:
            label = frame["label_zh"]
        elif name == "statistics":
            period = frame["period"].where(frame["period"] == "", " (" + frame["period"] + ")")
            label = frame["indicator_zh"] + " " + frame["value_text"] + period
        elif name == "posts":
            label = frame["role_zh"]
        else:
            continue
        ids, label = frame["id"].to_numpy(), label.to_numpy()
        if name == "enterprises" and len(added):
            ids = np.concatenate([ids, added["id"].to_numpy()])
            label = np.concatenate([label, added["label_zh"].to_numpy()])
        parts.append(pd.DataFrame({"id": ids, "table": name, "label": label}))
    return pd.concat(parts, ignore_index=True).set_index("id", drop=False)


@shared
def entity_label_ranks(seeds: Seeds) -> np.ndarray:
    """The rank of each label of `entities` (by position) in the order SPARQL sorts it
    (`ranks`), all labels ranked once per write: a builder whose column holds these labels
    takes their ranks by position (`distinct(..., ranked=)`) instead of sorting them again."""
    return ranks(entities(seeds)["label"])


@shared
def enterprise_label_ranks(seeds: Seeds) -> np.ndarray:
    """`entity_label_ranks` of the rows of `enterprises`, in its order."""
    return entity_label_ranks(seeds)[entities(seeds)["table"].to_numpy() == "enterprises"]


@shared
def zone_stages(seeds: Seeds) -> pd.Series:
    """id -> presence stage ('producing', 'building', 'signed') of every actor with a
    `ckg:zoneStage` (`chainkg.presence.zone_stages`), as a Series."""
    return pd.Series(presence_stages(seeds), dtype=object)


@shared
def located_places(seeds: Seeds) -> pd.DataFrame:
    """(entity, place) for every `ckg:locatedIn` of an enterprise or organization: its row's
    `located_in` and its `located_in` relations, without repeats."""
    own = [
        table(seeds, name, "id", "located_in").rename(
            columns={"id": "entity", "located_in": "place"}
        )
        for name in ("enterprises", "organizations")
    ]
    ties = relations(seeds, "located_in").rename(columns={"subject": "entity", "object": "place"})
    frame = pd.concat([*own, ties[["entity", "place"]]], ignore_index=True)
    return frame[frame["place"] != ""].drop_duplicates(ignore_index=True)


def coded(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, ranks) of a column: equal values have equal codes (a missing value is not
    ""); each value's rank in the order SPARQL sorts it: numbers by value, strings by code
    point, a missing string as "" (compared in C as numpy strings: pandas' own sort of its
    `str` columns compares them in Python, ~100 s for 900,000 rows of 7 columns). One
    factorization gives both: pandas' `drop_duplicates` would factorize the column again."""
    codes, uniques = _factorized(values)
    return codes, _ranked(codes, uniques)


def _ranked(codes: np.ndarray, uniques: np.ndarray | None) -> np.ndarray:
    """The ranks of a factorized column (`_factorized`): its distinct strings sorted."""
    if uniques is None:  # numbers: their own codes and ranks
        return codes
    missing = pd.isna(uniques)
    text = np.asarray(np.where(missing, "", uniques), dtype=np.dtypes.StringDType())
    order = np.argsort(text, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    if missing.any():  # "" ties a missing string: the only two uniques that compare equal
        by_rank = text[order]
        rank[order] = np.cumsum(np.concatenate([[0], by_rank[1:] != by_rank[:-1]]))
    else:  # distinct strings: the rank is the place in the order
        rank[order] = np.arange(len(order))
    return rank[codes]


def _factorized(values: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """(codes, the distinct values) of a column of strings; (the values, None) of one of
    numbers or booleans, which are their own codes."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64), None
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(), None
    return pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)


def ranks(values: pd.Series) -> np.ndarray:
    """Each value's rank in the order SPARQL sorts it (see `coded`)."""
    return coded(values)[1]


def ordered(
    frame: pd.DataFrame,
    by: list[str],
    descending: Collection[str] = (),
    ranked: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Sorted by `by` (the ORDER BY; the columns in `descending` from the largest), stably:
    tied rows keep the order the seeds give them. `ranked`: column -> each row's rank, for
    columns ranked already (equal values, equal ranks, in the order `ranks` gives them, e.g.
    `entity_label_ranks` taken by position)."""
    if frame.empty:
        return frame
    return frame.iloc[_sort_order(frame, np.arange(len(frame)), by, descending, _given(ranked))]


def _given(ranked: Mapping[str, np.ndarray] | None) -> dict[str, tuple[np.ndarray, None]]:
    """Ranks given as `_sorted_runs` takes them: as numbers, their own ranks."""
    return {c: (np.asarray(r), None) for c, r in (ranked or {}).items()}


def distinct(
    frame: pd.DataFrame,
    by: list[str] | None = None,
    descending: Collection[str] = (),
    subset: list[str] | None = None,
    ranked: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """`ordered(frame.drop_duplicates(subset), by, descending, ranked)` (`by`: every column
    when None). Rows equal on `subset` are equal on `by` when `by` is part of it, so they rank
    equal (a column's ranks come from its factorization, `_ranked`) and end in one run of
    tied rows, in the seeds' order: then only the rows the sort leaves tied are compared,
    their columns factorized alone, not every row on every column of `subset`."""
    columns = [str(c) for c in frame.columns]
    by = columns if by is None else by
    subset = columns if subset is None else subset
    if frame.empty:
        return frame
    if not set(by) <= set(subset):
        found = {c: _factorized(frame[c]) for c in dict.fromkeys(subset)}
        codes = pd.DataFrame({i: found[c][0] for i, c in enumerate(subset)}, copy=False)
        keep = np.flatnonzero(~codes.duplicated().to_numpy())
        return frame.iloc[_sort_order(frame, keep, by, descending, found | _given(ranked))]
    order, group = _sorted_runs(frame, np.arange(len(frame)), by, descending, _given(ranked))
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    sizes = np.diff(np.append(starts, len(order)))
    at = np.flatnonzero(np.repeat(sizes > 1, sizes))  # along `order`: the tied rows
    if len(at) == 0:
        return frame.iloc[order]
    rows = order[at]
    codes = pd.DataFrame(
        {"run": group[at]}
        | {i: _factorized(frame[c].iloc[rows])[0] for i, c in enumerate(dict.fromkeys(subset))},
        copy=False,
    )
    keep = np.ones(len(order), dtype=bool)
    keep[at] = ~codes.duplicated().to_numpy()  # a run's rows in the seeds' order: first kept
    return frame.iloc[order[keep]]


def _sort_order(
    frame: pd.DataFrame,
    rows: np.ndarray,
    by: list[str],
    descending: Collection[str],
    factorized: dict[str, tuple[np.ndarray, np.ndarray | None]] | None = None,
) -> np.ndarray:
    """`rows` (positions in `frame`) in the order of `by` (see `_sorted_runs`)."""
    return _sorted_runs(frame, rows, by, descending, factorized)[0]


def _sorted_runs(
    frame: pd.DataFrame,
    rows: np.ndarray,
    by: list[str],
    descending: Collection[str],
    factorized: dict[str, tuple[np.ndarray, np.ndarray | None]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`rows` (positions in `frame`) in the order `np.lexsort` of the columns' ranks gives
    (`by` first to last, ties in the order given), each column ranked only on the rows the
    columns before it leave tied: the last columns of a long ORDER BY (tie-breakers, often
    long unique strings) are mostly never sorted. `factorized`: columns already factorized
    (`_factorized`), ranked from their distinct values when most rows are tied. With the
    order, the run of each row along it (rows in one run are tied on every column of `by`,
    or, when the sort stopped early, alone in theirs)."""
    factorized = {} if factorized is None else factorized
    order = np.array(rows, dtype=np.int64)
    group = np.zeros(len(order), dtype=np.int64)  # along `order`: runs of tied rows
    for column in by:
        starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
        sizes = np.diff(np.append(starts, len(order)))
        if len(order) == 0 or (sizes == 1).all():
            break
        tied = np.repeat(sizes > 1, sizes)  # the rows of runs of two or more
        at = np.flatnonzero(tied)
        if 4 * len(at) < len(frame):  # a few tied rows: rank them alone
            rank = ranks(frame[column].iloc[order[at]])
        else:  # most: the whole column (no copy of it first)
            codes, uniques = factorized.get(column) or _factorized(frame[column])
            rank = _ranked(codes, uniques)[order[at]]
        rank = -rank if column in descending else rank
        runs = group[at]
        within = np.lexsort((rank, runs))  # stable: a run's rows keep their order on ties
        order[at] = order[at][within]
        rank, runs = rank[within], runs[within]
        cut = np.concatenate([[True], group[1:] != group[:-1]])
        cut[at[1:]] |= (runs[1:] != runs[:-1]) | _differ(rank[1:], rank[:-1])
        group = np.cumsum(cut) - 1
    return order, group


def _differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a != b, element by element, two missing numbers (NaN) equal as `np.lexsort` ties
    them."""
    found = a != b
    if a.dtype.kind == "f":
        found &= ~(np.isnan(a) & np.isnan(b))
    return found


def declines(seeds: Seeds) -> bool:
    """Whether the seeds hold rows that a builder reading more than `enterprises`,
    `relations`, `labels`, `entities`, `located_places` and `zone_stages` does not model:
    registry rows (their registry fields, evidence and reference categories come from
    `chainkg.mapping_panorama`); such a builder's listings are answered by SPARQL."""
    return seeds.has_registry_rows
