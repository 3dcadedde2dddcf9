"""The site as files: escaping, determinism, offline links, exports, CLI (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from chainkg.cli import main
from chainkg.pipeline import BuildReport, build
from chainkg.project import to_networkx
from chainkg.store import open_store
from chainkg_viz.html import script_json
from chainkg_viz.reports import bilingual
from chainkg_viz.site import render_site, write_site
from tests.browser_support import write_demo_seeds


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    root = tmp_path_factory.mktemp("demo")
    return build(write_demo_seeds(root / "seeds"), root / "out")


def test_script_json_cannot_close_the_script() -> None:
    text = str(script_json({"label": "</script><script>alert(1)</script>&\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_build_writes_the_site(demo_build: BuildReport) -> None:
    site = demo_build.out_dir / "site"
    for rel in [
        "index.html",
        "overview.html",
        "chains/demo-chain.html",
        "entities/ent-hostile.html",
        "ego/ent-hostile.html",
        "articles/demo-article.html",
        "static/vis-network.min.js",
        "export/graph.graphml",
        "export/graph.gexf",
    ]:
        assert (site / rel).is_file(), rel


def test_hostile_label_is_escaped_everywhere(demo_build: BuildReport) -> None:
    site = demo_build.out_dir / "site"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
        assert "<b>标题</b>" not in text and "<i>图谱</i>" not in text, page
    entity = (site / "entities/ent-hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;" in entity


def test_pages_load_nothing_from_the_internet(demo_build: BuildReport) -> None:
    for page in (demo_build.out_dir / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), page
        assert "cdn" not in text.lower(), page


def test_render_is_deterministic(demo_build: BuildReport) -> None:
    store = open_store(demo_build.files["graph.nq"])
    assert render_site(store) == render_site(store)


def test_exports_round_trip(demo_build: BuildReport) -> None:
    graph = to_networkx(open_store(demo_build.files["graph.nq"]))
    site = demo_build.out_dir / "site"
    for name, reader in (("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)):
        back = reader(site / "export" / name)
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()


def test_chain_map_marks_missing_and_weak(demo_build: BuildReport) -> None:
    text = (demo_build.out_dir / "site/chains/demo-chain.html").read_text(encoding="utf-8")
    assert "整车\\n【缺链】" in text  # no local enterprise in the downstream segment
    assert "材料\\n【弱链】" in text  # one local enterprise, below the threshold of 2
    assert "示例政策" in text  # the program concerning the chain is listed


def test_entity_page_shows_evidence_in_context(demo_build: BuildReport) -> None:
    text = (demo_build.out_dir / "site/entities/ent-a.html").read_text(encoding="utf-8")
    assert "<mark>示例企业甲在示例园区</mark>从事电池材料" in text
    assert 'href="../articles/demo-article.html#q=' in text


def test_cli_viz(demo_build: BuildReport, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code = main(["viz", "--graph", str(demo_build.files["graph.nq"]), "--out", str(out)])
    assert code == 0
    assert (out / "index.html").is_file()
    assert (out / "static/vis-network.min.js").is_file()


HREF = re.compile(r"""(?:href|src)="([^"#?]*)[^"]*\"""")


def test_seed_site_has_no_broken_links(seed_build: BuildReport) -> None:
    site = seed_build.out_dir / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 500
    checked = 0
    for page in pages:
        for target in HREF.findall(page.read_text(encoding="utf-8")):
            if not target:  # a fragment of the page itself
                continue
            assert not target.startswith(("http:", "https:", "//")), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)
            checked += 1
    assert checked > 5000


