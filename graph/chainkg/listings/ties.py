"""Listings side-table builders for ties between firms (issue #16, helper B).

Each `build_<query>(seeds)` yields `(key, frame)` pairs: the answer of the named query
`<query>` for the parameter value `key` (the full IRI the parameter resolves to, a name for
`evidence-for-entity`, "" for the unbound answer), with the query's columns (parameters
dropped) and its rows as `chainkg.queries.run_named_query` returns them, in its ORDER BY
order (rows the ORDER BY leaves tied keep the order the seed rows give them, so the same seeds
give the same rows in the same order).

The rows are computed from the seed tables with pandas (merges, group-bys, sorts), never by
querying the store, reusing the row mapping's rules: IRIs as `chainkg.ntriples.RowBuilder`
mints them, presence in the focal zone from `chainkg.presence`, evidence nodes one per
source/quote pair as `RowBuilder.with_evidence` writes them, assertion modes from
`chainkg.ntriples.ASSERTION_MODES`, and labels of ontology terms from `ontology_quads()`.

Registry rows (sources of kind `registry`) add enterprises, their registry fields and
evidence, zone presences and placements in reference categories by rules these builders do
not repeat: for a data set with registry rows, the builders whose answers they change yield
nothing (`rows.declines`), and SPARQL answers as before. (The enterprise listings,
`chainkg.listings.enterprises`, read registry rows as table rows.)
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator

import numpy as np
import pandas as pd

from chainkg.listings.rows import (
    MIN_ROWS,
    ListingRows,
    declines,
    distinct,
    enterprise_index,
    enterprise_label_ranks,
    enterprise_rows,
    entities,
    entity_label_ranks,
    located_places,
    ordered,
    registry_ties,
    shared,
    table,
    zone_stages,
)
from chainkg.listings.rows import enterprises as all_enterprises
from chainkg.mapping import _STAGES, STAGES, STATUSES, ontology_quads, predicate_iri
from chainkg.ntriples import _RDFS, ASSERTION_MODES
from chainkg.presence import PRODUCING, places_in_zone
from chainkg.schema import MULTI_SEPARATOR, TABLES
from chainkg.tables import Seeds, is_member
from chainkg.vocab import CKG, CKG_IRI

SUPPLIERS_OF = [
    "supplier_label",
    "supplier_stage",
    "customer_label",
    "customer_stage",
    "assertion",
    "quote",
    "article",
]
RELATIONS_WITH_EVIDENCE = [
    "subject_label",
    "predicate_label",
    "object_label",
    "role",
    "quote",
    "article",
    "assertion",
]
LIST_MAIN_ENTERPRISES = [
    "item",
    "label",
    "kind",
    "detail",
    "stage_order",
    "local",
    "quote",
    "source",
]
ENTERPRISE_PROFILE = ["enterprise", "field", "value", "reason", "source"]
EVIDENCE_FOR_ENTITY = ["fact_type", "fact", "quote", "assertion", "article", "date"]

_SUPPLY = {"supplier_of": True, "customer_of": False}  # predicate -> the subject supplies
_PLACING = ("in_chain", "leads_chain", "operates_in_segment")  # profile orders 12 and 13
_UNKNOWN_SEGMENT, _LEADER = "环节未知", "龙头"  # list-main-enterprises' BIND texts


# --- ontology terms ---------------------------------------------------------------------


@functools.cache
def _ontology_values(predicate: str, language: str | None) -> dict[str, str]:
    """IRI -> lexical value of `predicate` in the ontology (in `language`, if given)."""
    out: dict[str, str] = {}
    for quad in ontology_quads():
        obj = quad.object
        if quad.predicate.value != predicate or not hasattr(obj, "language"):
            continue
        if language is None or obj.language == language:
            out.setdefault(quad.subject.value, obj.value)
    return out


def _zh_label(term: str) -> str | None:
    """An ontology term's Chinese label (None if it has none)."""
    return _ontology_values(_RDFS + "label", "zh").get(str(term))


# --- seed-table frames --------------------------------------------------------------------


def _evidence_count(frame: pd.DataFrame) -> pd.Series:
    """How many evidence nodes each row gets (one per source)."""
    counts = [cell.count(MULTI_SEPARATOR) + 1 for cell in frame["source"].tolist()]
    return pd.Series(counts, index=frame.index, dtype=np.int64)


@shared
def _evidence_counts(seeds: Seeds, name: str) -> pd.Series:
    """`_evidence_count` of a whole seed table, counted once per write (do not modify it)."""
    return _evidence_count(table(seeds, name))


