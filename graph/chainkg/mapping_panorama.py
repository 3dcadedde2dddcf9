"""The row mapping for reference and registry sources (called by `mapping.assemble_text`).

- Reference (a source of kind `reference` whose file is `sei2018_to_gbt4754.csv`): one
  panorama per strategic emerging industry, `{base}panorama/{id}` (ckg:Panorama, a
  skos:ConceptScheme), whose concepts are its categories `{base}category/{id}`
  (ckg:ReferenceCategory; skos:broader up to the industry, skos:topConceptOf the scheme), each
  with its GB/T codes (ckg:industryCode, or ckg:partialIndustryCode where the standard marks
  the code `*`) and key products. GB/T codes are `{base}industry-code/{code}` with their
  parents; described (label, level, broader) when `gbt4754_2017.csv` is registered too. The
  evidence of each fact is the file's line (ckg:row), not a quote.
- Registry (sources of kind `registry`): each good row is an enterprise, matched to an
  existing one by credit code, then by name and aliases (`registry.match_records`), or a new
  `{base}enterprise/uscc-{code}`; its registry fields; and placements (ckg:Placement) in the
  focal zone and parks by the data set's address rules, in reference categories by industry
  code and key products, and so in the chains and segments aligned to those categories. A
  placement is a derived assertion whose evidence is the file, the row and the rule. What
  a kept row changes against the firm's row in the export before (`registry.latest_rows`):
  a ckg:FieldChange per field, evidenced by both rows, or a ckg:NewFirmListing, each with
  its meaning for the focal zone (ckg:zoneEvent, `presence.zone_events`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

from chainkg.ntriples import (
    _ENTERPRISE_TYPES,
    _SKOS,
    ALT,
    CATEGORY_PATH,
    CHUNK_ROWS,
    DECIMAL,
    IDENTIFIER,
    INDUSTRY_CODE_PATH,
    INTEGER,
    LABEL,
    PIECE_ROWS,
    PREF,
    A,
    K,
    Line,
    RowBuilder,
    _types,
    iri,
    lit,
)
from chainkg.presence import (
    former_aliases,
    registered_in_zone,
    registry_addresses,
    registry_firm,
    zone_events,
)
from chainkg.reference import GBT_FILE, SEI_FILE, Reference, category_id, load_reference
from chainkg.registry import (
    ADDRESS,
    CAPITAL,
    FOUNDED,
    INDUSTRY,
    NAME,
    SCOPE,
    STATUS,
    AddressRule,
    RegistryRecord,
    categories_for,
)
from chainkg.schema import relation_property
from chainkg.tables import Seeds, shared
from chainkg.vocab import CKG

_PLACING_MATCHES = ("exact", "close", "narrow")  # a firm of the category is of the chain
_PANORAMA_PATH, _CLASSIFICATION_PATH = "panorama/", "industry-classification/"
_CATEGORY_EVIDENCE, _CODE_EVIDENCE = "evidence/category.", "evidence/industry-code."

# The reference nodes: what `_panoramas` and `_industry_codes` write (categories, panoramas,
# GB/T codes, the classification scheme and the evidence of each) is made from the packaged
# reference files alone, whatever the data set (which chooses only the base IRI and, by its
# registry rows, which GB/T codes are written), and no row writes a triple about these
# nodes. Their shape constraints therefore hold by construction: tests/chainkg/test_validate.py
# checks, with pyshacl, the whole reference (every category and every GB/T code) once, and
# that in the seeds and a registry data set the triples about these nodes are exactly the
# reference chunks'. So the small build's pyshacl leaves them out (`reference_node_prefixes`
# with `validate.Trusted`), keeping their types, which the rows' values are checked against
# (e.g. a segment mapping's category must be a ckg:ReferenceCategory); `--full-shacl` checks
# everything.
REFERENCE_CLASSES = (str(CKG.ReferenceCategory), str(CKG.Panorama), str(CKG.IndustryCode))


def reference_node_prefixes(base: str) -> tuple[str, ...]:
    """The IRI prefixes of the reference nodes (see REFERENCE_CLASSES), under `base`."""
    paths = (CATEGORY_PATH, _PANORAMA_PATH, INDUSTRY_CODE_PATH, _CLASSIFICATION_PATH)
    return tuple(base + p for p in (*paths, _CATEGORY_EVIDENCE, _CODE_EVIDENCE))


class _Out:
    """Collects facts with their evidence as N-Quads and N-Triples text.

    The lines of consecutive facts in one source's graph are joined and encoded once, and
    both texts made from those bytes by replacing each newline (no line holds one: `lit`
    escapes them), as `RowBuilder.evidence_chunk` does: a registry row's lines hold Chinese
    text, so each join and encode of them costs per character. Joining every fact's lines
    twice (once per text), then the chunk's, then encoding both: assembling 100,000 registry
    rows took 10.6 CPU-s, this way 6.8."""

    def __init__(self, b: RowBuilder):
        self.b = b
        self.source = ""
        self.lines: list[str] = []  # of consecutive facts in the graph of `source`
        self.quads: list[bytes] = []
        self.triples: list[bytes] = []

    def fact(self, source: str, body: list[str]) -> None:
        """The lines in the graph of `source` (a source id, or "register")."""
        if source != self.source:
            self._end_run()
            self.source = source
        self.lines += body

    def _end_run(self) -> None:
        if self.lines:
            text = ("\n".join(self.lines) + "\n").encode()
            self.triples.append(text)
            end = f" <{self.b.base}graph/{self.source}> .\n".encode()
            self.quads.append(text.replace(b"\n", end))
            self.lines = []

    def evidence(self, source: str, fact: str, ev: str, row: int, mode: str) -> list[str]:
        """Evidence node `ev` for `fact`: line `row` of the file of `source`."""
        return [
            f"{fact} {K.evidence} {ev}",
            f"{ev} {A} {K.Evidence}",
            f"{ev} {K.supports} {fact}",
            f"{ev} {K.source} <{self.b.base}source/{source}>",
            f"{ev} {K.row} {lit(str(row), datatype=INTEGER)}",
            f"{ev} {K.assertionMode} {mode}",
        ]

    def text(self) -> tuple[bytes, bytes]:
        self._end_run()
        return b"".join(self.quads), b"".join(self.triples).replace(b"\n", _END)


_END = b" .\n"
Text = tuple[bytes, bytes]  # (N-Quads, N-Triples)


def reference_and_registry_chunks(b: RowBuilder) -> Iterator[Callable[[], Iterator[Text]]]:
    """Producers of the (N-Quads, N-Triples) text of the panoramas, of the registry rows
    (CHUNK_ROWS rows each, in pieces of PIECE_ROWS) and of the GB/T codes used; called
    lazily, so that a streaming worker only maps the chunks that are its own."""
    seeds = b.seeds
    reference_sources = reference_files(seeds)
    reference = load_reference()
    records = [(sid, rec) for sid, f in sorted(seeds.registry.items()) for rec in f.records]
    sei, gbt = reference_sources.get(SEI_FILE), reference_sources.get(GBT_FILE)
    codes_used = {rec.industry_code for _sid, rec in records}
    if sei:
        codes_used |= {link.code for c in reference.categories.values() for link in c.codes}

    def produce(write: Callable[[_Out], None]) -> Callable[[], Iterator[Text]]:
        def run() -> Iterator[Text]:
            out = _Out(b)
            write(out)
            yield out.text()

        return run

    def registry_chunk(start: int, context: _RegistryContext) -> Callable[[], Iterator[Text]]:
        def run() -> Iterator[Text]:
            # in pieces of a few MB, as the tables' chunks (`mapping.assemble_chunks`)
            for first in range(start, min(start + CHUNK_ROWS, len(records)), PIECE_ROWS):
                out = _Out(b)
                part = records[first : min(first + PIECE_ROWS, start + CHUNK_ROWS)]
                _registry(out, reference, part, context, first == 0)
                yield out.text()

        return run

    if sei:
        yield produce(lambda out: _panoramas(out, reference, sei))
    if records:
        context = _RegistryContext(b)
        for start in range(0, len(records), CHUNK_ROWS):
            yield registry_chunk(start, context)
    if gbt:
        yield produce(lambda out: _industry_codes(out, reference, gbt, codes_used))


def reference_files(seeds: Seeds) -> dict[str, str]:
    """File name -> source id of the data set's reference sources: the panoramas are written
    when SEI_FILE is one, the GB/T codes described when GBT_FILE is."""
    sources = seeds.tables["sources"]
    return {
        file: sid
        for file, sid in zip(sources["file"].tolist(), sources["id"].tolist(), strict=True)
        if seeds.source_kinds.get(sid) == "reference"
    }


_CONCEPT = iri(_SKOS + "Concept")
_SCHEME = iri(_SKOS + "ConceptScheme")
_IN_SCHEME, _BROADER = iri(_SKOS + "inScheme"), iri(_SKOS + "broader")


def _named(s: str, classes: tuple[str, ...], name: str, *more: Line) -> list[Line]:
    """A node's types, its Chinese name as label and preferred label, then `more`."""
    return [*_types(s, *classes), f"{s} {LABEL} {name}", f"{s} {PREF} {name}", *more]


