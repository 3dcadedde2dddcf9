"""Propose candidate facts from one article: `extract(text, source, index) -> [Candidate]`.

1. Cut the text with jieba (`text.ArticleText`; the user dictionary holds the data set's
   names, `known`).
2. Find mentions (this module): known names, then names ending in a suffix of `rules`
   (company forms, projects, organizations, parks, chains, events), 《titles》 and “quoted”
   programs, firms in contexts only a firm fits (作为X的供应商, 获X注资, a clause opened by a
   firm's verb), lists of firms (A、B等代表企业, 以A、B为龙头) and of projects (A、B和C三大项目,
   X等项目), the firm opening a project's name. A name's left edge is found by walking back
   over jieba's words until a verb, preposition, particle, number or punctuation.
3. Turn mentions into candidates with project details, statistics and relations (`facts`).
Every candidate carries a verbatim quote (the sentence, clipped around the mention).
"""

from __future__ import annotations

import re

from chainkg.ingest import rules
from chainkg.ingest.candidate import KINDS, Candidate, Mention
from chainkg.ingest.facts import Facts
from chainkg.ingest.known import KnownIndex, normalize
from chainkg.ingest.text import (
    NAME_RE,
    NOISE,
    ArticleText,
    Token,
    is_generic,
    make_freq,
    name_word,
    trim_noise,
)

__all__ = ["KINDS", "Candidate", "extract"]

# Words and jieba tags a project's name may contain besides nouns (及, 25万台, 扩展, 一期 ...).
_PROJECT_WORDS = (
    "及",
    "m",
    "q",
    "x",
    "eng",
    "vn",
    "v",
    "a",
    "b",
    "zg",
    "l",
    "一期",
    "二期",
    "三期",
)
# Kinds whose names may contain another mention (an investor in a project's name ...).
BOUNDARY_TAGS = ("m", "q", "p", "c", "u", "uj", "ul", "d", "r", "f", "t", "v", "y", "x")
_COMPOSITE = ("project", "event", "program", "organization", "park", "chain", "enterprise")


