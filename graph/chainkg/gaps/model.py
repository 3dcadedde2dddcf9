"""The gap analysis read model: typed objects every consumer (CLI, reports, site) reads.

`Level` owns a segment's level: its rule lives in `rules.segment_level`, its Chinese and
English names and its colours here. IRIs are kept on every object so a report can link to
entity pages (`profile_href`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from chainkg.project import Identified, local_name


class Level(StrEnum):
    """A segment's level in the focal zone, most to least served, with its Chinese and
    English names and its colours (border / accent, and background) in reports and charts."""

    zh: str
    en: str
    colour: str
    background: str

    COVERED = "covered", "已覆盖", "covered", "#2ca02c", "#e3f2e1"
    WEAK = "weak", "弱链", "weak", "#ff9800", "#fff3cd"
    PIPELINE = "pipeline", "在建补链", "pipeline (capacity under way)", "#1f77b4", "#e1ecf7"
    MISSING = "missing", "缺链", "missing", "#d62728", "#ffffff"

    def __new__(cls, value: str, zh: str, en: str, colour: str, background: str) -> Level:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh, member.en, member.colour, member.background = zh, en, colour, background
        return member

    @property
    def order(self) -> int:
        return list(Level).index(self)


LEVELS = tuple(level.value for level in Level)
LEVEL_ZH = {level.value: level.zh for level in Level}


def profile_href(iri: str) -> str:
    """The entity page of an IRI, relative to a gap report (site/gaps/<chain>.html)."""
    return f"../entities/{local_name(iri)}.html"


@dataclass(frozen=True, order=True)
class Evidence:
    """A verbatim quote from a source article, and what it supports."""

    source: str  # the source id
    quote: str
    supports: str = ""
    curator: bool = False  # a curator's judgement resting on the quote, not stated in text
    title: str = ""  # the article's headline
    date: str = ""  # its date as registered

    @property
    def cite(self) -> str:
        """〔headline, date〕, or the id when the register has no headline."""
        if not self.title:
            return self.source
        return f"{self.title},{self.date}" if self.date else self.title


def quotes_text(evidence: list[Evidence]) -> str:
    """The quotes as one line of text, each once: a quote that proves several firms is shown
    once, naming them all."""
    merged: dict[tuple[str, str], list[str]] = {}
    for e in evidence:
        names = merged.setdefault((e.quote, e.cite), [])
        if e.supports and e.supports not in names:
            names.append(e.supports)
    return " | ".join(
        f"“{quote}”〔{source}〕" + (f"({'、'.join(names)})" if len(names) > 1 else "")
        for (quote, source), names in merged.items()
    )


@dataclass
class Actor(Identified):
    """An enterprise or organization as seen from one segment or chain."""

    label: str
    local: bool  # present and producing in the focal zone
    enterprise: bool
    kind: str = ""
    stage: str = ""  # presence in the zone: producing | building | signed | ''
    evidence: list[Evidence] = field(default_factory=list)
    located: str = ""  # where the sources place it (its own location)


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
    investor_iri: str = ""
    status_date: str = ""

    @property
    def under_way(self) -> bool:
        """Not yet producing: planned, signed, started or under construction (or unknown)."""
        return self.status_order is None or self.status_order < 5

    @property
    def text(self) -> str:
        amount = f",{self.amount}" if self.amount else ""
        return f"{self.label}({self.status}{amount})"


@dataclass
class Reason:
    """Why a lead is worth courting, in plain Chinese, with its quotes."""

    kind: str  # a key of rules.REASON_WEIGHTS
    text: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Candidate(Identified):
    """A new target: an enterprise not present in the zone that could fill a segment."""

    label: str
    reasons: list[str] = field(default_factory=list)  # plain Chinese, see reason_details
    reason_kinds: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    strength: float = 0.0
    local_ties: int = 0
    leader_distance: int | None = None
    rank: int = 0
    reason_details: list[Reason] = field(default_factory=list)
    located: str = ""  # where the sources place it

    @property
    def profile_href(self) -> str:
        return profile_href(self.iri)

    def sort_key(self) -> tuple[Any, ...]:
        distance = self.leader_distance if self.leader_distance is not None else math.inf
        return (-self.strength, -self.local_ties, distance, -len(self.evidence), self.label)


@dataclass
class FollowUp:
    """An enterprise from elsewhere whose base or project in the zone is signed or under way:
    to follow up (跟进), not to court."""

    iri: str
    label: str
    stage: str  # building | signed
    stage_zh: str
    projects: list[Project] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # ties to local firms, plain Chinese

    @property
    def profile_href(self) -> str:
        return profile_href(self.iri)

    @property
    def text(self) -> str:
        done = "、".join(p.text for p in self.projects)
        ties = ";" + ";".join(self.reasons) if self.reasons else ""
        return f"{self.label}({self.stage_zh}" + (f":{done}" if done else "") + f"{ties})"


@dataclass
class StatedCount:
    """A count the articles print for a segment (近40家基础性配套零部件企业)."""

    value_text: str
    value: float
    indicator: str
    evidence: list[Evidence] = field(default_factory=list)


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
    level: str  # a Level value
    basis: str  # a key of rules.BASIS_TEXT
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
    follow_ups: list[FollowUp] = field(default_factory=list)
    stated_counts: list[StatedCount] = field(default_factory=list)
    local_institutions: list[str] = field(default_factory=list)
    pipeline_total: int = 0

    @property
    def level_type(self) -> Level:
        return Level(self.level)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["level_zh"] = Level(self.level).zh
        data["follow_ups_text"] = [f.text for f in self.follow_ups]
        for cand, raw in zip(self.candidate_details, data["candidate_details"], strict=True):
            raw["profile_href"] = cand.profile_href
        return data


@dataclass
class Leader(Identified):
    """A leader (龙头) of a chain and its pull: local enterprises directly tied to it."""

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
class ChainInfo(Identified):
    """A chain: its labels, aliases and territory, whether it is a benchmark (对标) and
    whether it is in the focal zone."""

    label: str
    label_en: str
    aliases: list[str]
    territory: str
    benchmark: bool
    local: bool

    def info(self) -> dict[str, Any]:
        """The fields of ChainInfo alone (of a subclass too), by name."""
        return {f.name: getattr(self, f.name) for f in fields(ChainInfo)}


@dataclass
class ChainSummary(ChainInfo):
    """Chain-level figures: segment levels, local enterprises, leaders, supply rates."""

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
    top: int = 20
    pipeline: int = 0
    no_panorama: bool = False  # 全景图缺失: no segment of this chain and no reference panorama
    # aligned to reference categories (chain_alignments): its panorama is the reference's
    reference_panorama: bool = False
    # signed or building in the zone with a project of the chain but of no known segment
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def local_supply_rate(self) -> str:
        return "; ".join(f.value_text for f in self.supply_rates)

    @property
    def levels_text(self) -> str:
        """'缺链 n / 在建补链 n / 弱链 n / 已覆盖 n', or 全景图缺失 when there are no segments."""
        if self.no_panorama:
            return "全景图缺失 (no segments in the graph)"
        if not self.segments and self.reference_panorama:
            return "文章未列环节,见参考全景图 (no article segments; see the reference panorama)"
        counts = {
            Level.MISSING: self.missing,
            Level.PIPELINE: self.pipeline,
            Level.WEAK: self.weak,
            Level.COVERED: self.covered,
        }
        return " / ".join(f"{level.zh} {n}" for level, n in counts.items())

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            **asdict(self),
            "local_supply_rate": self.local_supply_rate,
            "levels_text": self.levels_text,
        }
        for leader, raw in zip(self.leaders, data["leaders"], strict=True):
            raw["pull"] = leader.pull
        return data


@dataclass
class ChainAnalysis:
    """One chain's summary and segment gaps."""

    summary: ChainSummary
    gaps: list[SegmentGap]

    def __iter__(self):  # (summary, gaps) unpacking, as gap_report_data gave before
        return iter((self.summary, self.gaps))


