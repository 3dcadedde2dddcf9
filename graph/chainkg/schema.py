"""The seed tables' contract: which CSV files exist, their columns, types and allowed values.

This module is data, not logic: `tables.load_tables` enforces it, `assemble` maps it to RDF,
`synth` writes it, and `docs/seed-tables.md` documents it. One place to change a column.

Conventions shared by every curated table (all but `sources.csv`):
- `id` is a readable ASCII slug (`^[a-z0-9][a-z0-9-]*$`), unique across *all* tables, so a
  reference column names an id without saying which table it lives in.
- `source` lists source ids and `quote` the verbatim quotes that prove the row, several
  separated by `|` (the same count in both); each quote must be an exact substring of its
  source article.
- `assertion` is `stated` (the text says it; the default) or `curator` (a curator's judgement
  resting on the quote; `note` must then say what was judged).
- Multi-valued cells (`aliases`, `source`, `quote`) use `|` as separator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["id", "text", "int", "number", "enum", "ref", "refs", "list", "category"]

MULTI_SEPARATOR = "|"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class Column:
    """One column of a seed table."""

    name: str
    type: ColumnType = "text"
    required: bool = False
    allowed: tuple[str, ...] = ()
    # For ref columns: the tables whose ids may be referenced.
    targets: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One seed table: a CSV file named `<name>.csv` in the seeds folder."""

    name: str
    rdf_kind: str  # path segment of the IRIs minted for its rows, e.g. "enterprise"
    columns: tuple[Column, ...]
    doc: str = ""
    evidence: bool = True  # carries source/quote/assertion/note
    required_file: bool = True
    key_columns: tuple[str, ...] = field(default=("id",))

    @property
    def column_names(self) -> tuple[str, ...]:
        names = tuple(c.name for c in self.columns)
        return names + EVIDENCE_COLUMN_NAMES if self.evidence else names

    def column(self, name: str) -> Column:
        for col in self.columns + (EVIDENCE_COLUMNS if self.evidence else ()):
            if col.name == name:
                return col
        raise KeyError(name)


ASSERTION_VALUES = ("stated", "curator")

EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("source", "list", required=True, doc="source ids, `|`-separated"),
    Column("quote", "list", required=True, doc="verbatim quotes, one per source, `|`-separated"),
    Column("assertion", "enum", allowed=ASSERTION_VALUES, doc="stated (default) or curator"),
    Column("note", "text", doc="curator's note; required when assertion is curator"),
)
EVIDENCE_COLUMN_NAMES = tuple(c.name for c in EVIDENCE_COLUMNS)

ENTITY_TABLES = (
    "places",
    "organizations",
    "enterprises",
    "chains",
    "segments",
    "frameworks",
    "projects",
    "programs",
    "events",
    "sites",
    "people",
)
AGENTS = ("enterprises", "organizations")
ANY_ENTITY = ENTITY_TABLES + ("statistics",)


def _label_columns() -> tuple[Column, ...]:
    return (
        Column("id", "id", required=True),
        Column("label_zh", required=True, doc="name as printed in the articles (Chinese)"),
        Column("label_en", doc="English name"),
        Column("aliases", "list", doc="other spellings in the articles, `|`-separated"),
    )


