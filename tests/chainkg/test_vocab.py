"""The closed vocabulary and the ontology define the same terms, each documented."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from chainkg import mapping, ntriples, schema
from chainkg.config import ONTOLOGY_DIR
from chainkg.vocab import CKG, CKG_IRI, PREFIXES


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "chainkg.ttl")


def defined_terms(graph: rdflib.Graph) -> set[str]:
    return {str(s)[len(CKG_IRI) :] for s in graph.subjects() if str(s).startswith(CKG_IRI)}


def test_vocab_and_ontology_agree(ontology: rdflib.Graph) -> None:
    in_code = {name for name in CKG.__annotations__}
    assert in_code == defined_terms(ontology)


def test_typo_raises() -> None:
    with pytest.raises(AttributeError):
        _ = CKG.Enterprize


def test_every_term_has_chinese_and_english_label_and_definition(ontology) -> None:
    for name in defined_terms(ontology):
        term = rdflib.URIRef(CKG_IRI + name)
        langs = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, name
        if name != "StageScheme":
            assert (term, SKOS.definition, None) in ontology, name


def test_every_relation_predicate_is_an_object_property_of_the_ontology(ontology) -> None:
    """schema.RELATION_PREDICATES (what relations.csv accepts) -> ckg properties: each one in
    the closed vocabulary and defined by the ontology as an object property."""
    for predicate in schema.RELATION_PREDICATES:
        name = schema.relation_property(predicate)
        assert name in CKG.__annotations__, predicate
        term = rdflib.URIRef(CKG_IRI + name)
        assert (term, RDF.type, OWL.ObjectProperty) in ontology, predicate
        assert mapping.predicate_iri(predicate).value == str(term)


# Each enum column of the seed tables and the ckg term each value becomes (chainkg.mapping).
ENUM_TERMS = {
    "places.kind": (schema.PLACE_KINDS, mapping.PLACE_CLASSES),
    "organizations.kind": (schema.ORGANIZATION_KINDS, mapping.ORGANIZATION_CLASSES),
    "programs.kind": (schema.PROGRAM_KINDS, mapping.PROGRAM_CLASSES),
    "events.kind": (schema.EVENT_KINDS, mapping.EVENT_CLASSES),
    "framework_members.role": (schema.MEMBER_ROLES, mapping.ROLES),
    "segments.stage": (schema.SEGMENT_STAGES, mapping.STAGES),
    "projects.status": (schema.PROJECT_STATUSES, mapping.STATUSES),
    "statistics.value_qualifier": (schema.VALUE_QUALIFIERS, mapping.QUALIFIERS),
    "statistics.flag": (schema.STAT_FLAGS, mapping.FLAGS),
    "panorama_stages.stage": (schema.SEGMENT_STAGES, mapping.STAGES),
    "sites.status": (schema.PROJECT_STATUSES, mapping.STATUSES),
    "sources.kind": (schema.SOURCE_KINDS, mapping.SOURCE_CLASSES),
    # 'derived' is the mode of registry placements, made by rules, never written in a table
    "assertion": (
        schema.ASSERTION_VALUES,
        {k: v for k, v in ntriples.ASSERTION_MODES.items() if k != "derived"},
    ),
}
# Enum columns written as SKOS terms (skos:closeMatch ...), not ckg terms.
SKOS_ENUMS = {
    "chain_alignments.match": (schema.MATCH_KINDS, mapping.MATCHES),
    "segment_mappings.match": (schema.MATCH_KINDS, mapping.MATCHES),
}


@pytest.mark.parametrize("column", ENUM_TERMS)
def test_every_allowed_value_maps_to_an_ontology_term(ontology, column: str) -> None:
    allowed, terms = ENUM_TERMS[column]
    assert list(terms) == list(allowed)  # same values, same order as the docs list them
    defined = defined_terms(ontology)
    assert {str(t)[len(CKG_IRI) :] for t in terms.values()} <= defined


def test_the_enum_columns_checked_are_all_the_enum_columns() -> None:
    """A new enum column in the schema needs its row in ENUM_TERMS (or is a plain literal)."""
    # kept as text in the graph
    literal_enums = {"sources.date_basis", "chains.benchmark", "sites.kind", "posts.kind"}
    columns = {
        f"{table.name}.{column.name}" if column.name != "assertion" else "assertion"
        for table in schema.TABLES.values()
        for column in table.columns + (schema.EVIDENCE_COLUMNS if table.evidence else ())
        if column.type == "enum" and column.name != "predicate"
    }
    assert columns == set(ENUM_TERMS) | set(SKOS_ENUMS) | literal_enums


@pytest.mark.parametrize("column", SKOS_ENUMS)
def test_match_kinds_are_skos_mapping_properties(column: str) -> None:
    allowed, terms = SKOS_ENUMS[column]
    assert list(terms) == list(allowed)
    assert {str(t) for t in terms.values()} <= {
        PREFIXES["skos"] + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")
    }
