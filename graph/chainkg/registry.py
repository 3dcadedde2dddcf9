"""Enterprise-registry exports (工商登记 lists): read, validate and parse rows:
`read_registry(path, ...) -> RegistryFile`.

An export is a CSV (UTF-8, or GBK with `encoding`) or XLSX file whose headings are those such
exports print (`HEADINGS`); other headings are mapped with `columns={"公司名称": "企业名称"}`.
Each row is checked: the credit code's check digit (python-stdnum, `stdnum.cn.uscc`), the
industry code or name against GB/T 4754-2017, the capital ("1,088(万元人民币)", "500万美元")
and the founding date; a credit code given twice is an error on its second row. Problems name
the file, row and field; the good rows come back parsed, the bad ones with their problems.

Across exports (`latest_rows`, one place): a credit code in two exports is one firm, and the
later export's row is its record (a yearly export replaces the year before's); the earlier
rows are superseded, not mapped, and their other names are the firm's former names.

Placement rules (also here, one place): `place_by_address` applies the data set's address
rules; `categories_for` places a firm in reference categories by its industry code and by key
products named in its business scope.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

import ahocorasick
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from chainkg.errors import SeedProblem
from chainkg.reference import Category, Reference
from chainkg.schema import MULTI_SEPARATOR

CREDIT_CODE, NAME, STATUS, FOUNDED = "统一社会信用代码", "企业名称", "登记状态", "成立日期"
CAPITAL, ADDRESS, INDUSTRY, SCOPE, LEGAL_REP = (
    "注册资本",
    "注册地址",
    "国标行业",
    "经营范围",
    "法定代表人",
)
HEADINGS = (CREDIT_CODE, NAME, STATUS, FOUNDED, CAPITAL, ADDRESS, INDUSTRY, SCOPE, LEGAL_REP)
REQUIRED_HEADINGS = (CREDIT_CODE, NAME, INDUSTRY)
FIRST_DATA_ROW = 2  # row 1 is the heading row, in CSV and XLSX alike

CURRENCIES = {
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "日元": "JPY",
    "英镑": "GBP",
}
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "": Decimal(1)}
_CAPITAL = re.compile(
    r"^\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*[(（]?\s*(?P<mult>[万亿]?)\s*(?P<currency>"
    + "|".join(sorted({k for k in CURRENCIES} | {"元人民币"}, key=len, reverse=True))
    + r")?\s*[)）]?\s*$"
)
_DATES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_INDUSTRY_CODE = re.compile(r"^([A-T])?\s*(\d{2,4})?$")


@dataclass(frozen=True)  # one instance may stand for every row printing the same text
class Capital:
    """Registered capital: the amount in its currency, the currency, the text as printed."""

    amount: Decimal
    currency: str  # ISO 4217
    text: str

    @property
    def yuan(self) -> Decimal | None:
        """The amount in yuan, when it is in yuan (no exchange rate is assumed)."""
        return self.amount if self.currency == "CNY" else None


@dataclass
class RegistryRecord:
    """One good row of an export."""

    row: int
    credit_code: str
    name: str
    industry_code: str  # GB/T 4754-2017 code at the level given (letter, 2, 3 or 4 digits)
    industry_text: str
    status: str = ""
    founded: str = ""  # ISO date
    capital: Capital | None = None
    address: str = ""
    scope: str = ""
    legal_representative: str = ""


@dataclass
class RegistryFile:
    """A parsed export: good records, problems, and every row's cells (for reject files)."""

    path: Path
    headings: list[str]
    records: list[RegistryRecord] = field(default_factory=list)
    problems: list[SeedProblem] = field(default_factory=list)
    cells: dict[int, list[str]] = field(default_factory=dict)  # row -> cells as read

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line and p.line >= FIRST_DATA_ROW})


