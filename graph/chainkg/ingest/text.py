"""The article cut into words and sentences, and the tests of a name's shape.

`ArticleText(text, index)` holds jieba's words (with the data set's names in its user
dictionary) and the sentences, finds a name's left edge and quotes a sentence; `trim_noise`,
`is_generic` and `place_variant` judge a name. Used by `extract` and `facts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainkg.ingest import rules
from chainkg.ingest.known import KnownIndex, base_tokenizer, make_tokenizer

MAX_QUOTE = 120
SENTENCE_END = "。！？!?；;\n"
CLAUSE_END = "，,：:、"
NAME_RE = re.compile(rf"^{rules.NAME_CHAR}+$")
AMOUNT_RE = re.compile(rules.AMOUNT_PATTERN)
LAND_RE = re.compile(rules.LAND_PATTERN)
DATE_RE = re.compile(rules.DATE_PATTERN)
YEAR_RE = re.compile(r"(\d{4})年")
NOISE = tuple(sorted(rules.WORDS["leading_noise"], key=len, reverse=True))
BOUNDARY = frozenset(rules.WORDS["boundary_pos"])


@dataclass
class Token:
    word: str
    flag: str
    start: int
    end: int


class ArticleText:
    """The text cut into words and sentences."""

    def __init__(self, text: str, index: KnownIndex) -> None:
        self.text = text
        tokenizer = make_tokenizer(index)
        self.tokens: list[Token] = []
        at = 0
        for pair in tokenizer.cut(text, HMM=True):
            self.tokens.append(Token(pair.word, pair.flag, at, at + len(pair.word)))
            at += len(pair.word)
        self.token_at = [0] * (len(text) + 1)
        for i, token in enumerate(self.tokens):
            for pos in range(token.start, token.end):
                self.token_at[pos] = i
        self.starts = {t.start for t in self.tokens}
        self.ends = {t.end for t in self.tokens}
        self.sentences: list[tuple[int, int]] = []
        begin = 0
        for i, ch in enumerate(text):
            if ch in SENTENCE_END:
                self.sentences.append((begin, i + 1))
                begin = i + 1
        self.sentences.append((begin, len(text)))

    def sentence(self, pos: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= pos < end:
                return start, end
        return self.sentences[-1]

    def quote(self, start: int, end: int) -> str:
        """The sentence around [start, end), clipped at clause marks to MAX_QUOTE chars,
        without surrounding white space or the closing mark: an exact substring."""
        s_start, s_end = self.sentence(start)
        s_end = max(s_end, end)
        lo, hi = s_start, s_end
        while hi - lo > MAX_QUOTE:
            left = self.text.rfind("，", lo, start)
            right = self.text.find("，", end, hi)
            if left > lo and (start - left >= hi - right or right < 0):
                lo = left + 1
            elif right >= 0:
                hi = right
            else:
                break
        quote = self.text[lo:hi].strip().rstrip("。！？!?；;，,")
        return quote.strip() or self.text[start:end]

    def left_edge(
        self,
        pos: int,
        *,
        allow: tuple[str, ...] = (),
        max_chars: int = 20,
        stops: tuple[str, ...] = ("项目", "企业"),
    ) -> int:
        """Where a name ending after pos starts: walk back over words until a boundary."""
        i = self.token_at[pos]
        token = self.tokens[i]
        edge = token.start if token.start < pos else pos
        if token.start < pos and not name_word(token, allow):
            # a word across the name's start (包装有|限公司): keep its name characters
            head = self.text[token.start : pos]
            if not NAME_RE.match(head) or head in rules.WORDS["leading_noise"]:
                return pos
        i -= 1
        while i >= 0 and pos - self.tokens[i].start <= max_chars:
            token = self.tokens[i]
            if not name_word(token, allow) or token.word.endswith(stops):
                break
            edge = token.start
            i -= 1
        return edge


def name_word(token: Token, allow: tuple[str, ...]) -> bool:
    """Whether a word may be part of a name (allow: extra words and jieba tags)."""
    if token.word in allow:
        return True
    if not NAME_RE.match(token.word):
        return False
    if token.word in rules.WORDS["leading_noise"]:
        return False
    if token.flag == "m" and "m" in allow:
        return bool(
            re.match(
                r"^(?:[\d万千百亿台吨辆套]+|[一二三四五六七八九十]|第?[\d一二三四五六七八九十]+届|首届)$",
                token.word,
            )
        )
    if token.flag in BOUNDARY:
        return token.flag in allow
    return True


def trim_noise(name: str) -> str:
    """Drop leading noise words (作为, 引进, 的 ...) from a name."""
    changed = True
    while changed and name:
        changed = False
        for word in NOISE:
            if name.startswith(word) and len(name) > len(word) + 1:
                name, changed = name[len(word) :], True
                break
    return name


def is_generic(name: str, suffix: str) -> bool:
    core = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
    if (
        name in rules.WORDS["generic_names"]
        or name in rules.WORDS["company_legal_suffixes"]
        or len(core) < 2
    ):
        return True
    rest = core
    changed = True
    while changed and rest:
        changed = False
        for prefix in rules.WORDS["generic_prefixes"]:
            if rest.startswith(prefix):
                rest, changed = rest[len(prefix) :], True
    if len(rest) < 2 or re.match(r"^[\d一二三四五六七八九十几多]+个", core):
        return True
    if not re.search(r"[\u4e00-\u9fff]{2}", rest):
        return True
    for ending in rules.WORDS["generic_endings"]:
        if core.endswith(ending):  # 配套项目 is generic, 某某集团重大项目 is not
            rest = core[: -len(ending)]
            return (
                len(rest) < 2
                or is_generic(rest, "")
                or rest.endswith(rules.WORDS["generic_endings"] + rules.WORDS["place_endings"])
            )
    return False


def place_variant(a: str, b: str) -> bool:
    """Whether one name is the other with a place in front (株洲高科 / 高科)."""
    if len(a) < len(b):
        a, b = b, a
    if len(b) < 2 or not a.endswith(b) or a == b:
        return False
    return base_tokenizer()[1].word_tag_tab.get(a[: -len(b)]) == "ns"


def make_freq() -> dict[str, int]:
    """jieba's base word frequencies (a common word is not a firm's name)."""
    return base_tokenizer()[0].FREQ
