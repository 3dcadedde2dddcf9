"""Entity pages as enterprise profiles, and a site built from a synthetic registry export alone
(no articles): chain maps with the reference panorama, gap reports, profiles."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from chainkg.panorama import panorama_status
from chainkg.pipeline import BuildReport, build
from chainkg.profile import enterprise_profiles
from chainkg.store import open_store
from chainkg_viz.data import slug
from tests.helpers import command_beside_python

VIEW_DATA = re.compile(r'<script id="view-data" type="application/json">(.*?)</script>', re.S)
PROFILE_FIELDS = (
    "credit code",
    "status",
    "founded",
    "capital",
    "address",
    "industry code",
    "in the focal zone",
    "zone and park",
    "chain",
    "reference category",
    "sources",
)


def view_data(page: Path) -> dict:
    return json.loads(VIEW_DATA.search(page.read_text(encoding="utf-8")).group(1))


def profile_rows(page: Path) -> list[tuple[str, list[str]]]:
    """(field, [cell texts]) of each row of the page's profile table."""
    text = page.read_text(encoding="utf-8")
    table = text[text.index('id="profile"') : text.index("<h2>属性</h2>")]
    out = []
    for field, row in re.findall(r'<tr data-field="([^"]*)">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        out.append((html.unescape(field), [html.unescape(c) for c in cells]))
    return out


@pytest.fixture(scope="module")
def registry_site(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """`chainkg synth --registry 300 --dataset`, `chainkg import enterprises`, then the build."""
    root = tmp_path_factory.mktemp("registry-only")
    chainkg = command_beside_python("chainkg")
    export, seeds = root / "export.csv", root / "seeds"
    for args in (
        ["synth", "--registry", "300", "--out", str(export), "--dataset", str(seeds)],
        ["import", "enterprises", str(export), "--seeds", str(seeds)],
    ):
        done = subprocess.run([chainkg, *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert not (seeds / "articles").exists() or not any((seeds / "articles").iterdir())
    return build(seeds, root / "out")


def test_registry_only_site_has_panorama_maps_reports_and_profiles(
    registry_site: BuildReport,
) -> None:
    store = open_store(registry_site.files["graph.nq"])
    site = Path(registry_site.out_dir) / "site"
    panoramas = panorama_status(store)
    assert len(panoramas) >= 5 and all(p.registry_covered for p in panoramas)
    under_category = 0
    for panorama in panoramas:
        assert (site / f"gaps/{panorama.chain_id}.html").is_file()
        data = view_data(site / f"chains/{panorama.chain_id}.html")
        cats = {n["id"]: n for n in data["nodes"] if n.get("category")}
        # a registry list: every category is present or missing, never 'no data'
        assert cats and {n["category"] for n in cats.values()} <= {"present", "missing"}
        by_id = {f"cat-{c.id}": c for c in panorama.categories}
        folded = sum(int(m) for n in cats.values() for m in re.findall(r"\+(\d+)类", n["label"]))
        assert set(cats) <= set(by_id) and len(cats) + folded == len(by_id)
        assert all(n["category"] == by_id[i].status for i, n in cats.items())
        firms = {n["id"] for n in data["nodes"] if n["group"] == "Enterprise"}
        links = [e for e in data["edges"] if e["title"] == "所属类目"]
        assert all(e["from"] in firms and e["to"] in cats for e in links)
        under_category += len(links)
    assert under_category >= 50  # registry firms drawn under their category, not in a pile
    profiles = enterprise_profiles(store)
    assert len(profiles) >= 250
    checked = 0
    for iri, facts in sorted(profiles.items()):
        if not any(f.field.startswith("产业链") for f in facts):
            continue
        page = site / "entities" / f"{slug(iri.rsplit('/', 1)[1])}.html"
        rows = profile_rows(page)
        fields = {field for field, _cells in rows}
        assert {"credit code", "founded", "address", "industry code", "chain", "sources"} <= fields
        assert [(f, c[0]) for f, c in rows] == [
            (fact.field.partition(" ")[2], html.unescape(fact.value)) for fact in facts
        ]
        for field, (value, reason, source) in rows:
            if field == "chain":  # a registry placement: the rule, and the file and row
                assert "该类属于本链全景图" in reason and re.search(r"第\d+行", source), value
        checked += 1
    assert checked >= 100


def test_seed_entity_page_is_the_enterprise_profile(seed_build: BuildReport, seed_store) -> None:
    """株洲齿轮's page answers what the `enterprise-profile` query answers: zone, chain and
    segment with the article's quote as the reason, its project, relations and sources."""
    site = Path(seed_build.out_dir) / "site"
    (iri, facts), *_ = enterprise_profiles(seed_store, "株洲齿轮有限责任公司").items()
    rows = profile_rows(site / "entities" / f"{slug(iri.rsplit('/', 1)[1])}.html")
    assert [(f, c) for f, c in rows] == [
        (fact.field.partition(" ")[2], [fact.value, fact.reason, fact.source]) for fact in facts
    ]
    fields = {field for field, _cells in rows}
    assert {"in the focal zone", "located in", "chain", "segment", "projects", "sources"} <= fields
    segment = next(cells for field, cells in rows if field == "segment")
    assert segment[0] == "核心部件" and "新能源汽车变速器" in segment[1] and segment[2]
    # a firm's page without registry facts has no empty registry rows
    assert "credit code" not in fields
    # only enterprises have a profile
    chain_page = (site / "entities/nev.html").read_text(encoding="utf-8")
    assert 'id="profile"' not in chain_page
