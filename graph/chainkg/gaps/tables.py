"""The gap analysis's heavy answers computed from the seed tables: `TableAnswers(seeds)`.

The build hands the analysis a `TableAnswers` instead of an empty recording `Answers`: the
answers of the named queries listed in `COMPUTED` (the whole-graph counts, the chains'
actors, projects and figures, and every entity's direct ties, `gap-entity-ties`, which cost
minutes at a million enterprises when asked of the store) come from the seed tables, as the
rows those queries return on the built graph; every other answer (small whole-graph lists,
the first actors of each segment) is asked of the store and recorded, as before. So the
analysis code stays the one definition of levels and ranking, and the summary
(`chainkg.aggregates`) holds the same keys and rows either way.

The rows follow the row mapping's own rules: IRIs as `chainkg.mapping` mints them
(`RowBuilder.entity`), presence from `chainkg.presence` (the `ckg:zoneStage` the mapping
writes), evidence per source/quote pair of a row with its assertion mode, labels and orders
of ontology terms read from the ontology file, literals in the store's canonical form.
Registry exports add enterprises, placements and presences by their own rules
(`mapping_panorama`): the new firms (`registry_firms`) join the enterprises, and their
placements in places, chains and segments (`registry_ties`) the relation rows, as ties no
statement quotes (a placement's evidence is on its ckg:Placement node, which these queries
do not read: their quote, source and mode are empty), unless a relation row states the same
tie; presence by registered address is `chainkg.presence`'s.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property

import numpy as np
import pandas as pd
import pyoxigraph as ox

from chainkg.aggregates import Answer, Answers, Rows, _key
from chainkg.mapping import FLAGS, STAGES, STATUSES, ontology_label, ontology_quads
from chainkg.mapping_panorama import (
    reference_files,
    registry_categories,
    registry_firms,
    registry_ties,
)
from chainkg.ntriples import ASSERTION_MODES, DECIMAL, GYEAR, RowBuilder
from chainkg.presence import PRODUCING, zone_stages
from chainkg.queries import LABEL_SEPARATOR, get_query
from chainkg.reference import PATH_SEPARATOR, SEI_FILE, Reference, load_reference
from chainkg.schema import TABLES
from chainkg.tables import Seeds, is_member, split_multi
from chainkg.vocab import CKG, PREFIXES

_STAGE_IRI = {
    "producing": str(CKG.PresentProducing),
    "building": str(CKG.PresentBuilding),
    "signed": str(CKG.PresentSigned),
}


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _records(name: str, rows: Iterable[tuple[str, ...]]) -> Rows:
    """Rows as the named query's records: its selected variables, in its order."""
    columns = _selected(name)
    return [dict(zip(columns, r, strict=True)) for r in rows]


@functools.cache
def _selected(name: str) -> tuple[str, ...]:
    """The projected variables of a named query's SELECT clause: `?x`, and `(... AS ?x)`."""
    text = get_query(name).text
    head = text[text.index("SELECT") :].split("WHERE", 1)[0]
    plain = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*AS\s+(\?\w+)\)", r"\1", head)
    return tuple(re.findall(r"\?(\w+)", plain))


_MODES = {k: str(v) for k, v in ASSERTION_MODES.items()}
Cells = tuple[str, str, str]  # a row's source, quote and assertion cells
# an agent of a segment listing: id, IRI, label, is_enterprise, local, zone stage IRI, the
# label of its row's place ("" when none), and the cells of its first link to the segment
Head = tuple[str, str, str, str, str, str, str, str, str, str]


def _cells(row: dict[str, str]) -> Cells:
    return row["source"], row["quote"], row.get("assertion", "")


# the assertion cell of a registry placement's tie (`registry_ties`): no statement, no quote
UNSTATED = "(registry placement)"


def _evidence(cells: Cells) -> list[tuple[str, str, str]]:
    """(quote, source id, assertion mode IRI) of each source of a row, as `with_evidence`;
    one empty triple for a tie no statement quotes (UNSTATED: the queries' OPTIONAL binds
    nothing)."""
    sources, quotes, assertion = cells
    if assertion == UNSTATED:
        return [("", "", "")]
    mode = _MODES[assertion or "stated"]
    if "|" not in sources and "|" not in quotes:  # one source (most rows): no split
        return [(quotes.strip(), sources.strip(), mode)]
    pairs = zip(split_multi(sources), split_multi(quotes), strict=True)
    return [(quote, source, mode) for source, quote in pairs]


class _Relations(dict):
    """Predicate -> (subject, object, evidence cells) of its relation rows, in file order,
    then of the registry's placements (`registry_ties`) that no row states (cells empty,
    assertion UNSTATED): made for a predicate when first asked (none: []); `frame`, the
    table with those placements."""

    def __init__(self, frame: pd.DataFrame | None, placed: pd.DataFrame) -> None:
        super().__init__()
        columns = ["subject", "predicate", "object", "source", "quote", "assertion"]
        self.frame = frame if frame is not None else pd.DataFrame(columns=columns, dtype=object)
        if len(placed):
            self.frame = _with_placements(self.frame, placed)
        self._at = self.frame.groupby("predicate", sort=False).indices

    def __missing__(self, predicate: str) -> list[tuple[str, str, Cells]]:
        at = self._at.get(predicate)
        if at is None:
            return []
        rows = self.frame.iloc[at]
        cells = zip(
            rows["source"].tolist(), rows["quote"].tolist(), rows["assertion"].tolist(), strict=True
        )
        found = list(zip(rows["subject"].tolist(), rows["object"].tolist(), cells, strict=True))
        self[predicate] = found
        return found


