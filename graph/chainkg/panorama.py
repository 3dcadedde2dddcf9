"""Panorama status (全景图与现状图): `panorama_status(store, chain=None) -> [ChainPanorama]`.

A chain's panorama is the subtree of every reference category it is aligned to (the
`chain_alignments` table); the status map (现状图) is what the focal zone has in each
category. Everything comes from the named query `panorama-status` (so it runs against any
endpoint holding the graph); this module only decides the status of each category:

- `present` (有): at least one enterprise present and producing in the focal zone
  (`ckg:zoneStage`, the one definition of local, `chainkg.presence`: located there, or
  through a site, project or subsidiary there; a registry firm by its address while it
  operates) is in the category or below it (placed there from a registry row, or working in
  an article-named segment mapped onto it), as the gap analysis counts local firms;
- `missing` (缺): none, and the data set holds a registry export, i.e. the zone's enterprise
  list: missing in the zone as far as the registry tells;
- `no-data` (无数据): none, and no registry export: the articles never list a whole
  industry, so this is a gap in our data, not a finding about the zone.

The gap report and the JSON output call `panorama_status`, `panorama_markdown` and
`ChainPanorama.to_dict`; the site renders the same dictionaries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chainkg.aggregates import Answer
from chainkg.project import Identified, local_name
from chainkg.queries import get_query, run_query

STATUSES = ("present", "missing", "no-data")
STATUS_ZH = {"present": "有", "missing": "缺", "no-data": "无数据"}
STATUS_TEXT = {
    "present": "区内有在产的该类企业",
    "missing": "据工商登记名录,区内没有在产的该类企业(区外或区内未投产的已知 {elsewhere} 家)",
    "no-data": "没有区内名录(工商登记)数据,无法判断:这是数据缺口,不是区内缺失",
}


@dataclass
class CategoryStatus(Identified):
    """One reference category of a chain's panorama and the zone's status in it."""

    label: str
    path: str
    level: int
    parent: str
    stage: str
    order: int | None
    segments: list[str]
    local_firms: int
    firms: int
    status: str
    status_text: str


@dataclass
class ChainPanorama:
    """A chain's panorama with the status of each category, upstream first where staged."""

    chain_iri: str
    chain_label: str
    registry_covered: bool
    categories: list[CategoryStatus] = field(default_factory=list)

    @property
    def chain_id(self) -> str:
        return local_name(self.chain_iri)

    def counts(self) -> dict[str, int]:
        return {s: sum(c.status == s for c in self.categories) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["chain_id"] = self.chain_id
        out["counts"] = self.counts()
        for category, data in zip(self.categories, out["categories"], strict=True):
            data["id"] = category.id
        return out


def _status(local: int, firms: int, covered: bool) -> tuple[str, str]:
    if local:
        status = "present"
    elif covered:
        status = "missing"
    else:
        status = "no-data"
    return status, STATUS_TEXT[status].format(elsewhere=firms - local)


PANORAMA_QUERY = "panorama-status"


def panorama_status(
    store: Any, chain: str | None = None, summary: Any = None
) -> list[ChainPanorama]:
    """The panorama of every aligned chain (or of the named one), category by category.

    `summary`: the gap summary written with the graph (`chainkg.aggregates.summary_for`),
    whose `panorama-status` rows are read instead of asking the store (the query counts
    every firm of every category: 4.9-5.6 s on a 50,000-row registry data set); or the answers
    a build is recording (`chainkg.aggregates.Answers`), which then keep the rows asked
    here (the build's `TableAnswers` computes them from the seed tables: `chainkg.gaps.
    tables.panorama`). Only for every chain: a named chain is asked of the store."""
    rows = _panorama_rows(store, summary if chain is None else None, chain)
    chains: dict[str, ChainPanorama] = {}
    for r in rows:
        covered = bool(r["registry_source"])
        panorama = chains.setdefault(
            r["chainNode"], ChainPanorama(r["chainNode"], r["chain_label"], covered)
        )
        local, firms = int(r["local_firms"]), int(r["firms"])
        status, text = _status(local, firms, covered)
        panorama.categories.append(
            CategoryStatus(
                iri=r["category"],
                label=r["category_label"],
                path=r["path"],
                level=int(r["level"]),
                parent=r["parent"],
                stage=r["stage"],
                order=int(r["order"]) if r["order"] else None,
                segments=sorted(s for s in r["segments"].split("、") if s),
                local_firms=local,
                firms=firms,
                status=status,
                status_text=text,
            )
        )
    for panorama in chains.values():
        # tree order (a parent before its children, by path), staged leaves keep that order
        panorama.categories.sort(key=lambda c: c.path)
    return sorted(chains.values(), key=lambda p: (p.chain_label, p.chain_iri))


def _panorama_rows(store: Any, summary: Any, chain: str | None) -> list[dict[str, Any]]:
    """The `panorama-status` rows: from `summary` if it holds them, else from the store
    (then kept in `summary` if it is recording)."""
    found = summary.get(PANORAMA_QUERY, {}) if summary is not None else None
    if found is not None:
        return found.rows
    rows: list[dict[str, Any]] = []
    if run_query(store, "ASK { ?alignment a ckg:ChainAlignment }").boolean:
        # asked first because the query's firm counts are planned apart from its alignments
        # (1M enterprises, none aligned: 13-15 s of counting for no row; with alignments, a
        # LATERAL per category was 100x slower)
        params = {"chain": chain} if chain else None
        rows = run_query(store, get_query(PANORAMA_QUERY).text, params).records()
    if summary is not None:
        summary.put(PANORAMA_QUERY, {}, Answer(rows))
    return rows


def panorama_markdown(panorama: ChainPanorama) -> str:
    """The panorama section of a chain's Markdown gap report."""
    counts = panorama.counts()
    basis = (
        "现状依据区内工商登记名录 (status from the zone's registry list)"
        if panorama.registry_covered
        else "无区内工商登记名录:未见企业的类目记为“无数据”,不记为缺失 "
        "(no registry list: categories without firms are 'no data', not 'missing')"
    )
    out = [
        "\n## 参考全景图与现状 (reference panorama and status)\n",
        f"{basis}。有 {counts['present']} / 缺 {counts['missing']} / 无数据 {counts['no-data']}\n",
        "| 类目 (category) | 阶段 (stage) | 状态 (status) | 区内企业 | 全部企业 | "
        "文章所列环节 (article segments) |",
        "|---|---|---|---|---|---|",
    ]
    for c in panorama.categories:
        indent = "　" * (c.level - 1)
        stage = f"{c.stage} {c.order}" if c.stage else ""
        segments = "、".join(c.segments)
        out.append(
            f"| {indent}{c.label} | {stage} | {STATUS_ZH[c.status]} | {c.local_firms} | "
            f"{c.firms} | {segments} |"
        )
    return "\n".join(out) + "\n"
