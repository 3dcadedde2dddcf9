"""Code tests of the extractor on hand-made articles about an invented zone (青禾经开区)."""

from __future__ import annotations

import pandas as pd
import pytest

from chainkg.ingest.extract import KINDS, extract
from chainkg.ingest.known import KnownIndex, normalize
from chainkg.ingest.slug import slug, unique_slug
from tests.helpers import CASES as HELPER_CASES

CASES = HELPER_CASES / "ingest"
SIGNING = (CASES / "qinghe-signing.txt").read_text(encoding="utf-8")


def _tables(**rows: list[dict[str, str]]) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(r).fillna("") for name, r in rows.items()}


EMPTY = KnownIndex.from_tables({})
KNOWN = KnownIndex.from_tables(
    _tables(
        enterprises=[
            {
                "id": "great-wall-computer",
                "label_zh": "长城计算机系统有限公司",
                "aliases": "长城电脑",
                "source": "a",
                "quote": "q",
            },
        ],
        places=[
            {
                "id": "qinghe-edz",
                "label_zh": "青禾经开区",
                "aliases": "",
                "kind": "zone",
                "source": "a",
                "quote": "q",
            }
        ],
    )
)


@pytest.fixture(scope="module")
def candidates():
    return extract(SIGNING, "qinghe-2024", EMPTY)


def _by(cands, kind):
    return {c.name: c for c in cands if c.kind == kind}


def test_every_quote_is_an_exact_substring(candidates):
    assert candidates
    for c in candidates:
        assert c.quote in SIGNING, c
        assert c.kind in KINDS
        assert 0 < c.confidence <= 1


def test_enterprises_full_name_short_form_and_lists(candidates):
    firms = _by(candidates, "enterprise")
    assert {"青禾智能装备有限公司", "蓝岭精密", "北辰电驱"} <= set(firms)
    assert "青禾智能装备" in firms["青禾智能装备有限公司"].aliases
    assert not any(name.startswith(("与", "以", "聚集")) for name in firms)


def test_project_amount_land_status(candidates):
    projects = _by(candidates, "project")
    reducer = projects["青禾机器人减速器产业化项目"]
    assert reducer.fields["amount_text"] == "投资12亿元"
    assert reducer.fields["amount_yuan"] == "1200000000"
    assert reducer.fields["land_mu"] == "230"
    assert reducer.fields["status"] == "started"
    base = projects["北辰电驱电机生产基地"]
    assert base.fields["amount_yuan"] == "350000000"
    assert base.fields["status"] == "in_production"
    assert base.as_json()["amount"] == "投资3.5亿元"


def test_chain_park_organization_event(candidates):
    assert "智能装备" in _by(candidates, "chain")
    assert "智能装备产业链" in _by(candidates, "chain")["智能装备"].aliases
    assert "青禾智造产业园" in _by(candidates, "park") or "青禾经开区" in _by(candidates, "park")
    assert "青禾经开区管委会" in _by(candidates, "organization")
    assert _by(candidates, "organization")["青禾经开区管委会"].fields["kind"] == "government"


def test_statistic_value_as_printed(candidates):
    stats = [c for c in candidates if c.kind == "statistic"]
    output = next(c for c in stats if c.fields["value_text"] == "86.5亿元")
    assert output.fields["indicator_zh"] == "规模工业产值"
    assert output.fields["unit"] == "亿元"
    assert output.as_json()["value"] == "86.5亿元"
    assert not any(c.fields["value_text"] == "230亩" for c in stats)  # land of a project


def test_relations(candidates):
    triples = {(c.subject, c.type, c.object) for c in candidates if c.kind == "relation"}
    assert ("青禾智能装备", "leads_chain", "智能装备") in triples
    assert ("蓝岭精密", "supplier_of", "青禾智能装备") in triples
    assert ("蓝岭精密", "in_chain", "智能装备") in triples
    for c in candidates:
        if c.kind == "relation":
            item = c.as_json()
            assert {"subject", "type", "object", "quote", "confidence"} <= set(item)


def test_known_entities_get_their_id():
    text = "长城电脑在青禾经开区设立了研发中心。长城计算机系统有限公司表示将扩产。"
    cands = extract(text, "s", KNOWN)
    firm = [c for c in cands if c.kind == "enterprise"]
    assert {c.known_id for c in firm} == {"great-wall-computer"}
    park = [c for c in cands if c.kind == "park"]
    assert park and park[0].known_id == "qinghe-edz"


def test_short_name_matches_full_legal_name():
    assert KNOWN.lookup("长城计算机系统有限公司") == "great-wall-computer"
    assert KNOWN.lookup("长城计算机系统") == "great-wall-computer"  # short of the legal name
    assert KNOWN.lookup("长城计算机系统股份有限公司") == "great-wall-computer"
    assert KNOWN.lookup("蓝岭精密") is None
    assert normalize("“青禾智能装备有限公司”") == "青禾智能装备"


def test_slugs_are_ascii_deterministic_and_unique():
    assert slug("湖南长城") == "hu-nan-chang-cheng"
    assert slug("Ubi公司") == "ubi-gong-si"
    taken = {"hu-nan-chang-cheng"}
    assert unique_slug("湖南长城", taken) == "hu-nan-chang-cheng-2"
    assert len(slug("很" * 100)) <= 60


def test_segments_in_order_with_their_chain():
    text = "青禾经开区的智能装备产业链已形成“减速器—伺服电机、控制器—整机—系统集成”的完整链条。"
    segments = [c for c in extract(text, "s", EMPTY) if c.kind == "segment"]
    assert [(c.name, c.fields["order"]) for c in segments] == [
        ("减速器", "1"),
        ("伺服电机", "2"),
        ("控制器", "2"),
        ("整机", "3"),
        ("系统集成", "4"),
    ]
    assert {c.fields["chain"] for c in segments} == {"智能装备"}
    assert [c.fields["stage"] for c in segments][0] == "upstream"
    assert [c.fields["stage"] for c in segments][-1] == "downstream"


def test_bare_figure_belongs_to_the_articles_main_place():
    text = "青禾经开区召开大会。青禾经开区今年再创佳绩。全年累计新增城镇就业8829人。"
    stats = [c for c in extract(text, "s", KNOWN) if c.kind == "statistic"]
    jobs = next(c for c in stats if c.fields["value_text"] == "8829人")
    assert jobs.fields["subject"] == "qinghe-edz"
    assert jobs.fields["indicator_zh"] == "累计新增城镇就业"
    assert jobs.fields["period"] == "全年"


def test_programs_titles_quotes_honours_and_plans():
    text = (
        "青禾经开区印发《关于加快智能装备产业发展的若干意见》,坚持“链长制”,"
        "开展“企业服务月”活动,制定人才发展实施方案。去年青禾经开区入选全国智能制造示范园区,"
        "位列全国百强第23位。"
    )
    programs = {c.name: c for c in extract(text, "s", EMPTY) if c.kind == "program"}
    assert programs["关于加快智能装备产业发展的若干意见"].fields["kind"] == "policy_document"
    assert programs["链长制"].fields["kind"] == "campaign"
    assert programs["企业服务月"].aliases == ["企业服务月活动"]
    assert programs["人才发展实施方案"].fields["kind"] == "action_plan"
    assert programs["全国智能制造示范园区"].fields["kind"] == "designation"
    assert not any("第23位" in name for name in programs)
