"""Missing and weak links of each chain, and whom to court: `compute_gaps(store) -> [SegmentGap]`.

Every fact comes from the named queries `queries/gap-*.rq` (so the same analysis runs against
any SPARQL endpoint holding the graph). Counts are aggregated in SPARQL; names are listed up
to `top` per segment or chain (totals beside them), read from a per-segment query that streams
and stops early; ties and a leader's pull come from each entity's direct relations
(`gap-entity-ties`), so nothing scans the whole graph into Python. "Local" always means in
the data set's focal zone (`ckg:focalZone`), for
benchmark chains too: their levels show what the focal zone has of that chain.

Level of a segment: `missing` (no local enterprise operates in it), `weak` (fewer local
enterprises than the threshold), `covered`. The `basis` says what the level rests on, keeping
"missing in the zone" apart from "missing in our data" (see BASIS_TEXT).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from chainkg.project import local_name
from chainkg.queries import bind_value, get_query, run_query, term_text
from chainkg.vocab import PREFIXES

TOP = 20  # names listed per segment and chain list; totals are always given
LEVELS = ("missing", "weak", "covered")
LEVEL_ZH = {"missing": "缺链", "weak": "弱链", "covered": "已覆盖"}
BASIS_TEXT = {
    "local-enterprises": (
        "有区内企业在该环节(见证据)",
        "local enterprises are stated to work in this segment (see evidence)",
    ),
    "non-local-only": (
        "图谱中有该环节的区外企业,但无区内企业:据来源,本区缺此环节",
        "the graph knows enterprises of this segment elsewhere but none in the zone: "
        "missing locally as far as the sources tell",
    ),
    "no-enterprise-in-graph": (
        "图谱中没有任何该环节的企业:可能是数据缺口,而非本区确实缺失",
        "no enterprise of this segment anywhere in the graph: possibly a gap in our data "
        "rather than in the zone",
    ),
}
# Reason kinds for a candidate, with their weight in the ranking (see RANKING_TEXT).
REASON_WEIGHTS = {
    "operates-in-segment": 3.0,
    "supplies-local-enterprise": 2.0,
    "benchmark-segment": 1.0,
    "same-named-segment": 0.5,
}
RANKING_TEXT = (
    "候选排序:① 理由强度之和(在本环节经营 3,为本链区内企业供货 2,在对标产业链同名环节经营 1,"
    "在其他产业链同名环节经营 0.5);② 与本链区内企业的直接关系数;"
    "③ 到本链区内龙头的距离(1 = 直接关系,2 = 与龙头有共同的直接关联企业或机构,更远或无路径排最后);"
    "④ 证据条数;⑤ 名称。每个环节列出前 20 名并给出候选总数;"
    "环节未知的区外供应商先按所供本链区内企业数取前 20 名。",
    "Candidates are ranked by (1) the sum of their reason weights (operates in this segment 3, "
    "supplies a local enterprise of the chain 2, operates in the same-named segment of a "
    "benchmark chain 1, of another chain 0.5); (2) the number of local enterprises of the chain "
    "they are directly related to; (3) their distance to a local leader of the chain, from the "
    "direct relations of the candidate and of the leaders only (1 = directly related, 2 = both "
    "related to the same enterprise or organization; further or no path last); (4) the number "
    "of evidence quotes; (5) the name. The first 20 of each segment are listed, with the total; "
    "suppliers of unknown segment are first cut to the 20 that supply the most local "
    "enterprises of the chain.",
)


@dataclass(frozen=True, order=True)
class Evidence:
    """A verbatim quote from a source article, and what it supports."""

    source: str
    quote: str
    supports: str = ""
    curator: bool = False  # a curator's judgement resting on the quote, not stated in text


@dataclass
class Actor:
    """An enterprise or organization as seen from one segment or chain."""

    iri: str
    label: str
    local: bool
    enterprise: bool
    kind: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def id(self) -> str:
        return local_name(self.iri)


@dataclass
class Project:
    """An investment project of a chain (optionally of one segment)."""

    iri: str
    label: str
    status: str
    status_order: int | None
    investor: str
    local: bool
    amount: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def under_way(self) -> bool:
        """Not yet producing: planned, signed, started or under construction (or unknown)."""
        return self.status_order is None or self.status_order < 5


@dataclass
class Candidate:
    """An enterprise outside the zone that could fill a segment, with why and how sure."""

    iri: str
    label: str
    reasons: list[str] = field(default_factory=list)  # graph paths, readable
    reason_kinds: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    strength: float = 0.0
    local_ties: int = 0
    leader_distance: int | None = None
    rank: int = 0

    @property
    def id(self) -> str:
        return local_name(self.iri)

    def sort_key(self) -> tuple[Any, ...]:
        distance = self.leader_distance if self.leader_distance is not None else math.inf
        return (-self.strength, -self.local_ties, distance, -len(self.evidence), self.label)


@dataclass
class SegmentGap:
    """One segment of one chain: who is there, its level and whom to court."""

    chain: str
    chain_id: str
    segment: str
    segment_id: str
    order: int
    stage: str  # upstream | midstream | downstream
    stage_zh: str
    level: str  # missing | weak | covered
    basis: str  # a key of BASIS_TEXT
    basis_note: str
    local_enterprises: list[str]
    non_local_enterprises: list[str]
    other_actors: list[str]
    projects: list[str]
    candidates: list[str]
    evidence: list[Evidence]
    candidate_details: list[Candidate] = field(default_factory=list)
    segment_en: str = ""
    chain_iri: str = ""
    segment_iri: str = ""
    # Totals: the lists above hold at most `top` names each (sorted by label).
    local_total: int = 0
    non_local_total: int = 0
    other_total: int = 0
    candidate_total: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["level_zh"] = LEVEL_ZH[self.level]
        return data


@dataclass
class Leader:
    """A leader (龙头) of a chain and its pull: local enterprises directly tied to it."""

    iri: str
    label: str
    local: bool
    linked_local: list[str]  # the first `top` by label
    linked_total: int = 0

    @property
    def pull(self) -> int:
        return max(self.linked_total, len(self.linked_local))


@dataclass
class Figure:
    """A figure printed about a chain (e.g. 本地配套率 30%)."""

    chain_id: str
    chain: str
    indicator: str
    value_text: str
    period: str
    supply_rate: bool
    evidence: list[Evidence]


@dataclass
class ChainSummary:
    """Chain-level figures: segment levels, local enterprises, leaders, supply rates."""

    id: str
    iri: str
    label: str
    label_en: str
    aliases: list[str]
    territory: str
    benchmark: bool
    local: bool
    segments: int
    missing: int
    weak: int
    covered: int
    local_enterprises: list[str]
    local_enterprises_without_segment: list[str]
    leaders: list[Leader]
    supply_rates: list[Figure]
    benchmark_supply_rates: list[Figure]
    figures: list[Figure]
    chain_candidates: list[Candidate]
    data_gaps: list[str]
    weak_threshold: int
    # Totals: the lists above hold at most `top` entries each.
    local_enterprise_total: int = 0
    without_segment_total: int = 0
    chain_candidate_total: int = 0
    top: int = TOP

    @property
    def local_supply_rate(self) -> str:
        return "; ".join(f.value_text for f in self.supply_rates)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["local_supply_rate"] = self.local_supply_rate
        for leader, raw in zip(self.leaders, data["leaders"], strict=True):
            raw["pull"] = leader.pull
        return data


# ---------------------------------------------------------------- querying


def _rows(store: Any, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a named query with its parameters bound."""
    return run_query(store, get_query(name).text, params or None).records()