def test_gap_reports_are_site_pages(seed_build: BuildReport) -> None:
    site = seed_build.out_dir / "site"
    report = (site / "gaps/nev.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    for page in (report, index):  # one base template, one stylesheet
        assert '<link rel="stylesheet" href="' in page and "static/site.css" in page
        assert '<meta name="viewport"' in page and "<style" not in page
    assert 'href="../entities/' in report and 'href="../articles/' in report
    assert "@media print" in (site / "static/site.css").read_text(encoding="utf-8")
    chain_page = (site / "entities/nev.html").read_text(encoding="utf-8")
    assert 'href="../gaps/nev.html"' in chain_page and 'href="../chains/nev.html"' in chain_page
    md = (site / "gaps/nev.md").read_text(encoding="utf-8")
    assert md.startswith("# 新能源汽车 产业链缺链弱链报告")
    assert not list(site.parent.glob(".site-*"))  # no temporary folder left behind


# each data gap of a chain report, as its section states it (the leaders; the segments)
DATA_GAP_PHRASES = ("没有该产业链的龙头", "该产业链的环节")


def test_a_chain_reports_data_gaps_are_stated_once(seed_build: BuildReport) -> None:
    """A report states a missing leader, missing segments and a missing supply rate in their
    own sections, once each, in the page and in its Markdown."""
    pages = sorted((seed_build.out_dir / "site" / "gaps").glob("*.*"))
    said = 0
    for page in pages:
        if page.suffix not in (".html", ".md") or page.stem == "index":
            continue
        text = page.read_text(encoding="utf-8")
        for phrase in DATA_GAP_PHRASES:
            assert text.count(phrase) <= 1, (page.name, phrase)
            said += text.count(phrase)
        assert "来源未给出本地配套率" not in text, page.name  # the overview says 来源未给出
    assert said >= 4  # chains of the example data set have no leader or no segments


def test_a_chain_without_local_firms_says_so_in_its_overview(seed_build: BuildReport) -> None:
    """The overview's 区内企业 cell of a chain with no local enterprise says 无 (none), not
    an empty cell; a chain with some lists them."""
    import re

    cells = {}
    for page in sorted((seed_build.out_dir / "site" / "gaps").glob("*.html")):
        found = re.search(r"<tr><th>区内企业</th><td>(.*?)</td></tr>", page.read_text("utf-8"))
        if found:
            cells[page.stem] = found.group(1).strip()
    assert cells["aviation"].startswith("无")
    assert cells["nev"] and not cells["nev"].startswith("无")
    assert all(cells.values()), [k for k, v in cells.items() if not v]


def test_write_site_keeps_the_previous_site_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site({"index.html": "old", "gaps/a.html": "old report"}, out)
    with pytest.raises(TypeError):
        write_site({"index.html": "new", "z.html": None}, out)  # type: ignore[dict-item]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert (out / "gaps/a.html").read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    written = write_site({"index.html": "new", "export/a.xlsx": b"PK"}, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert not (out / "gaps").exists()  # the whole folder is replaced, nothing stale stays
    assert (out / "export/a.xlsx").read_bytes() == b"PK" and out / "static/site.css" in written
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="refusing"):
        write_site({"index.html": "x"}, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_bilingual_hides_english_parts_only() -> None:
    text = "有企业(见证据) (firms work here (see evidence));区内 1 家 (AI产业) — no leader <b>"
    html = str(bilingual(text))
    assert html.startswith('有企业(见证据)<span class="en" lang="en"> (firms work here (see')
    assert "(AI产业)" in html and "(AI产业)</span>" not in html  # Chinese stays visible
    assert html.endswith('<span class="en" lang="en"> — no leader &lt;b&gt;</span>')


def test_the_ego_page_of_an_entity_without_relations_says_so(seed_store) -> None:  # noqa: ANN001
    """A firm no source ties to another (a registry firm placed nowhere) has an ego network
    of itself alone: the page says it has no relations (it said "0 跳以内的实体")."""
    from chainkg_viz.data import collect
    from chainkg_viz.site import ego_page

    data = collect(seed_store)
    g = data.graph
    firm = next(n for n, a in g.nodes(data=True) if a["type"] == "Enterprise" and g.degree(n))
    g.add_node("urn:alone", **{**g.nodes[firm], "id": "alone", "label": "独立公司"})
    alone, tied = ego_page(data, "urn:alone"), ego_page(data, firm)
    assert "图谱中暂无它与其他实体的关系" in alone and "跳以内" not in alone
    assert re.search(r"[12] 跳以内的实体", tied)