def _iri_prefix(seeds: Seeds, table: str) -> str:
    """`{base}{kind}/`, the prefix of a row's IRI (as `RowBuilder.node_prefix` has it)."""
    return f"{seeds.config.base_iri}{TABLES[table].rdf_kind}/"


def _stages(seeds: Seeds) -> pd.Series:
    """Actor id -> its `ckg:zoneStage` term (IRI), for every actor present in the zone (the
    presence computed once for every builder of a write, `rows.zone_stages`)."""
    stages = zone_stages(seeds)
    return stages.map({stage: _STAGES[stage][1:-1] for stage in stages.unique()})


def _stage_labels(seeds: Seeds) -> pd.Series:
    """Actor id -> the Chinese label of its `ckg:zoneStage`."""
    stages = _stages(seeds)
    return stages.map({term: _zh_label(term) for term in stages.unique()})


def _split(cells: pd.Series) -> pd.Series:
    """`split_multi` over a column (of cells that hold a separator): a list per cell."""
    return cells.map(lambda c: [p.strip() for p in c.split(MULTI_SEPARATOR)])


def _evidence(seeds: Seeds, table: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The evidence nodes of `rows` (of `table`), as `RowBuilder.with_evidence` writes them:
    one per source/quote pair, indexed by the row's index label, with the row id, quote,
    source id, article title, source date and the assertion mode's Chinese label. A row
    with several sources gives its nodes in its place, the rows then in the order of their
    labels (as the rows given, without one)."""
    modes = {k: _zh_label(v) for k, v in ASSERTION_MODES.items()}
    mode = rows["assertion"].where(rows["assertion"] != "", "stated").map(modes)
    quotes, sources = rows["quote"].tolist(), rows["source"].tolist()
    several = [i for i, cell in enumerate(sources) if MULTI_SEPARATOR in cell]
    index = rows.index
    if several:  # one node per source/quote pair, split in one pass over the rows
        order = np.argsort(index.to_numpy(), kind="stable")
        counts = np.ones(len(rows), dtype=np.int64)
        quote_parts: list[str] = []
        source_parts: list[str] = []
        for at in order.tolist():
            quote, source = quotes[at], sources[at]
            if MULTI_SEPARATOR in source:
                split_quote = [p.strip() for p in quote.split(MULTI_SEPARATOR)]
                split_source = [p.strip() for p in source.split(MULTI_SEPARATOR)]
                if len(split_quote) != len(split_source):
                    raise ValueError(
                        f"{table}.csv: row {rows['id'].iat[at]!r} has {len(split_source)} "
                        f"sources and {len(split_quote)} quotes; give one quote per source"
                    )
                quote_parts += split_quote
                source_parts += split_source
                counts[at] = len(split_source)
            else:
                quote_parts.append(quote.strip())
                source_parts.append(source.strip())
        take = np.repeat(order, counts[order])
        index = index[take]
        ids, mode = rows["id"].to_numpy(dtype=object)[take], mode.to_numpy(dtype=object)[take]
    else:
        quote_parts = [q.strip() for q in quotes]
        source_parts = [s.strip() for s in sources]
        ids, mode = rows["id"].to_numpy(dtype=object), mode.to_numpy(dtype=object)
    register = seeds.tables["sources"].set_index("id")
    found = register.index.get_indexer(source_parts)
    known = found >= 0
    ev = pd.DataFrame(
        {
            "id": ids,
            "quote": np.asarray(quote_parts, dtype=object),
            "source": np.asarray(source_parts, dtype=object),
            "assertion": mode,
        },
        index=index,
        dtype=object,
    )
    for column, name, missing in (("headline", "article", np.nan), ("date", "date", "")):
        values = np.full(len(found), missing, dtype=object)
        values[known] = register[column].to_numpy(dtype=object)[found[known]]
        ev[name] = pd.array(values, dtype=register[column].dtype)  # as `Series.map` types it
    return ev


def _groups(frame: pd.DataFrame, key: str, columns: list[str]) -> Iterator[ListingRows]:
    """(key, rows) per value of `key`, for a frame already sorted with `key` first."""
    if frame.empty:
        return
    values = frame[key].to_numpy()
    cuts = np.flatnonzero(values[1:] != values[:-1]) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(frame)]])
    body = frame[columns]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        yield str(values[start]), body.iloc[start:end].reset_index(drop=True)


def _hubs(frame: pd.DataFrame, key: str, min_rows: int) -> pd.DataFrame:
    """The rows of the keys with more than `min_rows` rows."""
    counts = frame[key].value_counts()
    return frame[frame[key].isin(counts.index[counts > min_rows])]


# --- suppliers-of -------------------------------------------------------------------------


def _supply_ties(seeds: Seeds) -> pd.DataFrame:
    """One row per evidence node of each supplier/customer relation whose two sides have a
    Chinese label: supplier, customer (IRIs), whether each is an enterprise and the
    suppliers-of columns."""
    relations = table(seeds, "relations")
    ties = relations[relations["predicate"].isin(list(_SUPPLY))]
    forward = ties["predicate"].map(_SUPPLY).astype(bool)
    ev = _evidence(seeds, "relations", ties)
    supplier = ties["subject"].where(forward, ties["object"]).reindex(ev.index).to_numpy()
    customer = ties["object"].where(forward, ties["subject"]).reindex(ev.index).to_numpy()
    at = pd.DataFrame(  # each end's position among the enterprises (-1: another entity)
        {
            "subject": _enterprise_at(seeds, "relations", "subject"),
            "object": _enterprise_at(seeds, "relations", "object"),
        },
        index=relations.index,
    ).loc[ties.index]
    supplier_at = at["subject"].where(forward, at["object"]).reindex(ev.index).to_numpy()
    customer_at = at["object"].where(forward, at["subject"]).reindex(ev.index).to_numpy()
    # each end's row among the labelled entities (-1: none): its label, the label's rank
    # and its IRI taken by position
    known = entities(seeds)
    supplier_row = known.index.get_indexer(supplier)
    customer_row = known.index.get_indexer(customer)
    label, rank = known["label"].to_numpy(dtype=object), entity_label_ranks(seeds)
    stages = _stage_labels(seeds)
    out = pd.DataFrame(
        {
            "supplier": supplier,
            "customer": customer,
            "supplier_label": np.where(supplier_row >= 0, label[supplier_row], np.nan),
            "supplier_stage": pd.Series(supplier).map(stages).fillna("").to_numpy(),
            "customer_label": np.where(customer_row >= 0, label[customer_row], np.nan),
            "customer_stage": pd.Series(customer).map(stages).fillna("").to_numpy(),
            "assertion": ev["assertion"].to_numpy(),
            "quote": ev["quote"].to_numpy(),
            "article": ev["article"].to_numpy(),
            "supplier_firm": supplier_at >= 0,
            "customer_firm": customer_at >= 0,
            "supplier_rank": rank[supplier_row],
            "customer_rank": rank[customer_row],
        }
    )
    both = (out["supplier_label"].notna() & out["customer_label"].notna()).to_numpy()
    out = out[both]
    out["supplier"] = _iris(seeds, out["supplier"], supplier_row[both])
    out["customer"] = _iris(seeds, out["customer"], customer_row[both])
    return out


def _iris(seeds: Seeds, ids: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The IRI of each id of a row with a Chinese label, at `rows` of `entities`: the
    `_iri_prefix` of its table and the id, made for these ids only."""
    tables = entities(seeds)["table"].to_numpy(dtype=object)[rows]
    prefixes = {name: _iri_prefix(seeds, name) for name in pd.unique(tables)}
    return (pd.Series(tables, dtype=object).map(prefixes) + ids.to_numpy(dtype=object)).to_numpy()


def build_suppliers_of(seeds: Seeds, min_rows: int = MIN_ROWS) -> Iterator[ListingRows]:
    """`suppliers-of`: every tie once from its supplier (key ""), and the ties of each
    enterprise with more than `min_rows` rows (key: its IRI; both directions). Registry
    rows state no tie: they change only who is present (`zone_stages`)."""
    ties = _supply_ties(seeds)
    order = ["customer_label", "supplier_label"]
    # DISTINCT over the selected variables, the company (= the supplier, unbound) among them
    ranked = {"customer_label": "customer_rank", "supplier_label": "supplier_rank"}
    every = distinct(
        ties,
        order,
        subset=["supplier", *SUPPLIERS_OF],
        ranked={c: ties[r].to_numpy() for c, r in ranked.items()},
    )
    yield "", every[SUPPLIERS_OF].reset_index(drop=True)
    sides = pd.concat(
        [
            ties[ties["supplier_firm"]].assign(company=ties["supplier"]),
            ties[ties["customer_firm"]].assign(company=ties["customer"]),
        ],
        ignore_index=True,
    )
    sides = distinct(
        sides,
        ["company", *order],
        subset=["company", *SUPPLIERS_OF],
        ranked={c: sides[r].to_numpy() for c, r in ranked.items()},
    )
    sides = _hubs(sides, "company", min_rows)
    yield from _groups(sides, "company", SUPPLIERS_OF)


# --- relations-with-evidence --------------------------------------------------------------


def build_relations_with_evidence(seeds: Seeds) -> Iterator[ListingRows]:
    """`relations-with-evidence` (no parameter, key ""): every relation's evidence with the
    Chinese labels of its two ends and of its predicate."""
    relations = table(seeds, "relations")
    ev = _evidence(seeds, "relations", relations)
    known = entities(seeds)
    label, rank = known["label"].to_numpy(dtype=object), entity_label_ranks(seeds)
    predicates = {p: _zh_label(predicate_iri(p).value) for p in relations["predicate"].unique()}
    rows = relations.reindex(ev.index)
    # each end's row among the labelled entities (-1: none): its label and the label's rank
    subject = known.index.get_indexer(rows["subject"])
    object_ = known.index.get_indexer(rows["object"])
    out = pd.DataFrame(
        {
            "subject_label": np.where(subject >= 0, label[subject], np.nan),
            "predicate_label": rows["predicate"].map(predicates).to_numpy(),
            "object_label": np.where(object_ >= 0, label[object_], np.nan),
            "role": rows["role"].to_numpy(),
            "quote": ev["quote"].to_numpy(),
            "article": ev["article"].to_numpy(),
            "assertion": ev["assertion"].to_numpy(),
        }
    )
    kept = out[["subject_label", "predicate_label", "object_label"]].notna().all(axis=1)
    out = out[kept]
    kept = kept.to_numpy()
    order = ["predicate_label", "subject_label", "object_label", "quote"]
    ranked = {"subject_label": rank[subject][kept], "object_label": rank[object_][kept]}
    yield "", distinct(out, order, ranked=ranked).reset_index(drop=True)


# --- list-main-enterprises ----------------------------------------------------------------


def build_list_main_enterprises(seeds: Seeds) -> Iterator[ListingRows]:
    """`list-main-enterprises`: the enterprises present and producing in the focal zone that
    work in a chain, for every chain at once (key "") and for each chain (key: its IRI).
    Registry rows count as table rows (`rows.enterprises`, `rows.registry_ties`); their
    evidence has no quote, so a firm only they name has none here."""
    columns = ["chain", *LIST_MAIN_ENTERPRISES]
    chains = table(seeds, "chains")
    chain_iris = (_iri_prefix(seeds, "chains") + chains["id"]).tolist()
    enterprises = all_enterprises(seeds, "id", "label_zh")
    relations = table(seeds, "relations", "subject", "predicate", "object")
    if len(registry_ties(seeds)):  # (no copy of a million relation rows without them)
        relations = pd.concat([relations, registry_ties(seeds)], ignore_index=True)
    segments = table(seeds, "segments")
    if relations.empty:  # (without segments, the chains' members are listed still)
        empty = pd.DataFrame(columns=LIST_MAIN_ENTERPRISES, dtype=object)
        yield "", empty
        yield from ((c, empty) for c in chain_iris)
        return
    stage = _stages(seeds)
    producing = stage.index[stage == _STAGES[PRODUCING][1:-1]]
    producing = producing[enterprise_index(seeds).get_indexer(producing) >= 0]
    segment = segments.set_index("id")
    # branch 1: the segments an enterprise operates in (any relation row says so)
    ops = relations.loc[relations["predicate"] == "operates_in_segment", ["subject", "object"]]
    ops = ops[ops["object"].isin(segment.index)].drop_duplicates()
    ops = ops.assign(chain=ops["object"].map(segment["chain"]).to_numpy())
    stage_term = {k: str(v) for k, v in STAGES.items()}
    orders = _ontology_values(str(CKG.order), None)
    in_segments = ops[is_member(ops["subject"], producing)]
    terms = in_segments["object"].map(segment["stage"]).map(stage_term)
    first = pd.DataFrame(
        {
            "item": in_segments["subject"].to_numpy(),
            "chain": in_segments["chain"].to_numpy(),
            "kind": terms.map(_zh_label).to_numpy(),
            "detail": in_segments["object"].map(segment["label_zh"]).to_numpy(),
            "stage_order": terms.map(orders).to_numpy(),
        }
    )
    # branch 2: in or leading a chain, in none of its segments
    members = relations[relations["predicate"].isin(["in_chain", "leads_chain"])]
    members = members[members["subject"].isin(producing)]
    leads = pd.MultiIndex.from_frame(
        members.loc[members["predicate"] == "leads_chain", ["subject", "object"]]
    )
    pairs = members[["subject", "object"]].drop_duplicates()
    placed = pd.MultiIndex.from_frame(ops[["subject", "chain"]])
    pairs = pairs[~pd.MultiIndex.from_frame(pairs).isin(placed)]
    leader = pd.MultiIndex.from_frame(pairs).isin(leads)
    second = pd.DataFrame(
        {
            "item": pairs["subject"].to_numpy(),
            "chain": pairs["object"].to_numpy(),
            "kind": _UNKNOWN_SEGMENT,
            "detail": np.where(leader, _LEADER, ""),
            "stage_order": "",
        }
    )
    rows = pd.concat([first, second], ignore_index=True)
    rows = rows[rows["chain"].isin(chains["id"])]
    curated = table(seeds, "enterprises")  # (the registry's firms follow its rows)
    named = enterprise_rows(seeds, rows["item"])[: len(curated)]
    ev = _evidence(seeds, "enterprises", curated[named])
    ev = ev[["id", "quote", "source"]].rename(columns={"id": "item"})
    rows = rows.merge(ev, on="item", how="left").fillna({"quote": "", "source": ""})
    at = enterprise_index(seeds).get_indexer(rows["item"])  # every item is an enterprise
    rows["label"] = pd.array(
        enterprises["label_zh"].to_numpy(dtype=object)[at], dtype=enterprises["label_zh"].dtype
    )
    label_rank = enterprise_label_ranks(seeds)[at]
    rows["local"] = "true"
    rows["item"] = _iri_prefix(seeds, "enterprises") + rows["item"]
    rows["chain"] = _iri_prefix(seeds, "chains") + rows["chain"]
    rows = rows[columns]
    # SPARQL orders an unbound ?stage_order first, numbers by value
    rows = rows.assign(_order=pd.to_numeric(rows["stage_order"].replace("", "-1")))
    order = ["chain", "_order", "detail", "label", "item", "source", "quote"]
    # ?stage_order alone decides _order: compared with it, the same rows are repeats
    rows = distinct(rows, order, subset=[*columns, "_order"], ranked={"label": label_rank})
    yield "", rows[LIST_MAIN_ENTERPRISES].reset_index(drop=True)
    answered = dict(_groups(rows, "chain", LIST_MAIN_ENTERPRISES))
    empty = rows[LIST_MAIN_ENTERPRISES].iloc[:0]
    for chain in chain_iris:
        yield chain, answered.get(chain, empty)


# --- enterprise-profile -------------------------------------------------------------------


def _relation_sides(relations: pd.DataFrame) -> pd.DataFrame:
    """Each relation row from both of its ends: company, other, direction, the relation's
    index label (its row) and predicate; a relation of an entity with itself twice."""

    def side(company: str, other: str, arrow: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "company": relations[company].to_numpy(),
                "other": relations[other].to_numpy(),
                "direction": arrow,
                "row": relations.index.to_numpy(),
                "predicate": relations["predicate"].to_numpy(),
            }
        )

    return pd.concat([side("subject", "object", "→"), side("object", "subject", "←")])


