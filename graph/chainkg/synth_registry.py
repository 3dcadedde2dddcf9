"""Synthetic registry exports: `synthesize_registry(n, path) -> SynthRegistry`, and a data set
made from one alone: `synthesize_registry_dataset(folder, n) -> Path`.

Deterministic (the same seed gives the same bytes). Rows look like real exports: credit codes
with valid check digits (`stdnum.cn.uscc`), GB/T 4754-2017 codes drawn from the reference
(mostly codes of strategic-emerging-industry categories, written as `C3670`, `3670` or the
class name), addresses in the synthetic zone's parks, elsewhere in the zone and around it,
messy capital strings ("1,088(万元人民币)", "500万美元"), dates in several printed forms, and
business scopes that sometimes name a key product. `bad_rows=True` plants one row of each
kind the importer must refuse (`PLANTED_BAD`); `encoding="gbk"` writes a GBK CSV, a `.xlsx`
path an Excel file.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.cn import uscc

from chainkg.reference import SEI_FILE, load_reference
from chainkg.registry import HEADINGS, resolve_industry
from chainkg.write import atomic_write

PROVINCE = "示范省"
ZONE = "示范高新区"
CITY = "示范市"
PARKS = {"park-east": "东园", "park-west": "西园"}  # id -> address keyword
OUTSIDE = ("长河区", "青山县", "南湖区")
ROADS = ("创新路", "科技大道", "工业路", "高新路", "学府路", "新元路")
WORDS = "华宏鑫瑞达恒泰安盛昌锐博科源创联电力驰晶隆兴德嘉远鼎通卓航"
SUFFIXES = ("科技有限公司", "电子有限公司", "新材料有限公司", "动力有限公司", "装备股份有限公司")
STATUSES = ("存续", "在业", "存续", "在业", "注销", "吊销")
SCOPES = ("技术开发、技术咨询", "货物进出口", "机械设备销售", "软件开发")
PLANTED_BAD = ("check-digit", "industry", "capital", "date", "duplicate")
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class SynthRegistry:
    """What was written: the path, the rows, and the rows planted bad (row -> kind)."""

    path: Path
    rows: int
    bad: dict[int, str] = field(default_factory=dict)


def credit_code(rng: random.Random) -> str:
    """A credit code with a valid check digit (registration authority 9, type 1; a made-up
    region code)."""
    body = "91" + "9900" + f"{rng.randrange(100):02d}" + "".join(rng.choices(_CHARSET, k=9))
    return body + uscc.calc_check_digit(body)


def _rows(n: int, seed: int, bad_rows: bool) -> tuple[list[list[str]], dict[int, str]]:
    rng = random.Random(seed)
    reference = load_reference()
    sei_codes = sorted({link.code for c in reference.categories.values() for link in c.codes})
    other_codes = sorted(c for c, e in reference.codes.items() if e.level == 4)
    products: dict[str, list[str]] = {}
    for category in reference.ordered():
        for link in category.codes:
            products.setdefault(link.code, []).extend(p for p in link.key_products if len(p) >= 4)
    names: set[str] = set()
    codes: set[str] = set()
    rows: list[list[str]] = []
    for i in range(n):
        code = credit_code(rng)
        while code in codes:
            code = credit_code(rng)
        codes.add(code)
        name = "".join(rng.choices(WORDS, k=2)) + rng.choice(SUFFIXES)
        if name in names:
            name = f"{CITY[:2]}{name[:2]}{i}{name[2:]}"
        names.add(name)
        industry = rng.choice(sei_codes) if rng.random() < 0.7 else rng.choice(other_codes)
        entry = reference.codes[industry]
        letter = reference.code_ancestry(industry)[-1]
        # a class name only where it names one class (some names recur in other branches)
        unique = resolve_industry(entry.name, reference) == industry
        industry_text = rng.choice(
            (f"{letter}{industry}", industry, entry.name if unique else industry)
        )
        place = rng.random()
        road, number = rng.choice(ROADS), rng.randrange(1, 999)
        if place < 0.45:
            park = rng.choice(sorted(PARKS.values()))
            address = f"{PROVINCE}{CITY}{ZONE}{park}{road}{number}号"
        elif place < 0.7:
            address = f"{PROVINCE}{CITY}{ZONE}{road}{number}号"
        else:
            address = f"{PROVINCE}{CITY}{rng.choice(OUTSIDE)}{road}{number}号"
        amount = rng.choice((50, 100, 300, 500, 1000, 1088, 2000, 5000, 12000))
        capital = rng.choice(
            (
                f"{amount:,}(万元人民币)",
                f"{amount}万元人民币",
                f"{amount}万元",
                f"{amount}万美元",
            )
        )
        year, month, day = rng.randrange(1995, 2024), rng.randrange(1, 13), rng.randrange(1, 29)
        founded = rng.choice(
            (f"{year}-{month:02d}-{day:02d}", f"{year}/{month}/{day}", f"{year}年{month}月{day}日")
        )
        scope = "、".join(rng.sample(SCOPES, 2))
        if products.get(industry) and rng.random() < 0.5:
            scope = f"{rng.choice(products[industry])}的研发、生产、销售;{scope}"
        person = rng.choice("王李张刘陈杨赵黄周吴") + "".join(
            rng.choices("伟芳娜敏静丽强磊军洋", k=2)
        )
        status = rng.choice(STATUSES)
        rows.append([code, name, status, founded, capital, address, industry_text, scope, person])
    bad: dict[int, str] = {}
    if bad_rows and n >= len(PLANTED_BAD) * 2:
        for k, kind in enumerate(PLANTED_BAD):
            index = (k + 1) * n // (len(PLANTED_BAD) + 1)
            row = rows[index]
            if kind == "check-digit":
                last = row[0][-1]
                row[0] = row[0][:-1] + ("0" if last != "0" else "1")
            elif kind == "industry":
                row[6] = "9999"
            elif kind == "capital":
                row[4] = "若干万元"
            elif kind == "date":
                row[3] = "2019-13-45"
            else:
                row[0] = rows[index - 1][0]
            bad[index + 2] = kind  # data rows start on line 2
    return rows, bad


def synthesize_registry(
    n: int,
    path: Path | str,
    seed: int = 0,
    bad_rows: bool = False,
    encoding: str = "utf-8",
) -> SynthRegistry:
    """Write a synthetic export of n rows (CSV in `encoding`, or XLSX by suffix)."""
    path = Path(path)
    rows, bad = _rows(n, seed, bad_rows)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("企业名录")
        sheet.append(list(HEADINGS))
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        atomic_write(path, buffer.getvalue())
    else:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([list(HEADINGS), *rows])
        atomic_write(path, text.getvalue().encode(encoding))
    return SynthRegistry(path, n, bad)


def synthesize_registry_dataset(folder: Path | str, registry_source: str) -> Path:
    """The tables of a data set with no articles, for a registry export imported later as
    source `registry_source`: the zone and its parks (quoted from the export's addresses),
    the reference sources, address rules, and a chain per strategic emerging industry aligned
    to it (quoting the reference file)."""
    folder = Path(folder)
    reference = load_reference()

    def write(name: str, rows: list[list[str]]) -> None:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        atomic_write(folder / name, text.getvalue().encode("utf-8"))

    atomic_write(
        folder / "dataset.toml",
        (
            'id = "synthetic-registry"\n'
            f'title = "{ZONE} (synthetic registry-only data set)"\n'
            'base_iri = "https://w3id.org/chainkg/synthetic-registry/"\n'
            'focal_zone = "zone"\n'
        ).encode(),
    )
    write(
        "sources.csv",
        [
            ["id", "file", "headline", "date", "date_basis", "summary_en", "kind"],
            [
                "sei-2018",
                SEI_FILE,
                "战略性新兴产业分类(2018)",
                "2018",
                "printed",
                "Reference classification.",
                "reference",
            ],
        ],
    )
    evidence = [registry_source, ZONE, "", ""]
    write(
        "places.csv",
        [
            ["id", "label_zh", "kind", "part_of", "source", "quote", "assertion", "note"],
            ["zone", ZONE, "zone", "", *evidence],
            *[
                [pid, keyword, "park", "zone", registry_source, f"{ZONE}{keyword}", "", ""]
                for pid, keyword in PARKS.items()
            ],
        ],
    )
    write(
        "address_rules.csv",
        [
            ["id", "place", "keywords", "priority", "note"],
            *[
                [f"rule-{pid}", pid, f"{ZONE}{kw}", "1", f"Addresses in {kw} of the zone."]
                for pid, kw in PARKS.items()
            ],
            ["rule-zone", "zone", ZONE, "0", "Any other address in the zone."],
        ],
    )
    industries = [c for c in reference.ordered() if c.level == 1]
    chains = [["id", "label_zh", "place", "source", "quote", "assertion", "note"]]
    alignments = [["id", "chain", "category", "match", "source", "quote", "assertion", "note"]]
    for i, industry in enumerate(industries, 1):
        name = industry.name.removesuffix("产业") or industry.name
        note = "A synthetic zone's chain per strategic emerging industry."
        chains.append([f"chain-{i}", name, "zone", "sei-2018", industry.name, "curator", note])
        alignments.append(
            [
                f"align-{i}",
                f"chain-{i}",
                industry.path,
                "exact",
                "sei-2018",
                industry.path,
                "curator",
                note,
            ]
        )
    write("chains.csv", chains)
    write("chain_alignments.csv", alignments)
    return folder
