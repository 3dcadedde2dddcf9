"""Synthetic seed tables at any size: `synthesize(n_enterprises, out_dir, seed) -> counts`.

Writes a seeds folder in the format of `seeds/` (every table of `schema.TABLES`, a
`dataset.toml`, `sources.csv` and an article corpus in `articles/`), so the real build —
validation, quote check, SHACL — runs on it unchanged. Shapes are meant to look like a
province's register, not like uniform noise:

- many chains (8 at 1k enterprises, ~60 at 1M), each with 4-12 ordered segments
  (upstream -> midstream -> downstream); enterprises spread over segments with Zipf-like
  weights, and about one segment in seven left empty (the gaps the users look for);
- heavy-tailed supplier links (a few hub suppliers serve thousands of customers),
  subsidiaries of a few large groups, chain leaders;
- projects with amounts (log-normal, 亿元) and years, programs, events, statistics.

Every curated row is proved by one sentence of a synthetic article (`ROWS_PER_ARTICLE` rows
per article, so quote checks stay cheap), and its quote is that sentence. Columns are
generated with numpy and written with pandas; the same (n, seed) gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from chainkg.schema import TABLES

ROWS_PER_ARTICLE = 100
BASE_IRI = "https://w3id.org/chainkg/synth/"
FOCAL_ZONE = "zone-0"

_SYL = np.array(list("华宏鑫瑞泰达安信德恒盛中天祥和丰源兴荣嘉新立诚佳创汇博通科智远"))
_TRADE = np.array(
    ["科技", "电子", "材料", "动力", "机电", "精工", "新能源", "智能", "装备", "半导体", "储能"]
)
_SUFFIX = np.array(["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"])
_CHAIN_NAMES = [
    ("新能源汽车", "New-energy vehicles"),
    ("轨道交通装备", "Rail transit equipment"),
    ("航空动力", "Aviation engines"),
    ("先进储能材料", "Advanced energy storage"),
    ("电子信息", "Electronic information"),
    ("新材料", "New materials"),
    ("生物医药", "Biomedicine"),
    ("智能制造", "Intelligent manufacturing"),
    ("氢能", "Hydrogen energy"),
    ("集成电路", "Integrated circuits"),
]
_SEGMENT_WORDS = [
    "原材料",
    "关键零部件",
    "核心芯片",
    "电机电控",
    "系统集成",
    "整机制造",
    "测试认证",
    "软件服务",
    "回收利用",
    "运营服务",
    "研发设计",
    "装配",
]
_INDICATORS = [
    ("产值", "Output value", "亿元"),
    ("企业数量", "Number of enterprises", "家"),
    ("本地配套率", "Local supply rate", "%"),
    ("税收", "Tax revenue", "亿元"),
    ("从业人员", "Employees", "人"),
]


def synthesize(
    n_enterprises: int,
    out_dir: Path | str,
    seed: int = 0,
    on_table: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic seeds folder; return rows per table and expected counts per class.

    The returned dict has one key per table written (rows) plus `quotes`, `articles` and
    `class:<Name>` keys with the number of instances the built graph must hold.
    """
    if n_enterprises < 10:
        raise ValueError("synthesize needs at least 10 enterprises")
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    notify = on_table or (lambda _name: None)
    n = n_enterprises
    frames: dict[str, pd.DataFrame] = {}
    sentences: dict[str, pd.Series] = {}

    def add(name: str, frame: pd.DataFrame, sentence: pd.Series) -> None:
        notify(name)
        frames[name] = frame
        sentences[name] = sentence.reset_index(drop=True)

    # Places: one country, provinces, cities, the focal zone and its parks.
    n_prov = 1 + n // 200_000
    n_city = int(np.clip(3 + n // 5_000, 3, 300))
    n_park = int(np.clip(2 + n // 50_000, 2, 40))
    place_ids = (
        ["country-0"]
        + [f"province-{i}" for i in range(n_prov)]
        + [f"city-{i}" for i in range(n_city)]
        + [FOCAL_ZONE]
        + [f"park-{i}" for i in range(n_park)]
    )
    place_kind = ["country"] + ["province"] * n_prov + ["city"] * n_city + ["zone"]
    place_kind += ["park"] * n_park
    part_of = [""] + ["country-0"] * n_prov + [f"province-{i % n_prov}" for i in range(n_city)]
    part_of += ["city-0"] + [FOCAL_ZONE] * n_park
    place_label = (
        ["中国"]
        + [f"第{i}省" for i in range(n_prov)]
        + [f"{_SYL[i % len(_SYL)]}{_SYL[(i * 7) % len(_SYL)]}市{i}" for i in range(n_city)]
        + ["合成高新区"]
        + [f"合成高新区第{i}产业园" for i in range(n_park)]
    )
    places = pd.DataFrame(
        {"id": place_ids, "label_zh": place_label, "kind": place_kind, "part_of": part_of}
    )
    add("places", places, places.label_zh + "是" + places.kind + "级地区")
    label_of = dict(zip(places.id, places.label_zh, strict=True))

    # Organizations: governments and institutes.
    n_org = 5 + n // 20_000
    orgs = pd.DataFrame(
        {
            "id": [f"org-{i}" for i in range(n_org)],
            "label_zh": [f"合成机构{i}号" for i in range(n_org)],
            "kind": np.array(["government", "institute", "university", "platform", "fund"])[
                np.arange(n_org) % 5
            ],
            "located_in": rng.choice(place_ids[1 + n_prov :], n_org),
        }
    )
    add("organizations", orgs, orgs.label_zh + "设在" + orgs.located_in.map(label_of))

    # Enterprises: located in the zone, its parks or a city (Zipf-like over cities).
    syl = rng.integers(0, len(_SYL), size=(n, 3))
    labels = (
        pd.Series(_SYL[syl[:, 0]])
        + _SYL[syl[:, 1]]
        + _SYL[syl[:, 2]]
        + _TRADE[rng.integers(0, len(_TRADE), n)]
        + _SUFFIX[rng.integers(0, len(_SUFFIX), n)]
        + pd.Series(np.arange(n)).astype(str)
    )
    local_places = np.array([FOCAL_ZONE] + [f"park-{i}" for i in range(n_park)])
    city_w = 1.0 / np.arange(1, n_city + 1) ** 1.1
    located = np.where(
        rng.random(n) < 0.3,
        local_places[rng.integers(0, len(local_places), n)],
        np.array([f"city-{i}" for i in range(n_city)])[
            rng.choice(n_city, n, p=city_w / city_w.sum())
        ],
    )
    ent_ids = pd.Series(np.arange(n)).map("ent-{}".format)
    has_en = rng.random(n) < 0.2
    enterprises = pd.DataFrame(
        {
            "id": ent_ids,
            "label_zh": labels,
            "label_en": np.where(has_en, "Synthetic Enterprise " + ent_ids.str[4:], ""),
            "located_in": located,
        }
    )
    add(
        "enterprises", enterprises, enterprises.label_zh + "落户" + pd.Series(located).map(label_of)
    )

    # Chains with ordered segments; some segments get no enterprise at all.
    n_chain = int(np.clip(8 + n // 20_000, 8, 60))
    chain_ids = [f"chain-{i}" for i in range(n_chain)]
    chain_zh = [f"{_CHAIN_NAMES[i % 10][0]}{'' if i < 10 else i // 10}" for i in range(n_chain)]
    chains = pd.DataFrame(
        {
            "id": chain_ids,
            "label_zh": chain_zh,
            "label_en": [f"{_CHAIN_NAMES[i % 10][1]} {i // 10}".strip() for i in range(n_chain)],
            "place": FOCAL_ZONE,
            "benchmark": np.where(np.arange(n_chain) % 7 == 3, "yes", "no"),
        }
    )
    add("chains", chains, chains.label_zh + "产业链是高新区重点产业")
    seg_rows = []
    for c in range(n_chain):
        k = int(rng.integers(4, 13))
        for o in range(1, k + 1):
            stage = "upstream" if o <= k / 3 else "midstream" if o <= 2 * k / 3 else "downstream"
            word = _SEGMENT_WORDS[(o - 1 + c) % len(_SEGMENT_WORDS)]
            seg_rows.append((f"seg-{c}-{o}", f"{chain_zh[c]}{word}", chain_ids[c], str(o), stage))
    segments = pd.DataFrame(seg_rows, columns=["id", "label_zh", "chain", "order", "stage"])
    add("segments", segments, segments.label_zh + "环节")
    n_seg = len(segments)
    chain_w = 1.0 / np.arange(1, n_chain + 1) ** 0.8
    seg_w = chain_w[segments.chain.str[6:].astype(int).to_numpy()] * rng.pareto(1.5, n_seg)
    seg_w[rng.random(n_seg) < 0.15] = 0.0  # empty segments: the gaps
    seg_w /= seg_w.sum()

    # Frameworks naming some chains.
    frameworks = pd.DataFrame(
        {
            "id": ["framework-0"],
            "label_zh": ["合成产业集群体系"],
            "place": FOCAL_ZONE,
            "year": "2021",
            "declared_parts": f"leading:2|chain:{min(n_chain, 8) - 2}",
        }
    )
    add("frameworks", frameworks, pd.Series(["2021年形成合成产业集群体系"]))
    members = pd.DataFrame(
        {
            "id": [f"fm-{i}" for i in range(min(n_chain, 8))],
            "framework": "framework-0",
            "member": chain_ids[: min(n_chain, 8)],
            "role": ["leading"] * 2 + ["chain"] * (min(n_chain, 8) - 2),
        }
    )
    add(
        "framework_members",
        members,
        "合成产业集群体系包括" + members.member.map(dict(zip(chain_ids, chain_zh, strict=True))),
    )

    # Projects with amounts (亿元, log-normal) and years.
    n_proj = max(3, n // 50)
    amount = np.round(np.exp(rng.normal(1.0, 1.2, n_proj)), 1) + 0.1
    amount_text = pd.Series(amount).map("{:.1f}亿元".format)
    projects = pd.DataFrame(
        {
            "id": [f"proj-{i}" for i in range(n_proj)],
            "label_zh": "合成项目" + pd.Series(np.arange(n_proj)).astype(str) + "号",
            "investor": ent_ids.to_numpy()[rng.integers(0, n, n_proj)],
            "chain": np.array(chain_ids)[rng.integers(0, n_chain, n_proj)],
            "site": local_places[rng.integers(0, len(local_places), n_proj)],
            "amount_text": amount_text,
            "amount_yuan": pd.Series(np.round(amount * 1e8).astype(np.int64)).astype(str),
            "status": np.array(["signed", "started", "under_construction", "in_production"])[
                rng.integers(0, 4, n_proj)
            ],
            "year": rng.integers(2015, 2025, n_proj).astype(str),
        }
    )
    add("projects", projects, projects.label_zh + "总投资" + amount_text)

    # Programs and events concerning chains.
    n_prog = 5 + n // 20_000
    programs = pd.DataFrame(
        {
            "id": [f"prog-{i}" for i in range(n_prog)],
            "label_zh": [f"合成产业政策{i}号" for i in range(n_prog)],
            "kind": np.array(["policy_document", "action_plan", "campaign", "mechanism"])[
                np.arange(n_prog) % 4
            ],
            "issuer": orgs.id.to_numpy()[np.arange(n_prog) % n_org],
            "chains": [
                "|".join(sorted({chain_ids[j] for j in rng.integers(0, n_chain, 2)}))
                for _ in range(n_prog)
            ],
            "year": rng.integers(2015, 2025, n_prog).astype(str),
        }
    )
    add("programs", programs, programs.year + "年发布" + programs.label_zh)
    n_event = 3 + n // 50_000
    events = pd.DataFrame(
        {
            "id": [f"event-{i}" for i in range(n_event)],
            "label_zh": [f"合成产业对接会{i}" for i in range(n_event)],
            "kind": "conference",
            "year": rng.integers(2015, 2025, n_event).astype(str),
            "place": FOCAL_ZONE,
            "chains": np.array(chain_ids)[rng.integers(0, n_chain, n_event)],
        }
    )
    add("events", events, events.year + "年举办" + events.label_zh)

    # Statistics about chains, places and enterprises.
    n_stat = max(5, n // 50)
    subjects = np.concatenate([np.array(chain_ids), np.array(place_ids), ent_ids.to_numpy()])
    ind = rng.integers(0, len(_INDICATORS), n_stat)
    value = np.round(rng.lognormal(3.0, 1.5, n_stat), 1)
    value_text = pd.Series(value).map("{:g}".format) + np.array([u for *_, u in _INDICATORS])[ind]
    statistics = pd.DataFrame(
        {
            "id": [f"stat-{i}" for i in range(n_stat)],
            "subject": subjects[np.minimum(rng.zipf(1.6, n_stat) - 1, len(subjects) - 1)],
            "indicator_zh": np.array([z for z, *_ in _INDICATORS])[ind],
            "indicator_en": np.array([e for _, e, _ in _INDICATORS])[ind],
            "value": pd.Series(value).map("{:g}".format),
            "unit": np.array([u for *_, u in _INDICATORS])[ind],
            "year": rng.integers(2015, 2025, n_stat).astype(str),
            "value_text": value_text,
        }
    )
    add("statistics", statistics, statistics.indicator_zh + "达到" + value_text)

    # Relations: segment membership, leaders, heavy-tailed suppliers, subsidiaries.
    in_seg = np.flatnonzero(rng.random(n) < 0.6)
    seg_of = rng.choice(n_seg, len(in_seg), p=seg_w)
    n_sup = n // 4
    hub_order = rng.permutation(n)  # who the hubs are
    supplier = hub_order[np.minimum(rng.zipf(1.3, n_sup) - 1, n - 1)]
    customer = rng.integers(0, n, n_sup)
    keep = supplier != customer
    supplier, customer = supplier[keep], customer[keep]
    n_sub = n // 20
    child = rng.choice(n, n_sub, replace=False)
    parent = hub_order[rng.integers(0, max(1, n // 100), n_sub)]
    keep = child != parent
    child, parent = child[keep], parent[keep]
    eid = ent_ids.to_numpy()
    subj = np.concatenate([eid[in_seg], eid[hub_order[:n_chain]], eid[supplier], eid[child]])
    pred = np.concatenate(
        [
            np.full(len(in_seg), "operates_in_segment"),
            np.full(n_chain, "leads_chain"),
            np.full(len(supplier), "supplier_of"),
            np.full(len(child), "subsidiary_of"),
        ]
    )
    obj = np.concatenate(
        [segments.id.to_numpy()[seg_of], np.array(chain_ids), eid[customer], eid[parent]]
    )
    relations = pd.DataFrame(
        {
            "id": pd.Series(np.arange(len(subj))).map("rel-{}".format),
            "subject": subj,
            "predicate": pred,
            "object": obj,
        }
    )
    label_all = dict(zip(ent_ids, labels, strict=True))
    label_all.update(zip(segments.id, segments.label_zh, strict=True))
    label_all.update(zip(chain_ids, chain_zh, strict=True))
    verb = pd.Series(pred).map(
        {
            "operates_in_segment": "从事",
            "leads_chain": "领衔",
            "supplier_of": "为其供货：",
            "subsidiary_of": "隶属于",
        }
    )
    add(
        "relations",
        relations,
        pd.Series(subj).map(label_all) + verb + pd.Series(obj).map(label_all),
    )

    # Sources: every ROWS_PER_ARTICLE rows (across tables, in schema order) share an article.
    counts: dict[str, int] = {}
    order = [t for t in TABLES if t in frames]
    all_sentences = pd.concat([sentences[t] for t in order], ignore_index=True)
    article_of = np.arange(len(all_sentences)) // ROWS_PER_ARTICLE
    n_articles = int(article_of[-1]) + 1
    source_ids = pd.Series(np.arange(n_articles)).map("src-{:06d}".format)
    start = 0
    for name in order:
        frame = frames[name]
        rows = len(frame)
        frame["source"] = source_ids.to_numpy()[article_of[start : start + rows]]
        frame["quote"] = sentences[name].to_numpy()
        start += rows
    notify("articles")
    texts = all_sentences.groupby(article_of).agg("。\n".join)
    for i, text in enumerate(texts):
        (out / "articles" / f"src-{i:06d}.txt").write_text(
            f"合成新闻第{i}篇\n\n{text}。\n", encoding="utf-8"
        )
    sources = pd.DataFrame(
        {
            "id": source_ids,
            "file": source_ids + ".txt",
            "headline": "合成新闻第" + pd.Series(np.arange(n_articles)).astype(str) + "篇",
            "publisher": "合成日报",
            "date": (2015 + np.arange(n_articles) % 10).astype(str),
            "date_basis": "printed",
            "date_evidence": "",
            "summary_en": "Synthetic article generated by chainkg synth.",
        }
    )
    _write_csv(sources, out / "sources.csv", "sources")
    for name in order:
        _write_csv(frames[name], out / f"{name}.csv", name)
        counts[name] = len(frames[name])
    (out / "dataset.toml").write_text(
        f'id = "synth-{n}-{seed}"\n'
        f'title = "合成数据 (synthetic data set, {n} enterprises, seed {seed})"\n'
        f'base_iri = "{BASE_IRI}"\nfocal_zone = "{FOCAL_ZONE}"\nlanguage = "zh"\n',
        encoding="utf-8",
    )
    counts["sources"] = counts["articles"] = n_articles
    # Presence in the zone derived at build (chainkg.presence), counted here independently:
    # every project is sited in the zone with a presence-giving status, so its investor is
    # present; so is the parent of a present subsidiary. One ZonePresence node (and one
    # evidence node) per present firm not located in the zone.
    located_here = set(eid[np.isin(located, local_places)])
    present = located_here | set(projects["investor"])
    pairs = list(zip(eid[child], eid[parent], strict=True))
    grown = True
    while grown:
        before = len(present)
        present |= {p for c, p in pairs if c in present}
        grown = len(present) > before
    counts["presences"] = len(present - located_here)
    counts["quotes"] = int(sum(counts[t] for t in order))
    counts.update(
        {
            "class:Enterprise": counts["enterprises"],
            "class:Place": counts["places"],
            "class:Organization": counts["organizations"],
            "class:IndustrialChain": counts["chains"],
            "class:ChainSegment": counts["segments"],
            "class:ClusterFramework": counts["frameworks"],
            "class:FrameworkMembership": counts["framework_members"],
            "class:InvestmentProject": counts["projects"],
            "class:GovernmentProgram": counts["programs"],
            "class:Event": counts["events"],
            "class:Statistic": counts["statistics"],
            "class:Relation": counts["relations"],
            "class:Evidence": counts["quotes"] + counts["presences"],
            "class:ZonePresence": counts["presences"],
            "class:SourceArticle": n_articles,
            "supplier_links": int(len(supplier)),
            "segment_links": int(len(in_seg)),
            "empty_segments": int(n_seg - len(np.unique(seg_of))),
        }
    )
    return counts


def _write_csv(frame: pd.DataFrame, path: Path, table: str) -> None:
    """Write a table with exactly the schema's columns (missing ones empty), in schema order."""
    columns = TABLES[table].column_names
    frame = frame.reindex(columns=columns, fill_value="")
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
