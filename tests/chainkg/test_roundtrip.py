"""Table -> graph -> query -> table: generated seed tables (any labels, any relations between
their enterprises) are loaded, checked, assembled and queried back, and the answer is the
table again. Property-based, on temporary seeds folders."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkg.assemble import assemble
from chainkg.evidence import check_evidence
from chainkg.queries import run_query
from chainkg.store import store_from_quads
from chainkg.tables import load_seeds
from tests.helpers import write_csv

ENTERPRISE_PREDICATES = ("supplier_of", "subsidiary_of", "partner_of", "customer_of", "invests_in")
# A label is any printable text without the multi-value separator `|` (a format rule of the
# seed tables) and without white space at its ends (the loader strips cells).
LABEL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="|"),
    min_size=1,
    max_size=12,
)


@st.composite
def seed_tables(draw: st.DrawFn) -> dict:
    labels = draw(st.lists(LABEL, min_size=1, max_size=6, unique=True))
    ids = [f"e{i}" for i in range(len(labels))]
    pairs = st.tuples(
        st.sampled_from(ids), st.sampled_from(ENTERPRISE_PREDICATES), st.sampled_from(ids)
    )
    relations = draw(st.lists(pairs, max_size=8, unique=True))
    return {"labels": dict(zip(ids, labels, strict=True)), "relations": relations}


def write_seeds(folder: Path, tables: dict) -> None:
    """A valid seeds folder: one article holding a sentence per row, each row quoting its own."""
    sentences = {eid: f"{label}落户示范区。" for eid, label in tables["labels"].items()}
    for n, (s, p, o) in enumerate(tables["relations"]):
        sentences[f"r{n}"] = f"第{n}条：{tables['labels'][s]}与{tables['labels'][o]}（{p}）。"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "a1.txt").write_text("".join(sentences.values()), encoding="utf-8")
    (folder / "dataset.toml").write_text(
        'id = "gen"\ntitle = "Generated"\nbase_iri = "https://example.org/gen/"\n'
        'focal_zone = "zone"\n',
        encoding="utf-8",
    )
    write_csv(
        folder / "sources.csv",
        ["id", "file", "headline", "publisher", "date", "date_basis", "date_evidence",
         "summary_en"],
        [{"id": "a1", "file": "a1.txt", "headline": "生成", "publisher": "", "date": "2024",
          "date_basis": "printed", "date_evidence": "", "summary_en": "Generated."}],
    )  # fmt: skip
    common = {"aliases": "", "description_en": "", "source": "a1", "assertion": "", "note": ""}
    zone_quote = next(iter(sentences.values()))
    write_csv(
        folder / "places.csv",
        ["id", "label_zh", "label_en", "aliases", "kind", "part_of", "description_en",
         "source", "quote", "assertion", "note"],
        [{**common, "id": "zone", "label_zh": "示范区", "label_en": "", "kind": "zone",
          "part_of": "", "quote": zone_quote}],
    )  # fmt: skip
    write_csv(
        folder / "enterprises.csv",
        ["id", "label_zh", "label_en", "aliases", "located_in", "description_en", "source",
         "quote", "assertion", "note"],
        [{**common, "id": eid, "label_zh": label, "label_en": "", "located_in": "zone",
          "quote": sentences[eid]} for eid, label in tables["labels"].items()],
    )  # fmt: skip
    write_csv(
        folder / "relations.csv",
        ["id", "subject", "predicate", "object", "role", "date", "source", "quote",
         "assertion", "note"],
        [{"id": f"r{n}", "subject": s, "predicate": p, "object": o, "role": "", "date": "",
          "source": "a1", "quote": sentences[f"r{n}"], "assertion": "", "note": ""}
         for n, (s, p, o) in enumerate(tables["relations"])],
    )  # fmt: skip


LABELS = """
SELECT ?id ?label WHERE {
  ?e a ckg:Enterprise ; dct:identifier ?id ; rdfs:label ?label .
  FILTER(LANG(?label) = "zh")
}"""
RELATIONS = """
SELECT ?s ?p ?o WHERE {
  ?r a ckg:Relation ; rdf:subject ?sn ; rdf:predicate ?p ; rdf:object ?on .
  ?sn dct:identifier ?s . ?on dct:identifier ?o .
  ?sn ?p ?on .
}"""


def snake(iri: str) -> str:
    """ckg:supplierOf -> supplier_of."""
    name = iri.rsplit("#", 1)[1]
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed_tables())
def test_tables_come_back_from_the_graph(tables: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seeds"
        write_seeds(folder, tables)
        seeds = load_seeds(folder)
        assert check_evidence(seeds) == 1 + len(tables["labels"]) + len(tables["relations"])
        store: ox.Store = store_from_quads(assemble(seeds))
    labels = {row[0]: row[1] for row in run_query(store, LABELS).rows}
    assert labels == tables["labels"]
    relations = {(s, snake(p), o) for s, p, o in run_query(store, RELATIONS).rows}
    assert relations == set(tables["relations"])
