"""The closed vocabulary and the ontology define the same terms, each documented."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import RDFS, SKOS

from chainkg.config import ONTOLOGY_DIR
from chainkg.vocab import CKG, CKG_IRI


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
