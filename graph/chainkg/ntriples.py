"""N-Triples / N-Quads text terms, and `RowBuilder`, with which the row mappers
(`chainkg.mapping`, `chainkg.mapping_panorama`) write them.

Hand-written escaping (not a library call): pyoxigraph would need a Literal object per value,
which is the cost the text mapping avoids; the escapes are the ECHAR set of the N-Quads
grammar that can occur in CSV text: backslash, double quote, newline, carriage return.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from chainkg.presence import places_in_zone
from chainkg.reference import category_id
from chainkg.schema import TABLES
from chainkg.tables import Seeds, shared_by_ids, split_multi
from chainkg.vocab import CKG, CKG_IRI, ORG, PREFIXES

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dct"]
_XSD = PREFIXES["xsd"]
CATEGORY_PATH, INDUSTRY_CODE_PATH = "category/", "industry-code/"  # IRIs under the base
CHUNK_ROWS = 20_000  # rows per text chunk (and per unit of work of the streaming workers)
# rows per text piece within a chunk: a few MB (a piece over glibc's largest mmap threshold,
# 32 MiB, is mapped and unmapped each time, page faults on every page; 1,000 registry rows
# are ~18 MB). Assembling 100,000 rows, pieces of 2,500 against 1,000 rows: synthetic
# 1.64-1.68 against 1.44-1.45 CPU-s, registry 6.75-6.81 against 5.27-5.93.
PIECE_ROWS = 1_000


def iri(value: str) -> str:
    """An IRI term in N-Quads syntax."""
    return f"<{value}>"


def lit(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Quads syntax (xsd:string literals are written plain)."""
    # most values need no escape: four `in` tests cost less than four replace calls; chained
    # str.replace is C-speed, str.translate with a dict ~10x slower on CJK text
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if language:
        return f'"{value}"@{language}'
    if datatype:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


A = iri(_RDF + "type")
LABEL, PREF, ALT = iri(_RDFS + "label"), iri(_SKOS + "prefLabel"), iri(_SKOS + "altLabel")
DESCRIPTION = iri(_DCT + "description")
IDENTIFIER = iri(_DCT + "identifier")
INTEGER, DECIMAL, GYEAR = _XSD + "integer", _XSD + "decimal", _XSD + "gYear"
Line = str  # "subject predicate object" in N-Triples syntax, without the final " ."
RowText = str  # a row's lines, each ended by a bare newline (" ." and the graph added later)
Columns = dict[str, list[str]]  # a table's cells by column, for a chunk of rows
_END = b" .\n"  # the end of an N-Triples line
LABEL_COLUMNS = ("id", "label_zh", "label_en", "aliases", "description_en")
EVIDENCE_COLUMNS = ("id", "source", "quote", "assertion", "note")


@functools.cache
def _c(term: object) -> str:
    """An rdflib/ox term (or IRI string) as N-Triples text, computed once per term."""
    return iri(str(term))


# Every ckg term as N-Triples text, looked up as a plain attribute: `CKG.x` on the
# DefinedNamespace costs a __getattr__ call (~1 µs) per use, i.e. seconds per million rows.
K = SimpleNamespace(**{name: f"<{CKG_IRI}{name}>" for name in CKG.__annotations__})


def _types(s: str, *classes: str) -> list[Line]:
    return [f"{s} {A} {c}" for c in classes]


def row_text(lines: list[Line]) -> RowText:
    """Lines as a row's text, each ended by a newline."""
    return "\n".join(lines) + "\n" if lines else ""


_ENTERPRISE_TYPES = (K.Enterprise, _c(ORG.FormalOrganization))

ASSERTION_MODES = {
    "stated": CKG.StatedInText,
    "curator": CKG.CuratorAssertion,
    "derived": CKG.DerivedAssertion,  # by a declared rule from a registry row (no table uses it)
}


@shared_by_ids
def entity_kinds(seeds: Seeds) -> dict[str, str]:
    """Entity id -> the rdf kind of its table (its IRI's path): computed once per process
    for the builders of the same seeds (two million entries at province scale)."""
    kinds = {name: t.rdf_kind for name, t in TABLES.items()}
    # dict(zip(..., map(...))): built in C, ~3x faster than a comprehension over 2M items
    table_of = seeds.table_of
    return dict(zip(table_of, map(kinds.__getitem__, table_of.values()), strict=True))


