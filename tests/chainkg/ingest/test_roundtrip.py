"""The review round trip on a copy of the real seeds: ingest -> mark accepts -> accept ->
build -> the new facts answer SPARQL with their quotes; a failed accept changes nothing; a
second ingest proposes nothing already accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from chainkg.errors import SeedError
from chainkg.ingest import accept, propose, write_review
from chainkg.pipeline import build
from chainkg.queries import run_query
from chainkg.store import open_store
from chainkg.tables import load_seeds
from tests.helpers import CASES as HELPER_CASES

CASES = HELPER_CASES / "ingest"
SIGNING = CASES / "qinghe-signing.txt"
ACCEPT_NAMES = {
    "enterprise": {"青禾智能装备有限公司", "蓝岭精密"},
    "project": {"青禾机器人减速器产业化项目"},
    "chain": {"智能装备"},
    "relation": {"蓝岭精密 supplier_of 青禾智能装备", "青禾智能装备 leads_chain 智能装备"},
}


def _mark(review: Path, names: dict[str, set[str]], edits: dict[str, str] | None = None) -> None:
    """Write accept in the decision column of the named rows (like a reviewer would)."""
    book = load_workbook(review)
    for kind, wanted in names.items():
        sheet = book[kind]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            cells = dict(zip(header, row, strict=True))
            if kind == "relation":
                label = (
                    f"{_label(book, cells['subject'].value)} {cells['predicate'].value} "
                    f"{_label(book, cells['object'].value)}"
                )
            else:
                label = cells["label_zh"].value
            if label in wanted:
                cells["decision"].value = "accept"
                for column, value in (edits or {}).items():
                    if column in cells:
                        cells[column].value = value
    book.save(review)


def _label(book, entity_id: str) -> str:  # noqa: ANN001
    """A relation end's name as the extractor printed it (label or first alias)."""
    for kind in ("enterprise", "chain", "organization", "park", "project"):
        sheet = book[kind]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            cells = dict(zip(header, row, strict=True))
            if cells["id"] == entity_id:
                aliases = (cells.get("aliases") or "").split("|")
                return aliases[0] if kind == "enterprise" and aliases[0] else cells["label_zh"]
    return entity_id


def _snapshot(seeds: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(seeds)): p.read_bytes() for p in sorted(seeds.rglob("*")) if p.is_file()
    }


@pytest.mark.slow
def test_round_trip_to_sparql(seeds_copy: Path, tmp_path: Path, capsys) -> None:
    review_dir = tmp_path / "review"
    assert main(["ingest", str(SIGNING), "--seeds", str(seeds_copy), "--out", str(review_dir)]) == 0
    items = json.loads((review_dir / "candidates.json").read_text(encoding="utf-8"))
    assert {i["kind"] for i in items} >= {"enterprise", "project", "chain", "relation"}
    page = (review_dir / "review.html").read_text(encoding="utf-8")
    assert "<mark" in page and "青禾机器人减速器产业化项目" in page
    _mark(review_dir / "review.xlsx", ACCEPT_NAMES)
    before = _snapshot(seeds_copy)
    assert main(["accept", str(review_dir / "review.xlsx"), "--seeds", str(seeds_copy)]) == 0
    assert "enterprises +2" in capsys.readouterr().out

    seeds = load_seeds(seeds_copy)
    sources = seeds.tables["sources"]
    new_source = sources.iloc[-1]
    assert (seeds_copy / "articles" / new_source["file"]).read_text(
        encoding="utf-8"
    ) == SIGNING.read_text(encoding="utf-8")
    assert new_source["date"] == "2024-03-12"
    projects = seeds.tables["projects"].set_index("label_zh")
    assert projects.loc["青禾机器人减速器产业化项目", "amount_yuan"] == "1200000000"
    assert len(_snapshot(seeds_copy)) == len(before) + 1  # one article added

    report = build(seeds_copy, tmp_path / "out")
    store = open_store(report.files["graph.nq"])
    rows = run_query(
        store,
        """
        SELECT ?label ?quote WHERE {
          ?firm skos:prefLabel ?label ; ckg:evidence/ckg:quote ?quote .
          FILTER(STR(?label) = "青禾智能装备有限公司")
        }""",
    ).rows
    assert rows and "青禾智能装备有限公司与青禾经开区管委会签约" in rows[0][1]
    rows = run_query(
        store,
        """
        SELECT ?quote WHERE {
          ?ev ckg:quote ?quote ; ckg:supports ?fact .
          FILTER(CONTAINS(STR(?quote), "蓝岭精密是青禾智能装备的供应商"))
        }""",
    ).rows
    assert rows

    # a second run on the same article proposes nothing already accepted
    again = propose([SIGNING], seeds_copy)
    accepted = {c.name for c in again.candidates if c.kind in ("enterprise", "project")}
    assert not accepted & (ACCEPT_NAMES["enterprise"] | ACCEPT_NAMES["project"])
    triples = {(c.subject, c.type, c.object) for c in again.candidates if c.kind == "relation"}
    assert ("蓝岭精密", "supplier_of", "青禾智能装备") not in triples
    assert again.sources[0]["registered"] == "yes"

    # a later article names the accepted firm by its short name: known, with its id
    later = propose([CASES / "qinghe-followup.txt"], seeds_copy)
    firm_id = seeds.tables["enterprises"].set_index("label_zh").loc["青禾智能装备有限公司", "id"]
    known = {c.name: c.known_id for c in later.candidates if c.kind == "enterprise"}
    assert known.get("青禾智能装备") == firm_id
    assert known.get("松涛精工股份有限公司") is None  # new
    supply = [c for c in later.candidates if c.kind == "relation" and c.type == "supplier_of"]
    assert [(c.subject, c.fields.get("object_id")) for c in supply] == [("松涛精工", firm_id)]


