"""Enterprise profiles (企业画像): `enterprise_profiles(store, company=None)`.

What an officer asks first about a firm — credit code, status, founding date, capital,
address, zone and park, industry code, chains and segments with the reason for each placement
(a registry placement's rule, or an article's quote), projects, relations and sources — as the
named query `enterprise-profile` answers it (so a remote endpoint gives the same profile). Run
without `company`, the query answers for every enterprise at once: the site's entity pages
read that one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chainkg.queries import get_query, resolve_entity, run_query


@dataclass(frozen=True)
class ProfileFact:
    """One line of a profile: the field (bilingual), its value, why, and from where."""

    field: str
    value: str
    reason: str = ""
    source: str = ""


def enterprise_profiles(
    store: Any, company: str | None = None, iri: str | None = None
) -> dict[str, list[ProfileFact]]:
    """Enterprise IRI -> its profile lines in the query's order (name first, sources last);
    every enterprise, or the one `company` names (a name, alias, id or credit code), or the
    enterprise `iri` (not resolved: a page that already knows it)."""
    if company:
        iri = resolve_entity(store, "company", company)
    params = {"company": iri} if iri else None
    out: dict[str, list[ProfileFact]] = {}
    for r in run_query(store, get_query("enterprise-profile").text, params).records():
        facts = out.setdefault(r["enterprise"], [])
        fact = ProfileFact(r["field"], r["value"], r["reason"] or "", r["source"] or "")
        if fact not in facts:
            facts.append(fact)
    return out
