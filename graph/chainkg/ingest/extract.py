"""Propose candidate facts from one article: `extract(text, source, index) -> [Candidate]`.

1. Cut the text with jieba (its user dictionary holds the data set's names, `known`).
2. Find mentions: known names, then names ending in a suffix of `rules` (company forms,
   projects, organizations, parks, chains, events), 《titles》 and “quoted” programs, lists of
   firms (A、B等企业). A name's left edge is found by walking back over jieba's words until a
   verb, preposition, particle, number or punctuation.
3. Attach to each project its amount, land, status and date printed in the same sentence;
   read statistics (number + unit) with their indicator and period; match relation cues
   (`rules.RELATION_PATTERNS`) between the mentions of a sentence.
Every candidate carries a verbatim quote (the sentence, clipped around the mention).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from chainkg.ingest import rules
from chainkg.ingest.known import KnownIndex, make_tokenizer, normalize

KINDS = (
    "enterprise",
    "organization",
    "park",
    "chain",
    "segment",
    "project",
    "program",
    "event",
    "statistic",
    "relation",
)
ENTITY_KINDS = KINDS[:-2]
MAX_QUOTE = 120
_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_END = "，,：:、"
_NAME_RE = re.compile(rf"^{rules.NAME_CHAR}+$")
_AMOUNT_RE = re.compile(rules.AMOUNT_PATTERN)
_LAND_RE = re.compile(rules.LAND_PATTERN)
_DATE_RE = re.compile(rules.DATE_PATTERN)
_YEAR_RE = re.compile(r"(\d{4})年")
_NOISE = tuple(sorted(rules.LEADING_NOISE, key=len, reverse=True))
_BOUNDARY = frozenset(rules.BOUNDARY_POS)
# Words and jieba tags a project's name may contain besides nouns (及, 25万台, 扩展, 一期 ...).
_PROJECT_WORDS = ("及", "m", "q", "x", "eng", "vn", "v", "a", "b", "一期", "二期", "三期")
# Kinds whose names may contain another mention (an investor in a project's name ...).
_COMPOSITE = ("project", "event", "program", "organization", "park", "chain", "enterprise")


@dataclass
class Candidate:
    """One proposed fact, with its evidence."""

    kind: str
    name: str
    quote: str
    confidence: float
    source: str
    start: int  # where the name (for a relation: the quote) starts in the article
    end: int
    rule: str
    known_id: str | None = None
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # other seed-table columns
    subject: str = ""  # relation: names of its ends, and the predicate
    type: str = ""
    object: str = ""

    def as_json(self) -> dict[str, object]:
        item: dict[str, object] = {
            "kind": self.kind,
            "name": self.name,
            "quote": self.quote,
            "confidence": round(self.confidence, 2),
            "source": self.source,
            "id": self.id,
        }
        if self.known_id:
            item["known_id"] = self.known_id
        if self.aliases:
            item["aliases"] = self.aliases
        if self.kind == "relation":
            item |= {"subject": self.subject, "type": self.type, "object": self.object}
            item |= {k: self.fields[k] for k in ("subject_id", "object_id") if k in self.fields}
        elif self.kind == "statistic":
            item |= {"value": self.fields.get("value_text", "")}
        elif self.kind == "project":
            item |= {
                "amount": self.fields.get("amount_text", ""),
                "amount_yuan": int(self.fields["amount_yuan"])
                if self.fields.get("amount_yuan")
                else None,
            }
        extra = {k: v for k, v in self.fields.items() if v and k not in item}
        if extra:
            item["fields"] = extra
        return item


@dataclass
class _Token:
    word: str
    flag: str
    start: int
    end: int


class _Article:
    """The text cut into words and sentences."""

    def __init__(self, text: str, index: KnownIndex) -> None:
        self.text = text
        tokenizer = make_tokenizer(index)
        self.tokens: list[_Token] = []
        at = 0
        for pair in tokenizer.cut(text, HMM=True):
            self.tokens.append(_Token(pair.word, pair.flag, at, at + len(pair.word)))
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
            if ch in _SENTENCE_END:
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
        if token.start < pos and not _name_word(token, allow):
            # a word across the name's start (包装有|限公司): keep its name characters
            head = self.text[token.start : pos]
            if not _NAME_RE.match(head) or head in rules.LEADING_NOISE:
                return pos
        i -= 1
        while i >= 0 and pos - self.tokens[i].start <= max_chars:
            token = self.tokens[i]
            if not _name_word(token, allow) or token.word.endswith(stops):
                break
            edge = token.start
            i -= 1
        return edge


def _name_word(token: _Token, allow: tuple[str, ...]) -> bool:
    if not _NAME_RE.match(token.word):
        return False
    if token.word in allow:
        return True
    if token.word in rules.LEADING_NOISE:
        return False
    if token.flag == "m" and "m" in allow:
        return bool(re.match(r"^[\d万千百亿台吨辆套]+$", token.word))
    if token.flag in _BOUNDARY:
        return token.flag in allow
    return True


def _trim(name: str) -> str:
    """Drop leading noise words (作为, 引进, 的 ...) from a name."""
    changed = True
    while changed and name:
        changed = False
        for word in _NOISE:
            if name.startswith(word) and len(name) > len(word) + 1:
                name, changed = name[len(word) :], True
                break
    return name


def _generic(name: str, suffix: str) -> bool:
    core = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
    if name in rules.GENERIC_NAMES or name in rules.COMPANY_LEGAL_SUFFIXES or len(core) < 2:
        return True
    rest = core
    changed = True
    while changed and rest:
        changed = False
        for prefix in rules.GENERIC_PREFIXES:
            if rest.startswith(prefix):
                rest, changed = rest[len(prefix) :], True
    if len(rest) < 2 or re.match(r"^[\d一二三四五六七八九十几多]+个", core):
        return True
    if not re.search(r"[\u4e00-\u9fff]{2}", rest):
        return True
    for ending in rules.GENERIC_ENDINGS:
        if core.endswith(ending):  # 配套项目 is generic, 某某集团重大项目 is not
            rest = core[: -len(ending)]
            return (
                len(rest) < 2
                or _generic(rest, "")
                or rest.endswith(rules.GENERIC_ENDINGS + rules.PLACE_ENDINGS)
            )
    return False


@dataclass
class _Mention:
    kind: str
    name: str
    start: int
    end: int
    rule: str
    confidence: float
    known_id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


class _Extractor:
    def __init__(self, text: str, source: str, index: KnownIndex) -> None:
        self.article = _Article(text, index)
        self.text = text
        self.source = source
        self.index = index
        self.mentions: list[_Mention] = []
        self.taken = [False] * (len(text) + 1)

    # --- mentions ---------------------------------------------------------------------
    def add(self, mention: _Mention) -> bool:
        if any(self.taken[mention.start : mention.end]):
            inner = [m for m in self.mentions if mention.start < m.end and m.start < mention.end]
            nested = mention.kind in _COMPOSITE and all(
                mention.start <= m.start
                and m.end <= mention.end
                and (m.start, m.end) != (mention.start, mention.end)
                for m in inner
            )
            if not nested:
                return False
        if mention.known_id is None:
            known = self.index.lookup(mention.name)
            if known is not None:
                entity = self.index.entities[known]
                if entity.kind == mention.kind or {entity.kind, mention.kind} <= {
                    "enterprise",
                    "organization",
                }:
                    mention.known_id = known
                    mention.kind = entity.kind
        for pos in range(mention.start, mention.end):
            self.taken[pos] = True
        self.mentions.append(mention)
        return True

    def find_known(self) -> None:
        names = sorted(self.index.names(), key=lambda item: (-len(item[0]), item[0]))
        for name, entity in names:
            if len(name) < 2 or entity.kind == "framework":
                continue
            for match in re.finditer(re.escape(name), self.text):
                start, end = match.span()
                short = len(name) <= 3
                if short and (start not in self.article.starts or end not in self.article.ends):
                    continue
                self.add(
                    _Mention(
                        entity.kind, name, start, end, "known", rules.CONFIDENCE["known"], entity.id
                    )
                )

    def find_suffixed(
        self,
        kind: str,
        suffixes: tuple[str, ...],
        rule: str,
        *,
        allow: tuple[str, ...] = (),
        max_chars: int = 20,
        fields: dict[str, dict[str, str]] | None = None,
        min_core: int = 2,
    ) -> None:
        pattern = re.compile(
            "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
        )
        found: list[_Mention] = []
        for match in pattern.finditer(self.text):
            suffix = match.group()
            start = self.article.left_edge(match.start(), allow=allow, max_chars=max_chars)
            end = match.end()
            for other in self.mentions:
                if other.start < start < other.end:
                    start = other.start
            if kind in ("project", "park"):
                start = self._verb_cut(start, match.start(), suffix)
            name = _trim(self.text[start:end])
            start = end - len(name)
            if len(name) - len(suffix) < min_core or _generic(name, suffix):
                continue
            mention_kind = kind
            if kind == "park" and any(word in name for word in rules.PARK_GENERIC_WORDS):
                continue
            if kind == "park" and suffix in ("产业园", "科技园", "工业园"):
                s_start, s_end = self.article.sentence(start)
                clause = self.text[s_start:s_end]
                before = self.text[max(s_start, start - 2) : start]
                placed = any(before.endswith(cue) for cue in rules.PARK_PLACE_CUES)
                if not placed and any(cue in clause for cue in rules.PROJECT_CONTEXT_CUES):
                    mention_kind = "project"
            if (
                kind == "project"
                and suffix in rules.WEAK_PROJECT_SUFFIXES
                and not (self._has_proper_word(start, end - len(suffix)))
            ):
                continue
            found.append(
                _Mention(
                    mention_kind,
                    name,
                    start,
                    end,
                    rule,
                    rules.CONFIDENCE[rule],
                    fields=dict((fields or {}).get(suffix, {})),
                )
            )
        for mention in sorted(found, key=lambda m: (m.start - m.end, m.start)):
            self.add(mention)

    def _has_proper_word(self, start: int, end: int) -> bool:
        """A firm or place mention, a rare or proper-tagged word, or a number with its unit
        inside text[start:end]."""
        if any(start <= m.start and m.end <= end for m in self.mentions):
            return True
        freq = make_freq()
        return any(
            t.word not in freq or t.flag in rules.PROPER_TAGS + ("ns",) or t.word[0].isdigit()
            for t in self.article.tokens
            if start <= t.start and t.end <= end
        )

    def _verb_cut(self, start: int, suffix_start: int, suffix: str) -> int:
        """A verb may sit inside a project's name (…株洲扩展基地…) only between nouns; the
        name starts after a verb that opens it, follows a verb, or comes right before the
        suffix (围着项目, 考察对接优质项目)."""
        tokens = self.article.tokens
        i = self.article.token_at[start]
        cut = start
        while i < len(tokens) and tokens[i].start < suffix_start:
            token = tokens[i]
            if token.flag in ("v", "vn") or token.word in rules.LEADING_NOISE:
                prev = tokens[i - 1] if i else None
                nounish = (
                    prev is not None
                    and prev.start >= cut
                    and prev.flag not in ("v", "d", "p", "c", "uj", "a")
                    and not (prev.flag == "vn" and token.flag == "v")
                )
                last = token.end >= suffix_start and token.flag != "vn" and suffix == "项目"
                # a clause's verb: what follows it is a generic name (…举行|重点项目)
                clause = token.end < suffix_start and _generic(
                    self.text[token.end : suffix_start] + suffix, suffix
                )
                if not nounish or last or clause:
                    cut = token.end
            i += 1
        return cut

    def find_enterprises(self) -> None:
        self.find_suffixed(
            "enterprise",
            rules.COMPANY_LEGAL_SUFFIXES,
            "legal_suffix",
            max_chars=24,
            allow=("v", "vn", "投资", "发展", "建设", "管理"),
        )
        self.find_suffixed("enterprise", rules.COMPANY_SHORT_SUFFIXES, "short_suffix", max_chars=10)

    def find_names(self, kind: str, names: tuple[tuple[str, str], ...]) -> None:
        """Fixed names (国务院, 科创板 ...) where jieba cuts them as words."""
        for name, sub_kind in names:
            for match in re.finditer(re.escape(name), self.text):
                start, end = match.span()
                if start in self.article.starts and end in self.article.ends:
                    self.add(
                        _Mention(
                            kind,
                            name,
                            start,
                            end,
                            kind,
                            rules.CONFIDENCE[kind],
                            fields={"kind": sub_kind},
                        )
                    )

    def find_short_forms(self) -> None:
        """The core of a full legal name found in the article (青禾智能装备 of
        青禾智能装备有限公司), wherever else the article prints it."""
        for mention in list(self.mentions):
            if mention.kind != "enterprise" or mention.rule != "legal_suffix":
                continue
            core = normalize(mention.name)
            if len(core) < 3 or core == mention.name:
                continue
            cores = [core]
            first = self.article.tokens[self.article.token_at[mention.start]]
            if (
                first.flag == "ns"
                and first.start == mention.start
                and len(core) - len(first.word) >= 3
            ):
                cores.append(core[len(first.word) :])  # 湖北凯乐科技 -> 凯乐科技
            for match in (m for c in cores for m in re.finditer(re.escape(c), self.text)):
                self.add(
                    _Mention(
                        "enterprise",
                        core,
                        match.start(),
                        match.end(),
                        "legal_suffix",
                        mention.confidence,
                        mention.known_id,
                    )
                )

    def find_industry_firms(self) -> None:
        """X科技, X新材 ...: only when X is a proper-looking word (a name jieba does not
        know as a common word, or tags as a place / person / organization name)."""
        pattern = re.compile(
            "|".join(
                re.escape(s) for s in sorted(rules.COMPANY_INDUSTRY_SUFFIXES, key=len, reverse=True)
            )
        )
        freq = self.article.tokens and make_freq()
        for match in pattern.finditer(self.text):
            if any(self.taken[match.start() : match.end()]):
                continue
            i = self.article.token_at[match.start()]
            if i == 0 or self.article.tokens[i].start != match.start():
                continue
            prev = self.article.tokens[i - 1]
            if prev.end != match.start() or not _NAME_RE.match(prev.word) or len(prev.word) < 2:
                continue
            proper = prev.flag in ("nr", "nrt", "nz", "nt", "x", "eng", "nrfg") or (
                prev.flag in ("n", "ns", "j") and prev.word not in freq
            )
            if not proper or prev.word in rules.LEADING_NOISE:
                continue
            name = prev.word + match.group()
            nxt = self.text[match.end() : match.end() + 1]
            if nxt and re.match(r"[\u4e00-\u9fff]", nxt) and nxt not in "等和与及的在为是、":
                continue  # part of a longer word (新能源汽车产业 ...)
            if name in rules.GENERIC_NAMES or freq.get(name, 0) > 0:
                continue
            self.add(
                _Mention(
                    "enterprise",
                    name,
                    prev.start,
                    match.end(),
                    "industry_suffix",
                    rules.CONFIDENCE["industry_suffix"],
                )
            )

    def _proper(self, start: int, end: int) -> bool:
        """Whether text[start:end] is cut at word boundaries and looks like a proper name:
        not a common word, and made of at least one rare or proper-tagged word."""
        name = self.text[start:end]
        if start not in self.article.starts or end not in self.article.ends:
            return False
        if not _NAME_RE.match(name) or name in rules.GENERIC_NAMES or _generic(name, ""):
            return False
        if name.startswith(_NOISE) or re.search(r"\d", name):
            return False
        if name in rules.COMPANY_LEGAL_SUFFIXES or name in rules.COMPANY_INDUSTRY_SUFFIXES:
            return False
        if name.endswith(rules.PLACE_ENDINGS + tuple(suffix for suffix, _ in rules.PARK_SUFFIXES)):
            return False
        freq = make_freq()
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        if any(t.flag[0] in "pcudry" or t.word in rules.LEADING_NOISE for t in words):
            return False
        if len(words) == 1:
            word = words[0]
            if word.flag == "ns" and word.word in freq:
                return False  # a place
            return word.word not in freq or (
                word.flag in rules.PROPER_TAGS and freq[word.word] < rules.COMMON_WORD_FREQ * 10
            )
        anchors = [
            t
            for t in words
            if len(t.word) > 1
            and t.flag != "ns"
            and (freq.get(t.word, 0) < rules.COMMON_WORD_FREQ or t.flag in rules.PROPER_TAGS)
        ]
        singles = sum(1 for t in words if len(t.word) == 1)
        return bool(anchors) or singles >= 2  # a rare word, or an unknown word cut in pieces

    def find_firm_contexts(self) -> None:
        """Names in contexts that only a firm fits (作为X的供应商, 获X注资, 龙头企业X ...)."""
        name = r"[\u4e00-\u9fffA-Za-z]{2,8}?"
        for cue in rules.FIRM_CONTEXT_PATTERNS:
            regex = cue.replace("{N2}", f"(?P<n2>{name})").replace("{N}", f"(?P<n>{name})")
            for match in re.finditer(regex, self.text):
                for group in ("n", "n2"):
                    if group not in match.groupdict() or match.group(group) is None:
                        continue
                    start, end = match.span(group)
                    if self._proper(start, end):
                        self.add(
                            _Mention(
                                "enterprise",
                                match.group(group),
                                start,
                                end,
                                "firm_context",
                                rules.CONFIDENCE["firm_context"],
                            )
                        )

    def find_list_members(self) -> None:
        """In a list A、B、C (or A和B), items beside a firm are firms too."""
        for s_start, s_end in self.article.sentences:
            sentence = self.text[s_start:s_end]
            for run in re.finditer(rf"{rules.NAME_CHAR}+(?:[、和]{rules.NAME_CHAR}+)+", sentence):
                items, at = [], s_start + run.start()
                for part in re.split(r"([、和])", run.group()):
                    if part not in ("、", "和"):
                        items.append((at, at + len(part)))
                    at += len(part)
                spans = []
                for n, item in enumerate(items):
                    span = self._item_span(item, n, len(items))
                    if n and span[1] < item[1]:
                        span = self._item_span(item, len(items) - 1, len(items))
                        spans.append(span)
                        break
                    spans.append(span)
                kinds = [self._kind_at(a, b) for a, b in spans]
                if "enterprise" not in kinds:
                    continue
                for (a, b), kind in zip(spans, kinds, strict=True):
                    if kind is None and 2 <= b - a <= 10 and self._proper(a, b):
                        self.add(
                            _Mention(
                                "enterprise",
                                self.text[a:b],
                                a,
                                b,
                                "firm_list",
                                rules.CONFIDENCE["firm_list"] - 0.1,
                            )
                        )

    def _item_span(self, item: tuple[int, int], n: int, count: int) -> tuple[int, int]:
        start, end = item
        if n == 0:  # the first item: its left edge is where the name starts
            start = self.article.left_edge(end - 1, max_chars=10) if end > start else start
            for mention in self.mentions:
                if mention.start < end <= mention.end:
                    return mention.start, mention.end
        clean = all(
            _name_word(t, ()) for t in self.article.tokens if start <= t.start and t.end <= end
        )
        if n == count - 1 or not clean:  # the last item: words up to the first boundary word
            i, stop = self.article.token_at[start], start
            while i < len(self.article.tokens):
                token = self.article.tokens[i]
                if token.end > end or not _name_word(token, ()) or token.word in ("这些", "等"):
                    break
                stop = token.end
                i += 1
            for mention in self.mentions:
                if mention.start <= start < mention.end:
                    return mention.start, mention.end
            end = stop
        return start, end

    def _kind_at(self, start: int, end: int) -> str | None:
        for mention in self.mentions:
            if mention.start == start and mention.end == end:
                return mention.kind
            if mention.start < end and start < mention.end:
                return "other"
        return None

    def find_project_investors(self) -> None:
        """The firm that opens a project's name (麦格米特 in 麦格米特扩展基地一期项目)."""
        freq = make_freq()
        industry = rules.COMPANY_INDUSTRY_SUFFIXES + rules.COMPANY_SHORT_SUFFIXES
        for project in [m for m in self.mentions if m.kind == "project"]:
            if any(
                m.kind == "enterprise" and project.start <= m.start < project.end
                for m in self.mentions
            ):
                continue
            i = self.article.token_at[project.start]
            words: list[_Token] = []
            while i < len(self.article.tokens) and self.article.tokens[i].end <= project.end:
                token = self.article.tokens[i]
                rare = token.word not in freq
                place = token.flag == "ns" and not words
                if any(part in token.word for part in ("园", "基地", "项目", "中心")):
                    break
                if not (rare or token.flag in rules.PROPER_TAGS or place) or not _name_word(
                    token, ()
                ):
                    break
                words.append(token)
                i += 1
            while words and words[-1].flag == "ns" and freq.get(words[-1].word, 0) > 0:
                words.pop()  # a trailing place (…株洲) is the site, not the name
            if i < len(self.article.tokens) and words:
                following = self.article.tokens[i]
                after = self.article.tokens[i + 1] if i + 1 < len(self.article.tokens) else None
                ends_name = (
                    after is None
                    or after.flag == "ns"
                    or after.start >= project.end
                    or (after.word.endswith(rules.PROJECT_SUFFIXES))
                )
                if following.word in industry and following.end <= project.end and ends_name:
                    words.append(following)
            if not words or all(w.flag == "ns" for w in words):
                continue
            start, end = words[0].start, words[-1].end
            if 2 <= end - start <= 8 and end < project.end and self._proper(start, end):
                if self.text[start:end] in rules.COMPANY_INDUSTRY_SUFFIXES:
                    continue
                longer = next(
                    (
                        m
                        for m in self.mentions
                        if m.kind == "enterprise" and m.name.startswith(self.text[start:end])
                    ),
                    None,
                )
                if longer is not None:  # 青禾 of 青禾智能装备有限公司: that firm
                    project.fields.setdefault("investor", longer.known_id or longer.name)
                    continue
                mention = _Mention(
                    "enterprise",
                    self.text[start:end],
                    start,
                    end,
                    "project_investor",
                    rules.CONFIDENCE["project_investor"],
                )
                known = self.index.lookup(mention.name)
                if known and self.index.entities[known].kind == "enterprise":
                    mention.known_id = known
                self.mentions.append(mention)  # nested in the project's name
                project.fields.setdefault("investor", mention.known_id or mention.name)

    def find_firm_lists(self) -> None:
        """A、B、C等(代表|龙头)企业: each short item is a firm."""
        cue = "|".join(rules.FIRM_LIST_CUES)
        pattern = re.compile(
            rf"((?:{rules.NAME_CHAR}{{2,12}}、)+{rules.NAME_CHAR}{{2,12}})"
            rf"(?:等|为代表的)(?:一批|多家|\d+家)?[\u4e00-\u9fff]{{0,6}}?(?:{cue})"
        )
        for match in pattern.finditer(self.text):
            at = match.start(1)
            for item in match.group(1).split("、"):
                start, end = at, at + len(item)
                at = end + 1
                name = _trim(item)
                start = end - len(name)
                if _generic(name, "") or re.search(r"\d", name):
                    continue
                self.add(
                    _Mention(
                        "enterprise", name, start, end, "firm_list", rules.CONFIDENCE["firm_list"]
                    )
                )

    def find_chains(self) -> None:
        """…产业链 / …产业集群 (and, less sure, …产业): the words before name the chain; a
        place opening them (我市, 某某区) is dropped from the label."""
        suffixes = sorted(rules.CHAIN_SUFFIXES + rules.CHAIN_WEAK_SUFFIXES, key=len, reverse=True)
        pattern = re.compile("|".join(suffixes))
        for match in pattern.finditer(self.text):
            weak = match.group() in rules.CHAIN_WEAK_SUFFIXES
            if weak and re.match(r"[链集园项基化]", self.text[match.end() : match.end() + 1]):
                continue  # 产业链 / 产业园 / 产业化 are other words
            start = self.article.left_edge(match.start(), max_chars=8)
            for other in self.mentions:
                if other.start < start < other.end:
                    start = other.start
            name = _trim(self.text[start : match.end()])
            start = match.end() - len(name)
            label_start = start
            i = self.article.token_at[start] if start < len(self.text) else 0
            while (
                i < len(self.article.tokens)
                and self.article.tokens[i].end <= match.start()
                and (
                    self.article.tokens[i].flag == "ns"
                    or self.article.tokens[i].word in rules.CHAIN_PLACE_WORDS
                    or self.article.tokens[i].word.endswith(rules.PLACE_ENDINGS)
                )
            ):
                label_start = self.article.tokens[i].end
                i += 1
            core = self.text[label_start : match.start()]
            core = core[:-2] if core.endswith("产业") and len(core) > 3 else core
            if (
                len(core) < 2
                or not _NAME_RE.match(core)
                or core in rules.CHAIN_GENERIC
                or core.endswith(rules.CHAIN_GENERIC)
                or _generic(core + "链", "链")
            ):
                continue
            if not self._chain_words(label_start, match.start(), weak):
                continue
            confidence = rules.CONFIDENCE["chain"] - (0.2 if weak else 0.0)
            mention = _Mention(
                "chain", core, start, match.end(), "chain", confidence, aliases=[name]
            )
            known = self.index.lookup(core) or self.index.lookup(name)
            if known and self.index.entities[known].kind == "chain":
                mention.known_id = known
            self.add(mention)

    def _chain_words(self, start: int, end: int, weak: bool) -> bool:
        """Whether text[start:end] can name a chain before a bare 产业: nouns only, not one
        frequent word (国家产业, 材料产业)."""
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        if not words or words[0].start != start or words[-1].end != end:
            return False
        if any(t.flag[0] in "vadrpmuc" and t.flag != "vn" for t in words):
            return False
        freq = make_freq()
        return not (
            weak and len(words) == 1 and freq.get(words[0].word, 0) >= rules.CHAIN_COMMON_FREQ
        )

    def find_titles(self) -> None:
        for match in re.finditer(r"《([^》\n]{4,60})》", self.text):
            title = match.group(1)
            kind = next(
                (k for s, k in rules.PROGRAM_SUFFIXES if title.endswith(s)), "policy_document"
            )
            self.add(
                _Mention(
                    "program",
                    title,
                    match.start(1),
                    match.end(1),
                    "program_title",
                    rules.CONFIDENCE["program_title"],
                    fields={"kind": kind},
                )
            )
        suffixes = "|".join(s for s, _ in rules.PROGRAM_SUFFIXES)
        for match in re.finditer(rf"“([^”\n]{{2,14}})”({suffixes})?", self.text):
            inner, suffix = match.group(1), match.group(2) or ""
            kind = next(
                (k for s, k in rules.PROGRAM_SUFFIXES if (inner + suffix).endswith(s)), None
            )
            if kind is None:
                continue
            name = inner + suffix
            self.add(
                _Mention(
                    "program",
                    name,
                    match.start(),
                    match.end(),
                    "program",
                    rules.CONFIDENCE["program"],
                    fields={"kind": kind},
                )
            )

    def find_segments(self) -> None:
        dash = f"[{rules.SEGMENT_DASHES}]+"
        item = r"[\u4e00-\u9fffA-Za-z0-9]{2,10}"
        for match in re.finditer(rf"{item}(?:{dash}{item}){{2,}}", self.text):
            chain = self._nearest(match.start(), ("chain",), before=True)
            if chain is None:
                continue
            at = match.start()
            parts = re.split(dash, match.group())
            for order, part in enumerate(parts, 1):
                start = self.text.index(part, at)
                at = start + len(part)
                third = (order - 1) * 3 // len(parts)
                stage = ("upstream", "midstream", "downstream")[third]
                self.add(
                    _Mention(
                        "segment",
                        part,
                        start,
                        at,
                        "segment",
                        rules.CONFIDENCE["segment"],
                        fields={
                            "chain": chain.known_id or chain.name,
                            "order": str(order),
                            "stage": stage,
                        },
                    )
                )

    def _nearest(self, pos: int, kinds: tuple[str, ...], before: bool) -> _Mention | None:
        s_start, s_end = self.article.sentence(pos)
        best = None
        for mention in self.mentions:
            inside = mention.kind in kinds and s_start <= mention.start < s_end
            if (
                inside
                and before
                and mention.end <= pos
                and (best is None or mention.end > best.end)
            ):
                best = mention
        return best

    # --- candidates -------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        self.mentions.sort(key=lambda m: m.start)
        out: list[Candidate] = []
        seen: dict[tuple[str, str], Candidate] = {}
        for mention in self.mentions:
            if mention.kind not in ENTITY_KINDS:
                continue
            if mention.kind != "enterprise" and any(
                m.start <= mention.start
                and mention.end <= m.end
                and m is not mention
                and (m.start, m.end) != (mention.start, mention.end)
                for m in self.mentions
            ):
                continue  # part of a longer name (管委会 in 某某区管委会)
            key = (mention.kind, mention.known_id or normalize(mention.name))
            if key not in seen and mention.kind in ("project", "park"):
                key = next(
                    (
                        k
                        for k, c in seen.items()
                        if k[0] == mention.kind
                        and len(c.name) >= 4
                        and len(mention.name) >= 4
                        and (mention.name.endswith(c.name) or c.name.endswith(mention.name))
                    ),
                    key,
                )
            if key not in seen and mention.kind in ("enterprise", "organization"):
                key = next(
                    (
                        k
                        for k, c in seen.items()
                        if k[0] == mention.kind
                        and _place_variant(normalize(c.name), normalize(mention.name))
                    ),
                    key,
                )
            if key in seen:
                first = seen[key]
                if mention.name != first.name and mention.name not in first.aliases:
                    first.aliases.append(mention.name)
                continue
            fields = dict(mention.fields)
            if mention.kind == "project":
                fields = self._project_fields(mention) | fields  # the name's own investor first
            confidence = mention.confidence
            if mention.kind == "project" and fields.get("amount_text"):
                confidence = max(confidence, rules.CONFIDENCE["project_amount"])
            candidate = Candidate(
                mention.kind,
                mention.name,
                self.article.quote(mention.start, mention.end),
                confidence,
                self.source,
                mention.start,
                mention.end,
                mention.rule,
                mention.known_id,
                aliases=[a for a in mention.aliases if a != mention.name],
                fields=fields,
            )
            seen[key] = candidate
            out.append(candidate)
        out += self.statistics()
        out += self.relations()
        return out

    def _project_fields(self, mention: _Mention) -> dict[str, str]:
        s_start, s_end = self.article.sentence(mention.start)
        others = [
            m
            for m in self.mentions
            if m.kind == "project" and m is not mention and s_start <= m.start < s_end
        ]
        fields: dict[str, str] = {}
        best: tuple[int, re.Match[str]] | None = None
        for match in _AMOUNT_RE.finditer(self.text, s_start, s_end):
            lo, hi = (
                (match.end(), mention.start)
                if match.end() <= mention.start
                else (mention.end, match.start())
            )
            if any(lo <= m.start < hi for m in others):
                continue
            distance = hi - lo + (0 if match.end() <= mention.start else 5)
            if best is None or distance < best[0]:
                best = (distance, match)
        if best is not None:
            match = best[1]
            value = float(match.group(1)) * rules.AMOUNT_UNITS[match.group(2)]
            fields["amount_text"] = match.group()
            fields["amount_yuan"] = str(int(round(value)))
        land = _LAND_RE.search(self.text, s_start, s_end)
        if land:
            fields["land_mu"] = land.group(1)
        sentence = self.text[s_start:s_end]
        for cue, status in rules.STATUS_CUES:
            if cue in sentence:
                fields["status"] = status
                break
        date = _DATE_RE.search(sentence)
        if date:
            fields["status_date"] = date.group()
            year = _YEAR_RE.search(date.group())
            if year:
                fields["year"] = year.group(1)
        investor = self._nearest(mention.start, ("enterprise",), before=True)
        inside = [
            m
            for m in self.mentions
            if m.kind == "enterprise" and mention.start <= m.start < mention.end
        ]
        if mention.name and inside:
            investor = inside[0]
        if investor is None:
            for name, entity in self.index.names():
                if entity.kind == "enterprise" and len(name) >= 2 and mention.name.startswith(name):
                    fields["investor"] = entity.id
                    break
        else:
            fields["investor"] = investor.known_id or investor.name
        return fields

    def statistics(self) -> list[Candidate]:
        units = "|".join(re.escape(u) for u in sorted(rules.STAT_UNITS, key=len, reverse=True))
        before = "|".join(sorted(rules.STAT_QUALIFIER_BEFORE, key=len, reverse=True))
        pattern = re.compile(rf"({before})?(\d+(?:\.\d+)?)(余|多)?({units})")
        amounts = [m.span() for m in _AMOUNT_RE.finditer(self.text)]
        amounts += [m.span() for m in _LAND_RE.finditer(self.text)]
        dates = [m.span() for m in _DATE_RE.finditer(self.text)]
        out = []
        for match in pattern.finditer(self.text):
            start, end = match.span(2)[0], match.end()
            if any(a <= start < b for a, b in amounts + dates) or any(self.taken[start:end]):
                continue
            s_start, _ = self.article.sentence(start)
            clause_start = max(self.text.rfind(ch, s_start, start) for ch in _CLAUSE_END + " ")
            clause_start = max(clause_start + 1, s_start)
            subject = self._nearest(start, ENTITY_KINDS + ("place",), before=True)
            indicator_start = clause_start
            if subject is not None and subject.end > clause_start:
                indicator_start = subject.end
            indicator = self.text[indicator_start : match.start()].strip()
            period = _DATE_RE.search(indicator)
            if period:
                indicator = indicator.replace(period.group(), "")
            for verb in rules.STAT_VERBS:
                if indicator.endswith(verb):
                    indicator = indicator[: -len(verb)]
                    break
            indicator = _trim(indicator.strip("，,的了 "))
            if len(indicator) < 2 or subject is None or not _NAME_RE.match(indicator):
                continue
            qualifier = rules.STAT_QUALIFIER_BEFORE.get(match.group(1) or "") or (
                rules.STAT_QUALIFIER_AFTER.get(match.group(3) or "")
            )
            value_text = self.text[match.start(2) : end]
            fields = {
                "subject": subject.known_id or subject.name,
                "indicator_zh": indicator,
                "value": match.group(2),
                "value_qualifier": qualifier or "",
                "unit": match.group(4),
                "value_text": value_text,
                "period": period.group() if period else "",
            }
            year = _YEAR_RE.search(fields["period"])
            if year:
                fields["year"] = year.group(1)
            out.append(
                Candidate(
                    "statistic",
                    f"{indicator} {value_text}",
                    self.article.quote(start, end),
                    rules.CONFIDENCE["statistic"],
                    self.source,
                    start,
                    end,
                    "statistic",
                    fields=fields,
                )
            )
        return out

    def relations(self) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[tuple[str, str, str]] = set()
        for s_start, s_end in self.article.sentences:
            inside = [m for m in self.mentions if s_start <= m.start and m.end <= s_end]
            inside = sorted(
                (
                    m
                    for m in inside
                    if not any(
                        o is not m
                        and o.start <= m.start
                        and m.end <= o.end
                        and (o.end - o.start) > (m.end - m.start)
                        for o in inside
                    )
                ),
                key=lambda m: m.start,
            )
            if len(inside) < 2:
                continue
            # the sentence with each mention replaced by \x01<n>\x02
            masked, at = [], s_start
            for n, mention in enumerate(inside):
                masked.append(self.text[at : mention.start])
                masked.append(f"\x01{n}\x02")
                at = mention.end
            masked.append(self.text[at:s_end])
            sentence = "".join(masked)
            for cue, predicate, confidence in rules.RELATION_PATTERNS:
                regex = cue.replace("{E}", r"\x01\d+\x02")
                for match in re.finditer(regex, sentence):
                    subject = inside[int(match.group("s")[1:-1])]
                    obj = inside[int(match.group("o")[1:-1])]
                    s_kinds, o_kinds = rules.RELATION_KINDS[predicate]
                    if subject.kind not in s_kinds or obj.kind not in o_kinds:
                        continue
                    if subject.name == obj.name:
                        continue
                    self._relation(out, seen, subject, predicate, obj, confidence)
            self._chain_members(out, seen, inside, sentence)
        return out

    def _chain_members(self, out, seen, inside, sentence) -> None:  # noqa: ANN001
        """A sentence about one chain that lists firms (A、B等企业): each firm is in it."""
        chains = {m.known_id or m.name for m in inside if m.kind == "chain"}
        if len(chains) != 1:
            return
        chain = next(m for m in inside if m.kind == "chain")
        cue = "|".join(rules.FIRM_LIST_CUES)
        for match in re.finditer(
            rf"((?:\x01\d+\x02、)+\x01\d+\x02)等[^\x01。]{{0,8}}(?:{cue})", sentence
        ):
            for number in re.findall(r"\x01(\d+)\x02", match.group(1)):
                firm = inside[int(number)]
                if firm.kind == "enterprise":
                    self._relation(out, seen, firm, "in_chain", chain, 0.7)

    def _relation(self, out, seen, subject, predicate, obj, confidence) -> None:  # noqa: ANN001
        s_ref = subject.known_id or subject.name
        o_ref = obj.known_id or obj.name
        if (s_ref, predicate, o_ref) in seen:
            return
        seen.add((s_ref, predicate, o_ref))
        start, end = min(subject.start, obj.start), max(subject.end, obj.end)
        fields = {"subject_id": subject.known_id or "", "object_id": obj.known_id or ""}
        out.append(
            Candidate(
                "relation",
                f"{subject.name} {predicate} {obj.name}",
                self.article.quote(start, end),
                confidence,
                self.source,
                start,
                end,
                "relation",
                subject=subject.name,
                type=predicate,
                object=obj.name,
                fields={k: v for k, v in fields.items() if v},
            )
        )