class RegistryReadError(ValueError):
    """The file cannot be read at all (encoding, format, missing column)."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_table(path: Path, encoding: str | None = None) -> list[list[str]]:
    """The file's rows as lists of strings (CSV or XLSX); raises RegistryReadError."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raw = path.read_bytes()
    if encoding is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            looks_gbk = _decodes(raw, "gb18030")
            guess = "it looks GBK-encoded (common in registry exports)" if looks_gbk else ""
            raise RegistryReadError(
                [
                    SeedProblem(
                        str(path),
                        line,
                        None,
                        f"is not UTF-8 (byte {exc.start}){'; ' + guess if guess else ''}",
                        "Re-run with --encoding gbk"
                        if looks_gbk
                        else "Pass the file's encoding with --encoding",
                    )
                ]
            ) from None
    else:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise RegistryReadError(
                [
                    SeedProblem(
                        str(path),
                        None,
                        None,
                        f"cannot be read as {encoding}: {exc}",
                        "Pass the file's real encoding with --encoding (utf-8, gbk, gb18030)",
                    )
                ]
            ) from None
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds; all mean unreadable
        raise RegistryReadError(
            [
                SeedProblem(
                    str(path), None, None, f"is not a readable XLSX file: {exc}", "Re-save it"
                )
            ]
        ) from None
    try:
        rows = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
        return rows
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_registry(
    path: Path | str,
    reference: Reference,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
) -> RegistryFile:
    """Read and check every row; see the module docstring. Raises RegistryReadError when the
    file as a whole is unusable (encoding, format, required column missing)."""
    path = Path(path)
    rows = read_table(path, encoding)
    if not rows:
        raise RegistryReadError(
            [SeedProblem(str(path), None, None, "is empty", "Export the list with its headings")]
        )
    mapping = columns or {}
    headings = [mapping.get(h.strip(), h.strip()) for h in rows[0]]
    missing = [h for h in REQUIRED_HEADINGS if h not in headings]
    if missing:
        raise RegistryReadError(
            [
                SeedProblem(
                    str(path),
                    1,
                    h,
                    "required column is missing",
                    f"Add it, or map the file's own heading to it with --column HEADING={h}; "
                    f"headings found: {', '.join(rows[0])}",
                )
                for h in missing
            ]
        )
    result = RegistryFile(path, headings)
    seen: dict[str, int] = {}
    parsers = _CellParsers(reference)
    for row_number, cells in enumerate(rows[1:], FIRST_DATA_ROW):
        if not any(c.strip() for c in cells):
            continue
        result.cells[row_number] = cells
        record = dict(zip(headings, (c.strip() for c in cells), strict=False))
        problems: list[SeedProblem] = []
        parsed = _parse_row(path, row_number, record, parsers, problems)
        if parsed and parsed.credit_code in seen:
            problems.append(
                SeedProblem(
                    str(path),
                    row_number,
                    CREDIT_CODE,
                    f"credit code {parsed.credit_code} is also on row {seen[parsed.credit_code]}",
                    "Keep one row per enterprise",
                )
            )
        if problems:
            result.problems += problems
        elif parsed:
            seen[parsed.credit_code] = row_number
            result.records.append(parsed)
    return result


# GB 32100-2015's character set and check-digit weights, as python-stdnum's `cn.uscc` has them
_USCC_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_NOT_IN_SET = (-1,) * 18


def credit_code_of(cell: str) -> str:
    """A credit code cell as a row's code (upper case, no spaces)."""
    return cell.upper().replace(" ", "")


def valid_credit_code(code: str) -> bool:
    """Whether `code` is a credit code in its compact form (18 characters, 8 ASCII digits
    first) whose check digit is right: the common case, checked without `uscc.validate`,
    which cleans the text of separators twice character by character (reading a 1M-row
    export, the load stage of the build, on one core: 29.7 -> 23.1 s, BENCHMARKS.md). False
    leaves the verdict and its message to `uscc.validate` (a test proves that this never
    accepts what it refuses)."""
    if len(code) != 18 or not (code[:8].isascii() and code[:8].isdigit()):
        return False
    values = list(map(_USCC_VALUES.get, code, _NOT_IN_SET))
    if min(values) < 0:
        return False
    total = sum(map(operator.mul, values, _USCC_WEIGHTS))  # (the first 17: the weights')
    return values[17] == (31 - total) % 31


class _CellParsers:
    """The parsers of an export's industry, date and capital cells, each remembering its
    answer by the cell's text (for the file's reading): a column of a million rows holds a
    few thousand distinct texts (the classes of the standard, the days of a few decades,
    round capitals)."""

    def __init__(self, reference: Reference) -> None:
        self.industry = functools.cache(functools.partial(resolve_industry, reference=reference))
        self.date = functools.cache(parse_date)
        self.capital = functools.cache(parse_capital)


