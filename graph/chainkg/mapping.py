"""The row mapping: seed tables -> N-Quads text, written once for both build paths.

Every IRI is minted under the data set's base IRI as `{base}{kind}/{id}`. The quads come in a
fixed order (ontology, register, then each table in schema order and each row in file order),
so the same seeds always give the same serialization without sorting.

Named graphs: the ontology in its own IRI's graph; the source register and data-set node in
`{base}graph/register`; every fact of a row in `{base}graph/{source}` for each of its sources,
next to its evidence node `{base}evidence/{kind}.{id}.{n}` (quote, source, assertion mode).

The mapping writes text, not pyoxigraph objects: at ~20M quads creating those objects costs
~9 µs a quad, f-strings ~1 µs. The small path (`assemble.assemble`) parses this text into an
in-memory store; the large path (`stream`) writes it to files and bulk-loads them. One mapping,
two destinations.

The tables are mapped a chunk of CHUNK_ROWS rows at a time (`map_chunk`), as UTF-8 bytes. The
big ones (enterprises, relations) by chunk mappers over the chunk's column lists; the others
row by row through a dict. At a million rows the per-row dicts and calls, and joins of str
rows that CJK text makes wide, cost about half the assembly's CPU (BENCHMARKS.md).

Hand-written N-Quads escaping (not a library call) because pyoxigraph would need a Literal
object per value, which is the cost this module avoids; the escapes are the ECHAR set of the
N-Quads grammar that can occur in CSV text: backslash, double quote, newline, carriage return.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from chainkg.config import ONTOLOGY_DIR, package_resource
from chainkg.mapping_panorama import reference_and_registry_chunks
from chainkg.ntriples import (  # the text terms the mappers write, and the row builder
    _DCT,
    _ENTERPRISE_TYPES,
    _RDF,
    _RDFS,
    _SKOS,
    _XSD,
    ASSERTION_MODES,
    CHUNK_ROWS,
    DECIMAL,
    GYEAR,
    INTEGER,
    LABEL,
    PIECE_ROWS,
    A,
    Columns,
    K,
    Line,
    RowBuilder,
    RowText,
    _c,
    _types,
    iri,
    lit,
    row_text,
)
from chainkg.presence import BUILDING, PRODUCING, SIGNED, zone_presence
from chainkg.schema import (
    EVENT_KINDS,
    MATCH_KINDS,
    MEMBER_ROLES,
    PLACE_KINDS,
    PROGRAM_KINDS,
    PROJECT_STATUSES,
    TABLES,
    relation_property,
)
from chainkg.tables import Seeds, split_multi
from chainkg.vocab import CKG, ONTOLOGY_IRI, ORG, QB, SCHEMA, VOID

ONTOLOGY_FILE = ONTOLOGY_DIR / "chainkg.ttl"


Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _terms(values: tuple[str, ...], suffix: str = "") -> dict[str, str]:
    """Enum values -> the ckg terms named after them, e.g. under_construction ->
    ckg:UnderConstruction (an unknown term fails here, at import)."""
    return {v: CKG["".join(w.capitalize() for w in v.split("_")) + suffix] for v in values}


PLACE_CLASSES = _terms(PLACE_KINDS)
ORGANIZATION_CLASSES = {
    "government": CKG.GovernmentBody,
    "party": CKG.PartyCommittee,
    "institute": CKG.ResearchInstitute,
    "university": CKG.University,
    "innovation_centre": CKG.InnovationCentre,
    "platform": CKG.Platform,
    "association": CKG.Association,
    "fund": CKG.Fund,
    "working_group": CKG.WorkingGroup,
    "media": CKG.MediaOrganization,
    "other": CKG.Organization,
}
PROGRAM_CLASSES = _terms(PROGRAM_KINDS)
EVENT_CLASSES = _terms(EVENT_KINDS)
ROLES = _terms(MEMBER_ROLES, "Role")
STATUSES = _terms(PROJECT_STATUSES)
STAGES = {"upstream": CKG.Upstream, "midstream": CKG.Midstream, "downstream": CKG.Downstream}
QUALIFIERS = {"exact": CKG.Exact, "about": CKG.About, "over": CKG.Over, "under": CKG.Under}
FLAGS = {"implausible": CKG.Implausible, "inconsistent": CKG.Inconsistent}
SOURCE_CLASSES = {
    "article": CKG.SourceArticle,
    "reference": CKG.ReferenceStandard,
    "registry": CKG.RegistryExport,
}
MATCHES = {k: _SKOS + f"{k}Match" for k in MATCH_KINDS}
# The term each value of an enum column becomes, by `table.column` ("assertion": the evidence
# columns of every table; "derived" is the mode of registry placements, which no table writes).
# Enum columns absent here are kept as plain literals (LITERAL_ENUMS).
ENUM_TERMS: dict[str, dict[str, str]] = {
    "places.kind": PLACE_CLASSES,
    "organizations.kind": ORGANIZATION_CLASSES,
    "programs.kind": PROGRAM_CLASSES,
    "events.kind": EVENT_CLASSES,
    "framework_members.role": ROLES,
    **dict.fromkeys(("segments.stage", "panorama_stages.stage"), STAGES),
    **dict.fromkeys(("projects.status", "sites.status"), STATUSES),
    "statistics.value_qualifier": QUALIFIERS,
    "statistics.flag": FLAGS,
    "sources.kind": SOURCE_CLASSES,
    "assertion": {k: v for k, v in ASSERTION_MODES.items() if k != "derived"},
    **dict.fromkeys(("chain_alignments.match", "segment_mappings.match"), MATCHES),
}
LITERAL_ENUMS = frozenset({"sources.date_basis", "chains.benchmark", "sites.kind", "posts.kind"})


def predicate_iri(snake: str) -> ox.NamedNode:
    """The ckg property for a relations.csv predicate, e.g. supplier_of -> ckg:supplierOf."""
    return _n(CKG[relation_property(snake)])


def source_graph(base: str, source_id: str) -> ox.NamedNode:
    """The named graph holding the facts quoted from one source."""
    return _n(f"{base}graph/{source_id}")


def register_graph(base: str) -> ox.NamedNode:
    return _n(f"{base}graph/register")


def ontology_quads(path: Path = ONTOLOGY_FILE) -> Iterator[ox.Quad]:
    graph = _n(ONTOLOGY_IRI)
    path = package_resource(path, "The ontology file")
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)


@functools.cache
def ontology_label(term: str) -> str:
    """The Chinese label of a ckg ontology term (e.g. 'PresentProducing' -> 在产)."""
    return _ontology_labels()[str(CKG) + term]


@functools.cache
def _ontology_labels() -> dict[str, str]:
    label = _n(_RDFS + "label")
    return {
        q.subject.value: q.object.value
        for q in ontology_quads()
        if q.predicate == label and getattr(q.object, "language", None) == "zh"
    }


def register_quads(seeds: Seeds) -> Iterator[ox.Quad]:
    """The data-set node and the source register, in `{base}graph/register`."""
    base = seeds.config.base_iri
    a, label = _n(_RDF + "type"), _n(_RDFS + "label")
    graph = register_graph(base)
    dataset = _n(f"{base}dataset")
    triples: list[Triple] = [
        (dataset, a, _n(CKG.Dataset)),
        (dataset, a, _n(VOID.Dataset)),
        (dataset, label, ox.Literal(seeds.config.title)),
        (dataset, _n(_DCT + "identifier"), ox.Literal(seeds.config.id)),
        (dataset, _n(CKG.focalZone), _entity_iri(seeds, seeds.config.focal_zone)),
    ]
    for _line, row in seeds.rows("sources"):
        src = _n(f"{base}source/{row['id']}")
        kind = row.get("kind") or "article"
        triples += [
            (dataset, _n(_DCT + "source"), src),
            (src, a, _n(SOURCE_CLASSES[kind])),
            (src, a, _n(CKG.Source)),
            (src, _n(_DCT + "identifier"), ox.Literal(row["id"])),
            (src, _n(_DCT + "title"), ox.Literal(row["headline"], language="zh")),
            (src, label, ox.Literal(row["headline"], language="zh")),
            (src, _n(CKG.fileName), ox.Literal(row["file"])),
            (src, _n(CKG.dateBasis), ox.Literal(row["date_basis"])),
            (src, _n(_DCT + "description"), ox.Literal(row["summary_en"], language="en")),
        ]
        if kind == "article":
            text = seeds.articles[row["id"]]
            triples.append((src, _n(CKG.fullText), ox.Literal(text, language="zh")))
        if row["publisher"]:
            triples.append((src, _n(_DCT + "publisher"), ox.Literal(row["publisher"])))
        if row["date"]:
            triples.append((src, _n(_DCT + "date"), _date_literal(row["date"])))
        if row["date_evidence"]:
            triples.append((src, _n(CKG.dateEvidence), ox.Literal(row["date_evidence"])))
    for s, p, o in triples:
        yield ox.Quad(s, p, o, graph)


def _date_literal(iso: str) -> ox.Literal:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(iso)]
    return ox.Literal(iso, datatype=_n(_XSD + kind))


def _entity_iri(seeds: Seeds, entity_id: str) -> ox.NamedNode:
    return _n(f"{seeds.config.base_iri}{seeds.kind_of(entity_id)}/{entity_id}")


# Shape constraints this module's mappers make true for every row that passed `load_seeds`
# and `check_evidence`, whatever the rows hold (so checking them over 20M triples would only
# re-check the code): the streaming build leaves them to the pyshacl sample, which still runs
# them on up to 50 nodes per class, and `pipeline.build(full_shacl=True)` /
# `chainkg build --full-shacl` checks them over the whole store. Constraints that data can
# break (references to entities of the wrong class, a second locatedIn from a relation row,
# value ranges, years) are not listed and are checked over the whole store.
#   - Every Evidence node is `<evidence/{kind}.{row id}.{n}>`, made once by `with_evidence`
#     for the n-th source/quote pair of one row (ids are unique per table): exactly one
#     ckg:supports, ckg:quote (a non-empty "@zh" literal: empty quotes are refused by
#     check_evidence), ckg:source (a registered source: unknown ones are refused) and
#     ckg:assertionMode (from the `assertion` enum); a curator note whenever the mode is a
#     curator assertion (the loader requires `note` then).
#   - ckg:evidence on any class: every fact of a row gets one Evidence node per source, and
#     `source` is a required column; only rows' facts carry ckg:evidence.
#   - rdfs:label: `labels()` writes the required `label_zh` cell as a "@zh" literal (a
#     statistic's label is built from required cells); labels come from nowhere else.
#   - rdf:subject / rdf:predicate / rdf:object of a Relation: one IRI each, from the row's
#     required, resolved `subject`, `predicate` (enum) and `object` cells.
#   - Every Placement node is `<placement/{source}.{row}.{n}>`, written once by
#     `mapping_panorama._registry` for the n-th placement of one registry row (rows are
#     unique per source): exactly one ckg:placedEntity (the row's firm: the enterprises row
#     it matched, or its new firm typed ckg:Enterprise), ckg:placedIn (the target), ckg:rule
#     and ckg:reason. At 1M registry rows these checks were ~20 of the validation's 32 CPU-s.
#   - The datatypes of a registry row's fields: `mapping_panorama._registry_fields` alone
#     writes ckg:creditCode (a plain string), ckg:foundedOn (an xsd:date from a parsed date)
#     and ckg:registeredCapitalYuan (an xsd:decimal from a Decimal), each with its fixed
#     datatype (how many a firm has is data's, and still checked). At 1M registry rows,
#     each value decoded: 5.1 + 1.6 + 1.2 of the validation's 12 CPU-s.
ASSEMBLY_GUARANTEES: tuple[
    tuple[str | None, str | None] | tuple[str | None, str | None, str], ...
] = (
    (str(CKG.Evidence), None),
    (None, str(CKG.evidence)),
    (None, _RDFS + "label"),
    (str(CKG.Relation), _RDF + "subject"),
    (str(CKG.Relation), _RDF + "predicate"),
    (str(CKG.Relation), _RDF + "object"),
    (str(CKG.Placement), None),
    (str(CKG.Enterprise), str(CKG.creditCode), "datatype"),
    (str(CKG.Enterprise), str(CKG.foundedOn), "datatype"),
    (str(CKG.Enterprise), str(CKG.registeredCapitalYuan), "datatype"),
)


TextMapper = Callable[[RowBuilder, dict[str, str]], tuple[str, list[Line]]]
# A table's mapping over a chunk of rows: (each row's node, each row's triples as RowText),
# from the chunk's cells by column. The big tables (enterprises, relations: ~1M rows
# each at province scale) are mapped this way, once per chunk instead of once per row, each
# row's text by one f-string (not a list of lines joined later).
ChunkMapper = Callable[[RowBuilder, Columns], tuple[list[str], list[RowText]]]


def assemble_text(
    seeds: Seeds, on_rows: Callable[[int], None] | None = None, part: tuple[int, int] = (0, 1)
) -> Iterator[tuple[bytes, bytes]]:
    """The graph's quads as (N-Quads, N-Triples) UTF-8 chunks.

    N-Quads keep `assemble`'s order (no dedupe); N-Triples hold the same triples without
    graph names (a row's triples once however many sources it has; the store de-duplicates
    the rest). `on_rows(k)` is called after every chunk of k rows (for progress bars).
    `part=(i, n)`: only chunks i, i+n, i+2n, ... (see `assemble_chunks`).
    """
    return ((quads, triples) for _chunk, quads, triples in assemble_chunks(seeds, on_rows, part))


def assemble_chunks(
    seeds: Seeds, on_rows: Callable[[int], None] | None = None, part: tuple[int, int] = (0, 1)
) -> Iterator[tuple[int, bytes, bytes]]:
    """`assemble_text`'s pieces with the number of the chunk each belongs to (0, 1, 2, ...;
    a chunk's pieces in a row): chunk 0 is the ontology and the source register, then
    CHUNK_ROWS rows of a table each, the zone presence, the reference and registry chunks.
    `part=(i, n)` yields only chunks i, i+n, i+2n, ..., for `write_text`'s workers."""
    index, parts = part
    if index == 0:
        yield (0, *_head_text(seeds))
    builder = RowBuilder(seeds)
    chunk = 0
    for name in TABLES:
        if not TABLES[name].evidence or name not in seeds.tables:
            continue  # sources: the register; address_rules: with the registry rows
        frame = seeds.tables[name]
        # plain column lists: pandas' to_dict("records") boxes every cell (~4x slower)
        cells = {str(c): frame[c].tolist() for c in frame.columns}
        for start in range(0, len(frame), CHUNK_ROWS):
            chunk += 1
            if chunk % parts != index:
                continue
            for piece in range(start, min(start + CHUNK_ROWS, len(frame)), PIECE_ROWS):
                columns = {c: values[piece : piece + PIECE_ROWS] for c, values in cells.items()}
                yield (chunk, *map_chunk(builder, name, columns))
                if on_rows:
                    on_rows(len(columns["id"]))
    chunk += 1
    if chunk % parts == index:
        yield (chunk, *presence_text(seeds, builder))
    # the reference panoramas, the registry rows and the GB/T codes (chainkg.mapping_panorama)
    for produce in reference_and_registry_chunks(builder):
        chunk += 1
        if chunk % parts == index:
            for piece in produce():
                yield (chunk, *piece)


