"""The extraction rules as data: suffixes, cue words and patterns, in one readable place.

Nothing here names a particular zone or city: every rule is about how Chinese economic news
prints firms, projects, amounts, statuses, chains and relations. `extract` reads these tables;
to teach the extractor a new suffix or cue, add it here.
"""

from __future__ import annotations

# Characters a name may be made of (CJK, ASCII letters and digits, a few joiners).
NAME_CHAR = r"[\u4e00-\u9fffA-Za-z0-9·()（）]"

# --- enterprises ------------------------------------------------------------------------
# Legal-form suffixes: a name ending in one of these is an enterprise (high confidence).
COMPANY_LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "股份公司",
)
# Short forms that end a firm's short name (lower confidence: 集团, 股份, 公司 ...).
COMPANY_SHORT_SUFFIXES = ("集团", "股份", "公司", "分公司", "子公司")
# Industry words that often end a firm's short name (宏工智能, 博戈橡胶 ...); accepted only
# when the words before them look like a proper name (see extract._looks_proper).
COMPANY_INDUSTRY_SUFFIXES = (
    "科技",
    "新材",
    "电子",
    "电气",
    "电机",
    "智能",
    "机械",
    "橡胶",
    "光电",
    "半导体",
    "新能源",
    "汽车",
    "动力",
    "生物",
    "医药",
    "制药",
    "材料",
    "装备",
    "重工",
    "能源",
    "锂电",
    "微电子",
    "软件",
    "通信",
    "精密",
)
# Words that, printed right after a list of names, say the list is of firms.
# Of the words after such a list, those that say its items are firms even when they are
# common words (时代新材、钻石切削等代表企业): products are not "representative firms".
FIRM_LIST_STRONG = ("代表", "龙头", "领军", "骨干", "知名", "上市", "头部")
FIRM_LIST_CUES = ("企业", "公司", "龙头", "厂商", "供应商", "配套商", "客户", "巨头", "品牌")
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
PROPER_TAGS = ("nr", "nrt", "nrfg", "nz", "nt", "j", "eng", "x")

# Words a name never starts with (verbs, prepositions, determiners printed before names).
LEADING_NOISE = (
    "全资子公司",
    "控股子公司",
    "子公司",
    "上市公司",
    "全资",
    "成立",
    "还有",
    "推进",
    "作为",
    "其中",
    "包括",
    "以及",
    "通过",
    "依托",
    "推动",
    "引进",
    "引入",
    "成功",
    "吸引",
    "支持",
    "带动",
    "聚集",
    "集聚",
    "聚集了",
    "实现",
    "完成",
    "建设",
    "推进",
    "启动",
    "签约",
    "开工",
    "投产",
    "竣工",
    "落户",
    "入驻",
    "总投资",
    "投资",
    "计划",
    "预计",
    "今年",
    "去年",
    "目前",
    "已经",
    "正在",
    "全力",
    "加快",
    "一批",
    "一个",
    "这个",
    "该",
    "由",
    "和",
    "与",
    "及",
    "在",
    "是",
    "为",
    "对",
    "向",
    "从",
    "把",
    "将",
    "让",
    "被",
    "的",
    "了",
    "等",
    "也",
    "都",
    "已",
    "又",
    "还",
    "并",
    "即",
    "其",
    "此",
    "各",
    "年",
    "充分发挥",
    "发挥",
    "面向",
    "诉说着",
    "头部企业",
    "成为",
    "入选",
    "获评",
    "获批",
    "跻身",
    "入围",
    "荣获",
    "形成",
    "制定",
    "出台",
    "开展",
    "构建",
)
# jieba part-of-speech tags that end a name's left side: the name starts after the last one.
BOUNDARY_POS = ("v", "vn", "p", "c", "u", "d", "r", "uj", "ul", "f", "m", "q", "t", "y", "zg")
# Names that are generic words, not proper names (dropped).
GENERIC_NAMES = (
    "公司",
    "企业",
    "集团",
    "项目",
    "基地",
    "产业园",
    "园区",
    "子公司",
    "分公司",
    "总公司",
    "母公司",
    "上市公司",
    "龙头企业",
    "国有企业",
    "民营企业",
    "外资企业",
    "科技企业",
    "高新技术企业",
    "规模企业",
    "链上企业",
    "配套企业",
    "本地企业",
    "新能源汽车",
    "智能汽车",
    "新能源",
    "新材料",
    "电子信息",
)
# Leading words that make a name generic (重点项目, 产业项目, 大项目 ...).
GENERIC_PREFIXES = (
    "重点",
    "重大",
    "产业",
    "工业",
    "大",
    "好",
    "新",
    "该",
    "这",
    "此",
    "本",
    "相关",
    "其他",
    "所有",
    "各类",
    "一批",
    "一",
    "多个",
    "个",
    "招商",
    "在建",
    "续建",
    "新建",
    "新开工",
    "签约",
    "开工",
    "竣工",
    "投产",
    "百日攻坚",
    "联点",
    "标厂",
)