def _parse_row(
    path: Path,
    row: int,
    cells: dict[str, str],
    parsers: _CellParsers,
    problems: list[SeedProblem],
) -> RegistryRecord | None:
    def problem(field_name: str, message: str, hint: str) -> None:
        problems.append(SeedProblem(str(path), row, field_name, message, hint))

    code = credit_code_of(cells.get(CREDIT_CODE, ""))
    if not code:
        problem(CREDIT_CODE, "is empty", "Give the 18-character unified social credit code")
    elif not valid_credit_code(code):
        try:
            uscc.validate(code)
        except ValidationError as exc:
            problem(
                CREDIT_CODE,
                f"'{code}' is not a valid credit code ({exc.message})",
                "Copy the code again from the registry; the last character is a check digit",
            )
    name = cells.get(NAME, "")
    if not name:
        problem(NAME, "is empty", "Give the enterprise's registered name")
    industry_text = cells.get(INDUSTRY, "")
    industry_code = parsers.industry(industry_text)
    if not industry_text:
        problem(INDUSTRY, "is empty", "Give the GB/T 4754-2017 code or name")
    elif industry_code is None:
        problem(
            INDUSTRY,
            f"'{industry_text}' is not a GB/T 4754-2017 code or name",
            "Write a code such as C3670 or 3670, or the exact name of the class",
        )
    founded = ""
    if cells.get(FOUNDED):
        founded = parsers.date(cells[FOUNDED]) or ""
        if not founded:
            problem(FOUNDED, f"'{cells[FOUNDED]}' is not a date", "Write e.g. 2015-03-12")
    capital = None
    if cells.get(CAPITAL):
        capital = parsers.capital(cells[CAPITAL])
        if capital is None:
            problem(
                CAPITAL,
                f"'{cells[CAPITAL]}' is not a readable capital",
                "Write e.g. 50(万元人民币), 1,088万元 or 500万美元",
            )
    if problems:
        return None
    return RegistryRecord(
        row=row,
        credit_code=code,
        name=name,
        industry_code=industry_code or "",
        industry_text=industry_text,
        status=cells.get(STATUS, ""),
        founded=founded,
        capital=capital,
        address=cells.get(ADDRESS, ""),
        scope=cells.get(SCOPE, ""),
        legal_representative=cells.get(LEGAL_REP, ""),
    )


def parse_capital(text: str) -> Capital | None:
    """'1,088(万元人民币)' -> 10880000 CNY; '500万美元' -> 5000000 USD; None if unreadable."""
    match = _CAPITAL.match(text)
    if not match:
        return None
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        return None
    word = match["currency"] or "元"
    currency = "CNY" if word == "元人民币" else CURRENCIES[word]
    return Capital(number * _MULTIPLIERS[match["mult"]], currency, text)


def parse_date(text: str) -> str | None:
    """An ISO date from the usual printed forms, or None."""
    for pattern in _DATES:
        match = pattern.match(text.strip())
        if match:
            try:
                return date(*(int(g) for g in match.groups())).isoformat()
            except ValueError:
                return None
    return None


def resolve_industry(text: str, reference: Reference) -> str | None:
    """The GB/T code a cell names: 'C3670', '3670', 'C', a class name, or 'code name'; in a
    path ('制造业 > 汽车制造业') the most specific part. None if unknown or ambiguous."""
    text = text.strip()
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:>|/|-|—|＞)\s*", text) if p.strip()]
    last = parts[-1] if parts else text
    match = _INDUSTRY_CODE.match(last.split()[0]) if last.split() else None
    if match and (match[1] or match[2]):
        code = match[2] or match[1]
        if code in reference.codes and (
            not match[1] or not match[2] or reference.code_ancestry(code)[-1] == match[1]
        ):
            return code
        return None
    name = last.split()[-1]
    codes = sorted(reference.code_by_name.get(name, []), key=len)
    # a name repeated down one line of the tree (中类 367 and 小类 3670) is the deepest one
    if codes and all(c in reference.code_ancestry(codes[-1]) for c in codes):
        return codes[-1]
    return None


