"""Render the seed-table contract (`schema.TABLES`) as Markdown: `docs/seed-tables.md`.

Regenerate with `python -m chainkg.schema_docs > docs/seed-tables.md`; a test fails when the
file and the schema disagree.
"""

from __future__ import annotations

from chainkg import schema

INTRO = """# Seed tables

Generated from `graph/chainkg/schema.py` by `python -m chainkg.schema_docs`; do not edit by hand.

A seeds folder holds `dataset.toml` (id, title, base_iri, focal_zone), `articles/` (the
evidence corpus, UTF-8) and one CSV per table below (UTF-8, header row, comma-separated; quote
cells that contain commas). Only `sources.csv` is required; a missing table has no rows.

Rules shared by every curated table (all but `sources.csv`):
- `id` matches `{id_pattern}` and is unique across **all** tables, so a reference names an id
  without naming its table.
- `source` lists source ids and `quote` one verbatim quote from each, separated by `{sep}`; each
  quote must be an exact substring of its article (checked at build).
- `assertion` is `stated` (default: the text says it) or `curator` (a judgement resting on the
  quote); a curator's row needs a `note` saying what was judged.
- Multi-valued cells (`aliases`, `source`, `quote`, `refs` columns) are separated by `{sep}`.
"""


def render() -> str:
    """The Markdown text of docs/seed-tables.md."""
    out = [INTRO.format(id_pattern=schema.ID_PATTERN, sep=schema.MULTI_SEPARATOR)]
    for table in schema.TABLES.values():
        out.append(f"\n## `{table.name}.csv`\n\n{table.doc}\n")
        out.append("| column | type | required | allowed values / references | notes |")
        out.append("|---|---|---|---|---|")
        columns = table.columns + (schema.EVIDENCE_COLUMNS if table.evidence else ())
        for col in columns:
            allowed = ", ".join(col.allowed) or ", ".join(f"{t}.csv" for t in col.targets)
            required = "yes" if col.required else ""
            out.append(f"| `{col.name}` | {col.type} | {required} | {allowed} | {col.doc} |")
    out.append("\n## Relation predicates\n")
    out.append(
        "`relations.csv` `predicate` values and the ckg property each becomes: "
        + ", ".join(
            f"`{p}` (`ckg:{schema.relation_property(p)}`)" for p in schema.RELATION_PREDICATES
        )
        + ".\n"
    )
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