def _place_variant(a: str, b: str) -> bool:
    """Whether one name is the other with a place in front (株洲高科 / 高科)."""
    from chainkg.ingest.known import _base_tokenizer

    if len(a) < len(b):
        a, b = b, a
    if len(b) < 2 or not a.endswith(b) or a == b:
        return False
    return _base_tokenizer()[1].word_tag_tab.get(a[: -len(b)]) == "ns"


def make_freq() -> dict[str, int]:
    """jieba's base word frequencies (a common word is not a firm's name)."""
    from chainkg.ingest.known import _base_tokenizer

    return _base_tokenizer()[0].FREQ


def extract(text: str, source: str, index: KnownIndex) -> list[Candidate]:
    """Candidate facts of one article, in text order per kind; see the module docstring."""
    ex = _Extractor(text, source, index)
    ex.find_known()
    ex.find_enterprises()
    ex.find_short_forms()
    ex.find_suffixed(
        "park",
        tuple(s for s, _ in rules.PARK_SUFFIXES),
        "park",
        max_chars=14,
        allow=("v", "vn", "eng", "x"),
        fields={s: {"kind": k} for s, k in rules.PARK_SUFFIXES},
    )
    ex.find_suffixed(
        "project",
        rules.PROJECT_SUFFIXES,
        "project",
        max_chars=30,
        allow=_PROJECT_WORDS,
    )
    ex.find_suffixed(
        "event",
        tuple(s for s, _ in rules.EVENT_SUFFIXES),
        "event",
        max_chars=24,
        allow=("m", "x", "eng", "vn", "v"),
        fields={s: {"kind": k} for s, k in rules.EVENT_SUFFIXES},
    )
    ex.find_suffixed(
        "organization",
        tuple(s for s, _ in rules.ORGANIZATION_SUFFIXES),
        "organization",
        max_chars=14,
        fields={s: {"kind": k} for s, k in rules.ORGANIZATION_SUFFIXES},
    )
    ex.find_names("organization", rules.ORGANIZATION_NAMES)
    ex.find_titles()
    ex.find_chains()
    ex.find_firm_lists()
    ex.find_industry_firms()
    ex.find_firm_contexts()
    ex.find_project_investors()
    ex.find_list_members()
    ex.find_segments()
    return ex.candidates()


def main_place(candidates: list[Candidate]) -> Counter[str]:
    """Known places and parks by mentions (the article's likely subject place first)."""
    return Counter(c.known_id for c in candidates if c.kind == "park" and c.known_id)
