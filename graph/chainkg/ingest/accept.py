"""Merge a reviewed workbook into the seeds: `accept(review_path, seeds_dir) -> AcceptReport`.

The accepted rows are added to a copy of the seeds folder: a new entity becomes a row of its
table; a known one (`known_id`) gets the article and quote appended to its `source` and
`quote`. The article is copied to `articles/` and registered in `sources.csv`. The copy is
then built by the normal pipeline (loader, quote check, SHACL); only if that succeeds are the
changed files moved into the seeds folder (each written to a temporary name, then renamed).
On any error the seeds stay as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chainkg.errors import SeedError, SeedProblem
from chainkg.ingest.review import read_review
from chainkg.pipeline import build
from chainkg.schema import MULTI_SEPARATOR, TABLES
from chainkg.tables import ARTICLES_DIR, load_seeds


@dataclass
class AcceptReport:
    added: dict[str, int] = field(default_factory=dict)  # table -> new rows
    evidence_added: dict[str, int] = field(default_factory=dict)  # table -> known rows
    articles: list[str] = field(default_factory=list)  # files copied into articles/
    files: list[Path] = field(default_factory=list)  # seed files changed


def accept(review_path: Path | str, seeds_dir: Path | str) -> AcceptReport:
    """Merge the accepted rows; raise SeedError / ValidationFailed and change nothing on error."""
    review_path, seeds_dir = Path(review_path), Path(seeds_dir)
    review = read_review(review_path)
    seeds = load_seeds(seeds_dir)  # the tables as they are, validated
    report = AcceptReport()
    with tempfile.TemporaryDirectory(prefix=".accept-", dir=seeds_dir.parent) as tmp:
        work = Path(tmp) / "seeds"
        shutil.copytree(seeds_dir, work, symlinks=False)
        tables = {name: frame.copy() for name, frame in seeds.tables.items()}
        changed: set[str] = set()
        new_articles = _register_sources(review, tables, work, report)
        if new_articles:
            changed.add("sources")
        for table, rows in review.accepted.items():
            frame = tables.get(table, pd.DataFrame(columns=TABLES[table].column_names))
            columns = list(TABLES[table].column_names)
            new_rows = []
            for row in rows:
                known = row.get("known_id", "")
                if known and known in set(frame["id"]):
                    _append_evidence(frame, known, row)
                    report.evidence_added[table] = report.evidence_added.get(table, 0) + 1
                else:
                    new_rows.append({c: row.get(c, "") for c in columns})
            if new_rows:
                frame = pd.concat(
                    [frame, pd.DataFrame(new_rows, columns=columns)], ignore_index=True
                )
                report.added[table] = len(new_rows)
            tables[table] = frame
            changed.add(table)
        _check_references(review, tables)
        for table in sorted(changed):
            tables[table].to_csv(work / f"{table}.csv", index=False, lineterminator="\n")
        build(work, Path(tmp) / "out")  # SeedError / ValidationFailed: nothing is moved
        for name in new_articles:
            _replace(work / ARTICLES_DIR / name, seeds_dir / ARTICLES_DIR / name)
        for table in sorted(changed):
            _replace(work / f"{table}.csv", seeds_dir / f"{table}.csv")
            report.files.append(seeds_dir / f"{table}.csv")
    return report


def _register_sources(review, tables, work: Path, report: AcceptReport) -> list[str]:  # noqa: ANN001
    """Copy each new article into work/articles and add its sources.csv row."""
    sources = tables["sources"]
    used = {row.get("source", "") for rows in review.accepted.values() for row in rows}
    names = []
    for row in review.sources:
        if row.get("registered") == "yes" or row["id"] not in used:
            continue
        article = Path(row["path"])
        if not article.is_absolute():
            article = review.path.parent / article
        text = _article_text(review.path, article, row)
        if row["id"] in set(sources["id"]):
            raise SeedError(
                [
                    SeedProblem(
                        f"{review.path} sheet sources",
                        None,
                        "id",
                        f"source id '{row['id']}' is already registered",
                        "Run chainkg ingest again on the article",
                    )
                ]
            )
        target = work / ARTICLES_DIR / row["file"]
        target.write_text(text, encoding="utf-8")
        sources = pd.concat(
            [sources, pd.DataFrame([{c: row.get(c, "") for c in TABLES["sources"].column_names}])],
            ignore_index=True,
        )
        names.append(row["file"])
        report.articles.append(row["file"])
    tables["sources"] = sources
    return names


def _article_text(review_path: Path, article: Path, row: dict[str, str]) -> str:
    from chainkg.ingest.read import read_article

    text = read_article(article).text
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != row.get("sha256"):
        raise SeedError(
            [
                SeedProblem(
                    f"{review_path} sheet sources",
                    None,
                    "sha256",
                    f"the article {article} changed since it was ingested",
                    "Run chainkg ingest again on it and review the new candidates",
                )
            ]
        )
    return text


def _check_references(review, tables: dict[str, pd.DataFrame]) -> None:  # noqa: ANN001
    """Every id an accepted row refers to exists (maybe as another accepted row): else a
    problem naming the review sheet, line and column, before anything is built."""
    ids = {i for frame in tables.values() if "id" in frame.columns for i in frame["id"]}
    problems = []
    for table, rows in review.accepted.items():
        for row in rows:
            for column in TABLES[table].columns:
                if column.type not in ("ref", "refs"):
                    continue
                for value in filter(None, row.get(column.name, "").split(MULTI_SEPARATOR)):
                    if value not in ids:
                        problems.append(
                            SeedProblem(
                                row["_where"],
                                None,
                                column.name,
                                f"'{value}' is neither in the seed tables nor an accepted row",
                                "Accept the candidate with that id too, or clear the cell",
                            )
                        )
    if problems:
        raise SeedError(problems)


def _append_evidence(frame: pd.DataFrame, entity_id: str, row: dict[str, str]) -> None:
    at = frame.index[frame["id"] == entity_id][0]
    sources = [s for s in frame.at[at, "source"].split(MULTI_SEPARATOR) if s]
    quotes = [q for q in frame.at[at, "quote"].split(MULTI_SEPARATOR) if q]
    if (row["source"], row["quote"]) in zip(sources, quotes, strict=False):
        return
    frame.at[at, "source"] = MULTI_SEPARATOR.join([*sources, row["source"]])
    frame.at[at, "quote"] = MULTI_SEPARATOR.join([*quotes, row["quote"]])


def _replace(source: Path, target: Path) -> None:
    """Copy source over target through a temporary file in target's folder."""
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
