"""Score `chainkg ingest` against the curated seed tables, leave one article out.

    .venv/bin/python bench/ingest_score.py [--seeds seeds] [--markdown]

For each article A of the seeds: the known-entity dictionary (and jieba's user dictionary) is
built from the rows that do NOT cite A (the other articles' tables; a row that cites A and
another article is left out too, so nothing of A's tables leaks in); the extractor runs on A;
its candidates are compared with the rows that cite A (the gold).

Matching rule (one candidate matches at most one gold row of the same kind, and vice versa):
- entities (enterprise, organization, park = places of kind park or zone, chain, segment,
  project, program, event): the candidate's name or one of its aliases equals the row's
  label_zh or one of its aliases, exactly or after `known.normalize` (quotes, brackets and
  spaces dropped, one trailing legal-form / kind suffix dropped: 股份有限公司, 有限公司, 集团,
  公司, 产业链, 产业集群, 产业, 项目 ...);
- statistic: the same value_text (value and unit as printed) and quotes that overlap in A;
- relation: the same predicate, and subject and object each match the gold row's subject and
  object entity by the entity rule above (or by id when the candidate names a known id).
Two readings of precision, both reported:
- strict: every candidate that matches no gold row of A is wrong;
- named: a candidate that matches no gold row of A but matches (by the entity rule) a curated
  row of the same kind that cites another article, whose label or an alias A prints verbatim,
  is counted right ("named elsewhere"): the article does name that entity, the curator cited
  another article for it (known names the dictionary finds in A are the typical case). Recall
  is the same in both readings (gold rows of A only). Statistics and relations have only the strict
  reading. "recall printed" is recall over the gold rows whose name A prints (the ceiling of
  any name-based extractor).
Project amounts: of the matched projects, the share whose amount_yuan equals the row's (both
empty counts as right). Precision = matched / candidates, recall = matched / gold rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "graph"))

from chainkg.ingest.extract import KINDS, Candidate, extract  # noqa: E402
from chainkg.ingest.known import KnownIndex, normalize  # noqa: E402
from chainkg.tables import Seeds, load_seeds, split_multi  # noqa: E402

KIND_TABLE = {
    "enterprise": "enterprises",
    "organization": "organizations",
    "park": "places",
    "chain": "chains",
    "segment": "segments",
    "project": "projects",
    "program": "programs",
    "event": "events",
    "statistic": "statistics",
    "relation": "relations",
}


def held_out_tables(seeds: Seeds, source: str, shared: bool = False) -> dict:
    """Every table without the rows that cite source (strict), or (shared) without the rows
    that cite only source: a row another article also cites stays in the dictionary."""
    tables = {}
    for name, frame in seeds.tables.items():
        if "source" in frame.columns and name != "sources":
            if shared:
                mask = frame["source"].map(lambda cell: set(split_multi(cell)) != {source})
            else:
                mask = frame["source"].map(lambda cell: source not in split_multi(cell))
            tables[name] = frame[mask]
        else:
            tables[name] = frame
    return tables


def gold_rows(seeds: Seeds, source: str, kind: str) -> list[dict[str, str]]:
    frame = seeds.tables[KIND_TABLE[kind]]
    rows = [r for r in frame.to_dict("records") if source in split_multi(r["source"])]
    if kind == "park":
        rows = [r for r in rows if r["kind"] in ("park", "zone")]
    return rows


def _names(row: dict[str, str]) -> set[str]:
    names = {row["label_zh"], *split_multi(row.get("aliases", ""))}
    return names | {normalize(n) for n in names}


def _candidate_names(candidate: Candidate) -> set[str]:
    names = {candidate.name, *candidate.aliases}
    return names | {normalize(n) for n in names}


def _entity_names(seeds: Seeds) -> dict[str, set[str]]:
    out = {}
    for table in (
        "enterprises",
        "organizations",
        "places",
        "chains",
        "segments",
        "projects",
        "programs",
        "events",
        "frameworks",
    ):
        for row in seeds.tables[table].to_dict("records"):
            out[row["id"]] = _names(row)
    return out


def _quote_span(text: str, quote: str) -> range:
    start = text.find(quote)
    return range(start, start + len(quote)) if start >= 0 else range(0)


def match(kind, candidates, gold, seeds, text):  # noqa: ANN001, ANN201
    """Pairs (candidate, gold row) under the matching rule, greedily in candidate order."""
    names = _entity_names(seeds)
    used: set[int] = set()
    pairs = []
    for cand in candidates:
        for i, row in enumerate(gold):
            if i in used:
                continue
            if kind == "statistic":
                quotes = split_multi(row["quote"])
                spans = [_quote_span(text, q) for q in quotes]
                cand_span = range(cand.start, cand.end)
                ok = cand.fields.get("value_text") == row["value_text"] and any(
                    set(cand_span) & set(s) or (cand.quote in q)
                    for s, q in zip(spans, quotes, strict=True)
                )
            elif kind == "relation":
                ok = (
                    cand.type == row["predicate"]
                    and _same(cand.subject, cand.fields.get("subject_id"), row["subject"], names)
                    and _same(cand.object, cand.fields.get("object_id"), row["object"], names)
                )
            else:
                ok = bool(_candidate_names(cand) & _names(row))
            if ok:
                used.add(i)
                pairs.append((cand, row))
                break
    return pairs


def _same(name: str, known_id: str | None, gold_id: str, names: dict[str, set[str]]) -> bool:
    if known_id:
        return known_id == gold_id
    return bool({name, normalize(name)} & names.get(gold_id, set()))


def printed(kind: str, row: dict[str, str], text: str) -> bool:
    """Whether the article prints the row's name (label or an alias; for a statistic its
    value, for a relation both ends' names): the rows any name-based extractor could find."""
    if kind == "statistic":
        return row["value_text"] in text
    if kind == "relation":
        return True  # counted through its ends; not meaningful for a ceiling
    return any(n and n in text for n in [row["label_zh"], *split_multi(row.get("aliases", ""))])