def _concept(s: str, cls: str, name: str, ids: tuple[Line, ...], level: int, scheme: str):
    """A SKOS concept of `scheme` (a category or a GB/T code) at `level`."""
    return _named(s, (cls, _CONCEPT), lit(name, "zh"), *ids) + [
        f"{s} {K.level} {lit(str(level), datatype=INTEGER)}",
        f"{s} {_IN_SCHEME} {scheme}",
    ]


def _panoramas(out: _Out, reference: Reference, source: str) -> None:
    b = out.b
    stated = b.modes["stated"]
    for category in reference.ordered():
        s = b.category(category.path)
        scheme = f"<{b.base}{_PANORAMA_PATH}{category_id(category.industry)}>"
        ids = (
            f"{s} {IDENTIFIER} {lit(category.id)}",
            f"{s} {K.categoryPath} {lit(category.path, 'zh')}",
        )
        body = _concept(s, K.ReferenceCategory, category.name, ids, category.level, scheme)
        if category.level == 1:
            body.append(f"{s} {iri(_SKOS + 'topConceptOf')} {scheme}")
            body += _named(
                scheme,
                (K.Panorama, _SCHEME),
                lit(category.name + " 全景图", "zh"),
                f"{scheme} {ALT} {lit(category.name, 'zh')}",
                f"{scheme} {IDENTIFIER} {lit(category_id(category.industry))}",
            )
        else:
            body.append(f"{s} {_BROADER} {b.category(category.parent)}")
        ev_prefix = f"<{b.base}{_CATEGORY_EVIDENCE}{category.id}."
        body += out.evidence(source, s, f"{ev_prefix}0>", category.line, stated)
        for link in category.codes:
            code = b.industry_code(link.code)
            p = K.partialIndustryCode if link.partial else K.industryCode
            body.append(f"{s} {p} {code}")
            body += [f"{s} {K.keyProduct} {lit(kp, 'zh')}" for kp in link.key_products]
            ev = f"{ev_prefix}{link.line}>"
            body += out.evidence(source, s, ev, link.line, stated)
        out.fact(source, list(dict.fromkeys(body)))


