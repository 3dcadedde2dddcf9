"""The large-graph path at a small size: synth + streaming build (through the switch in
`pipeline.build`), counts as generated."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg import pipeline, validate
from chainkg.cli import app
from chainkg.mapping import ASSEMBLY_GUARANTEES, assemble_text
from chainkg.pipeline import build, is_large
from chainkg.queries import run_query
from chainkg.store import open_store, store_from_quads
from chainkg.stream import bulk_load, write_text
from chainkg.synth import synthesize
from chainkg.tables import load_seeds
from chainkg.validate import compile_shapes, validate_store

CKG = "https://w3id.org/chainkg/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CLASSES = {c.target for c in validate.compile_shapes()[0]}


@pytest.fixture(scope="module")
def large_build(tmp_path_factory: pytest.TempPathFactory):
    seeds = tmp_path_factory.mktemp("seeds")
    counts = synthesize(2_000, seeds, seed=1)
    out = tmp_path_factory.mktemp("out")
    return seeds, counts, build(seeds, out, large=True)


def _triples_of(report: pipeline.BuildReport) -> bytes:
    """The built store's triples as N-Triples, to load into a copy that a test may change."""
    store = ox.Store.read_only(str(report.files["store"]))
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def test_the_build_switches_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    synthesize(30, tmp_path, seed=2)
    assert not is_large(tmp_path)
    monkeypatch.setattr(pipeline, "LARGE_ENTERPRISES", 29)
    assert is_large(tmp_path)


def test_streaming_build_counts_match_generator(large_build):
    _seeds, counts, report = large_build
    assert report.conforms
    assert report.quotes_checked == counts["quotes"]
    for key, expected in counts.items():
        if key.startswith("class:"):
            assert report.class_counts[key[6:]] == expected, key
    store = ox.Store.read_only(str(report.files["store"]))
    merged = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = {q.triple for q in ox.parse(path=str(report.files["graph.nq"]))}
    assert len(merged) == report.triples and merged == named
    assert len(store) == len(merged), "the large store holds the default graph only"
    assert "graph.ttl" not in report.files and not (report.out_dir / "graph.ttl").exists()
    chains = counts["class:IndustrialChain"]
    assert len(list((report.out_dir / "site" / "gaps").glob("chain-*.md"))) == chains
    assert not (report.out_dir / "graph.jsonld").exists()


def test_open_store_reads_the_on_disk_store(large_build):
    _seeds, counts, report = large_build
    store = open_store(report.out_dir / "store")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?e a ckg:Enterprise }"
    assert run_query(store, query).rows == [[str(counts["class:Enterprise"])]]


def test_store_validation_finds_violations(large_build):
    _seeds, _counts, report = large_build
    store = store_from_quads(ox.parse(path=str(report.files["graph.nq"])))
    victim = ox.NamedNode("https://w3id.org/chainkg/synth/enterprise/ent-1999")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for quad in list(store.quads_for_pattern(victim, label, None)):
        store.remove(quad)
    result = validate_store(store, sample=5)  # the victim is not in the sample
    assert not result.conforms
    assert "ent-1999" in result.text and result.violations >= 1


def test_every_shape_constraint_is_compiled():
    checks, sample_only = compile_shapes()
    assert sample_only == []
    assert {c.target for c in checks} >= {CKG + "Enterprise", CKG + "Evidence"}