@dataclass(frozen=True)
class AddressRule:
    """A row of the data set's address_rules table: a registered address containing one of
    `keywords` places the firm in `place` (rules of higher `priority` first)."""

    id: str
    place: str
    keywords: tuple[str, ...]
    priority: int
    note: str

    @classmethod
    def from_row(cls, row: dict[str, str]) -> AddressRule:
        """The rule of an address_rules row (as checked by `tables.load_seeds`)."""
        cell = row["keywords"]
        keywords = tuple(k.strip() for k in cell.split(MULTI_SEPARATOR)) if cell else ()
        return cls(row["id"], row["place"], keywords, int(row["priority"] or 0), row["note"])


def place_by_address(address: str, rules: list[AddressRule]) -> tuple[AddressRule, str] | None:
    """The first rule (highest priority, then file order) with a keyword in the address, and
    that keyword."""
    for rule in sorted(rules, key=lambda r: -r.priority):
        for keyword in rule.keywords:
            if keyword and keyword in address:
                return rule, keyword
    return None


@dataclass(frozen=True)
class CategoryPlacement:
    """A firm placed in a reference category, and why."""

    category: Category
    basis: str  # "industry-code", "industry-code+key-product" or "key-product"
    reason: str  # in Chinese, for officers
    reference_line: int  # line of the SEI file the rule rests on


def categories_for(record: RegistryRecord, reference: Reference) -> list[CategoryPlacement]:
    """The rule: a 4-digit code that the standard maps wholly to a category places the firm
    there; a code mapped partly (*) places it only when the business scope names one of that
    row's key products; a key product named in the scope places it even under another code."""
    out: dict[str, CategoryPlacement] = {}
    scope = record.scope
    for category, link in reference.categories_of_code(record.industry_code):
        named = next((p for p in link.key_products if p in scope), "") if scope else ""
        if not link.partial:
            out.setdefault(
                category.path,
                CategoryPlacement(
                    category,
                    "industry-code",
                    f"国标行业 {record.industry_code} 整体属于该类",
                    link.line,
                ),
            )
        elif named:
            out.setdefault(
                category.path,
                CategoryPlacement(
                    category,
                    "industry-code+key-product",
                    f"国标行业 {record.industry_code} 部分属于该类,经营范围含重点产品“{named}”",
                    link.line,
                ),
            )
    if scope:
        for product, category, line in _product_index(reference).found_in(scope):
            if category.path not in out:
                out[category.path] = CategoryPlacement(
                    category, "key-product", f"经营范围含重点产品“{product}”", line
                )
    return list(out.values())


MIN_PRODUCT_CHARS = 4  # shorter key products ("电机") match too much of a business scope


class _ProductIndex:
    """The key products of at least MIN_PRODUCT_CHARS characters as an Aho-Corasick
    automaton (pyahocorasick): a scope is read once, whatever the number of products (the
    ~4,000 phrases as one regex alternation were ~100x slower per row than a scan of each
    position's first two characters; this automaton, against that scan: assembling 100,000
    registry rows 5.3-5.9 -> 5.0-5.1 CPU-s)."""

    def __init__(self, reference: Reference):
        entries: dict[str, list[tuple[int, tuple[str, Category, int]]]] = {}
        order = itertools.count()  # the reference's order, for a product of several entries
        for category in reference.ordered():
            for link in category.codes:
                for product in link.key_products:
                    if len(product) >= MIN_PRODUCT_CHARS:
                        entry = (product, category, link.line)
                        entries.setdefault(product, []).append((next(order), entry))
        self.automaton = ahocorasick.Automaton()
        for product, found in entries.items():
            self.automaton.add_word(product, (len(product), found))
        if entries:
            self.automaton.make_automaton()

    def found_in(self, text: str) -> list[tuple[str, Category, int]]:
        """The (product, category, line) entries whose product `text` holds: by where the
        product starts in it, then in the reference's order."""
        if self.automaton.kind != ahocorasick.AHOCORASICK:
            return []
        hits = [
            (end - length + 1, order, entry)
            for end, (length, found) in self.automaton.iter(text)
            for order, entry in found
        ]
        hits.sort(key=lambda hit: hit[:2])
        return [entry for _start, _order, entry in hits]


_INDEXES: dict[int, _ProductIndex] = {}


def _product_index(reference: Reference) -> _ProductIndex:
    index = _INDEXES.get(id(reference))
    if index is None:
        index = _INDEXES[id(reference)] = _ProductIndex(reference)
    return index


class FormerName(NamedTuple):
    """A name an earlier export gave a firm, and that export's row."""

    name: str
    source: str
    row: int