def named_elsewhere(kind, candidates, pairs, seeds, source, text):  # noqa: ANN001, ANN201
    """Unmatched candidates naming a curated row of this kind that cites another article
    and whose label or alias the article prints (see the module docstring)."""
    if kind in ("statistic", "relation"):
        return []
    matched = {id(c) for c, _ in pairs}
    frame = seeds.tables[KIND_TABLE[kind]]
    rows = [
        r
        for r in frame.to_dict("records")
        if source not in split_multi(r["source"])
        and printed(kind, r, text)
        and (kind != "park" or r["kind"] in ("park", "zone"))
    ]
    out = []
    for cand in candidates:
        if id(cand) in matched:
            continue
        names = _candidate_names(cand)
        if any(names & _names(r) for r in rows):
            out.append(cand)
    return out


def score(seeds_dir: Path, shared: bool = False) -> tuple[dict[str, Counter], Counter, dict]:
    seeds = load_seeds(seeds_dir)
    totals: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    amounts = Counter()
    seconds = {}
    for source, text in sorted(seeds.articles.items()):
        index = KnownIndex.from_tables(held_out_tables(seeds, source, shared))
        start = time.perf_counter()
        candidates = extract(text, source, index)
        seconds[source] = time.perf_counter() - start
        for kind in KINDS:
            cands = [c for c in candidates if c.kind == kind]
            gold = gold_rows(seeds, source, kind)
            pairs = match(kind, cands, gold, seeds, text)
            totals[kind].update(
                candidates=len(cands),
                gold=len(gold),
                matched=len(pairs),
                printed=sum(printed(kind, r, text) for r in gold),
                matched_printed=sum(printed(kind, r, text) for _, r in pairs),
                elsewhere=len(named_elsewhere(kind, cands, pairs, seeds, source, text)),
            )
            if kind == "project":
                for cand, row in pairs:
                    if row["amount_text"] and row["amount_text"] not in text:
                        amounts.update(elsewhere=1)  # printed in another article only
                        continue
                    right = (cand.fields.get("amount_yuan") or "") == (row["amount_yuan"] or "")
                    amounts.update(matched=1, right=int(right))
    return totals, amounts, seconds


def table(totals: dict[str, Counter]) -> str:
    lines = [
        "| kind | gold rows | name printed | candidates | matched | named elsewhere "
        "| precision strict | precision named | recall | recall printed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, c in totals.items():
        p = c["matched"] / c["candidates"] if c["candidates"] else 0.0
        pn = (c["matched"] + c["elsewhere"]) / c["candidates"] if c["candidates"] else 0.0
        r = c["matched"] / c["gold"] if c["gold"] else 0.0
        rp = c["matched_printed"] / c["printed"] if c["printed"] else 0.0
        strict_only = kind in ("statistic", "relation")
        shown = "" if kind == "relation" else str(c["printed"])
        lines.append(
            f"| {kind} | {c['gold']} | {shown} | {c['candidates']} | {c['matched']} | "
            f"{'' if strict_only else c['elsewhere']} | {p:.2f} | "
            f"{'' if strict_only else f'{pn:.2f}'} | {r:.2f} | "
            f"{'' if kind == 'relation' else f'{rp:.2f}'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds")
    parser.add_argument(
        "--shared",
        action="store_true",
        help="keep in the dictionary rows that another article cites too (default: strict)",
    )
    args = parser.parse_args()
    totals, amounts, seconds = score(args.seeds, args.shared)
    print(f"dictionary: {'shared' if args.shared else 'strict'}\n")
    print(table(totals))
    share = amounts["right"] / amounts["matched"] if amounts["matched"] else 0.0
    print(
        f"\nproject amounts right on {amounts['right']}/{amounts['matched']} = {share:.0%} of "
        f"matched projects ({amounts['elsewhere']} more matched whose amount is printed only "
        "in another article)"
    )
    print(
        "extraction seconds per article: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