def test_store_validation_in_two_processes_finds_violations(
    large_build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _seeds, _counts, report = large_build
    copy = tmp_path / "store"
    store = ox.Store(str(copy))
    store.bulk_load(_triples_of(report), format=ox.RdfFormat.N_TRIPLES)
    monkeypatch.setattr(validate, "PARALLEL_FOCUS_NODES", 0)
    monkeypatch.setattr(validate, "SMALL_CLASS", 0)  # every check a scan, shared out
    checks, _ = validate.compile_shapes()
    assert 0 < len(validate._split_by_cost(checks, dict.fromkeys(CLASSES, 2_000))) < len(checks)
    assert validate.validate_store(store, sample=5, path=copy).conforms
    victim = ox.NamedNode("https://w3id.org/chainkg/synth/enterprise/ent-1999")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for quad in list(store.quads_for_pattern(victim, label, None)):
        store.remove(quad)
    store.flush()
    result = validate.validate_store(store, sample=5, path=copy)
    assert not result.conforms
    assert "ent-1999" in result.text


def test_store_validation_finds_a_second_value(large_build):
    _seeds, _counts, report = large_build
    store = ox.Store()
    store.bulk_load(_triples_of(report), format=ox.RdfFormat.N_TRIPLES)
    evidence = ox.NamedNode("https://w3id.org/chainkg/synth/evidence/enterprise.ent-1998.1")
    source = ox.NamedNode(CKG + "source")
    other = ox.NamedNode("https://w3id.org/chainkg/synth/source/src-999999")
    store.add(ox.Quad(evidence, source, other))
    result = validate.validate_store(store, sample=5)
    assert not result.conforms
    assert "enterprise.ent-1998.1" in result.text and "count outside [1, 1]" in result.text


def test_every_assembly_guarantee_covers_compiled_checks():
    """A guarantee that matches no check is stale (a renamed shape or property)."""
    checks, _ = compile_shapes()
    for guarantee in ASSEMBLY_GUARANTEES:
        assert any(validate.is_guaranteed(c, [guarantee]) for c in checks), guarantee
    covered = [c for c in checks if validate.is_guaranteed(c, ASSEMBLY_GUARANTEES)]
    assert 0 < len(covered) < len(checks)
    assert all(c.path != CKG + "locatedIn" for c in covered), "data can break locatedIn"


def test_guaranteed_constraints_hold_over_the_whole_synthetic_store(large_build):
    """What the streaming build leaves to the sample, checked over everything once here."""
    _seeds, _counts, report = large_build
    store = ox.Store.read_only(str(report.files["store"]))
    checks, _ = compile_shapes()
    for check in checks:
        if validate.is_guaranteed(check, ASSEMBLY_GUARANTEES):
            assert validate._select(store, check.query + " LIMIT 1") == [], check


def test_guaranteed_constraints_hold_over_a_registry_store(registry_built):
    """The same on a registry data set's graph: its placements (ckg:Placement), which the
    synthetic sets do not have, hold every guaranteed constraint."""
    checks, _ = compile_shapes()
    covered = [c for c in checks if validate.is_guaranteed(c, ASSEMBLY_GUARANTEES)]
    assert any(c.target == CKG + "Placement" for c in covered)
    assert validate._count(registry_built.store, f"?s a <{CKG}Placement>") > 100
    for check in covered:
        assert validate._select(registry_built.store, check.query + " LIMIT 1") == [], check


def test_a_datatype_guarantee_leaves_the_counts_of_its_path_checked(registry_built):
    """The registry fields' datatypes are guaranteed, not how many values a firm has: a
    firm given a second founding date fails the validation the large build runs."""
    checks, _ = compile_shapes()
    founded = [c for c in checks if c.path == CKG + "foundedOn"]
    assert {validate.is_guaranteed(c, ASSEMBLY_GUARANTEES) for c in founded} == {True, False}
    assert all(
        c.components == ("datatype",)
        for c in founded
        if validate.is_guaranteed(c, ASSEMBLY_GUARANTEES)
    )
    store = ox.Store()
    store.extend(q for q in registry_built.store if isinstance(q.graph_name, ox.DefaultGraph))
    query = f"SELECT ?s WHERE {{ ?s <{CKG}foundedOn> ?d }} LIMIT 1"
    firm = next(iter(store.query(query)))["s"]
    second = ox.Literal("1901-01-01", datatype=ox.NamedNode(XSD + "date"))
    store.add(ox.Quad(firm, ox.NamedNode(CKG + "foundedOn"), second))
    result = validate.validate_store(store, sample=5, guaranteed=ASSEMBLY_GUARANTEES)
    assert not result.conforms
    assert firm.value in result.text and "count outside [0, 1]" in result.text


def test_store_validation_with_guarantees_still_finds_data_errors(large_build):
    """A relation row placing an enterprise inside another enterprise breaks a shape that
    no guarantee covers (the value of locatedIn must be a Place)."""
    _seeds, _counts, report = large_build
    store = ox.Store()
    store.bulk_load(_triples_of(report), format=ox.RdfFormat.N_TRIPLES)
    base = "https://w3id.org/chainkg/synth/enterprise/"
    store.add(
        ox.Quad(
            ox.NamedNode(base + "ent-1997"),
            ox.NamedNode(CKG + "locatedIn"),
            ox.NamedNode(base + "ent-3"),
        )
    )
    result = validate.validate_store(store, sample=5, guaranteed=ASSEMBLY_GUARANTEES)
    assert not result.conforms
    assert "ent-1997" in result.text and "guaranteed by the assembler" in result.text


@pytest.mark.parametrize("workers", [1, 3])
def test_written_text_bulk_loads_into_the_same_store(large_build, tmp_path: Path, workers: int):
    seeds = load_seeds(large_build[0])
    nt = tmp_path / "g.nt"
    lines = write_text(seeds, tmp_path / "g.nq", nt, workers=workers)
    store = bulk_load(nt, tmp_path / "store")
    nt.unlink()
    got = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    whole = ox.Store.read_only(str(large_build[2].files["store"]))
    assert got == set(whole.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert lines == large_build[2].quads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "store"]
    built = large_build[2].files["graph.nq"].read_bytes()
    written = (tmp_path / "g.nq").read_bytes()
    assert sorted(written.splitlines()) == sorted(built.splitlines())


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_text_assembly_writes_the_chunks_in_order_with_any_workers(
    large_build, tmp_path: Path, workers: int
):
    """The workers write their chunks in turn into the same files: the bytes are
    `assemble_text`'s, in its order, for any number of workers (the build's two included),
    and nothing is left beside them."""
    seeds = load_seeds(large_build[0])
    nq, nt = tmp_path / "g.nq", tmp_path / "g.nt"
    lines = write_text(seeds, nq, nt, workers=workers)
    pieces = list(assemble_text(seeds))
    assert nq.read_bytes() == b"".join(q for q, _t in pieces)
    assert nt.read_bytes() == b"".join(t for _q, t in pieces)
    assert nq.read_bytes() == large_build[2].files["graph.nq"].read_bytes()
    assert lines == large_build[2].quads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "g.nt"]


