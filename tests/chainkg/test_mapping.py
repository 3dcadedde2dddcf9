"""`chainkg.mapping` writes N-Quads text by hand (for speed); a parser must read back exactly
the values it was given. Property-based: any text, any language tag, any base IRI and id."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chainkg.errors import ResourceMissing
from chainkg.mapping import _head_text, iri, lit, ontology_quads, register_quads
from chainkg.schema import ID_PATTERN
from chainkg.tables import load_seeds

REPO = Path(__file__).resolve().parents[2]

S, P = "<https://example.org/s>", "<https://example.org/p>"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Any text a CSV cell or an article can hold: every code point but lone surrogates (which
# UTF-8 cannot encode, so no file can carry them).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))
LANGUAGE = st.from_regex(r"\A[a-z]{2,3}(-[A-Z]{2}|-Hans|-Hant)?\Z")  # the tags a data set uses


def accepted_base(base: str) -> bool:
    """What `config.load_config` accepts as a base IRI (it checks `base + "x"` the same way)."""
    try:
        ox.NamedNode(base + "x")
    except ValueError:
        return False
    return True


BASE_IRI = st.from_regex(
    r"\Ahttps?://[a-z0-9]([a-z0-9.-]{0,20})(/[\w%~.-]{1,12}){0,3}[/#]\Z"
).filter(accepted_base)
ROW_ID = st.from_regex(ID_PATTERN.replace("^", r"\A").replace("$", r"\Z"))


def parse_object(object_text: str) -> ox.Literal | ox.NamedNode:
    [quad] = ox.parse(
        input=f"{S} {P} {object_text} <https://example.org/g> .\n".encode(),
        format=ox.RdfFormat.N_QUADS,
    )
    return quad.object


@settings(max_examples=300, deadline=None, database=None)
@given(ANY_TEXT)
@example('"quoted" \\ back\\slash\nnew line\r\ttab')
@example("株洲高新区「动力谷」\u3000全角 😀 \x00 \x7f \u2028")
def test_any_text_comes_back_from_a_plain_literal(value: str) -> None:
    text = lit(value)
    term = parse_object(text)
    assert term == ox.Literal(value)
    assert term.value == value
    # `RowBuilder.evidence_chunk` ends lines by replacing every newline of a row's text
    assert "\n" not in text


@settings(max_examples=200, deadline=None, database=None)
@given(ANY_TEXT, LANGUAGE)
def test_any_text_comes_back_with_its_language(value: str, language: str) -> None:
    term = parse_object(lit(value, language))
    assert term.value == value and term.language == language.lower()


@settings(max_examples=100, deadline=None, database=None)
@given(st.decimals(allow_nan=False, allow_infinity=False).map(str))
def test_typed_literal_keeps_value_and_datatype(value: str) -> None:
    term = parse_object(lit(value, datatype=XSD + "decimal"))
    assert term.value == value and term.datatype == ox.NamedNode(XSD + "decimal")


@settings(max_examples=200, deadline=None, database=None)
@given(BASE_IRI, st.sampled_from(["enterprise", "place", "relation"]), ROW_ID)
def test_minted_iris_come_back(base: str, kind: str, row_id: str) -> None:
    value = f"{base}{kind}/{row_id}"
    assert parse_object(iri(value)) == ox.NamedNode(value)


def test_a_missing_ontology_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ResourceMissing, match="ontology file not found") as info:
        list(ontology_quads(tmp_path / "chainkg.ttl"))
    assert str(tmp_path / "chainkg.ttl") in str(info.value)


def test_the_head_text_is_pyoxigraphs_serialization_of_its_quads() -> None:
    """The ontology and register chunk's N-Quads are derived from its N-Triples by naming
    the graph at each line's end: the same bytes as serializing the quads themselves."""
    seeds = load_seeds(REPO / "seeds")
    quads = [*ontology_quads(), *register_quads(seeds)]
    nquads, ntriples = _head_text(seeds)
    assert nquads == ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert ntriples == ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    assert len({q.graph_name for q in quads}) == 2 and nquads.count(b"\n") == len(quads)