def _industry_codes(out: _Out, reference: Reference, source: str, used: set[str]) -> None:
    b = out.b
    scheme = f"<{b.base}{_CLASSIFICATION_PATH}gbt4754-2017>"
    needed = sorted({c for code in used for c in reference.code_ancestry(code)})
    body = [
        f"{scheme} {A} {_SCHEME}",
        f"{scheme} {LABEL} {lit('国民经济行业分类 GB/T 4754-2017', 'zh')}",
    ]
    out.fact(source, body)
    for code in needed:
        entry = reference.codes[code]
        s = b.industry_code(code)
        ids = (f"{s} {iri(_SKOS + 'notation')} {lit(code)}", f"{s} {IDENTIFIER} {lit(code)}")
        body = _concept(s, K.IndustryCode, entry.name, ids, entry.level, scheme)
        if entry.parent:
            body.append(f"{s} {_BROADER} {b.industry_code(entry.parent)}")
        ev = f"<{b.base}{_CODE_EVIDENCE}{code}>"
        out.fact(source, body + out.evidence(source, s, ev, entry.line, b.modes["stated"]))


def _yuan_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _registry_fields(
    b: RowBuilder, rec: RegistryRecord, with_persons: bool
) -> list[tuple[str, str | None]]:
    """(predicate, object) of a registry row's own fields, in their fixed order; None for an
    empty cell (and for the legal representative unless the data set stores persons)."""
    zh = lambda text: lit(text, "zh") if text else None  # noqa: E731
    capital = rec.capital
    decimal = lambda v: None if v is None else lit(_yuan_text(v), datatype=DECIMAL)  # noqa: E731
    return [
        (K.creditCode, lit(rec.credit_code)),
        (K.industryCode, b.industry_code(rec.industry_code)),
        (K.industryText, lit(rec.industry_text, "zh")),
        (K.registrationStatus, zh(rec.status)),
        (K.foundedOn, lit(rec.founded, datatype=_DATE) if rec.founded else None),
        (K.capitalText, lit(capital.text, "zh") if capital else None),
        (K.capitalCurrency, lit(capital.currency) if capital else None),
        (K.registeredCapital, decimal(capital.amount) if capital else None),
        (K.registeredCapitalYuan, decimal(capital.yuan) if capital else None),
        (K.registeredAddress, zh(rec.address)),
        (K.businessScope, zh(rec.scope)),
        (K.legalRepresentative, zh(rec.legal_representative) if with_persons else None),
    ]


