"""The name index's rows straight from the seed tables: `seed_name_rows(seeds)`.

The build writes `names.sqlite` (`chainkg.search.build_index`) from these rows on both paths,
without querying the store: every row of an entity table gives its IRI (`{base}{rdf_kind}/{id}`,
as the row mapping mints it), its Chinese label (`label_zh`), English label (`label`), aliases
(`alias`) and id (`id`), once per ckg class the mapping gives it; registry rows that match no
enterprise give the new enterprise's name and `uscc-…` id, and every registry row the names
of the rows of earlier exports it supersedes (`registry.latest_rows`), as aliases.

Not indexed (they have no name of their own in the tables, or come from the packaged reference
data): statistics, posts, sources, the data-set node, reference panorama categories and GB/T
industry codes. `chainkg query entity-search` and parameter resolution fall back to SPARQL for
a name the index does not know.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from chainkg.mapping import (
    EVENT_CLASSES,
    ORGANIZATION_CLASSES,
    PLACE_CLASSES,
    PROGRAM_CLASSES,
    ontology_quads,
)
from chainkg.presence import former_aliases, registry_firm
from chainkg.tables import Seeds, split_multi
from chainkg.vocab import CKG, CKG_IRI, PREFIXES

Row = tuple[str, str, str, str]  # iri, name, kind (label_zh, label, alias, id), class name


def _name(term: object) -> str:
    return str(term)[len(CKG_IRI) :]


def _by_kind(classes: dict[str, object], base: str) -> dict[str, tuple[str, ...]]:
    return {k: tuple(dict.fromkeys((base, _name(v)))) for k, v in classes.items()}


# The ckg classes the row mapping gives each table's rows (by `kind` where it has one).
_TABLE_CLASSES: dict[str, tuple[str, ...] | dict[str, tuple[str, ...]]] = {
    "places": _by_kind(PLACE_CLASSES, "Place"),
    "organizations": _by_kind(ORGANIZATION_CLASSES, "Organization"),
    "enterprises": ("Enterprise",),
    "chains": ("IndustrialChain",),
    "segments": ("ChainSegment",),
    "frameworks": ("ClusterFramework",),
    "projects": ("InvestmentProject",),
    "programs": _by_kind(PROGRAM_CLASSES, "GovernmentProgram"),
    "events": _by_kind(EVENT_CLASSES, "Event"),
    "sites": ("Site",),
    "people": ("Person",),
}
assert _name(CKG.Enterprise) == "Enterprise"


def seed_name_rows(seeds: Seeds) -> Iterator[Row]:
    """(iri, name, kind, class name) for every label, alias and id the row mapping writes for
    the entity tables and the new enterprises of registry rows (see the module docstring)."""
    from chainkg.schema import TABLES

    base = seeds.config.base_iri
    for table, classes in _TABLE_CLASSES.items():
        frame = seeds.tables.get(table)
        if frame is None or not len(frame):
            continue
        prefix = f"{base}{TABLES[table].rdf_kind}/"
        columns = {
            c: frame[c].tolist() if c in frame.columns else [""] * len(frame)
            for c in ("id", "label_zh", "label_en", "aliases", "kind")
        }
        for row_id, zh, en, aliases, kind in zip(*columns.values(), strict=True):
            iri = prefix + row_id
            names = [(zh, "label_zh"), (row_id, "id")]
            if en:
                names.append((en, "label"))
            names += [(a, "alias") for a in split_multi(aliases)]
            for cls in classes[kind] if isinstance(classes, dict) else classes:
                for name, name_kind in names:
                    yield iri, name, name_kind, cls
    yield from _registry_rows(seeds)


def _registry_rows(seeds: Seeds) -> Iterator[Row]:
    prefix = f"{seeds.config.base_iri}enterprise/"
    for source, registry_file in sorted(seeds.registry.items()):
        for rec in registry_file.records:
            firm = prefix + registry_firm(seeds, source, rec)
            if (source, rec.row) not in seeds.registry_matches:  # (else the table's names)
                row_id = "uscc-" + rec.credit_code.lower()
                yield firm, rec.name, "label_zh", "Enterprise"
                yield firm, row_id, "id", "Enterprise"
            for then in former_aliases(seeds, source, rec):
                yield firm, then.name, "alias", "Enterprise"


def indexed_classes() -> set[str]:
    """The classes `seed_name_rows` covers (class names, without the ckg namespace)."""
    out: set[str] = set()
    for classes in _TABLE_CLASSES.values():
        for value in classes.values() if isinstance(classes, dict) else [classes]:
            out.update(value)
    return out


def other_name_rows(store: ox.Store) -> Iterator[Row]:
    """The names of everything else: entities of the ontology's other ckg classes (reference
    categories, industry codes, statistics, posts, sources, the ontology's own individuals),
    found class by class through the store's type index, never by scanning every name."""
    owl_class = ox.NamedNode(PREFIXES["owl"] + "Class")
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    skipped = indexed_classes() | set(_NOT_NAMED) | set(_UNNAMED)
    classes = sorted(
        {
            q.subject.value
            for q in ontology_quads()
            if q.predicate == rdf_type
            and q.object == owl_class
            and q.subject.value.startswith(CKG_IRI)
            and _name(q.subject.value) not in skipped
        }
    )
    values = " ".join(f"<{c}>" for c in classes)
    query = _OTHER_NAMES % values
    for s in store.query(query):
        name = s["name"]
        kind = s["kind"].value
        if kind == "label" and getattr(name, "language", None) == "zh":
            kind = "label_zh"
        yield (s["e"].value, name.value, kind, _name(s["type"].value))


_NOT_NAMED = ("Evidence", "Relation", "SourceArticle")  # as `chainkg.search.name_rows`
# Classes whose nodes the row mapping writes without a label, alias or id: asking for their
# names would only visit each node (a 1M-row registry data set's ~1.7M placements: ~15 CPU-s
# of the build). A test checks that the index still holds every name the store has.
_UNNAMED = ("Placement", "ZonePresence", "RegistryChange", "NewFirmListing", "FieldChange")
_OTHER_NAMES = f"""
SELECT ?e ?name ?kind ?type WHERE {{
  VALUES ?type {{ %s }}
  ?e a ?type .
  {{ ?e <{PREFIXES["rdfs"]}label> ?name BIND("label" AS ?kind) }}
  UNION {{ ?e <{PREFIXES["skos"]}altLabel> ?name BIND("alias" AS ?kind) }}
  UNION {{ ?e <{PREFIXES["dct"]}identifier> ?name BIND("id" AS ?kind) }}
}}"""
