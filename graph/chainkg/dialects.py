"""What the SPARQL stores chainkg pushes to do differently, and the rewrites that bridge it.

`chainkg.remote` applies these to a query before sending it and to the answer it gets back, so
the named queries give the same answers on every store:

* **LATERAL** (SPARQL 1.2; Oxigraph has it, Virtuoso 7 and Jena before 5 do not). The named
  queries use it only as `LATERAL { OPTIONAL { P } }`, a per-row lookup that keeps Oxigraph
  from hash-joining P over the whole graph. `without_lateral` turns each into `OPTIONAL { P }`,
  which gives the same rows when P's filters use only P's own variables (true of every named
  query; tests/test_remote.py compares both forms on the seed graph). Any other use of
  LATERAL is refused with its line, never silently changed.
* **Virtuoso 7** (Debian's `virtuoso-opensource`, 7.2.5):
  - a plain string literal with non-ASCII characters in the query text is held as a "wide"
    string while the stored data are UTF-8 "narrow" strings: `STR("北汽")` gives "??" and
    `CONCAT(?label, " → ")` garbles the label (upstream issues openlink/virtuoso-opensource
    #609 and #944). Written as `"北汽"^^xsd:string` (the same RDF term in RDF 1.1) it is a
    narrow UTF-8 string like the data, and STR, CONCAT, CONTAINS and equality all work;
    `virtuoso_strings` does that to every such literal, GROUP_CONCAT's SEPARATOR included
    (Virtuoso accepts a typed literal there; other stores do not, so only for Virtuoso).
  - booleans come back as xsd:integer 1/0 (`EXISTS {...}`, `true`, comparisons, also in
    `BIND(... AS ?v)`): `query_shape` finds the variables a query binds to a boolean
    expression (with rdflib's SPARQL parser) and `virtuoso_results` turns their 1/0 back into
    true/false; an xsd:boolean written 1/0 anywhere becomes true/false.
  - an ASK answer comes as a one-row SELECT of `__ASK_RETVAL`; `virtuoso_results` makes it
    a boolean answer again.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

XSD = "http://www.w3.org/2001/XMLSchema#"
VIRTUOSO = "virtuoso"
STANDARD = "standard"

# String literals, IRIs and comments (IRIs and comments only so that a quote or '#' in them is
# not taken for the start of something else). Long strings before short ones.
_TOKENS = re.compile(
    r"""
      (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               | '(?:[^'\\\n\r]|\\.)*'
               | "(?:[^"\\\n\r]|\\.)*")
    | <[^<>"{}|^`\\\x00-\x20]*>
    | \#[^\n\r]*
    """,
    re.VERBOSE | re.DOTALL,
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]|\\[uU]")
_LATERAL_OPTIONAL = re.compile(r"(?<![\w:?$])LATERAL\s*\{\s*(?=OPTIONAL\s*\{)", re.IGNORECASE)
_LATERAL = re.compile(r"(?<![\w:?$])LATERAL(?![\w:])", re.IGNORECASE)


# ---------------------------------------------------------------- LATERAL


def _masked(text: str) -> str:
    """The query with comments blanked and strings and IRIs filled with 'x' (same length), so
    braces and keywords are found only where the grammar can have them."""
    chars = list(text)
    for m in _TOKENS.finditer(text):
        fill = " " if m.group(0).startswith("#") else "x"
        chars[m.start() : m.end()] = fill * (m.end() - m.start())
    return "".join(chars)


def _closing_brace(masked: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced '{{' at offset {opening}")


def uses_lateral(text: str) -> bool:
    return bool(_LATERAL.search(_masked(text)))


def without_lateral(text: str) -> str:
    """The query with every `LATERAL { OPTIONAL { P } }` written `OPTIONAL { P }` (SPARQL 1.1).

    Innermost-last: each pass rewrites the last LATERAL, so offsets of earlier ones stay valid.
    """
    while True:
        masked = _masked(text)
        found = list(_LATERAL_OPTIONAL.finditer(masked))
        if not found:
            break
        m = found[-1]
        lateral_open = masked.index("{", m.start())
        lateral_close = _closing_brace(masked, lateral_open)
        optional_close = _closing_brace(masked, masked.index("{", m.end()))
        if masked[optional_close + 1 : lateral_close].strip():
            break  # more than the one OPTIONAL inside: refused below
        text = text[: m.start()] + text[m.end() : lateral_close] + text[lateral_close + 1 :]
    if left := _LATERAL.search(_masked(text)):
        line = text.count("\n", 0, left.start()) + 1
        raise ValueError(
            f"line {line}: this store has no LATERAL, and chainkg rewrites only "
            "'LATERAL { OPTIONAL { ... } }' (into OPTIONAL { ... }); rewrite the query"
        )
    return text


# ---------------------------------------------------------------- Virtuoso


def virtuoso_strings(text: str) -> str:
    """Plain string literals with non-ASCII characters made narrow UTF-8 strings for Virtuoso
    (see the module docstring): `STR("..."^^xsd:string)` inside an expression, where Virtuoso
    compares and concatenates it like the stored strings (the typed term alone equals no
    STR(...) value), and `"..."^^xsd:string` where only a term can stand (triple patterns,
    VALUES rows, GROUP_CONCAT's SEPARATOR)."""
    masked = _masked(text)
    contexts: dict[int, str] = {}  # literal offset -> "expression" or "term"
    stack: list[str] = []  # "(", "{", or "V" for a VALUES block's braces
    literals = {m.start(): m for m in _TOKENS.finditer(text) if m.group("string") is not None}
    values_pending = False
    i = 0
    while i < len(masked):
        if i in literals:
            separator = re.search(r"SEPARATOR\s*=\s*$", masked[max(0, i - 40) : i], re.I)
            in_values = "V" in stack
            expression = bool(stack) and stack[-1] == "(" and not in_values and not separator
            contexts[i] = "expression" if expression else "term"
            i = literals[i].end()
            continue
        char = masked[i]
        if char in "({":
            stack.append("V" if char == "{" and (values_pending or "V" in stack) else char)
            values_pending = values_pending and char == "("  # VALUES (?a ?b) { ... }
        elif char in ")}" and stack:
            stack.pop()
        elif m := re.compile(r"(?<![\w:?$])VALUES(?![\w:])", re.I).match(masked, i):
            values_pending = True
            i = m.end()
            continue
        i += 1
    pieces, pos = [], 0
    for start, m in literals.items():
        literal = m.group("string")
        rest = text[m.end() : m.end() + 2]
        if not _NON_ASCII.search(literal) or rest.startswith("@") or rest == "^^":
            continue
        typed = f"{literal}^^<{XSD}string>"
        pieces += [text[pos:start], f"STR({typed})" if contexts[start] == "expression" else typed]
        pos = m.end()
    return "".join([*pieces, text[pos:]])


_BOOLEAN_FORMS = frozenset(
    {
        "ConditionalOrExpression",
        "ConditionalAndExpression",
        "RelationalExpression",
        "UnaryNot",
        "Builtin_EXISTS",
        "Builtin_NOTEXISTS",
        "Builtin_BOUND",
        "Builtin_isIRI",
        "Builtin_isURI",
        "Builtin_isBLANK",
        "Builtin_isLITERAL",
        "Builtin_isNUMERIC",
        "Builtin_REGEX",
        "Builtin_CONTAINS",
        "Builtin_STRSTARTS",
        "Builtin_STRENDS",
        "Builtin_sameTerm",
        "Builtin_LANGMATCHES",
    }
)
_KEEPS_TYPE = frozenset({"Aggregate_Sample", "Aggregate_Min", "Aggregate_Max"})


@lru_cache(maxsize=256)
def query_shape(text: str) -> tuple[frozenset[str], bool]:
    """The variables that the query binds to a boolean (BIND, SELECT expressions, VALUES,
    and what takes their value: COALESCE, IF, SAMPLE/MIN/MAX), and whether it is SELECT
    DISTINCT. Parsed by rdflib; a query rdflib cannot parse gets ((), False): its 1/0 are
    then left as they are."""
    from rdflib import Literal, URIRef, Variable
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # rdflib raises pyparsing and its own errors alike
        return frozenset(), False
    distinct = getattr(algebra.get("p"), "name", "") == "Distinct"
    definitions: list[tuple[str, object]] = []
    booleans: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "Extend":
                definitions.append((str(node["var"]), node["expr"]))
            elif node.name in _KEEPS_TYPE:
                definitions.append((str(node["res"]), node["vars"]))
            elif node.name == "values":
                for row in node.get("res") or []:
                    for var, term in row.items():
                        if isinstance(term, Literal) and term.datatype == URIRef(XSD + "boolean"):
                            booleans.add(str(var))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    def is_boolean(expr: object) -> bool:
        if isinstance(expr, Literal):
            return expr.datatype == URIRef(XSD + "boolean")
        if isinstance(expr, Variable):
            return str(expr) in booleans
        if not isinstance(expr, CompValue):
            return False
        if expr.name in _BOOLEAN_FORMS:
            return True
        if expr.name == "Builtin_COALESCE":
            return any(is_boolean(arg) for arg in expr["arg"])
        if expr.name == "Builtin_IF":
            return is_boolean(expr["arg2"]) or is_boolean(expr["arg3"])
        if expr.name == "Function":
            return expr["iri"] == URIRef(XSD + "boolean")
        return False

    walk(algebra)
    changed = True
    while changed:
        changed = False
        for var, expr in definitions:
            if var not in booleans and is_boolean(expr):
                booleans.add(var)
                changed = True
    return frozenset(booleans), distinct


def virtuoso_results(data: bytes, booleans: frozenset[str], distinct: bool = False) -> bytes:
    """Virtuoso's SPARQL JSON answer as the standard expects it: ASK as a boolean answer, and
    1/0 as true/false in boolean variables and wherever the datatype is xsd:boolean. With
    `distinct`, rows that became equal are kept once (Virtuoso's DISTINCT can keep a boolean
    and its integer twin apart)."""
    doc = json.loads(data)
    bindings = doc.get("results", {}).get("bindings", [])
    if doc.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
        value = bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
        return json.dumps({"head": {}, "boolean": value}).encode()
    for row in bindings:
        for name, term in row.items():
            datatype = term.get("datatype")
            if term.get("value") not in ("0", "1"):
                continue
            if datatype == XSD + "boolean" or (name in booleans and datatype == XSD + "integer"):
                row[name] = {
                    "type": "literal",
                    "datatype": XSD + "boolean",
                    "value": "true" if term["value"] == "1" else "false",
                }
    if distinct:
        seen: set[str] = set()
        kept = []
        for row in bindings:
            key = json.dumps(row, sort_keys=True)
            if key not in seen:
                seen.add(key)
                kept.append(row)
        doc["results"]["bindings"] = kept
    return json.dumps(doc, ensure_ascii=False).encode()
