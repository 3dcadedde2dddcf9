"""Candidates of several articles as seed rows: `propose(paths, seeds_dir) -> Proposal`.

Reads each article, registers it as a source (or finds it already registered: the same
text), extracts candidates, drops what the tables already hold from that article (so a second
run on an accepted article proposes nothing), gives every candidate an id (a known entity's
own, or a pinyin slug, unique across tables) and writes each as a row of its seed table,
references (investor, subject, object, chain) turned into ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from chainkg.config import load_config
from chainkg.ingest.extract import Candidate, extract
from chainkg.ingest.known import KIND_TABLE, KnownIndex
from chainkg.ingest.read import Article, read_article
from chainkg.ingest.slug import unique_slug
from chainkg.schema import TABLES
from chainkg.tables import load_seeds

SUMMARY_TODO = "Ingested with chainkg ingest; summary to be written by the reviewer."


@dataclass
class Proposal:
    """What ingest proposes: the sources to register and the candidates as seed rows."""

    articles: list[Article]
    sources: list[dict[str, str]]  # rows of sources.csv (registered=yes when already there)
    candidates: list[Candidate]
    rows: list[dict[str, str]] = field(default_factory=list)  # one per candidate, same order

    def counts(self) -> Counter[str]:
        return Counter(c.kind for c in self.candidates)


def propose(paths: list[Path], seeds_dir: Path) -> Proposal:
    """Read, extract and turn into rows; raise SeedError on a bad article or seeds folder."""
    articles = [read_article(p) for p in paths]  # every file checked before any work
    seeds = load_seeds(seeds_dir)
    index = KnownIndex.from_tables(seeds.tables)
    registered = {
        hashlib.sha256(text.encode("utf-8")).hexdigest(): source
        for source, text in seeds.articles.items()
    }
    taken = set(index.ids)
    files = set(seeds.tables["sources"]["file"].tolist())
    proposal = Proposal(articles, [], [])
    for article in articles:
        source_id = registered.get(article.sha256)
        if source_id is None:
            source_id = unique_slug(article.path.stem, taken, prefix="article")
            proposal.sources.append(_source_row(article, source_id, files))
        else:
            row = seeds.tables["sources"].set_index("id").loc[source_id].to_dict()
            proposal.sources.append({"id": source_id, **row, "registered": "yes"})
        candidates = [
            c
            for c in extract(article.text, source_id, index)
            if not _already_there(c, index, source_id)
        ]
        proposal.candidates += candidates
    default_place = load_config(seeds_dir).focal_zone
    _assign_ids(proposal.candidates, index, taken)
    by_name = {c.name: c.id for c in proposal.candidates if c.kind != "relation"}
    by_name |= {a: c.id for c in proposal.candidates for a in c.aliases}
    proposal.rows = [_row(c, by_name, index, default_place) for c in proposal.candidates]
    # relations whose ends are not entities (no id) cannot be rows
    keep = [
        i
        for i, row in enumerate(proposal.rows)
        if all(row.get(k, "x") for k in ("subject", "object"))
    ]
    proposal.candidates = [proposal.candidates[i] for i in keep]
    proposal.rows = [proposal.rows[i] for i in keep]
    return proposal


def _source_row(article: Article, source_id: str, files: set[str]) -> dict[str, str]:
    n = len(files)
    name = f"{n:03d}_{article.sha256[:16]}.txt"
    while name in files:
        n += 1
        name = f"{n:03d}_{article.sha256[:16]}.txt"
    files.add(name)
    import re

    date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", article.text[:400])
    iso = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else ""
    return {
        "id": source_id,
        "file": name,
        "headline": article.headline,
        "publisher": "",
        "date": iso,
        "date_basis": "printed" if date else "inferred",
        "date_evidence": f"Dateline {date.group()}." if date else "No date printed; to be set.",
        "summary_en": SUMMARY_TODO,
        "registered": "no",
        "path": str(article.path.resolve()),
        "sha256": article.sha256,
    }


def _already_there(candidate: Candidate, index: KnownIndex, source: str) -> bool:
    """Whether the tables already hold this fact from this source."""
    if candidate.kind == "relation":
        key = (
            candidate.fields.get("subject_id", ""),
            candidate.type,
            candidate.fields.get("object_id", ""),
        )
        return source in index.relations.get(key, frozenset())
    if candidate.kind == "statistic":
        key = (candidate.fields.get("subject", ""), candidate.fields.get("value_text", ""))
        return source in index.statistics.get(key, frozenset())
    if candidate.known_id:
        return source in index.entities[candidate.known_id].sources
    return False


def _assign_ids(candidates: list[Candidate], index: KnownIndex, taken: set[str]) -> None:
    for c in candidates:
        if c.kind in ("relation", "statistic"):
            continue
        c.id = c.known_id or unique_slug(c.name, taken)
    names = {c.name: c.id for c in candidates if c.id}
    names |= {a: c.id for c in candidates if c.id for a in c.aliases}
    for c in candidates:
        if c.kind == "relation":
            s = c.fields.get("subject_id") or names.get(c.subject, "")
            o = c.fields.get("object_id") or names.get(c.object, "")
            c.id = _unique(f"{s}--{c.type.replace('_', '-')}--{o}", taken) if s and o else ""
        elif c.kind == "statistic":
            subject = c.fields.get("subject", "")
            subject = subject if subject in index.ids else names.get(subject, "")
            c.id = unique_slug(
                c.fields.get("indicator_zh", "") + c.fields.get("value_text", ""),
                taken,
                prefix=subject[:30] or "stat",
            )


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _ref(value: str, by_name: dict[str, str], index: KnownIndex) -> str:
    if not value or value in index.ids:
        return value
    return by_name.get(value, "")


def _row(c: Candidate, by_name: dict[str, str], index: KnownIndex, place: str) -> dict[str, str]:
    table = TABLES[KIND_TABLE.get(c.kind, c.kind + "s")] if c.kind != "park" else TABLES["places"]
    row = dict.fromkeys(table.column_names, "")
    row |= {k: v for k, v in c.fields.items() if k in row}
    row |= {"id": c.id, "source": c.source, "quote": c.quote}
    if "label_zh" in row:
        row["label_zh"] = c.name
        row["aliases"] = "|".join(c.aliases)
    if c.kind == "relation":
        row |= {
            "subject": c.fields.get("subject_id") or by_name.get(c.subject, ""),
            "predicate": c.type,
            "object": c.fields.get("object_id") or by_name.get(c.object, ""),
        }
    elif c.kind == "statistic":
        row["subject"] = _ref(c.fields.get("subject", ""), by_name, index)
        row["indicator_en"] = row["indicator_en"] or f"(to translate) {row['indicator_zh']}"
    elif c.kind == "project":
        row["investor"] = _ref(row["investor"], by_name, index)
    elif c.kind == "segment":
        row["chain"] = _ref(row["chain"], by_name, index)
    elif c.kind == "chain":
        row["place"] = place
    elif c.kind == "organization":
        row["kind"] = row["kind"] or "other"
    elif c.kind == "park":
        row["kind"] = row["kind"] or "park"
    elif c.kind in ("program", "event"):
        row["kind"] = row["kind"] or ("policy_document" if c.kind == "program" else "meeting")
    return row
