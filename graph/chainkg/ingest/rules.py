"""The extraction rules: the lexicon (words, suffixes, cue words: `lexicon.toml`, data) and the
patterns and confidences (here), in two readable places.

Nothing here names a particular zone or city: every rule is about how Chinese economic news
prints firms, projects, amounts, statuses, chains and relations. `extract` reads these tables;
to teach the extractor a new suffix or cue word, add it to lexicon.toml, a new pattern here.
"""

from __future__ import annotations

import tomllib
from importlib import resources

_LEXICON = tomllib.loads(
    resources.files("chainkg.ingest").joinpath("lexicon.toml").read_text(encoding="utf-8")
)
# Word lists (`leading_noise`, `company_legal_suffixes` ...), by their name in lexicon.toml.
WORDS: dict[str, tuple[str, ...]] = {
    key: tuple(value)
    for key, value in _LEXICON.items()
    if isinstance(value, list) and all(isinstance(item, str) for item in value)
}
# (text, kind) tables tried in order (`organization_suffixes`, `status_cues` ...).
PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    key: tuple((text, kind) for text, kind in value)
    for key, value in _LEXICON.items()
    if isinstance(value, list) and key not in WORDS
}
# Mappings (`stat_qualifier_before` ...).
MAPS: dict[str, dict[str, str]] = {
    key: value for key, value in _LEXICON.items() if isinstance(value, dict)
}

# Characters a name may be made of (CJK, ASCII letters and digits, a few joiners).
NAME_CHAR = r"[\u4e00-\u9fffA-Za-z0-9·()（）]"

# --- enterprises ------------------------------------------------------------------------
# Contexts that say the words in them name a firm; `{N}` is the name (2-8 characters, cut
# at jieba's word boundaries, and it must look proper: see extract._proper).
FIRM_CONTEXT_PATTERNS: tuple[str, ...] = (
    r"作为{N}的[\u4e00-\u9fff]{0,4}(?:供应商|配套商|配套企业|客户)",
    r"是{N}(?:和{N2})?的[\u4e00-\u9fff]{0,4}(?:供应商|配套商|客户)",
    r"为{N}(?:供货|配套|代工|提供配套)",
    r"(?:龙头企业|领军企业|骨干企业|上市公司|电池企业|汽车企业|车企|独角兽)(?:之一)?{N}(?=[,，、。的在是于已将与和])",
    r"由{N}(?:牵头|主导|研制|投资|建设|控股)",
    r"获{N}(?:注资|投资|入股|战略投资)",
    r"(?:帮扶|引进了?|携手|牵手){N}(?=[,，、。成落等与和在])",
    r"(?:^|[,，。；\n]){N}(?:的)?(?:全资|控股)?子公司",
    r"(?:^|[,，。；\n]){N}(?:在|于)[\u4e00-\u9fff]{2,8}(?:创业板|科创板|主板|上交所|深交所)?上市",
    r"{N}(?:创业板|科创板)上市",
)
# Of the contexts above, those so specific that any word-bounded name in them is a firm, even
# a common word (小米, 时代电动): the name is checked for noise and boundaries, not rarity.
STRONG_FIRM_CONTEXT_PATTERNS: tuple[str, ...] = (
    r"作为{N}的[\u4e00-\u9fff]{0,4}(?:供应商|配套商|配套企业)",
    r"是{N}(?:和{N2})?的[\u4e00-\u9fff]{0,4}(?:供应商|配套商)",
    r"获{N}(?:注资|入股|战略投资)",
    r"(?:帮扶|扶持|服务)(?:企业)?{N}(?=成功|顺利|解决|对接|拿下)",
)
# A clause that opens with a name and goes on with what only a firm does (…；宏达电子领军国内…,
# 格兰德芯掌握…技术): the name is a firm when it also looks proper (extract._proper).
FIRM_SUBJECT_PATTERN = (
    r"(?:^|(?<=[,，。；;：:\n]))({N})(?=(?:近年来|近年)?(?:引领|领军|掌握|主导制定|主导研制|"
    r"加快推进|自主研发|研发的|生产的|已开发|成功研制|成功研发|已获|荣获|入选|在[\u4e00-\u9fff]{2,6}上市))"
)
# Common words (jieba frequency at least this) are not taken as a firm's name by the
# context and list rules, unless jieba tags them as a person, organization or brand name.
COMMON_WORD_FREQ = 100


# --- projects ---------------------------------------------------------------------------
# An amount: 投资10亿元, 总投资为40亿元, 投资5000万元.
AMOUNT_PATTERN = (
    r"(?:总投资|投资总额|计划投资|拟投资|投资)(?:额)?(?:为|约|达|超过|近|逾)?"
    r"(\d+(?:\.\d+)?)(万亿|亿|千万|百万|万)(?:元|人民币)"
)
AMOUNT_UNITS = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4}
LAND_PATTERN = r"(?:用地|占地|面积)(?:面积)?(?:约|近|达)?(\d+(?:\.\d+)?)亩"
DATE_PATTERN = (
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}年(?:年初|年底|上半年|下半年)?|"
    r"\d{1,2}月(?:\d{1,2}日|份|底|初)?|(?:今年|去年|明年|上个月|本月|全年|上半年|下半年)"
)

