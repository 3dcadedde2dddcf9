"""Reference data and panoramas: the reference files equal the shared copy; the seed graph has
a panorama per strategic emerging industry, the Zhuzhou chains aligned to them, and the gap
report shows every category with the zone's status (data tests on the seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainkg.panorama import panorama_status
from chainkg.queries import get_query, run_named_query, run_query
from chainkg.reference import GBT_FILE, REFERENCE_DIR, SEI_FILE, SEI_INDUSTRIES, load_reference
from tests.helpers import REPO


def _shared_reference() -> Path:
    """../shared/reference beside the repository (CI), or beside its worktree folder."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "reference").is_dir():
            return base / "shared" / "reference"
    raise FileNotFoundError(f"no shared/reference beside {REPO} or its parent folder")


@pytest.mark.parametrize("name", [GBT_FILE, SEI_FILE, "README.md"])
def test_reference_files_equal_the_shared_copy(name: str) -> None:
    assert (REFERENCE_DIR / name).read_bytes() == (_shared_reference() / name).read_bytes()
    assert (REPO / "reference" / name).read_bytes() == (REFERENCE_DIR / name).read_bytes()


def test_reference_loads_every_row() -> None:
    ref = load_reference()
    assert len(ref.codes) == 1972
    assert sum(len(c.codes) for c in ref.categories.values()) == 939
    assert {c.industry for c in ref.categories.values()} == set(SEI_INDUSTRIES)
    leaves = {c.path for c in ref.categories.values() if c.codes}
    assert len(leaves) == 305  # the README's distinct paths (one has a trailing space twice)
    assert max(c.level for c in ref.categories.values()) == 3


def test_indexed_lookups_equal_a_scan_of_the_ordered_categories() -> None:
    """`ordered()` and `categories_of_code()` are computed once (asked once per registry
    row); they give what a scan of the categories in the standard's order gives."""
    ref = load_reference()
    rank = {name: i for i, name in enumerate(SEI_INDUSTRIES)}
    scan = sorted(ref.categories.values(), key=lambda c: (rank[c.industry], c.parts))
    assert ref.ordered() == scan and ref.ordered() is not ref.ordered()
    for code in [*ref.codes, "no-such-code"]:
        expected = [(c, link) for c in scan for link in c.codes if link.code == code]
        assert ref.categories_of_code(code) == expected, code
    assert sum(len(ref.categories_of_code(code)) for code in ref.codes) == 939
    top = scan[0].path
    assert ref.subtree(top) == [c for c in scan if c.path.startswith(top)]


def test_nine_panoramas_with_categories_codes_and_line_evidence(seed_store) -> None:
    schemes = run_query(
        seed_store,
        "SELECT ?s ?label WHERE { ?s a ckg:Panorama ; skos:prefLabel ?label } ORDER BY ?label",
    ).rows
    assert sorted(label for _s, label in schemes) == sorted(f"{n} 全景图" for n in SEI_INDUSTRIES)
    count = run_query(
        seed_store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a ckg:ReferenceCategory }"
    ).rows[0][0]
    assert int(count) == len(load_reference().categories)
    # 新能源汽车整车制造 (level 3) is wholly GB/T 3612, evidenced by its line of the file
    line = next(
        i
        for i, text in enumerate((REFERENCE_DIR / SEI_FILE).read_text("utf-8").splitlines(), 1)
        if text.startswith("新能源汽车产业 > 新能源汽车整车制造 > 新能源汽车整车制造,3612")
    )
    rows = run_query(
        seed_store,
        """SELECT ?code ?label ?row WHERE {
             ?c ckg:categoryPath "新能源汽车产业 > 新能源汽车整车制造 > 新能源汽车整车制造"@zh ;
                ckg:industryCode ?code ; ckg:evidence ?ev .
             ?code rdfs:label ?label . ?ev ckg:row ?row ; ckg:source ?src .
             ?src a ckg:ReferenceStandard }""",
    ).rows
    assert [(code.rsplit("/", 1)[1], label) for code, label, _row in rows] == [
        ("3612", "新能源车整车制造")
    ] * len(rows)
    assert str(line) in {row for _c, _l, row in rows}


def test_zhuzhou_nev_panorama_shows_reference_categories_and_named_segments(seed_store) -> None:
    (nev,) = panorama_status(seed_store, "nev")
    by_label = {c.label: c for c in nev.categories}
    for label in (
        "新能源汽车整车制造",
        "新能源汽车储能装置制造",
        "电机、发动机制造",
        "新能源汽车零部件配件制造",
        "新能源汽车相关设施制造",
        "新能源汽车相关服务",
    ):
        assert label in by_label, label  # fmt: skip
    assert by_label["新能源汽车储能装置制造"].segments == ["动力电池"]
    assert by_label["电机、发动机制造"].segments == ["电机电控"]
    assert by_label["电机、发动机制造"].stage == "上游"
    # no registry export in the Zhuzhou seeds: absent firms are 'no data', never 'missing'
    assert not nev.registry_covered
    assert {c.status for c in nev.categories} == {"present", "no-data"}
    assert by_label["新能源汽车储能装置制造"].status == "present"
    assert by_label["供能装置制造"].status == "no-data"


