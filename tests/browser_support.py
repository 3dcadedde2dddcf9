"""Shared by the viz tests: a tiny seeds folder with hostile labels, and the browser check."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chainkg.schema import TABLES
from chainkg_viz.browser import chromium_path

HOSTILE = "<script>alert(1)</script>\"'"
HOSTILE_ALIAS = "<img src=x onerror=alert(2)>"
ARTICLE = (
    "示例园区位于示例市。示例企业甲在示例园区从事电池材料。"
    f"{HOSTILE}公司在示例园区从事电机，又称{HOSTILE_ALIAS}。"
    "示例产业链包括材料、电机、整车三个环节。示例园区出台示例政策支持示例产业链。"
)

ROWS: dict[str, list[dict[str, str]]] = {
    "sources": [
        {
            "id": "demo-article",
            "file": "demo.txt",
            "headline": "示例文章 <b>标题</b>",
            "date": "2024",
            "date_basis": "printed",
            "summary_en": "A demo article.",
        }
    ],
    "places": [
        {"id": "demo-city", "label_zh": "示例市", "kind": "city", "quote": "示例市"},
        {
            "id": "demo-zone",
            "label_zh": "示例园区",
            "kind": "zone",
            "part_of": "demo-city",
            "quote": "示例园区位于示例市",
        },
    ],
    "enterprises": [
        {
            "id": "ent-a",
            "label_zh": "示例企业甲",
            "located_in": "demo-zone",
            "quote": "示例企业甲在示例园区",
        },
        {
            "id": "ent-hostile",
            "label_zh": HOSTILE,
            "aliases": HOSTILE_ALIAS,
            "located_in": "demo-zone",
            "quote": f"{HOSTILE}公司在示例园区从事电机",
        },
    ],
    "chains": [
        {"id": "demo-chain", "label_zh": "示例产业链", "place": "demo-zone", "quote": "示例产业链"}
    ],
    "segments": [
        {
            "id": f"seg-{i}",
            "label_zh": name,
            "chain": "demo-chain",
            "order": str(i),
            "stage": stage,
            "quote": "材料、电机、整车",
        }
        for i, (name, stage) in enumerate(
            [("材料", "upstream"), ("电机", "midstream"), ("整车", "downstream")], 1
        )
    ],
    "programs": [
        {
            "id": "demo-policy",
            "label_zh": "示例政策",
            "kind": "policy_document",
            "issuer": "demo-zone",
            "chains": "demo-chain",
            "quote": "示例园区出台示例政策支持示例产业链",
        }
    ],
    "relations": [
        {
            "id": "rel-a",
            "subject": "ent-a",
            "predicate": "operates_in_segment",
            "object": "seg-1",
            "quote": "示例企业甲在示例园区从事电池材料",
        },
        {
            "id": "rel-h",
            "subject": "ent-hostile",
            "predicate": "operates_in_segment",
            "object": "seg-2",
            "quote": f"{HOSTILE}公司在示例园区从事电机",
        },
    ],
}


def write_demo_seeds(root: Path) -> Path:
    """A complete, valid seeds folder (every table, most empty) with hostile labels."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "articles" / "demo.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "dataset.toml").write_text(
        'id = "demo"\ntitle = "示例 <i>图谱</i>"\n'
        'base_iri = "https://example.org/demo/"\nfocal_zone = "demo-zone"\n',
        encoding="utf-8",
    )
    for name, table in TABLES.items():
        with (root / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(table.column_names))
            writer.writeheader()
            for row in ROWS.get(name, []):
                full = {c: "" for c in table.column_names}
                if table.evidence:
                    full["source"] = "demo-article"
                full.update(row)
                writer.writerow(full)
    return root


needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="no Chromium installed")