PLACE_KINDS = ("country", "region", "province", "city", "county", "district", "zone", "park")
ORGANIZATION_KINDS = (
    "government",
    "party",
    "institute",
    "university",
    "innovation_centre",
    "platform",
    "association",
    "fund",
    "working_group",
    "media",
    "other",
)
SEGMENT_STAGES = ("upstream", "midstream", "downstream")
MEMBER_ROLES = ("leading", "featured", "main_chain", "chain", "group", "office", "member")
PROJECT_STATUSES = (
    "planned",
    "signed",
    "started",
    "under_construction",
    "in_production",
    "completed",
    "failed",
)
PROGRAM_KINDS = (
    "policy_document",
    "mechanism",
    "campaign",
    "action_plan",
    "plan",
    "strategy",
    "reform",
    "agreement",
    "designation",
    "national_program",
)
EVENT_KINDS = (
    "fair",
    "forum",
    "summit",
    "conference",
    "meeting",
    "competition",
    "ceremony",
    "training",
    "milestone",
)
SOURCE_KINDS = ("article", "reference", "registry")
MATCH_KINDS = ("exact", "close", "broad", "narrow")  # skos:exactMatch, closeMatch, ...
VALUE_QUALIFIERS = ("exact", "about", "over", "under")
STAT_FLAGS = ("implausible", "inconsistent")
RELATION_PREDICATES = (
    "supplier_of",  # subject supplies object
    "subsidiary_of",  # subject is a subsidiary / branch of object
    "spun_off_from",  # subject grew out of object (裂变)
    "leads_chain",  # subject is a leader (龙头) of chain object
    "in_chain",  # subject operates in chain object
    "operates_in_segment",  # subject operates in segment object
    "located_in",  # subject is located in place object (besides the row's located_in)
    "invests_in",  # subject invests in / holds shares of object (enterprise or project)
    "partner_of",  # subject cooperates with object
    "member_of",  # subject is a member of object (platform, alliance, framework)
    "operates",  # subject develops / runs object (a park, platform, project)
    "customer_of",  # subject buys from object (e.g. orders)
    "relocated_to",  # subject moved to place object
    "benchmark_for",  # subject (chain/place/enterprise) is cited as a model for object
    "concerns",  # subject (program/event/project) is about object (chain, segment)
    "participates_in",  # subject takes part in object (event, program)
    "signed_with",  # subject signed an agreement with object
    "headed_by",  # subject is led by object (organization)
    "created_by",  # subject (framework, program) was created by object (a document, program)
)
SITE_KINDS = (
    "base",
    "factory",
    "industrial_park",
    "branch",
    "headquarters",
    "rd_centre",
    "office",
)
POST_KINDS = ("official", "chain_chief", "expert", "entrepreneur")


def relation_property(predicate: str) -> str:
    """The ckg property a relations.csv predicate becomes: supplier_of -> supplierOf (the
    ontology defines it; tests/chainkg/test_vocab.py checks each one)."""
    head, *rest = predicate.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _ref(name: str, targets: tuple[str, ...], required: bool = False, doc: str = "") -> Column:
    return Column(name, "ref", required=required, targets=targets, doc=doc)


def _category(name: str, required: bool = False, doc: str = "") -> Column:
    return Column(
        name,
        "category",
        required=required,
        doc=doc
        or "a category path of the reference file sei2018_to_gbt4754.csv, "
        "e.g. `新能源汽车产业 > 新能源汽车整车制造` (one, two or three levels)",
    )


