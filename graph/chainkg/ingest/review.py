"""Write the review files and read a reviewed workbook back.

`write_review(proposal, out_dir, formats)` writes `review.xlsx` (one sheet per kind in its
seed table's columns, with `decision` — accept / reject / edit — `confidence` and
`known_id` in front, and a `sources` sheet), `review.html` (each candidate beside its quote,
the name highlighted in the article) and/or `candidates.json` (one JSON list). Each file is
written to a temporary name, then renamed. `read_review(path) -> Review` reads a workbook.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from chainkg.errors import SeedError, SeedProblem
from chainkg.ingest.extract import KINDS
from chainkg.ingest.known import KIND_TABLE
from chainkg.ingest.propose import Proposal
from chainkg.schema import TABLES

FORMATS = ("xlsx", "html", "json")
DECISIONS = ("accept", "reject", "edit")
ACCEPTING = ("accept", "edit")
META_COLUMNS = ("decision", "confidence", "known_id")
SOURCE_COLUMNS = TABLES["sources"].column_names + ("registered", "path", "sha256")


def table_of(kind: str) -> str:
    return "places" if kind == "park" else KIND_TABLE.get(kind, kind + "s")


def write_review(
    proposal: Proposal, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write the review files for the proposal into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    writers: dict[str, tuple[str, Callable[[Proposal, Path], None]]] = {
        "xlsx": ("review.xlsx", _write_xlsx),
        "html": ("review.html", _write_html),
        "json": ("candidates.json", _write_json),
    }
    for fmt in formats:
        name, writer = writers[fmt]
        target = out_dir / name
        handle, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        os.close(handle)
        try:
            writer(proposal, Path(tmp))
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    return written


def _write_json(proposal: Proposal, path: Path) -> None:
    items = [c.as_json() for c in proposal.candidates]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_xlsx(proposal: Proposal, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    known_fill = PatternFill("solid", fgColor="E8F0FE")
    sources = book.create_sheet("sources")
    sources.append(SOURCE_COLUMNS)
    for row in proposal.sources:
        sources.append([row.get(c, "") for c in SOURCE_COLUMNS])
    for kind in KINDS:
        pairs = [
            (c, r)
            for c, r in zip(proposal.candidates, proposal.rows, strict=True)
            if c.kind == kind
        ]
        sheet = book.create_sheet(kind)
        columns = META_COLUMNS + TABLES[table_of(kind)].column_names
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = bold
        choice = DataValidation(type="list", formula1=f'"{",".join(DECISIONS)}"', allow_blank=True)
        sheet.add_data_validation(choice)
        for candidate, row in pairs:
            values = ["", round(candidate.confidence, 2), candidate.known_id or ""]
            values += [row.get(c, "") for c in columns[len(META_COLUMNS) :]]
            sheet.append(values)
            choice.add(f"A{sheet.max_row}")
            if candidate.known_id:
                for cell in sheet[sheet.max_row]:
                    cell.fill = known_fill
        sheet.freeze_panes = "B2"
    book.save(path)


@dataclass
class Review:
    """A reviewed workbook: the sources and, per seed table, the accepted rows."""

    path: Path
    sources: list[dict[str, str]]
    accepted: dict[str, list[dict[str, str]]]  # seed table -> rows (known_id kept in rows)


def read_review(path: Path | str) -> Review:
    """The accepted rows of a reviewed workbook; SeedError naming sheet, row and column."""
    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several kinds on a bad file
        raise SeedError(
            [
                SeedProblem(
                    str(path),
                    None,
                    None,
                    f"cannot be read as XLSX ({exc})",
                    "Pass the review.xlsx that chainkg ingest wrote",
                )
            ]
        ) from exc
    if "sources" not in book.sheetnames:
        raise SeedError(
            [
                SeedProblem(
                    str(path),
                    None,
                    "sources",
                    "sheet missing",
                    "Pass the review.xlsx that chainkg ingest wrote",
                )
            ]
        )
    sources = _records(book["sources"])
    problems: list[SeedProblem] = []
    accepted: dict[str, list[dict[str, str]]] = {}
    for kind in KINDS:
        if kind not in book.sheetnames:
            continue
        for line, row in enumerate(_records(book[kind]), 2):
            decision = row.get("decision", "").strip().lower()
            if decision not in DECISIONS + ("",):
                problems.append(
                    SeedProblem(
                        f"{path} sheet {kind}",
                        line,
                        "decision",
                        f"'{decision}' is not a decision",
                        "Write accept, reject or edit (or leave empty)",
                    )
                )
            elif decision in ACCEPTING:
                row["_where"] = f"{path} sheet {kind}, line {line}"
                accepted.setdefault(table_of(kind), []).append(row)
    book.close()
    if problems:
        raise SeedError(problems)
    return Review(path, sources, accepted)


def _records(sheet) -> list[dict[str, str]]:  # noqa: ANN001 - openpyxl worksheet
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows, ()) if h is not None]
    out = []
    for values in rows:
        cells = ["" if v is None else _text(v) for v in values[: len(header)]]
        if any(cells):
            out.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return out


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>chainkg ingest — review</title>
<style>
body {{ font-family: sans-serif; margin: 0; display: grid; grid-template-columns: 1fr 1fr;
  height: 100vh; }}
section {{ overflow: auto; padding: 1em; }}
.article {{ white-space: pre-wrap; line-height: 1.7; border-left: 1px solid #ccc; }}
mark {{ background: #ffe58a; }} mark.known {{ background: #cfe2ff; }}
mark:target {{ outline: 3px solid #d33; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px; vertical-align: top; text-align: left; }}
.kind {{ color: #555; }} .quote b {{ background: #ffe58a; font-weight: normal; }}
</style></head><body>
<section><h1>Candidates ({n})</h1>
<p>Yellow: new; blue: known (id given). Decide in review.xlsx (accept / reject / edit), then
run <code>chainkg accept review.xlsx</code>.</p>
<table><thead><tr><th>kind</th><th>name</th><th>id</th><th>conf.</th><th>quote</th></tr></thead>
<tbody>{rows}</tbody></table></section>
<section class="article">{articles}</section>
</body></html>
"""


