"""The chunk mappers of the big tables (`mapping.map_chunk`: enterprises and relations a
chunk of rows at a time, evidence by `RowBuilder.evidence_chunk`) against the row rules,
written out here as pyoxigraph quads, on hand-made rows with every edge case: empty optional
cells, English labels, aliases, several sources with their quotes (twice the same source
too), curator assertions with notes, a tabular source (its line as ckg:row), places in and
out of the focal zone, text that needs escaping."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.mapping import map_chunk
from chainkg.ntriples import RowBuilder
from chainkg.tables import Seeds, load_seeds
from chainkg.vocab import CKG_IRI, PREFIXES

REPO = Path(__file__).resolve().parents[2]
RDF, RDFS, SKOS, DCT, XSD = (PREFIXES[p] for p in ("rdf", "rdfs", "skos", "dct", "xsd"))
ORG = "http://www.w3.org/ns/org#"


def N(iri: str) -> ox.NamedNode:  # noqa: N802 (a term constructor)
    return ox.NamedNode(iri)


def C(name: str) -> ox.NamedNode:  # noqa: N802
    return N(CKG_IRI + name)


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    return load_seeds(REPO / "seeds")


def _table_line(seeds: Seeds, source: str, number: int) -> str:
    return seeds.files[source].split("\n")[number - 1]


def _enterprise_rows(seeds: Seeds) -> list[dict[str, str]]:
    base = {
        "label_en": "",
        "aliases": "",
        "located_in": "",
        "description_en": "",
        "listed_on": "",
        "assertion": "",
        "note": "",
        "credit_code": "",
    }
    return [
        {**base, "id": "edge-min", "label_zh": "最小公司", "source": "hz-investment-2020"}
        | {"quote": "只有引文"},
        {
            **base,
            "id": "edge-full",
            "label_zh": '全"称\\公司',
            "label_en": "Full Co.",
            "aliases": "别名甲| 别名乙",
            "located_in": "tianxin-park",  # in the focal zone
            "description_en": "line one\nline two\r",
            "listed_on": "SSE STAR",
            "source": "hz-investment-2020|tianyuan-survey-2023",
            "quote": "第一句|第二句",
            "assertion": "curator",
            "note": 'curator\'s "reading"',
        },
        {
            **base,
            "id": "edge-tabular",
            "label_zh": "表格公司",
            "located_in": "china",  # not in the zone
            "source": "sei-2018",
            "quote": _table_line(seeds, "sei-2018", 4),
            "assertion": "stated",
        },
        {
            **base,
            "id": "edge-twice",
            "label_zh": "两次公司",
            "source": "hz-investment-2020|hz-investment-2020",
            "quote": "甲|乙",
        },
    ]


def _relation_rows() -> list[dict[str, str]]:
    base = {"role": "", "date": "", "assertion": "", "note": ""}
    return [
        {**base, "id": "edge-rel-min", "subject": "baic-group", "predicate": "leads_chain"}
        | {"object": "nev", "source": "hz-investment-2020", "quote": "龙头"},
        {**base, "id": "edge-rel-dated", "subject": "baic-group", "predicate": "in_chain"}
        | {"object": "nev", "date": "2019", "source": "hz-investment-2020", "quote": "链"},
        {
            "id": "edge-rel-full",
            "subject": "zhuzhou-hitech-group",
            "predicate": "operates_in_segment",
            "object": "nev",
            "role": "核心\n企业",
            "date": "2020年",
            "source": "tianyuan-survey-2023|hz-investment-2020",
            "quote": "一|二",
            "assertion": "curator",
            "note": "judged",
        },
    ]


def _expected(
    seeds: Seeds, table: str, rows: list[dict[str, str]], body
) -> tuple[list[ox.Quad], list[ox.Triple]]:
    """The quads and N-Triples triples the row rules give, in the order they are written."""
    b = RowBuilder(seeds)
    kind = {"enterprises": "enterprise", "relations": "relation"}[table]
    base = seeds.config.base_iri
    quads, triples = [], []
    for row in rows:
        s = N(f"{base}{kind}/{row['id']}")
        facts = body(b, base, s, row)
        mode = C({"": "StatedInText", "stated": "StatedInText"}.get(row["assertion"], ""))
        if row["assertion"] == "curator":
            mode = C("CuratorAssertion")
        row_triples = list(facts)
        pairs = zip(row["source"].split("|"), row["quote"].split("|"), strict=True)
        for n, (source, quote) in enumerate(pairs, 1):
            source, quote = source.strip(), quote.strip()
            ev = N(f"{base}evidence/{kind}.{row['id']}.{n}")
            evidence = [
                ox.Triple(s, C("evidence"), ev),
                ox.Triple(ev, N(RDF + "type"), C("Evidence")),
                ox.Triple(ev, C("supports"), s),
                ox.Triple(ev, C("quote"), ox.Literal(quote, language="zh")),
                ox.Triple(ev, C("source"), N(f"{base}source/{source}")),
                ox.Triple(ev, C("assertionMode"), mode),
            ]
            if row["note"]:
                evidence.append(ox.Triple(ev, C("curatorNote"), ox.Literal(row["note"])))
            if source in seeds.files:
                lines = seeds.files[source].split("\n")
                number = next(i for i, line in enumerate(lines, 1) if line.startswith(quote))
                integer = ox.Literal(str(number), datatype=N(XSD + "integer"))
                evidence.append(ox.Triple(ev, C("row"), integer))
            graph = N(f"{base}graph/{source}")
            quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in facts + evidence]
            row_triples += evidence
        triples += row_triples
    return quads, triples


def _enterprise_body(b: RowBuilder, base: str, s: ox.NamedNode, row: dict[str, str]):
    a, zh = N(RDF + "type"), ox.Literal(row["label_zh"], language="zh")
    out = [ox.Triple(s, a, C("Enterprise")), ox.Triple(s, a, N(ORG + "FormalOrganization"))]
    out += [ox.Triple(s, N(RDFS + "label"), zh), ox.Triple(s, N(SKOS + "prefLabel"), zh)]
    if row["label_en"]:
        en = ox.Literal(row["label_en"], language="en")
        out += [ox.Triple(s, N(RDFS + "label"), en), ox.Triple(s, N(SKOS + "prefLabel"), en)]
    for alias in filter(None, row["aliases"].split("|")):
        out.append(ox.Triple(s, N(SKOS + "altLabel"), ox.Literal(alias.strip(), language="zh")))
    out.append(ox.Triple(s, N(DCT + "identifier"), ox.Literal(row["id"])))
    if row["description_en"]:
        text = ox.Literal(row["description_en"], language="en")
        out.append(ox.Triple(s, N(DCT + "description"), text))
    place = row["located_in"]
    if place:
        kind = "place"
        out.append(ox.Triple(s, C("locatedIn"), N(f"{base}{kind}/{place}")))
    if place in b.zone_places:
        out.append(ox.Triple(s, C("zoneStage"), C("PresentProducing")))
    if row["listed_on"]:
        out.append(ox.Triple(s, C("listedOn"), ox.Literal(row["listed_on"])))
    return out


def _relation_body(b: RowBuilder, base: str, s: ox.NamedNode, row: dict[str, str]):
    kinds = {"baic-group": "enterprise", "zhuzhou-hitech-group": "enterprise", "nev": "chain"}
    subj = N(f"{base}{kinds[row['subject']]}/{row['subject']}")
    obj = N(f"{base}{kinds[row['object']]}/{row['object']}")
    first, *rest = row["predicate"].split("_")
    pred = C(first + "".join(w.capitalize() for w in rest))
    a = N(RDF + "type")
    out = [ox.Triple(subj, pred, obj), ox.Triple(s, a, C("Relation"))]
    out += [ox.Triple(s, a, N(RDF + "Statement")), ox.Triple(s, N(RDF + "subject"), subj)]
    out += [ox.Triple(s, N(RDF + "predicate"), pred), ox.Triple(s, N(RDF + "object"), obj)]
    if row["role"]:
        out.append(ox.Triple(s, C("roleText"), ox.Literal(row["role"])))
    if row["date"]:
        out.append(ox.Triple(s, C("dateText"), ox.Literal(row["date"])))
    return out


def _columns(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    return {c: [r[c] for r in rows] for c in rows[0]}


@pytest.mark.parametrize(
    ("table", "rows", "body"),
    [
        ("enterprises", _enterprise_rows, _enterprise_body),
        ("relations", lambda _seeds: _relation_rows(), _relation_body),
    ],
)
def test_a_chunk_is_its_rows_by_the_row_rules(seeds: Seeds, table, rows, body):
    rows = rows(seeds)
    quad_text, triple_text = map_chunk(RowBuilder(seeds), table, _columns(rows))
    quads = list(ox.parse(quad_text, format=ox.RdfFormat.N_QUADS))
    triples = list(ox.parse(triple_text, format=ox.RdfFormat.N_TRIPLES))
    want_quads, want_triples = _expected(seeds, table, rows, body)
    assert Counter(map(str, quads)) == Counter(map(str, want_quads))
    assert list(map(str, triples)) == list(map(str, want_triples))
    # a chunk is the rows one by one, in order (nothing carried from row to row)
    one_by_one = [map_chunk(RowBuilder(seeds), table, _columns([row])) for row in rows]
    assert quad_text == b"".join(q for q, _t in one_by_one)
    assert triple_text == b"".join(t for _q, t in one_by_one)
