"""Builders of the enterprise listings (see `chainkg.listings`): `chain-enterprises`,
`segment-enterprises`, `local-enterprises` and `nonlocal-enterprises-in-chains`, each the
rows its query answers, derived from the seed tables with pandas (never from the store),
registry rows included (`chainkg.listings.rows.enterprises` and `relations`).

GROUP_CONCAT's order is the engine's (unspecified); here the labels are sorted."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from chainkg.listings.rows import (
    CURATOR_JUDGED,
    PRESENCE_STAGES,
    STATED,
    ListingRows,
    distinct,
    enterprise_index,
    enterprise_label_ranks,
    enterprises,
    entities,
    entity_iris,
    entity_label_ranks,
    labels,
    located_places,
    ordered,
    relations,
    shared,
    table,
    zone_stages,
)
from chainkg.mapping import ontology_label
from chainkg.presence import PRODUCING, STAGE_ORDER
from chainkg.queries import LABEL_SEPARATOR
from chainkg.tables import Seeds, is_member

SEGMENT_STAGES = {"upstream": "Upstream", "midstream": "Midstream", "downstream": "Downstream"}


def _ties(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    """subject/object/assertion rows as ties e, chain-or-segment, how."""
    return pd.DataFrame(
        {
            "e": frame["subject"],
            "target": frame["object"],
            "how": how,
            "assertion": frame["assertion"],
        }
    )


def _assertion(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per `keys` with the query's ?assertion of that tie: 编者判断 when any of its
    relation rows is a curator's assertion, 原文明示 when every one is stated, "" when only
    registry placements make it (a placement is no statement of the tie: none to group)."""
    rows = frame.assign(stated=~frame["registry"] & ~frame["curator"])
    found = rows.groupby(keys, as_index=False, sort=False)[["curator", "stated"]].any()
    found["assertion"] = np.where(
        found["curator"], CURATOR_JUDGED, np.where(found["stated"], STATED, "")
    )
    return found.drop(columns=["curator", "stated"])


@shared
def _project_chains(seeds: Seeds) -> pd.DataFrame:
    """project, investor, chain for each chain of a project with an investor: its row's
    `chain` and its `in_chain` relations."""
    projects = table(seeds, "projects", "id", "investor", "chain", "assertion")
    own = projects[["id", "chain"]].rename(columns={"id": "project"})
    related = relations(seeds, "in_chain").rename(columns={"subject": "project", "object": "chain"})
    chains = pd.concat([own, related[["project", "chain"]]], ignore_index=True)
    chains = chains[chains["chain"] != ""].drop_duplicates()
    invested = projects[projects["investor"] != ""]
    return invested.rename(columns={"id": "project"}).drop(columns="chain").merge(chains)


@shared
def _chain_ties(seeds: Seeds) -> pd.DataFrame:
    """Every tie of chain-enterprises: e, chain, how, assertion (per e, chain, how, target)."""
    leads = _assertion(relations(seeds, "leads_chain"), ["subject", "object"])
    members = _assertion(relations(seeds, "in_chain"), ["subject", "object"])
    members = members.merge(leads[["subject", "object"]], how="left", indicator=True)
    members = members[members["_merge"] == "left_only"].drop(columns="_merge")
    segments = table(seeds, "segments", "id", "chain").rename(columns={"id": "segment"})
    in_segment = _assertion(relations(seeds, "operates_in_segment"), ["subject", "object"])
    in_segment = in_segment.merge(segments, left_on="object", right_on="segment")
    projects = _project_chains(seeds)
    parts = [
        _ties(leads, "leader").rename(columns={"target": "chain"}),
        _ties(members, "member").rename(columns={"target": "chain"}),
        pd.DataFrame(
            {
                "e": in_segment["subject"],
                "chain": in_segment["chain"],
                "how": "segment",
                "assertion": in_segment["assertion"],
            }
        ),
        pd.DataFrame(
            {
                "e": projects["investor"],
                "chain": projects["chain"],
                "how": "project",
                "assertion": np.where(projects["assertion"] == "curator", CURATOR_JUDGED, STATED),
            }
        ),
    ]
    return pd.concat(parts, ignore_index=True)


