"""The named queries on the Zhuzhou graph give the articles' answers (data tests; the code of
`chainkg.queries` is tested on hand-made cases in tests/chainkg/test_queries.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from chainkg.queries import get_query, list_queries, run_named_query

REQUIRED = {
    "evidence-for-entity": {"name": "北汽集团"},
    "zone-structure-in-year": {"year": "2022"},
    "statistics-about": {"subject": "zhuzhou-hitech-zone"},
    "entity-search": {"text": "意华"},
    "gap-entity-ties": {"entity": "北汽集团"},
    "gap-segment-actors": {"segment": "nev-motor-control"},
    "enterprise-profile": {"company": "菲仕电机"},
}


def answer(store: ox.Store, query_name: str, **params: str) -> list[dict[str, str]]:
    return run_named_query(store, get_query(query_name), params).records()


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_runs_on_the_seed_graph(seed_store: ox.Store, query) -> None:
    params = {p: v for p, v in REQUIRED.get(query.name, {}).items() if p in query.params}
    for p in query.required_params:
        params.setdefault(p, "x")
    result = run_named_query(seed_store, query, params)
    assert result.columns and not set(result.columns) & set(query.params)


def test_chain_leaders(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "chain-leaders")
    pairs = {(r["chain_label"], r["leader_label"]) for r in rows}
    assert ("新能源汽车", "北汽集团") in pairs
    assert ("集成电路", "台积电") in pairs and ("集成电路", "联电") in pairs
    great_wall = [
        r for r in rows if r["chain_label"] == "电子信息" and "湖南长城" in r["leader_label"]
    ]
    assert great_wall and all(r["local"] == "true" for r in great_wall)
    assert any("以北汽集团为龙头" in r["quote"] for r in rows)


def test_chain_parameter_accepts_alias(seed_store: ox.Store) -> None:
    by_alias = answer(seed_store, "chain-leaders", chain="新能源汽车产业链")
    assert {r["leader_label"] for r in by_alias} == {"北汽集团"}


def test_local_supply_rates_with_benchmark(seed_store: ox.Store) -> None:
    rows = {
        (r["subject_label"], r["benchmark"]): r for r in answer(seed_store, "local-supply-rates")
    }
    assert rows[("新能源汽车", "false")]["value"] == "30"
    assert rows[("电子信息", "false")]["value"] == "20"
    assert rows[("动力电池", "true")]["value"] == "60"


def test_frameworks_by_year(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "frameworks-by-year")
    years = [int(r["year"]) for r in rows]
    assert years == sorted(years)
    two_two = next(r for r in rows if "两主两特" in r["framework_label"])
    assert two_two["year"] == "2021" and "新能源汽车(主导)" in two_two["named_members"]
    assert "电子信息(特色)" in two_two["named_members"]
    eight = next(r for r in rows if r["framework_label"] == "八链两组一室")
    assert eight["year"] == "2019" and "8 链" in eight["declared"] and "1 室" in eight["declared"]


def test_zone_structure_in_a_year(seed_store: ox.Store) -> None:
    in_2022 = answer(seed_store, "zone-structure-in-year", year="2022")
    assert {r["framework_label"] for r in in_2022} == {"“两主两特”现代产业集群"}
    in_2020 = answer(seed_store, "zone-structure-in-year", year="2020")
    assert "八链两组一室" in {r["framework_label"] for r in in_2020}
    assert all(r["adopted"] == "2019" for r in in_2020)


def test_projects_by_amount(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "projects-by-amount")
    amounts = [int(r["amount_yuan"]) for r in rows if r["amount_yuan"]]
    assert amounts == sorted(amounts, reverse=True)
    assert (
        rows[0]["project_label"] == "三一集团重大项目" and rows[0]["amount_text"] == "投资150亿元"
    )
    yihua = next(r for r in rows if "意华交通装备产业园" in r["project_label"])
    assert yihua["amount_yuan"] == "2500000000"


def test_projects_by_status_counts_add_up(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "projects-by-status")
    counted = sum(int(r["projects"]) for r in rows)
    with_status = seed_store.query(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p <https://w3id.org/chainkg/def#status> ?s }"
    )
    assert counted == int(next(iter(with_status))["n"].value)


def test_suppliers_of_yihua(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "suppliers-of", company="意华股份")
    assert {"华为", "小米"} <= {r["customer_label"] for r in rows}
    assert any("模具供应商" in r["quote"] for r in rows)


def test_subsidiaries(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "subsidiaries")
    assert ("上海德威明兴", "湖南德威氢动力有限公司") in {
        (r["parent_label"], r["subsidiary_label"]) for r in rows
    }


def test_which_article_says_so(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "evidence-for-entity", name="北汽集团")
    assert any(r["quote"] == "在新能源汽车产业链条中,以北汽集团为龙头" for r in rows)
    assert all(r["article"] for r in rows)


def test_programs_in_date_order(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "chain-programs-timeline")
    years = [int(r["year"]) for r in rows if r["year"]]
    assert years == sorted(years)
    labels = {r["program_label"]: r["year"] for r in rows}
    assert labels["关于加快推进工业新兴及优势产业链发展的实施方案"] == "2019"
    assert labels["关于推进新兴优势产业链和产业投资促进工作组整合的工作方案"] == "2019"


def test_flagged_statistics_keep_printed_values(seed_store: ox.Store) -> None:
    rows = answer(seed_store, "flagged-statistics")
    assert "456亿元" in {r["value_text"] for r in rows}