# Last words of a name's core that make it generic (优质项目, 配套项目, 三大项目 ...).
GENERIC_ENDINGS = (
    "优质",
    "配套",
    "招商引资",
    "采购",
    "重点",
    "重大",
    "产业",
    "单个",
    "大",
    "好",
    "相关",
    "等",
    "新",
    "一批",
    "建设",
    "企业",
    "平台",
    "资源",
    "大型",
    "行业",
    "重构",
    "国有",
    "攻坚",
    "技改",
    "部分",
    "强",
    "一场场",
    "关键",
    "落后",
    "老",
    "一流",
)

# Endings of a place's name: 某某市产业项目 is generic.
PLACE_ENDINGS = ("省", "市", "区", "县", "镇", "全市", "全省", "全区", "新区", "高新区", "园区")

# --- projects ---------------------------------------------------------------------------
PROJECT_SUFFIXES = (
    "产业化项目",
    "项目",
    "生产基地",
    "制造基地",
    "研发基地",
    "基地",
    "产业园",
    "科技园",
    "工厂",
    "生产线",
    "数据中心",
)
# An amount: 投资10亿元, 总投资为40亿元, 投资5000万元.
AMOUNT_PATTERN = (
    r"(?:总投资|投资总额|计划投资|拟投资|投资)(?:额)?(?:为|约|达|超过|近|逾)?"
    r"(\d+(?:\.\d+)?)(万亿|亿|千万|百万|万)(?:元|人民币)"
)
AMOUNT_UNITS = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4}
LAND_PATTERN = r"(?:用地|占地|面积)(?:面积)?(?:约|近|达)?(\d+(?:\.\d+)?)亩"
# Status cues, most advanced first: the first cue found in the project's sentence wins.
STATUS_CUES: tuple[tuple[str, str], ...] = (
    ("投产", "in_production"),
    ("达产", "in_production"),
    ("竣工", "completed"),
    ("建成", "completed"),
    ("开工", "started"),
    ("动工", "started"),
    ("正在建设", "under_construction"),
    ("建设中", "under_construction"),
    ("在建", "under_construction"),
    ("签约", "signed"),
    ("签订", "signed"),
    ("落户", "signed"),
    ("拟建", "planned"),
    ("规划", "planned"),
)
DATE_PATTERN = (
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}年(?:年初|年底|上半年|下半年)?|"
    r"\d{1,2}月(?:\d{1,2}日|份|底|初)?|(?:今年|去年|明年|上个月|本月|全年|上半年|下半年)"
)

# --- chains and segments ----------------------------------------------------------------
CHAIN_SUFFIXES = ("产业链", "产业集群", "产业链条")
# Less sure: "X产业" names a chain when X is not a generic word (see CHAIN_GENERIC).
CHAIN_WEAK_SUFFIXES = ("产业",)
# Words opening a chain's name that say whose chain it is, not what (dropped from the label).
CHAIN_PLACE_WORDS = (
    "我市",
    "全市",
    "该市",
    "我省",
    "全省",
    "省内",
    "市内",
    "区内",
    "该区",
    "全区",
    "本地",
    "当地",
    "国内",
    "全国",
)
# A weak chain name (…产业) that is one word at least this frequent in jieba is generic.
CHAIN_COMMON_FREQ = 1000
# Chain names that are generic words (新兴产业, 主导产业 ...): dropped.
CHAIN_GENERIC = (
    "上下游",
    "完整",
    "明确",
    "优势",
    "新兴",
    "主导",
    "特色",
    "支柱",
    "传统",
    "战略性新兴",
    "相关",
    "整个",
    "各",
    "条",
    "多条",
    "一条",
    "该",
    "这",
    "本",
    "其",
    "新兴优势",
    "兴优势",
    "安全",
    "重点",
    "核心",
    "高端",
    "先进",
    "未来",
    "实体",
    "工业",
    "制造",
    "服务",
    "文化",
    "主导产业",
    "现代",
    "配套",
    "整体",
    "区域",
    "城市",
    "园区",
    "项目",
    "大",
    "小",
    "新",
    "其他",
    "全",
    "一批",
    "二",
    "三",
    "四",
    "五",
)
# A segment list: three or more links joined by dashes, e.g. 前驱体—正极材料—电芯.
SEGMENT_DASHES = "—–"

