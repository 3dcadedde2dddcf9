"""Query parameters as RDF terms: the one rule the local store (`chainkg.queries`), the
endpoint (`chainkg.server`) and remote stores (`chainkg.remote`) bind values by."""

from __future__ import annotations

import re

import pyoxigraph as ox


def bind_value(value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term: IRIs as IRIs, everything else as a plain literal."""
    stripped = value.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        return ox.NamedNode(stripped[1:-1])
    if re.match(r"^https?://\S+$", stripped):
        return ox.NamedNode(stripped)
    return ox.Literal(stripped)
