"""Stage 3 — assemble RDF: `assemble(seeds) -> Iterator[Quad]`.

Every IRI is minted under the data set's base IRI as `{base}{kind}/{id}`. The quads come in a
fixed order (ontology, register, then each table in schema order and each row in file order),
so the same seeds always give the same serialization without sorting.

Named graphs: the ontology in its own IRI's graph; the source register and data-set node in
`{base}graph/register`; every fact of a row in `{base}graph/{source}` for each of its sources,
next to its evidence node `{base}evidence/{kind}.{id}.{n}` (quote, source, assertion mode).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from chainkg.config import ONTOLOGY_DIR
from chainkg.schema import EVENT_KINDS, PLACE_KINDS, TABLES
from chainkg.tables import Seeds, split_multi
from chainkg.vocab import CKG, ONTOLOGY_IRI, ORG, PREFIXES, QB, VOID

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dct"]
_XSD = PREFIXES["xsd"]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


A = _n(_RDF + "type")
LABEL = _n(_RDFS + "label")
PREF_LABEL = _n(_SKOS + "prefLabel")
ALT_LABEL = _n(_SKOS + "altLabel")
IN_SCHEME = _n(_SKOS + "inScheme")
DESCRIPTION = _n(_DCT + "description")
IDENTIFIER = _n(_DCT + "identifier")
XSD_DECIMAL = _n(_XSD + "decimal")
XSD_INTEGER = _n(_XSD + "integer")
XSD_GYEAR = _n(_XSD + "gYear")
XSD_BOOLEAN = _n(_XSD + "boolean")
ONTOLOGY_FILE = ONTOLOGY_DIR / "chainkg.ttl"

PLACE_CLASSES = {k: CKG[k.capitalize()] for k in PLACE_KINDS}
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
PROGRAM_CLASSES = {
    "policy_document": CKG.PolicyDocument,
    "mechanism": CKG.Mechanism,
    "campaign": CKG.Campaign,
    "action_plan": CKG.ActionPlan,
    "plan": CKG.Plan,
    "strategy": CKG.Strategy,
    "reform": CKG.Reform,
    "agreement": CKG.Agreement,
    "designation": CKG.Designation,
    "national_program": CKG.NationalProgram,
}
EVENT_CLASSES = {k: CKG[k.capitalize()] for k in EVENT_KINDS}
ROLES = {
    "leading": CKG.LeadingRole,
    "featured": CKG.FeaturedRole,
    "main_chain": CKG.MainChainRole,
    "chain": CKG.ChainRole,
    "group": CKG.GroupRole,
    "office": CKG.OfficeRole,
    "member": CKG.MemberRole,
}
STAGES = {"upstream": CKG.Upstream, "midstream": CKG.Midstream, "downstream": CKG.Downstream}
STATUSES = {
    "planned": CKG.Planned,
    "signed": CKG.Signed,
    "started": CKG.Started,
    "under_construction": CKG.UnderConstruction,
    "in_production": CKG.InProduction,
    "completed": CKG.Completed,
    "failed": CKG.Failed,
}
QUALIFIERS = {"exact": CKG.Exact, "about": CKG.About, "over": CKG.Over, "under": CKG.Under}
FLAGS = {"implausible": CKG.Implausible, "inconsistent": CKG.Inconsistent}
ASSERTION_MODES = {"stated": CKG.StatedInText, "curator": CKG.CuratorAssertion}


def predicate_iri(snake: str) -> ox.NamedNode:
    """The ckg property for a relations.csv predicate, e.g. supplier_of -> ckg:supplierOf."""
    head, *rest = snake.split("_")
    return _n(CKG[head + "".join(part.capitalize() for part in rest)])


def source_graph(base: str, source_id: str) -> ox.NamedNode:
    """The named graph holding the facts quoted from one source."""
    return _n(f"{base}graph/{source_id}")


def register_graph(base: str) -> ox.NamedNode:
    return _n(f"{base}graph/register")


def assemble(seeds: Seeds) -> Iterator[ox.Quad]:
    """All quads of the graph: ontology, source register, then every curated row."""
    yield from ontology_quads()
    yield from _register_quads(seeds)
    builder = _RowBuilder(seeds)
    for name in TABLES:
        if name == "sources" or name not in seeds.tables:
            continue
        row_triples = _ROW_MAPPERS[name]
        for _line, row in seeds.rows(name):
            fact, triples = row_triples(builder, row)
            yield from builder.with_evidence(name, row, fact, triples)


def ontology_quads(path: Path = ONTOLOGY_FILE) -> Iterator[ox.Quad]:
    graph = _n(ONTOLOGY_IRI)
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def _register_quads(seeds: Seeds) -> Iterator[ox.Quad]:
    base = seeds.config.base_iri
    graph = register_graph(base)
    dataset = _n(f"{base}dataset")
    triples: list[Triple] = [
        (dataset, A, _n(CKG.Dataset)),
        (dataset, A, _n(VOID.Dataset)),
        (dataset, LABEL, ox.Literal(seeds.config.title)),
        (dataset, _n(_DCT + "identifier"), ox.Literal(seeds.config.id)),
        (dataset, _n(CKG.focalZone), _entity_iri(seeds, seeds.config.focal_zone)),
    ]
    for _line, row in seeds.rows("sources"):
        src = _n(f"{base}source/{row['id']}")
        triples += [
            (dataset, _n(_DCT + "source"), src),
            (src, A, _n(CKG.SourceArticle)),
            (src, _n(_DCT + "identifier"), ox.Literal(row["id"])),
            (src, _n(_DCT + "title"), ox.Literal(row["headline"], language="zh")),
            (src, LABEL, ox.Literal(row["headline"], language="zh")),
            (src, _n(CKG.fileName), ox.Literal(row["file"])),
            (src, _n(CKG.dateBasis), ox.Literal(row["date_basis"])),
            (src, DESCRIPTION, ox.Literal(row["summary_en"], language="en")),
            (src, _n(CKG.fullText), ox.Literal(seeds.articles[row["id"]], language="zh")),
        ]
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


class _RowBuilder:
    """Mints IRIs and literals for rows, and wraps a row's triples with its evidence."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.base = seeds.config.base_iri

    def entity(self, entity_id: str) -> ox.NamedNode:
        return _entity_iri(self.seeds, entity_id)

    def node(self, table: str, row_id: str) -> ox.NamedNode:
        return _n(f"{self.base}{TABLES[table].rdf_kind}/{row_id}")

    def labels(self, s: ox.NamedNode, row: dict[str, str]) -> list[Triple]:
        out: list[Triple] = [
            (s, LABEL, ox.Literal(row["label_zh"], language="zh")),
            (s, PREF_LABEL, ox.Literal(row["label_zh"], language="zh")),
        ]
        if row.get("label_en"):
            out += [
                (s, LABEL, ox.Literal(row["label_en"], language="en")),
                (s, PREF_LABEL, ox.Literal(row["label_en"], language="en")),
            ]
        out += [(s, ALT_LABEL, ox.Literal(a, language="zh")) for a in split_multi(row["aliases"])]
        out.append((s, IDENTIFIER, ox.Literal(row["id"])))  # lets queries look ids up
        if row.get("description_en"):
            out.append((s, DESCRIPTION, ox.Literal(row["description_en"], language="en")))
        return out

    def ref(self, s: ox.NamedNode, prop: str, value: str) -> list[Triple]:
        return [(s, _n(prop), self.entity(value))] if value else []

    def text(self, s: ox.NamedNode, prop: str, value: str) -> list[Triple]:
        return [(s, _n(prop), ox.Literal(value))] if value else []

    def typed(self, s: ox.NamedNode, prop: str, value: str, datatype: ox.NamedNode) -> list[Triple]:
        return [(s, _n(prop), ox.Literal(value, datatype=datatype))] if value else []

    def with_evidence(
        self, table: str, row: dict[str, str], fact: ox.NamedNode, triples: list[Triple]
    ) -> Iterator[ox.Quad]:
        kind = TABLES[table].rdf_kind
        mode = _n(ASSERTION_MODES[row.get("assertion") or "stated"])
        for n, (source, quote) in enumerate(
            zip(split_multi(row["source"]), split_multi(row["quote"]), strict=True), 1
        ):
            graph = source_graph(self.base, source)
            for s, p, o in triples:
                yield ox.Quad(s, p, o, graph)
            ev = _n(f"{self.base}evidence/{kind}.{row['id']}.{n}")
            ev_triples: list[Triple] = [
                (fact, _n(CKG.evidence), ev),
                (ev, A, _n(CKG.Evidence)),
                (ev, _n(CKG.supports), fact),
                (ev, _n(CKG.quote), ox.Literal(quote, language="zh")),
                (ev, _n(CKG.source), _n(f"{self.base}source/{source}")),
                (ev, _n(CKG.assertionMode), mode),
            ]
            if row.get("note"):
                ev_triples.append((ev, _n(CKG.curatorNote), ox.Literal(row["note"])))
            for s, p, o in ev_triples:
                yield ox.Quad(s, p, o, graph)