def _stream(store: Any, name: str, params: dict[str, str]) -> Iterator[dict[str, str]]:
    """The rows of a named query one by one, so a reader can stop early (a local store
    evaluates lazily; a remote endpoint answers in full)."""
    text = get_query(name).text
    if not isinstance(store, ox.Store):
        yield from run_query(store, text, params).records()
        return
    substitutions = {ox.Variable(k): bind_value(v) for k, v in params.items()}
    solutions = store.query(text, prefixes=PREFIXES, substitutions=substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {c: term_text(solution[c]) for c in columns}


def _true(value: str) -> bool:
    return value in ("true", "1")


def _evidence(row: dict[str, str], supports: str = "") -> Evidence | None:
    if not row.get("quote"):
        return None
    mode = row.get("mode", "")
    return Evidence(row.get("source", ""), row["quote"], supports, mode.endswith("Assertion"))


def _new_actor(r: dict[str, str]) -> Actor:
    """An actor from the first row of an actor query."""
    return Actor(
        r["actor"],
        r["actor_label"] or local_name(r["actor"]),
        _true(r["local"]),
        _true(r["is_enterprise"]),
        local_name(r["kind"]) if r["kind"] else "",
    )


def _merge_row(actor: Actor, r: dict[str, str]) -> None:
    """What a row of an actor query adds to its actor: a kind still unknown, its quote once."""
    if r["kind"] and not actor.kind:
        actor.kind = local_name(r["kind"])
    ev = _evidence(r, actor.label)
    if ev and ev not in actor.evidence:
        actor.evidence.append(ev)


@dataclass
class _Chain:
    iri: str
    label: str
    label_en: str
    aliases: list[str]
    territory: str
    benchmark: bool
    local: bool
    benchmark_for: list[str]  # chains or places this chain is cited as a model for
    territory_iri: str = ""

    @property
    def id(self) -> str:
        return local_name(self.iri)


def _chains(store: ox.Store) -> list[_Chain]:
    chains = [
        _Chain(
            r["chain"],
            r["label_zh"] or r["label_en"] or local_name(r["chain"]),
            r["label_en"],
            sorted(a for a in r["aliases"].split("|") if a),
            r["territory_label"] or local_name(r["territory"]),
            _true(r["benchmark"]),
            _true(r["local"]),
            sorted(b for b in r["benchmark_for"].split("|") if b),
            r["territory"],
        )
        for r in _rows(store, "gap-chains")
    ]
    return sorted(chains, key=lambda c: (c.benchmark, not c.local, c.id))


def chain_names(store: ox.Store) -> list[str]:
    """'id (中文 / English)' for every chain, for messages."""
    return [f"{c.id} ({c.label} / {c.label_en})" for c in _chains(store)]


def resolve_chain(store: ox.Store, name: str) -> str:
    """The IRI of the chain named by IRI, id, Chinese or English label, or alias.

    When a name fits several chains, the focal zone's own (non-benchmark) chain wins; if that
    still leaves several, or none fits, a KeyError lists the chains that exist.
    """
    wanted = name.strip().casefold()
    chains = _chains(store)
    if not wanted:
        raise KeyError("give a chain name")
    for chain in chains:
        if wanted in (chain.iri.casefold(), chain.id.casefold()):
            return chain.iri
    matches = [
        c
        for c in chains
        if wanted in {s.casefold() for s in [c.label, c.label_en, *c.aliases] if s}
    ]
    if len(matches) > 1:
        own = [c for c in matches if c.local and not c.benchmark]
        matches = own if len(own) == 1 else matches
    if len(matches) == 1:
        return matches[0].iri
    if matches:
        raise KeyError(
            f"chain name '{name}' is ambiguous; use an id: "
            + ", ".join(f"{c.id} ({c.label} / {c.label_en})" for c in matches)
        )
    raise KeyError(f"unknown chain '{name}'. Chains in the graph: " + "; ".join(chain_names(store)))


# ---------------------------------------------------------------- the analysis


class _Listing:
    """The first actors of one segment (in the store's order) per kind, and whether all came."""

    def __init__(self) -> None:
        self.local: list[Actor] = []
        self.elsewhere: list[Actor] = []
        self.others: list[Actor] = []


class _Analysis:
    """What the gap analysis needs: counts aggregated in SPARQL, short lists fetched per segment."""

    def __init__(self, store: Any, weak_threshold: int, top: int = TOP):
        if weak_threshold < 1:
            raise ValueError(f"--weak-threshold must be at least 1, not {weak_threshold}")
        if top < 1:
            raise ValueError(f"--top must be at least 1, not {top}")
        self.store = store
        self.threshold = weak_threshold
        self.top = top
        self.chains = {c.iri: c for c in _chains(store)}
        self.segments = _rows(store, "gap-segments")
        self.counts = {
            r["segment"]: (
                int(r["local_enterprises"]),
                int(r["non_local_enterprises"]),
                int(r["other_actors"]),
            )
            for r in _rows(store, "gap-segment-counts")
        }
        self.chain_local_total = {
            r["chain"]: int(r["local_enterprises"]) for r in _rows(store, "gap-chain-counts")
        }
        chain_rows = _rows(store, "gap-chain-actors")
        self.chain_actors = self._actors(chain_rows, "chain")
        self.leader_iris = {(r["chain"], r["actor"]) for r in chain_rows if _true(r["leader"])}
        self.placed = {(r["chain"], r["actor"]) for r in chain_rows if _true(r["placed"])}
        self.projects = self._projects(_rows(store, "gap-projects"))
        self.matches = _rows(store, "gap-matching-segments")
        self.figures = self._figures(_rows(store, "gap-chain-statistics"))
        self.segment_label = {r["segment"]: r["label_zh"] or r["label_en"] for r in self.segments}
        self._listings: dict[tuple[str, bool], _Listing] = {}
        self._ties: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._neighbour_rows: dict[str, tuple[list[dict[str, str]], dict[str, set[str]]]] = {}
        self._suppliers: dict[str, list[dict[str, str]]] | None = None

    @staticmethod
    def _actors(rows: list[dict[str, str]], key: str) -> dict[str, list[Actor]]:
        """Actors per segment (or chain), each once, with all evidence of its link."""
        found: dict[tuple[str, str], Actor] = {}
        for r in rows:
            k = (r[key], r["actor"])
            actor = found.get(k)
            if actor is None:
                actor = found[k] = _new_actor(r)
            _merge_row(actor, r)
        out: dict[str, list[Actor]] = defaultdict(list)
        for (owner, _iri), actor in sorted(found.items()):
            actor.evidence.sort()
            out[owner].append(actor)
        for actors in out.values():
            actors.sort(key=lambda a: (a.label, a.iri))
        return out

    def listing(self, segment: str, all_elsewhere: bool = False) -> _Listing:
        """The first `top` local enterprises, enterprises elsewhere and other actors of a
        segment (every enterprise elsewhere when `all_elsewhere`), each sorted by label.

        Rows stream in the store's order and reading stops once each kind has what it needs
        (the totals come from gap-segment-counts), so a segment of 10,000 firms costs a few
        dozen rows."""
        key = (segment, all_elsewhere)
        if key in self._listings:
            return self._listings[key]
        n_local, n_elsewhere, n_other = self.counts.get(segment, (0, 0, 0))
        want = {
            "local": min(self.top, n_local),
            "elsewhere": n_elsewhere if all_elsewhere else min(self.top, n_elsewhere),
            "others": min(self.top, n_other),
        }
        found: dict[str, Actor] = {}
        kind_of: dict[str, str] = {}
        have = dict.fromkeys(want, 0)
        if any(want.values()):
            for r in _stream(self.store, "gap-segment-actors", {"segment": segment}):
                actor = found.get(r["actor"])
                if actor is None:
                    if all(have[k] >= n for k, n in want.items()):
                        break
                    enterprise, local = _true(r["is_enterprise"]), _true(r["local"])
                    kind = ("local" if local else "elsewhere") if enterprise else "others"
                    if have[kind] >= want[kind]:
                        continue
                    have[kind] += 1
                    kind_of[r["actor"]] = kind
                    actor = found[r["actor"]] = _new_actor(r)
                _merge_row(actor, r)
        out = _Listing()
        for iri, actor in sorted(found.items(), key=lambda kv: (kv[1].label, kv[0])):
            actor.evidence.sort()
            getattr(out, kind_of[iri]).append(actor)
        self._listings[key] = out
        return out

    def _neighbours(self, entity: str) -> tuple[list[dict[str, str]], dict[str, set[str]]]:
        """Rows of gap-entity-ties for an entity, once per neighbour and quote (the quote of a
        customer_of link moved into `quote` / `source`), and the chains of each neighbour.
        Fetched once per entity whatever the chain: a supplier hub has thousands of rows."""
        if entity not in self._neighbour_rows:
            rows: dict[tuple[str, ...], dict[str, str]] = {}
            chains: dict[str, set[str]] = defaultdict(set)
            for r in _rows(self.store, "gap-entity-ties", entity=entity):
                if r["neighbour_chain"]:
                    chains[r["neighbour"]].add(r["neighbour_chain"])
                if not r["quote"] and r["customer_quote"]:
                    r["quote"], r["source"] = r["customer_quote"], r["customer_source"]
                key = (r["neighbour"], r["quote"], r["source"])
                if key not in rows:
                    rows[key] = {k: v for k, v in r.items() if k != "neighbour_chain"}
            self._neighbour_rows[entity] = (list(rows.values()), chains)
        return self._neighbour_rows[entity]

    def ties(self, entity: str, chain: str) -> list[dict[str, str]]:
        """Direct relations of an entity with enterprises and organizations, each with
        `of_chain`: whether the neighbour works in or leads the chain."""
        key = (entity, chain)
        if key not in self._ties:
            rows, chains = self._neighbours(entity)
            self._ties[key] = [
                {**r, "of_chain": "true" if chain in chains.get(r["neighbour"], ()) else "false"}
                for r in rows
            ]
        return self._ties[key]

    @staticmethod
    def _projects(rows: list[dict[str, str]]) -> dict[tuple[str, str], list[Project]]:
        """Projects per (chain, segment); segment '' for the chain as a whole."""
        by_iri: dict[str, Project] = {}
        keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for r in rows:
            project = by_iri.get(r["project"])
            if project is None:
                project = by_iri[r["project"]] = Project(
                    r["project"],
                    r["label"] or local_name(r["project"]),
                    r["status_zh"] or "状态未知",
                    int(r["status_order"]) if r["status_order"] else None,
                    r["investor_label"],
                    _true(r["local"]),
                    r["amount_text"],
                )
            ev = _evidence(r, project.label)
            if ev and ev not in project.evidence:
                project.evidence.append(ev)
            keys[r["project"]].add((r["chain"], r["segment"]))
        out: dict[tuple[str, str], list[Project]] = defaultdict(list)
        for iri, where in sorted(keys.items()):
            for key in sorted(where):
                out[key].append(by_iri[iri])
        return out

    @staticmethod
    def _figures(rows: list[dict[str, str]]) -> dict[str, list[Figure]]:
        by_stat: dict[str, Figure] = {}
        for r in rows:
            fig = by_stat.get(r["stat"])
            if fig is None:
                fig = by_stat[r["stat"]] = Figure(
                    local_name(r["chain"]),
                    r["chain"],
                    r["indicator_zh"] or r["indicator_en"],
                    r["value_text"],
                    r["period"] or r["year"],
                    _true(r["is_supply_rate"]),
                    [],
                )
            ev = _evidence(r, f"{fig.indicator} {fig.value_text}")
            if ev and ev not in fig.evidence:
                fig.evidence.append(ev)
        out: dict[str, list[Figure]] = defaultdict(list)
        for stat in sorted(by_stat):
            out[by_stat[stat].chain].append(by_stat[stat])
        return out

    # ---- per chain

    def local_enterprises(self, chain: str) -> list[Actor]:
        """Up to `top` local enterprises of the chain (in a segment, in it or leading it), by
        label, from the segment listings; `chain_local_total` has the full count."""
        seen: dict[str, Actor] = {}
        for a in self.chain_actors.get(chain, []):
            if a.local and a.enterprise:
                seen.setdefault(a.iri, a)
        for seg in self.segment_rows(chain):
            for a in self.listing(seg["segment"]).local:
                seen.setdefault(a.iri, a)
        return sorted(seen.values(), key=lambda a: (a.label, a.iri))[: self.top]

    def segment_rows(self, chain: str) -> list[dict[str, str]]:
        rows = [r for r in self.segments if r["chain"] == chain]
        return sorted(rows, key=lambda r: (int(r["order"] or 0), r["segment"]))

    def local_leaders(self, chain: str) -> set[str]:
        return {
            a.iri
            for a in self.chain_actors.get(chain, [])
            if (chain, a.iri) in self.leader_iris and a.local and a.enterprise
        }

    def leaders(self, chain: str) -> list[Leader]:
        out = []
        for actor in self.chain_actors.get(chain, []):
            if (chain, actor.iri) not in self.leader_iris:
                continue
            linked = sorted(
                {
                    r["neighbour_label"] or local_name(r["neighbour"])
                    for r in self.ties(actor.iri, chain)
                    if _true(r["is_enterprise"]) and _true(r["local"])
                }
            )
            out.append(Leader(actor.iri, actor.label, actor.local, linked[: self.top], len(linked)))
        return sorted(out, key=lambda ld: (-ld.pull, ld.label, ld.iri))

    def candidates(self, chain: str, segment: str) -> list[Candidate]:
        """Enterprises outside the zone that could fill the segment, all of them, ranked."""
        found: dict[str, Candidate] = {}
        seg_label = self.segment_label.get(segment, local_name(segment))

        def add(actor: str, label: str, kind: str, reason: str, evidence: list[Evidence]) -> None:
            cand = found.setdefault(actor, Candidate(actor, label))
            if reason not in cand.reasons:
                cand.reasons.append(reason)
                cand.reason_kinds.append(kind)
                cand.strength += REASON_WEIGHTS[kind]
            cand.evidence.extend(e for e in evidence if e not in cand.evidence)

        in_segment = self.listing(segment, all_elsewhere=True).elsewhere
        for a in in_segment:
            add(
                a.iri,
                a.label,
                "operates-in-segment",
                f"{a.label} —所在环节→ {seg_label}",
                a.evidence,
            )
        for a in in_segment:
            for r in self._local_customers(a.iri, chain):
                customer = r["neighbour_label"] or local_name(r["neighbour"])
                ev = _evidence(r, f"{a.label} → {customer}")
                add(
                    a.iri,
                    a.label,
                    "supplies-local-enterprise",
                    f"{a.label} —供应商→ {customer}(区内,本链)",
                    [ev] if ev else [],
                )
        for m in self.matches:
            if m["segment"] != segment:
                continue
            other = self.chains.get(m["other_chain"])
            other_label = other.label if other else local_name(m["other_chain"])
            kind = "benchmark-segment" if _true(m["benchmark"]) else "same-named-segment"
            other_seg = self.segment_label.get(m["other_segment"], local_name(m["other_segment"]))
            for a in self.listing(m["other_segment"], all_elsewhere=True).elsewhere:
                add(
                    a.iri,
                    a.label,
                    kind,
                    f"{a.label} —所在环节→ {other_seg}({other_label}) ≙ {seg_label}",
                    a.evidence,
                )
        return self._rank(chain, found.values())

    def _local_customers(self, supplier: str, chain: str) -> list[dict[str, str]]:
        """Rows of gap-entity-ties: local enterprises of the chain the supplier supplies."""
        return [
            r
            for r in self.ties(supplier, chain)
            if _true(r["supplies"])
            and _true(r["is_enterprise"])
            and _true(r["local"])
            and _true(r["of_chain"])
        ]

    def suppliers(self, chain: str) -> list[dict[str, str]]:
        if self._suppliers is None:
            self._suppliers = defaultdict(list)
            for r in _rows(self.store, "gap-chain-suppliers"):
                self._suppliers[r["chain"]].append(r)
        return self._suppliers.get(chain, [])

    def chain_candidates(self, chain: str) -> tuple[list[Candidate], int]:
        """Suppliers elsewhere of the chain's local enterprises whose segment is not known:
        the `top` supplying the most local enterprises of the chain, ranked; and their total."""
        rows = self.suppliers(chain)
        found: dict[str, Candidate] = {}
        for r in rows[: self.top]:
            label = r["supplier_label"] or local_name(r["supplier"])
            cand = found.setdefault(r["supplier"], Candidate(r["supplier"], label))
            for t in self._local_customers(r["supplier"], chain):
                customer = t["neighbour_label"] or local_name(t["neighbour"])
                reason = f"{label} —供应商→ {customer}(区内,本链;环节未知)"
                if reason not in cand.reasons:
                    cand.reasons.append(reason)
                    cand.reason_kinds.append("supplies-local-enterprise")
                    cand.strength += REASON_WEIGHTS["supplies-local-enterprise"]
                ev = _evidence(t, f"{label} → {customer}")
                if ev and ev not in cand.evidence:
                    cand.evidence.append(ev)
        return self._rank(chain, found.values()), len(rows)

    def _rank(self, chain: str, candidates: Any) -> list[Candidate]:
        leaders = self.local_leaders(chain)
        near_leaders = {r["neighbour"] for ld in sorted(leaders) for r in self.ties(ld, chain)}
        out = []
        for cand in candidates:
            near = {r["neighbour"] for r in self.ties(cand.iri, chain)}
            cand.local_ties = len(
                {
                    r["neighbour"]
                    for r in self.ties(cand.iri, chain)
                    if _true(r["is_enterprise"]) and _true(r["local"]) and _true(r["of_chain"])
                }
            )
            if cand.iri in leaders:
                cand.leader_distance = 0
            elif near & leaders:
                cand.leader_distance = 1
            elif near & near_leaders:
                cand.leader_distance = 2
            else:
                cand.leader_distance = None
            cand.evidence.sort()
            out.append(cand)
        out.sort(key=lambda c: (*c.sort_key(), c.iri))
        for i, cand in enumerate(out, 1):
            cand.rank = i
        return out

    def level(self, segment: str) -> tuple[str, str]:
        n_local, n_elsewhere, _n_other = self.counts.get(segment, (0, 0, 0))
        if n_local >= self.threshold:
            return "covered", "local-enterprises"
        if n_local:
            return "weak", "local-enterprises"
        return "missing", "non-local-only" if n_elsewhere else "no-enterprise-in-graph"

    def segment_gap(self, chain: _Chain, seg: dict[str, str]) -> SegmentGap:
        n_local, n_elsewhere, n_other = self.counts.get(seg["segment"], (0, 0, 0))
        level, basis = self.level(seg["segment"])
        found = self.listing(seg["segment"])
        local, elsewhere, others = found.local, found.elsewhere[: self.top], found.others
        projects = [p for p in self.projects.get((chain.iri, seg["segment"]), []) if p.under_way]
        note = self._note(chain, level, basis, n_local, n_elsewhere, local, projects)
        evidence = sorted({e for a in (local or elsewhere) for e in a.evidence})
        candidates = self.candidates(chain.iri, seg["segment"]) if level != "covered" else []
        shown = candidates[: self.top]
        return SegmentGap(
            chain=chain.label,
            chain_id=chain.id,
            segment=seg["label_zh"] or seg["label_en"],
            segment_id=local_name(seg["segment"]),
            order=int(seg["order"] or 0),
            stage=seg["stage_en"] or local_name(seg["stage"]).lower(),
            stage_zh=seg["stage_zh"],
            level=level,
            basis=basis,
            basis_note=note,
            local_enterprises=[a.label for a in local],
            non_local_enterprises=[a.label for a in elsewhere],
            other_actors=[a.label + ("(区内)" if a.local else "") for a in others],
            projects=[f"{p.label}({p.status})" for p in projects],
            candidates=[c.label for c in shown],
            evidence=evidence,
            candidate_details=shown,
            segment_en=seg["label_en"],
            chain_iri=chain.iri,
            segment_iri=seg["segment"],
            local_total=n_local,
            non_local_total=n_elsewhere,
            other_total=n_other,
            candidate_total=len(candidates),
        )

    def _note(
        self,
        chain: _Chain,
        level: str,
        basis: str,
        n_local: int,
        n_elsewhere: int,
        local: list[Actor],
        projects: list[Project],
    ) -> str:
        zh, en = BASIS_TEXT[basis]
        parts = [f"{zh} ({en})"]
        if level == "weak":
            parts.append(f"区内企业 {n_local} 家,低于阈值 {self.threshold}")
        if level == "covered":
            parts.append(f"区内企业 {n_local} 家,不低于阈值 {self.threshold}")
        if n_elsewhere and level != "covered":
            parts.append(f"区外企业 {n_elsewhere} 家")
        if any(e.curator for a in local for e in a.evidence):
            parts.append("部分依据为编者判断 (partly a curator's judgement)")
        unplaced = self.unplaced_local(chain.iri)
        if level != "covered" and unplaced:
            parts.append(
                f"另有 {len(unplaced)} 家本链区内企业未标环节,可能在此环节 "
                f"({len(unplaced)} local enterprise(s) of the chain have no segment recorded)"
            )
        if projects:
            parts.append("在建/待建项目: " + "、".join(p.label for p in projects))
        return ";".join(parts)

    def unplaced_local(self, chain: str) -> list[Actor]:
        """Local enterprises in or leading the chain that work in none of its segments (all)."""
        return [
            a
            for a in self.chain_actors.get(chain, [])
            if a.local and a.enterprise and (chain, a.iri) not in self.placed
        ]

    def summary(self, chain: _Chain, gaps: list[SegmentGap]) -> ChainSummary:
        figures = self.figures.get(chain.iri, [])
        # Benchmarks cited for this chain; failing those, for the chain's territory.
        models = [c for c in self.chains.values() if chain.iri in c.benchmark_for]
        if not models and chain.territory_iri:
            models = [c for c in self.chains.values() if chain.territory_iri in c.benchmark_for]
        models = [c for c in models if c.iri != chain.iri]
        bench_rates = [
            f
            for m in sorted(models, key=lambda c: c.id)
            for f in self.figures.get(m.iri, [])
            if f.supply_rate
        ]
        leaders = self.leaders(chain.iri)
        data_gaps = []
        if not gaps:
            data_gaps.append(
                "图谱中没有该产业链的环节(全景图缺失) — no segments of this chain in the graph"
            )
        if not leaders:
            data_gaps.append("图谱中没有该产业链的龙头企业 — no leader of this chain in the graph")
        if not any(f.supply_rate for f in figures):
            data_gaps.append("来源未给出本地配套率 — the sources give no local supply rate")
        unplaced = self.unplaced_local(chain.iri)
        chain_candidates, chain_candidate_total = self.chain_candidates(chain.iri)
        return ChainSummary(
            id=chain.id,
            iri=chain.iri,
            label=chain.label,
            label_en=chain.label_en,
            aliases=chain.aliases,
            territory=chain.territory,
            benchmark=chain.benchmark,
            local=chain.local,
            segments=len(gaps),
            missing=sum(g.level == "missing" for g in gaps),
            weak=sum(g.level == "weak" for g in gaps),
            covered=sum(g.level == "covered" for g in gaps),
            local_enterprises=[a.label for a in self.local_enterprises(chain.iri)],
            local_enterprises_without_segment=[a.label for a in unplaced[: self.top]],
            leaders=leaders,
            supply_rates=[f for f in figures if f.supply_rate],
            benchmark_supply_rates=bench_rates,
            figures=[f for f in figures if not f.supply_rate],
            chain_candidates=chain_candidates,
            data_gaps=data_gaps,
            weak_threshold=self.threshold,
            local_enterprise_total=self.chain_local_total.get(chain.iri, 0),
            without_segment_total=len(unplaced),
            chain_candidate_total=chain_candidate_total,
            top=self.top,
        )

    def gaps(self, chain: _Chain) -> list[SegmentGap]:
        return [self.segment_gap(chain, seg) for seg in self.segment_rows(chain.iri)]


def _selected(analysis: _Analysis, store: Any, chain: str | None) -> list[_Chain]:
    if chain is None:
        return list(analysis.chains.values())
    return [analysis.chains[resolve_chain(store, chain)]]


def compute_gaps(
    store: Any, chain: str | None = None, weak_threshold: int = 2, top: int = TOP
) -> list[SegmentGap]:
    """Every segment of every chain (or of the named one) with level and candidates; lists
    hold at most `top` names, with totals beside them."""
    analysis = _Analysis(store, weak_threshold, top)
    return [gap for c in _selected(analysis, store, chain) for gap in analysis.gaps(c)]


def chain_summaries(
    store: Any, weak_threshold: int = 2, chain: str | None = None, top: int = TOP
) -> list[ChainSummary]:
    """Chain-level figures for every chain (or the named one)."""
    analysis = _Analysis(store, weak_threshold, top)
    return [analysis.summary(c, analysis.gaps(c)) for c in _selected(analysis, store, chain)]


def gap_report_data(
    store: Any, weak_threshold: int = 2, chain: str | None = None, top: int = TOP
) -> list[tuple[ChainSummary, list[SegmentGap]]]:
    """(summary, segment gaps) of every chain (or the named one), from one analysis."""
    analysis = _Analysis(store, weak_threshold, top)
    out = []
    for c in _selected(analysis, store, chain):
        gaps = analysis.gaps(c)
        out.append((analysis.summary(c, gaps), gaps))
    return out


def write_gap_reports(
    store: ox.Store,
    out_dir: Path,
    weak_threshold: int = 2,
    data: list[tuple[ChainSummary, list[SegmentGap]]] | None = None,
) -> list[Path]:
    """Write one report per chain, `<chain-id>.html` and `.md` (Chinese first), and an index.

    Pass `data` (from `gap_report_data`) to reuse an analysis already made."""
    from chainkg.gap_report import write_reports

    return write_reports(store, out_dir, weak_threshold, data)
