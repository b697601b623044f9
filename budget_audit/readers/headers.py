"""Header and label synonyms for the workbook / CSV readers and the template writer (data).

Every table is keyed by the interchange name (`interchange.md`); the values are the spellings seen
in real forms. Lookups compare the `norm()` form: NFKC, traditional → simplified, no whitespace,
no parenthesised parts ("得分(20分)" → "得分", "数值（万元）" → "数值"), no trailing colon,
lower-case (so English interchange names work as headers too). The first spelling of a list is
the one the template writes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..parse.values import clean_text

# --------------------------------------------------------------------------------------------
# score table (指标得分表) columns
# --------------------------------------------------------------------------------------------

INDICATOR_FIELDS = ("section", "group", "code", "name", "description", "operator", "target", "unit",
                    "actual", "weight", "score", "method", "note", "deviation_reason")
REQUIRED_FIELDS = ("name", "weight", "score")

#: field → header spellings
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "section": ("一级指标", "一级指标名称", "一级评价指标", "一级"),
    "group": ("二级指标", "二级指标名称", "二级评价指标", "二级"),
    "name": ("三级指标", "三级指标名称", "三级评价指标", "三级", "指标名称", "绩效指标", "评价指标",
             "具体指标", "指标", "目标名称", "考核指标", "指标项目"),
    "code": ("指标编码", "指标代码", "指标编号", "编码", "代码"),
    "description": ("指标说明", "指标解释", "指标释义", "指标定义", "指标内容", "考核内容", "评价内容"),
    "operator": ("指标性质", "性质", "运算符", "比较符"),
    "target": ("标准值", "指标值", "年度指标值", "年度目标值", "目标值", "预期目标值", "预期指标值",
               "年初目标值", "计划值", "绩效目标值", "指标目标值", "年度目标", "年初指标值", "预期指标值"),
    "unit": ("度量单位", "计量单位", "单位"),
    "actual": ("完成值", "实际完成值", "全年实际值", "实际值", "全年完成值", "年度完成值", "年终完成值", "实际完成指标值",
               "实际完成情况", "完成情况", "实际完成", "目标完成值", "评价指标值"),
    "weight": ("权值", "分值", "权重", "指标分值", "标准分值", "参考分值", "标准分", "满分"),
    "score": ("得分", "自评得分", "实际得分", "评价得分", "评分", "自评分", "单项指标得分"),
    "method": ("评分办法", "评分标准", "评分方法", "计分方法", "评分规则", "评分细则", "评分办法及标准"),
    "note": ("评价要点", "备注", "评价要点及说明"),
    "deviation_reason": ("偏差原因分析及改进措施", "未完成原因", "未完成原因分析", "偏差原因",
                         "偏差原因分析", "原因分析及改进措施", "未完成原因分析及改进措施",
                         "偏差原因及改进措施", "偏差原因分析及整改措施"),
}

#: fallback when no spelling matches exactly: the header starts with … (longest first wins)
COLUMN_PREFIXES: dict[str, str] = {
    "一级指标": "section", "二级指标": "group", "三级指标": "name",
    "偏差原因": "deviation_reason", "未完成原因": "deviation_reason",
    "评分办法": "method", "评分标准": "method", "评分方法": "method", "评价标准": "method", "计分标准": "method",
    "得分计算方法": "method",
    "评价要点": "note", "指标说明": "description", "指标解释": "description",
    "度量单位": "unit", "计量单位": "unit", "指标性质": "operator",
    "实际完成": "actual", "全年实际": "actual", "完成值": "actual",
    "年度指标值": "target", "年度目标值": "target", "标准值": "target", "指标值": "target",
    "权值": "weight", "权重": "weight", "分值": "weight",
    "自评得分": "score", "得分": "score",
}

#: long-form batch tables: one submission per id
BATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "submission_id": ("submission_id", "submission", "填报编号", "填报id", "提交编号"),
    "unit": ("单位名称", "预算单位", "部门名称", "评价单位"),
    "year": ("评价年度", "年度", "年份"),
    "profile": ("评价模板", "模板"),
}

#: the columns of the workbook's score table, in the order the template writes them
TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("section", "一级指标"), ("group", "二级指标"), ("name", "三级指标"), ("description", "指标说明"),
    ("operator", "指标性质"), ("target", "标准值"), ("unit", "度量单位"), ("actual", "完成值"),
    ("weight", "权值"), ("score", "得分"), ("method", "评分办法"), ("note", "评价要点"),
    ("deviation_reason", "偏差原因分析及改进措施"),
)

# --------------------------------------------------------------------------------------------
# rows inside the score table
# --------------------------------------------------------------------------------------------

TOTAL_WORDS = frozenset({"合计", "总计", "总分", "合计得分", "得分合计", "总得分", "自评总分", "总分合计",
                         "分数合计", "综合得分", "权值合计", "权重合计", "分值合计"})
SUBTOTAL_WORDS = ("小计", "合计")     # "小计", "B小计", "产出指标合计" (a bare "合计" is the total)
BREAKDOWN_PREFIX = "其中"
#: rows that are not part of the table (footnotes, signatures)
FOOTER_PREFIXES = ("注:", "注：", "备注:", "备注：", "说明:", "说明：", "填表说明", "填报人", "填表人", "审核人",
                   "联系电话", "单位负责人", "财务负责人", "制表人")

# --------------------------------------------------------------------------------------------
# sheets
# --------------------------------------------------------------------------------------------

SHEET_INFO = "基本信息"
SHEET_BUDGET = "预算执行"
SHEET_SCORES = "指标得分表"
SHEET_STATEMENTS = "自评结论"

SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "info": ("基本信息", "单位信息", "封面", "基本情况"),
    "budget": ("预算执行", "预算执行情况", "收支情况", "预算收支", "资金情况", "资金使用情况"),
    "statements": ("自评结论", "评价结论", "结论", "自评得分", "自评结果"),
    "scores": ("指标得分表", "得分表", "评价指标得分表", "绩效评价指标得分表", "自评表", "绩效自评表",
               "指标", "评分表", "指标体系"),
}

#: key/value sheets: the label column and the value column
KV_LABEL_HEADERS = ("项目", "名称", "指标", "科目", "内容项", "事项")
KV_VALUE_HEADERS = ("数值", "内容", "金额", "值", "数额", "结果", "数据", "填报内容")
KV_NOTE_HEADERS = ("说明", "备注", "计算说明")
KV_WHERE_HEADERS = ("出处", "来源", "位置", "所在位置", "章节")

# --------------------------------------------------------------------------------------------
# 基本信息
# --------------------------------------------------------------------------------------------

INFO_LABELS: dict[str, tuple[str, ...]] = {
    "unit": ("单位名称", "单位", "填报单位", "部门名称", "预算单位", "预算单位名称", "评价单位", "主管部门", "项目单位",
             "实施单位", "项目实施单位", "部门(单位)名称", "部门单位名称", "预算部门、单位名称", "预算部门单位名称",
             "预算部门", "部门", "一级预算单位名称", "二级预算单位名称", "项目主管部门", "单位(盖章)", "评价单位名称",
             "资金使用单位", "项目使用单位", "使用单位", "区级预算单位名称", "县级预算单位名称"),
    "year": ("评价年度", "年度", "年份", "评价年份", "预算年度"),
    "profile": ("评价模板", "模板", "评价模板名称"),
    "currency_unit": ("金额单位", "货币单位", "计量单位"),
    "project": ("项目名称",),
    "title": ("报告标题", "标题"),
}

# --------------------------------------------------------------------------------------------
# 预算执行: label → budget key (interchange names; first spelling is the template's)
# --------------------------------------------------------------------------------------------

BUDGET_KEYS = ("currency_unit", "initial_budget", "initial_basic", "initial_project", "increase", "decrease",
               "adjusted_budget", "adjusted_project", "expenditure", "expenditure_basic", "expenditure_project",
               "prior_carryover", "prior_carryover_spent", "year_end_carryover", "execution_rate",
               "project_execution_rate", "weight", "score", "reason")

BUDGET_LABELS: dict[str, tuple[str, ...]] = {
    "currency_unit": ("金额单位", "货币单位"),
    "initial_budget": ("年初预算数", "年初预算", "年初预算金额", "年初预算数合计", "年初预算总额"),
    "initial_basic": ("其中：基本支出", "年初基本支出", "年初预算基本支出", "基本支出(年初)", "基本支出年初预算数"),
    "initial_project": ("其中：项目支出", "年初项目支出", "年初预算项目支出", "项目支出(年初)", "项目支出年初预算数"),
    "increase": ("调增", "调增数", "调增金额", "较年初调增", "预算调增", "追加预算"),
    "decrease": ("调减", "调减数", "调减金额", "较年初调减", "预算调减"),
    "adjusted_budget": ("调整预算数", "全年预算数", "调整后预算数", "调整后预算", "全年预算", "预算调整数",
                        "调整后全年预算数", "年度预算数", "预算数", "全年预算数(调整后)"),
    "adjusted_basic": ("其中：基本支出（调整后）", "基本支出调整预算数", "基本支出(调整后)"),
    "adjusted_project": ("其中：项目支出（调整后）", "项目调整预算数", "项目支出调整预算数", "调整后项目预算",
                         "项目支出(调整后)", "项目全年预算数"),
    "expenditure": ("支出决算数", "全年执行数", "预算执行数", "决算数", "支出决算", "实际支出", "全年支出数",
                    "支出数", "执行数"),
    "expenditure_basic": ("其中：基本支出（决算）", "基本支出决算数", "基本支出决算", "决算基本支出",
                          "基本支出(决算)", "基本支出执行数"),
    "expenditure_project": ("其中：项目支出（决算）", "项目支出决算数", "项目支出决算", "决算项目支出",
                            "项目支出(决算)", "项目支出执行数", "项目执行数"),
    "prior_carryover": ("上年结转", "上年结转资金", "上年结转数", "年初结转和结余", "年初结转结余"),
    "prior_carryover_spent": ("上年结转资金支出", "上年结转支出", "上年结转资金支出数"),
    "year_end_carryover": ("年末结转和结余", "年末结转结余", "年末结余", "年末结转", "结转和结余"),
    "execution_rate": ("预算执行率", "部门预算执行率", "单位预算执行率", "单位预算整体执行率", "整体执行率",
                       "执行率"),
    "project_execution_rate": ("项目资金执行率", "项目执行率", "项目支出执行率", "项目预算执行率"),
    "weight": ("预算执行分值", "预算执行率分值", "分值"),
    "score": ("预算执行得分", "预算执行率得分", "得分"),
    "reason": ("执行率偏低原因", "执行率偏低原因说明", "偏差原因", "偏差原因分析", "未完成原因", "原因说明"),
    "three_public_costs": ("“三公”经费", "三公经费", "“三公”经费支出"),
}

#: "其中：基本支出" / "其中：项目支出" without a qualifier belong to the last main figure above them
BUDGET_CONTEXT_LABELS: dict[str, str] = {"基本支出": "basic", "项目支出": "project"}
BUDGET_CONTEXT_PARENTS: dict[str, str] = {"initial_budget": "initial", "adjusted_budget": "adjusted",
                                          "expenditure": "expenditure"}

# --------------------------------------------------------------------------------------------
# 自评结论: label → statement quantity
# --------------------------------------------------------------------------------------------

STATEMENT_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("自评总分", "自评得分", "总分", "合计", "总计", "自评总得分", "绩效评价得分", "评价得分", "总得分",
              "综合得分", "最终得分", "自评分数"),
    "grade": ("评价等级", "等级", "自评等级", "绩效等级", "评价结果", "评级"),
    "execution_rate": BUDGET_LABELS["execution_rate"],
    "project_execution_rate": BUDGET_LABELS["project_execution_rate"],
}
#: "部门管理得分", "B部门管理绩效评价得分", "产出指标小计" → section:<key>
SECTION_STATEMENT_SUFFIXES = ("绩效评价得分", "评价得分", "得分", "小计", "分数")
#: "B11完成值" → indicator:B11
INDICATOR_STATEMENT_SUFFIXES = ("实际完成值", "完成值")
QUANTITY_PREFIXES = ("section:", "budget:", "indicator:")
QUANTITY_WORDS = frozenset({"total", "grade", "execution_rate", "project_execution_rate"})

# --------------------------------------------------------------------------------------------
# normalisation and lookups
# --------------------------------------------------------------------------------------------

_PAREN_RX = re.compile(r"[(\[【〔（][^()\[\]【】〔〕（）]*[)\]】〕）]?")
_STRIP_CHARS = ":：*＊★"
_QUOTES_RX = re.compile("[“”\"'‘’「」]")


_COLUMN_MARK_RX = re.compile(r"[(\[【〔（]?[A-Da-d](?:/[A-Da-d])?[)\]】〕）]$")


@lru_cache(maxsize=65536)
def _norm_cached(x: object) -> str:
    return _norm(x)


def norm(x: object) -> str:
    """Header/label comparison form, memoised: the same labels recur on every row and every file."""
    try:
        return _norm_cached(x)
    except TypeError:           # an unhashable cell value
        return _norm(x)


def _norm(x: object) -> str:
    """Header/label comparison form (see module docstring). A column mark is dropped too, even with a bracket
    lost on one side: "执行数B)", "年初目标值(A", "执行率B/A)"."""
    s = clean_text(x)
    if not s:
        return ""
    s = _PAREN_RX.sub("", s)
    s = _COLUMN_MARK_RX.sub("", s)
    return s.strip(_STRIP_CHARS).lower()


def norm_keep_parens(x: object) -> str:
    """Like `norm` but keeps parenthesised qualifiers ("基本支出(决算)") and drops quotes."""
    s = _QUOTES_RX.sub("", clean_text(x))
    return s.strip(_STRIP_CHARS).lower()


def _index(table: dict[str, tuple[str, ...]], keep_parens: bool = False) -> dict[str, str]:
    f = norm_keep_parens if keep_parens else norm
    out: dict[str, str] = {}
    for key, spellings in table.items():
        for sp in (key, *spellings):
            k = f(sp)
            if k and k not in out:
                out[k] = key
    return out


_COLUMN_INDEX = _index(COLUMN_SYNONYMS)
_PREFIX_LIST = sorted(((norm(p), f) for p, f in COLUMN_PREFIXES.items()), key=lambda t: -len(t[0]))
_PREFIXES_BY_FIRST: dict[str, list[tuple[str, str]]] = {}     # _PREFIX_LIST by first character, in its order
for _p, _f in _PREFIX_LIST:
    _PREFIXES_BY_FIRST.setdefault(_p[:1], []).append((_p, _f))
_BATCH_INDEX = _index(BATCH_COLUMNS)
_SHEET_INDEX = _index(SHEET_NAMES)
_INFO_INDEX = _index(INFO_LABELS)
_STATEMENT_INDEX = _index(STATEMENT_LABELS)
_TOTAL_SET = frozenset(norm(w) for w in TOTAL_WORDS)
_FOOTER_NORM = tuple(norm_keep_parens(p) for p in FOOTER_PREFIXES)


def _budget_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, spellings in BUDGET_LABELS.items():
        for sp in (key, *spellings):
            for k in (norm_keep_parens(sp), norm_keep_parens(_strip_breakdown(sp))):
                if k and k not in out:
                    out[k] = key
    return out


def _strip_breakdown(label: str) -> str:
    s = clean_text(label)
    if s.startswith(BREAKDOWN_PREFIX):
        s = s[len(BREAKDOWN_PREFIX):].lstrip(":：,，、")
    return s


_BUDGET_INDEX = _budget_index()


def column_field(header: object) -> str | None:
    """Score-table header → indicator field ("權值" → "weight", "得分(20分)" → "score")."""
    if isinstance(header, str):
        return _column_field_str(header)
    return _column_field(norm(header))


@lru_cache(maxsize=65536)
def _column_field_str(header: str) -> str | None:
    return _column_field(norm(header))


column_field_str = _column_field_str      # `column_field` of a str, without the type test: every cell of a row


def _column_field(h: str) -> str | None:
    if not h:
        return None
    hit = _COLUMN_INDEX.get(h)
    if hit:
        return hit
    for prefix, field in _PREFIXES_BY_FIRST.get(h[0], ()):     # only prefixes that can match (none is empty)
        if h.startswith(prefix):
            return field
    return None


def batch_field(header: object) -> str | None:
    return _BATCH_INDEX.get(norm(header))


def sheet_kind(name: object) -> str | None:
    """'info' / 'budget' / 'statements' / 'scores' for a known sheet name, else None."""
    return _SHEET_INDEX.get(norm(name))


def info_key(label: object) -> str | None:
    return _INFO_INDEX.get(norm(label))


#: which label names the unit best: the unit that carries out and evaluates (实施单位 …) before the one above it
UNIT_LABEL_RANK = {norm(x): 1 for x in ("主管部门", "项目主管部门", "部门", "预算部门", "一级预算单位名称")}


def unit_rank(label: object) -> int:
    return UNIT_LABEL_RANK.get(norm(label), 0)


def budget_key(label: object, context: str | None = None) -> str | None:
    """Budget label → key. Bare "其中：基本支出"/"项目支出" take the last main figure as `context`."""
    if type(label) is str:          # the hot path: every text of a budget grid and of the key/value sheets
        return _budget_key_str(label, context)
    return _budget_key(label, context)


@lru_cache(maxsize=65536)
def _budget_key_str(label: str, context: str | None) -> str | None:
    """`budget_key` once per distinct (text, context)."""
    return _budget_key(label, context)


def _budget_key(label: object, context: str | None) -> str | None:
    s = _strip_breakdown(label if isinstance(label, str) else clean_text(label))
    for k in (norm_keep_parens(s), norm(s)):
        if not k:
            continue
        if k in BUDGET_CONTEXT_LABELS:
            part = BUDGET_CONTEXT_LABELS[k]
            prefix = BUDGET_CONTEXT_PARENTS.get(context or "", "initial")
            return f"{prefix}_{part}"
        hit = _BUDGET_INDEX.get(k)
        if hit:
            return hit
    return None


def statement_label(label: object) -> str | None:
    """Fixed statement labels (total / grade / rates) → quantity; literal quantities pass through."""
    raw = clean_text(label)
    low = raw.lower()
    if low in QUANTITY_WORDS or low.startswith(QUANTITY_PREFIXES):
        return raw if not low.startswith(QUANTITY_PREFIXES) else low.split(":", 1)[0] + ":" + raw.split(":", 1)[1]
    return _STATEMENT_INDEX.get(norm(label))


def is_total_label(text: object) -> bool:
    return norm(text) in _TOTAL_SET


def is_subtotal_label(text: object) -> bool:
    s = norm(text)
    return bool(s) and s.endswith(SUBTOTAL_WORDS)


def strip_subtotal(text: object) -> str:
    s = clean_text(text)
    for w in SUBTOTAL_WORDS:
        if s.endswith(w):
            return s[: -len(w)]
    return s


def is_footer(text: object) -> bool:
    if type(text) is str:           # the hot path: the first text of every row
        return _is_footer_str(text)
    s = norm_keep_parens(text)
    return bool(s) and s.startswith(_FOOTER_NORM)


@lru_cache(maxsize=65536)
def _is_footer_str(text: str) -> bool:
    s = norm_keep_parens(text)
    return bool(s) and s.startswith(_FOOTER_NORM)


def is_breakdown(text: object) -> bool:
    return clean_text(text).startswith(BREAKDOWN_PREFIX)


def strip_suffix(text: str, suffixes: tuple[str, ...]) -> str | None:
    """The label without one of `suffixes` (longest first), or None when none matches."""
    for suf in sorted(suffixes, key=len, reverse=True):
        if text.endswith(suf) and len(text) > len(suf):
            return text[: -len(suf)]
    return None