class _RegistryContext:
    """What every registry chunk needs, computed once: rules, matches, address placements
    and presence in the zone (`chainkg.presence`), alignments."""

    def __init__(self, b: RowBuilder):
        seeds = b.seeds
        self.rules = [AddressRule.from_row(r) for _line, r in seeds.rows("address_rules")]
        self.matches = seeds.registry_matches  # (conflicts are refused at load)
        self.addresses = registry_addresses(seeds)
        self.present = registered_in_zone(seeds, b.zone_places)
        self.aligned = aligned_to(seeds, "chain_alignments", "chain")
        self.mapped = aligned_to(seeds, "segment_mappings", "segment")


def _registry(
    out: _Out,
    reference: Reference,
    records: list[tuple[str, RegistryRecord]],
    context: _RegistryContext,
    with_rules: bool,
) -> None:
    b = out.b
    rules, matches, addresses = context.rules, context.matches, context.addresses
    aligned, mapped = context.aligned, context.mapped
    for rule in rules if with_rules else ():
        s = f"<{b.base}address-rule/{rule.id}>"
        body = [
            f"{s} {A} {K.AddressRule}",
            f"{s} {K.placedIn} {b.entity(rule.place)}",
            f"{s} {K.curatorNote} {lit(rule.note)}",
            *(f"{s} {K.addressKeyword} {lit(k, 'zh')}" for k in rule.keywords),
        ]
        out.fact("register", body)
    derived = b.modes["derived"]
    stated = b.modes["stated"]
    store_persons = b.seeds.config.registry_persons
    for source, rec in records:
        entity_id = matches.get((source, rec.row))
        firm = registry_firm(b.seeds, source, rec)  # entity_id, or a new firm's id
        s = b.entity(entity_id) if entity_id else f"<{b.base}enterprise/{firm}>"
        body: list[str] = []
        if not entity_id:
            uscc = f"{s} {IDENTIFIER} {lit(firm)}"
            body += _named(s, _ENTERPRISE_TYPES, lit(rec.name, "zh"), uscc)
        body += [
            f"{s} {p} {o}" for p, o in _registry_fields(b, rec, store_persons) if o is not None
        ]
        ev = f"<{b.base}evidence/registry.{source}.{rec.row}>"
        body += out.evidence(source, s, ev, rec.row, stated)
        former = former_aliases(b.seeds, source, rec)
        hit = addresses.get((source, rec.row))
        if hit and firm in context.present:
            # registered, operating and located in the focal zone by its address: present
            # there, like a curated row whose own place is in the zone (and so not by any
            # other basis, `chainkg.presence`)
            body.append(f"{s} {K.zoneStage} {K.PresentProducing}")
        for n, (target, basis, reason, rule) in registry_placements(
            rec, hit, reference, aligned, mapped
        ):
            if basis in PLACING_PREDICATES:
                predicate, target = _PLACING_TERMS[basis], b.entity(target)
            else:
                predicate, target = K.inCategory, b.category(target)
            by_address = basis == "address-rule"
            rule = f"<{b.base}address-rule/{rule}>" if by_address else b.category(rule)
            p = f"<{b.base}placement/{source}.{rec.row}.{n}>"
            ev_p = f"<{b.base}evidence/placement.{source}.{rec.row}.{n}>"
            body += [
                f"{s} {predicate} {target}",
                f"{p} {A} {K.Placement}",
                f"{p} {K.placedEntity} {s}",
                f"{p} {K.placedIn} {target}",
                f"{p} {K.basis} {lit(basis)}",
                f"{p} {K.reason} {lit(reason, 'zh')}",
                f"{p} {K.rule} {rule}",
                *out.evidence(source, p, ev_p, rec.row, derived),
            ]
        out.fact(source, body)
        for then in former:  # a name an earlier export gave it: an alias, from that row
            ev = f"<{b.base}evidence/registry.{then.source}.{then.row}>"
            alias = [f"{s} {ALT} {lit(then.name, 'zh')}"]
            out.fact(then.source, alias + out.evidence(then.source, s, ev, then.row, stated))
        _registry_changes(out, source, rec, s)