# the fields on which a firm's rows in two exports are compared (`row_changes`): their
# headings, in the order a firm's changes are listed
COMPARED = (NAME, STATUS, FOUNDED, CAPITAL, ADDRESS, INDUSTRY, SCOPE)


class FieldChange(NamedTuple):
    """A field whose value differs between a firm's rows in two exports, as each prints it."""

    field: str  # a COMPARED heading
    before: str
    after: str


class RowChanges(NamedTuple):
    """What a firm's kept row changes against its row in the export before (`latest_rows`)."""

    source: str  # the earlier row's export and row
    row: int
    fields: tuple[FieldChange, ...]


def compared_fields(file: RegistryFile) -> frozenset[str]:
    """The COMPARED fields an export has columns for (a field one export lacks changes
    nothing)."""
    return frozenset(h for h in COMPARED if h in file.headings)


def _compared(record: RegistryRecord) -> tuple[tuple[object, str], ...]:
    """(the value compared, the text shown) of each COMPARED field of a row."""
    capital = record.capital
    return (
        (record.name, record.name),
        (record.status, record.status),
        (record.founded, record.founded),
        ((capital.amount, capital.currency) if capital else None, capital.text if capital else ""),
        (record.address, record.address),
        (record.industry_code, record.industry_text),
        (record.scope, record.scope),
    )


def row_changes(
    before: RegistryRecord, after: RegistryRecord, fields: Collection[str] = COMPARED
) -> tuple[FieldChange, ...]:
    """The fields among `fields` whose values differ between a firm's earlier and later
    rows, in COMPARED order: a date compared as a date, a capital by its amount and
    currency, the industry by its code (a value printed another way changes nothing), each
    shown as its row prints it."""
    return tuple(
        FieldChange(heading, old[1], new[1])
        for heading, old, new in zip(COMPARED, _compared(before), _compared(after), strict=True)
        if heading in fields and old[0] != new[0]
    )


class LatestRows(NamedTuple):
    """The exports with each credit code's row in the latest export only (`latest_rows`)."""

    files: dict[str, RegistryFile]  # source id -> the export, its superseded rows left out
    # (source, row) of a row left out -> the (source, row) kept for its credit code
    superseded: dict[tuple[str, int], tuple[str, int]]
    # (source, row) of a kept row -> the names the rows it supersedes give the firm and
    # it does not (newest first, each name once, from its newest row): its former names
    former_names: dict[tuple[str, int], tuple[FormerName, ...]]
    # (source, row) of a kept row -> what it changes against the firm's row in the export
    # ranked just below (only rows that change a field)
    changes: dict[tuple[str, int], RowChanges]
    # (source, row) of the kept rows of firms no export ranked below theirs holds (an
    # export ranked lowest has none: its firms are not new against anything)
    new_rows: frozenset[tuple[str, int]]


