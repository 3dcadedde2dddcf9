"""Edits on SPARQL text that the query page and the remote client need (preset prefixes,
parameters bound as VALUES).

pyoxigraph exposes no SPARQL parser, so these work on a small lexer that skips comments,
string literals and IRIs. They only place text; what the endpoint refuses is decided on the
parsed query (chainkg.server.guard), never by this lexer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

# Order matters: long strings before short ones, IRIs and comments before bare text.
_SKIP = re.compile(
    r"""
      '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    | \#[^\n\r]*
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)(?![\w:])")
_PREFIX_DECL = re.compile(r"(?<![\w:?$])PREFIX\s+([\w.-]*):", re.IGNORECASE)


def code_spans(text: str) -> Iterator[tuple[int, str]]:
    """The parts of the query outside strings, IRIs and comments, with their offsets."""
    pos = 0
    for m in _SKIP.finditer(text):
        if m.start() > pos:
            yield pos, text[pos : m.start()]
        pos = m.end()
    if pos < len(text):
        yield pos, text[pos:]


def keywords(text: str) -> Iterator[tuple[int, str]]:
    """Bare words (upper-cased) outside strings, IRIs, comments, variables and prefixed names."""
    for offset, span in code_spans(text):
        for m in _WORD.finditer(span):
            yield offset + m.start(1), m.group(1).upper()


def declared_prefixes(text: str) -> set[str]:
    """Prefix labels the query declares itself."""
    found: set[str] = set()
    for _, span in code_spans(text):
        found.update(m.group(1) for m in _PREFIX_DECL.finditer(span))
    return found


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """The query with PREFIX lines prepended for the preset prefixes it does not declare."""
    own = declared_prefixes(text)
    lines = [f"PREFIX {label}: <{iri}>" for label, iri in prefixes.items() if label not in own]
    return "\n".join([*lines, text]) if lines else text


def term_sparql(term: ox.NamedNode | ox.Literal) -> str:
    """An RDF term written as SPARQL (pyoxigraph's own N-Triples writer escapes it)."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise ValueError(f"cannot bind {term!r}: only IRIs and literals can be parameters")
    return str(term)


def with_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with `VALUES` rows for the bindings at the start of its WHERE group.

    This gives the parameter to the whole top-level pattern, as a substitution does, for the
    usual named query shape; the terms are serialized by pyoxigraph, never pasted as text.
    """
    if not bindings:
        return text
    for name in bindings:
        if not re.fullmatch(r"\w+", name):
            raise ValueError(f"'{name}' is not a SPARQL variable name")
    brace = _where_brace(text)
    clause = " ".join(
        f"VALUES ?{name} {{ {term_sparql(term)} }}" for name, term in bindings.items()
    )
    return f"{text[: brace + 1]} {clause} {text[brace + 1 :]}"


def _where_brace(text: str) -> int:
    """Offset of the `{` opening the top-level WHERE group."""
    after_where = None
    for offset, word in keywords(text):
        if word == "WHERE":
            after_where = offset
            break
    for offset, span in code_spans(text):
        for i, char in enumerate(span):
            if char == "{" and (after_where is None or offset + i > after_where):
                return offset + i
    raise ValueError("the query has no WHERE {...} group to bind parameters in")