@shared
def _enterprises(seeds: Seeds) -> pd.DataFrame:
    """id, label, stage (presence stage or '') of every enterprise."""
    frame = enterprises(seeds, "id", "label_zh").rename(columns={"label_zh": "label"})
    stages = zone_stages(seeds)  # tens of thousands of actors: looked up among the ids
    at = enterprise_index(seeds).get_indexer(stages.index)
    stage = np.full(len(frame), "", dtype=object)
    stage[at[at >= 0]] = stages.to_numpy(dtype=object)[at >= 0]
    frame["stage"] = pd.array(stage, dtype=frame["label"].dtype)
    return frame


def _chains(seeds: Seeds) -> pd.DataFrame:
    frame = table(seeds, "chains", "id", "label_zh").rename(
        columns={"id": "chain", "label_zh": "chain_label"}
    )
    frame["iri"] = entity_iris(seeds, frame["chain"])
    return frame


def _stage_labels(stages: pd.Series) -> pd.Series:
    names = {k: ontology_label(v) for k, v in PRESENCE_STAGES.items()}
    return stages.map(names).fillna("")


def _per_chain(
    seeds: Seeds, rows: pd.DataFrame, chains: pd.DataFrame, columns: list[str]
) -> Iterator[ListingRows]:
    """The whole answer (key "") then each chain's rows (sorted `rows` with an `iri` column),
    every chain of the table, with or without rows."""
    yield "", rows[columns].reset_index(drop=True)
    groups = dict(iter(rows.groupby("iri", sort=False)))
    empty = rows.iloc[0:0]
    for iri in sorted(chains["iri"]):
        yield iri, groups.get(iri, empty)[columns].reset_index(drop=True)


def build_chain_enterprises(seeds: Seeds) -> Iterator[ListingRows]:
    """chain-enterprises: per chain, its enterprises with stage, local and how tied."""
    # one row per distinct assertion of a firm's ties to a chain (two segments of it, one
    # stated, one judged: two rows, as the query's DISTINCT gives them)
    ties = _chain_ties(seeds)[["e", "chain", "how", "assertion"]].drop_duplicates()
    chains = _chains(seeds)
    firms = _enterprises(seeds)  # in the enterprises' order: looked up by position
    at = enterprise_index(seeds).get_indexer(ties["e"])
    ties, at = ties[at >= 0], at[at >= 0]
    ties = ties.assign(
        label=firms["label"].to_numpy(dtype=object)[at],
        stage=firms["stage"].to_numpy(dtype=object)[at],
        label_rank=enterprise_label_ranks(seeds)[at],
    )
    rows = ties.merge(chains, on="chain")
    ranked = {"enterprise_label": rows["label_rank"].to_numpy()}
    rows = pd.DataFrame(
        {
            "iri": rows["iri"],
            "chain_label": rows["chain_label"],
            "enterprise_label": rows["label"],
            "local": rows["stage"] == PRODUCING,
            "stage": _stage_labels(rows["stage"]),
            "how": rows["how"],
            "assertion": rows["assertion"],
        }
    )
    rows = _sorted(
        rows,
        ["chain_label", "local", "enterprise_label", "how"],
        [True, False, True, True],
        unique=True,
        ranked=ranked,
    )
    rows["local"] = rows["local"].map({True: "true", False: "false"})
    columns = ["chain_label", "enterprise_label", "local", "stage", "how", "assertion"]
    yield from _per_chain(seeds, rows, chains, columns)


