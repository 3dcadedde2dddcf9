"""Registry exports: row checks, import (rejects, --strict, GBK, XLSX, conflicts), placements
in the built graph with their reasons and provenance, synthetic exports, a registry-only
data set. Code tests on hand-made cases (tests/cases/registry/)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.errors import SeedError
from chainkg.pipeline import build
from chainkg.presence import places_in_zone, registry_firm
from chainkg.queries import get_query, run_named_query, run_query
from chainkg.reference import load_reference
from chainkg.registry import (
    HEADINGS,
    MIN_PRODUCT_CHARS,
    AddressRule,
    FieldChange,
    FormerName,
    RegistryFile,
    RegistryRecord,
    RowChanges,
    _product_index,
    latest_rows,
    parse_capital,
    parse_date,
    place_by_address,
    read_registry,
    resolve_industry,
    valid_credit_code,
)
from chainkg.registry_import import import_enterprises
from chainkg.store import open_store
from chainkg.synth_registry import PLANTED_BAD, synthesize_registry, synthesize_registry_dataset
from tests.helpers import CASES, copy_tiny, write_csv

CASE = CASES / "registry"
BASE = "https://example.org/tiny/"


def test_capital_strings() -> None:
    assert parse_capital("50(万元人民币)").amount == Decimal(500_000)
    cap = parse_capital("1,088(万元人民币)")
    assert (cap.amount, cap.currency, cap.yuan) == (Decimal(10_880_000), "CNY", cap.amount)
    usd = parse_capital("500万美元")
    assert (usd.amount, usd.currency, usd.yuan) == (Decimal(5_000_000), "USD", None)
    assert parse_capital("3亿元人民币").amount == Decimal(300_000_000)
    assert parse_capital("面议") is None and parse_capital("50万卢布") is None


def test_dates_and_industry_codes() -> None:
    assert parse_date("2019年5月6日") == parse_date("2019/5/6") == "2019-05-06"
    assert parse_date("20100506") == "2010-05-06"
    assert parse_date("2020-02-30") is None
    ref = load_reference()
    assert resolve_industry("C3670", ref) == resolve_industry("3670", ref) == "3670"
    assert resolve_industry("汽车零部件及配件制造", ref) == "3670"  # 中类 367 has the same name
    assert resolve_industry("C", ref) == "C" and resolve_industry("36", ref) == "36"
    assert resolve_industry("A3670", ref) is None  # 3670 is not in 门类 A
    assert resolve_industry("Z9999", ref) is None


def _dataset(tmp_path: Path, persons: bool = False) -> Path:
    """tiny + the reference sources, a chain alignment and address rules."""
    seeds = copy_tiny(tmp_path)
    rows = list(csv.DictReader((seeds / "sources.csv").open(encoding="utf-8")))
    fields = [*rows[0].keys(), "kind"]
    rows += [
        {"id": "sei-2018", "file": "sei2018_to_gbt4754.csv", "headline": "战略性新兴产业分类",
         "date_basis": "printed", "summary_en": "Reference.", "kind": "reference"},
        {"id": "gbt-4754-2017", "file": "gbt4754_2017.csv", "headline": "GB/T 4754-2017",
         "date_basis": "printed", "summary_en": "Reference.", "kind": "reference"},
    ]  # fmt: skip
    write_csv(seeds / "sources.csv", fields, [{f: r.get(f, "") for f in fields} for r in rows])
    shutil.copy(CASE / "alignments.csv", seeds / "chain_alignments.csv")
    shutil.copy(CASE / "address_rules.csv", seeds / "address_rules.csv")
    if persons:
        with (seeds / "dataset.toml").open("a", encoding="utf-8") as handle:
            handle.write("\n[registry]\nstore_persons = true\n")
    return seeds


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, Path]:
    seeds = _dataset(tmp_path)
    export = tmp_path / "export.csv"
    shutil.copy(CASE / "export.csv", export)
    return seeds, export


def test_import_keeps_good_rows_and_rejects_each_bad_one(imported) -> None:
    seeds, export = imported
    report = import_enterprises(export, seeds, date="2024-06-30", source_id="reg-2024")
    assert (report.imported, report.rejected) == (5, 5)
    faults = {(p.line, p.field) for p in report.problems}
    assert faults == {
        (7, "统一社会信用代码"),
        (8, "国标行业"),
        (9, "注册资本"),
        (10, "成立日期"),
        (11, "统一社会信用代码"),
    }
    assert all(p.file == str(export) for p in report.problems)
    rejects = list(csv.reader(report.reject_file.open(encoding="utf-8")))
    assert rejects[0][:3] == ["row", "field", "problem"]
    assert [r[0] for r in rejects[1:]] == ["7", "8", "9", "10", "11"]
    assert rejects[1][3] == "91430200MA4L6BAD0A"  # the row as read, for fixing
    kept = list(csv.DictReader((seeds / "registry" / "export.csv").open(encoding="utf-8")))
    assert [r["企业名称"] for r in kept][:2] == ["甲公司", "丁电池有限公司"]
    assert "法定代表人" not in kept[0]  # personal data: not stored without opt-in
    source = next(
        r for r in csv.DictReader((seeds / "sources.csv").open(encoding="utf-8"))
        if r["id"] == "reg-2024"
    )  # fmt: skip
    assert (source["kind"], source["file"], source["date"]) == (
        "registry",
        "registry/export.csv",
        "2024-06-30",
    )


def test_strict_imports_nothing(imported) -> None:
    seeds, export = imported
    before = (seeds / "sources.csv").read_bytes()
    with pytest.raises(SeedError) as info:
        import_enterprises(export, seeds, strict=True)
    assert len(info.value.problems) == 5
    assert (seeds / "sources.csv").read_bytes() == before
    assert not (seeds / "registry").exists()
    assert not export.with_name("export.rejects.csv").exists()


def test_gbk_file_is_detected_and_read_with_encoding(imported, tmp_path: Path) -> None:
    seeds, export = imported
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(export.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(SeedError) as info:
        import_enterprises(gbk, seeds)
    (problem,) = info.value.problems
    assert problem.file == str(gbk) and "GBK" in problem.message
    assert "--encoding gbk" in problem.hint
    report = import_enterprises(gbk, seeds, encoding="gbk")
    assert report.imported == 5


def test_missing_column_and_column_mapping(imported, tmp_path: Path) -> None:
    seeds, export = imported
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        export.read_text(encoding="utf-8").replace("企业名称", "公司名称", 1), encoding="utf-8"
    )
    with pytest.raises(SeedError) as info:
        import_enterprises(renamed, seeds)
    (problem,) = info.value.problems
    assert (problem.line, problem.field, problem.message) == (
        1,
        "企业名称",
        "required column is missing",
    )
    assert "--column" in problem.hint
    result = CliRunner().invoke(
        app, ["import", "enterprises", str(renamed), "--seeds", str(seeds),
              "--column", "公司名称=企业名称"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "imported 5 rows" in result.output


def test_conflict_between_code_and_name_is_reported_not_merged(imported) -> None:
    seeds, export = imported
    path = seeds / "enterprises.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[1]["credit_code"] = "91430200MA4L1JA007"  # 乙集团 is given 甲公司's code
    write_csv(path, [*rows[0].keys(), "credit_code"], [{"credit_code": "", **r} for r in rows])
    report = import_enterprises(export, seeds)
    conflict = [p for p in report.problems if p.line == 2]
    assert conflict and "'yi'" in conflict[0].message and "'jia'" in conflict[0].message
    assert report.imported == 4


def test_xlsx_export(imported, tmp_path: Path) -> None:
    from openpyxl import Workbook

    seeds, export = imported
    book = Workbook()
    for row in csv.reader(export.open(encoding="utf-8")):
        book.active.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    report = import_enterprises(path, seeds)
    assert (report.imported, report.rejected) == (5, 5)
    assert (seeds / "registry" / "export.csv").is_file()


@pytest.fixture()
def built(imported, tmp_path: Path):
    seeds, export = imported
    import_enterprises(export, seeds, date="2024-06-30", source_id="reg-2024")
    out = tmp_path / "out"
    build(seeds, out)
    return open_store(out / "graph.nq")


def _placements(store) -> dict[tuple[str, str], tuple[str, str, int]]:
    rows = run_query(
        store,
        """SELECT ?firm ?target ?basis ?reason ?source ?row WHERE {
             ?p a ckg:Placement ; ckg:placedEntity ?firm ; ckg:placedIn ?target ;
                ckg:basis ?basis ; ckg:reason ?reason ; ckg:evidence ?ev .
             ?ev ckg:source ?source ; ckg:row ?row ; ckg:assertionMode ckg:DerivedAssertion }""",
    ).records()
    return {
        (r["firm"].rsplit("/", 1)[1], r["target"].rsplit("/", 1)[1]): (
            r["basis"],
            r["reason"],
            int(r["row"]),
        )
        for r in rows
        if r["source"] == BASE + "source/reg-2024"
    }


def test_every_firm_placed_with_reason_and_provenance(built) -> None:
    placements = _placements(built)
    storage = (
        "sei-"
        + __import__("hashlib")
        .sha1("新能源汽车产业 > 新能源汽车装置、配件制造 > 新能源汽车储能装置制造".encode())
        .hexdigest()[:10]
    )
    vehicles = (
        "sei-"
        + __import__("hashlib")
        .sha1("新能源汽车产业 > 新能源汽车整车制造 > 新能源汽车整车制造".encode())
        .hexdigest()[:10]
    )
    ding, wu, ji = "uscc-91430200ma4l2dn00y", "uscc-91430200ma4l3wux0d", "uscc-91430100ma4l4jy00t"
    assert placements == {
        # 甲公司: matched by name (no new node); already in East Park; partial code + key product
        ("jia", storage): (
            "industry-code+key-product",
            "国标行业 3841 部分属于该类,经营范围含重点产品“新能源汽车用能量型锂离子电池”",
            2,
        ),
        ("jia", "battery"): (
            "chain-alignment",
            "国标行业 3841 部分属于该类,经营范围含重点产品“新能源汽车用能量型锂离子电池”;"
            "该类属于本链全景图",
            2,
        ),
        # 丁: partial code without a key product in its scope: in the park, in no category
        (ding, "east-park"): ("address-rule", "注册地址含“示例高新区东园”(地址规则 rule-east-park)", 3),  # noqa: E501
        # 戊: industry given by name, wholly in the vehicle category; in the zone
        (wu, "demo-zone"): ("address-rule", "注册地址含“示例高新区”(地址规则 rule-zone)", 4),
        (wu, vehicles): ("industry-code", "国标行业 3612 整体属于该类", 4),
        # 己: outside the zone; placed by a key product under another code
        (ji, storage): ("key-product", "经营范围含重点产品“新能源汽车用燃料电池”", 5),
        (ji, "battery"): ("chain-alignment", "经营范围含重点产品“新能源汽车用燃料电池”;该类属于本链全景图", 5),  # noqa: E501
    }  # fmt: skip
    # 乙集团 (row 6): matched by name, address outside every rule, 门类-level code: no placement
    facts = run_query(
        built,
        f"""SELECT ?code ?capital ?yuan ?currency ?founded ?status WHERE {{
              <{BASE}enterprise/yi> ckg:creditCode ?code ; ckg:industryCode ?ic .
              OPTIONAL {{ <{BASE}enterprise/yi> ckg:registeredCapital ?capital }}
              <{BASE}enterprise/yi> ckg:foundedOn ?founded ; ckg:registrationStatus ?status .
              OPTIONAL {{ <{BASE}enterprise/yi> ckg:registeredCapitalYuan ?yuan }}
              OPTIONAL {{ <{BASE}enterprise/yi> ckg:capitalCurrency ?currency }} }}""",
    ).records()
    assert facts == [
        {"code": "91110000MA4L5YJ00K", "capital": "", "yuan": "", "currency": "",
         "founded": "2001-01-01", "status": "存续"}
    ]  # fmt: skip
    wu_capital = run_query(
        built,
        f"SELECT ?y ?t WHERE {{ <{BASE}enterprise/{wu}> ckg:registeredCapitalYuan ?y ; "
        "ckg:capitalText ?t }",
    ).records()
    assert wu_capital == [{"y": "300000000", "t": "3亿元人民币"}]
    ji_rows = run_query(
        built,
        f"SELECT ?c ?y WHERE {{ <{BASE}enterprise/{ji}> ckg:capitalCurrency ?c . "
        f"OPTIONAL {{ <{BASE}enterprise/{ji}> ckg:registeredCapitalYuan ?y }} }}",
    ).records()
    assert ji_rows == [{"c": "USD", "y": ""}]  # no exchange rate is assumed
    # no duplicate node for the matched firms, no person stored
    labels = run_query(built, 'SELECT ?e WHERE { ?e rdfs:label "甲公司"@zh }').rows
    assert labels == [[BASE + "enterprise/jia"]]
    assert not run_query(built, "ASK { ?e ckg:legalRepresentative ?p }").boolean


def test_gap_analysis_counts_registry_firms_and_profile_gives_reasons(built) -> None:
    from chainkg.gaps import chain_summaries
    from chainkg.panorama import panorama_status

    (summary,) = chain_summaries(built, chain="battery")
    assert "甲公司" in summary.local_enterprises
    assert "己贸易有限公司" not in summary.local_enterprises  # placed in the chain, not local
    (panorama,) = panorama_status(built, "battery")
    assert panorama.registry_covered
    (category,) = panorama.categories
    assert (category.status, category.local_firms, category.firms) == ("present", 1, 2)
    profile = run_named_query(
        built, get_query("enterprise-profile"), {"company": "91430200MA4L3WUX0D"}
    ).records()
    fields = {(r["field"], r["value"]): (r["reason"], r["source"]) for r in profile}
    assert fields[("统一社会信用代码 credit code", "91430200MA4L3WUX0D")] == ("", "")
    assert fields[("注册资本(元) capital in yuan", "300000000")] == ("", "")
    assert fields[("区内企业 in the focal zone", "是 yes: 在产")] == ("", "")
    reason, source = fields[("所在园区 zone and park", "示例高新区")]
    assert reason == "注册地址含“示例高新区”(地址规则 rule-zone)"
    assert "第4行" in source
    assert ("国标行业 industry code", "3612 新能源车整车制造") in fields


def test_evidence_of_a_registry_firm_is_its_row_and_its_placements(built) -> None:
    """Evidence by row (no quote) is shown as the file's row: the firm's own registry row,
    stated, and each placement derived from it by a rule (it showed nothing before)."""
    rows = run_named_query(
        built, get_query("evidence-for-entity"), {"name": "丁电池有限公司"}
    ).records()
    found = {(r["fact_type"], r["quote"], r["assertion"], r["article"]) for r in rows}
    title = next(r["article"] for r in rows)
    assert ("Enterprise", "第3行 (row 3)", "原文明示", title) in found
    placements = [r for r in rows if r["fact_type"] == "Placement"]
    placed = "SELECT ?p WHERE { ?p ckg:placedEntity ?e . ?e rdfs:label '丁电池有限公司'@zh }"
    assert {r["fact"] for r in placements} == {r[0] for r in run_query(built, placed).rows}
    assert {(r["quote"], r["assertion"]) for r in placements} == {("第3行 (row 3)", "规则推导")}
    quoted = run_named_query(built, get_query("evidence-for-entity"), {"name": "甲公司"})
    assert "甲公司落户示例高新区东园" in {r["quote"] for r in quoted.records()}  # quotes as before


def test_a_deregistered_firm_at_a_zone_address_is_not_local_in_the_panorama(
    imported, tmp_path: Path
) -> None:
    """The panorama counts local firms by the one definition of local (`ckg:zoneStage`):
    a firm whose registered address is in the zone but whose registration is cancelled
    (注销) is placed there, yet neither present in the gap analysis nor local here."""
    from chainkg.gaps import chain_summaries
    from chainkg.panorama import panorama_status

    seeds, export = imported
    text = export.read_text(encoding="utf-8").replace(  # 己: now at a zone address, a battery maker
        "湖南省示例市老城区解放路9号,5179", "湖南省示例市示例高新区高新路9号,3841"
    )
    export.write_text(text, encoding="utf-8")
    import_enterprises(export, seeds, date="2024-06-30", source_id="reg-2024")
    build(seeds, tmp_path / "out")
    store = open_store(tmp_path / "out" / "graph.nq")
    ji = "SELECT ?e WHERE { ?e rdfs:label '己贸易有限公司'@zh ; ckg:locatedIn ?place }"
    assert run_query(store, ji).rows  # placed in the zone by its address
    (summary,) = chain_summaries(store, chain="battery")
    assert "己贸易有限公司" not in summary.local_enterprises
    (panorama,) = panorama_status(store, "battery")
    (category,) = panorama.categories
    assert (category.status, category.local_firms, category.firms) == ("present", 1, 2)
    assert "区外或区内未投产的已知" not in category.status_text  # present: no count of others


def test_a_registered_address_in_the_zone_is_the_one_presence_of_a_curated_firm(
    tmp_path: Path,
) -> None:
    """Registered address and curated presence are one definition of local
    (`chainkg.presence`): a curated firm with a base under construction in the zone and a
    registry row at a zone address is producing there, with one `ckg:zoneStage` (it had
    two: building and producing), and its parent is present through it. The stages
    `zone_stages` gives (read by the side tables) are the graph's."""
    from chainkg.presence import zone_stages
    from chainkg.tables import load_seeds

    seeds = _dataset(tmp_path)
    curated = "a1,甲公司为丙汽车供应电机,curator,Assumed for the test."
    with (seeds / "enterprises.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"ding-group,丁控股,Ding Holding,,,,{curated}\n")
    with (seeds / "relations.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"bing-subsidiary-of-ding,bing,subsidiary_of,ding-group,子公司,,{curated}\n")
    (seeds / "sites.csv").write_text(
        "id,label_zh,owner,kind,located_in,status,source,quote,assertion,note\n"
        f"bing-base,丙汽车基地,bing,base,demo-zone,under_construction,{curated}\n",
        encoding="utf-8",
    )
    export = tmp_path / "export.csv"
    rows = (CASE / "export.csv").read_text(encoding="utf-8").splitlines()
    export.write_text(  # 丙汽车 (matched by name) at an address in the zone, still registered
        "\n".join([rows[0], "91430200MA4L2DN00Y,丙汽车,存续,2018/7/1,100万元,"
                   "湖南省示例市示例高新区高新路8号,3612,整车制造,钱二", ""]),
        encoding="utf-8",
    )  # fmt: skip
    assert import_enterprises(export, seeds, date="2024-06-30", source_id="reg").imported == 1
    build(seeds, tmp_path / "out")
    store = open_store(tmp_path / "out" / "graph.nq")
    stages = run_query(store, "SELECT ?e ?stage WHERE { ?e ckg:zoneStage ?stage }").records()
    in_graph = {(r["e"].rsplit("/", 1)[1], r["stage"].rsplit("#", 1)[1]) for r in stages}
    assert ("bing", "PresentProducing") in in_graph
    assert ("ding-group", "PresentProducing") in in_graph  # through its subsidiary
    assert len(in_graph) == len({e for e, _s in in_graph})  # one stage each
    names = {"producing": "PresentProducing", "building": "PresentBuilding"}
    computed = zone_stages(load_seeds(seeds))
    assert {(e, names[s]) for e, s in computed.items()} == in_graph
    presences = "SELECT ?p WHERE { ?p ckg:presenceOf ?e FILTER(STRENDS(STR(?e), '/bing')) }"
    assert not run_query(store, presences).rows  # no derived presence beside its own place


def test_persons_stored_only_with_opt_in(tmp_path: Path) -> None:
    seeds = _dataset(tmp_path, persons=True)
    export = tmp_path / "export.csv"
    shutil.copy(CASE / "export.csv", export)
    import_enterprises(export, seeds, source_id="reg")
    out = tmp_path / "out"
    build(seeds, out)
    store = open_store(out / "graph.nq")
    names = run_query(store, "SELECT ?p WHERE { ?e ckg:legalRepresentative ?p } ORDER BY ?p")
    assert [r[0] for r in names.rows] == sorted(["赵一", "钱二", "孙三", "李四", "周五"])


def test_synthetic_export_is_deterministic_and_its_planted_rows_are_rejected(
    tmp_path: Path,
) -> None:
    a = synthesize_registry(400, tmp_path / "a.csv", seed=3, bad_rows=True)
    b = synthesize_registry(400, tmp_path / "b.csv", seed=3, bad_rows=True)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert sorted(a.bad.values()) == sorted(PLANTED_BAD) and a.bad == b.bad
    parsed = read_registry(tmp_path / "a.csv", load_reference())
    assert parsed.bad_rows == sorted(a.bad)
    assert len(parsed.records) == 400 - len(PLANTED_BAD)
    gbk = synthesize_registry(50, tmp_path / "g.csv", seed=3, encoding="gbk")
    assert gbk.path.read_bytes().decode("gbk").startswith("统一社会信用代码")
    xlsx = synthesize_registry(50, tmp_path / "x.xlsx", seed=3)
    assert len(read_registry(xlsx.path, load_reference()).records) == 50


def test_registry_only_dataset_builds_with_reports_panoramas_and_profiles(tmp_path: Path) -> None:
    export = synthesize_registry(300, tmp_path / "export.csv", seed=1, bad_rows=True).path
    seeds = synthesize_registry_dataset(tmp_path / "seeds", "registry-export")
    report = import_enterprises(export, seeds, date="2024-01-31")
    assert (report.imported, report.rejected) == (295, 5)
    out = tmp_path / "out"
    result = build(seeds, out)
    assert result.conforms
    store = open_store(out / "graph.nq")
    local = run_query(
        store,
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d ckg:focalZone ?z . "
        "?e a ckg:Enterprise ; ckg:locatedIn/ckg:partOf* ?z }",
    ).rows[0][0]
    in_zone = sum(
        "示范高新区" in r["注册地址"]
        for r in csv.DictReader((seeds / "registry" / "export.csv").open(encoding="utf-8"))
    )
    assert int(local) == in_zone > 0
    from chainkg.gaps import chain_summaries

    (summary,) = chain_summaries(store, chain="chain-5")
    placed = run_query(  # placed in the zone and the chain, and operating (not 注销 / 吊销)
        store,
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d ckg:focalZone ?z . ?e ckg:inChain ?c ; "
        "ckg:locatedIn/ckg:partOf* ?z ; ckg:registrationStatus ?status . "
        "FILTER(STRENDS(STR(?c), '/chain-5') && STR(?status) IN ('存续', '在业')) }",
    ).rows[0][0]
    assert summary.local_enterprise_total == int(placed) > 0  # counted like any other firm
    nev = (out / "site" / "gaps" / "chain-5.md").read_text(encoding="utf-8")
    assert "新能源汽车整车制造" in nev and "现状依据区内工商登记名录" in nev
    assert "无数据 0" in nev  # a registry list: no category is 'no data'
    first = next(csv.DictReader((seeds / "registry" / "export.csv").open(encoding="utf-8")))
    profile = run_named_query(
        store, get_query("enterprise-profile"), {"company": first["企业名称"]}
    ).records()
    assert {"名称 name", "统一社会信用代码 credit code", "来源 sources"} <= {
        r["field"] for r in profile
    }


def test_unknown_category_and_missing_reference_row_are_named(tmp_path: Path) -> None:
    from chainkg.evidence import check_evidence
    from chainkg.tables import load_seeds

    seeds = _dataset(tmp_path)
    path = seeds / "chain_alignments.csv"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("储能装置制造,close", "储能装置,close", 1), encoding="utf-8")
    with pytest.raises(SeedError) as info:
        load_seeds(seeds)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 2, "category")
    assert "is not a category of the reference file" in problem.message
    path.write_text(good.replace("储能装置制造,curator", "储能装置制造X,curator"), encoding="utf-8")
    with pytest.raises(SeedError) as info:
        check_evidence(load_seeds(seeds))
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (2, "quote")
    assert "is not in reference 'sei-2018'" in problem.message