class _Extractor(Facts):
    def __init__(self, text: str, source: str, index: KnownIndex) -> None:
        self.article = ArticleText(text, index)
        self.text = text
        self.source = source
        self.index = index
        self.mentions: list[Mention] = []
        self.taken = [False] * (len(text) + 1)
        self.list_tail_ends: set[int] = set()  # where "…三大项目" after a list of projects ends

    # --- mentions ---------------------------------------------------------------------
    def add(self, mention: Mention) -> bool:
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
                    Mention(
                        entity.kind, name, start, end, "known", rules.CONFIDENCE["known"], entity.id
                    )
                )

    def find_kinded(
        self,
        kind: str,
        suffix_kinds: tuple[tuple[str, str], ...],
        *,
        allow: tuple[str, ...] = (),
        max_chars: int = 20,
    ) -> None:
        """`find_suffixed` over a table of (suffix, sub-kind): each mention found by a suffix
        gets that suffix's sub-kind as its `kind` field (工业园 -> park, 论坛 -> forum)."""
        self.find_suffixed(
            kind,
            tuple(suffix for suffix, _ in suffix_kinds),
            kind,
            allow=allow,
            max_chars=max_chars,
            fields={suffix: {"kind": sub_kind} for suffix, sub_kind in suffix_kinds},
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
        found: list[Mention] = []
        for match in pattern.finditer(self.text):
            suffix = match.group()
            start = self.article.left_edge(match.start(), allow=allow, max_chars=max_chars)
            end = match.end()
            for other in self.mentions:
                if other.start < start < other.end:
                    start = other.start
            if kind in ("project", "park", "program", "event"):
                start = self._verb_cut(start, match.start(), suffix)
            name = trim_noise(self.text[start:end])
            start = end - len(name)
            if len(name) - len(suffix) < min_core or is_generic(name, suffix):
                continue
            if kind == "project" and end in self.list_tail_ends:
                continue  # 三大项目 after a list names no project of its own
            mention_kind = kind
            if kind == "park" and any(word in name for word in rules.WORDS["park_generic_words"]):
                continue
            if kind == "event" and (name.count("“") != name.count("”") or "、" in name):
                continue
            if kind == "park" and suffix in ("产业园", "科技园", "工业园"):
                s_start, s_end = self.article.sentence(start)
                clause = self.text[s_start:s_end]
                before = self.text[max(s_start, start - 2) : start]
                placed = any(before.endswith(cue) for cue in rules.WORDS["park_place_cues"])
                if not placed and any(cue in clause for cue in rules.WORDS["project_context_cues"]):
                    mention_kind = "project"
            if (
                kind == "project"
                and suffix in rules.WORDS["weak_project_suffixes"]
                and not (self._has_proper_word(start, end - len(suffix)))
            ):
                continue
            found.append(
                Mention(
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
            t.word not in freq
            or t.flag in rules.WORDS["proper_tags"] + ("ns",)
            or t.word[0].isdigit()
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
            if token.flag in ("v", "vn") or token.word in rules.WORDS["leading_noise"]:
                prev = tokens[i - 1] if i else None
                nounish = (
                    prev is not None
                    and prev.start >= cut
                    and prev.flag not in ("v", "d", "p", "c", "uj", "a")
                    and not (prev.flag == "vn" and token.flag == "v")
                )
                last = token.end >= suffix_start and token.flag != "vn" and suffix == "项目"
                # a clause's verb: what follows it is a generic name (…举行|重点项目)
                clause = token.end < suffix_start and is_generic(
                    self.text[token.end : suffix_start] + suffix, suffix
                )
                if not nounish or last or clause:
                    cut = token.end
            i += 1
        return cut

    def find_enterprises(self) -> None:
        self.find_suffixed(
            "enterprise",
            rules.WORDS["company_legal_suffixes"],
            "legal_suffix",
            max_chars=24,
            allow=("v", "vn", "投资", "发展", "建设", "管理"),
        )
        self.find_suffixed(
            "enterprise", rules.WORDS["company_short_suffixes"], "short_suffix", max_chars=10
        )

    def find_names(self, kind: str, names: tuple[tuple[str, str], ...]) -> None:
        """Fixed names (国务院, 科创板 ...) where jieba cuts them as words."""
        for name, sub_kind in names:
            for match in re.finditer(re.escape(name), self.text):
                start, end = match.span()
                if start in self.article.starts and end in self.article.ends:
                    self.add(
                        Mention(
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
                    Mention(
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
                re.escape(s)
                for s in sorted(rules.WORDS["company_industry_suffixes"], key=len, reverse=True)
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
            if prev.end != match.start() or not NAME_RE.match(prev.word) or len(prev.word) < 2:
                continue
            proper = prev.flag in ("nr", "nrt", "nz", "nt", "x", "eng", "nrfg") or (
                prev.flag in ("n", "ns", "j") and prev.word not in freq
            )
            if not proper or prev.word in rules.WORDS["leading_noise"]:
                continue
            name = prev.word + match.group()
            nxt = self.text[match.end() : match.end() + 1]
            if nxt and re.match(r"[\u4e00-\u9fff]", nxt) and nxt not in "等和与及的在为是、":
                continue  # part of a longer word (新能源汽车产业 ...)
            if name in rules.WORDS["generic_names"] or freq.get(name, 0) > 0:
                continue
            self.add(
                Mention(
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
        if not NAME_RE.match(name) or name in rules.WORDS["generic_names"] or is_generic(name, ""):
            return False
        if name.startswith(NOISE) or re.search(r"\d", name):
            return False
        if (
            name in rules.WORDS["company_legal_suffixes"]
            or name in rules.WORDS["company_industry_suffixes"]
        ):
            return False
        if name.endswith(
            rules.WORDS["place_endings"]
            + tuple(suffix for suffix, _ in rules.PAIRS["park_suffixes"])
        ):
            return False
        freq = make_freq()
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        if any(t.flag[0] in "pcudry" or t.word in rules.WORDS["leading_noise"] for t in words):
            return False
        if len(words) == 1:
            word = words[0]
            if word.flag == "ns" and word.word in freq:
                return False  # a place
            return word.word not in freq or (
                word.flag in rules.WORDS["proper_tags"]
                and freq[word.word] < rules.COMMON_WORD_FREQ * 10
            )
        anchors = [
            t
            for t in words
            if len(t.word) > 1
            and t.flag != "ns"
            and (
                freq.get(t.word, 0) < rules.COMMON_WORD_FREQ or t.flag in rules.WORDS["proper_tags"]
            )
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
                            Mention(
                                "enterprise",
                                match.group(group),
                                start,
                                end,
                                "firm_context",
                                rules.CONFIDENCE["firm_context"],
                            )
                        )

    def find_strong_firm_contexts(self) -> None:
        """Names in contexts so specific that a common word there is a firm too (作为小米的
        供应商, 已获英特尔注资), and names opening a clause with a firm's verb."""
        name = r"[\u4e00-\u9fffA-Za-z]{2,8}?"
        for cue in rules.STRONG_FIRM_CONTEXT_PATTERNS:
            regex = cue.replace("{N2}", f"(?P<n2>{name})").replace("{N}", f"(?P<n>{name})")
            for match in re.finditer(regex, self.text):
                for group in ("n", "n2"):
                    if match.groupdict().get(group) is None:
                        continue
                    start, end = match.span(group)
                    if self._bounded_name(start, end):
                        self._add_firm(start, end, "firm_context")
        subject = rules.FIRM_SUBJECT_PATTERN.replace("{N}", r"[\u4e00-\u9fffA-Za-z]{2,8}")
        for match in re.finditer(subject, self.text):
            start, end = match.span(1)
            if self._proper(start, end):
                self._add_firm(start, end, "firm_subject")

    def _add_firm(self, start: int, end: int, rule: str) -> None:
        self.add(
            Mention("enterprise", self.text[start:end], start, end, rule, rules.CONFIDENCE[rule])
        )

    def _bounded_name(self, start: int, end: int) -> bool:
        """Whether text[start:end] is cut at word boundaries and is a name, common or not:
        no function word, verb, number, place ending or generic word in it."""
        name = self.text[start:end]
        if start not in self.article.starts or end not in self.article.ends:
            return False
        if not NAME_RE.match(name) or name in rules.WORDS["generic_names"] or is_generic(name, ""):
            return False
        if name.startswith(NOISE) or name.endswith(rules.WORDS["place_endings"]):
            return False
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        return not any(
            t.flag[0] in "pcudrymvq" or t.word in rules.WORDS["leading_noise"] for t in words
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
                spans, shaped = [], set()
                for n, item in enumerate(items):
                    if n < len(items) - 1 and self._firm_shaped(*item):
                        spans.append(item)  # 立方新能源: a common word + an industry word
                        shaped.add(item)
                        continue
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
                    if (
                        kind is None
                        and 2 <= b - a <= 10
                        and (self._proper(a, b) or (a, b) in shaped)
                    ):
                        self.add(
                            Mention(
                                "enterprise",
                                self.text[a:b],
                                a,
                                b,
                                "firm_list",
                                rules.CONFIDENCE["firm_list"] - 0.1,
                            )
                        )

    def _firm_shaped(self, start: int, end: int) -> bool:
        """Whether text[start:end] is a whole list item shaped like a firm's short name: a
        word of two characters or more, then an industry suffix (立方新能源), at word
        boundaries, and not itself a common word or generic name."""
        name = self.text[start:end]
        suffix = next(
            (s for s in rules.WORDS["company_industry_suffixes"] if name.endswith(s)), None
        )
        if suffix is None or len(name) - len(suffix) < 2 or len(name) > 10:
            return False
        if start not in self.article.starts or end not in self.article.ends:
            return False
        if not NAME_RE.match(name) or re.search(r"\d", name) or is_generic(name, ""):
            return False
        if name in rules.WORDS["generic_names"] or name in make_freq():
            return False
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        return not any(
            t.flag[0] in "pcudrvy" or t.word in rules.WORDS["leading_noise"] for t in words
        )

    def _item_span(self, item: tuple[int, int], n: int, count: int) -> tuple[int, int]:
        start, end = item
        if n == 0:  # the first item: its left edge is where the name starts
            start = self.article.left_edge(end - 1, max_chars=10) if end > start else start
            for mention in self.mentions:
                if mention.start < end <= mention.end:
                    return mention.start, mention.end
        clean = all(
            name_word(t, ()) for t in self.article.tokens if start <= t.start and t.end <= end
        )
        if n == count - 1 or not clean:  # the last item: words up to the first boundary word
            i, stop = self.article.token_at[start], start
            while i < len(self.article.tokens):
                token = self.article.tokens[i]
                if token.end > end or not name_word(token, ()) or token.word in ("这些", "等"):
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
        industry = rules.WORDS["company_industry_suffixes"] + rules.WORDS["company_short_suffixes"]
        for project in [m for m in self.mentions if m.kind == "project"]:
            if project.rule == "project_list" and not project.name.endswith(
                rules.WORDS["project_suffixes"]
            ):
                continue  # a list item printed without a suffix (中盐红四方) is its own name
            if any(
                m.kind == "enterprise" and project.start <= m.start < project.end
                for m in self.mentions
            ):
                continue
            i = self.article.token_at[project.start]
            words: list[Token] = []
            while i < len(self.article.tokens) and self.article.tokens[i].end <= project.end:
                token = self.article.tokens[i]
                rare = token.word not in freq
                place = token.flag == "ns" and not words
                if any(part in token.word for part in ("园", "基地", "项目", "中心")):
                    break
                if token.flag == "eng" and any(not w.word.isascii() for w in words):
                    break  # 众普森LED产业园: the product after the name
                nxt = self.article.tokens[i + 1] if i + 1 < len(self.article.tokens) else None
                # an unknown name jieba cut in pieces (众|普森, 麦格|米特): a single character,
                # or a common word right before a rare or proper-tagged piece
                piece = len(token.word) == 1 and token.flag not in BOUNDARY_TAGS
                before_proper = (
                    not words
                    and token.flag.startswith("n")
                    and nxt is not None
                    and nxt.end <= project.end
                    and nxt.flag in ("nr", "nrt", "nrfg", "nz")
                    and len(nxt.word) >= 2
                )
                if not (
                    rare
                    or token.flag in rules.WORDS["proper_tags"]
                    or place
                    or piece
                    or before_proper
                ) or not name_word(token, ()):
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
                    or (after.word.endswith(rules.WORDS["project_suffixes"]))
                )
                if following.word in industry and following.end <= project.end and ends_name:
                    words.append(following)
            if not words or all(w.flag == "ns" for w in words):
                continue
            start, end = words[0].start, words[-1].end
            if 2 <= end - start <= 8 and end < project.end and self._proper(start, end):
                if self.text[start:end] in rules.WORDS["company_industry_suffixes"]:
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
                mention = Mention(
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

    def find_project_lists(self) -> None:
        """A、B和C三大项目, A、B等配套项目: each item of the list is a project, unless it
        ends like a firm's name (博戈橡胶、四兴机械等一批零部件项目: the firms investing)."""
        item = rf"{rules.NAME_CHAR}{{2,16}}?"
        many = re.compile(rf"((?:{item}[、和])+{item})({rules.PROJECT_LIST_TAIL})")
        one = re.compile(rf"({item})({rules.PROJECT_SINGLE_TAIL})")  # X等项目
        matches = list(many.finditer(self.text))
        for match in one.finditer(self.text):
            if not any(m.start() <= match.start(2) < m.end() for m in matches):
                matches.append(match)
        for match in matches:
            self.list_tail_ends.add(match.end(2))
            at, spans = match.start(1), []
            for part in re.split(r"([、和])", match.group(1)):
                if part not in ("、", "和"):
                    spans.append((at, at + len(part)))
                at += len(part)
            first_end = spans[0][1]
            edge = self.article.left_edge(first_end - 1, allow=_PROJECT_WORDS, max_chars=16)
            spans[0] = (max(edge, spans[0][0]), first_end)
            items = []
            for start, end in spans:
                name = trim_noise(self.text[start:end])
                start = end - len(name)
                if self._project_item(start, end):
                    items.append((start, end, name))
            for start, end, name in items:
                if self._firm_item(
                    name
                ):  # the firm investing, not a project; a firm only if proper
                    if self._proper(start, end - 2) or self._proper(start, end):
                        self._add_firm(start, end, "firm_list")
                    continue
                mention = Mention(
                    "project", name, start, end, "project_list", rules.CONFIDENCE["project_list"]
                )
                same = [m for m in self.mentions if (m.start, m.end) == (start, end)]
                if any(m.kind == "project" for m in same):
                    continue
                if same and all(m.kind == "enterprise" for m in same):
                    self.mentions.append(mention)  # 奇点汽车: the firm and its project
                    continue
                self.add(mention)

    def _firm_item(self, name: str) -> bool:
        """A list item that is a known enterprise or ends like a firm's short name (X集团,
        X股份; X生物 of at most six characters: longer ones name products, 智能装备 ...)."""
        known = self.index.lookup(name)
        if known is not None and self.index.entities[known].kind == "enterprise":
            return True
        if name.endswith(rules.WORDS["company_short_suffixes"]):
            return True
        return name.endswith(rules.WORDS["company_industry_suffixes"]) and len(name) <= 6

    def _project_item(self, start: int, end: int) -> bool:
        """Whether text[start:end] can name a project in a list: cut at word boundaries,
        2-16 characters, not generic, not only a place."""
        name = self.text[start:end]
        if not 2 <= len(name) <= 16 or start not in self.article.starts:
            return False
        if (
            end not in self.article.ends
            or is_generic(name, "")
            or name in rules.WORDS["generic_names"]
        ):
            return False
        words = [t for t in self.article.tokens if start <= t.start and t.end <= end]
        if not words or all(t.flag == "ns" for t in words):
            return False
        return not any(t.flag[0] in "pcuy" or t.word in rules.WORDS["leading_noise"] for t in words)

    def find_firm_lists(self) -> None:
        """A、B、C等(代表|龙头)企业: each short item is a firm."""
        cue = "|".join(rules.WORDS["firm_list_cues"])
        pattern = re.compile(
            rf"((?:{rules.NAME_CHAR}{{2,12}}、)+{rules.NAME_CHAR}{{2,12}})"
            rf"(?:(等|为代表的)|(为(?:核心|主要)?(?=龙头|代表|引领)))(?:一批|多家|\d+家)?"
            rf"[\u4e00-\u9fff]{{0,6}}?(?:{cue}|代表|引领)"
        )
        for match in pattern.finditer(self.text):
            # 以A、B为龙头 and A、B等代表企业 say the items are firms, whatever words they
            # are; A、B等企业 is also printed after lists of products, whose items must then
            # look proper
            tail = self.text[match.end(1) : match.end()]
            strong = match.group(3) is not None or any(
                w in tail for w in rules.WORDS["firm_list_strong"]
            )
            at = match.start(1)
            for n, item in enumerate(match.group(1).split("、")):
                start, end = at, at + len(item)
                at = end + 1
                if n == 0 and end in self.article.ends:  # 以A、B为龙头: A starts after 以
                    start = max(start, self.article.left_edge(end - 1, max_chars=12))
                name = trim_noise(self.text[start:end])
                start = end - len(name)
                if len(name) < 2 or is_generic(name, "") or re.search(r"\d", name):
                    continue
                if not (
                    self._proper(start, end)
                    or strong
                    or self._firm_shaped(start, end)
                    or name.endswith(rules.WORDS["company_short_suffixes"])
                    or (start, end) in {(m.start, m.end) for m in self.mentions}
                ):
                    continue  # products listed like firms (光纤陀螺、特种功能靶材等一批企业)
                self.add(
                    Mention(
                        "enterprise", name, start, end, "firm_list", rules.CONFIDENCE["firm_list"]
                    )
                )

    def find_chains(self) -> None:
        """…产业链 / …产业集群 (and, less sure, …产业): the words before name the chain; a
        place opening them (我市, 某某区) is dropped from the label."""
        suffixes = sorted(
            rules.WORDS["chain_suffixes"] + rules.WORDS["chain_weak_suffixes"],
            key=len,
            reverse=True,
        )
        pattern = re.compile("|".join(suffixes))
        for match in pattern.finditer(self.text):
            weak = match.group() in rules.WORDS["chain_weak_suffixes"]
            if weak and re.match(r"[链集园项基化]", self.text[match.end() : match.end() + 1]):
                continue  # 产业链 / 产业园 / 产业化 are other words
            start = self.article.left_edge(match.start(), max_chars=8)
            for other in self.mentions:
                if other.start < start < other.end:
                    start = other.start
            name = trim_noise(self.text[start : match.end()])
            start = match.end() - len(name)
            label_start = start
            i = self.article.token_at[start] if start < len(self.text) else 0
            while (
                i < len(self.article.tokens)
                and self.article.tokens[i].end <= match.start()
                and (
                    self.article.tokens[i].flag == "ns"
                    or self.article.tokens[i].word in rules.WORDS["chain_place_words"]
                    or self.article.tokens[i].word.endswith(rules.WORDS["place_endings"])
                )
            ):
                label_start = self.article.tokens[i].end
                i += 1
            core = self.text[label_start : match.start()]
            core = core[:-2] if core.endswith("产业") and len(core) > 3 else core
            if (
                len(core) < 2
                or not NAME_RE.match(core)
                or core in rules.WORDS["chain_generic"]
                or core.endswith(rules.WORDS["chain_generic"])
                or is_generic(core + "链", "链")
            ):
                continue
            if not self._chain_words(label_start, match.start(), weak):
                continue
            confidence = rules.CONFIDENCE["chain"] - (0.2 if weak else 0.0)
            mention = Mention(
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
        if any(t.flag[0] in "vdrpmucszftq" and t.flag != "vn" for t in words) or all(
            t.flag[0] == "a" for t in words
        ):
            return False
        freq = make_freq()
        return not (
            weak and len(words) == 1 and freq.get(words[0].word, 0) >= rules.CHAIN_COMMON_FREQ
        )

    def find_titles(self) -> None:
        for match in re.finditer(r"《([^》\n]{4,60})》", self.text):
            title = match.group(1)
            kind = next(
                (k for s, k in rules.PAIRS["program_suffixes"] if title.endswith(s)),
                "policy_document",
            )
            self.add(
                Mention(
                    "program",
                    title,
                    match.start(1),
                    match.end(1),
                    "program_title",
                    rules.CONFIDENCE["program_title"],
                    fields={"kind": kind},
                )
            )
        suffixes = "|".join(s for s, _ in rules.PAIRS["program_suffixes"])
        cues = "|".join(rules.WORDS["program_quote_cues"])
        pattern = rf"({cues})?[“\"]([^”\"\n]{{2,16}})[”\"]({suffixes})?"
        for match in re.finditer(pattern, self.text):
            cue, inner, suffix = match.group(1), match.group(2), match.group(3) or ""
            kind = next(
                (k for s, k in rules.PAIRS["program_suffixes"] if (inner + suffix).endswith(s)),
                None,
            )
            if kind is None and cue:
                kind = "campaign"
            if kind is None or not re.search(r"[\u4e00-\u9fff]", inner):
                continue
            if re.search(r"[、+＋，,]", inner):
                continue  # a list of slogans, not one program
            aliases = [inner + suffix] if suffix else []
            self.add(
                Mention(
                    "program",
                    inner,
                    match.start(2),
                    match.end(2),
                    "program",
                    rules.CONFIDENCE["program"],
                    fields={"kind": kind},
                    aliases=aliases,
                )
            )
        self.find_honours()

    def find_honours(self) -> None:
        """Titles a place or firm is given (入选X, 获评X, 被评为“X”): designations."""
        cues = "|".join(sorted(rules.WORDS["honour_cues"], key=len, reverse=True))
        name = r"[\u4e00-\u9fffA-Za-z0-9]{4,30}?"
        ends = "|".join(rules.WORDS["honour_ends"])
        for match in re.finditer(rf"(?:{cues})“?({name})”?(?=[，,。；;、]|{ends})", self.text):
            title = trim_noise(match.group(1))
            if is_generic(title, "") or re.search(r"第\d|\d+[个项家位名]$|[+＋]", title):
                continue  # a rank (第23位) or a count, not a title
            self.add(
                Mention(
                    "program",
                    title,
                    match.end(1) - len(title),
                    match.end(1),
                    "program",
                    rules.CONFIDENCE["program"],
                    fields={"kind": "designation"},
                )
            )

    def find_segments(self) -> None:
        """A chain printed as links joined by dashes (前驱体—正极材料、电解液—电芯 …), after a
        chain mention in the same sentence: each link a segment, in order; links joined by
        、 share a place in the order."""
        dash = f"[{rules.SEGMENT_DASHES}]+"
        item = r"[\u4e00-\u9fffA-Za-z0-9、]{2,30}"
        for match in re.finditer(rf"{item}(?:{dash}{item}){{2,}}", self.text):
            chain = self._nearest(match.start(), ("chain",), before=True)
            if chain is None:
                continue
            parts = re.split(dash, match.group())
            at = match.start()
            for order, part in enumerate(parts, 1):
                stage = ("upstream", "midstream", "downstream")[(order - 1) * 3 // len(parts)]
                for name in part.split("、"):
                    start = self.text.index(name, at)
                    at = start + len(name)
                    if len(name) < 2:
                        continue
                    fields = {
                        "chain": chain.known_id or chain.name,
                        "order": str(order),
                        "stage": stage,
                    }
                    confidence = rules.CONFIDENCE["segment"]
                    self.add(
                        Mention("segment", name, start, at, "segment", confidence, fields=fields)
                    )


def extract(text: str, source: str, index: KnownIndex) -> list[Candidate]:
    """Candidate facts of one article, in text order per kind; see the module docstring."""
    ex = _Extractor(text, source, index)
    ex.find_known()
    ex.find_enterprises()
    ex.find_short_forms()
    ex.find_kinded(
        "park", rules.PAIRS["park_suffixes"], max_chars=14, allow=("v", "vn", "eng", "x")
    )
    ex.find_project_lists()
    ex.find_suffixed(
        "project",
        rules.WORDS["project_suffixes"],
        "project",
        max_chars=30,
        allow=_PROJECT_WORDS,
    )
    ex.find_kinded(
        "event",
        rules.PAIRS["event_suffixes"],
        max_chars=24,
        allow=("m", "x", "eng", "vn", "v", "“", "”", "与", "首届"),
    )
    ex.find_kinded("organization", rules.PAIRS["organization_suffixes"], max_chars=14)
    ex.find_names("organization", rules.PAIRS["organization_names"])
    ex.find_titles()
    ex.find_kinded(
        "program", rules.PAIRS["program_strong_suffixes"], max_chars=16, allow=("v", "vn")
    )
    ex.find_chains()
    ex.find_firm_lists()
    ex.find_industry_firms()
    ex.find_firm_contexts()
    ex.find_strong_firm_contexts()
    ex.find_project_investors()
    ex.find_list_members()
    ex.find_segments()
    return ex.candidates()