def _head_text(seeds: Seeds) -> tuple[bytes, bytes]:
    """The ontology and the source register as (N-Quads, N-Triples): each graph serialized
    once, as N-Triples, and its N-Quads made by naming the graph at each line's end (no
    literal holds a raw newline, so " .\\n" ends lines only): the register holds every
    article's full text, and a second serialization of it cost ~0.5 s at 1M enterprises."""
    nquads: list[bytes] = []
    ntriples: list[bytes] = []
    for graph, quads in (
        (ONTOLOGY_IRI, ontology_quads()),
        (register_graph(seeds.config.base_iri).value, register_quads(seeds)),
    ):
        text = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        ntriples.append(text)
        nquads.append(text.replace(b" .\n", f" <{graph}> .\n".encode()))
    return b"".join(nquads), b"".join(ntriples)


def map_chunk(builder: RowBuilder, table: str, columns: Columns) -> tuple[bytes, bytes]:
    """The (N-Quads, N-Triples) UTF-8 text of a chunk of rows of `table`, given by column."""
    mapper = _CHUNK_MAPPERS.get(table) or _row_by_row(_MAPPERS[table])
    return builder.evidence_chunk(table, columns, *mapper(builder, columns))


def _row_by_row(mapper: TextMapper) -> ChunkMapper:
    """A row mapper as a chunk mapper: one dict per row."""

    def chunk(b: RowBuilder, columns: Columns) -> tuple[list[str], list[RowText]]:
        facts: list[str] = []
        bodies: list[RowText] = []
        names = list(columns)
        for values in zip(*columns.values(), strict=True):
            fact, lines = mapper(b, dict(zip(names, values, strict=True)))
            facts.append(fact)
            bodies.append(row_text(lines))
        return facts, bodies

    return chunk