def test_previous_graph_stays_when_a_registry_conflict_fails_the_build(imported, tmp_path) -> None:
    seeds, export = imported
    import_enterprises(export, seeds, source_id="reg-2024")
    out = tmp_path / "out"
    build(seeds, out)
    before = (out / "graph.nq").read_bytes()
    path = seeds / "enterprises.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[1]["credit_code"] = "91430200MA4L1JA007"  # now the kept row 2 (甲公司) conflicts
    write_csv(path, [*rows[0].keys(), "credit_code"], [{"credit_code": "", **r} for r in rows])
    with pytest.raises(SeedError) as info:
        build(seeds, out)
    (problem,) = info.value.problems
    assert problem.file == str(seeds / "registry" / "export.csv") and problem.line == 2
    assert (out / "graph.nq").read_bytes() == before


def _export(*rows: tuple[int, str, str]) -> RegistryFile:
    """An export of (row, credit code, name) records (their other fields empty)."""
    return RegistryFile(
        Path("x.csv"), [], [RegistryRecord(row, code, name, "3841", "") for row, code, name in rows]
    )


def test_the_latest_export_holds_each_credit_code_s_record() -> None:
    """A later date wins, then the later line of sources.csv (the later import); the rows
    left out map to the kept one, and their other names are former names, newest first."""
    a = _export((2, "C1", "甲公司"), (3, "C2", "乙公司"), (4, "C3", "丙公司"))
    b = _export((2, "C1", "甲股份公司"), (3, "C2", "乙公司"))
    c = _export((2, "C1", "甲有限公司"), (3, "C4", "丁公司"))
    ranks = {"a": ("2023-06-30", 5), "b": ("2025-06-30", 3), "c": ("2024", 4)}
    latest = latest_rows({"a": a, "b": b, "c": c}, ranks)
    kept = {s: [(r.row, r.credit_code) for r in f.records] for s, f in latest.files.items()}
    assert kept == {"a": [(4, "C3")], "b": [(2, "C1"), (3, "C2")], "c": [(3, "C4")]}
    assert latest.superseded == {
        ("a", 2): ("b", 2),
        ("a", 3): ("b", 3),
        ("c", 2): ("b", 2),
    }
    assert latest.former_names == {
        ("b", 2): (FormerName("甲有限公司", "c", 2), FormerName("甲公司", "a", 2))
    }  # 乙公司: the same name, no former one
    # the same date: the export registered later wins
    same = latest_rows({"a": a, "b": b}, {"a": ("2025-06-30", 7), "b": ("2025-06-30", 3)})
    assert [r.name for r in same.files["a"].records] == ["甲公司", "乙公司", "丙公司"]
    assert same.files["b"].records == [] and same.former_names == {
        ("a", 2): (FormerName("甲股份公司", "b", 2),)
    }
    alone = latest_rows({"a": a}, {"a": ("", 0)})
    assert alone.files["a"] is a and not alone.superseded and not alone.former_names