def test_local_firms_are_those_present_and_producing_in_the_zone(seed_store) -> None:
    """The panorama's local firms follow the one definition of local (`ckg:zoneStage`,
    `chainkg.presence`): 北汽集团, present through its subsidiary 北汽株洲公司, counts as
    local in the vehicle categories, as the gap analysis counts it."""
    from chainkg.gaps import chain_summaries

    (nev,) = panorama_status(seed_store, "nev")
    (summary,) = chain_summaries(seed_store, chain="nev")
    assert "北汽集团" in summary.local_enterprises
    baic = "https://w3id.org/chainkg/zhuzhou-hitech/enterprise/baic-group"
    placed = run_query(
        seed_store,
        f"""SELECT DISTINCT ?category WHERE {{
              <{baic}> ckg:operatesInSegment/(skos:exactMatch|skos:closeMatch|skos:broadMatch)
                       /skos:broader* ?category }}""",
    )
    categories = {row[0] for row in placed.rows}
    vehicle = [c for c in nev.categories if c.iri in categories]
    assert vehicle  # placed in the panorama through its segment
    for category in vehicle:
        firms = run_query(
            seed_store,
            f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
                  ?f a ckg:Enterprise ; ckg:zoneStage ckg:PresentProducing ;
                     ckg:operatesInSegment/(skos:exactMatch|skos:closeMatch|skos:broadMatch)
                     /skos:broader* <{category.iri}> }}""",
        )
        assert category.local_firms == int(firms.rows[0][0]) >= 1, category.label


def test_leading_and_featured_chains_have_panoramas(seed_store) -> None:
    members = run_query(
        seed_store,
        """SELECT DISTINCT ?chain WHERE { ?m a ckg:FrameworkMembership ; ckg:member ?chain ;
             ckg:role ?role . FILTER(?role IN (ckg:LeadingRole, ckg:FeaturedRole)) }""",
    ).rows
    assert members
    aligned = {p.chain_iri for p in panorama_status(seed_store)}
    assert {chain for (chain,) in members} <= aligned
    sizes = {p.chain_id: len(p.categories) for p in panorama_status(seed_store)}
    assert sizes["new-materials"] > 100 and sizes["electronics"] > 5


def test_gap_report_and_json_carry_the_panorama(seed_build) -> None:
    gaps = seed_build.out_dir / "site" / "gaps"
    markdown = (gaps / "nev.md").read_text(encoding="utf-8")
    assert (
        "## 参考全景图与现状" in markdown
        and "| 　　新能源汽车储能装置制造 | 上游 1 | 有 |" in markdown
    )
    data = json.loads((gaps / "panorama.json").read_text(encoding="utf-8"))
    nev = next(p for p in data if p["chain_id"] == "nev")
    assert nev["counts"]["missing"] == 0 and nev["counts"]["present"] > 0
    assert {"id", "path", "status", "status_text", "segments"} <= set(nev["categories"][0])


def test_enterprise_profile_of_an_article_firm(seed_store) -> None:
    rows = run_named_query(
        seed_store, get_query("enterprise-profile"), {"company": "高科集团"}
    ).records()
    fields = {r["field"] for r in rows}
    assert {
        "名称 name",
        "区内企业 in the focal zone",
        "所在地 located in",
        "来源 sources",
    } <= fields
    located = [r for r in rows if r["field"] == "所在地 located in"]
    assert located and all(r["reason"] and r["source"] for r in located)


def _panoramas(store, summary=None) -> list[dict]:
    return [p.to_dict() for p in panorama_status(store, summary=summary)]


def test_every_build_keeps_the_panoramas_in_its_gap_summary(
    seed_build, seed_store, seeds_copy: Path, streamed_build, tmp_path: Path
) -> None:
    """The panoramas are an aggregate over every firm of every category, so each build keeps
    their rows in the gap summary and the site, the gap pages and `chainkg gaps` read them
    there: equal to the store's answer on the small path (recorded with the site), on the
    large path (the seeds: analysed in the gaps stage), on the large path whose summary a
    child precomputed (synthetic seeds, no chain aligned: the panoramas' empty answer added
    when the store confirms it) and on a large registry build."""
    import pyoxigraph as ox

    from chainkg.aggregates import summary_for
    from chainkg.pipeline import build
    from chainkg.registry_import import import_enterprises
    from chainkg.store import open_store
    from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset

    direct = _panoramas(seed_store)
    assert direct and any(c["local_firms"] for p in direct for c in p["categories"])
    summary = summary_for(seed_build.files["graph.nq"])
    assert summary is not None and summary.get("panorama-status", {}) is not None
    assert _panoramas(ox.Store(), summary) == direct  # read from the summary alone

    large = build(seeds_copy, tmp_path / "large", large=True, gap_reports=True)
    store = open_store(large.out_dir / "store")
    summary = summary_for(large.out_dir / "store")
    assert not (large.out_dir / ".gaps-early.sqlite").exists()
    assert _panoramas(ox.Store(), summary) == _panoramas(store) == direct

    synthetic = summary_for(streamed_build.out_dir / "store")
    assert synthetic.get("panorama-status", {}).rows == []  # kept, not asked again

    export = synthesize_registry(200, tmp_path / "export.csv", seed=2).path
    seeds = synthesize_registry_dataset(tmp_path / "registry", "registry-export")
    import_enterprises(export, seeds, date="2024-01-31")
    registry = build(seeds, tmp_path / "registry-out", large=True, gap_reports=True)
    store = open_store(registry.out_dir / "store")
    summary = summary_for(registry.out_dir / "store")
    expected = _panoramas(store)
    assert any(c["status"] == "missing" for p in expected for c in p["categories"])
    assert _panoramas(ox.Store(), summary) == expected