# --- chains and segments ----------------------------------------------------------------
# A weak chain name (…产业) that is one word at least this frequent in jieba is generic.
CHAIN_COMMON_FREQ = 1000
# A segment list: three or more links joined by dashes, e.g. 前驱体—正极材料—电芯.
SEGMENT_DASHES = "—–"

# --- organizations ----------------------------------------------------------------------


# --- parks and zones --------------------------------------------------------------------
# A list of projects: "A、B和C三大项目", "A、B等新能源汽车配套项目", "A、B两个省重点项目" -
# every item of the list is a project (the item as printed is its name). The words between
# the list and 项目 (a count, 等, a short qualifier) must match this pattern.
PROJECT_LIST_TAIL = (
    r"(?:等|两个|[二三四五六七八九十\d]+个|[二三四五六七八九十\d]+大|一批)"
    r"(?:[\u4e00-\u9fff]{0,10}?)项目"
)
# One project before 等项目 ("投资N亿元的X等项目开工"): X is a project (or the firm, if it
# ends like one). Only 等 with at most four characters of qualifier.
PROJECT_SINGLE_TAIL = r"等(?:[\u4e00-\u9fff]{0,4}?)项目"

# --- programs and events ----------------------------------------------------------------

# --- statistics -------------------------------------------------------------------------

# --- relations --------------------------------------------------------------------------
# (cue regex, predicate, confidence). Named groups `s` and `o` are entity names matched
# against the mentions found in the sentence; `{E}` stands for one mention.
RELATION_PATTERNS: tuple[tuple[str, str, float], ...] = (
    (
        r"(?P<s>{E})(?:是|作为|成为)?(?P<o>{E})的(?:核心|重要|一级|二级)?(?:供应商|配套商|配套企业)",
        "supplier_of",
        0.8,
    ),
    (
        r"作为(?P<o>{E})的(?:核心|重要|一级|二级)?(?:供应商|配套商|配套企业)[^。；]*?(?P<s>{E})",
        "supplier_of",
        0.75,
    ),
    (r"(?P<s>{E})[^。；，,]{0,12}为(?P<o>{E})(?:配套|提供配套|供货)", "supplier_of", 0.8),
    (
        r"(?P<s>{E})(?:是|为|系|作为)?(?P<o>{E})(?:的)?(?:全资|控股)?(?:子公司|分公司)",
        "subsidiary_of",
        0.8,
    ),
    (
        r"(?P<o>{E})(?:的)?(?:全资|控股)?(?:子公司|分公司)[—：:\s]{0,3}(?P<s>{E})",
        "subsidiary_of",
        0.75,
    ),
    (r"(?P<s>{E})[^。；]{0,10}(?:落户|入驻|进驻|扎根)(?:于|在)?(?P<o>{E})", "located_in", 0.8),
    (r"(?P<s>{E})(?:位于|坐落于)(?P<o>{E})", "located_in", 0.8),
    (r"(?P<s>{E})(?:投资|参股|入股|控股)(?P<o>{E})", "invests_in", 0.7),
    (r"以(?P<s>{E})为(?:首|龙头|核心)[^。]*?(?P<o>{E})", "leads_chain", 0.8),
    (r"(?P<o>{E})(?:中|里|方面)?[^。；]{0,12}以(?P<s>{E})为(?:首|龙头|核心)", "leads_chain", 0.8),
    (r"(?P<o>{E})(?:的)?龙头(?:企业)?(?P<s>{E})", "leads_chain", 0.75),
    (r"(?P<s>{E})与(?P<o>{E})(?:正式)?(?:签约|签订|签署)", "signed_with", 0.75),
    (r"(?P<s>{E})与(?P<o>{E})[^。；]{0,8}(?:战略)?合作", "partner_of", 0.6),
)
# Relation end kinds each predicate accepts (subject kinds, object kinds).
RELATION_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "supplier_of": (("enterprise",), ("enterprise",)),
    "subsidiary_of": (("enterprise",), ("enterprise",)),
    "located_in": (("enterprise", "organization", "project"), ("park",)),
    "invests_in": (("enterprise",), ("enterprise", "project")),
    "leads_chain": (("enterprise",), ("chain",)),
    "signed_with": (("enterprise", "organization", "park"), ("enterprise", "organization")),
    "partner_of": (("enterprise", "organization"), ("enterprise", "organization")),
}

# --- confidence of each rule ------------------------------------------------------------
CONFIDENCE = {
    "known": 0.95,
    "legal_suffix": 0.9,
    "short_suffix": 0.7,
    "industry_suffix": 0.6,
    "firm_list": 0.65,
    "firm_context": 0.6,
    "firm_subject": 0.55,
    "project_list": 0.6,
    "project_investor": 0.6,
    "project": 0.75,
    "project_amount": 0.9,
    "chain": 0.8,
    "segment": 0.6,
    "organization": 0.7,
    "park": 0.7,
    "program_title": 0.85,
    "program": 0.5,
    "event": 0.65,
    "statistic": 0.6,
}