def _with_placements(frame: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """The relation rows followed by the placements (subject, predicate, object) whose
    triple no row gives (the graph holds a triple once: a stated tie's quotes stand)."""
    triple = ["subject", "predicate", "object"]
    placed = placed.drop_duplicates(triple)
    stated = pd.MultiIndex.from_frame(frame[triple].astype(object))
    placed = placed[~pd.MultiIndex.from_frame(placed[triple]).isin(stated)]
    more = placed.assign(source="", quote="", assertion=UNSTATED)
    more = more.reindex(columns=frame.columns, fill_value="")
    return pd.concat([frame, more.astype(frame.dtypes.to_dict())], ignore_index=True)


class _Groups:
    """The values of a two-column table grouped by key, found by key (`get`, like a dict of
    sets): made by pandas in one pass, for tables of a million rows of which a few keys
    are asked."""

    def __init__(self, keys: pd.Series, values: pd.Series) -> None:
        codes, ids = pd.factorize(keys)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1)).tolist()
        # a dict, not a pd.Index: `in` and `get_loc` cost ~4 us a call, a dict ~0.1 (the
        # gap summary asks ~200,000 times at 1M enterprises)
        self._at = dict(zip(ids.tolist(), itertools.pairwise(bounds), strict=True))
        self._values = values.to_numpy()[order].tolist()

    def keys(self) -> list[str]:
        return list(self._at)

    def get(self, key: str, default: Iterable[str] = ()) -> set[str]:
        at = self._at.get(key)
        if at is None:
            return set(default)
        return set(self._values[at[0] : at[1]])


