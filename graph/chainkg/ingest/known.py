"""What the data set already knows: `KnownIndex.from_tables(tables) -> KnownIndex`.

Indexes every entity's label and aliases (enterprises, organizations, places, chains,
segments, projects, programs, events, frameworks) to its id, matches a name found in an
article to a known id — exactly, after dropping legal-form suffixes, or as a short name of a
full legal name (湖南长城 ↔ 湖南长城计算机系统有限公司) — and builds the jieba tokenizer whose
user dictionary holds those names, so that a known name is cut as one word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from chainkg.ingest import rules
from chainkg.schema import MULTI_SEPARATOR

# Seed table -> candidate kind (places split into park and place by their `kind`).
TABLE_KIND = {
    "enterprises": "enterprise",
    "organizations": "organization",
    "places": "place",
    "chains": "chain",
    "segments": "segment",
    "projects": "project",
    "programs": "program",
    "events": "event",
    "frameworks": "framework",
}
KIND_TABLE = {kind: table for table, kind in TABLE_KIND.items()} | {"park": "places"}
PARK_PLACE_KINDS = ("park", "zone")
# jieba tag given to known names of each kind in the user dictionary.
KIND_TAG = {"enterprise": "nt", "organization": "nt", "place": "ns", "park": "ns"}

_STRIP = re.compile(r"[\s“”\"'《》「」『』()（）]")
_NORMAL_SUFFIXES = (
    rules.WORDS["company_legal_suffixes"]
    + rules.WORDS["company_short_suffixes"]
    + ("产业链条", "产业链", "产业集群", "产业", "项目")
)


def normalize(name: str) -> str:
    """A name without quotes, brackets, spaces and one trailing legal/kind suffix."""
    core = _STRIP.sub("", name)
    for suffix in sorted(_NORMAL_SUFFIXES, key=len, reverse=True):
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return core[: -len(suffix)]
    return core


@dataclass(frozen=True)
class KnownEntity:
    id: str
    kind: str  # candidate kind: enterprise, park, place, chain ...
    table: str
    names: tuple[str, ...]
    sources: frozenset[str]


@dataclass
class KnownIndex:
    """Known entities by name, plus the ids and relation triples already in the tables."""

    entities: dict[str, KnownEntity] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    by_normal: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    relations: dict[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    statistics: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> KnownIndex:
        index = cls()
        for table, frame in tables.items():
            if "id" in frame.columns:
                index.ids.update(frame["id"].tolist())
            kind = TABLE_KIND.get(table)
            if kind is None:
                continue
            for row in frame.to_dict("records"):
                row_kind = kind
                if table == "places" and row.get("kind") in PARK_PLACE_KINDS:
                    row_kind = "park"
                names = [row["label_zh"], *_split(row.get("aliases", ""))]
                entity = KnownEntity(
                    row["id"],
                    row_kind,
                    table,
                    tuple(n for n in names if n),
                    frozenset(_split(row.get("source", ""))),
                )
                index.entities[entity.id] = entity
                for name in entity.names:
                    index.by_name.setdefault(name, entity.id)
                    index.by_normal.setdefault(normalize(name), entity.id)
        for row in tables.get("relations", pd.DataFrame()).to_dict("records"):
            key = (row["subject"], row["predicate"], row["object"])
            index.relations[key] = frozenset(_split(row.get("source", "")))
        for row in tables.get("statistics", pd.DataFrame()).to_dict("records"):
            key = (row["subject"], row["value_text"])
            index.statistics[key] = frozenset(_split(row.get("source", "")))
        return index

    def lookup(self, name: str) -> str | None:
        """The id of a known entity with this name, alias, normalized or short/full name."""
        if name in self.by_name:
            return self.by_name[name]
        normal = normalize(name)
        if normal in self.by_normal:
            return self.by_normal[normal]
        if len(normal) < 3:
            return None
        # short name <-> full legal name: one known name's core starts with the other
        hits = {
            entity_id
            for known, entity_id in self.by_normal.items()
            if len(known) >= 3
            and known != normal
            and (known.startswith(normal) or normal.startswith(known))
            and self.entities[entity_id].kind in ("enterprise", "organization")
        }
        return hits.pop() if len(hits) == 1 else None

    def names(self) -> Iterator[tuple[str, KnownEntity]]:
        for entity in self.entities.values():
            for name in entity.names:
                yield name, entity


def _split(cell: object) -> list[str]:
    if not isinstance(cell, str) or not cell:
        return []
    return [part.strip() for part in cell.split(MULTI_SEPARATOR) if part.strip()]


@cache
def base_tokenizer():  # noqa: ANN202 - jieba has no type hints
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.initialize()
    return base, jieba.posseg.POSTokenizer(base)


def make_tokenizer(index: KnownIndex):  # noqa: ANN201 - jieba.posseg.POSTokenizer
    """A jieba POS tokenizer of its own (the global one is left alone) whose user
    dictionary holds the index's names, tagged nt (firms, organizations) or ns (places)."""
    import jieba
    import jieba.posseg

    base, base_pos = base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer = tokenizer
    pos.word_tag_tab = dict(base_pos.word_tag_tab)
    for name, entity in sorted(index.names(), key=lambda item: (item[0], item[1].id)):
        if len(name) >= 2:
            tokenizer.add_word(name, 2000, KIND_TAG.get(entity.kind, "nz"))
    return pos