@pytest.mark.parametrize("workers", [1, 2])
def test_registry_rows_in_small_pieces_and_chunks_give_the_same_text(
    registry_built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
):
    """A registry export's rows are mapped in chunks of CHUNK_ROWS rows, each in pieces of
    PIECE_ROWS, each piece's lines joined and encoded once: with pieces of 70 rows and chunks
    of 250 (the fixture's 600 rows: 3 chunks, 9 pieces, each worker its own chunks) the
    files hold the very bytes of the default sizes, where all its rows are one piece."""
    import chainkg.mapping as mapping
    import chainkg.mapping_panorama as mapping_panorama

    seeds = registry_built.seeds
    assert sum(len(f.records) for f in seeds.registry.values()) > 500
    whole = list(assemble_text(seeds))
    for module in (mapping, mapping_panorama):
        monkeypatch.setattr(module, "CHUNK_ROWS", 250)
    monkeypatch.setattr(mapping_panorama, "PIECE_ROWS", 70)
    assert len(list(assemble_text(seeds))) >= len(whole) + 8
    nq, nt = tmp_path / "g.nq", tmp_path / "g.nt"
    lines = write_text(seeds, nq, nt, workers=workers)
    assert nq.read_bytes() == b"".join(q for q, _t in whole)
    assert nt.read_bytes() == b"".join(t for _q, t in whole)
    assert lines == nq.read_bytes().count(b"\n")