def test_a_kept_row_is_compared_with_the_firm_s_row_in_the_export_before() -> None:
    """`latest_rows` compares each kept row with the firm's row in the export ranked next
    below, over the fields both exports have: a value printed another way (a capital, a
    date) changes nothing; a firm no lower export holds is new, except in the lowest."""
    full, no_address = list(HEADINGS), [h for h in HEADINGS if h != "注册地址"]

    def row(n: int, code: str, name: str, **cells: str) -> RegistryRecord:
        capital = parse_capital(cells.pop("capital", "1000万元"))
        founded = cells.pop("founded", "2015-03-12")
        return RegistryRecord(
            n, code, name, "3841", "3841", founded=founded, capital=capital, **cells
        )

    a = RegistryFile(Path("a.csv"), full, [
        row(2, "C1", "甲公司", status="存续", address="东园1号"),
        row(3, "C2", "乙公司", status="存续"),
        row(4, "C4", "丁公司"),
    ])  # fmt: skip
    b = RegistryFile(Path("b.csv"), full, [
        row(2, "C1", "甲公司", status="存续", address="东园1号", capital="1,000万元人民币"),
        row(3, "C2", "乙公司", status="注销"),
    ])  # fmt: skip
    c = RegistryFile(Path("c.csv"), no_address, [
        row(2, "C1", "甲新能源公司", status="在业", address="西园9号", founded="2015-03-12"),
        row(3, "C3", "丙公司"),
        row(4, "C2", "乙公司", status="注销", capital="2000万元"),
    ])  # fmt: skip
    ranks = {"a": ("2023", 1), "b": ("2024", 2), "c": ("2025", 3)}
    latest = latest_rows({"a": a, "b": b, "c": c}, ranks)
    assert latest.changes == {
        ("c", 2): RowChanges("b", 2, (
            FieldChange("企业名称", "甲公司", "甲新能源公司"),
            FieldChange("登记状态", "存续", "在业"),
        )),  # (c has no 注册地址 column; b's capital is a's, printed another way)
        ("c", 4): RowChanges("b", 3, (FieldChange("注册资本", "1000万元", "2000万元"),)),
    }  # fmt: skip
    assert latest.new_rows == {("c", 3)}  # (丁公司 is in the lowest export only)
    reversed_ranks = {"a": ("2026", 1), "b": ("2024", 2), "c": ("2025", 3)}
    assert latest_rows({"a": a, "b": b, "c": c}, reversed_ranks).changes[("a", 3)] == RowChanges(
        "c",
        4,
        (FieldChange("登记状态", "注销", "存续"), FieldChange("注册资本", "2000万元", "1000万元")),
    )  # (against c, ranked next below a, not against b)


