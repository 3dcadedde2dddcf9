"""The closed vocabulary and the ontology define the same terms, each documented."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from chainkg import mapping, schema
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


def enum_columns() -> dict[str, tuple[str, ...]]:
    """Every enum column of the seed tables (`table.column`, the evidence columns as
    "assertion") and its allowed values; relations.predicate has its own test above."""
    return {
        f"{table.name}.{column.name}" if column.name != "assertion" else "assertion": column.allowed
        for table in schema.TABLES.values()
        for column in table.columns + (schema.EVIDENCE_COLUMNS if table.evidence else ())
        if column.type == "enum" and column.name != "predicate"
    }


SKOS_ENUMS = {c for c, terms in mapping.ENUM_TERMS.items() if terms is mapping.MATCHES}


def test_every_enum_column_is_mapped_or_kept_as_a_literal() -> None:
    """A new enum column in the schema needs its terms in mapping.ENUM_TERMS (or is a plain
    literal, mapping.LITERAL_ENUMS)."""
    assert set(enum_columns()) == set(mapping.ENUM_TERMS) | mapping.LITERAL_ENUMS
    assert not set(mapping.ENUM_TERMS) & mapping.LITERAL_ENUMS


@pytest.mark.parametrize("column", sorted(set(mapping.ENUM_TERMS) - SKOS_ENUMS))
def test_every_allowed_value_maps_to_an_ontology_term(ontology, column: str) -> None:
    terms = mapping.ENUM_TERMS[column]
    assert list(terms) == list(enum_columns()[column])  # same values, same order as the docs
    defined = defined_terms(ontology)
    assert {str(t)[len(CKG_IRI) :] for t in terms.values()} <= defined


@pytest.mark.parametrize("column", sorted(SKOS_ENUMS))
def test_match_kinds_are_skos_mapping_properties(column: str) -> None:
    terms = mapping.ENUM_TERMS[column]
    assert list(terms) == list(enum_columns()[column])
    assert {str(t) for t in terms.values()} <= {
        PREFIXES["skos"] + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")
    }
