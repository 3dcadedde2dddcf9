"""Composing the analysis: `analyse(store) -> [ChainAnalysis]`, the one read model.

Counts are aggregated in SPARQL; names are listed up to `top` per segment (totals beside
them), read from a per-segment query that streams and stops early; ties and a leader's pull
come from each entity's direct relations (`gap-entity-ties`), so nothing scans the whole
graph into Python. "Local" is the graph's one definition, `ckg:zoneStage` (chainkg.presence):
producing enterprises count for a segment, signed or building ones are its pipeline and
follow-ups (跟进), and only enterprises not present at all become new targets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from chainkg.aggregates import Answers
from chainkg.gaps.fetch import Chain, Reader, Sources, chains, resolve_chain, stage_of, true
from chainkg.gaps.model import (
    Actor,
    Candidate,
    ChainAnalysis,
    ChainSummary,
    Evidence,
    Figure,
    FollowUp,
    Leader,
    Level,
    Project,
    Reason,
    SegmentGap,
    StatedCount,
    dump_analyses,
    load_analyses,
)
from chainkg.gaps.rules import (
    BASIS_TEXT,
    REASON_WEIGHTS,
    STAGE_ZH,
    TOP,
    WEAK_THRESHOLD,
    segment_level,
)
from chainkg.project import local_name

UNDER_WAY = (2, 3, 4)  # signed, started, under construction (ckg:order of the status)


class _Listing:
    """The first actors of one segment per kind: producing in the zone, signed or building
    there (pipeline), elsewhere, and organizations."""

    def __init__(self) -> None:
        self.local: list[Actor] = []
        self.pipeline: list[Actor] = []
        self.elsewhere: list[Actor] = []
        self.others: list[Actor] = []


class _Analysis:
    """What the gap analysis needs: counts aggregated in SPARQL, short lists fetched per segment."""

    def __init__(
        self,
        store: Any,
        weak_threshold: int = WEAK_THRESHOLD,
        top: int = TOP,
        summary: Answers | None = None,
    ):
        if weak_threshold < 1:
            raise ValueError(f"--weak-threshold must be at least 1, not {weak_threshold}")
        if top < 1:
            raise ValueError(f"--top must be at least 1, not {top}")
        self.store = store
        self.threshold = weak_threshold
        self.top = top
        self.reader = reader = Reader(store, summary)
        rows = reader.rows
        self.sources = Sources(store, summary)
        self.chains = {c.iri: c for c in chains(store, summary)}
        self.segments = rows("gap-segments")
        self.counts = {r["segment"]: r for r in rows("gap-segment-counts")}
        self.chain_local_total = {
            r["chain"]: int(r["local_enterprises"]) for r in rows("gap-chain-counts")
        }
        chain_rows = rows("gap-chain-actors")
        self.chain_actors = self._actors(chain_rows, "chain")
        self.leader_iris = {(r["chain"], r["actor"]) for r in chain_rows if true(r["leader"])}
        self.placed = {(r["chain"], r["actor"]) for r in chain_rows if true(r["placed"])}
        project_rows = rows("gap-projects")
        self.projects, self.by_investor = self._projects(project_rows)
        self.producing = {r["investor"]: true(r["investor_producing"]) for r in project_rows}
        self.matches = rows("gap-matching-segments")
        self.figures = self._figures(rows("gap-chain-statistics"))
        self.stated = self._stated(rows("gap-segment-statistics"))
        self.segment_label = {r["segment"]: r["label_zh"] or r["label_en"] for r in self.segments}
        self.aligned = {r["chain"] for r in rows("gap-chain-alignments")}
        self._listings: dict[tuple[str, str], _Listing] = {}
        self._local_ties: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._near: dict[str, set[str]] = {}
        self._neighbour_rows: dict[str, tuple[list[dict[str, str]], dict[str, set[str]]]] = {}
        self._suppliers: dict[str, list[dict[str, str]]] | None = None
        self._pipeline: dict[str, list[Actor]] | None = None

    def count(self, segment: str, column: str) -> int:
        row = self.counts.get(segment)
        return int(row[column]) if row and row.get(column) else 0

    # ---- reading rows

    def _new_actor(self, r: dict[str, str]) -> Actor:
        stage = stage_of(r.get("zone_stage", ""))
        return Actor(
            r["actor"],
            r["actor_label"] or local_name(r["actor"]),
            stage == "producing",
            true(r["is_enterprise"]),
            local_name(r["kind"]) if r["kind"] else "",
            stage,
            located=r.get("place_label", ""),
        )

    def _merge_row(self, actor: Actor, r: dict[str, str]) -> None:
        if r["kind"] and not actor.kind:
            actor.kind = local_name(r["kind"])
        ev = self.sources.evidence(r, actor.label)
        if ev and ev not in actor.evidence:
            actor.evidence.append(ev)

    def _actors(self, rows_: list[dict[str, str]], key: str) -> dict[str, list[Actor]]:
        """Actors per segment (or chain), each once, with all evidence of its link."""
        found: dict[tuple[str, str], Actor] = {}
        for r in rows_:
            k = (r[key], r["actor"])
            actor = found.get(k)
            if actor is None:
                actor = found[k] = self._new_actor(r)
            self._merge_row(actor, r)
        out: dict[str, list[Actor]] = defaultdict(list)
        for (owner, _iri), actor in sorted(found.items()):
            actor.evidence.sort()
            out[owner].append(actor)
        for actors in out.values():
            actors.sort(key=lambda a: (a.label, a.iri))
        return out

    def listing(self, segment: str, every: str = "") -> _Listing:
        """The first `top` actors by label of each kind of a segment (every one of the kind
        `every`, e.g. 'elsewhere').

        Rows stream in the query's order (by label) and reading stops once each kind has what
        it needs (the totals come from gap-segment-counts); the gap summary keeps the rows
        read, so reading it back costs a few dozen rows for a segment of 10,000 firms."""
        totals = {
            "local": self.count(segment, "local_enterprises"),
            "pipeline": self.count(segment, "pipeline_enterprises"),
            "elsewhere": self.count(segment, "non_local_enterprises"),
            "others": self.count(segment, "other_actors"),
        }
        if totals.get(every, 0) <= self.top:  # the first `top` are all of them
            every = ""
        key = (segment, every)
        if key in self._listings:
            return self._listings[key]
        want = {k: n if k == every else min(self.top, n) for k, n in totals.items()}
        found: dict[str, Actor] = {}
        kind_of: dict[str, str] = {}
        have = dict.fromkeys(want, 0)
        if any(want.values()):
            for r in self.reader.stream("gap-segment-actors", {"segment": segment}):
                actor = found.get(r["actor"])
                if actor is None:
                    if all(have[k] >= n for k, n in want.items()):
                        break
                    actor = self._new_actor(r)
                    if not actor.enterprise:
                        kind = "others"
                    elif actor.local:
                        kind = "local"
                    else:
                        kind = "pipeline" if actor.stage else "elsewhere"
                    if have[kind] >= want[kind]:
                        continue
                    have[kind] += 1
                    kind_of[r["actor"]] = kind
                    found[r["actor"]] = actor
                self._merge_row(actor, r)
        out = _Listing()
        for iri, actor in sorted(found.items(), key=lambda kv: (kv[1].label, kv[0])):
            actor.evidence.sort()
            getattr(out, kind_of[iri]).append(actor)
        self._listings[key] = out
        return out

    def pipeline(self, segment: str) -> list[Actor]:
        """Every enterprise of the segment signed or building in the zone, by label."""
        if self.count(segment, "pipeline_enterprises") <= self.top:
            return self.listing(segment).pipeline  # all of them are among the first rows
        if self._pipeline is None:  # one query for every segment: the pipeline is small
            self._pipeline = self._actors(self.reader.rows("gap-pipeline-actors"), "segment")
        return self._pipeline.get(segment, [])

    def _neighbours(self, entity: str) -> tuple[list[dict[str, str]], dict[str, set[str]]]:
        """Rows of gap-entity-ties for an entity, once per neighbour and quote, and the chains
        of each neighbour. Fetched once per entity whatever the chain."""
        if entity not in self._neighbour_rows:
            found: dict[tuple[str, ...], dict[str, str]] = {}
            chains_of: dict[str, set[str]] = defaultdict(set)
            # in a fixed order (the query has none: a store's or a table's order must not
            # choose which quote of a neighbour is kept); copies, the answer stays as read
            ties = self.reader.rows("gap-entity-ties", entity=entity)
            for r in sorted((dict(r) for r in ties), key=_items_order(ties)):
                chain = r.pop("neighbour_chain", "")  # r: a copy, kept without the chain
                if chain:
                    chains_of[r["neighbour"]].add(chain)
                if not r["quote"] and r["customer_quote"]:
                    r["quote"], r["source"] = r["customer_quote"], r["customer_source"]
                key = (r["neighbour"], r["quote"], r["source"])
                if key not in found:
                    found[key] = r
            self._neighbour_rows[entity] = (list(found.values()), chains_of)
        return self._neighbour_rows[entity]

    def near(self, entity: str) -> set[str]:
        """The enterprises and organizations an entity has a direct relation with."""
        if entity not in self._near:
            self._near[entity] = {r["neighbour"] for r in self._neighbours(entity)[0]}
        return self._near[entity]

    def local_ties(self, entity: str, chain: str = "") -> list[dict[str, str]]:
        """Rows of the entity's direct relations with producing local enterprises (those
        working in or leading `chain` when given), in `_neighbours`' order. Per entity and
        chain once: a supplier to many firms is ranked in many chains."""
        key = (entity, chain)
        if key not in self._local_ties:
            if chain:
                chains_of = self._neighbours(entity)[1]
                found = [
                    r for r in self.local_ties(entity) if chain in chains_of.get(r["neighbour"], ())
                ]
            else:
                found = [
                    r
                    for r in self._neighbours(entity)[0]
                    if true(r["is_enterprise"]) and true(r["local"])
                ]
            self._local_ties[key] = found
        return self._local_ties[key]

    def _projects(
        self, rows_: list[dict[str, str]]
    ) -> tuple[dict[tuple[str, str], list[Project]], dict[str, list[Project]]]:
        """Projects per (chain, segment) (segment '' for the chain as a whole), and per
        investor."""
        by_iri: dict[str, Project] = {}
        keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for r in rows_:
            project = by_iri.get(r["project"])
            if project is None:
                project = by_iri[r["project"]] = Project(
                    r["project"],
                    r["label"] or local_name(r["project"]),
                    r["status_zh"] or "状态未知",
                    int(r["status_order"]) if r["status_order"] else None,
                    r["investor_label"],
                    true(r["local"]),
                    r["amount_text"],
                    investor_iri=r["investor"],
                    status_date=r.get("status_date", ""),
                )
            ev = self.sources.evidence(r, project.label)
            if ev and ev not in project.evidence:
                project.evidence.append(ev)
            keys[r["project"]].add((r["chain"], r["segment"]))
        out: dict[tuple[str, str], list[Project]] = defaultdict(list)
        investors: dict[str, list[Project]] = defaultdict(list)
        for iri, where in sorted(keys.items()):
            for key in sorted(where):
                out[key].append(by_iri[iri])
            if by_iri[iri].investor_iri:
                investors[by_iri[iri].investor_iri].append(by_iri[iri])
        return out, investors

    def _figures(self, rows_: list[dict[str, str]]) -> dict[str, list[Figure]]:
        by_stat: dict[str, Figure] = {}
        for r in rows_:
            fig = by_stat.get(r["stat"])
            if fig is None:
                fig = by_stat[r["stat"]] = Figure(
                    local_name(r["chain"]),
                    r["chain"],
                    r["indicator_zh"] or r["indicator_en"],
                    r["value_text"],
                    r["period"] or r["year"],
                    true(r["is_supply_rate"]),
                    [],
                )
            ev = self.sources.evidence(r, f"{fig.indicator} {fig.value_text}")
            if ev and ev not in fig.evidence:
                fig.evidence.append(ev)
        out: dict[str, list[Figure]] = defaultdict(list)
        for stat in sorted(by_stat):
            out[by_stat[stat].chain].append(by_stat[stat])
        return out

    def _stated(self, rows_: list[dict[str, str]]) -> dict[str, list[StatedCount]]:
        """Counts of enterprises printed per segment (unit 家)."""
        by_stat: dict[str, tuple[str, StatedCount]] = {}
        for r in rows_:
            if r["stat"] not in by_stat:
                by_stat[r["stat"]] = (
                    r["segment"],
                    StatedCount(r["value_text"], float(r["value"]), r["indicator_zh"]),
                )
            count = by_stat[r["stat"]][1]
            ev = self.sources.evidence(r, f"{count.indicator} {count.value_text}")
            if ev and ev not in count.evidence:
                count.evidence.append(ev)
        out: dict[str, list[StatedCount]] = defaultdict(list)
        for stat in sorted(by_stat):
            segment, count = by_stat[stat]
            out[segment].append(count)
        return out

    # ---- per chain

    def segment_rows(self, chain: str) -> list[dict[str, str]]:
        found = [r for r in self.segments if r["chain"] == chain]
        return sorted(found, key=lambda r: (int(r["order"] or 0), r["segment"]))

    def local_enterprises(self, chain: str) -> list[Actor]:
        """Up to `top` producing local enterprises of the chain, by label."""
        seen: dict[str, Actor] = {}
        for a in self.chain_actors.get(chain, []):
            if a.local and a.enterprise:
                seen.setdefault(a.iri, a)
        for seg in self.segment_rows(chain):
            for a in self.listing(seg["segment"]).local:
                seen.setdefault(a.iri, a)
        return sorted(seen.values(), key=lambda a: (a.label, a.iri))[: self.top]

    def local_leaders(self, chain: str) -> dict[str, str]:
        """IRI -> label of the chain's leaders present and producing in the zone."""
        return {
            a.iri: a.label
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
                    for r in self.local_ties(actor.iri)
                }
            )
            out.append(Leader(actor.iri, actor.label, actor.local, linked[: self.top], len(linked)))
        return sorted(out, key=lambda ld: (-ld.pull, ld.label, ld.iri))

    def _customers(self, supplier: str, chain: str) -> list[dict[str, str]]:
        """Rows of gap-entity-ties: producing local enterprises of the chain it supplies."""
        return [r for r in self.local_ties(supplier, chain) if true(r["supplies"])]

    def _supply_reasons(self, cand: Candidate, chain: str, unknown_segment: bool = False) -> None:
        leaders = self.local_leaders(chain)
        for t in self._customers(cand.iri, chain):
            customer = t["neighbour_label"] or local_name(t["neighbour"])
            ev = self.sources.evidence(t, f"{cand.label} → {customer}")
            if t["neighbour"] in leaders:
                kind, text = "supplies-local-leader", f"为本区龙头{customer}供货"
            else:
                kind, text = "supplies-local-enterprise", f"为本链区内企业{customer}供货"
            if unknown_segment:
                text += "(环节未知)"
            _add_reason(cand, kind, text, [ev] if ev else [])

    def candidates(self, chain: str, segment: str) -> list[Candidate]:
        """Enterprises not present in the zone that could fill the segment, all, ranked."""
        found: dict[str, Candidate] = {}
        seg_label = self.segment_label.get(segment, local_name(segment))
        in_segment = self.listing(segment, every="elsewhere").elsewhere
        for a in in_segment:
            cand = found.setdefault(a.iri, Candidate(a.iri, a.label, located=a.located))
            _add_reason(cand, "operates-in-segment", f"在{seg_label}环节有业务", a.evidence)
        for a in in_segment:
            self._supply_reasons(found[a.iri], chain)
        for m in self.matches:
            if m["segment"] != segment:
                continue
            other = self.chains.get(m["other_chain"])
            other_label = other.label if other else local_name(m["other_chain"])
            where = other.territory if other else ""
            other_seg = self.segment_label.get(m["other_segment"], local_name(m["other_segment"]))
            if true(m["benchmark"]):
                kind, text = (
                    "benchmark-segment",
                    f"{where}{other_label}产业链{other_seg}环节成员(对标)",
                )
            else:
                kind, text = (
                    "same-named-segment",
                    f"{other_label}产业链{other_seg}环节成员(同名环节)",
                )
            for a in self.listing(m["other_segment"], every="elsewhere").elsewhere:
                cand = found.setdefault(a.iri, Candidate(a.iri, a.label, located=a.located))
                _add_reason(cand, kind, text, a.evidence)
        return self._rank(chain, found.values())

    def follow_ups(self, chain: str, segment: str) -> list[FollowUp]:
        """Enterprises of the segment ('' = of the chain, segment unknown) whose base or
        project in the zone is signed or under way, and investors of its projects under way
        in the zone, with those projects and their ties to local firms (never producing
        enterprises)."""
        out: dict[str, FollowUp] = {}
        pipeline = self.pipeline(segment) if segment else []
        for a in pipeline:
            projects = [p for p in self.by_investor.get(a.iri, []) if p.local]
            evidence = sorted({e for p in projects for e in p.evidence} | set(a.evidence))
            out[a.iri] = FollowUp(a.iri, a.label, a.stage, STAGE_ZH[a.stage], projects, evidence)
        for p in self.projects.get((chain, segment), []):
            if not (p.local and p.investor_iri and p.status_order in UNDER_WAY):
                continue
            if p.investor_iri in out or self.producing.get(p.investor_iri, False):
                continue
            stage = "building" if p.status_order in (3, 4) else "signed"
            out[p.investor_iri] = FollowUp(
                p.investor_iri, p.investor, stage, STAGE_ZH[stage], [p], sorted(p.evidence)
            )
        for follow in out.values():
            probe = Candidate(follow.iri, follow.label)
            self._supply_reasons(probe, chain)
            follow.reasons = probe.reasons
            follow.evidence = sorted(set(follow.evidence) | set(probe.evidence))
        return sorted(out.values(), key=lambda f: (f.label, f.iri))

    def suppliers(self, chain: str) -> list[dict[str, str]]:
        if self._suppliers is None:
            self._suppliers = defaultdict(list)
            for r in self.reader.rows("gap-chain-suppliers"):
                self._suppliers[r["chain"]].append(r)
        return self._suppliers.get(chain, [])

    def chain_candidates(self, chain: str) -> tuple[list[Candidate], int]:
        """Suppliers not present in the zone of the chain's local enterprises whose segment
        is not known: the `top` supplying the most, ranked; and their total."""
        found: dict[str, Candidate] = {}
        all_rows = self.suppliers(chain)
        for r in all_rows[: self.top]:
            label = r["supplier_label"] or local_name(r["supplier"])
            cand = found.setdefault(r["supplier"], Candidate(r["supplier"], label))
            self._supply_reasons(cand, chain, unknown_segment=True)
        return self._rank(chain, found.values()), len(all_rows)

    def _rank(self, chain: str, candidates: Any) -> list[Candidate]:
        leaders = set(self.local_leaders(chain))
        near_leaders = {n for ld in sorted(leaders) for n in self.near(ld)}
        out = []
        for cand in candidates:
            near = self.near(cand.iri)
            cand.local_ties = len({r["neighbour"] for r in self.local_ties(cand.iri, chain)})
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

    def segment_gap(self, chain: Chain, seg: dict[str, str]) -> SegmentGap:
        segment = seg["segment"]
        n_local = self.count(segment, "local_enterprises")
        n_else = self.count(segment, "non_local_enterprises")
        n_pipe = self.count(segment, "pipeline_enterprises")
        found = self.listing(segment)
        institutions = [a for a in found.others if a.local]
        projects = [p for p in self.projects.get((chain.iri, segment), []) if p.under_way]
        local_under_way = [p for p in projects if p.local and p.status_order in UNDER_WAY]
        stated = self.stated.get(segment, [])
        level, basis = segment_level(
            n_local,
            max((c.value for c in stated), default=0),
            self.count(segment, "local_institutions"),
            n_pipe + len(local_under_way),
            n_else,
            self.threshold,
        )
        follow_ups = self.follow_ups(chain.iri, segment)
        note = self._note(chain, level, basis, n_local, n_else, found, stated, projects)
        evidence = sorted(
            {e for a in (found.local or institutions or found.elsewhere) for e in a.evidence}
            | {e for c in stated for e in c.evidence}
        )
        candidates = self.candidates(chain.iri, segment) if level != Level.COVERED else []
        shown = candidates[: self.top]
        return SegmentGap(
            chain=chain.label,
            chain_id=chain.id,
            segment=seg["label_zh"] or seg["label_en"],
            segment_id=local_name(segment),
            order=int(seg["order"] or 0),
            stage=seg["stage_en"] or local_name(seg["stage"]).lower(),
            stage_zh=seg["stage_zh"],
            level=level.value,
            basis=basis,
            basis_note=note,
            local_enterprises=[a.label for a in found.local],
            non_local_enterprises=[a.label for a in found.elsewhere[: self.top]],
            other_actors=[a.label + ("(区内)" if a.local else "") for a in found.others],
            projects=[p.text for p in projects],
            candidates=[c.label for c in shown],
            evidence=evidence,
            candidate_details=shown,
            segment_en=seg["label_en"],
            chain_iri=chain.iri,
            segment_iri=segment,
            local_total=n_local,
            non_local_total=n_else,
            other_total=self.count(segment, "other_actors"),
            candidate_total=len(candidates),
            follow_ups=follow_ups[: self.top],
            stated_counts=stated,
            local_institutions=[a.label for a in institutions],
            pipeline_total=n_pipe,
        )

    def _note(
        self,
        chain: Chain,
        level: Level,
        basis: str,
        n_local: int,
        n_elsewhere: int,
        found: _Listing,
        stated: list[StatedCount],
        projects: list[Project],
    ) -> str:
        zh, en = BASIS_TEXT[basis]
        parts = [f"{zh} ({en})"]
        if stated:
            shown = "、".join(c.value_text for c in stated)
            parts.append(f"来源所述企业数 {shown},图谱中具名在产 {n_local} 家")
        elif level in (Level.WEAK, Level.COVERED) and basis == "local-enterprises":
            side = "低于" if level == Level.WEAK else "不低于"
            parts.append(f"区内在产企业 {n_local} 家,{side}阈值 {self.threshold}")
        institutions = [a.label for a in found.others if a.local]
        if institutions:
            parts.append("区内机构:" + "、".join(institutions))
        if n_elsewhere and level != Level.COVERED:
            parts.append(f"区外企业 {n_elsewhere} 家")
        if any(e.curator for a in found.local for e in a.evidence):
            parts.append("部分依据为编者判断 (partly a curator's judgement)")
        unplaced = self.unplaced_local(chain.iri)
        if level != Level.COVERED and unplaced:
            parts.append(
                f"另有 {len(unplaced)} 家本链区内企业未标环节,可能在此环节 "
                f"({len(unplaced)} local enterprise(s) of the chain have no segment recorded)"
            )
        if projects:
            parts.append("在建/待建项目: " + "、".join(p.text for p in projects))
        return ";".join(parts)

    def unplaced_local(self, chain: str) -> list[Actor]:
        """Producing local enterprises in or leading the chain that work in none of its
        segments (all)."""
        return [
            a
            for a in self.chain_actors.get(chain, [])
            if a.local and a.enterprise and (chain, a.iri) not in self.placed
        ]

    def summary(self, chain: Chain, gaps: list[SegmentGap]) -> ChainSummary:
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
        if not gaps and chain.iri in self.aligned:
            data_gaps.append(
                "文章未列出该产业链的环节:各环节现状见参考全景图 — the articles list no segments "
                "of this chain; see the reference panorama for the zone's status"
            )
        elif not gaps:
            data_gaps.append(
                "全景图缺失:图谱中没有该产业链的环节 — no segments of this chain in the graph"
            )
        if not leaders:
            data_gaps.append("图谱中没有该产业链的龙头企业 — no leader of this chain in the graph")
        if not any(f.supply_rate for f in figures):
            data_gaps.append("来源未给出本地配套率 — the sources give no local supply rate")
        unplaced = self.unplaced_local(chain.iri)
        chain_candidates, chain_candidate_total = self.chain_candidates(chain.iri)
        levels = Counter(g.level for g in gaps)
        return ChainSummary(
            **chain.info(),
            segments=len(gaps),
            missing=levels[Level.MISSING],
            weak=levels[Level.WEAK],
            covered=levels[Level.COVERED],
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
            pipeline=levels[Level.PIPELINE],
            no_panorama=not gaps and chain.iri not in self.aligned,
            reference_panorama=chain.iri in self.aligned,
            follow_ups=self.follow_ups(chain.iri, "")[: self.top],
        )

    def gaps(self, chain: Chain) -> list[SegmentGap]:
        return [self.segment_gap(chain, seg) for seg in self.segment_rows(chain.iri)]