RowMapper = Callable[[_RowBuilder, dict[str, str]], tuple[ox.NamedNode, list[Triple]]]


def _place(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("places", row["id"])
    t = [(s, A, _n(CKG.Place)), (s, A, _n(PLACE_CLASSES[row["kind"]]))] + b.labels(s, row)
    return s, t + b.ref(s, CKG.partOf, row["part_of"])


def _organization(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("organizations", row["id"])
    cls = ORGANIZATION_CLASSES[row["kind"]]
    t = [(s, A, _n(CKG.Organization))] + ([(s, A, _n(cls))] if cls != CKG.Organization else [])
    return s, t + b.labels(s, row) + b.ref(s, CKG.locatedIn, row["located_in"])


def _enterprise(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("enterprises", row["id"])
    t = [(s, A, _n(CKG.Enterprise)), (s, A, _n(ORG.FormalOrganization))] + b.labels(s, row)
    return s, t + b.ref(s, CKG.locatedIn, row["located_in"])


def _chain(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("chains", row["id"])
    t = [(s, A, _n(CKG.IndustrialChain)), (s, A, _n(_SKOS + "ConceptScheme"))] + b.labels(s, row)
    t += b.ref(s, CKG.territory, row["place"])
    if row["benchmark"]:
        t.append(
            (
                s,
                _n(CKG.isBenchmark),
                ox.Literal("true" if row["benchmark"] == "yes" else "false", datatype=XSD_BOOLEAN),
            )
        )
    return s, t


def _segment(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("segments", row["id"])
    t = [(s, A, _n(CKG.ChainSegment)), (s, A, _n(_SKOS + "Concept"))] + b.labels(s, row)
    t += [
        (s, IN_SCHEME, b.entity(row["chain"])),
        (s, _n(CKG.order), ox.Literal(row["order"], datatype=XSD_INTEGER)),
        (s, _n(CKG.stage), _n(STAGES[row["stage"]])),
    ]
    return s, t


def _framework(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("frameworks", row["id"])
    t = [(s, A, _n(CKG.ClusterFramework))] + b.labels(s, row)
    t += b.ref(s, CKG.territory, row["place"])
    t += b.typed(s, CKG.adoptedIn, row["year"], XSD_GYEAR)
    t += b.text(s, CKG.dateText, row["date"])
    for part in split_multi(row["declared_parts"]):
        role, count = part.split(":")
        p = _n(f"{b.base}declared-part/{row['id']}.{role}")
        t += [
            (s, _n(CKG.declaredPart), p),
            (p, A, _n(CKG.DeclaredPart)),
            (p, _n(CKG.role), _n(ROLES[role])),
            (p, _n(CKG.count), ox.Literal(count, datatype=XSD_INTEGER)),
        ]
    return s, t


def _membership(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("framework_members", row["id"])
    fw, member = b.entity(row["framework"]), b.entity(row["member"])
    return s, [
        (fw, _n(CKG.hasMember), member),
        (s, A, _n(CKG.FrameworkMembership)),
        (s, _n(CKG.framework), fw),
        (s, _n(CKG.member), member),
        (s, _n(CKG.role), _n(ROLES[row["role"]])),
    ]


def _project(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("projects", row["id"])
    t = [(s, A, _n(CKG.InvestmentProject))] + b.labels(s, row)
    t += b.ref(s, CKG.investor, row["investor"]) + b.ref(s, CKG.inChain, row["chain"])
    t += b.ref(s, CKG.locatedIn, row["site"])
    t += b.text(s, CKG.amountText, row["amount_text"])
    t += b.typed(s, CKG.amountYuan, row["amount_yuan"], XSD_DECIMAL)
    t += b.typed(s, CKG.landAreaMu, row["land_mu"], XSD_DECIMAL)
    t += b.text(s, CKG.capacityText, row["capacity_text"])
    if row["status"]:
        t.append((s, _n(CKG.status), _n(STATUSES[row["status"]])))
    t += b.text(s, CKG.statusDate, row["status_date"])
    return s, t + b.typed(s, CKG.year, row["year"], XSD_GYEAR)


def _program(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("programs", row["id"])
    t = [(s, A, _n(CKG.GovernmentProgram)), (s, A, _n(PROGRAM_CLASSES[row["kind"]]))]
    t += b.labels(s, row) + b.ref(s, CKG.issuedBy, row["issuer"])
    t += [(s, _n(CKG.concerns), b.entity(c)) for c in split_multi(row["chains"])]
    t += b.text(s, CKG.dateText, row["date"])
    return s, t + b.typed(s, CKG.year, row["year"], XSD_GYEAR)


def _event(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("events", row["id"])
    t = [(s, A, _n(CKG.Event)), (s, A, _n(EVENT_CLASSES[row["kind"]]))] + b.labels(s, row)
    t += b.ref(s, CKG.locatedIn, row["place"]) + b.ref(s, CKG.organizedBy, row["organizer"])
    t += [(s, _n(CKG.concerns), b.entity(c)) for c in split_multi(row["chains"])]
    t += b.text(s, CKG.dateText, row["date"])
    return s, t + b.typed(s, CKG.year, row["year"], XSD_GYEAR)


def _statistic(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("statistics", row["id"])
    period = f" ({row['period']})" if row["period"] else ""
    t = [
        (s, A, _n(CKG.Statistic)),
        (s, A, _n(QB.Observation)),
        (s, LABEL, ox.Literal(f"{row['indicator_zh']} {row['value_text']}{period}", language="zh")),
        (s, _n(CKG.about), b.entity(row["subject"])),
        (s, _n(CKG.indicator), ox.Literal(row["indicator_zh"], language="zh")),
        (s, _n(CKG.indicator), ox.Literal(row["indicator_en"], language="en")),
        (s, _n(CKG.value), ox.Literal(row["value"], datatype=XSD_DECIMAL)),
        (s, _n(CKG.valueQualifier), _n(QUALIFIERS[row["value_qualifier"] or "exact"])),
        (s, _n(CKG.unit), ox.Literal(row["unit"])),
        (s, _n(CKG.valueText), ox.Literal(row["value_text"])),
    ]
    t += b.text(s, CKG.period, row["period"]) + b.typed(s, CKG.year, row["year"], XSD_GYEAR)
    if row["flag"]:
        t.append((s, _n(CKG.flag), _n(FLAGS[row["flag"]])))
    return s, t + b.text(s, CKG.flagNote, row["flag_note"])


def _relation(b: _RowBuilder, row: dict[str, str]) -> tuple[ox.NamedNode, list[Triple]]:
    s = b.node("relations", row["id"])
    subj, pred, obj = (
        b.entity(row["subject"]),
        predicate_iri(row["predicate"]),
        b.entity(row["object"]),
    )
    t = [
        (subj, pred, obj),
        (s, A, _n(CKG.Relation)),
        (s, A, _n(_RDF + "Statement")),
        (s, _n(_RDF + "subject"), subj),
        (s, _n(_RDF + "predicate"), pred),
        (s, _n(_RDF + "object"), obj),
    ]
    return s, t + b.text(s, CKG.roleText, row["role"]) + b.text(s, CKG.dateText, row["date"])


_ROW_MAPPERS: dict[str, RowMapper] = {
    "places": _place,
    "organizations": _organization,
    "enterprises": _enterprise,
    "chains": _chain,
    "segments": _segment,
    "frameworks": _framework,
    "framework_members": _membership,
    "projects": _project,
    "programs": _program,
    "events": _event,
    "statistics": _statistic,
    "relations": _relation,
}
assert set(_ROW_MAPPERS) == set(TABLES) - {"sources"}, "every table needs a row mapper"
