"""N-Triples / N-Quads text terms: the vocabulary the row mappers write with.

Hand-written escaping (not a library call): pyoxigraph would need a Literal object per value,
which is the cost the text mapping avoids; the escapes are the ECHAR set of the N-Quads
grammar that can occur in CSV text: backslash, double quote, newline, carriage return.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from chainkg.vocab import CKG, CKG_IRI, ORG, PREFIXES

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dct"]
_XSD = PREFIXES["xsd"]
CHUNK_ROWS = 20_000  # rows per text chunk (and per unit of work of the streaming workers)


def iri(value: str) -> str:
    """An IRI term in N-Quads syntax."""
    return f"<{value}>"


def lit(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Quads syntax (xsd:string literals are written plain)."""
    # chained str.replace is C-speed; str.translate with a dict is ~10x slower on CJK text
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = f'"{text}"'
    if language:
        return f"{text}@{language}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


A = iri(_RDF + "type")
LABEL, PREF, ALT = iri(_RDFS + "label"), iri(_SKOS + "prefLabel"), iri(_SKOS + "altLabel")
DESCRIPTION = iri(_DCT + "description")
IDENTIFIER = iri(_DCT + "identifier")
INTEGER, DECIMAL, GYEAR = _XSD + "integer", _XSD + "decimal", _XSD + "gYear"
Line = str  # "subject predicate object" in N-Triples syntax, without the final " ."


@functools.cache
def _c(term: object) -> str:
    """An rdflib/ox term (or IRI string) as N-Triples text, computed once per term."""
    return iri(str(term))


# Every ckg term as N-Triples text, looked up as a plain attribute: `CKG.x` on the
# DefinedNamespace costs a __getattr__ call (~1 µs) per use, i.e. seconds per million rows.
K = SimpleNamespace(**{name: f"<{CKG_IRI}{name}>" for name in CKG.__annotations__})


def _types(s: str, *classes: str) -> list[Line]:
    return [f"{s} {A} {c}" for c in classes]


_ENTERPRISE_TYPES = (K.Enterprise, _c(ORG.FormalOrganization))
