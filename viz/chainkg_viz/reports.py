"""Gap reports as site pages: `report_pages(analysis, links, site_title) -> {path: text}`.

One page per chain (`gaps/<chain-id>.html`, the site's base template and stylesheet, Chinese
first with one switch for English, a print stylesheet for print-to-PDF), its Markdown twin
(`gaps/<chain-id>.md`) and an index of both. Names link to entity pages and quotes to the
article, scrolled to the quote, when `links` knows them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from chainkg_viz.analysis import (
    EMPTY_LIST_EN,
    EMPTY_LIST_ZH,
    EMPTY_NOTES,
    LEVELS,
    LIST_SHOWN,
    LIST_TITLES,
    RANKING_EN,
    RANKING_ZH,
    Analysis,
    ChainReport,
    Evidence,
    ListPage,
    more_text,
    panorama_markdown,
    quotes_text,
)
from chainkg_viz.data import local_name, slug
from chainkg_viz.html import STATIC, render

SEP = "、"
LIST_PAGE = 100  # entries per page of a whole list (served: gaps/lists/<chain-id>/<key>.html)
# "中文 (English…)" or "中文 — English…": the English part of the analysis's mixed texts.
_EN_START = re.compile(r"\s?(?:…|\.\.\.)?[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_DASH = re.compile(r"\s+—\s+([A-Za-z].*)$")


@dataclass
class Links:
    """What a report may link to: entity pages by IRI and by unique label, and articles."""

    root: str = "../"
    entities: bool = False  # whether entity pages exist (a site build)
    keys: set[str] = field(default_factory=set)  # the entity pages' keys
    by_label: dict[str, str] = field(default_factory=dict)  # unique label -> page key
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> key, title, date
    texts: dict[str, str] = field(default_factory=dict)  # source id -> full text
    names: dict[str, str] = field(default_factory=dict)  # page key -> label
    list_pages: bool = False  # whether whole lists are served paged (`list_page_html`)
    exports: bool = False  # whether a chain's workbook is beside the report (export/<id>.xlsx)
    graph: str = ""  # the graph the lists command reads, if not `chainkg lists`'s default

    def name(self, entity_id: str) -> str:
        return self.names.get(slug(entity_id), entity_id)

    def entity(self, label: str, iri: str = "", id: str = "") -> Markup:
        """The name, linked to its entity page when there is one (by IRI, id or label)."""
        key = slug(id or local_name(iri)) if (id or iri) else ""
        key = key if key in self.keys else self.by_label.get(label)
        if not (self.entities and key):
            return escape(label)
        return Markup('<a href="{}entities/{}.html">{}</a>').format(self.root, key, label)

    def entities_list(self, labels: list[str]) -> Markup:
        return Markup(SEP).join(self.entity(label) for label in labels)

    def source(self, source_id: str) -> dict[str, str]:
        return self.sources.get(
            source_id, {"key": "", "title": source_id, "date": "", "publisher": ""}
        )

    def quote_href(self, ev: Evidence) -> str:
        """The article page scrolled to the quote, or '' when the article is unknown."""
        src = self.sources.get(ev.source)
        if not (self.entities and src):
            return ""
        start = self.texts.get(ev.source, "").find(ev.quote)
        anchor = f"#q={start}-{start + len(ev.quote)}" if start >= 0 else ""
        return f"{self.root}articles/{src['key']}.html{anchor}"


def _inline_css(links: Links) -> str:
    """The stylesheet inline for reports written outside a site (no static/ beside them)."""
    return "" if links.entities else (STATIC / "site.css").read_text(encoding="utf-8")


def _english_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each bracketed part that starts in English, brackets nested."""
    spans = []
    i = 0
    while i < len(text):
        if text[i] in "(（" and _EN_START.match(text, i + 1) and not _CJK.search(text, i, i + 12):
            depth = 0
            for j in range(i, len(text)):
                depth += text[j] in "(（"
                depth -= text[j] in ")）"
                if depth == 0:
                    start = i - 1 if i and text[i - 1] == " " else i
                    spans.append((start, j + 1))
                    i = j
                    break
        i += 1
    return spans


def bilingual(text: str) -> Markup:
    """A mixed 'Chinese (English)' or 'Chinese — English' text with the English parts in
    `<span class="en">` (shown by the page's English switch)."""
    dash = _EN_DASH.search(text)
    body = text[: dash.start()] if dash else text
    parts: list[Markup | str] = []
    pos = 0
    for start, end in _english_spans(body):
        parts.append(escape(body[pos:start]))
        parts.append(Markup('<span class="en" lang="en">{}</span>').format(body[start:end]))
        pos = end
    parts.append(escape(body[pos:]))
    if dash:
        parts.append(Markup('<span class="en" lang="en"> — {}</span>').format(dash.group(1)))
    return Markup("").join(parts)