def _yearly_exports(imported) -> tuple[Path, list]:  # noqa: ANN001
    """The case's export as of 2024, then a 2025 export of three of its firms: 甲公司 (matched
    to enterprises.csv by name) renamed and its status changed, 丁电池有限公司 renamed, 戊's
    capital raised."""
    seeds, export = imported
    reports = [import_enterprises(export, seeds, date="2024-06-30", source_id="reg-2024")]
    lines = export.read_text(encoding="utf-8").splitlines()
    later = export.with_name("export-2025.csv")
    later.write_text(
        "\n".join(
            [
                lines[0],
                lines[1].replace("甲公司", "甲新能源股份有限公司").replace("存续", "在业"),
                lines[2].replace("丁电池有限公司", "丁电池股份有限公司"),
                lines[3].replace("3亿元", "5亿元"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    reports.append(import_enterprises(later, seeds, date="2025-06-30", source_id="reg-2025"))
    return seeds, reports


def test_a_later_export_updates_the_firms_it_shares_with_an_earlier_one(
    imported, tmp_path: Path
) -> None:
    """Two yearly exports of one credit code are one firm: the later row is its record (one
    name, one capital: the build conforms, where two values failed SHACL), the earlier
    names are aliases evidenced by their own rows, a renamed curated firm stays matched by
    its former name, and the name index finds a firm by its former name. Both build paths
    write the same triples."""
    from chainkg.search import open_beside

    seeds, (first, second) = _yearly_exports(imported)
    assert (first.updating, first.outdated, first.new_firms) == (0, 0, None)
    assert (second.imported, second.updating, second.outdated, second.new_firms) == (3, 3, 0, 0)
    report = build(seeds, tmp_path / "out")
    assert report.conforms and report.superseded_rows == 3
    store = open_store(tmp_path / "out" / "graph.nq")
    firm = f"<{BASE}enterprise/uscc-91430200ma4l2dn00y>"
    names = run_query(
        store,
        f"SELECT ?p ?name WHERE {{ {firm} ?p ?name FILTER(?p IN (rdfs:label, skos:altLabel)) }}",
    ).records()
    assert {(r["p"].rsplit("#", 1)[1], r["name"]) for r in names} == {
        ("label", "丁电池股份有限公司"),
        ("altLabel", "丁电池有限公司"),
    }
    evidence = run_query(
        store,
        f"SELECT ?source ?row WHERE {{ {firm} ckg:evidence [ ckg:source ?source ; "
        "ckg:row ?row ] }",
    ).records()
    assert {(r["source"].rsplit("/", 1)[1], r["row"]) for r in evidence} == {
        ("reg-2025", "3"),  # its record
        ("reg-2024", "3"),  # the row that names it 丁电池有限公司: the alias's evidence
    }
    capital = run_query(
        store,
        f"SELECT ?v WHERE {{ <{BASE}enterprise/uscc-91430200ma4l3wux0d> "
        "ckg:registeredCapitalYuan ?v }",
    ).records()
    assert [r["v"] for r in capital] == ["500000000"]
    jia = run_query(  # its 2025 row, matched by the name it had in 2024
        store,
        f"SELECT ?code ?status WHERE {{ <{BASE}enterprise/jia> ckg:creditCode ?code ; "
        "ckg:registrationStatus ?status }",
    ).records()
    assert [(r["code"], r["status"]) for r in jia] == [("91430200MA4L1JA007", "在业")]
    assert not run_query(  # a curated firm keeps its own names: 甲公司 is its label already
        store, f"ASK {{ <{BASE}enterprise/jia> skos:altLabel ?alias }}"
    ).boolean
    assert not run_query(  # no second firm for 甲's new name
        store, f"ASK {{ <{BASE}enterprise/uscc-91430200ma4l1ja007> ?p ?o }}"
    ).boolean
    profile = run_named_query(store, get_query("enterprise-profile"), {"company": "丁电池有限公司"})
    assert [(r["field"], r["value"]) for r in profile.records()][0] == (
        "名称 name",
        "丁电池股份有限公司",
    )  # (found by its former name)
    index = open_beside(tmp_path / "out" / "graph.nq")
    assert index is not None
    hits = index.search("丁电池有限公司")
    assert [(h.iri, h.label, h.matched) for h in hits] == [
        (firm[1:-1], "丁电池股份有限公司", "丁电池有限公司")
    ]
    large = build(seeds, tmp_path / "large", large=True, gap_reports=False)
    assert large.conforms and large.superseded_rows == 3
    streamed = open_store(tmp_path / "large" / "store")
    triples = "SELECT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    assert {tuple(r.values()) for r in run_query(streamed, triples).records()} == {
        tuple(r.values()) for r in run_query(store, triples).records()
    }


def test_the_export_date_is_kept_as_iso_or_refused(imported) -> None:
    """The date decides which export's row is a firm's record, so it is checked at import:
    printed forms are kept as ISO, anything else is refused before a file is written."""
    seeds, export = imported
    import_enterprises(export, seeds, date="2025/6/30", source_id="reg-a")
    import_enterprises(export, seeds, date="2025-06", source_id="reg-b")
    dates = {r["id"]: r["date"] for r in csv.DictReader((seeds / "sources.csv").open())}
    assert (dates["reg-a"], dates["reg-b"]) == ("2025-06-30", "2025-06")
    before = (seeds / "sources.csv").read_bytes()
    with pytest.raises(SeedError) as info:
        import_enterprises(export, seeds, date="30.6.2025", source_id="reg-c")
    assert [p.field for p in info.value.problems] == ["--date"]
    assert (seeds / "sources.csv").read_bytes() == before


def test_an_import_adds_the_date_column_a_sources_table_lacks(imported) -> None:
    seeds, export = imported
    path = seeds / "sources.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = [f for f in rows[0] if f not in ("date", "date_evidence", "kind")]
    write_csv(path, fields, [{f: r[f] for f in fields} for r in rows])
    import_enterprises(export, seeds, date="2024-06-30", source_id="reg-2024")
    added = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["id"], r["date"], r["kind"]) for r in added][-1] == (
        "reg-2024",
        "2024-06-30",
        "registry",
    )
    assert all(r["date"] == "" for r in added[:-1]) and len(added) == len(rows) + 1


def test_next_year_s_export_under_the_same_name_is_kept_beside_the_first(
    imported, tmp_path: Path
) -> None:
    """A registry prints its export under the same name each year: the second is a new
    source (its date in its id) in a file of its own, the first stays; importing the same
    export again (same date) replaces it, as a corrected file."""
    seeds, export = imported
    first = import_enterprises(export, seeds, date="2024-06-30")
    before = first.kept.read_bytes()
    lines = export.read_text(encoding="utf-8").splitlines()
    (tmp_path / "2025").mkdir()
    later = tmp_path / "2025" / export.name
    later.write_text("\n".join([lines[0], lines[3].replace("3亿元", "5亿元")]) + "\n", "utf-8")
    second = import_enterprises(later, seeds, date="2025-06-30")
    assert (first.source_id, second.source_id) == ("registry-export", "registry-export-2025-06-30")
    assert second.kept.name == "export-2025-06-30.csv" and first.kept.read_bytes() == before
    again = import_enterprises(later, seeds, date="2025-06-30")
    assert (again.source_id, again.kept) == (second.source_id, second.kept)
    sources = [r for r in csv.DictReader((seeds / "sources.csv").open()) if r["kind"] == "registry"]
    assert [(r["id"], r["date"]) for r in sources] == [
        ("registry-export", "2024-06-30"),
        ("registry-export-2025-06-30", "2025-06-30"),
    ]
    report = build(seeds, tmp_path / "out")
    assert report.conforms and report.superseded_rows == 1


def test_the_import_lists_what_an_export_changes_against_the_earlier_ones(
    imported, tmp_path: Path
) -> None:
    """`<input>.changes.csv`: a line per new firm, per changed cell and per firm the new
    export leaves out, against each firm's row in the latest earlier export."""
    seeds, (first, second) = _yearly_exports(imported)
    assert first.changes_file is None and first.changes == 0
    assert second.changes_file == imported[1].with_name("export-2025.changes.csv")
    lines = list(csv.reader(second.changes_file.open(encoding="utf-8")))
    assert lines[0][:3] == ["统一社会信用代码", "企业名称", "变化 change"]
    assert lines[1:] == [
        ["91430200MA4L1JA007", "甲新能源股份有限公司", "变更 changed", "企业名称", "甲公司",
         "甲新能源股份有限公司"],
        ["91430200MA4L1JA007", "甲新能源股份有限公司", "变更 changed", "登记状态", "存续", "在业"],
        ["91430200MA4L2DN00Y", "丁电池股份有限公司", "变更 changed", "企业名称", "丁电池有限公司",
         "丁电池股份有限公司"],
        ["91430200MA4L3WUX0D", "戊新能源汽车有限公司", "变更 changed", "注册资本", "3亿元人民币",
         "5亿元人民币"],
        ["91430100MA4L4JY00T", "己贸易有限公司", "本次未列 not in this export", "", "", ""],
        ["91110000MA4L5YJ00K", "乙集团", "本次未列 not in this export", "", "", ""],
    ]  # fmt: skip
    assert second.changes == 6
    # a third export, with a firm of its own: a new firm against the latest rows (2025's)
    kept = second.kept.read_text("utf-8")  # (the standard headings, no 法定代表人)
    third = tmp_path / "export-2026.csv"
    code = "91430200MA4L6BAD0" + uscc.calc_check_digit("91430200MA4L6BAD0")
    new_row = (
        f"{code},庚电子有限公司,存续,2016-01-01,100万元,湖南省示例市示例高新区东园1号,3841,电池"
    )
    third.write_text(kept + new_row + "\n", "utf-8")
    report = import_enterprises(third, seeds, date="2026-06-30", source_id="reg-2026")
    assert report.imported == 4
    changes = list(csv.reader(report.changes_file.open(encoding="utf-8")))[1:]
    assert [c[:3] for c in changes] == [
        [code, "庚电子有限公司", "新增 new firm"],
        ["91430100MA4L4JY00T", "己贸易有限公司", "本次未列 not in this export"],
        ["91110000MA4L5YJ00K", "乙集团", "本次未列 not in this export"],
    ]


def test_an_earlier_export_imported_later_does_not_replace_the_later_rows(
    imported, tmp_path: Path
) -> None:
    """The date decides, not the order of imports: an export dated before the one in the
    data set is reported as outdated, and the later rows stay the firms' records."""
    seeds, export = imported
    lines = export.read_text(encoding="utf-8").splitlines()
    later = export.with_name("export-2025.csv")
    later.write_text("\n".join([lines[0], lines[3].replace("3亿元", "5亿元")]) + "\n", "utf-8")
    import_enterprises(later, seeds, date="2025-06-30", source_id="reg-2025")
    result = CliRunner().invoke(
        app,
        ["import", "enterprises", str(export), "--seeds", str(seeds), "--date", "2024-06-30"],
    )
    assert result.exit_code == 0, result.output
    assert "1 rows are older than a later export's row" in result.output
    assert "4 rows are firms no other export of the data set holds" in result.output
    out = str(tmp_path / "out")
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--out", out])
    assert result.exit_code == 0, result.output
    assert "registry: 1 rows superseded by a later export" in " ".join(result.output.split())
    capital = run_query(
        open_store(tmp_path / "out" / "graph.nq"),
        f"SELECT ?v WHERE {{ <{BASE}enterprise/uscc-91430200ma4l3wux0d> "
        "ckg:registeredCapitalYuan ?v }",
    ).records()
    assert [r["v"] for r in capital] == ["500000000"]


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=_USCC_ALPHABET + "IOSVZ -a٣", min_size=16, max_size=20),
        st.text(min_size=0, max_size=20),
        st.text(alphabet=_USCC_ALPHABET, min_size=17, max_size=17).map(
            lambda body: body + uscc.calc_check_digit(body)
        ),
        st.tuples(  # 8 digits, 9 characters, any last one: mostly a wrong check digit
            st.text(alphabet="0123456789", min_size=8, max_size=8),
            st.text(alphabet=_USCC_ALPHABET, min_size=10, max_size=10),
        ).map("".join),
    )
)
def test_the_fast_credit_code_check_accepts_only_what_stdnum_accepts(code: str) -> None:
    """`valid_credit_code` (the load's fast path) never accepts a code `uscc.validate`
    refuses, and accepts every compact code it accepts."""
    try:
        accepted = uscc.validate(code) == code
    except ValidationError:
        accepted = False
    assert valid_credit_code(code) == accepted