def _registry_changes(out: _Out, source: str, rec: RegistryRecord, firm: str) -> None:
    """The row's changes against the earlier exports (`registry.latest_rows`): a
    ckg:NewFirmListing, or a ckg:FieldChange per field, each with its meaning for the focal
    zone (`presence.zone_events`); evidence: this row, and for a field the earlier row."""
    b = out.b
    seeds, stated, key = b.seeds, b.modes["stated"], f"{source}.{rec.row}"
    new, events = zone_events(seeds, source, rec)
    export = f"<{b.base}source/{source}>"
    if (source, rec.row) in seeds.registry_new_rows:
        c = f"<{b.base}registry-change/{key}.new>"
        body = [f"{c} {A} {K.NewFirmListing}", f"{c} {K.changeOf} {firm}"]
        body += [f"{c} {K.reportedIn} {export}"]
        body += [f"{c} {K.zoneEvent} {getattr(K, new)}"] if new else []
        ev = f"<{b.base}evidence/registry-change.{key}.new>"
        out.fact(source, body + out.evidence(source, c, ev, rec.row, stated))
    changed = seeds.registry_changes.get((source, rec.row))
    if changed is None:
        return
    then = f"<{b.base}source/{changed.source}>"
    for n, (change, event) in enumerate(zip(changed.fields, events, strict=True), 1):
        c = f"<{b.base}registry-change/{key}.{n}>"
        body = [
            f"{c} {A} {K.FieldChange}",
            f"{c} {K.changeOf} {firm}",
            f"{c} {K.changedField} {FIELD_TERMS[change.field]}",
            f"{c} {K.reportedIn} {export}",
            f"{c} {K.comparedWith} {then}",
        ]
        body += [f"{c} {K.valueBefore} {lit(change.before, 'zh')}"] if change.before else []
        body += [f"{c} {K.valueAfter} {lit(change.after, 'zh')}"] if change.after else []
        body += [f"{c} {K.zoneEvent} {getattr(K, event)}"] if event else []
        ev = f"<{b.base}evidence/registry-change.{key}.{n}>"
        out.fact(source, body + out.evidence(source, c, ev, rec.row, stated))
        ev = f"<{b.base}evidence/registry-change.{key}.{n}.before>"
        out.fact(changed.source, out.evidence(changed.source, c, ev, changed.row, stated))


# the property of each field two exports are compared on (`registry.COMPARED`)
FIELD_TERMS = {
    NAME: LABEL,
    STATUS: K.registrationStatus,
    FOUNDED: K.foundedOn,
    CAPITAL: K.registeredCapital,
    ADDRESS: K.registeredAddress,
    INDUSTRY: K.industryCode,
    SCOPE: K.businessScope,
}


_DATE = "http://www.w3.org/2001/XMLSchema#date"
# a registry placement's basis -> the relation it writes (as relations.csv names it); the
# other bases place the firm in a reference category (ckg:inCategory)
PLACING_PREDICATES = {
    "address-rule": "located_in",
    "chain-alignment": "in_chain",
    "segment-mapping": "operates_in_segment",
}
_PLACING_TERMS = {  # the same, as the ckg term the row mapping writes
    basis: getattr(K, relation_property(predicate))
    for basis, predicate in PLACING_PREDICATES.items()
}


class RegistryPlacement(NamedTuple):
    """Where a registry row places its firm, and why."""

    target: str  # a place, chain or segment id (PLACING_PREDICATES), else a category path
    basis: str  # "address-rule", "chain-alignment", "segment-mapping", or a category basis
    reason: str  # in Chinese, for officers
    rule: str  # the address rule's id ("address-rule"), else the category's path