def _add_reason(cand: Candidate, kind: str, text: str, evidence: list[Evidence]) -> None:
    """Add a reason once (its weight counts once), and its quotes."""
    if text not in cand.reasons:
        cand.reasons.append(text)
        cand.reason_kinds.append(kind)
        cand.strength += REASON_WEIGHTS[kind]
        cand.reason_details.append(Reason(kind, text, sorted(set(evidence))))
    if evidence:
        have = _evidence_held(cand)
        for e in evidence:
            if e not in have:
                have.add(e)
                cand.evidence.append(e)


def _evidence_held(cand: Candidate) -> set[Evidence]:
    """The set of `cand.evidence`, kept on the candidate (an attribute, not a field: no
    output shows it) between the calls of `_add_reason`: a firm with many quotes got its
    set rebuilt for each reason (1M enterprises: 4.5M hashes of Evidence). Rebuilt when the
    list is another or has changed size (evidence added elsewhere)."""
    kept = cand.__dict__.get("_evidence_held")
    if kept is None or kept[0] is not cand.evidence or len(kept[1]) != len(cand.evidence):
        kept = (cand.evidence, set(cand.evidence))
        cand.__dict__["_evidence_held"] = kept
    return kept[1]


def _items_order(rows: list[dict[str, str]]) -> Callable[[dict[str, str]], Any]:
    """A sort key ordering rows as `sorted(row.items())` does: when every row has the same
    columns, their values in the columns' sorted order (one tuple, not a list of pairs)."""
    columns = sorted(rows[0]) if rows else []
    if len(columns) > 1 and all(r.keys() == rows[0].keys() for r in rows):
        return itemgetter(*columns)
    return lambda r: sorted(r.items())