def test_the_fast_credit_code_check_uses_stdnum_s_alphabet() -> None:
    assert uscc._alphabet == _USCC_ALPHABET  # (the test above draws from it)
    assert valid_credit_code("91430200MA4L3WUX0D")
    assert not valid_credit_code("91430200MA4L3WUX0E")


_PRODUCTS = sorted(
    {
        product
        for category in load_reference().ordered()
        for link in category.codes
        for product in link.key_products
    }
)


def _products_named_by_scan(text: str) -> list[tuple[str, str, int]]:
    """The rule `found_in` applies, by the plainest scan: at each position of `text`, every
    key product of MIN_PRODUCT_CHARS or more that starts there, in the reference's order."""
    entries = [
        (product, category, link.line)
        for category in load_reference().ordered()
        for link in category.codes
        for product in link.key_products
        if len(product) >= MIN_PRODUCT_CHARS
    ]
    return [
        (product, category.path, line)
        for i in range(len(text))
        for product, category, line in entries
        if text.startswith(product, i)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PRODUCTS),  # whole products, overlapping or adjacent
            st.sampled_from(_PRODUCTS).map(lambda p: p[: len(p) // 2 + 1]),  # a product's start
            st.text(alphabet="、,;销售制造及其", max_size=3),
        ),
        max_size=12,
    ).map("".join)
)
def test_key_products_found_in_a_scope_as_by_a_plain_scan(scope: str) -> None:
    """The Aho-Corasick index (`_product_index`) finds the products a scope names, in the
    order a scan position by position would: where each starts, then the reference's."""
    found = _product_index(load_reference()).found_in(scope)
    assert [(p, c.path, line) for p, c, line in found] == _products_named_by_scan(scope)