def latest_rows(
    files: Mapping[str, RegistryFile], ranks: Mapping[str, tuple[str, int]]
) -> LatestRows:
    """Keep each credit code's row in the latest export that holds it: the highest rank
    (`ranks`: source id -> (date as ISO text, line in sources.csv), so a later date wins,
    then the export registered later, i.e. imported later). The other rows of that code
    are superseded: left out of the exports returned, mapped to the row kept. An export
    that loses no row is returned as it is (one export: all of them). The kept rows are
    compared with the firm's row in the export ranked next below (`row_changes`, over the
    fields both exports have), and those of firms new against every lower export are
    named."""
    if len(files) < 2:
        return LatestRows(dict(files), {}, {}, {}, frozenset())
    Held = tuple[tuple[str, int], str, RegistryRecord]
    latest: dict[str, Held] = {}
    below: dict[str, Held] = {}  # the row ranked next below the latest
    for source, file in files.items():
        rank = ranks[source]
        for rec in file.records:
            held = latest.get(rec.credit_code)
            if held is None or held[0] < rank:
                if held is not None:
                    below[rec.credit_code] = held
                latest[rec.credit_code] = (rank, source, rec)
            elif rec.credit_code not in below or below[rec.credit_code][0] < rank:
                below[rec.credit_code] = (rank, source, rec)
    lowest = min(ranks[source] for source in files)
    fields = {source: compared_fields(file) for source, file in files.items()}
    kept: dict[str, RegistryFile] = {}
    superseded: dict[tuple[str, int], tuple[str, int]] = {}
    older: dict[tuple[str, int], list[tuple[tuple[str, int], FormerName]]] = {}
    changes: dict[tuple[str, int], RowChanges] = {}
    new_rows: set[tuple[str, int]] = set()
    for source, file in files.items():
        records = []
        for rec in file.records:
            _rank, winner, current = latest[rec.credit_code]
            if winner == source:
                records.append(rec)
                earlier = below.get(rec.credit_code)
                if earlier is None:
                    if ranks[source] > lowest:
                        new_rows.add((source, rec.row))
                    continue
                _, then, previous = earlier
                changed = row_changes(previous, rec, fields[source] & fields[then])
                if changed:
                    changes[(source, rec.row)] = RowChanges(then, previous.row, changed)
                continue
            superseded[(source, rec.row)] = (winner, current.row)
            if rec.name != current.name:
                then_name = FormerName(rec.name, source, rec.row)
                older.setdefault((winner, current.row), []).append((ranks[source], then_name))
        kept[source] = file if len(records) == len(file.records) else replace(file, records=records)
    former: dict[tuple[str, int], tuple[FormerName, ...]] = {}
    for key, names in older.items():
        newest: dict[str, FormerName] = {}
        for _rank, name in sorted(names, key=operator.itemgetter(0), reverse=True):
            newest.setdefault(name.name, name)
        former[key] = tuple(newest.values())
    return LatestRows(kept, superseded, former, changes, frozenset(new_rows))


def match_records(
    records: list[tuple[str, RegistryRecord]],
    enterprises: list[dict[str, str]],
    former_names: Mapping[tuple[str, int], Sequence[FormerName]] | None = None,
) -> tuple[dict[tuple[str, int], str], list[SeedProblem]]:
    """Registry rows matched to enterprises.csv rows: by credit code, else by name or alias,
    else by a former name an earlier export gave the firm (`latest_rows`; newest first).

    Returns {(source, row): enterprise id} and the conflicts (a row whose code names one
    enterprise and whose name another; two rows matched to one enterprise), which are never
    merged. Unmatched rows become new enterprises."""
    by_code = {e["credit_code"]: e["id"] for e in enterprises if e.get("credit_code")}
    by_name: dict[str, str] = {}
    for e in enterprises:
        for name in [e["label_zh"], *(a.strip() for a in e["aliases"].split("|") if a.strip())]:
            by_name.setdefault(name, e["id"])
    matches: dict[tuple[str, int], str] = {}
    problems: list[SeedProblem] = []
    taken: dict[str, tuple[str, int]] = {}
    former = former_names or {}
    for source, rec in records:
        where = (source, rec.row)
        code_id, name_id = by_code.get(rec.credit_code), by_name.get(rec.name)
        if code_id is None and name_id is None:  # renamed since an earlier export
            names = (f.name for f in former.get(where, ()))
            name_id = next((by_name[n] for n in names if n in by_name), None)
        if code_id and name_id and code_id != name_id:
            problems.append(
                SeedProblem(
                    source,
                    rec.row,
                    NAME,
                    f"credit code {rec.credit_code} is enterprise '{code_id}' but the name "
                    f"'{rec.name}' is enterprise '{name_id}'",
                    "Correct the credit_code or the names in enterprises.csv; rows are not "
                    "merged on a conflict",
                )
            )
            continue
        entity = code_id or name_id
        if entity and entity in taken:
            other = taken[entity]
            problems.append(
                SeedProblem(
                    source,
                    rec.row,
                    NAME,
                    f"matches enterprise '{entity}' like row {other[1]} of {other[0]}",
                    "Give enterprises.csv the credit code of the right one",
                )
            )
            continue
        if entity:
            taken[entity] = where
            matches[where] = entity
    return matches, problems


# 登记状态 values that mean the firm no longer operates (cancelled, revoked, moved out, closed,
# in liquidation); anything else (存续, 在业, 开业, ...) is taken as operating.
INACTIVE_STATUS_WORDS = ("注销", "吊销", "撤销", "迁出", "停业", "歇业", "清算")


def is_active(status: str) -> bool:
    """Whether a registration status as printed means the firm operates."""
    return not any(word in status for word in INACTIVE_STATUS_WORDS)