def test_a_text_assembly_worker_that_stops_fails_the_writing(
    large_build, tmp_path: Path, monkeypatch
):
    """A worker that dies mid-way ends the wait of the one after it (or breaks the pipe it
    is handed the turn on, whichever comes first): the writing fails with an error naming
    the worker that stopped, instead of hanging."""
    import chainkg.stream as stream

    seeds = load_seeds(large_build[0])
    real = stream.assemble_chunks

    def dies_in_the_child(seeds, on_rows=None, part=(0, 1)):
        for piece in real(seeds, on_rows, part):
            if part[0] == 1 and piece[0] >= 3:
                os._exit(3)  # the forked worker dies before its second chunk
            yield piece

    monkeypatch.setattr(stream, "assemble_chunks", dies_in_the_child)
    with pytest.raises(RuntimeError, match=r"text assembly worker \d+ failed \(exit code 3\)"):
        write_text(seeds, tmp_path / "g.nq", tmp_path / "g.nt", workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "g.nt"]


def test_a_worker_that_stops_at_once_is_named_as_the_cause(
    large_build, tmp_path: Path, monkeypatch
):
    """A worker that dies before its first chunk breaks the pipe its predecessor hands the
    turn on with: the error names the worker that failed and its exit, not the broken pipe.
    """
    import chainkg.stream as stream

    seeds = load_seeds(large_build[0])
    real = stream.assemble_chunks

    def dies_at_once(seeds, on_rows=None, part=(0, 1)):
        for piece in real(seeds, on_rows, part):
            if part[0] == 1:
                os._exit(3)
            yield piece

    monkeypatch.setattr(stream, "assemble_chunks", dies_at_once)
    with pytest.raises(RuntimeError, match=r"text assembly worker \d+ failed \(exit code 3\)"):
        write_text(seeds, tmp_path / "g.nq", tmp_path / "g.nt", workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "g.nt"]


def test_export_writes_the_store_as_turtle(large_build, tmp_path: Path):
    _seeds, _counts, report = large_build
    result = CliRunner().invoke(
        app, ["export", str(tmp_path / "g.ttl"), "--graph", str(report.files["store"])]
    )
    assert result.exit_code == 0, result.output
    store = ox.Store.read_only(str(report.files["store"]))
    merged = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert set(ox.parse(path=str(tmp_path / "g.ttl"))) == merged
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8").startswith("@prefix")
    store_dir = str(report.files["store"])
    bad = CliRunner().invoke(app, ["export", str(tmp_path / "g.xyz"), "--graph", store_dir])
    assert bad.exit_code == 2 and "extension" in bad.output
    missing = CliRunner().invoke(app, ["export", str(tmp_path / "g.nt"), "--graph", str(tmp_path)])
    assert missing.exit_code == 2 and "not an Oxigraph store folder" in missing.output


def test_streaming_build_writes_the_name_index_of_the_store(large_build, tmp_path: Path):
    """names.sqlite, written from the seed tables in a child while the store loads and then
    given the few other named classes' names as a second part, holds exactly the names a
    SPARQL scan of the store finds, and answers searches as one index of that scan."""
    from chainkg.search import INDEX_FILE, NameIndex, build_index, name_rows

    _seeds, _counts, report = large_build
    written = report.files[INDEX_FILE]
    assert written == report.out_dir / INDEX_FILE
    store = ox.Store.read_only(str(report.files["store"]))
    scanned = build_index(name_rows(store), tmp_path / INDEX_FILE, report.files["graph.nq"])
    with NameIndex(written) as index, NameIndex(scanned) as scan:
        held = "SELECT iri, name, kind, type FROM names ORDER BY 1, 2, 3, 4"
        assert index._con.execute(held).fetchall() == scan._con.execute(held).fetchall()
        assert len(index._parts) == 2 and index.graph_identity() == scan.graph_identity()
        firm, label = run_query(
            store,
            "SELECT ?e ?l WHERE { ?e a ckg:Enterprise ; rdfs:label ?l FILTER(LANG(?l) = 'zh') }"
            " ORDER BY ?l LIMIT 1",
        ).rows[0]
        assert index.search(label)[0].iri == firm  # the exact name first
        statistic = index._con.execute(
            "SELECT name FROM names WHERE type = 'Statistic' AND kind = 'label_zh' LIMIT 1"
        ).fetchone()[0]  # a name of the second part
        for text in (label, label[:2], label[1:4], statistic, statistic[:2], "1"):
            assert index.search(text, 20) == scan.search(text, 20), text
            assert index.count(text) == scan.count(text), text