def _merged(evidence: list[Evidence]) -> list[dict[str, Any]]:
    """One entry per (quote, source), naming every firm it supports."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for e in evidence:
        entry = merged.setdefault(
            (e.quote, e.source), {"ev": e, "supports": [], "curator": e.curator}
        )
        if e.supports and e.supports not in entry["supports"]:
            entry["supports"].append(e.supports)
    return list(merged.values())


def _attention(report: ChainReport) -> tuple:
    """Sort key: most missing, then weak, then pipeline projects first; then by name."""
    s = report.summary
    return (-s.missing, -s.weak, -report.pipeline, -s.segments, s.label, s.id)


def _cited_sources(report: ChainReport) -> list[str]:
    found: list[Evidence] = []
    s = report.summary
    for gap in report.gaps:
        found += gap.evidence
        for c in gap.candidate_details:
            found += c.evidence
    for f in [*s.supply_rates, *s.benchmark_supply_rates, *s.figures]:
        found += f.evidence
    for c in s.chain_candidates:
        found += c.evidence
    for items in report.lists.values():
        for item in items:
            found += item.evidence
    return sorted({e.source for e in found})


def lists_command(report: ChainReport, graph: str = "") -> str:
    """The command printing a chain's seven lists whole (reading `graph`, a graph file or
    store folder, when not the command's default)."""
    where = f" --graph {shlex.quote(graph)}" if graph else ""
    return f"chainkg lists --chain {report.id} --format csv{where}"


def list_more(report: ChainReport, key: str, links: Links) -> Markup:
    """What a report says under a list it prints the first entries of: the total and where
    the whole list is (its pages when served, else the workbook and the command)."""
    shown, total = len(report.lists[key]), report.total(key)
    text = Markup('<p class="list-more">共 {} 条，此处列出前 {} 条{}').format(
        total,
        shown,
        Markup('<span class="en" lang="en"> ({} entries, the first {} shown)</span>').format(
            total, shown
        ),
    )
    if links.list_pages:
        href = f"lists/{report.id}/{key}.html?page=1"
        more = Markup(' · <a class="list-all" href="{}">查看全部（分页）</a>').format(href)
    else:
        more = Markup(" · 全部：<code>{}</code>").format(lists_command(report, links.graph))
        if links.exports and report.exportable:
            more += Markup(' 或 <a href="{}export/{}.xlsx" download>Excel</a>').format(
                links.root, report.id
            )
    return text + more + Markup("</p>")


def list_page_html(report: ChainReport, page: ListPage, links: Links, site_title: str) -> str:
    """One page of a whole list of a chain (served: `gaps/lists/<chain-id>/<key>.html?page=N`),
    with links to the previous and next pages and back to the report."""
    n = page.offset // LIST_PAGE + 1
    return render(
        "list_page.html",
        page_title=f"{report.summary.label} · {LIST_TITLES[page.key][0]}",
        site_title=site_title,
        root=links.root,
        chain=report.summary.label,
        title=LIST_TITLES[page.key],
        report_href=f"../../{report.id}.html#list-{page.key}",
        total=page.total,
        first=page.offset + 1 if page.items else 0,
        last=page.offset + len(page.items),
        items=page.items,
        links=links,
        merged=_merged,
        previous=n - 1 if n > 1 else None,
        next=n + 1 if page.offset + len(page.items) < page.total else None,
    )


def report_html(report: ChainReport, links: Links, site_title: str) -> str:
    """The gap report page of one chain."""
    return render(
        "gap_report.html",
        page_title=f"{report.summary.label} · 缺链弱链报告",
        site_title=site_title,
        root=links.root,
        inline_css=_inline_css(links),
        r=report,
        s=report.summary,
        links=links,
        levels=LEVELS,
        list_titles=LIST_TITLES,
        ranking=(RANKING_ZH, RANKING_EN),
        empty_list=(EMPTY_LIST_ZH, EMPTY_LIST_EN),
        empty_notes=EMPTY_NOTES,
        sources=[dict(links.source(sid), id=sid) for sid in _cited_sources(report)],
        merged=_merged,
        more=more_text,
        bilingual=bilingual,
        list_more=lambda r, key: list_more(r, key, links),
    )