def dump_analyses(data: list[ChainAnalysis]) -> str:
    """The analysis as JSON text (every field of every object), for the gap summary."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_fields)


def _fields(obj: Any) -> dict[str, Any]:
    """A dataclass's fields by name (json encodes the values; `asdict` would copy them)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def load_analyses(text: str) -> list[ChainAnalysis]:
    """`dump_analyses`'s text back as the same objects.

    Decoded by hand from the classes' own type hints (`_converter`, ~30 lines): pydantic's
    TypeAdapter does the same but costs ~0.7 s to import and build its schema, and a 20 MB
    report (1M enterprises) must read back in well under 2 s."""
    convert = _converter(ChainAnalysis)
    return [convert(a) for a in json.loads(text)]


@functools.cache
def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """A function making a JSON value into the type `hint` (a dataclass of this module, a
    list, X | None), or None when the JSON value already is one (str, int, float, bool)."""
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        parts = [(f.name, _converter(hints[f.name])) for f in fields(hint)]
        plain = [name for name, c in parts if c is None]
        nested = [(name, c) for name, c in parts if c is not None]
        cls: type = hint

        def make(value: dict[str, Any]) -> Any:
            # every field is in the JSON (dump_analyses writes them all): set them directly,
            # as __init__ would (frozen classes refuse setattr, not __dict__)
            obj = object.__new__(cls)
            fields_ = {name: value[name] for name in plain}
            for name, c in nested:
                fields_[name] = c(value[name])
            obj.__dict__.update(fields_)
            return obj

        return make
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        item = _converter(args[0])
        return None if item is None else (lambda value: [item(v) for v in value])
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in args if a is not type(None)))
        return None if inner is None else (lambda v: None if v is None else inner(v))
    return None
