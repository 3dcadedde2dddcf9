"""Stage 2 — check every quote against its article: `check_evidence(seeds) -> None`.

Each curated row names its sources and a verbatim quote from each; a quote that is not an
exact substring of its article, or a source that is not registered, is a SeedError.
"""

from __future__ import annotations

from chainkg.errors import SeedError, SeedProblem
from chainkg.schema import TABLES
from chainkg.tables import FIRST_DATA_LINE, Seeds, split_multi

CONTEXT_CHARS = 12


def check_evidence(seeds: Seeds) -> int:
    """Raise SeedError for every unknown source or quote not found; return quotes checked."""
    problems: list[SeedProblem] = []
    checked = 0
    kinds = seeds.source_kinds
    for name, table in TABLES.items():
        if not table.evidence or name not in seeds.tables:
            continue
        path = str(seeds.root / f"{name}.csv")
        frame = seeds.tables[name]
        # the two columns only: a whole-row dict per row (Seeds.rows) doubled the stage
        cells = zip(frame["source"].tolist(), frame["quote"].tolist(), strict=True)
        for line, (sources, quotes) in enumerate(cells, FIRST_DATA_LINE):
            for source, quote in zip(split_multi(sources), split_multi(quotes), strict=False):
                text = seeds.source_text(source)
                if text is None:
                    problems.append(
                        SeedProblem(
                            path,
                            line,
                            "source",
                            f"unknown source '{source}'",
                            f"Use an id from sources.csv: {', '.join(sorted(seeds.source_kinds))}",
                        )
                    )
                elif not quote:
                    problems.append(
                        SeedProblem(
                            path, line, "quote", "is empty", "Copy the words that prove the row"
                        )
                    )
                elif quote not in text:
                    problems.append(
                        SeedProblem(
                            path,
                            line,
                            "quote",
                            f"'{quote}' is not in {kinds.get(source, 'article')} '{source}'",
                            "Copy the quote character for character from the article "
                            f"({seeds.config.id}: seeds/articles/); check punctuation "
                            "(',' vs '，') and spaces",
                        )
                    )
                checked += 1
    if problems:
        raise SeedError(problems)
    return checked


def quote_context(text: str, quote: str, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after) around the first occurrence of quote in text."""
    start = text.find(quote)
    if start < 0:
        return "", quote, ""
    end = start + len(quote)
    return text[max(0, start - chars) : start], quote, text[end : end + chars]
