"""A fixture shared by the tests of several modules (a plugin of tests/conftest.py): a
registry data set built by the small path (the listings' builders and the gap tables are
each checked against its queries; the registry changes page is rendered from it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.pipeline import BuildReport, build
from chainkg.store import open_store
from chainkg.tables import Seeds, load_seeds


@dataclass
class Built:
    """Seeds, the graph built from them, and the build's report."""

    seeds: Seeds
    store: ox.Store
    report: BuildReport


@pytest.fixture(scope="session")
def registry_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A synthetic registry export (600 rows: firms in the zone's parks, elsewhere in it,
    outside it, some deregistered) imported into a registry-only data set, with four curated
    enterprises (two matched to export rows by name: one placed by its address, one located
    by its own row; two only curated: one building a base in the zone, one supplying from
    outside it), curated ties stated and judged (one the registry also places), and segments
    of the first chain mapped to reference categories, then a year later's export updating
    most of its firms (`_later_export`); built by the small path."""
    import csv

    from chainkg.reference import load_reference
    from chainkg.registry_import import import_enterprises
    from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset

    root = tmp_path_factory.mktemp("registry-listings")
    export = synthesize_registry(600, root / "export.csv", seed=5).path
    seeds = synthesize_registry_dataset(root / "seeds", "registry-export")
    rows = list(csv.DictReader(export.open(encoding="utf-8")))
    in_zone = [r for r in rows if "高新区" in r["注册地址"] and r["登记状态"] == "存续"]
    industry = next(c for c in load_reference().ordered() if c.level == 1)
    parts = [c for c in load_reference().ordered() if c.parent == industry.path]

    def write(name: str, header: str, lines: list[str]) -> None:
        (seeds / name).write_text("\n".join([header, *lines, ""]), encoding="utf-8")

    judged = "curator,Assumed for the test."
    write(
        "enterprises.csv",
        "id,label_zh,located_in,source,quote,assertion,note",
        [
            f"placed,{in_zone[0]['企业名称']},,registry-export,{in_zone[0]['企业名称']},,",
            f"located,{in_zone[1]['企业名称']},zone,registry-export,{in_zone[1]['企业名称']},,",
            f"curated,{industry.name}示例企业,,sei-2018,{industry.name},{judged}",
            f"outsider,{industry.name}示例供应商,,sei-2018,{industry.name},{judged}",
        ],
    )
    write(
        "relations.csv",
        "id,subject,predicate,object,source,quote,assertion,note",
        [
            f"r1,placed,in_chain,chain-1,registry-export,{in_zone[0]['企业名称']},,",
            f"r2,located,leads_chain,chain-1,registry-export,{in_zone[1]['企业名称']},{judged}",
            f"r3,curated,in_chain,chain-2,sei-2018,{industry.name},{judged}",
            f"r4,curated,operates_in_segment,seg-1,sei-2018,{industry.name},{judged}",
            f"r5,placed,operates_in_segment,seg-2,registry-export,{in_zone[0]['企业名称']},,",
            f"r6,placed,supplier_of,located,registry-export,{in_zone[0]['企业名称']},,",
            f"r7,curated,customer_of,placed,sei-2018,{industry.name},{judged}",
            f"r8,outsider,supplier_of,placed,sei-2018,{industry.name},{judged}",
            # (the registry places this firm in chain-2 too: one tie, stated)
            f"r9,placed,in_chain,chain-2,registry-export,{in_zone[0]['企业名称']},,",
        ],
    )
    write(
        "sites.csv",
        "id,label_zh,owner,kind,located_in,status,source,quote,assertion,note",
        [
            f"site-1,{industry.name}示例基地,curated,base,zone,under_construction,sei-2018,"
            f"{industry.name},{judged}"
        ],
    )
    write(
        "segments.csv",
        "id,label_zh,chain,order,stage,source,quote,assertion,note",
        [
            f"seg-{i},{part.name},chain-1,{i},{stage},sei-2018,{part.name},{judged}"
            for i, (part, stage) in enumerate(
                zip(parts[:2], ("upstream", "midstream"), strict=True), 1
            )
        ],
    )
    write(
        "segment_mappings.csv",
        "id,segment,category,match,source,quote,assertion,note",
        [
            f"map-{i},seg-{i},{part.path},exact,sei-2018,{part.name},{judged}"
            for i, part in enumerate(parts[:2], 1)
        ],
    )
    import_enterprises(export, seeds, date="2024-06-30", source_id="registry-export")
    later = _later_export(export, renamed=in_zone[0]["企业名称"])
    import_enterprises(later, seeds, date="2025-06-30", source_id="registry-2025")
    report = build(seeds, root / "out", large=False)
    return Built(load_seeds(seeds), open_store(Path(report.files["graph.nq"])), report)


def _later_export(export: Path, renamed: str) -> Path:
    """A year later's export of the same registry: most firms again, some renamed (among
    them `renamed`, a curated firm matched by its old name), some deregistered, some at
    another firm's address, some left out (their earlier rows stand); a few new ones."""
    import csv

    from chainkg.synth_registry import synthesize_registry

    rows = list(csv.reader(export.open(encoding="utf-8")))
    head, body = rows[0], rows[1:]
    name, status, address = (head.index(h) for h in ("企业名称", "登记状态", "注册地址"))
    later = [head]
    for i, row in enumerate(body):
        row = list(row)
        if i % 5 == 4:
            continue  # not in this export
        if i % 7 == 0 or row[name] == renamed:
            row[name] = row[name].replace("有限公司", "股份有限公司", 1) + "(更名)"
        if i % 11 == 3:
            row[status] = "注销"
        if i % 13 == 6:
            row[address] = body[(i + 1) % len(body)][address]
        later.append(row)
    new = synthesize_registry(40, export.with_name("new.csv"), seed=9).path
    for row in list(csv.reader(new.open(encoding="utf-8")))[1:]:  # (the same headings)
        later.append([*row[:name], "新设" + row[name], *row[name + 1 :]])  # names of their own
    path = export.with_name("export-2025.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(later)
    return path