class _Index:
    """The seed tables indexed the way the gap queries join the graph."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        builder = RowBuilder(seeds)
        self._kind, self._base = builder.kind, builder.base
        self._node, self._category = builder.node, builder.category
        tables = seeds.tables
        added = registry_firms(seeds)  # the enterprises registry rows add
        if len(added):  # (a copy of the map of every id: only with registry rows)
            firm = TABLES["enterprises"].rdf_kind
            self._kind = self._kind | dict.fromkeys(added["id"].tolist(), firm)
        self.enterprises = (
            set(tables["enterprises"]["id"].tolist()) if "enterprises" in tables else set()
        ) | set(added["id"].tolist())
        self.organizations = (
            set(tables["organizations"]["id"].tolist()) if "organizations" in tables else set()
        )
        self.chains = set(tables["chains"]["id"].tolist()) if "chains" in tables else set()
        self.label: dict[str, str] = {}
        for frame in tables.values():
            if "label_zh" in frame.columns:
                self.label.update(
                    zip(frame["id"].tolist(), frame["label_zh"].tolist(), strict=True)
                )
        self.label.update(zip(added["id"].tolist(), added["label_zh"].tolist(), strict=True))
        self.segment_chain: dict[str, str] = {}
        if "segments" in tables:
            frame = tables["segments"]
            self.segment_chain = dict(
                zip(frame["id"].tolist(), frame["chain"].tolist(), strict=True)
            )
        # presence: the row's own place in the zone, else the best derived basis (shared
        # with the listings written by the same process; not to be modified)
        self.stage: dict[str, str] = zone_stages(seeds)
        self.zone_places = builder.zone_places
        # relations by predicate: (subject, object, evidence cells), in file order
        self.relations = _Relations(tables.get("relations"), registry_ties(seeds))
        self._neighbour_heads: dict[str, tuple[str, str, str, str, list[str]]] = {}
        self._segment_made: dict[str, tuple[list[Head], list[list[dict[str, str]]]]] = {}

    def iri(self, entity_id: str) -> str:
        """`{base}{kind}/{id}`, as `RowBuilder.entity` mints it (and a registry firm's)."""
        return f"{self._base}{self._kind[entity_id]}/{entity_id}"

    def node(self, table: str, row_id: str) -> str:
        return self._node(table, row_id)[1:-1]

    def category(self, path: str) -> str:
        """A reference category's IRI, as `RowBuilder.category` mints it."""
        return self._category(path)[1:-1]

    @cached_property
    def agents(self) -> set[str]:
        """The entities typed ckg:Enterprise or ckg:Organization."""
        return self.enterprises | self.organizations

    def is_agent(self, entity_id: str) -> bool:
        return entity_id in self.agents

    def local(self, entity_id: str) -> bool:
        return self.stage.get(entity_id) == PRODUCING

    def neighbour_head(self, actor: str) -> tuple[str, str, str, str, list[str]]:
        """What every `entity_ties` row of a neighbour says of it: IRI, label, whether an
        enterprise, whether local, and the IRIs of its chains ([""] when none), made once
        per actor."""
        head = self._neighbour_heads.get(actor)
        if head is None:
            head = self._neighbour_heads[actor] = (
                self.iri(actor),
                self.label.get(actor, ""),
                _bool(actor in self.enterprises),
                _bool(self.local(actor)),
                sorted(self.iri(c) for c in self.chains_of.get(actor, ())) or [""],
            )
        return head

    def segment_actors_made(self, seg: str) -> tuple[list[Head], list[list[dict[str, str]]]]:
        """The agents working in a segment in the listing's order (`segment_order`), and the
        rows made so far for the first of them (`_segment_rows`)."""
        found = self._segment_made.get(seg)
        if found is None:
            found = self._segment_made[seg] = (self.segment_order.get(seg, []), [])
        return found

    @cached_property
    def _segment_links(self) -> tuple[pd.DataFrame, dict[tuple[str, str], list[Cells]]]:
        """segment, actor and the evidence cells of the first operates_in_segment row of
        each agent to a segment of the tables, in the rows' order; and (segment, actor) ->
        the cells of every row of the agents with more than one."""
        frame = self.relations.frame
        columns = ["object", "subject", "source", "quote", "assertion"]
        links = frame.loc[frame["predicate"] == "operates_in_segment", columns]
        links = links[is_member(links["object"], self.segment_chain)]
        links = links[is_member(links["subject"], self.agents)]
        links = links.rename(columns={"object": "segment", "subject": "actor"})
        repeated = links.duplicated(["segment", "actor"], keep=False)
        more: dict[tuple[str, str], list[Cells]] = defaultdict(list)
        for seg, actor, *cells in links[repeated].itertuples(index=False, name=None):
            more[(seg, actor)].append(tuple(cells))  # type: ignore[arg-type]
        return links.drop_duplicates(["segment", "actor"]).reset_index(drop=True), dict(more)

    @property
    def segment_agents(self) -> pd.DataFrame:
        """The agents' first links to the segments (`_segment_links`)."""
        return self._segment_links[0]

    @property
    def segment_more_cells(self) -> dict[tuple[str, str], list[Cells]]:
        """The cells of agents linked more than once to a segment (`_segment_links`)."""
        return self._segment_links[1]

    @cached_property
    def segment_order(self) -> dict[str, list[Head]]:
        """Segment -> what the rows of gap-segment-actors say of each agent working in it
        (`Head`), in the query's order: by label, then IRI. Made for every link at once,
        column by column, and sorted by Python's stable sort on (segment, label, IRI), as
        pandas' `sort_values` did (its sort alone took 2.1 CPU-s at 1M enterprises; the whole
        order now 3.3-3.4 against 4.3)."""
        links = self.segment_agents
        if links.empty:
            return {}
        actors = links["actor"].tolist()
        label, kind, base, stage = self.label.get, self._kind, self._base, self.stage.get
        own = links["actor"].map(self._own_place).fillna("")
        place_label = {p: label(p, "") for p in own.unique().tolist()}
        places = [place_label[p] for p in own.tolist()]
        segments = links["segment"].tolist()
        labels = [label(a, "") for a in actors]
        iris = [f"{base}{kind[a]}/{a}" for a in actors]
        stages = list(map(stage, actors))
        cells = list(
            zip(*(links[c].tolist() for c in ("source", "quote", "assertion")), strict=True)
        )
        keys = list(zip(segments, labels, iris, strict=True))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        enterprises = self.enterprises
        heads: list[Head] = [
            (
                actors[i],
                iris[i],
                labels[i],
                _bool(actors[i] in enterprises),
                _bool(stages[i] == PRODUCING),
                _STAGE_IRI.get(stages[i], ""),
                places[i],
                *cells[i],
            )
            for i in order
        ]
        ordered = [segments[i] for i in order]
        starts = [0, *(k for k in range(1, len(ordered)) if ordered[k] != ordered[k - 1])]
        return {ordered[a]: heads[a:b] for a, b in itertools.pairwise([*starts, len(ordered)])}

    @cached_property
    def _own_place(self) -> pd.Series:
        """Agent id -> its row's `located_in`, where given."""
        frames = [
            self.seeds.tables[name][["id", "located_in"]]
            for name in ("enterprises", "organizations")
            if name in self.seeds.tables
        ]
        if not frames:
            return pd.Series([], dtype=object)
        own = pd.concat(frames, ignore_index=True)
        own = own[own["located_in"] != ""].drop_duplicates("id", keep="last")
        return pd.Series(own["located_in"].to_numpy(), index=own["id"].to_numpy())

    def place_labels(self, actor: str, own: str) -> list[str]:
        """The labels of an agent's places, sorted ([""] when none); `own`: its row's."""
        if actor in self._located_rows[1]:
            return sorted({self.label.get(p, "") for p in self.places_of(actor)} - {""}) or [""]
        return [own]

    @cached_property
    def enterprise_kinds(self) -> list[str]:
        """`kinds` of every enterprise."""
        return sorted({str(CKG.Enterprise)} & self.organization_kinds) or [""]

    def _pairs(self, predicates: tuple[str, ...]) -> pd.DataFrame:
        """(subject, object) of the relation rows with these predicates, in file order."""
        frame = self.relations.frame
        return frame.loc[frame["predicate"].isin(predicates), ["subject", "object"]]

    @cached_property
    def _segment_chains(self) -> pd.DataFrame:
        """(subject, chain) of each operates_in_segment row to a segment of the tables."""
        pairs = self._pairs(("operates_in_segment",))
        chain = pairs["object"].map(self.segment_chain)
        return pd.DataFrame({"subject": pairs["subject"], "object": chain})[chain.notna()]

    @cached_property
    def _chain_pairs(self) -> pd.DataFrame:
        """(entity, chain) of each in_chain, leads_chain and operates_in_segment row."""
        return pd.concat(
            [self._pairs(("in_chain", "leads_chain")), self._segment_chains], ignore_index=True
        )

    @cached_property
    def chains_of(self) -> _Groups:
        """Entity -> chains it is in or leads (inChain, leadsChain) or works in through a
        segment (operatesInSegment/skos:inScheme)."""
        pairs = self._chain_pairs
        return _Groups(pairs["subject"], pairs["object"])

    @cached_property
    def _located_rows(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        """Entity -> its row's `located_in` (when given, `_own_place`), and -> its located_in
        relations' places."""
        place = self._own_place  # (Series.to_dict boxes each cell: 4x slower at 1M)
        own: dict[str, str] = dict(zip(place.index.tolist(), place.tolist(), strict=True))
        related: dict[str, set[str]] = defaultdict(set)
        for s, o, _r in self.relations["located_in"]:
            related[s].add(o)
        return own, related

    def places_of(self, entity: str) -> set[str]:
        """The places an entity is located in (its row's `located_in`, located_in rows)."""
        own, related = self._located_rows
        found = set(related.get(entity, ()))
        place = own.get(entity)
        if place:
            found.add(place)
        return found

    @cached_property
    def placed_in(self) -> _Groups:
        """Entity -> chains of the segments it operates in."""
        pairs = self._segment_chains
        return _Groups(pairs["subject"], pairs["object"])

    @cached_property
    def chain_firms(self) -> dict[str, set[str]]:
        """Chain -> the enterprises producing in the zone that work in, are in or lead it."""
        local = {a for a, stage in self.stage.items() if stage == PRODUCING} & self.enterprises
        pairs = self._chain_pairs
        pairs = pairs[is_member(pairs["subject"], local) & is_member(pairs["object"], self.chains)]
        out: dict[str, set[str]] = defaultdict(set)
        for firm, chain in zip(pairs["subject"].tolist(), pairs["object"].tolist(), strict=True):
            out[chain].add(firm)
        return out

    @cached_property
    def neighbours(self) -> _Groups:
        """Agent -> the agents a relation row links it with (either direction)."""
        frame = self.relations.frame
        s, o = frame["subject"], frame["object"]
        keep = (s != o) & is_member(s, self.agents) & is_member(o, self.agents)
        return _Groups(
            pd.concat([s[keep], o[keep]], ignore_index=True),
            pd.concat([o[keep], s[keep]], ignore_index=True),
        )

    @cached_property
    def quotes(self) -> dict[tuple[str, str, str], set[tuple[str, str]]]:
        """(subject, predicate, object) of a supplier_of or customer_of row -> its
        (quote, source id) pairs."""
        out: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
        for predicate in ("supplier_of", "customer_of"):
            for s, o, cells in self.relations[predicate]:
                out[(s, predicate, o)].update((q, src) for q, src, _m in _evidence(cells))
        return out

    @cached_property
    def ontology(self) -> ox.Store:
        store = ox.Store()
        store.extend(ox.Quad(*q.triple) for q in ontology_quads())  # default graph
        return store

    @cached_property
    def organization_kinds(self) -> set[str]:
        """Classes declared rdfs:subClassOf ckg:Organization (one step, as the queries ask)."""
        query = "SELECT ?c WHERE { ?c rdfs:subClassOf ckg:Organization }"
        return {s["c"].value for s in self.ontology.query(query, prefixes=PREFIXES)}

    def kinds(self, entity_id: str) -> list[str]:
        """The actor's classes that are subclasses of ckg:Organization, or [''] (none)."""
        if entity_id in self.enterprises:
            classes = {str(CKG.Enterprise)}
        elif entity_id in self.organizations:
            row_kind = self.organization_kind[entity_id]
            classes = {str(CKG.Organization), row_kind}
        else:
            classes = set()
        return sorted(classes & self.organization_kinds) or [""]

    @cached_property
    def organization_kind(self) -> dict[str, str]:
        from chainkg.mapping import ORGANIZATION_CLASSES

        frame = self.seeds.tables["organizations"]
        return {
            i: str(ORGANIZATION_CLASSES[k])
            for i, k in zip(frame["id"].tolist(), frame["kind"].tolist(), strict=True)
        }

    def canonical(self, values: set[str], datatype: str) -> dict[str, str]:
        """Each lexical value as the store gives it back (e.g. decimal 10.50 -> 10.5)."""
        store, p, dt = ox.Store(), ox.NamedNode("urn:p"), ox.NamedNode(datatype)
        for n, v in enumerate(sorted(values)):
            store.add(ox.Quad(ox.NamedNode(f"urn:s{n}"), p, ox.Literal(v, datatype=dt)))
        out = {}
        for n, v in enumerate(sorted(values)):
            (quad,) = store.quads_for_pattern(ox.NamedNode(f"urn:s{n}"), p, None)
            out[v] = quad.object.value
        return out


# ---- the answers, one function per named query (its rows on the built graph)


def entity_ties(x: _Index, entity: str) -> Rows | None:
    """gap-entity-ties: one row per neighbour, chain, supply quote and customer quote."""
    base = entity.rsplit("/", 1)[-1]
    if not x.is_agent(base) or x.iri(base) != entity:
        return None  # another kind of node: its ties are other triples, asked of the store
    out: set[tuple[str, ...]] = set()
    supplier_of, customer_of = "supplier_of", "customer_of"
    none = [("", "")]
    for n in x.neighbours.get(base, ()):
        iri, label, enterprise, local, chains = x.neighbour_head(n)
        supplied = x.quotes.get((base, supplier_of, n))
        customer = x.quotes.get((n, customer_of, base))
        head = (entity, iri, label, enterprise, local, _bool(bool(supplied or customer)))
        quotes = sorted(supplied) if supplied else none
        customers = sorted(customer) if customer else none
        for chain in chains:
            for q in quotes:
                for c in customers:
                    out.add((*head, chain, *q, *c))
    return _records("gap-entity-ties", sorted(out))


def segment_counts(x: _Index) -> Rows:
    """gap-segment-counts: per segment with actors, the five counts (by pandas, over every
    link at once; "local" is `_Index.local`: the zone stage PRODUCING)."""
    links = x.segment_agents
    firm = pd.Series(is_member(links["actor"], x.enterprises), index=links.index)
    stage = pd.Series(list(map(x.stage.get, links["actor"].tolist())), index=links.index)
    present, local = stage.notna(), stage == PRODUCING
    counts = (
        pd.DataFrame(
            {
                "segment": links["segment"],
                "local_enterprises": firm & present & local,
                "pipeline_enterprises": firm & present & ~local,
                "non_local_enterprises": firm & ~present,
                "other_actors": ~firm,
                "local_institutions": ~firm & local,
            }
        )
        .groupby("segment", sort=False)
        .sum()
    )
    out = [
        {
            "chain": x.iri(x.segment_chain[seg]),
            "segment": x.iri(seg),
            **{column: str(n) for column, n in zip(counts.columns, numbers, strict=True)},
        }
        for seg, *numbers in counts.itertuples(name=None)
    ]
    return sorted(out, key=lambda r: (r["chain"], r["segment"]))


def chain_counts(x: _Index) -> Rows:
    """gap-chain-counts: local enterprises per chain (chains with none: no row)."""
    out = [
        {"chain": x.iri(c), "local_enterprises": str(len(firms))}
        for c, firms in x.chain_firms.items()
        if firms
    ]
    return sorted(out, key=lambda r: r["chain"])


def chain_suppliers(x: _Index) -> Rows:
    """gap-chain-suppliers: suppliers not present in the zone of each chain's local
    enterprises, working in none of its segments, most customers first."""
    suppliers_of: dict[str, set[str]] = defaultdict(set)
    for s, o, _row in x.relations["supplier_of"]:
        suppliers_of[o].add(s)
    for s, o, _row in x.relations["customer_of"]:
        suppliers_of[s].add(o)
    out = []
    for chain, firms in x.chain_firms.items():
        customers: dict[str, int] = defaultdict(int)
        for firm in firms:
            for supplier in suppliers_of.get(firm, ()):
                if supplier not in x.stage and chain not in x.placed_in.get(supplier, ()):
                    customers[supplier] += 1
        for supplier, n in customers.items():
            label = x.label.get(supplier, "")
            out.append((x.iri(chain), -n, label, x.iri(supplier), n))
    out.sort(key=lambda r: r[:4])
    return [
        {"chain": c, "supplier": s, "supplier_label": label, "customers": str(n)}
        for c, _neg, label, s, n in out
    ]


def chain_actors(x: _Index) -> Rows:
    """gap-chain-actors: enterprises and organizations in or leading a chain, with the
    quotes of each link."""
    leads = {(s, o) for s, o, _r in x.relations["leads_chain"]}
    out: set[tuple[str, ...]] = set()
    for predicate in ("in_chain", "leads_chain"):
        for s, o, cells in x.relations[predicate]:
            if o not in x.chains or not x.is_agent(s):
                continue
            stage = x.stage.get(s, "")
            head = (
                x.iri(o),
                x.iri(s),
                x.label.get(s, ""),
                _bool(s in x.enterprises),
            )
            tail = (
                _bool((s, o) in leads),
                _bool(x.local(s)),
                _STAGE_IRI.get(stage, ""),
                _bool(o in x.placed_in.get(s, ())),
            )
            for kind in x.kinds(s):
                for quote, source, mode in _evidence(cells):
                    out.add((*head, kind, *tail, quote, source, mode))
    rows = _records("gap-chain-actors", out)
    return sorted(rows, key=lambda r: (r["chain"], r["actor"], r["kind"], r["source"], r["quote"]))


def projects(x: _Index) -> Rows:
    """gap-projects: each project by chain and segment (segment '' for the chain as a
    whole), status, investor, whether it is in the zone, and its quotes."""
    if "projects" not in x.seeds.tables:
        return []
    concerns: dict[str, set[str]] = defaultdict(set)
    in_chain: dict[str, set[str]] = defaultdict(set)
    for s, o, _r in x.relations["concerns"]:
        concerns[s].add(o)
    for s, o, _r in x.relations["in_chain"]:
        in_chain[s].add(o)
    status_terms = {str(v) for v in STATUSES.values()}
    query = """SELECT ?s ?o ?l WHERE {
        ?s ckg:order ?o . OPTIONAL { ?s rdfs:label ?l FILTER(LANG(?l) = "zh") } }"""
    status_info = {
        r["s"].value: (r["o"].value, r["l"].value if r["l"] else "")
        for r in x.ontology.query(query, prefixes=PREFIXES)
        if r["s"].value in status_terms
    }
    out: set[tuple[str, ...]] = set()
    for _line, row in x.seeds.rows("projects"):
        p = row["id"]
        segments = {o for o in concerns[p] if o in x.segment_chain}
        keys = {(x.segment_chain[s], s) for s in segments}
        chains_named = in_chain[p] | concerns[p] | ({row["chain"]} if row["chain"] else set())
        with_segment = {c for c, _s in keys}
        keys |= {(c, "") for c in chains_named if c in x.chains and c not in with_segment}
        keys = {(c, s) for c, s in keys if c in x.chains}
        if not keys:
            continue
        status = str(STATUSES[row["status"]]) if row["status"] else ""
        order, status_zh = status_info.get(status, ("", "")) if status else ("", "")
        if status and status not in status_info:
            status = ""  # a status without ckg:order: the OPTIONAL binds nothing
        investor = row["investor"]
        sites = x.places_of(p) | ({row["site"]} if row["site"] else set())
        local = bool(sites & x.zone_places) or bool(
            investor and x.places_of(investor) & x.zone_places
        )
        investor_cells = (
            (x.iri(investor), x.label.get(investor, ""), _bool(x.local(investor)))
            if investor
            else ("", "", "")
        )
        for chain, segment in keys:
            for quote, source, _mode in _evidence(_cells(row)):
                out.add(
                    (
                        x.iri(chain),
                        x.iri(p),
                        row["label_zh"],
                        x.iri(segment) if segment else "",
                        status,
                        status_zh,
                        order,
                        *investor_cells,
                        _bool(local),
                        row["amount_text"],
                        quote,
                        source,
                    )
                )
    rows = _records("gap-projects", out)
    return sorted(
        rows, key=lambda r: (r["chain"], r["project"], r["segment"], r["source"], r["quote"])
    )


def chain_statistics(x: _Index) -> Rows:
    """gap-chain-statistics: figures printed about each chain, with their quotes."""
    if "statistics" not in x.seeds.tables:
        return []
    frame = x.seeds.tables["statistics"]
    about = frame[frame["subject"].isin(x.chains)]
    values = x.canonical(set(about["value"]), DECIMAL)
    years = x.canonical({y for y in about["year"] if y}, GYEAR)
    out: set[tuple[str, ...]] = set()
    for row in about.to_dict("records"):
        zh, en = row["indicator_zh"], row["indicator_en"]
        supply = "配套率" in zh or "supply rate" in en.lower()
        head = (
            x.iri(row["subject"]),
            x.node("statistics", row["id"]),
            zh,
            en,
            values[row["value"]],
            row["unit"],
            row["value_text"],
            row["period"],
            years.get(row["year"], ""),
            _bool(supply),
            str(FLAGS[row["flag"]]) if row["flag"] else "",
        )
        for quote, source, _mode in _evidence(_cells(row)):
            out.add((*head, quote, source))
    rows = _records("gap-chain-statistics", out)
    return sorted(rows, key=lambda r: (r["chain"], r["stat"], r["source"], r["quote"]))


def segment_statistics(x: _Index) -> Rows:
    """gap-segment-statistics: counts of enterprises (unit 家) printed about a segment."""
    if "statistics" not in x.seeds.tables:
        return []
    frame = x.seeds.tables["statistics"]
    about = frame[frame["subject"].isin(set(x.segment_chain)) & (frame["unit"] == "家")]
    values = x.canonical(set(about["value"]), DECIMAL)
    out = {
        (
            x.iri(row["subject"]),
            x.node("statistics", row["id"]),
            row["indicator_zh"],
            values[row["value"]],
            row["value_text"],
            quote,
            source,
            mode,
        )
        for row in about.to_dict("records")
        for quote, source, mode in _evidence(_cells(row))
    }
    rows = _records("gap-segment-statistics", out)
    return sorted(rows, key=lambda r: (r["segment"], r["stat"], r["source"], r["quote"]))


def segment_actors(x: _Index, segment: str) -> Iterator[dict[str, str]] | None:
    """gap-segment-actors: the enterprises and organizations working in one segment, each
    link's quotes, one row per kind, place and quote, in the query's order (by label,
    actor, then the rest), made lazily actor by actor: a reader takes the first ones."""
    seg = segment.rsplit("/", 1)[-1]
    if seg not in x.segment_chain or x.iri(seg) != segment:
        return None  # not a segment of the tables: asked of the store
    return _segment_rows(x, seg)


def _segment_rows(x: _Index, seg: str) -> Iterator[dict[str, str]]:
    """The rows of `segment_actors`, each actor's made once per process: a segment is
    read more than once (its first actors, then all those elsewhere; as another
    segment's same-named segment), and a reader stops early, so they are made as far as
    the furthest reader went and kept (the rows a reader keeps are the same objects)."""
    heads, made = x.segment_actors_made(seg)
    segment = x.iri(seg)
    for i in range(len(heads)):
        if i == len(made):
            made.append(_actor_rows(x, seg, segment, heads[i]))
        yield from made[i]


def _actor_rows(x: _Index, seg: str, segment: str, head: Head) -> list[dict[str, str]]:
    """The rows of one actor of a segment: per kind, place label and quote of its links."""
    actor, iri, label, enterprise, local, stage, own_place, *first = head
    more = x.segment_more_cells.get((seg, actor))
    if more is None:  # one link (most actors)
        evidence = sorted({(src, q, mode) for q, src, mode in _evidence(tuple(first))})  # type: ignore[arg-type]
    else:
        evidence = sorted({(src, q, mode) for c in more for q, src, mode in _evidence(c)})
    kinds = x.enterprise_kinds if enterprise == "true" else x.kinds(actor)
    return [
        {
            "segment": segment,
            "actor": iri,
            "actor_label": label,
            "is_enterprise": enterprise,
            "local": local,
            "zone_stage": stage,
            "kind": kind,
            "place_label": place,
            "quote": quote,
            "source": source,
            "mode": mode,
        }
        for kind in kinds
        for place in x.place_labels(actor, own_place)
        for source, quote, mode in evidence
    ]


def sources(x: _Index) -> Rows:
    """gap-sources: the articles of the source register, id, headline and date."""
    frame = x.seeds.tables["sources"]
    kinds = frame["kind"].tolist() if "kind" in frame.columns else [""] * len(frame)
    rows = [
        {"source": i, "title": title, "date": date}
        for i, title, date, kind in zip(
            frame["id"].tolist(),
            frame["headline"].tolist(),
            frame["date"].tolist(),
            kinds,
            strict=True,
        )
        if (kind or "article") == "article"
    ]
    return sorted(rows, key=lambda r: r["source"])


def pipeline_actors(x: _Index) -> Rows:
    """gap-pipeline-actors: every enterprise signed or building in the zone, with each
    segment it works in and that link's quotes."""
    out = []
    # signed or building enterprises only; the rows are sorted below, and rows equal in
    # the sort key come from the same segment and actor, so the visiting order of the
    # (segment, actor) pairs changes nothing
    under_way = {a for a, stage in x.stage.items() if stage in ("building", "signed")}
    under_way &= x.enterprises
    frame = x.relations.frame
    columns = ["object", "subject", "source", "quote", "assertion"]
    found = frame.loc[
        (frame["predicate"] == "operates_in_segment") & frame["subject"].isin(under_way), columns
    ]
    links: dict[tuple[str, str], list[Cells]] = defaultdict(list)
    for segment, actor, *cells in found.itertuples(index=False, name=None):
        links[(segment, actor)].append(tuple(cells))  # type: ignore[arg-type]
    for (segment, actor), cells in links.items():
        stage = x.stage[actor]
        places = {x.label.get(p, "") for p in x.places_of(actor)} - {""}
        evidence = {e for c in cells for e in _evidence(c)}
        for kind in x.kinds(actor):
            for place in sorted(places) or [""]:
                for quote, source, mode in evidence:
                    out.append(
                        {
                            "segment": x.iri(segment),
                            "actor": x.iri(actor),
                            "actor_label": x.label.get(actor, ""),
                            "is_enterprise": "true",
                            "kind": kind,
                            "local": "false",
                            "zone_stage": _STAGE_IRI[stage],
                            "place_label": place,
                            "quote": quote,
                            "source": source,
                            "mode": mode,
                        }
                    )
    return sorted(out, key=lambda r: (r["segment"], r["actor"], r["source"], r["quote"]))


def panorama(x: _Index) -> Rows:
    """panorama-status for every chain (`chainkg.panorama`): each category under a chain's
    aligned categories (written when the SEI reference is registered) with its panorama
    stages, the chain's segments mapped onto it, and its enterprises: placed in it or below
    it by the registry (ckg:inCategory), or working in a segment matched (exact, close,
    broad) to it or below it; local: present and producing in the zone. The segments
    joined in label order (GROUP_CONCAT's order is the store's)."""
    seeds = x.seeds
    alignments = [(r["chain"], r["category"]) for _line, r in seeds.rows("chain_alignments")]
    if not alignments or SEI_FILE not in reference_files(seeds):
        return []
    reference = load_reference()
    stages: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for _line, r in seeds.rows("panorama_stages"):
        stage = ontology_label(str(STAGES[r["stage"]]).removeprefix(str(CKG)))
        stages[(r["chain"], r["category"])].add((stage, str(int(r["order"]))))
    mapped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _line, r in seeds.rows("segment_mappings"):
        chain = x.segment_chain.get(r["segment"])
        if chain is not None:
            mapped[(chain, r["category"])].add(x.label.get(r["segment"], ""))
    firms, local = _category_firms(x, reference)
    registry = sorted(
        f"{x.seeds.config.base_iri}source/{sid}"
        for sid, kind in seeds.source_kinds.items()
        if kind == "registry"
    )
    out = []
    for chain in sorted({c for c, _top in alignments}):
        paths = {
            c.path
            for c_chain, top in alignments
            if c_chain == chain and top in reference.categories
            for c in reference.subtree(top)
        }
        for path in sorted(paths):
            category = reference.categories[path]
            head = {
                "chain": "",
                "chainNode": x.iri(chain),
                "chain_label": x.label.get(chain, ""),
                "category": x.category(path),
                "category_label": category.name,
                "path": path,
                "level": str(category.level),
                "parent": x.category(category.parent) if category.level > 1 else "",
            }
            tail = {
                "segments": LABEL_SEPARATOR.join(sorted(mapped.get((chain, path), ()))),
                "local_firms": str(local.get(path, 0)),
                "firms": str(firms.get(path, 0)),
                "registry_source": registry[0] if registry else "",
            }
            for stage, order in sorted(stages.get((chain, path)) or {("", "")}):
                out.append({**head, "stage": stage, "order": order, **tail})
    out.sort(key=lambda r: (r["chain_label"], r["chainNode"], r["path"]))
    return _records("panorama-status", [tuple(r.values()) for r in out])


_FIRM_MATCHES = ("exact", "close", "broad")  # a segment's firms are its category's


def _category_firms(x: _Index, reference: Reference) -> tuple[dict[str, int], dict[str, int]]:
    """Category path -> how many enterprises are in it or below it, and how many of those
    are present and producing in the zone (see `panorama`)."""
    matched = pd.DataFrame(
        [
            (r["segment"], r["category"])
            for _line, r in x.seeds.rows("segment_mappings")
            if r["match"] in _FIRM_MATCHES
        ],
        columns=["segment", "category"],
        dtype=object,
    )
    working = pd.DataFrame(
        [(s, o) for s, o, _cells in x.relations["operates_in_segment"]],
        columns=["firm", "segment"],
        dtype=object,
    ).merge(matched, on="segment")
    pairs = pd.concat(
        [registry_categories(x.seeds), working[["firm", "category"]]], ignore_index=True
    )
    pairs = pairs[
        is_member(pairs["firm"], x.enterprises) & pairs["category"].isin(reference.categories)
    ]
    pairs = pairs.drop_duplicates()
    # each category and its ancestors (a firm below a category is in it)
    up = {path: [path, *_ancestors(path)] for path in pairs["category"].unique().tolist()}
    pairs = pairs.assign(category=pairs["category"].map(up)).explode("category")
    pairs = pairs.drop_duplicates()
    producing = pairs["firm"].map(x.stage) == PRODUCING
    counts = pairs.assign(local=producing).groupby("category")
    return counts["firm"].size().to_dict(), counts["local"].sum().to_dict()


def _ancestors(path: str) -> list[str]:
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


COMPUTED: dict[str, Callable[..., Rows | None]] = {
    "gap-entity-ties": entity_ties,
    "gap-segment-counts": segment_counts,
    "gap-chain-counts": chain_counts,
    "gap-chain-suppliers": chain_suppliers,
    "gap-chain-actors": chain_actors,
    "gap-projects": projects,
    "gap-chain-statistics": chain_statistics,
    "gap-segment-statistics": segment_statistics,
    "gap-segment-actors": segment_actors,
    "gap-sources": sources,
    "gap-pipeline-actors": pipeline_actors,
    "panorama-status": panorama,
}
# Listings a reader stops early: computed whole, kept only as far as the analysis reads them
STREAMED = frozenset({"gap-segment-actors"})


class TableAnswers(Answers):
    """A recording `Answers` whose `COMPUTED` answers come from the seed tables (computed
    when first asked, then kept like a recorded one); the others are asked of the store."""

    def __init__(self, seeds: Seeds) -> None:
        super().__init__(recording=True)
        self.index = _Index(seeds)

    def get(self, name: str, params: dict[str, str]) -> Answer | None:
        found = super().get(name, params)
        if name in STREAMED:  # whole, from the tables
            listing = segment_actors(self.index, **params)  # rows made as they are read
            return None if listing is None else Answer(listing, kept=False)  # type: ignore[arg-type]
        if found is None and name in COMPUTED:
            computed = COMPUTED[name](self.index, **params)
            if computed is not None:  # else not computable here: asked of the store
                found = self._answers[_key(name, params)] = Answer(computed)
        return found

    def put(self, name: str, params: dict[str, str], answer: Answer) -> None:
        """Keep an answer unless a longer prefix of the same rows is kept already (a listing
        read twice, the second time less far)."""
        kept = super().get(name, params)
        if kept is None or answer.complete or len(answer.rows) > len(kept.rows):
            super().put(name, params, answer)