# --- organizations ----------------------------------------------------------------------
ORGANIZATION_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("管委会", "government"),
    ("管理委员会", "government"),
    ("人民政府", "government"),
    ("政府", "government"),
    ("工信局", "government"),
    ("发改委", "government"),
    ("商务局", "government"),
    ("招商局", "government"),
    ("科技局", "government"),
    ("工委", "party"),
    ("党工委", "party"),
    ("党委", "party"),
    ("市委", "party"),
    ("区委", "party"),
    ("省委", "party"),
    ("县委", "party"),
    ("宣传部", "party"),
    ("组织部", "party"),
    ("工信部", "government"),
    ("商务部", "government"),
    ("科技部", "government"),
    ("研究院", "institute"),
    ("研究所", "institute"),
    ("实验室", "institute"),
    ("大学", "university"),
    ("学院", "university"),
    ("创新中心", "innovation_centre"),
    ("技术中心", "innovation_centre"),
    ("服务平台", "platform"),
    ("创新平台", "platform"),
    ("平台", "platform"),
    ("协会", "association"),
    ("联合会", "association"),
    ("商会", "association"),
    ("联盟", "association"),
    ("基金", "fund"),
    ("领导小组", "working_group"),
    ("工作组", "working_group"),
    ("日报", "media"),
    ("电视台", "media"),
)

# Nationwide bodies named without a suffix (the same in every zone's news).
ORGANIZATION_NAMES: tuple[tuple[str, str], ...] = (
    ("国务院", "government"),
    ("国家发改委", "government"),
    ("上交所", "other"),
    ("深交所", "other"),
    ("北交所", "other"),
    ("创业板", "other"),
    ("科创板", "other"),
)

# --- parks and zones --------------------------------------------------------------------
PARK_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("高新技术产业开发区", "zone"),
    ("经济技术开发区", "zone"),
    ("国家高新区", "zone"),
    ("高新区", "zone"),
    ("经开区", "zone"),
    ("开发区", "zone"),
    ("新区", "zone"),
    ("自贸区", "zone"),
    ("示范区", "zone"),
    ("工业集中区", "zone"),
    ("工业园区", "park"),
    ("产业园区", "park"),
    ("科技园区", "park"),
    ("示范园区", "park"),
    ("工业园", "park"),
    ("高科园", "park"),
    ("科学园区", "park"),
    ("产业园", "park"),
    ("科技园", "park"),
    ("科学园", "park"),
    ("创新园", "park"),
    ("创业园", "park"),
    ("示范园", "park"),
    ("科技城", "park"),
    ("园区", "park"),
)
# A 产业园 / 科技园 is a project, not a park, when one of these is in its clause ...
PROJECT_CONTEXT_CUES = ("投资", "项目", "开工", "签约", "竣工", "投产", "建设")
# ... unless a word of place comes right before it (在某某工业园, 落户某某产业园).
PARK_PLACE_CUES = ("在", "于", "落户", "入驻", "进驻", "位于", "走进", "来到")
# Words that make a park's name a title or a class, not a place (特色园区, 百强园区 ...).
PARK_GENERIC_WORDS = (
    "特色",
    "专业化",
    "全市",
    "全省",
    "全区",
    "国家级",
    "一流",
    "百强",
    "先进",
    "示范园区",
    "创新型",
    "安全示范",
    "幸福",
    "高质量",
    "开展",
    "激活",
    "深入",
    "标杆",
    "省级",
    "市级",
    "各类",
    "各级",
    "成就",
    "巡礼",
)
# Project suffixes that name a thing rather than an investment (…基地, …工厂): such a name
# needs a proper word (a firm, a place, a rare word, a number with its unit).
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
WEAK_PROJECT_SUFFIXES = ("生产基地", "制造基地", "研发基地", "基地", "工厂", "生产线", "数据中心")