def analyse(
    store: Any,
    chain: str | None = None,
    weak_threshold: int = WEAK_THRESHOLD,
    top: int = TOP,
    summary: Answers | None = None,
) -> list[ChainAnalysis]:
    """The analysis of every chain (or of the one named by label, alias, id or IRI): each
    chain's summary and segment gaps, lists capped at `top` names with totals beside them.
    `summary`: the gap summary the build wrote for this graph (`aggregates.summary_for`),
    whose precomputed answers replace the store's (same rows, same analysis); an
    `aggregates.Answers(recording=True)` records the answers read, for `write_summary`.
    A summary keeping the whole report composed with these parameters (the build's, with the
    defaults) gives it back without composing."""
    params = {"top": top, "weak_threshold": weak_threshold}
    kept = summary.report(params) if summary is not None else None
    if kept is not None:  # composed by the build with these parameters: read, not composed
        found = load_analyses(kept)
        if chain is None:
            return found
        iri = resolve_chain(store, chain)
        return [a for a in found if a.summary.iri == iri]
    analysis = _Analysis(store, weak_threshold, top, summary)
    if chain is None:
        selected = list(analysis.chains.values())
    else:
        selected = [analysis.chains[resolve_chain(store, chain)]]
    out = []
    for c in selected:
        gaps = analysis.gaps(c)
        out.append(ChainAnalysis(analysis.summary(c, gaps), gaps))
    if chain is None and summary is not None and summary.recording:
        summary.put_report(params, dump_analyses(out))  # kept with the answers
    return out
