"""Code tests of the general news-text rules (lists of projects, strong firm contexts, a
clause opened by a firm, a firm cut in pieces at a project's start, one project under two
names) on a hand-made article about an invented zone."""

from __future__ import annotations

import pytest

from chainkg.ingest.extract import extract
from chainkg.ingest.known import KnownIndex
from tests.helpers import CASES

LISTS = (CASES / "ingest" / "qinghe-lists.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def candidates():
    return extract(LISTS, "qinghe-lists", KnownIndex.from_tables({}))


def _names(cands, kind):
    return {c.name: c for c in cands if c.kind == kind}


def test_each_item_of_a_project_list_is_a_project(candidates):
    projects = _names(candidates, "project")
    assert {"鹭岛储能电池", "星屿光伏组件"} <= set(projects)
    assert projects["星屿光伏组件"].rule == "project_list"
    # the count and 项目 after the list name no project of their own
    assert not any("三大" in name for name in projects)
    assert projects["星屿光伏组件"].quote in LISTS


def test_items_ending_like_firms_in_a_project_list_are_the_firms(candidates):
    firms = _names(candidates, "enterprise")
    projects = _names(candidates, "project")
    assert {"凯岚橡胶", "泓屹机械"} <= set(firms)
    assert not {"凯岚橡胶", "泓屹机械"} & set(projects)
    # "等一批关键零部件项目" is the list's tail, not a project's name
    assert "关键零部件项目" not in projects


def test_strong_firm_contexts_take_common_words(candidates):
    firms = _names(candidates, "enterprise")
    assert firms["小米"].rule == "firm_context"  # 作为小米的模具供应商
    assert firms["英特尔"].rule == "firm_context"  # 已获英特尔注资
    assert firms["时代光电"].rule == "firm_context"  # 帮扶时代光电成功对接


def test_a_clause_opened_by_a_name_with_a_firms_verb(candidates):
    firms = _names(candidates, "enterprise")
    assert firms["格兰睿芯"].rule == "firm_subject"  # 格兰睿芯掌握…技术
    # the same verb after a generic subject names no firm
    assert not any(name.startswith("该") for name in firms)


def test_a_firm_cut_in_pieces_opens_a_projects_name(candidates):
    firms = _names(candidates, "enterprise")
    projects = _names(candidates, "project")
    assert firms["蔻朗森"].rule == "project_investor"
    assert projects["蔻朗森智能终端生产基地"].fields["investor"] == "蔻朗森"
    assert projects["蔻朗森智能终端生产基地"].fields["amount_yuan"] == "800000000"


def test_one_project_under_two_names_is_one_candidate_with_the_amount_of_either(candidates):
    projects = [c for c in candidates if c.kind == "project" and "蓝汐智能装备产业园" in c.name]
    assert len(projects) == 1
    (park,) = projects
    assert "江西蓝汐智能装备产业园项目" in {park.name, *park.aliases}
    # the amount is printed beside the longer name, in another sentence
    assert park.fields["amount_yuan"] == "2000000000"


def test_without_the_list_tail_no_project_list():
    text = "该区走访了鹭岛储能电池、星屿光伏组件，听取意见。"
    projects = _names(extract(text, "t", KnownIndex.from_tables({})), "project")
    assert "鹭岛储能电池" not in projects


def test_firms_named_as_the_core_of_a_cluster(candidates):
    firms = _names(candidates, "enterprise")
    # 以联芯、台晶为核心龙头: the first item starts after the preposition
    assert firms["联芯"].rule == "firm_list"
    assert firms["台晶"].rule == "firm_list"
    assert not any(name.endswith("以联芯") for name in firms)


def test_a_list_item_of_a_common_word_and_an_industry_word_beside_a_firm(candidates):
    firms = _names(candidates, "enterprise")
    # 宏屿智能、方圆新能源、岱澜新材这些…翘楚: 方圆 is a common word, the item is still a firm
    assert firms["宏屿智能"].rule == "industry_suffix"
    assert firms["方圆新能源"].rule == "firm_list"
    assert firms["岱澜新材"].rule == "firm_list"


def test_a_chinese_numeral_inside_a_project_name(candidates):
    projects = _names(candidates, "project")
    assert projects["蓝汐二工厂"].rule == "project"  # not 工厂 alone, not cut at 二


def test_a_long_qualifier_between_a_list_and_its_projects():
    text = "有链强链。鸥屿储能电池、澄川光伏组件等新能源汽车产业链配套项目签约落户。"
    projects = _names(extract(text, "t", KnownIndex.from_tables({})), "project")
    assert {"鸥屿储能电池", "澄川光伏组件"} <= set(projects)


def test_one_project_before_deng_xiangmu():
    text = "投资12亿元的高纯石英坩埚技术改造等项目开工建设，澄川科技等项目实现当年投产。"
    cands = extract(text, "t", KnownIndex.from_tables({}))
    projects = _names(cands, "project")
    assert projects["高纯石英坩埚技术改造"].rule == "project_list"
    assert projects["高纯石英坩埚技术改造"].fields["amount_yuan"] == "1200000000"
    # an item ending like a firm is the firm, not a project
    assert "澄川科技" in _names(cands, "enterprise")
    assert "澄川科技" not in projects


def test_products_listed_like_firms_are_not_firms():
    # products made of common words; a product with a rare word (靶材) still passes
    text = "培育了光纤陀螺、高端薄膜等一批青禾企业，引进了鸥屿科技、澄澜股份等企业。"
    firms = _names(extract(text, "t", KnownIndex.from_tables({})), "enterprise")
    assert not {"光纤陀螺", "高端薄膜"} & set(firms)
    assert {"鸥屿科技", "澄澜股份"} <= set(firms)


def test_representative_firms_are_firms_whatever_their_words():
    text = "新材料产业中，聚集了澄澜新材、钻石切削等代表企业，规模以上企业70余家。"
    cands = extract(text, "t", KnownIndex.from_tables({}))
    firms = _names(cands, "enterprise")
    assert firms["钻石切削"].rule == "firm_list"  # a common noun and a verb
    members = {c.subject for c in cands if c.kind == "relation" and c.type == "in_chain"}
    assert members == {"澄澜新材", "钻石切削"}
