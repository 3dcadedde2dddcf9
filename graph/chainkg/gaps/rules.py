"""The rules of the gap analysis, each in one place: a segment's level, and how leads rank.

Level of a segment (`segment_level`), with `threshold` = WEAK_THRESHOLD unless given:
1. `covered` when the zone has at least `threshold` producing enterprises in it — named in
   the graph, or a count the articles print for the segment (近40家…企业), whichever is more;
2. `covered` when a local institute, platform or test centre serves it (R&D, testing and
   service segments are served by institutions, not by competing suppliers);
3. `weak` when it has fewer (at least one) producing enterprises, named or counted;
4. `pipeline` when nothing produces yet but a base or project in the zone is signed,
   started or under construction (capacity under way);
5. `missing` otherwise — with the basis telling "the graph knows firms of this segment
   elsewhere but none here" (`non-local-only`) from "the graph knows no firm of it at all"
   (`no-enterprise-in-graph`, possibly a gap in our data rather than in the zone).

Ranking of new targets (`RANKING_TEXT`): the sum of reason weights (REASON_WEIGHTS), then
ties with the chain's local enterprises, distance to a local leader, evidence, name.
"""

from __future__ import annotations

from chainkg.gaps.model import Level

TOP = 20  # names listed per segment and chain list; totals are always given
WEAK_THRESHOLD = 2  # the one default: fewer producing enterprises than this = weak

STAGE_ZH = {"producing": "在产", "building": "在建", "signed": "已签约"}

BASIS_TEXT = {
    "local-enterprises": (
        "有区内在产企业在该环节(见证据)",
        "producing enterprises in the zone are stated to work in this segment (see evidence)",
    ),
    "stated-count": (
        "来源给出了本区该环节的企业数",
        "the sources print how many enterprises of this segment the zone has",
    ),
    "local-institutions": (
        "有区内研究院、平台或检测机构服务该环节",
        "a local institute, platform or test centre serves this segment",
    ),
    "pipeline": (
        "区内尚无在产企业,但已有签约、开工或在建的基地/项目",
        "nothing producing in the zone yet, but bases or projects there are signed, started "
        "or under construction",
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


def segment_level(
    producing: int,
    stated: float,
    institutions: int,
    pipeline: int,
    elsewhere: int,
    threshold: int = WEAK_THRESHOLD,
) -> tuple[Level, str]:
    """The level of a segment and the basis it rests on (a key of BASIS_TEXT).

    `producing`: enterprises present and producing in the zone, named in the graph;
    `stated`: the largest count printed for the segment (0 if none); `institutions`: local
    organizations serving it; `pipeline`: enterprises or projects signed / under way in the
    zone; `elsewhere`: enterprises of the segment known outside the zone."""
    if threshold < 1:
        raise ValueError(f"--weak-threshold must be at least 1, not {threshold}")
    firms = max(producing, int(stated))
    basis = "stated-count" if stated > producing else "local-enterprises"
    if firms >= threshold:
        return Level.COVERED, basis
    if institutions:
        return Level.COVERED, "local-institutions"
    if firms:
        return Level.WEAK, basis
    if pipeline:
        return Level.PIPELINE, "pipeline"
    return Level.MISSING, "non-local-only" if elsewhere else "no-enterprise-in-graph"


# Reason kinds for a new target, with their weight in the ranking.
REASON_WEIGHTS = {
    "supplies-local-leader": 4.0,
    "operates-in-segment": 3.0,
    "supplies-local-enterprise": 2.0,
    "benchmark-segment": 1.0,
    "same-named-segment": 0.5,
}
RANKING_TEXT = (
    "招商对象只列区外企业:已在区内在产的企业不列;在区内有签约、开工或在建项目的企业列为“跟进”。"
    "排序:① 理由权重之和(为本区龙头供货 4,在本环节有业务 3,为本链其他区内企业供货 2,"
    "对标产业链同名环节成员 1,其他产业链同名环节成员 0.5);② 与本链区内企业的直接关系数;"
    "③ 到本链区内龙头的距离(1 = 直接关系,2 = 与龙头有共同的直接关联企业或机构,更远或无路径排最后);"
    "④ 证据条数;⑤ 名称。每个环节列出前 20 名并给出候选总数;"
    "环节未知的区外供应商先按所供本链区内企业数取前 20 名。",
    "Only enterprises not present in the zone are targets: producing ones are never listed; "
    "those with a signed, started or under-construction project in the zone are follow-ups "
    "(跟进). Targets are ranked by (1) the sum of their reason weights (supplies a local "
    "leader 4, works in this segment 3, supplies another local enterprise of the chain 2, "
    "member of the same-named segment of a benchmark chain 1, of another chain 0.5); (2) the "
    "number of local enterprises of the chain they are directly related to; (3) their "
    "distance to a local leader (1 = directly related, 2 = both related to the same "
    "enterprise or organization; further or no path last); (4) the number of evidence "
    "quotes; (5) the name. The first 20 of each segment are listed, with the total; "
    "suppliers of unknown segment are first cut to the 20 that supply the most local "
    "enterprises of the chain.",
)