def _lines(
    company: object,
    order: object,
    field: object,
    value: object,
    reason: object = "",
    source: object = "",
) -> pd.DataFrame:
    """Profile lines (columns or constants), with the ?order they sort by."""
    return pd.DataFrame(
        {
            "company": company,
            "order": order,
            "field": field,
            "value": value,
            "reason": reason,
            "source": source,
        }
    )


@shared
def _enterprise_at(seeds: Seeds, name: str, column: str) -> np.ndarray:
    """For each row of a seed table, the position in `enterprises.csv` of the entity its
    `column` names, -1 for any other (integers counted and compared in C, where the ids'
    strings would be hashed again by each count). Computed once per write."""
    found = seeds.tables.get(name)
    if found is None or "enterprises" not in seeds.tables:
        return np.full(0 if found is None else len(found), -1, dtype=np.int64)
    return enterprise_index(seeds).get_indexer(found[column])


def _per_enterprise(seeds: Seeds, at: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """How many rows (or the sum of their `weights`) name each enterprise, by position."""
    size = len(seeds.tables["enterprises"])
    named = at >= 0
    found = np.bincount(
        at[named], weights=None if weights is None else weights[named], minlength=size
    )
    return found.astype(np.int64)


def _hub_relations(seeds: Seeds, hubs: Collection[str]) -> pd.DataFrame:
    """The relation rows with an enterprise of `hubs` at either end."""
    relations = table(seeds, "relations")
    at = np.flatnonzero(enterprise_rows(seeds, hubs))
    touching = np.isin(_enterprise_at(seeds, "relations", "subject"), at) | np.isin(
        _enterprise_at(seeds, "relations", "object"), at
    )
    return relations[touching]


def _profile_sizes(seeds: Seeds) -> pd.Series:
    """An upper bound of each enterprise's profile length (so only the hubs' lines are
    built): name, zone stage, sources, places x own quotes, relations' quotes (from each
    end), projects."""
    ids = seeds.tables["enterprises"]["id"]
    n_ev = _evidence_counts(seeds, "enterprises").to_numpy()
    located = enterprise_index(seeds).get_indexer(located_places(seeds)["entity"])
    per_row = _evidence_counts(seeds, "relations").to_numpy()
    quotes = _per_enterprise(
        seeds, _enterprise_at(seeds, "relations", "subject"), per_row
    ) + _per_enterprise(seeds, _enterprise_at(seeds, "relations", "object"), per_row)
    projects = _per_enterprise(seeds, _enterprise_at(seeds, "projects", "investor"))
    bound = 2 + n_ev + _per_enterprise(seeds, located) * n_ev + quotes + projects
    return pd.Series(bound, index=ids.to_numpy())


def build_enterprise_profile(seeds: Seeds, min_rows: int = MIN_ROWS) -> Iterator[ListingRows]:
    """`enterprise-profile` of each enterprise with more than `min_rows` lines (the hubs of
    many relations; key: its IRI). Without registry rows a profile has the name, the zone
    stage, where it is located (with its own quotes), the chains and segments stated by
    relations, its projects, its other relations both ways and its sources."""
    if declines(seeds):
        return
    enterprises = seeds.tables["enterprises"]
    relations, projects = table(seeds, "relations"), table(seeds, "projects")
    sizes = _profile_sizes(seeds)
    hubs = set(sizes.index[sizes > min_rows])
    if not hubs:
        return
    sides = _relation_sides(_hub_relations(seeds, hubs))
    labels = entities(seeds)["label"]
    stages = _stage_labels(seeds)
    name = enterprises[enterprise_rows(seeds, hubs)]
    stage = name["id"].map(stages)
    ev = _evidence(seeds, "enterprises", name)
    place = located_places(seeds).rename(columns={"entity": "company"})
    place = place[place["company"].isin(hubs)]
    place = place.assign(value=place["place"].map(labels)).dropna(subset=["value"])
    place = place.merge(ev[["id", "quote", "article"]], left_on="company", right_on="id")
    ties = sides[sides["company"].isin(hubs)]
    tie_ev = _evidence(seeds, "relations", relations.loc[ties["row"].unique()])
    ties = ties.merge(tie_ev[["quote", "article"]], left_on="row", right_index=True)
    ties = ties.assign(other_label=ties["other"].map(labels)).dropna(subset=["other_label"])
    placing = ties["predicate"].isin(_PLACING)
    chained = ties[placing & (ties["direction"] == "→")]
    segment = chained["predicate"] == "operates_in_segment"
    other = ties[~placing]
    verb = other["predicate"].map(
        {p: _zh_label(predicate_iri(p).value) for p in other["predicate"].unique()}
    )
    other, verb = other[verb.notna()], verb[verb.notna()]
    mine = projects[projects["investor"].isin(hubs)]
    status = mine["status"].map({k: _zh_label(v) for k, v in STATUSES.items()})
    lines = pd.concat(
        [
            _lines(name["id"], 1, "名称 name", name["label_zh"]),
            _lines(
                name["id"], 10, "区内企业 in the focal zone", ("是 yes: " + stage).fillna("否 no")
            ),
            _lines(
                place["company"],
                11,
                "所在地 located in",
                place["value"],
                place["quote"],
                place["article"],
            ),
            _lines(
                chained["company"],
                np.where(segment, 13, 12),
                np.where(segment, "环节 segment", "产业链 chain"),
                chained["other_label"],
                chained["quote"],
                chained["article"],
            ),
            _lines(
                mine["investor"],
                15,
                "项目 projects",
                mine["label_zh"] + ("(" + status + ")").fillna(""),
            ),
            _lines(
                other["company"],
                16,
                "关系 relations",
                verb + " " + other["direction"] + " " + other["other_label"],
                other["quote"],
                other["article"],
            ),
            _lines(ev["id"], 17, "来源 sources", ev["article"]),
        ],
        ignore_index=True,
    )
    lines = _hubs(lines, "company", min_rows)
    lines["enterprise"] = _iri_prefix(seeds, "enterprises") + lines["company"]
    lines = ordered(lines, ["enterprise", "order", "value", "reason"])
    yield from _groups(lines, "enterprise", ENTERPRISE_PROFILE)


# --- evidence-for-entity ------------------------------------------------------------------


def _names(seeds: Seeds, ids: Collection[str]) -> pd.DataFrame:
    """(name, id) for every name `evidence-for-entity` matches a row's entity by: its
    Chinese and English labels, aliases and id (and a statistic's or post's label), of the
    names that name one of `ids` (each pair once)."""
    known = entities(seeds)
    parts = [pd.DataFrame({"name": known["label"], "id": known["id"]}).dropna()]
    for name, frame in seeds.tables.items():
        if name not in TABLES or "id" not in frame.columns or not TABLES[name].evidence:
            continue
        if "label_zh" in frame.columns:  # labelled(): also the id and aliases
            parts.append(pd.DataFrame({"name": frame["id"], "id": frame["id"]}))
            with_aliases = frame[frame["aliases"] != ""]
            aliases = _split(with_aliases["aliases"]).explode()
            parts.append(
                pd.DataFrame({"name": aliases, "id": with_aliases["id"].reindex(aliases.index)})
            )
        for column in ("label_en", "role_en"):
            if column in frame.columns:
                named = frame[frame[column] != ""]
                parts.append(pd.DataFrame({"name": named[column], "id": named["id"]}))
    names = pd.concat(parts, ignore_index=True)
    names = names[is_member(names["name"], names.loc[is_member(names["id"], ids), "name"])]
    return names.drop_duplicates()


def build_evidence_for_entity(seeds: Seeds, min_rows: int = MIN_ROWS) -> Iterator[ListingRows]:
    """`evidence-for-entity` of each enterprise with more than `min_rows` rows (the hubs of
    many relations), under every name that names it alone (its id, labels and aliases)."""
    if declines(seeds):
        return
    enterprises = seeds.tables["enterprises"]
    relations = table(seeds, "relations")
    rel_ev = _evidence_counts(seeds, "relations")
    ids = enterprises["id"]
    # each relation once for each of its ends (once for an enterprise tied to itself)
    subject = _enterprise_at(seeds, "relations", "subject")
    other = _enterprise_at(seeds, "relations", "object")
    other = np.where(other == subject, -1, other)
    bound = (
        _evidence_counts(seeds, "enterprises").to_numpy()
        + _per_enterprise(seeds, subject, rel_ev.to_numpy())
        + _per_enterprise(seeds, other, rel_ev.to_numpy())
    )
    statistics = seeds.tables.get("statistics")
    if statistics is not None:
        stat_ev = _evidence_count(statistics).to_numpy()
        bound = bound + _per_enterprise(
            seeds, _enterprise_at(seeds, "statistics", "subject"), stat_ev
        )
    hubs = set(ids[bound > min_rows])
    if not hubs:
        return
    sides = _relation_sides(_hub_relations(seeds, hubs)).drop_duplicates(["company", "row"])
    facts = []
    own = _evidence(seeds, "enterprises", enterprises[enterprise_rows(seeds, hubs)])
    facts.append(
        own.assign(
            entity=own["id"],
            fact_type=_local_name(CKG.Enterprise),
            fact=_iri_prefix(seeds, "enterprises") + own["id"],
        )
    )
    ties = sides[sides["company"].isin(hubs)]
    tie_ev = _evidence(seeds, "relations", relations.loc[ties["row"].unique()])
    tie_ev = tie_ev.merge(ties[["company", "row"]], left_index=True, right_on="row")
    facts.append(
        tie_ev.assign(
            entity=tie_ev["company"],
            fact_type=_local_name(CKG.Relation),
            fact=_iri_prefix(seeds, "relations") + tie_ev["id"],
        )
    )
    if statistics is not None:
        about = statistics[statistics["subject"].isin(hubs)]
        stat_ev = _evidence(seeds, "statistics", about)
        stat_ev = stat_ev.assign(entity=about["subject"].reindex(stat_ev.index).to_numpy())
        facts.append(
            stat_ev.assign(
                fact_type=_local_name(CKG.Statistic),
                fact=_iri_prefix(seeds, "statistics") + stat_ev["id"],
            )
        )
    rows = pd.concat(facts, ignore_index=True)[["entity", *EVIDENCE_FOR_ENTITY]]
    rows = distinct(rows, ["entity", "fact_type", "fact", "article"])
    rows = _hubs(rows, "entity", min_rows)
    answers = dict(_groups(rows, "entity", EVIDENCE_FOR_ENTITY))
    names = _names(seeds, answers)
    owners = names.groupby("name", sort=False)["id"].nunique()
    alone = names[names["name"].map(owners) == 1].sort_values(["id", "name"])
    for name, entity in zip(alone["name"].tolist(), alone["id"].tolist(), strict=True):
        yield name, answers[entity]


def _local_name(term: object) -> str:
    """STRAFTER(STR(?t), "#"), as the query names a fact's type."""
    return str(term).removeprefix(CKG_IRI)


# --- list-early-stage-projects ------------------------------------------------------------

LIST_EARLY_STAGE_PROJECTS = ["item", "label", "kind", "detail", "local", "quote", "source"]
_UNKNOWN_STATUS = "状态未知"  # the query's COALESCE text for a project without a status
_EARLY = 5  # statuses ordered before this (planned .. under construction) are early-stage


def build_list_early_stage_projects(seeds: Seeds) -> Iterator[ListingRows]:
    """`list-early-stage-projects`: the projects of each chain (its own, or of one of its
    segments) not yet producing, for every chain at once (key "") and for each chain.
    Registry rows add no project and no tie of one."""
    columns = ["chain", *LIST_EARLY_STAGE_PROJECTS]
    chains = table(seeds, "chains")
    chain_iris = (_iri_prefix(seeds, "chains") + chains["id"]).tolist()
    projects = table(seeds, "projects")
    relations, segments = table(seeds, "relations"), table(seeds, "segments")
    # the project's chains: its row's, in_chain and concerns ties (to a chain or a segment)
    ties = relations[relations["subject"].isin(projects["id"])]
    in_chain = ties.loc[ties["predicate"].isin(["in_chain", "concerns"]), ["subject", "object"]]
    segment_chain = segments.set_index("id")["chain"]
    of_segment = in_chain.assign(object=in_chain["object"].map(segment_chain))
    pairs = pd.concat(
        [
            pd.DataFrame({"item": projects["id"], "chain": projects["chain"]}),
            in_chain.set_axis(["item", "chain"], axis=1),
            of_segment.dropna().set_axis(["item", "chain"], axis=1),
        ],
        ignore_index=True,
    )
    pairs = pairs[pairs["chain"].isin(chains["id"])].drop_duplicates()
    project = projects.set_index("id")
    status = pairs["item"].map(project["status"]).fillna("")
    terms = status.map({k: str(v) for k, v in STATUSES.items()})
    order = pd.to_numeric(terms.map(_ontology_values(str(CKG.order), None)))
    early = order.isna() | (order < _EARLY)
    pairs, terms = pairs[early.to_numpy()], terms[early.to_numpy()]
    kind = terms.map(_zh_label).fillna(_UNKNOWN_STATUS)
    investor = pairs["item"].map(project["investor"]).fillna("")
    labels = entities(seeds)["label"]
    investor_label = investor.map(labels[~labels.index.duplicated()]).fillna("").astype(str)
    amount = pairs["item"].map(project["amount_text"]).fillna("").astype(str)
    detail = [  # the query's CONCAT of the investor's label and the amount, each if bound
        (f"投资方: {who}" if who else "") + (f" 投资额: {much}" if much else "")
        for who, much in zip(investor_label.tolist(), amount.tolist(), strict=True)
    ]
    # in the focal zone: located (its site, or a located_in tie) in the zone or a part of it
    zone = places_in_zone(seeds)
    located = pd.concat(
        [
            projects.loc[projects["site"].isin(zone), "id"],
            ties.loc[(ties["predicate"] == "located_in") & ties["object"].isin(zone), "subject"],
        ]
    )
    rows = pd.DataFrame(
        {
            "item": pairs["item"].to_numpy(),
            "chain": pairs["chain"].to_numpy(),
            "label": pairs["item"].map(project["label_zh"]).to_numpy(),
            "kind": kind.to_numpy(),
            "detail": detail,
            "local": np.where(pairs["item"].isin(located), "true", "false"),
        }
    )
    ev = _evidence(seeds, "projects", projects[projects["id"].isin(rows["item"])])
    ev = ev[["id", "quote", "source"]].rename(columns={"id": "item"})
    rows = rows.merge(ev, on="item", how="left").fillna({"quote": "", "source": ""})
    rows["item"] = _iri_prefix(seeds, "projects") + rows["item"]
    rows["chain"] = _iri_prefix(seeds, "chains") + rows["chain"]
    rows = distinct(rows[columns], ["chain", "label", "item", "source", "quote"])
    yield "", rows[LIST_EARLY_STAGE_PROJECTS].reset_index(drop=True)
    answered = dict(_groups(rows, "chain", LIST_EARLY_STAGE_PROJECTS))
    empty = rows[LIST_EARLY_STAGE_PROJECTS].iloc[:0]
    for chain in chain_iris:
        yield chain, answered.get(chain, empty)
