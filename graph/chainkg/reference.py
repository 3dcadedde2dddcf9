"""The reference classifications (`reference/`): GB/T 4754-2017 industry codes and the
strategic emerging industries (战略性新兴产业分类 2018) mapped to them: `load_reference()`.

A data set's panoramas (全景图) are built from these: each of the nine industries is a SKOS
scheme whose concepts are its categories (up to three levels), each with its GB/T codes and
key products. Category ids are `sei-` + 10 hex digits of the SHA-1 of the category path, so
an id never changes when other rows of the standard are added, and never looks like an
official number (the CSV does not carry the standard's own numbering).
"""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from chainkg.config import PACKAGE_DIR

REFERENCE_DIR = (PACKAGE_DIR / "reference").resolve()
GBT_FILE = "gbt4754_2017.csv"
SEI_FILE = "sei2018_to_gbt4754.csv"
PATH_SEPARATOR = " > "
# The nine industries in the order the standard lists them.
SEI_INDUSTRIES = (
    "新一代信息技术产业",
    "高端装备制造产业",
    "新材料产业",
    "生物产业",
    "新能源汽车产业",
    "新能源产业",
    "节能环保产业",
    "数字创意产业",
    "相关服务业",
)


@dataclass(frozen=True)
class IndustryCode:
    """One GB/T 4754-2017 code: 门类 letter, 2-, 3- or 4-digit code."""

    code: str
    name: str
    level: int
    parent: str
    line: int  # line in gbt4754_2017.csv (1 = header)


@dataclass(frozen=True)
class CodeLink:
    """One row of the SEI table: a GB/T 小类 code in a category, with key products."""

    code: str
    partial: bool
    key_products: tuple[str, ...]
    line: int


@dataclass
class Category:
    """A category of the strategic emerging industries: its path and what the standard says."""

    path: str
    line: int  # first line of the SEI file naming this path (or a deeper one)
    codes: list[CodeLink] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        return self.path.split(PATH_SEPARATOR)

    @property
    def name(self) -> str:
        return self.parts[-1]

    @property
    def level(self) -> int:
        return len(self.parts)

    @property
    def parent(self) -> str:
        return PATH_SEPARATOR.join(self.parts[:-1])

    @property
    def industry(self) -> str:
        return self.parts[0]

    @property
    def id(self) -> str:
        return category_id(self.path)


def category_id(path: str) -> str:
    """The stable id of a category path."""
    return "sei-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


@dataclass
class Reference:
    """Both classifications, indexed."""

    codes: dict[str, IndustryCode]
    categories: dict[str, Category]  # path -> category, in standard order (see ordered())
    code_by_name: dict[str, list[str]]

    # The reference is read once (`load_reference` is cached) and never changed, so its
    # order and its code index are computed once: the importer and the registry mapping ask
    # for them once per registry row (sorting 347 categories and scanning 939 links a row
    # cost ~0.3 ms: 14 of 23 CPU-s of assembly at 50,000 registry rows).
    @functools.cached_property
    def _ordered(self) -> tuple[Category, ...]:
        rank = {name: i for i, name in enumerate(SEI_INDUSTRIES)}
        key = lambda c: (rank.get(c.industry, 99), c.parts)  # noqa: E731
        return tuple(sorted(self.categories.values(), key=key))

    @functools.cached_property
    def _links_by_code(self) -> dict[str, tuple[tuple[Category, CodeLink], ...]]:
        index: dict[str, list[tuple[Category, CodeLink]]] = {}
        for category in self._ordered:
            for link in category.codes:
                index.setdefault(link.code, []).append((category, link))
        return {code: tuple(pairs) for code, pairs in index.items()}

    def ordered(self) -> list[Category]:
        """Categories by industry (the standard's order), then path."""
        return list(self._ordered)

    def subtree(self, path: str) -> list[Category]:
        """A category and every category below it, in order."""
        prefix = path + PATH_SEPARATOR
        return [c for c in self._ordered if c.path == path or c.path.startswith(prefix)]

    def categories_of_code(self, code: str) -> list[tuple[Category, CodeLink]]:
        """The (category, link) pairs whose GB/T 小类 is `code`, in category order."""
        return list(self._links_by_code.get(code, ()))

    def code_ancestry(self, code: str) -> list[str]:
        """The code and its parents up to the 门类 letter."""
        out = []
        while code in self.codes:
            out.append(code)
            code = self.codes[code].parent
        return out


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read both CSV files (cached: they are package data and do not change)."""
    codes: dict[str, IndustryCode] = {}
    by_name: dict[str, list[str]] = {}
    for line, row in enumerate(_read(directory / GBT_FILE), 2):
        code = IndustryCode(row["code"], row["name"], int(row["level"]), row["parent"], line)
        codes[code.code] = code
        by_name.setdefault(code.name, []).append(code.code)
    categories: dict[str, Category] = {}
    for line, row in enumerate(_read(directory / SEI_FILE), 2):
        parts = row["sei_path"].split(PATH_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            path = PATH_SEPARATOR.join(parts[:depth])
            categories.setdefault(path, Category(path, line))
        products = tuple(p for p in row["key_products"].split("|") if p)
        categories[row["sei_path"]].codes.append(
            CodeLink(row["gbt_code"], row["partial"] == "yes", products, line)
        )
    return Reference(codes, categories, by_name)


def file_text(name: str, directory: Path = REFERENCE_DIR) -> str:
    """A reference file's text (what evidence quotes from it are checked against)."""
    return (directory / name).read_text(encoding="utf-8")