def index_html(analysis: Analysis, links: Links, site_title: str) -> str:
    """The list of every chain's report, the zone's chains first."""
    reports = sorted(analysis.chains, key=lambda r: (not r.zone_chain, *_attention(r)))
    return render(
        "gap_index.html",
        page_title="缺链弱链报告",
        site_title=site_title,
        root=links.root,
        inline_css=_inline_css(links),
        reports=reports,
        links=links,
        levels=LEVELS,
    )


def report_markdown(report: ChainReport, graph: str = "") -> str:
    """The report as Markdown (Chinese first, English in brackets)."""
    s, gaps, lists = report.summary, report.gaps, report.lists

    def more(shown: int, total: int, query: str) -> str:
        zh, en = more_text(shown, total, query, s.id)
        return f" {zh}{en}" if zh else ""

    def joined(names: list[str], total: int, query: str) -> str:
        return SEP.join(names) + more(len(names), total, query)

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    out = [f"# {s.label} 产业链缺链弱链报告 ({s.label_en} — gap report)\n"]
    out.append(
        f"所属地区 (territory): {s.territory}" + (";对标案例 (benchmark)" if s.benchmark else "")
    )
    out.append(f"\n- 环节 (segments): {s.segments};{s.levels_text}(弱链阈值 {s.weak_threshold})")
    n_local = max(s.local_enterprise_total, len(s.local_enterprises))
    out.append(f"- 区内企业 (local enterprises): {n_local}")
    rate = s.local_supply_rate or "来源未给出 (not given by the sources)"
    out.append(f"- 本地配套率 (local supply rate): {rate}")
    bench = SEP.join(f"{f.chain_id} {f.value_text}" for f in s.benchmark_supply_rates)
    out.append(f"- 对标数据 (benchmark figures): {bench or '无 (none)'}")
    leaders = SEP.join(f"{ld.label}(带动区内企业 {ld.pull} 家)" for ld in s.leaders)
    out.append(f"- 龙头 (leaders, pull): {leaders or '数据缺口 (data gap)'}")
    out.append("\n## 全景图与现状图 (segments)\n")
    if gaps:
        head = ["序", "环节", "上中下游", "等级", "区内企业", "区外企业"]
        head += ["在建/待建项目", "跟进", "候选"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for g in gaps:
            row = [
                g.order,
                g.segment,
                g.stage_zh,
                LEVELS[g.level]["zh"],
                joined(g.local_enterprises, g.local_total, "segment-enterprises"),
                joined(g.non_local_enterprises, g.non_local_total, "segment-enterprises"),
                SEP.join(g.projects),
                SEP.join(f.text for f in g.follow_ups),
                SEP.join(g.candidates[:5]),
            ]
            out.append("| " + " | ".join(cell(v) for v in row) + " |")
        out.append("\n依据 (basis):\n")
        out += [f"- {g.order}. {g.segment}: {g.basis_note} {quotes_text(g.evidence)}" for g in gaps]
    else:
        out.append(
            "文章未列出该产业链的环节:各环节现状见参考全景图 (no article segments: see the "
            "reference panorama)\n"
            if s.reference_panorama
            else "全景图缺失:图谱中没有该产业链的环节 (no panorama: no segments in the graph)\n"
        )
    out.append("\n## 招商候选 (candidate targets)\n")
    out.append(f"{RANKING_ZH}\n\n{RANKING_EN}\n")
    if s.follow_ups:
        out.append("\n### 本链跟进 (follow-ups: signed or building in the zone)\n")
        out += [f"- [{f.text}]({f.profile_href}) {quotes_text(f.evidence)}" for f in s.follow_ups]
    for g in gaps:
        if g.level == "covered" and not g.follow_ups:
            continue
        out.append(f"\n### {g.order}. {g.segment}({LEVELS[g.level]['zh']})\n")
        for f in g.follow_ups:
            cite = quotes_text(f.evidence)
            out.append(f"- 跟进 (follow up): [{f.text}]({f.profile_href}) {cite}")
        if not g.candidate_details and g.level != "covered":
            out.append("图谱中没有新的招商对象 (no new target in the graph)")
        for c in g.candidate_details:
            reasons = ";".join(
                f"{r.text} {quotes_text(r.evidence)}".strip() for r in c.reason_details
            )
            where = f"({c.located})" if c.located else ""
            out.append(f"{c.rank}. **[{c.label}]({c.profile_href})**{where} — {reasons}")
        if g.candidate_total > len(g.candidate_details):
            rest = g.candidate_total - len(g.candidate_details)
            out.append(f"\n……另有 {rest} 家候选未列出 (…and {rest} more candidates)")
    if s.chain_candidates:
        out.append("\n### 环节未知的区外供应商 (suppliers elsewhere, segment unknown)\n")
        out += [
            f"- {c.label} — {';'.join(c.reasons)} {quotes_text(c.evidence)}"
            for c in s.chain_candidates
        ]
        if s.chain_candidate_total > len(s.chain_candidates):
            rest = s.chain_candidate_total - len(s.chain_candidates)
            out.append(f"- ……另有 {rest} 家未列出 (…and {rest} more)")
    out.append("\n## 七清单 (the seven lists)\n")
    for key, items in lists.items():
        zh, en = LIST_TITLES[key]
        out.append(f"\n### {zh} ({en})\n")
        if not items:
            out.append(EMPTY_NOTES.get(key, f"{EMPTY_LIST_ZH} ({EMPTY_LIST_EN})"))
        for i in items:
            extra = SEP.join(x for x in (i.kind, i.detail, "区内" if i.local else "") if x)
            out.append(f"- {i.label}({extra}) {quotes_text(i.evidence)}")
        if report.total(key) > len(items):
            total, command = report.total(key), lists_command(report, graph)
            out.append(
                f"\n共 {total} 条,此处列出前 {len(items)} 条;全部:`{command}`"
                f"({total} entries, the first {len(items)} shown; all: `{command}`)"
            )
    text = "\n".join(out) + "\n"
    if report.panorama:
        text += panorama_markdown(report.panorama)
    return text


def index_markdown(analysis: Analysis) -> str:
    head = ["产业链", "地区", "对标", "环节", "缺链", "弱链", "已覆盖", "本地配套率"]
    lines = ["# 产业链缺链弱链报告 (gap reports)\n", "| " + " | ".join(head) + " |"]
    lines.append("|" + "---|" * len(head))
    for r in analysis.chains:
        s = r.summary
        row = [
            f"[{s.label}]({s.id}.md)",
            s.territory,
            "是" if s.benchmark else "",
            s.segments,
            s.missing,
            s.weak,
            s.covered,
            s.local_supply_rate,
        ]
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


def report_files(analysis: Analysis) -> list[str]:
    """The file names of the gap reports: each chain's HTML and Markdown, the two indexes and
    the panoramas."""
    names = [f"{r.id}.{ext}" for r in analysis.chains for ext in ("html", "md")]
    return [*names, "index.html", "index.md", "panorama.json"]


def report_page(analysis: Analysis, links: Links, site_title: str, name: str) -> str | None:
    """One file of `report_files` (None for a name that is not one)."""
    if name == "index.html":
        return index_html(analysis, links, site_title)
    if name == "index.md":
        return index_markdown(analysis)
    if name == "panorama.json":
        panoramas = [p.to_dict() for p in analysis.panoramas()]
        return json.dumps(panoramas, ensure_ascii=False, indent=1) + "\n"
    report_id, _dot, ext = name.rpartition(".")
    report = next((r for r in analysis.chains if r.id == report_id), None)
    if report is None or ext not in ("html", "md"):
        return None
    if ext == "html":
        return report_html(report, links, site_title)
    return report_markdown(report, links.graph)


def report_pages(analysis: Analysis, links: Links, site_title: str) -> dict[str, str]:
    """Every gap report, HTML and Markdown, and the two indexes, keyed `gaps/<file>`."""
    pages: dict[str, str] = {}
    for name in report_files(analysis):
        page = report_page(analysis, links, site_title, name)
        assert page is not None
        pages[f"gaps/{name}"] = page
    return pages


def write_reports(
    store: Any,
    out_dir: Path | str,
    data: list | None = None,
    site_title: str = "",
    list_shown: int = LIST_SHOWN,
    graph: str = "",
    listings: Any = None,
    summary: Any = None,
) -> list[Path]:
    """The gap reports of `store` written on their own into out_dir (no site around them: no
    entity links, the stylesheet inline), each file by temp file and rename; a capped list
    names the command printing it whole, reading `graph` if given. `listings`: the listings
    side table written with the graph (`chainkg.listings.open_beside`), whose seven lists
    are read from it rather than asked of the store (the same rows); `summary`: the gap
    summary written with it, whose panorama rows are read likewise."""
    from chainkg_viz.analysis import analyse
    from chainkg_viz.data import dataset_title

    site_title = site_title or dataset_title(store)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    analysis = analyse(store, data, summary, listings=listings, shown=list_shown)
    pages = report_pages(analysis, Links(root="", entities=False, graph=graph), site_title)
    written = []
    for rel, text in sorted(pages.items()):
        path = out / rel.removeprefix("gaps/")
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