def registry_placements(
    record: RegistryRecord,
    address: tuple[AddressRule, str] | None,
    reference: Reference,
    aligned: dict[str, list[str]],
    mapped: dict[str, list[str]],
) -> list[tuple[int, RegistryPlacement]]:
    """The placements of a registry row, numbered as in the graph (a target placed twice
    keeps its first): in a place by `address` (`presence.registry_addresses`), in reference
    categories by its industry code and business scope (`registry.categories_for`), and so
    in the chains (`aligned`) and segments (`mapped`) aligned to those categories or their
    parents (category path -> chains or segments, `aligned_to`)."""
    found: list[RegistryPlacement] = []
    if address:
        rule, keyword = address
        reason = f"注册地址含“{keyword}”(地址规则 {rule.id})"
        found.append(RegistryPlacement(rule.place, "address-rule", reason, rule.id))
    for placement in categories_for(record, reference):
        cat = placement.category
        found.append(RegistryPlacement(cat.path, placement.basis, placement.reason, cat.path))
        ancestors = {cat.path} | {" > ".join(cat.parts[:i]) for i in range(1, len(cat.parts))}
        for chain in sorted({c for p in ancestors for c in aligned.get(p, ())}):
            reason = f"{placement.reason};该类属于本链全景图"
            found.append(RegistryPlacement(chain, "chain-alignment", reason, cat.path))
        for seg in sorted({g for p in ancestors for g in mapped.get(p, ())}):
            reason = f"{placement.reason};该类对应本环节"
            found.append(RegistryPlacement(seg, "segment-mapping", reason, cat.path))
    seen: set[tuple[bool, str]] = set()
    out = []
    for n, placement in enumerate(found, 1):
        key = (placement.basis in PLACING_PREDICATES, placement.target)
        if key not in seen:
            seen.add(key)
            out.append((n, placement))
    return out


def aligned_to(seeds: Seeds, table: str, column: str) -> dict[str, list[str]]:
    """category path -> the chains (or segments) aligned to it so that its firms are theirs."""
    out: dict[str, list[str]] = {}
    for _line, row in seeds.rows(table):
        if row["match"] in _PLACING_MATCHES:
            out.setdefault(row["category"], []).append(row[column])
    return out


# ---- registry rows as table rows: for the side tables (the listings, the gap summary),
# which read the seed tables as frames and must see what the rows above write


@shared
def registry_firms(seeds: Seeds) -> pd.DataFrame:
    """id and label_zh of the enterprises registry rows add (`uscc-<credit code>`, named as
    the row names them; a row matched to an enterprises.csv row adds none), in row order."""
    found: dict[str, str] = {}
    for source, registry_file in sorted(seeds.registry.items()):
        for record in registry_file.records:
            if (source, record.row) not in seeds.registry_matches:
                found.setdefault(registry_firm(seeds, source, record), record.name)
    return pd.DataFrame({"id": list(found), "label_zh": list(found.values())}, dtype=object)


@shared
def registry_placed(seeds: Seeds) -> pd.DataFrame:
    """firm, basis and target of every placement of the registry rows
    (`registry_placements`; the firm as `registry_firm` names it), in row order."""
    rows: list[tuple[str, str, str]] = []
    if seeds.has_registry_rows:
        addresses = registry_addresses(seeds)
        reference = load_reference()
        aligned = aligned_to(seeds, "chain_alignments", "chain")
        mapped = aligned_to(seeds, "segment_mappings", "segment")
        for source, registry_file in sorted(seeds.registry.items()):
            for record in registry_file.records:
                firm = registry_firm(seeds, source, record)
                address = addresses.get((source, record.row))
                for _n, placed in registry_placements(record, address, reference, aligned, mapped):
                    rows.append((firm, placed.basis, placed.target))
    return pd.DataFrame(rows, columns=["firm", "basis", "target"], dtype=object)


@shared
def registry_ties(seeds: Seeds) -> pd.DataFrame:
    """subject, predicate and object (as relations.csv names them) of the placements of
    registry rows in places, chains and segments (`registry_placed`), in row order; one
    such placement writes the relation's triple and no statement of it (no quote)."""
    placed = registry_placed(seeds)
    placed = placed[placed["basis"].isin(list(PLACING_PREDICATES))]
    return pd.DataFrame(
        {
            "subject": placed["firm"].to_numpy(),
            "predicate": placed["basis"].map(PLACING_PREDICATES).to_numpy(),
            "object": placed["target"].to_numpy(),
        },
        dtype=object,
    )


def registry_categories(seeds: Seeds) -> pd.DataFrame:
    """firm and category path of the placements of registry rows in reference categories
    (ckg:inCategory; `registry_placed`), in row order."""
    placed = registry_placed(seeds)
    placed = placed[~placed["basis"].isin(list(PLACING_PREDICATES))]
    return pd.DataFrame(
        {"firm": placed["firm"].to_numpy(), "category": placed["target"].to_numpy()}, dtype=object
    )
