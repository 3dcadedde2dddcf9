"""Forty questions an investment-promotion officer asks, answered by the seed graph.

Each expected answer was read independently from the five articles (seeds/articles; the quote
that gives it is in the comment) and is checked against the named queries and the gap
analysis — not against the seed tables.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from chainkg.gap_report import lists_frame
from chainkg.gaps import analyse
from chainkg.lists import seven_lists
from chainkg.queries import get_query, run_named_query, run_query


def ask(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    return run_named_query(store, get_query(name), params).records()


@pytest.fixture(scope="module")
def nev(seed_store: ox.Store):
    [chain] = analyse(seed_store, "新能源汽车")
    return chain


@pytest.fixture(scope="module")
def nev_gaps(nev) -> dict:
    return {g.segment: g for g in nev.gaps}


# ---------------------------------------------------------------- chains and frameworks


def test_q01_two_leading_two_featured_clusters(seed_store) -> None:
    # 形成新能源汽车、新能源装备为主导,以新材料、电子信息为特色的“两主两特”现代产业集群
    rows = {
        r["role"]: r for r in ask(seed_store, "framework-members") if "两主两特" in r["framework"]
    }
    assert set(rows["主导"]["members"].split("、")) == {"新能源汽车", "新能源装备"}
    assert set(rows["特色"]["members"].split("、")) == {"新材料", "电子信息"}


def test_q02_document_that_created_eight_chains(seed_store) -> None:
    # 去年9月,株洲高新区发布《关于推进新兴优势产业链和产业投资促进工作组整合的工作方案》…
    # 形成“八链两组一室”
    [row] = [r for r in ask(seed_store, "framework-documents") if r["framework"] == "八链两组一室"]
    assert row["document"] == "关于推进新兴优势产业链和产业投资促进工作组整合的工作方案"
    assert row["year"] == "2019" and row["date"] == "去年9月"


def test_q03_eight_chains_members_not_listed_by_the_text(seed_store) -> None:
    # the articles name 八链两组一室 but never list its eight chains
    [chains] = [
        r
        for r in ask(seed_store, "framework-members")
        if r["framework"] == "八链两组一室" and r["role"] == "链"
    ]
    assert (chains["declared"], chains["named_in_text"]) == ("8", "0")
    assert chains["curator_added"] == "8" and chains["members"].count("(编者判断)") == 8


def test_q04_chains_in_2018(seed_store) -> None:
    # 2018年,该区产业链一度达到12条之多
    rows = ask(seed_store, "statistics-about", subject="株洲高新区")
    assert any(r["indicator"] == "产业链数量" and r["value_text"] == "12条" for r in rows)


def test_q05_projects_over_100m_in_2019(seed_store) -> None:
    # 2019年全区引进亿元以上项目46个,5亿元以上22个,10亿元以上项目13个
    rows = {
        r["indicator"]: r["value_text"]
        for r in ask(seed_store, "statistics-about", subject="株洲高新区")
    }
    assert rows["引进亿元以上项目数"] == "46个" and rows["引进10亿元以上项目数"] == "13个"


def test_q06_ten_chains_resorted(seed_store) -> None:
    # 重新梳理了十条新兴优势产业链(组)
    labels = {r["framework"] for r in ask(seed_store, "framework-documents")}
    assert "十条新兴优势产业链(组)" in labels


# ---------------------------------------------------------------- leaders


def test_q07_leader_of_nev(seed_store) -> None:
    # 在新能源汽车产业链条中,以北汽集团为龙头
    rows = ask(seed_store, "chain-leaders", chain="新能源汽车")
    assert {r["leader_label"] for r in rows} == {"北汽集团"}


def test_q08_leader_of_electronics_is_local(seed_store) -> None:
    # 在电子信息产业链条中,以湖南长城为首
    rows = ask(seed_store, "chain-leaders", chain="电子信息")
    assert {r["leader_label"] for r in rows} == {"湖南长城计算机系统有限公司"}
    assert all(r["local"] == "true" for r in rows)


def test_q09_baic_present_through_its_base(seed_store) -> None:
    # 落户株洲高新区10年的北汽生产基地,第100万辆汽车在这里下线
    rows = {r["enterprise_label"]: r["stage"] for r in ask(seed_store, "local-enterprises")}
    assert rows["北汽集团"] == "在产"


def test_q10_leading_enterprises_list_has_leaders_only(seed_store) -> None:
    items = seven_lists(seed_store, "新能源汽车")["leading_enterprises"]
    labels = [i.label for i in items]
    assert "北汽集团" in labels
    assert not {"东立", "山锂", "北京首钢钢铁投资管理有限公司"} & set(labels)
    assert len(labels) == len(set(labels))  # 宁德时代 at most once


# ---------------------------------------------------------------- projects


def _project(seed_store, label: str) -> dict[str, str]:
    rows = [r for r in ask(seed_store, "list-early-stage-projects") if r["label"] == label]
    assert rows, label
    return rows[0]


def test_q11_feishi_base_amount_and_status(seed_store) -> None:
    # 投资5亿元的非仕电机株洲制造基地也已开工
    row = _project(seed_store, "菲仕电机株洲制造基地")
    assert row["kind"] == "开工" and "5亿元" in row["detail"]


def test_q12_megmeet_expansion(seed_store) -> None:
    # 投资2.5亿元的麦格米特株洲扩展基地一期项目…纷纷开工建设
    row = _project(seed_store, "麦格米特株洲扩展基地一期项目")
    assert row["kind"] == "开工" and "2.5亿元" in row["detail"]


def test_q13_target_materials_project(seed_store) -> None:
    # 火炬特种高纯功能靶材的“新家”正在紧锣密鼓地建设中…总投资10亿元
    row = _project(seed_store, "火炬特种高纯功能靶材项目")
    assert row["kind"] == "在建" and "10亿元" in row["detail"]


def test_q14_signed_not_started_nev_projects(nev_gaps) -> None:
    # 永成汽车零部件…签订进区合同; 东立智能汽车零部件产业园…的入驻
    follow = {f.label: f.stage_zh for f in nev_gaps["基础性配套零部件"].follow_ups}
    assert follow == {"东立": "已签约", "永成": "已签约"}


def test_q15_yihua_in_production(seed_store) -> None:
    # “当年签约、当年建设、当年投产、当年纳税”,湖南意华交通装备产业园项目
    rows = run_query(
        seed_store,
        """SELECT ?status WHERE { ?p rdfs:label "意华交通装备产业园"@zh ;
           ckg:status/rdfs:label ?status . FILTER(LANG(?status) = "zh") }""",
    ).records()
    assert [r["status"] for r in rows] == ["投产"]


def test_q16_testing_centre_under_construction(nev_gaps) -> None:
    # 国家新能源汽车检测中心株洲分中心将在年底交付使用
    testing = nev_gaps["新能源汽车检测"]
    assert (
        testing.level == "pipeline" and "国家新能源汽车检测中心株洲分中心(在建)" in testing.projects
    )


# ---------------------------------------------------------------- presence in the zone


def test_q17_feishi_supplies_baic_and_is_in_the_zone(seed_store) -> None:
    # 作为北汽的供应商,该项目的开工将进一步完善我市新能源汽车产业链
    rows = ask(seed_store, "suppliers-of", company="北汽")
    feishi = [r for r in rows if r["supplier_label"] == "菲仕电机"]
    assert feishi and all(r["supplier_stage"] == "在建" for r in feishi)
    [nev] = analyse(seed_store, "nev")
    [follow] = [f for g in nev.gaps for f in g.follow_ups if f.label == "菲仕电机"]
    assert follow.reasons == ["为本区龙头北汽集团供货"]


def test_q18_firms_placed_in_the_zone_by_base_or_project(seed_store) -> None:
    # 菲仕电机, 麦格米特, 永成, 世鑫新材, 华为鼎桥, 凯乐科技 … each has a base or project here
    stages = {r["enterprise_label"]: r["stage"] for r in ask(seed_store, "local-enterprises")}
    for firm in (
        "菲仕电机",
        "麦格米特",
        "永成",
        "东立",
        "世鑫新材",
        "华为鼎桥",
        "湖北凯乐科技股份有限公司",
    ):
        assert firm in stages, firm


def test_q19_no_project_in_the_zone_leaves_its_investor_outside(seed_store) -> None:
    rows = run_query(
        seed_store,
        """SELECT ?investor WHERE {
             ?ds ckg:focalZone ?zone . ?p a ckg:InvestmentProject ; ckg:investor ?investor ;
                ckg:locatedIn/ckg:partOf* ?zone ; ckg:status ?s .
             FILTER(?s NOT IN (ckg:Planned, ckg:Failed))
             FILTER NOT EXISTS { ?investor ckg:zoneStage ?stage } }""",
    ).records()
    assert rows == []


def test_q20_kaile_operating(seed_store) -> None:
    # 凯乐科技等项目还实现了当年签约,当年纳税 (operating: a curator's reading)
    stages = {r["enterprise_label"]: r["stage"] for r in ask(seed_store, "local-enterprises")}
    assert stages["湖北凯乐科技股份有限公司"] == "在产"


# ---------------------------------------------------------------- gaps


def test_q21_motor_control_is_not_missing(nev_gaps) -> None:
    motor = nev_gaps["电机电控"]
    assert motor.level == "pipeline"
    assert {f.label for f in motor.follow_ups} == {"菲仕电机", "麦格米特"}


def test_q22_feishi_and_megmeet_are_never_new_targets(nev) -> None:
    targets = {c.label for g in nev.gaps for c in g.candidate_details}
    targets |= {c.label for c in nev.summary.chain_candidates}
    assert not {"菲仕电机", "麦格米特", "东立", "永成"} & targets


def test_q23_basic_parts_stated_count(nev_gaps) -> None:
    # 依靠区内12家核心部件和近40家基础性配套零部件企业
    parts = nev_gaps["基础性配套零部件"]
    assert parts.level == "covered" and parts.basis == "stated-count"
    [count] = parts.stated_counts
    assert count.value_text == "近40家" and "近40家基础性配套零部件企业" in count.evidence[0].quote


def test_q24_core_parts_stated_count(nev_gaps) -> None:
    assert [c.value_text for c in nev_gaps["核心部件"].stated_counts] == ["12家"]


def test_q25_design_rd_served_by_institute(nev_gaps) -> None:
    # 去年成立的湖南新能源汽车研究院
    rd = nev_gaps["设计研发"]
    assert rd.level == "covered" and rd.local_institutions == ["湖南新能源汽车研究院"]


def test_q26_vehicle_makers(nev_gaps) -> None:
    # 依托北汽株洲公司、中车时代电动、奇点汽车…整车产业布局在高新区基本成型
    assert {"北汽株洲公司", "中车时代电动", "奇点汽车"} <= set(
        nev_gaps["整车制造"].local_enterprises
    )


def test_q27_supply_rates(seed_store) -> None:
    # 200余家链上企业的本地配套率才30%; 上下游本地配套率仅20%; 本地就近配套率达到60%
    by_id = {a.summary.id: a.summary for a in analyse(seed_store)}
    assert by_id["nev"].local_supply_rate == "30%"
    assert by_id["electronics"].local_supply_rate == "20%"
    assert "60%" in [f.value_text for f in by_id["nev"].benchmark_supply_rates]


def test_q28_chain_without_panorama_says_so(seed_store) -> None:
    """新材料: the articles list no segment, but it is aligned to the reference (新材料产业), so
    the report points to that panorama; 应急安全 has neither: 全景图缺失, never '0 缺失'."""
    [materials] = analyse(seed_store, "新材料")
    assert materials.gaps == [] and materials.summary.reference_panorama
    assert materials.summary.levels_text.startswith("文章未列环节,见参考全景图")
    [safety] = analyse(seed_store, "应急安全")
    assert safety.gaps == [] and safety.summary.levels_text.startswith("全景图缺失")


def test_q29_evidence_cites_article_title_and_date(nev_gaps) -> None:
    ev = nev_gaps["基础性配套零部件"].stated_counts[0].evidence[0]
    assert ev.cite == "株洲县区发展大型新闻调查·天元区篇 做实「高新样本」王牌何在?,2023"


# ---------------------------------------------------------------- programs


def test_q30_three_kinds_top500_concerns_nev(seed_store) -> None:
    # 北京首钢钢铁投资管理有限公司等“三类500强”企业为该产业链条上发展引擎
    rows = ask(seed_store, "programs-by-chain", chain="新能源汽车")
    assert any(r["program"] == "三类500强" and r["assertion"] == "原文明示" for r in rows)


def test_q31_chain_investment_link_is_a_judgement(seed_store) -> None:
    rows = ask(seed_store, "programs-by-chain", chain="nev")
    assert {r["assertion"] for r in rows if r["program"] == "链式招商"} == {"编者判断"}


def test_q32_three_kinds_top500_since_2018(seed_store) -> None:
    # 2018年…该区进一步落实省、市提出的“三类500强”企业概念
    rows = run_query(
        seed_store, 'SELECT ?y WHERE { ?p rdfs:label "三类500强"@zh ; ckg:year ?y }'
    ).records()
    assert [r["y"] for r in rows] == ["2018"]


# ---------------------------------------------------------------- people


def _posts(seed_store, year: str) -> dict[str, str]:
    return {
        r["role"] + "@" + r["post_in"]: r["person"]
        for r in ask(seed_store, "people-and-posts")
        if r["year"] == year
    }


def test_q33_zone_party_secretary_2019(seed_store) -> None:
    # 株洲高新区党委书记、天元区委书记周建光
    assert _posts(seed_store, "2019")["党工委书记@株洲高新区党工委"] == "周建光"


def test_q34_zone_party_secretary_2024(seed_store) -> None:
    # 株洲高新区党工委书记、天元区委书记邵凌云
    assert _posts(seed_store, "2024")["党工委书记@株洲高新区党工委"] == "邵凌云"


def test_q35_admin_committee_director(seed_store) -> None:
    # 8月28日至9月3日,高新区管委会主任朱振湘率队
    assert _posts(seed_store, "2019")["管委会主任@株洲高新区管委会"] == "朱振湘"


def test_q36_experts_list_says_the_articles_name_none(seed_store) -> None:
    # 由区主要领导担任总链长… : chain chiefs are described, never named
    lists = seven_lists(seed_store, "新能源汽车")
    assert lists["experts"] == []
    frame = lists_frame(lists)
    [note] = frame[frame["list"] == "experts"]["note"]
    assert "未点名" in note
    # the posts are described (设立“链长”工作机制) but no chain-chief post names a person
    posts = ask(seed_store, "people-and-posts")
    assert posts and not [r for r in posts if r["kind"] in ("chain_chief", "expert")]


# ---------------------------------------------------------------- listed firms, spin-offs


def test_q37_listed_companies(seed_store) -> None:
    # 宏达电子、飞鹿股份创业板上市,欧科亿科创板上市; 上市公司意华股份; 上市公司上海德威明兴
    rows = {r["company"]: r for r in ask(seed_store, "listed-companies")}
    assert rows["宏达电子"]["board"] == "创业板" and rows["宏达电子"]["zone_stage"] == "在产"
    assert rows["欧科亿"]["board"] == "科创板"
    assert {"意华股份", "上海德威明兴"} <= set(rows)


def test_q38_spin_offs_of_crrc(seed_store) -> None:
    # 由中车系企业裂变而来的风电板块; 新能源装备…引导中车系、株齿系企业的裂变
    rows = ask(seed_store, "spin-offs")
    assert {(r["what"], r["from"]) for r in rows} >= {
        ("风电", "中车系"),
        ("新能源装备", "中车系"),
        ("新能源装备", "株洲齿轮有限责任公司"),
    }


# ---------------------------------------------------------------- whose figure, whose judgement


def test_q39_statistics_say_whose(seed_store) -> None:
    # 电子信息 names the zone's chain (and Changsha's): the zone's own, and rows say so
    rows = ask(seed_store, "statistics-about", subject="电子信息")
    assert rows and {(r["whose"], r["territory"]) for r in rows} == {("电子信息", "株洲高新区")}


def test_q40_subsidiary_ties_say_stated_or_judged(seed_store) -> None:
    # 上市公司上海德威明兴在该区成立全资子公司湖南德威氢动力有限公司
    rows = ask(seed_store, "subsidiaries")
    dewei = [r for r in rows if r["parent_label"] == "上海德威明兴"]
    assert dewei and dewei[0]["subsidiary_stage"] == "在产"
    assert {r["assertion"] for r in rows} <= {"原文明示", "编者判断"}
    assert "编者判断" in {r["assertion"] for r in rows}


def test_q41_hydrogen_follow_ups(seed_store) -> None:
    # 淳华氢能科技园项目、北京铂陆氢能研究院项目等的签约,为株洲氢能产业链上“新引擎”
    [hydrogen] = analyse(seed_store, "氢能")
    follow = {f.label: f.stage_zh for f in hydrogen.summary.follow_ups}
    assert follow == {"淳华": "已签约", "北京铂陆氢能研究院": "已签约"}