def test_failed_accept_leaves_seeds_unchanged(seeds_copy: Path, tmp_path: Path) -> None:
    proposal = propose([SIGNING], seeds_copy)
    write_review(proposal, tmp_path, ("xlsx",))
    review = tmp_path / "review.xlsx"
    edits = {"status": "almost-done", "investor": None}
    _mark(review, {"project": {"青禾机器人减速器产业化项目"}}, edits)
    before = _snapshot(seeds_copy)
    with pytest.raises(SeedError) as info:
        accept(review, seeds_copy)
    assert "status" in str(info.value) and "almost-done" in str(info.value)
    assert _snapshot(seeds_copy) == before


def test_reference_to_a_candidate_not_accepted_is_named(seeds_copy: Path, tmp_path: Path) -> None:
    proposal = propose([SIGNING], seeds_copy)
    write_review(proposal, tmp_path, ("xlsx",))
    _mark(tmp_path / "review.xlsx", {"project": {"青禾机器人减速器产业化项目"}})
    before = _snapshot(seeds_copy)
    with pytest.raises(SeedError) as info:
        accept(tmp_path / "review.xlsx", seeds_copy)
    message = str(info.value)
    assert "sheet project, line" in message and "'investor'" in message
    assert "qing-he-zhi-neng-zhuang-bei" in message
    assert _snapshot(seeds_copy) == before


def test_bad_decision_is_named(seeds_copy: Path, tmp_path: Path) -> None:
    proposal = propose([SIGNING], seeds_copy)
    write_review(proposal, tmp_path, ("xlsx",))
    book = load_workbook(tmp_path / "review.xlsx")
    book["project"]["A2"].value = "maybe"
    book.save(tmp_path / "review.xlsx")
    with pytest.raises(SeedError) as info:
        accept(tmp_path / "review.xlsx", seeds_copy)
    assert "sheet project" in str(info.value) and "decision" in str(info.value)


def test_json_format_only_and_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert main(["ingest", str(SIGNING), "--out", str(tmp_path / run), "--format", "json"]) == 0
        assert sorted(p.name for p in (tmp_path / run).iterdir()) == ["candidates.json"]
    first = (tmp_path / "a" / "candidates.json").read_bytes()
    assert first == (tmp_path / "b" / "candidates.json").read_bytes()
    items = json.loads(first)
    text = SIGNING.read_text(encoding="utf-8")
    for item in items:
        assert {"kind", "name", "quote", "confidence"} <= set(item)
        assert item["quote"] in text
        if item["kind"] == "relation":
            assert {"subject", "type", "object"} <= set(item)
        if item["kind"] == "statistic":
            assert item["value"]
        if item["kind"] == "project":
            assert "amount" in item and "amount_yuan" in item
    assert any(i.get("known_id") for i in items)  # known entities are told apart