def _sorted(
    rows: pd.DataFrame,
    by: list[str],
    ascending: list[bool],
    unique: bool = False,
    ranked: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """`rows` in the query's ORDER BY; ties in the order of the other columns (so the same
    rows always come in the same order); each row once if `unique` (DISTINCT). `ranked`:
    the ranks of columns of labels (see `ordered`)."""
    rest = [c for c in rows.columns if c not in by]
    descending = [c for c, up in zip(by, ascending, strict=True) if not up]
    if unique:
        return distinct(rows, by + rest, descending, ranked=ranked).reset_index(drop=True)
    return ordered(rows, by + rest, descending, ranked).reset_index(drop=True)


def _concat(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """keys -> the distinct, sorted values of `value` joined with '、' (GROUP_CONCAT)."""
    found = distinct(frame[keys + [value]], keys + [value])
    starts = (~found.duplicated(keys)).to_numpy().nonzero()[0].tolist()
    values = found[value].tolist()
    ends = [*starts[1:], len(values)] if starts else []
    out = found.iloc[starts][keys].reset_index(drop=True)
    out[value] = [LABEL_SEPARATOR.join(values[a:b]) for a, b in zip(starts, ends, strict=True)]
    return out


def build_segment_enterprises(seeds: Seeds) -> Iterator[ListingRows]:
    """segment-enterprises: every segment of a chain with its actors counted and named."""
    chains = _chains(seeds)
    segments = table(seeds, "segments", "id", "label_zh", "chain", "order", "stage")
    segments = segments.merge(chains, on="chain")
    segments["stage"] = segments["stage"].map(
        {k: ontology_label(v) for k, v in SEGMENT_STAGES.items()}
    )
    named = labels(seeds)
    actors = relations(seeds, "operates_in_segment")[["subject", "object"]].drop_duplicates()
    actors["actor_label"] = actors["subject"].map(named)
    actors = actors.dropna(subset=["actor_label"])
    group = ["iri", "chain_label", "order", "stage", "segment_label"]
    segments = segments.rename(columns={"label_zh": "segment_label"})
    # the actors coded once for both answers: a segment's actors are counted and named by
    # codes (hundreds of segments, hundreds of thousands of actors' ties): an actor by its
    # row among the labelled entities, its label by the label's rank among all of theirs
    actor = entities(seeds).index.get_indexer(actors["subject"])
    label = label_rank = entity_label_ranks(seeds)[actor]
    label_text = actors["actor_label"].to_numpy(dtype=object)
    segment_of = pd.Index(segments["id"]).get_indexer(actors["object"])  # -1: none of them

    def answer(grouping: list[str]) -> pd.DataFrame:
        """One row per group of segments with the same `grouping` values (none missing):
        its distinct actors counted, their distinct labels sorted and joined."""
        group_of = segments.groupby(grouping, sort=False).ngroup().to_numpy()
        rows = segments[group_of >= 0].drop_duplicates(grouping)[grouping]
        groups = len(rows)
        where = np.full(len(segment_of), -1, dtype=np.int64)
        where[segment_of >= 0] = group_of[segment_of[segment_of >= 0]]
        tied = where >= 0
        where = where[tied]
        pairs = np.unique(where * (actor.max(initial=0) + 1) + actor[tied])
        counts = np.bincount(pairs // (actor.max(initial=0) + 1), minlength=groups)
        first = np.unique(where * (label.max(initial=0) + 1) + label[tied], return_index=True)[1]
        by_label = first[np.lexsort((label_rank[tied][first], where[first]))]
        names = [[] for _ in range(groups)]  # type: list[list[str]]
        for g, text in zip(
            where[by_label].tolist(), label_text[tied][by_label].tolist(), strict=True
        ):
            names[g].append(text)
        rows = rows.reset_index(drop=True)
        rows["actors"] = pd.Series(counts).astype(str)
        rows["actor_labels"] = [LABEL_SEPARATOR.join(n) for n in names]
        rows["number"] = rows["order"].astype(int)
        return _sorted(rows, ["chain_label", "number"], [True, True])

    columns = ["chain_label", "order", "stage", "segment_label", "actors", "actor_labels"]
    # unbound, ?chain is unbound in the GROUP BY: segments group by what is shown
    yield "", answer(group[1:])[columns]
    by_chain = answer(group)
    groups = dict(iter(by_chain.groupby("iri", sort=False)))
    for iri in sorted(chains["iri"]):
        rows = groups.get(iri, by_chain.iloc[0:0])
        yield iri, rows[columns].reset_index(drop=True)


def _chains_of(seeds: Seeds) -> pd.DataFrame:
    """e, chain: every chain an actor is tied to (in, leads, a segment of, a project of)."""
    ties = _chain_ties(seeds)
    return ties[["e", "chain"]].drop_duplicates()


@shared
def _places(seeds: Seeds) -> pd.DataFrame:
    """e, place_label: the Chinese labels of where each entity is located."""
    places = located_places(seeds)
    places = places.assign(place_label=places["place"].map(labels(seeds)))
    return places.dropna(subset=["place_label"]).rename(columns={"entity": "e"})[
        ["e", "place", "place_label"]
    ]


def build_local_enterprises(seeds: Seeds) -> Iterator[ListingRows]:
    """local-enterprises: enterprises present in the focal zone, with stage, place, chains."""
    firms = _enterprises(seeds).assign(label_rank=enterprise_label_ranks(seeds))
    firms = firms[firms["stage"] != ""].rename(columns={"id": "e"})
    chains = _chains(seeds)
    # the present firms' places and chains only (a few per cent of the enterprises)
    tied = _chains_of(seeds)
    tied = tied[is_member(tied["e"], firms["e"])].merge(
        chains[["chain", "chain_label"]], on="chain"
    )
    places = _places(seeds)
    rows = firms.merge(places[is_member(places["e"], firms["e"])], on="e", how="left")
    rows = rows.merge(_concat(tied, ["e"], "chain_label"), on="e", how="left")
    ranked = {"enterprise_label": rows["label_rank"].to_numpy()}
    rows = pd.DataFrame(
        {
            "enterprise_label": rows["label"],
            "stage": _stage_labels(rows["stage"]),
            "place_label": rows["place_label"].fillna(""),
            "chains": rows["chain_label"].fillna(""),
            "stage_order": rows["stage"].map(STAGE_ORDER),
        }
    )
    by = ["stage_order", "place_label", "enterprise_label"]
    rows = _sorted(rows, by, [True, True, True], ranked=ranked)
    yield "", rows[["enterprise_label", "stage", "place_label", "chains"]]


def build_nonlocal_enterprises_in_chains(seeds: Seeds) -> Iterator[ListingRows]:
    """nonlocal-enterprises-in-chains: enterprises not present in the zone, per chain."""
    ties = _chain_ties(seeds)
    ties = ties[ties["how"] != "project"][["e", "chain", "how"]]
    # suppliers of anything in or leading a chain (an enterprise, or a project by its chain)
    in_chain = pd.concat(
        [
            relations(seeds, "in_chain")[["subject", "object"]],
            relations(seeds, "leads_chain")[["subject", "object"]],
            table(seeds, "projects", "id", "chain").rename(
                columns={"id": "subject", "chain": "object"}
            ),
        ],
        ignore_index=True,
    )
    in_chain = in_chain[in_chain["object"] != ""].drop_duplicates()
    supplies = relations(seeds, "supplier_of")[["subject", "object"]].merge(
        in_chain, left_on="object", right_on="subject", suffixes=("", "_x")
    )
    supplied = pd.DataFrame(
        {
            "e": supplies["subject"],
            "chain": supplies["object_x"],
            "how": "supplier of a chain member",
        }
    )
    ties = pd.concat([ties, supplied], ignore_index=True).drop_duplicates()
    firms = _enterprises(seeds)  # in the enterprises' order: looked up by position
    at = enterprise_index(seeds).get_indexer(ties["e"])
    stage = np.where(at >= 0, firms["stage"].to_numpy(dtype=object)[at], None)
    ties = ties[stage == ""]  # enterprises not present in the zone
    label = firms["label"].to_numpy(dtype=object)[at[stage == ""]]
    named = labels(seeds)
    rows = ties.assign(label=label, label_rank=enterprise_label_ranks(seeds)[at[stage == ""]])
    rows["chain_label"] = rows["chain"].map(named)
    rows = rows.dropna(subset=["chain_label"]).merge(_places(seeds), on="e", how="left")
    ranked = {"enterprise_label": rows["label_rank"].to_numpy()}
    rows = pd.DataFrame(
        {
            "chain_label": rows["chain_label"],
            "enterprise_label": rows["label"],
            "where": rows["place_label"].fillna(""),
            "how": rows["how"],
        }
    )
    by = ["chain_label", "enterprise_label", "how"]
    yield "", _sorted(rows, by, [True, True, True], unique=True, ranked=ranked)
