"""Mentions to candidates: project details, statistics and relations (`Facts.candidates`).

A mixin of the extractor: given the mentions it found (`self.mentions` in `self.article`),
attach to each project its amount, land, status, date and investor printed in its sentence,
read statistics (number + unit) with their indicator, subject and period, and match the
relation cues of `rules.RELATION_PATTERNS` between the mentions of a sentence.
"""

from __future__ import annotations

import re

from chainkg.ingest import rules
from chainkg.ingest.candidate import ENTITY_KINDS, Candidate, Mention
from chainkg.ingest.known import KnownIndex, normalize
from chainkg.ingest.text import (
    AMOUNT_RE,
    CLAUSE_END,
    DATE_RE,
    LAND_RE,
    NAME_RE,
    YEAR_RE,
    ArticleText,
    place_variant,
    trim_noise,
)


class Facts:
    """The candidate-building half of the extractor (see `extract._Extractor`)."""

    article: ArticleText
    text: str
    source: str
    index: KnownIndex
    mentions: list[Mention]
    taken: list[bool]

    def _nearest(self, pos: int, kinds: tuple[str, ...], before: bool) -> Mention | None:
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
                        and same_project(c.name, mention.name)
                    ),
                    key,
                )
            if key not in seen and mention.kind in ("enterprise", "organization"):
                key = next(
                    (
                        k
                        for k, c in seen.items()
                        if k[0] == mention.kind
                        and place_variant(normalize(c.name), normalize(mention.name))
                    ),
                    key,
                )
            if key in seen:
                first = seen[key]
                if mention.name != first.name and mention.name not in first.aliases:
                    first.aliases.append(mention.name)
                if mention.kind == "project" and not first.fields.get("amount_text"):
                    # the amount printed beside another mention of the same project
                    more = self._project_fields(mention)
                    if more.get("amount_text"):
                        first.fields["amount_text"] = more["amount_text"]
                        first.fields["amount_yuan"] = more["amount_yuan"]
                        first.confidence = max(first.confidence, rules.CONFIDENCE["project_amount"])
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

    def _project_fields(self, mention: Mention) -> dict[str, str]:
        s_start, s_end = self.article.sentence(mention.start)
        others = [
            m
            for m in self.mentions
            if m.kind == "project" and m is not mention and s_start <= m.start < s_end
        ]
        fields: dict[str, str] = {}
        best: tuple[int, re.Match[str]] | None = None
        for match in AMOUNT_RE.finditer(self.text, s_start, s_end):
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
        land = LAND_RE.search(self.text, s_start, s_end)
        if land:
            fields["land_mu"] = land.group(1)
        sentence = self.text[s_start:s_end]
        for cue, status in rules.PAIRS["status_cues"]:
            if cue in sentence:
                fields["status"] = status
                break
        date = DATE_RE.search(sentence)
        if date:
            fields["status_date"] = date.group()
            year = YEAR_RE.search(date.group())
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

    def _main_place(self) -> Mention | None:
        """The park or place the article names most (the subject of its bare figures)."""
        counts: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            if mention.kind in ("park", "place"):
                counts.setdefault(mention.known_id or mention.name, []).append(mention)
        if not counts:
            return None
        best = max(counts.values(), key=lambda ms: (len(ms), -ms[0].start))
        return best[0]

    def statistics(self) -> list[Candidate]:
        main_place = self._main_place()
        units = "|".join(
            re.escape(u) for u in sorted(rules.WORDS["stat_units"], key=len, reverse=True)
        )
        before = "|".join(sorted(rules.MAPS["stat_qualifier_before"], key=len, reverse=True))
        pattern = re.compile(rf"({before})?(\d+(?:\.\d+)?)(余|多)?({units})")
        amounts = [m.span() for m in AMOUNT_RE.finditer(self.text)]
        amounts += [m.span() for m in LAND_RE.finditer(self.text)]
        dates = [m.span() for m in DATE_RE.finditer(self.text)]
        out = []
        for match in pattern.finditer(self.text):
            start, end = match.span(2)[0], match.end()
            if any(a <= start < b for a, b in amounts + dates) or any(self.taken[start:end]):
                continue
            s_start, _ = self.article.sentence(start)
            clause_start = max(self.text.rfind(ch, s_start, start) for ch in CLAUSE_END + " ")
            clause_start = max(clause_start + 1, s_start)
            subject = self._nearest(start, ENTITY_KINDS + ("place",), before=True) or main_place
            indicator_start = clause_start
            if subject is not None and subject.end > clause_start:
                indicator_start = subject.end
            indicator = self.text[indicator_start : match.start()].strip()
            period = DATE_RE.search(indicator)
            if period:
                indicator = indicator.replace(period.group(), "")
            for verb in rules.WORDS["stat_verbs"]:
                if indicator.endswith(verb):
                    indicator = indicator[: -len(verb)]
                    break
            indicator = trim_noise(indicator.strip("，,的了 "))
            if len(indicator) < 2 or subject is None or not NAME_RE.match(indicator):
                continue
            qualifier = rules.MAPS["stat_qualifier_before"].get(match.group(1) or "") or (
                rules.MAPS["stat_qualifier_after"].get(match.group(3) or "")
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
            year = YEAR_RE.search(fields["period"])
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
        cue = "|".join(rules.WORDS["firm_list_cues"])
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


def same_project(a: str, b: str) -> bool:
    """Whether two names of one article's projects or parks name the same thing: one ends the
    other (a place before it: 湖南X产业园项目 / X产业园), or one is the other plus a project
    suffix (X / X生产基地)."""
    for x, y in ((a, b), (b, a)):
        if x.endswith(y) or normalize(x).endswith(normalize(y)):
            return True
        if x.startswith(y) and x[len(y) :] in rules.WORDS["project_suffixes"]:
            return True
    return False