def _match() -> Column:
    return Column(
        "match",
        "enum",
        required=True,
        allowed=MATCH_KINDS,
        doc="skos:exactMatch, closeMatch, broadMatch (the category is broader) or narrowMatch",
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "sources",
            "source",
            (
                Column("id", "id", required=True),
                Column("file", required=True, doc="file name in seeds/articles/"),
                Column("headline", required=True),
                Column("publisher", doc="publisher where stated"),
                Column(
                    "date",
                    doc="publication date, ISO (YYYY-MM-DD or YYYY-MM or YYYY); of two registry "
                    "exports holding a credit code, the later one's row is the firm's record",
                ),
                Column("date_basis", "enum", required=True, allowed=("printed", "inferred")),
                Column("date_evidence", doc="what the date rests on"),
                Column("summary_en", required=True),
                Column(
                    "kind",
                    "enum",
                    allowed=SOURCE_KINDS,
                    doc="article (default; file in articles/), reference (a file of the "
                    "reference/ classifications) or registry (an enterprise-registry export, "
                    "file relative to the seeds folder, added by `chainkg import enterprises`)",
                ),
            ),
            doc="The evidence register: one row per article, reference standard or registry "
            "export. Quotes from a reference or registry file are checked like article quotes "
            "(verbatim in the file) and their evidence also names the file's line.",
            evidence=False,
        ),
        Table(
            "places",
            "place",
            _label_columns()
            + (
                Column("kind", "enum", required=True, allowed=PLACE_KINDS),
                _ref("part_of", ("places",), doc="enclosing place"),
                Column("description_en"),
            ),
            doc="Countries, provinces, cities, districts, zones (一区) and parks (园).",
        ),
        Table(
            "organizations",
            "organization",
            _label_columns()
            + (
                Column("kind", "enum", required=True, allowed=ORGANIZATION_KINDS),
                _ref("located_in", ("places",)),
                Column("description_en"),
            ),
            doc="Organizations that are not enterprises: government, institutes, platforms...",
        ),
        Table(
            "enterprises",
            "enterprise",
            _label_columns()
            + (
                _ref("located_in", ("places",), doc="most specific place known"),
                Column("description_en"),
                Column(
                    "listed_on",
                    doc="a listed company (上市公司): the board as printed, or 上市公司 when the "
                    "source names no board; the row's quotes must say so",
                ),
                Column(
                    "credit_code",
                    doc="统一社会信用代码 where known; registry rows with this code are matched "
                    "to this enterprise",
                ),
            ),
            doc="Enterprises, local or not; presence in the focal zone follows from located_in, "
            "sites, subsidiaries and projects (see chainkg.presence).",
        ),
        Table(
            "chains",
            "chain",
            _label_columns()
            + (
                _ref("place", ("places",), required=True, doc="whose chain: zone, city..."),
                Column("benchmark", "enum", allowed=("yes", "no"), doc="cited as a model"),
                Column("description_en"),
            ),
            doc="Industrial chains (产业链) or industries of a place.",
        ),
        Table(
            "segments",
            "segment",
            _label_columns()
            + (
                _ref("chain", ("chains",), required=True),
                Column("order", "int", required=True, doc="1 = most upstream"),
                Column("stage", "enum", required=True, allowed=SEGMENT_STAGES),
                Column("description_en"),
            ),
            doc="Links (环节) of a chain, ordered upstream to downstream.",
        ),
        Table(
            "frameworks",
            "framework",
            _label_columns()
            + (
                _ref("place", ("places",), required=True),
                Column("year", "int", required=True, doc="year adopted"),
                Column("date", doc="date as printed"),
                Column("declared_parts", "list", doc="role:count, e.g. chain:8|group:2"),
                Column("description_en"),
            ),
            doc="Dated cluster frameworks of a place, e.g. 2+2 clusters, 八链两组一室.",
        ),
        Table(
            "framework_members",
            "membership",
            (
                Column("id", "id", required=True),
                _ref("framework", ("frameworks",), required=True),
                _ref("member", ("chains",), required=True),
                Column("role", "enum", required=True, allowed=MEMBER_ROLES),
            ),
            doc="Which chains a framework names, and in what role.",
        ),
        Table(
            "projects",
            "project",
            _label_columns()
            + (
                _ref("investor", AGENTS),
                _ref("chain", ("chains",)),
                _ref("site", ("places",)),
                Column("amount_text", doc="investment as printed, e.g. 10亿元"),
                Column("amount_yuan", "number", doc="the same in yuan"),
                Column("land_mu", "number", doc="land in 亩"),
                Column("capacity_text", doc="capacity as printed"),
                Column("status", "enum", allowed=PROJECT_STATUSES),
                Column("status_date", doc="date of the status as printed"),
                Column("year", "int", doc="year of the status"),
                Column("description_en"),
            ),
            doc="Investment projects.",
        ),
        Table(
            "programs",
            "program",
            _label_columns()
            + (
                Column("kind", "enum", required=True, allowed=PROGRAM_KINDS),
                _ref("issuer", AGENTS + ("places",)),
                Column("chains", "refs", targets=("chains",), doc="chains it concerns, `|`"),
                Column("date", doc="date as printed"),
                Column("year", "int"),
                Column("description_en"),
            ),
            doc="Government programs: policy documents, mechanisms, campaigns, plans.",
        ),
        Table(
            "events",
            "event",
            _label_columns()
            + (
                Column("kind", "enum", required=True, allowed=EVENT_KINDS),
                Column("date", doc="date as printed"),
                Column("year", "int"),
                _ref("place", ("places",)),
                _ref("organizer", AGENTS + ("places",)),
                Column("chains", "refs", targets=("chains",), doc="chains it concerns, `|`"),
                Column("description_en"),
            ),
            doc="Fairs, forums, conferences, meetings and other dated events.",
        ),
        Table(
            "statistics",
            "statistic",
            (
                Column("id", "id", required=True),
                _ref("subject", ENTITY_TABLES, required=True, doc="what is measured"),
                Column("indicator_zh", required=True),
                Column("indicator_en", required=True),
                Column("value", "number", required=True, doc="the number as printed"),
                Column(
                    "value_qualifier", "enum", allowed=VALUE_QUALIFIERS, doc="余=over, 近=about"
                ),
                Column("unit", required=True, doc="unit as printed: 亿元, %, 家, 个, 亩..."),
                Column("period", doc="period as printed: 2022, 2019年上半年..."),
                Column("year", "int", doc="year the value refers to"),
                Column("value_text", required=True, doc="value with unit exactly as printed"),
                Column("flag", "enum", allowed=STAT_FLAGS),
                Column("flag_note"),
            ),
            doc="Statistics, kept as printed; implausible values are flagged, not corrected.",
        ),
        Table(
            "relations",
            "relation",
            (
                Column("id", "id", required=True),
                _ref("subject", ENTITY_TABLES, required=True),
                Column("predicate", "enum", required=True, allowed=RELATION_PREDICATES),
                _ref("object", ENTITY_TABLES, required=True),
                Column("role", doc="qualifier, e.g. 龙头 or 总链长"),
                Column("date", doc="date as printed"),
            ),
            doc="Relations between any two entities.",
        ),
        Table(
            "sites",
            "site",
            _label_columns()
            + (
                _ref("owner", AGENTS, required=True, doc="whose base, factory or branch"),
                Column("kind", "enum", required=True, allowed=SITE_KINDS),
                _ref("located_in", ("places",), required=True),
                Column("status", "enum", allowed=PROJECT_STATUSES, doc="stage as printed"),
                Column("status_date", doc="date of the status as printed"),
                Column("year", "int", doc="year of the status"),
                Column("description_en"),
            ),
            doc="Sites of an enterprise or organization (W3C ORG org:Site): bases (基地), "
            "factories (工厂), industrial parks (产业园), branches.",
            required_file=False,
        ),
        Table(
            "people",
            "person",
            _label_columns() + (Column("description_en"),),
            doc="People named in a public role (officials, chain chiefs, experts, "
            "entrepreneurs): only what the sources print.",
            required_file=False,
        ),
        Table(
            "posts",
            "post",
            (
                Column("id", "id", required=True),
                _ref("person", ("people",), required=True),
                Column("role_zh", required=True, doc="the role as printed, e.g. 党工委书记"),
                Column("role_en"),
                Column("kind", "enum", required=True, allowed=POST_KINDS),
                _ref("post_in", AGENTS + ("chains", "places"), doc="organization, chain or place"),
                Column("year", "int", doc="year the source shows the person in the role"),
                Column("date", doc="date as printed"),
            ),
            doc="Dated roles of people (党工委书记 of the zone in 2019, 链长 of a chain).",
            required_file=False,
        ),
        # Panoramas (全景图): how the data set's chains and segments sit in the reference
        # classification of strategic emerging industries (reference/, see chainkg.reference).
        Table(
            "chain_alignments",
            "chain-alignment",
            (
                Column("id", "id", required=True),
                _ref("chain", ("chains",), required=True),
                _category("category", required=True),
                _match(),
            ),
            doc="A chain aligned to a reference category (its panorama is that category's "
            "subtree); usually a curator's assertion quoting the category path from the "
            "reference file.",
            required_file=False,
        ),
        Table(
            "segment_mappings",
            "segment-mapping",
            (
                Column("id", "id", required=True),
                _ref("segment", ("segments",), required=True),
                _category("category", required=True),
                _match(),
            ),
            doc="An article-named segment placed on a reference category of its chain's panorama.",
            required_file=False,
        ),
        Table(
            "panorama_stages",
            "panorama-stage",
            (
                Column("id", "id", required=True),
                _ref("chain", ("chains",), required=True),
                _category("category", required=True),
                Column("stage", "enum", required=True, allowed=SEGMENT_STAGES),
                Column("order", "int", required=True, doc="1 = most upstream"),
            ),
            doc="The stage of a reference category in a chain's panorama: the standards give "
            "none, so this is a curator's judgement (assertion = curator, with a note).",
            required_file=False,
        ),
        Table(
            "panorama_links",
            "panorama-link",
            (
                Column("id", "id", required=True),
                _ref("chain", ("chains",), required=True),
                _category("supplier", required=True, doc="the supplying category"),
                _category("customer", required=True, doc="the category it supplies"),
            ),
            doc="A supply link between two reference categories of a chain's panorama "
            "(a curator's judgement: the standards give none).",
            required_file=False,
        ),
        Table(
            "address_rules",
            "address-rule",
            (
                Column("id", "id", required=True),
                _ref("place", ("places",), required=True, doc="the zone or park"),
                Column(
                    "keywords",
                    "list",
                    required=True,
                    doc="address keywords, `|`-separated; a registry address containing one "
                    "of them is placed in `place`",
                ),
                Column(
                    "priority", "int", doc="higher first (default 0): list parks above their zone"
                ),
                Column("note", required=True, doc="what the rule rests on"),
            ),
            doc="How registry addresses are placed in the focal zone and its parks; the rule "
            "is the evidence of each placement it makes.",
            evidence=False,
            required_file=False,
        ),
    )
}

# Tables whose rows are entities with labels (what references point at).
LABELLED_TABLES = ENTITY_TABLES