def assemble_nquads(seeds: Seeds, on_rows: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The graph's quads as N-Quads UTF-8 chunks (same order, no dedupe)."""
    return (nquads for nquads, _ntriples in assemble_text(seeds, on_rows))


def _place(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("places", row, K.Place, _c(PLACE_CLASSES[row["kind"]]))
    return s, t + b.ref(s, K.partOf, row["part_of"])


def _organization(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    cls = _c(ORGANIZATION_CLASSES[row["kind"]])
    s, t = b.labelled("organizations", row, *dict.fromkeys((K.Organization, cls)))
    t += b.ref(s, K.locatedIn, row["located_in"])
    return s, t + b.in_zone(s, row["located_in"])


def _enterprises(b: RowBuilder, c: Columns) -> tuple[list[str], list[RowText]]:
    """Enterprises: types, labels, place (and zone stage when in the zone), listing."""
    nodes = b.nodes("enterprises", c["id"])
    zone, entity = b.zone_places, b.entity
    enterprise, organization = _ENTERPRISE_TYPES
    bodies = []
    for s, labels, place, listed in zip(
        nodes,
        b.label_texts(nodes, c),
        c["located_in"],
        c.get("listed_on") or [""] * len(nodes),
        strict=True,
    ):
        text = f"{s} {A} {enterprise}\n{s} {A} {organization}\n{labels}"
        if place:
            text += f"{s} {K.locatedIn} {entity(place)}\n"
        if place in zone:
            text += f"{s} {K.zoneStage} {K.PresentProducing}\n"
        if listed:
            text += f"{s} {K.listedOn} {lit(listed)}\n"
        bodies.append(text)
    return nodes, bodies


_BOOLEAN = _XSD + "boolean"


def _chain(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("chains", row, K.IndustrialChain, iri(_SKOS + "ConceptScheme"))
    t += b.ref(s, K.territory, row["place"])
    if row["benchmark"]:
        value = "true" if row["benchmark"] == "yes" else "false"
        t.append(f"{s} {K.isBenchmark} {lit(value, datatype=_BOOLEAN)}")
    return s, t


def _segment(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("segments", row, K.ChainSegment, iri(_SKOS + "Concept"))
    t += [
        f"{s} {iri(_SKOS + 'inScheme')} {b.entity(row['chain'])}",
        f"{s} {K.order} {lit(row['order'], datatype=INTEGER)}",
        f"{s} {K.stage} {_c(STAGES[row['stage']])}",
    ]
    return s, t


def _framework(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("frameworks", row, K.ClusterFramework)
    t += b.ref(s, K.territory, row["place"])
    t += b.typed(s, K.adoptedIn, row["year"], GYEAR)
    t += b.text(s, K.dateText, row["date"])
    for part in split_multi(row["declared_parts"]):
        role, count = part.split(":")
        p = iri(f"{b.base}declared-part/{row['id']}.{role}")
        t += [
            f"{s} {K.declaredPart} {p}",
            f"{p} {A} {K.DeclaredPart}",
            f"{p} {K.role} {_c(ROLES[role])}",
            f"{p} {K.count} {lit(count, datatype=INTEGER)}",
        ]
    return s, t


def _membership(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("framework_members", row["id"])
    fw, member = b.entity(row["framework"]), b.entity(row["member"])
    return s, [
        f"{fw} {K.hasMember} {member}",
        f"{s} {A} {K.FrameworkMembership}",
        f"{s} {K.framework} {fw}",
        f"{s} {K.member} {member}",
        f"{s} {K.role} {_c(ROLES[row['role']])}",
    ]


def _project(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("projects", row, K.InvestmentProject)
    t += b.ref(s, K.investor, row["investor"]) + b.ref(s, K.inChain, row["chain"])
    t += b.ref(s, K.locatedIn, row["site"])
    t += b.text(s, K.amountText, row["amount_text"])
    t += b.typed(s, K.amountYuan, row["amount_yuan"], DECIMAL)
    t += b.typed(s, K.landAreaMu, row["land_mu"], DECIMAL)
    t += b.text(s, K.capacityText, row["capacity_text"])
    return s, t + _status(b, s, row)


def _status(b: RowBuilder, s: str, row: dict[str, str]) -> list[Line]:
    """A project's or site's status, the date of that status, and its year."""
    t = [f"{s} {K.status} {_c(STATUSES[row['status']])}"] if row["status"] else []
    return t + b.text(s, K.statusDate, row["status_date"]) + _year(b, s, row)


def _year(b: RowBuilder, s: str, row: dict[str, str]) -> list[Line]:
    return b.typed(s, K.year, row["year"], GYEAR)


def _dated(b: RowBuilder, s: str, row: dict[str, str]) -> list[Line]:
    """The date as printed, then the year."""
    return b.text(s, K.dateText, row["date"]) + _year(b, s, row)


def _concerning(b: RowBuilder, s: str, row: dict[str, str]) -> list[Line]:
    """The chains a program or event concerns, then its date and year."""
    t = [f"{s} {K.concerns} {b.entity(c)}" for c in split_multi(row["chains"])]
    return t + _dated(b, s, row)


def _program(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("programs", row, K.GovernmentProgram, _c(PROGRAM_CLASSES[row["kind"]]))
    t += b.ref(s, K.issuedBy, row["issuer"])
    return s, t + _concerning(b, s, row)


def _event(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("events", row, K.Event, _c(EVENT_CLASSES[row["kind"]]))
    t += b.ref(s, K.locatedIn, row["place"]) + b.ref(s, K.organizedBy, row["organizer"])
    return s, t + _concerning(b, s, row)


_STATISTIC_TYPES = (K.Statistic, _c(QB.Observation))


def _statistic(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("statistics", row["id"])
    period = f" ({row['period']})" if row["period"] else ""
    qualifier = _c(QUALIFIERS[row["value_qualifier"] or "exact"])
    label = lit(f"{row['indicator_zh']} {row['value_text']}{period}", "zh")
    t = _types(s, *_STATISTIC_TYPES) + [
        f"{s} {LABEL} {label}",
        f"{s} {K.about} {b.entity(row['subject'])}",
        f"{s} {K.indicator} {lit(row['indicator_zh'], 'zh')}",
        f"{s} {K.indicator} {lit(row['indicator_en'], 'en')}",
        f"{s} {K.value} {lit(row['value'], datatype=DECIMAL)}",
        f"{s} {K.valueQualifier} {qualifier}",
        f"{s} {K.unit} {lit(row['unit'])}",
        f"{s} {K.valueText} {lit(row['value_text'])}",
    ]
    t += b.text(s, K.period, row["period"]) + _year(b, s, row)
    if row["flag"]:
        t.append(f"{s} {K.flag} {_c(FLAGS[row['flag']])}")
    return s, t + b.text(s, K.flagNote, row["flag_note"])


_RELATION_TYPES = (K.Relation, iri(_RDF + "Statement"))
_RDF_SPO = (iri(_RDF + "subject"), iri(_RDF + "predicate"), iri(_RDF + "object"))


@functools.cache
def _predicate(name: str) -> str:
    return _c(predicate_iri(name).value)


def _relations(b: RowBuilder, c: Columns) -> tuple[list[str], list[RowText]]:
    """Relations: the direct triple, then the row as an rdf:Statement (ckg:Relation) with its
    subject, predicate and object, role and date."""
    nodes = b.nodes("relations", c["id"])
    rdf_s, rdf_p, rdf_o = _RDF_SPO
    relation, statement = _RELATION_TYPES
    entity = b.entity
    bodies = []
    for s, subject, predicate, obj, role, date in zip(
        nodes, c["subject"], c["predicate"], c["object"], c["role"], c["date"], strict=True
    ):
        subj, pred, obj = entity(subject), _predicate(predicate), entity(obj)
        text = (
            f"{subj} {pred} {obj}\n{s} {A} {relation}\n{s} {A} {statement}\n"
            f"{s} {rdf_s} {subj}\n{s} {rdf_p} {pred}\n{s} {rdf_o} {obj}\n"
        )
        if role:
            text += f"{s} {K.roleText} {lit(role)}\n"
        if date:
            text += f"{s} {K.dateText} {lit(date)}\n"
        bodies.append(text)
    return nodes, bodies


def _site(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = b.labelled("sites", row, K.Site, _c(ORG.Site))
    owner = b.entity(row["owner"])
    t += [f"{owner} {_c(ORG.hasSite)} {s}", f"{s} {_c(ORG.siteOf)} {owner}"]
    t += b.ref(s, K.locatedIn, row["located_in"]) + b.text(s, K.siteKind, row["kind"])
    return s, t + _status(b, s, row)


def _person(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    return b.labelled("people", row, K.Person, _c(SCHEMA.Person))


def _post(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s = b.node("posts", row["id"])
    person = b.entity(row["person"])
    role_zh = lit(row["role_zh"], "zh")
    t = _types(s, K.Post, _c(ORG.Membership)) + [
        f"{s} {K.holder} {person}",
        f"{s} {_c(ORG.member)} {person}",
        f"{s} {K.roleText} {role_zh}",
        f"{s} {LABEL} {role_zh}",
        f"{s} {K.postKind} {lit(row['kind'])}",
    ]
    if row["role_en"]:
        t.append(f"{s} {LABEL} {lit(row['role_en'], 'en')}")
    return s, t + b.ref(s, K.postIn, row["post_in"]) + _dated(b, s, row)


_STAGES = {PRODUCING: K.PresentProducing, BUILDING: K.PresentBuilding, SIGNED: K.PresentSigned}


def presence_text(seeds: Seeds, builder: RowBuilder) -> tuple[bytes, bytes]:
    """The derived presences (see chainkg.presence) as (N-Quads, N-Triples) text: for each
    actor present in the zone other than by its own location, `ckg:zoneStage` and one
    `ckg:ZonePresence` node, with the quotes of the row it rests on as evidence."""
    nquads: list[bytes] = []
    ntriples: list[bytes] = []
    presences = zone_presence(seeds, builder.zone_places)
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for table in sorted({b.table for b in presences.values()}):
        frame = seeds.tables[table]
        wanted = frame[frame["id"].isin({b.row_id for b in presences.values() if b.table == table})]
        rows.update({(table, r["id"]): r for r in wanted.to_dict("records")})
    for actor, basis in presences.items():
        row = dict(rows[(basis.table, basis.row_id)])
        row["id"] = f"{basis.row_id}.presence"
        agent, stage = builder.entity(actor), _STAGES[basis.stage]
        s = iri(f"{builder.base}presence/{actor}")
        body = _types(s, K.ZonePresence) + [
            f"{s} {K.presenceOf} {agent}",
            f"{s} {K.inZone} {builder.zone}",
            f"{s} {K.presenceStage} {stage}",
            f"{s} {K.presenceVia} {builder.entity(basis.via)}",
            f"{agent} {K.zoneStage} {stage}",
        ]
        quad_text, triple_text = builder.with_evidence(basis.table, row, s, body)
        nquads.append(quad_text)
        ntriples.append(triple_text)
    return b"".join(nquads), b"".join(ntriples)


def _match(b: RowBuilder, row: dict[str, str], table: str, cls: str, subject: str):
    s = b.node(table, row["id"])
    target, cat = b.entity(row[subject]), b.category(row["category"])
    return s, [
        f"{target} {iri(MATCHES[row['match']])} {cat}",
        f"{s} {A} {cls}",
        f"{s} {K.aligned} {target}",
        f"{s} {K.category} {cat}",
        f"{s} {K.matchKind} {iri(MATCHES[row['match']])}",
    ]


def _chain_alignment(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    return _match(b, row, "chain_alignments", K.ChainAlignment, "chain")


def _segment_mapping(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    return _match(b, row, "segment_mappings", K.SegmentMapping, "segment")


def _in_panorama(b: RowBuilder, row: dict[str, str], table: str, cls: str) -> tuple[str, list]:
    """A curated statement about a chain's panorama: its node, class and chain."""
    s = b.node(table, row["id"])
    return s, [f"{s} {A} {cls}", f"{s} {K.chain} {b.entity(row['chain'])}"]


def _panorama_stage(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = _in_panorama(b, row, "panorama_stages", K.PanoramaStage)
    return s, t + [
        f"{s} {K.category} {b.category(row['category'])}",
        f"{s} {K.stage} {_c(STAGES[row['stage']])}",
        f"{s} {K.order} {lit(row['order'], datatype=INTEGER)}",
    ]


def _panorama_link(b: RowBuilder, row: dict[str, str]) -> tuple[str, list[Line]]:
    s, t = _in_panorama(b, row, "panorama_links", K.PanoramaLink)
    return s, t + [
        f"{s} {K.supplierCategory} {b.category(row['supplier'])}",
        f"{s} {K.customerCategory} {b.category(row['customer'])}",
    ]


_MAPPERS: dict[str, TextMapper] = {
    "places": _place,
    "organizations": _organization,
    "chains": _chain,
    "segments": _segment,
    "frameworks": _framework,
    "framework_members": _membership,
    "projects": _project,
    "programs": _program,
    "events": _event,
    "statistics": _statistic,
    "sites": _site,
    "people": _person,
    "posts": _post,
    "chain_alignments": _chain_alignment,
    "segment_mappings": _segment_mapping,
    "panorama_stages": _panorama_stage,
    "panorama_links": _panorama_link,
}
_CHUNK_MAPPERS: dict[str, ChunkMapper] = {"enterprises": _enterprises, "relations": _relations}
assert set(_MAPPERS) | set(_CHUNK_MAPPERS) == {n for n, t in TABLES.items() if t.evidence}, (
    "every table needs a mapper"
)