class RowBuilder:
    """Mints IRI and literal text for rows, and wraps a row's triples with its evidence."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.base = seeds.config.base_iri
        self.kind = entity_kinds(seeds)
        self.modes = {k: _c(v) for k, v in ASSERTION_MODES.items()}
        self.node_prefix = {name: f"<{self.base}{t.rdf_kind}/" for name, t in TABLES.items()}
        self.evidence_prefix = {
            name: f"<{self.base}evidence/{t.rdf_kind}." for name, t in TABLES.items()
        }
        self.zone_places = places_in_zone(seeds)
        self.zone = self.entity(seeds.config.focal_zone)
        # texts of reference and registry sources: their evidence also names the line
        self.tabular = seeds.files
        self._graph_ends: dict[str, bytes] = {}  # source -> " <graph> .\n"

    def in_zone(self, s: str, place: str) -> list[Line]:
        """`ckg:zoneStage ckg:PresentProducing` when the row's own place is in the focal zone
        (other presences are derived in `presence_text`)."""
        return [f"{s} {K.zoneStage} {K.PresentProducing}"] if place in self.zone_places else []

    def line_of(self, source: str, quote: str) -> int:
        """The line of a reference or registry file where a quote starts (1 = first)."""
        text = self.tabular[source]
        return text.count("\n", 0, text.find(quote)) + 1

    def category(self, path: str) -> str:
        return f"<{self.base}{CATEGORY_PATH}{category_id(path)}>"

    def industry_code(self, code: str) -> str:
        return f"<{self.base}{INDUSTRY_CODE_PATH}{code}>"

    def entity(self, entity_id: str) -> str:
        return f"<{self.base}{self.kind[entity_id]}/{entity_id}>"

    def node(self, table: str, row_id: str) -> str:
        return f"{self.node_prefix[table]}{row_id}>"

    def labelled(self, table: str, row: dict[str, str], *classes: str) -> tuple[str, list[Line]]:
        """A row's node, `{base}{kind}/{id}`, with its types and `labels`."""
        s = self.node(table, row["id"])
        return s, _types(s, *classes) + self.labels(s, row)

    def labels(self, s: str, row: dict[str, str]) -> list[Line]:
        """`label_texts` for one row, as lines."""
        text = self.label_texts([s], {c: [row.get(c, "")] for c in LABEL_COLUMNS})[0]
        return text[:-1].split("\n")

    def label_texts(self, nodes: list[str], columns: Columns) -> list[RowText]:
        """The labels of rows: `label_zh` as rdfs:label and skos:prefLabel "@zh",
        `label_en` likewise "@en" when given, each `aliases` part as a skos:altLabel "@zh",
        the id as dct:identifier, `description_en` as dct:description "@en"."""
        n = len(nodes)
        out = []
        for s, row_id, zh, en, aliases, description in zip(
            nodes,
            columns["id"],
            columns["label_zh"],
            columns.get("label_en") or [""] * n,
            columns.get("aliases") or [""] * n,
            columns.get("description_en") or [""] * n,
            strict=True,
        ):
            zh = lit(zh, "zh")
            text = f"{s} {LABEL} {zh}\n{s} {PREF} {zh}\n"
            if en:
                en = lit(en, "en")
                text += f"{s} {LABEL} {en}\n{s} {PREF} {en}\n"
            if aliases:
                text += "".join(f"{s} {ALT} {lit(a, 'zh')}\n" for a in split_multi(aliases))
            text += f"{s} {IDENTIFIER} {lit(row_id)}\n"
            if description:
                text += f"{s} {DESCRIPTION} {lit(description, 'en')}\n"
            out.append(text)
        return out

    def ref(self, s: str, p: str, value: str) -> list[Line]:
        return [f"{s} {p} {self.entity(value)}"] if value else []

    def text(self, s: str, p: str, value: str) -> list[Line]:
        return [f"{s} {p} {lit(value)}"] if value else []

    def typed(self, s: str, p: str, value: str, datatype: str) -> list[Line]:
        return [f"{s} {p} {lit(value, datatype=datatype)}"] if value else []

    def nodes(self, table: str, row_ids: list[str]) -> list[str]:
        """`node` over a column of ids."""
        prefix = self.node_prefix[table]
        return [f"{prefix}{row_id}>" for row_id in row_ids]

    def with_evidence(
        self, table: str, row: dict[str, str], fact: str, body: list[Line]
    ) -> tuple[bytes, bytes]:
        """`evidence_chunk` for one row whose triples are `body`."""
        columns = {c: [row.get(c, "")] for c in EVIDENCE_COLUMNS}
        return self.evidence_chunk(table, columns, [fact], [row_text(body)])

    def evidence_chunk(
        self, table: str, columns: Columns, facts: list[str], bodies: list[RowText]
    ) -> tuple[bytes, bytes]:
        """Rows' N-Quads (each row's triples `bodies[i]` and its evidence, in each source's
        graph) and N-Triples (the same triples once, for the default-graph store), as UTF-8.
        One Evidence node `{base}evidence/{kind}.{id}.{n}` per source/quote pair of a row:
        quote "@zh", source, assertion mode (`assertion`, stated when empty), `note` as
        curator note, and for a tabular source the line (ckg:row).

        Each row is encoded once, in byte pieces whose lines end by a bare newline (no line
        holds one: `lit` escapes them, ids match ID_PATTERN); the N-Triples are the chunk's
        pieces joined, every newline replaced by " .\\n", the N-Quads each run of
        consecutive rows of one source joined, every newline replaced by " <graph> .\\n": a
        bytes replace of one character is a memchr loop, far cheaper than ending (and
        encoding) every line on its own. The evidence is encoded in three pieces, its ASCII
        text apart from the quote: a str holding CJK is two or four bytes a character, and
        encoding it costs per character."""
        n = len(facts)
        triples: list[bytes] = []  # pieces of the chunk's rows
        quads: list[bytes] = []
        run: list[bytes] = []  # pieces of consecutive rows' text in one source's graph
        run_source = ""
        modes, ends, prefix = self.modes, self._graph_ends, self.evidence_prefix[table]
        for row_id, fact, body, sources, quotes, assertion, note in zip(
            columns["id"],
            facts,
            bodies,
            columns["source"],
            columns["quote"],
            columns.get("assertion") or [""] * n,
            columns.get("note") or [""] * n,
            strict=True,
        ):
            mode = modes[assertion or "stated"]
            text = body.encode()
            triples.append(text)
            pairs = zip(split_multi(sources), split_multi(quotes), strict=True)
            for number, (source, quote) in enumerate(pairs, 1):
                evidence = self._evidence(prefix, row_id, number, fact, source, quote, mode, note)
                triples += evidence
                if source != run_source:
                    if run:
                        quads.append(b"".join(run).replace(b"\n", ends[run_source]))
                        run = []
                    run_source = source
                run.append(text)  # the row's triples again in each source's graph
                run += evidence
        if run:
            quads.append(b"".join(run).replace(b"\n", ends[run_source]))
        return b"".join(quads), b"".join(triples).replace(b"\n", _END)

    def _evidence(
        self,
        prefix: str,
        row_id: str,
        number: int,
        fact: str,
        source: str,
        quote: str,
        mode: str,
        note: str,
    ) -> tuple[bytes, bytes, bytes]:
        """The lines of one Evidence node (newline-ended, see `evidence_chunk`) in three
        pieces; registers the graph end of `source`."""
        ev = f"{prefix}{row_id}.{number}>"
        tail = f"\n{ev} {K.source} <{self.base}source/{source}>\n{ev} {K.assertionMode} {mode}\n"
        if note:
            tail += f"{ev} {K.curatorNote} {lit(note)}\n"
        if source in self.tabular:
            row = lit(str(self.line_of(source, quote)), datatype=INTEGER)
            tail += f"{ev} {K.row} {row}\n"
        if source not in self._graph_ends:
            self._graph_ends[source] = f" <{self.base}graph/{source}> .\n".encode()
        return (
            f"{fact} {K.evidence} {ev}\n{ev} {A} {K.Evidence}\n{ev} {K.supports} {fact}\n"
            f"{ev} {K.quote} ".encode(),
            lit(quote, "zh").encode(),
            tail.encode(),
        )