def _write_html(proposal: Proposal, path: Path) -> None:
    marks: dict[str, list[tuple[int, int, str, bool]]] = {}
    for n, c in enumerate(proposal.candidates):
        marks.setdefault(c.source, []).append((c.start, c.end, f"m{n}", bool(c.known_id)))
    # Overlapping spans are drawn once; the others link to the mark that covers them.
    target: dict[str, str] = {}
    parts = []
    for article, source in zip(proposal.articles, proposal.sources, strict=True):
        text, out, at, last = article.text, [], 0, ""
        for start, end, anchor, known in sorted(marks.get(source["id"], [])):
            if start < at:
                target[anchor] = last
                continue
            css = ' class="known"' if known else ""
            out.append(html.escape(text[at:start]))
            out.append(f'<mark id="{anchor}"{css}>{html.escape(text[start:end])}</mark>')
            at, last = end, anchor
            target[anchor] = anchor
        out.append(html.escape(text[at:]))
        parts.append(f"<h2>{html.escape(source['id'])}</h2>{''.join(out)}")
    rows = []
    for n, c in enumerate(proposal.candidates):
        at = c.quote.find(c.name)
        quote = (
            html.escape(c.quote)
            if at < 0
            else html.escape(c.quote[:at])
            + f"<b>{html.escape(c.name)}</b>"
            + html.escape(c.quote[at + len(c.name) :])
        )
        rows.append(
            f'<tr data-kind="{c.kind}"><td class="kind">{c.kind}</td>'
            f'<td class="name"><a href="#{target.get(f"m{n}", f"m{n}")}">'
            f"{html.escape(c.name)}</a></td>"
            f"<td>{html.escape(c.id)}{' (known)' if c.known_id else ''}</td>"
            f'<td>{c.confidence:.2f}</td><td class="quote">{quote}</td></tr>'
        )
    path.write_text(
        _PAGE.format(n=len(rows), rows="\n".join(rows), articles="".join(parts)),
        encoding="utf-8",
    )