def test_side_tables_are_written_by_two_children(large_build, tmp_path: Path) -> None:
    """The listings side table and the gap summary come from two forked children, each into
    its own folder, with the same bytes as written here in one process; without a summary
    asked for, only the listings child runs."""
    from chainkg.aggregates import SUMMARY_FILE
    from chainkg.gaps.early import precompute_summary
    from chainkg.listings import LISTINGS_FILE, write_listings
    from chainkg.stream import SIDE_TABLES, _fork_side_tables, _wait_writer

    seeds = load_seeds(large_build[0])
    listings, summary = tmp_path / "listings", tmp_path / "summary"
    pids = _fork_side_tables(seeds, listings, summary)
    assert len(set(pids)) == 2 and all(pids)
    for pid, folder, what in zip(pids, (listings, summary), SIDE_TABLES, strict=True):
        _wait_writer(pid, folder, what)
        assert "CPU-s" in (folder / "seconds.txt").read_text()
    write_listings(seeds, tmp_path / "here.sqlite", ())
    precompute_summary(seeds, tmp_path / "here-gaps.sqlite")
    assert (listings / LISTINGS_FILE).read_bytes() == (tmp_path / "here.sqlite").read_bytes()
    assert (summary / SUMMARY_FILE).read_bytes() == (tmp_path / "here-gaps.sqlite").read_bytes()
    alone = _fork_side_tables(seeds, tmp_path / "alone", None)
    assert alone[0] and alone[1] == 0
    _wait_writer(alone[0], tmp_path / "alone", "listings")
    assert (tmp_path / "alone" / LISTINGS_FILE).is_file()


def test_the_store_reads_beside_the_validation_match_the_stores_own(large_build):
    """The children reading the store beside the validation (`_start_store_reads`) answer
    what is read here: its own names and the class counts, and the triple count; a child
    that cannot open the store fails the build."""
    from chainkg.names import other_name_rows
    from chainkg.stream import _read_store_reads, _start_store_reads, class_counts_store

    _seeds, _counts, report = large_build
    path = report.files["store"]
    answer = _read_store_reads(_start_store_reads(path, "names"))
    store = ox.Store.read_only(str(path))
    assert [tuple(row) for row in answer["names"]] == list(other_name_rows(store))
    assert answer["names"]
    assert answer["classes"] == class_counts_store(store) == report.class_counts
    assert _read_store_reads(_start_store_reads(path, "count")) == {"triples": len(store)}
    assert report.triples == len(store)
    for job in ("names", "count"):
        with pytest.raises(RuntimeError, match="store reader failed"):
            _read_store_reads(_start_store_reads(path.parent / "no-store", job))


def test_a_rebuild_replaces_the_outputs_and_leaves_nothing_beside_them(tmp_path: Path):
    """A second large build into the same folder replaces each output (the previous ones are
    set aside and removed while the gaps stage runs), with the same bytes for the same
    seeds, and leaves no temporary file or folder behind."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    synthesize(300, seeds, seed=3)
    build(seeds, out, large=True)
    first = {name: (out / name).read_bytes() for name in ("graph.nq", "names.sqlite")}
    store_folder = (out / "store").stat().st_ino
    report = build(seeds, out, large=True)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    assert {name: (out / name).read_bytes() for name in first} == first
    assert (out / "store").stat().st_ino != store_folder  # a new store
    assert len(ox.Store.read_only(str(out / "store"))) == report.triples