# --- programs and events ----------------------------------------------------------------
PROGRAM_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("行动计划", "action_plan"),
    ("行动方案", "action_plan"),
    ("实施方案", "action_plan"),
    ("工作方案", "action_plan"),
    ("建设方案", "action_plan"),
    ("方案", "action_plan"),
    ("规划", "plan"),
    ("意见", "policy_document"),
    ("办法", "policy_document"),
    ("措施", "policy_document"),
    ("政策", "policy_document"),
    ("通知", "policy_document"),
    ("条例", "policy_document"),
    ("机制", "mechanism"),
    ("战略", "strategy"),
    ("改革", "reform"),
    ("协议", "agreement"),
    ("行动", "campaign"),
    ("工程", "campaign"),
    ("攻坚", "campaign"),
    ("活动", "campaign"),
    ("计划", "plan"),
)
# Suffixes that name a program even without 《》 or quotes (…实施方案, …行动计划).
PROGRAM_STRONG_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("实施方案", "action_plan"),
    ("工作方案", "action_plan"),
    ("行动方案", "action_plan"),
    ("建设方案", "action_plan"),
    ("改革方案", "reform"),
    ("实施意见", "policy_document"),
    ("若干意见", "policy_document"),
    ("指导意见", "policy_document"),
    ("行动计划", "action_plan"),
    ("三年行动", "action_plan"),
    ("暂行办法", "policy_document"),
    ("管理办法", "policy_document"),
    ("事项清单", "policy_document"),
    ("提升行动", "campaign"),
    ("专项行动", "campaign"),
)
# Words just before a “quoted term” that make it a program (锚定“…”, 坚持“…”, 开展“…”).
PROGRAM_QUOTE_CUES = (
    "锚定",
    "坚持",
    "实施",
    "开展",
    "推行",
    "力推",
    "打造",
    "落实",
    "启动",
    "以",
    "围绕",
    "深化",
    "推进",
)
# Words before a title given to a place or firm (入选…, 获评…); ENDS close such a title.
HONOUR_CUES = ("入选", "获评", "获批创建", "获批", "被评为", "荣获", "入围", "跻身", "评为")
HONOUR_ENDS = ("荣誉称号", "称号", "以来", "名单")
EVENT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("博览会", "fair"),
    ("交易会", "fair"),
    ("展览会", "fair"),
    ("洽谈会", "fair"),
    ("洽谈周", "fair"),
    ("洽周", "fair"),
    ("峰会", "summit"),
    ("论坛", "forum"),
    ("对接会", "conference"),
    ("交流会", "conference"),
    ("推介会", "conference"),
    ("供应商大会", "conference"),
    ("大会", "conference"),
    ("会议", "meeting"),
    ("全会", "meeting"),
    ("协商会", "meeting"),
    ("锦标赛", "competition"),
    ("联赛", "competition"),
    ("大赛", "competition"),
    ("签约仪式", "ceremony"),
    ("仪式", "ceremony"),
    ("培训班", "training"),
)

# --- statistics -------------------------------------------------------------------------
STAT_UNITS = (
    "万亿元",
    "亿元",
    "万元",
    "亿",
    "%",
    "个百分点",
    "家",
    "个",
    "亩",
    "平方公里",
    "吨",
    "万吨",
    "万台",
    "台",
    "辆",
    "万辆",
    "人",
    "名",
    "项",
    "条",
    "倍",
    "户",
    "所",
    "人次",
    "万人次",
    "批次",
    "公里",
)
# Printed before a number: 余 = over, 近 = about ...
STAT_QUALIFIER_BEFORE = {"近": "about", "约": "about", "超": "over", "超过": "over", "逾": "over"}
STAT_QUALIFIER_AFTER = {"余": "over", "多": "over"}
# Verbs between an indicator and its number, cut from the indicator.
STAT_VERBS = ("达到", "达", "实现", "完成", "增长", "突破", "超过", "超", "为", "是", "约", "近")

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