def _named(store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:  # noqa: ANN001
    return run_named_query(store, get_query(name), params).records()


def test_what_a_later_export_changes_is_in_the_graph_with_its_meaning_for_the_zone(
    registry_built,
) -> None:
    """Each kept row's changes (`registry.latest_rows`) are ckg:FieldChange nodes, each new
    firm a ckg:NewFirmListing; those of the zone's firms carry their zone event, which
    `registry-changes-in-zone` lists (one event when asked)."""
    seeds, store = registry_built.seeds, registry_built.store
    count = "SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a ckg:{} }}"
    fields = sum(len(c.fields) for c in seeds.registry_changes.values())
    assert int(run_query(store, count.format("FieldChange")).rows[0][0]) == fields > 0
    assert int(run_query(store, count.format("NewFirmListing")).rows[0][0]) == 40
    assert len(seeds.registry_new_rows) == 40  # the export's planted new firms, all of them
    local = {r["e"] for r in run_query(store, "SELECT ?e WHERE { ?e ckg:zoneStage ?s }").records()}
    rows = _named(store, "registry-changes-in-zone")
    by_event: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_event.setdefault(row["event_label"], []).append(row)
    assert set(by_event) == {"新进园区", "迁出园区", "注销吊销", "园区企业变更"}
    assert all(r["enterprise"] in local for r in by_event["新进园区"])
    assert {r["field_label"] for r in by_event["新进园区"]} == {"新增企业", "注册地址"}
    left = by_event["迁出园区"]
    assert all(r["enterprise"] not in local and r["field_label"] == "注册地址" for r in left)
    closures = {(r["field_label"], r["before"], r["after"]) for r in by_event["注销吊销"]}
    assert closures == {("登记状态", "存续", "注销"), ("登记状态", "在业", "注销")}
    # the oracle for closures, from the exports themselves: a firm turned 注销 whose earlier
    # row registered it in the zone while operating, or that is present in the zone now
    # (a curated firm its own row locates: that place, not its address)
    rules = [AddressRule.from_row(row) for _line, row in seeds.rows("address_rules")]
    zone = places_in_zone(seeds)
    located = {r["id"]: r["located_in"] for _line, r in seeds.rows("enterprises")}
    closed = set()
    for (source, row), changed in seeds.registry_changes.items():
        rec = next(r for r in seeds.registry[source].records if r.row == row)
        firm_id = registry_firm(seeds, source, rec)
        before = {c.field: c.before for c in changed.fields}
        if before.get("登记状态") not in ("存续", "在业"):
            continue
        if located.get(firm_id):
            was = located[firm_id] in zone
        else:
            hit = place_by_address(before.get("注册地址", rec.address), rules)
            was = bool(hit) and hit[0].place in zone
        if was or f"{seeds.config.base_iri}enterprise/{firm_id}" in local:
            closed.add(rec.credit_code)
    assert {r["credit_code"] for r in by_event["注销吊销"]} == closed
    for event, listed in by_event.items():  # the parameter: one event's rows, the same
        assert _named(store, "registry-changes-in-zone", {"event": event}) == [
            {k: v for k, v in r.items() if k != "event"} for r in listed
        ]
    # a field change rests on both exports' rows
    ask = """SELECT (COUNT(DISTINCT ?src) AS ?n) WHERE {
      ?c a ckg:FieldChange ; ckg:evidence/ckg:source ?src } GROUP BY ?c"""
    assert {r[0] for r in run_query(store, ask).rows} == {"2"}


def test_a_firm_s_profile_shows_its_registry_changes(registry_built) -> None:
    """enterprise-profile: each change of the firm, before -> after, its zone event as the
    reason, the two exports as the source."""
    store = registry_built.store
    moved = next(
        r
        for r in _named(store, "registry-changes-in-zone", {"event": "新进园区"})
        if r["field_label"] == "注册地址"
    )
    profile = _named(store, "enterprise-profile", {"company": moved["credit_code"]})
    changes = [r for r in profile if r["field"] == "登记变动 registry changes"]
    assert {(r["value"], r["reason"]) for r in changes} >= {
        (f"注册地址: {moved['before']} → {moved['after']}", "新进园区")
    }
    assert all(" 对比 " in r["source"] for r in changes)
