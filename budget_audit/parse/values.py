"""Turn printed cell text into typed values.

Published self-evaluation tables are typed by hand, exported, OCR'd and mirrored, so a cell that
"means" 97 % may arrive as ``"97%"``, ``"９７％"``, ``"0.97"``, ``97.0`` or ``"97"`` under a
``执行率(%)`` header.  :func:`parse_value` reads all of them into one :class:`Value` that carries the
number in base units, the printed precision (``tol``), the comparison operator, the unit and the
original text.  It never raises and never guesses: text that cannot be read safely becomes
``kind='invalid'`` (a number-shaped cell that is damaged) or ``kind='label'`` (a word).

Tolerance follows rules.md: a figure printed with ``d`` decimals stands for ``v ± ½·10^-d`` (in the
scale of ``number``), a spreadsheet float/int is treated as exact at 2 decimals.

Pure stdlib; text, float and int cells are memoised (bounded dicts kept across a batch's chunks, by exact
type) because a batch calls it millions of times.

Long because the grammar is data plus one reader per written form (Arabic, Chinese and colloquial
numerals, percent words, units and scales, points, codes), and splitting it would scatter one grammar.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from ..numeric import UNKNOWN_TOL

__all__ = [
    "Value",
    "OPERATORS",
    "PREFIX_OPERATORS",
    "SUFFIX_OPERATORS",
    "PLACEHOLDERS",
    "UNITS",
    "SCALES",
    "TRAD_TO_SIMP",
    "clean_text",
    "parse_value",
    "parse_points",
    "parse_unit",
    "split_code_name",
    "split_label_points",
    "is_placeholder",
    "decimals_tol",
]


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed cell.

    kind: 'missing' | 'number' | 'label' | 'invalid'.  ``number`` and ``tol`` are set only for
    kind 'number' (base units; percentages as fractions; 万/亿 folded in).  ``label`` is the cleaned
    text for kinds 'label' and 'missing'.  A cell holding only an operator ("≥") or only a unit
    ("人次", "%") is a 'label' whose ``op`` / ``unit`` is filled in.
    """

    raw: str | None
    kind: str
    number: float | None = None
    tol: float | None = None
    op: str | None = None
    unit: str | None = None
    label: str | None = None
    percent: bool = False


# ---------------------------------------------------------------------------------------------
# Tables (data, not if-chains).  Keys are as printed; lookups use the clean_text() form.
# ---------------------------------------------------------------------------------------------

#: operators written before the number (glyphs and words) -> canonical op
PREFIX_OPERATORS: dict[str, str] = {
    # >=
    "≥": ">=", "≧": ">=", "⩾": ">=", ">=": ">=", "＞=": ">=", "＞＝": ">=", "=>": ">=",
    "不少于": ">=", "不低于": ">=", "不小于": ">=", "大于等于": ">=", "大于或等于": ">=",
    "至少": ">=", "达到": ">=",
    # <=
    "≤": "<=", "≦": "<=", "⩽": "<=", "<=": "<=", "＜=": "<=", "＜＝": "<=", "=<": "<=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=", "小于等于": "<=",
    "小于或等于": "<=", "至多": "<=", "最多": "<=",
    # =
    "=": "=", "＝": "=", "═": "=", "﹦": "=", "==": "=", "等于": "=",
    # >
    ">": ">", "＞": ">", "﹥": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    # <
    "<": "<", "＜": "<", "﹤": "<", "小于": "<", "低于": "<", "少于": "<",
}

#: operators written after the number/unit ("95%以上", "5%以内") -> canonical op
SUFFIX_OPERATORS: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "或以上": ">=",
    "以下": "<=", "及以下": "<=", "或以下": "<=", "以内": "<=", "之内": "<=",
}

#: every operator glyph/word -> canonical op ('=', '>=', '<=', '>', '<')
OPERATORS: dict[str, str] = {**PREFIX_OPERATORS, **SUFFIX_OPERATORS}

#: cell texts that mean "empty" (compared after clean_text() and casefold())
PLACEHOLDERS: frozenset[str] = frozenset({
    "", "/", "\\", "-", "--", "—", "——", "–", "―", "─", "－", "…", "……", "...", "......",
    "无", "不适用", "N/A", "n/a", "null", "NULL",
    # "一" / "一一": IME stand-ins for a dash in Word tables; a lone 一 is never a printed number.
    "一", "一一",
})

#: unit as printed -> canonical unit.  Scale prefixes (万, 亿 ...) are handled by SCALES.
UNITS: dict[str, str] = {
    **{u: u for u in (
        "人", "人次", "元", "份", "条", "个", "次", "项", "分", "所", "米", "种", "家", "户",
        "天", "日", "月", "个月", "年", "周", "季度", "个季度", "学期", "小时", "分钟", "秒",
        "工作日", "件", "台", "套", "本", "册", "篇", "场", "期", "批", "处", "座", "间", "张",
        "名", "位", "辆", "头", "只", "株", "棵", "亩", "公顷", "平方米", "立方米", "公里",
        "千克", "吨", "克", "升", "门", "课时", "学时", "节", "课", "班", "校", "村", "宗", "起",
        "例", "部", "栋", "幢", "层", "块", "盏", "根", "艘", "枚", "倍", "岁", "度", "千瓦",
        "千瓦时", "毫米", "厘米", "台次", "户次", "件次", "批次", "场次", "车次", "架次", "班次",
        "课次", "项次", "册次", "辆次", "人天", "人日", "家次", "所次",
    )},
    "个工作日": "工作日", "平米": "平方米", "m2": "平方米", "㎡": "平方米", "m3": "立方米",
    "㎥": "立方米", "千米": "公里", "km": "公里", "公斤": "千克", "kg": "千克", "m": "米",
}

#: scale prefixes folded into the number
SCALES: dict[str, int] = {"万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "萬": 4, "億": 8}

#: written percent markers (all mean "the number is in percent points")
_PERCENT_MARKS = ("%", "％", "百分比", "个百分点", "百分点")

#: common traditional characters seen on mirrored pages -> simplified
_TRAD_PAIRS = (
    "項项 指標标 權权 數数 評评 額额 預预 執执 實实 際际 達达 績绩 說说 辦办 級级 準准 經经 費费 "
    "決决 調调 結结 餘余 總总 計计 點点 質质 時时 處处 務务 門门 價价 會会 為为 與与 業业 學学 "
    "專专 資资 產产 營营 發发 開开 關关 設设 備备 導导 體体 驗验 獲获 滿满 規规 範范 機机 構构 "
    "報报 劃划 員员 單单 財财 國国 個个 對对 應应 態态 進进 過过 場场 區区 縣县 鄉乡 醫医 療疗 "
    "護护 衛卫 環环 傳传 統统 運运 維维 續续 廣广 東东 華华 優优 檔档 齡龄 歲岁 職职 責责 稅税 "
    "況况 狀状 現现 顯显 較较 濟济 審审 覆覆 蓋盖 條条 張张 輛辆 臺台 間间 頁页 冊册 種种 隻只 "
    "萬万 億亿 兩两 於于 訓训 練练 課课 節节 讀读 書书 館馆 園园 鎮镇 農农 築筑 購购 買买 採采 "
    "貨货 錢钱 銷销 補补 貼贴 獎奖 勵励 檢检 測测 監监 製制 確确 圍围 眾众 訴诉 響响 長长 還还 "
    "沒没 無无 問问 題题 議议 證证 認认 識识 訊讯 網网 絡络 據据 庫库 線线 電电 話话 視视 頻频 "
    "紙纸 誌志 雜杂 類类 別别 層层 虧亏 損损 舉举 參参 組组 織织 領领 負负 擔担 轉转 撥拨 獨独 "
    "細细 則则 須须 當当 並并 從从 來来 後后 裡里 裏里 這这 們们 麼么 樣样 動动 勞劳 請请 兒儿 "
    "婦妇 殘残 貧贫 幫帮 養养 險险 災灾 紀纪 錄录 樓楼 車车 駕驾 駛驶 鐵铁 橋桥 飛飞 陽阳 雲云 "
    "氣气 溫温 熱热 燈灯 壓压 積积 極极 籌筹 償偿 債债 帳帐 賬账 戶户 編编 寫写 聯联 繫系 係系 "
    "屬属 雙双 週周 歷历 曆历 勢势 頭头 臨临 緊紧 戰战 習习 講讲 談谈 論论 訪访 綜综 簡简 複复 "
    "產产 標标 據据 標标 項项 幣币 務务 效效 畢毕 隊队 紅红 綠绿 藝艺 衝冲 勝胜 愛爱 嚴严 厲厉 "
    "庫库 倉仓 糧粮 藥药 險险 災灾 疊叠 邊边 遠远 舊旧 啟启 動动 競竞 賽赛 團团 黨党 廳厅 局局 "
    "鑑鉴 鑒鉴 義义 務务 勸劝 導导 師师 職职 稱称 換换 執执 據据 憑凭 證证 夠够 齊齐 權权 屆届"
)
TRAD_TO_SIMP: dict[str, str] = {
    p[0]: p[1] for p in _TRAD_PAIRS.split() if len(p) == 2 and p[0] != p[1]
}

# characters deleted by clean_text (zero-width, BOM, soft hyphen)
_DELETE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATE = str.maketrans({**TRAD_TO_SIMP, **{c: None for c in _DELETE}})


# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------

def _is_nan_like(x: object) -> bool:
    if x is None:
        return True
    if isinstance(x, float):
        return x != x
    # pandas.NA / pandas.NaT without importing pandas
    return type(x).__name__ in ("NAType", "NaTType")


@lru_cache(maxsize=65536)
def _clean_str(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = "".join(s.split())  # strip + drop every internal whitespace (incl. NBSP, U+3000, newlines)
    return s.translate(_TRANSLATE)


def clean_text(x: object) -> str:
    """NFKC, strip, remove internal whitespace, fold common traditional chars; '' for None/NaN."""
    if type(x) is str:      # the hot path: millions of cells per batch
        return _clean_str(x)
    if _is_nan_like(x):
        return ""
    if not isinstance(x, str):
        try:
            x = str(x)
        except Exception:  # pragma: no cover - pathological __str__
            return ""
    return _clean_str(x)


def _norm_key(k: str) -> str:
    return _clean_str(k)


def _alt(keys) -> str:
    """Regex alternation of normalised keys, longest first."""
    ks = sorted({k for k in keys if k}, key=lambda k: (-len(k), k))
    return "|".join(re.escape(k) for k in ks)


_PREFIX_OPS = {_norm_key(k): v for k, v in PREFIX_OPERATORS.items()}
_SUFFIX_OPS = {_norm_key(k): v for k, v in SUFFIX_OPERATORS.items()}
_UNITS = {_norm_key(k): v for k, v in UNITS.items()}
_SCALES = {_norm_key(k): v for k, v in SCALES.items()}
_PCT = {_norm_key(k) for k in _PERCENT_MARKS}
_PLACEHOLDER_SET = frozenset(_norm_key(p).casefold() for p in PLACEHOLDERS)

_OP_RE = _alt(_PREFIX_OPS)
_SOP_RE = _alt(_SUFFIX_OPS)
_UNIT_RE = _alt(_UNITS)
_SCALE_RE = _alt(_SCALES)
_PCT_RE = _alt(_PCT)
_SIGN_CLASS = "+\\-\u2212\u2010\u2012\u2013"
_CN_CLASS = "零〇一二两三四五六七八九十百千"

# tail shared by Arabic and Chinese numerals: % | [scale][unit[/unit]] ; then suffix op ; "(含)"
_TAIL = (
    rf"(?:(?P<pct>{_PCT_RE})|(?P<scale>{_SCALE_RE})?(?P<unit>(?:{_UNIT_RE})(?:/(?:{_UNIT_RE}))?)?)"
    rf"(?P<sop>{_SOP_RE})?(?:\(含\))?"
)
_NUM_RX = re.compile(
    rf"(?P<op>{_OP_RE})?(?P<sign>[{_SIGN_CLASS}])?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    + _TAIL + r"\Z"
)
_CN_RX = re.compile(rf"(?P<op>{_OP_RE})?(?P<cn>[{_CN_CLASS}]+)" + _TAIL + r"\Z")
_CN_WAN_RX = re.compile(rf"(?P<op>{_OP_RE})?(?P<cn>[{_CN_CLASS}]+[万萬][{_CN_CLASS}]+)" + _TAIL + r"\Z")
_PCT_WORD_RX = re.compile(
    rf"(?P<op>{_OP_RE})?百分之(?P<num>[0-9]+(?:\.[0-9]+)?|[{_CN_CLASS}]+)(?P<sop>{_SOP_RE})?\Z"
)
_OP_ONLY_RX = re.compile(rf"(?:{_OP_RE}|{_SOP_RE})\Z")
_UNIT_ONLY_RX = re.compile(
    rf"(?:(?P<pct>{_PCT_RE})|(?P<scale>{_SCALE_RE})?(?P<unit>(?:{_UNIT_RE})(?:/(?:{_UNIT_RE}))?))\Z"
)
# number-shaped text that failed the strict grammar: digits / OCR look-alikes / separators,
# optionally with an operator, percent sign, unit and suffix op ("88.5.1", "12..5", "1O0人", "IO")
_LOOSE_NUM_RX = re.compile(
    rf"(?:{_OP_RE})?[{_SIGN_CLASS}]?(?=[0-9OoIl|])[0-9OoIl|.,]+"
    rf"(?:{_PCT_RE}|(?:{_SCALE_RE})?(?:{_UNIT_RE})?)(?:{_SOP_RE})?\Z"
)
_CJK_RX = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGIT_RX = re.compile("[0-9]")
_DASH_ONLY_RX = re.compile("[\\-\u2010-\u2015\u2500\u2501\u2014/\\\\.·・_~]+\\Z")

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_int(s: str) -> int | None:
    """Whole Chinese numerals up to 9999 ("十二", "一百零五", "两千三百"); None if not one."""
    total = 0
    cur: int | None = None
    last_unit = 10000
    seen = False
    for i, ch in enumerate(s):
        if ch in "零〇":
            if cur is not None:
                return None
            seen = True
            continue
        d = _CN_DIGITS.get(ch)
        if d is not None:
            if cur is not None:
                return None
            cur = d
            seen = True
            continue
        u = _CN_UNITS.get(ch)
        if u is None or u >= last_unit:
            return None
        if cur is None:
            if ch == "十" and i == 0:
                cur = 1
            else:
                return None
        total += cur * u
        cur = None
        last_unit = u
        seen = True
    if cur is not None:
        if last_unit >= 100 and len(s) >= 2 and s[-2] in _CN_UNITS:
            # colloquial: "三千五" = 3500, "两百五" = 250 — a digit right after 百/千 counts one place lower
            # ("三千零五" = 3005 writes the 零)
            total += cur * (last_unit // 10)
        else:
            total += cur
    return total if seen else None


def _cn_wan(s: str) -> int | None:
    """"一万二" = 12000, "三万五千" = 35000, "十二万零五百" = 120500: a Chinese numeral with 万 inside it
    (a trailing 万 alone is a scale word, read by the unit grammar)."""
    hi, _, lo = s.partition("万")
    h = _cn_int(hi)
    if h is None or not lo:
        return None
    if lo in _CN_DIGITS:                        # colloquial: the digit after 万 is thousands
        return h * 10000 + _CN_DIGITS[lo] * 1000
    lo_n = _cn_int(lo.removeprefix("零") if lo.startswith("零") else lo)
    if lo_n is None or lo_n > 9999 or (not lo.startswith("零") and lo_n < 1000):
        return None                              # "一万五十" is not a number anyone writes: not guessed
    return h * 10000 + lo_n


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _tol(decimals: int, exp10: int) -> float:
    """½·10^-decimals, shifted by 10^exp10 (correctly rounded: 5e-3, 5e2 ...)."""
    return float(f"5e{exp10 - decimals - 1}")


def _shift(num: str, exp10: int) -> float:
    """float(num) * 10**exp10 without binary drift (2.3万 -> 23000.0, not 22999.999999999996)."""
    return float(f"{num}e{exp10}") + 0.0  # + 0.0 turns -0.0 into 0.0


def _is_noise(num: str) -> bool:
    dot = num.find(".")
    return dot >= 0 and len(num) - dot - 1 >= 12


_PLAIN_NUM_RX = re.compile(
    rf"[{_SIGN_CLASS}]?(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]*)(?:\.([0-9]+))?%?\Z"
)


def decimals_tol(text_number: str) -> float:
    """Half-width of the printed precision of a plain number text: "97.00" -> 0.005, "16" -> 0.5.

    Accepts sign, thousand separators and a trailing %, in the printed scale (no /100).
    Raises ValueError when the text is not a plain number.
    """
    s = clean_text(text_number)
    m = _PLAIN_NUM_RX.match(s)
    if not m or not _DIGIT_RX.search(s):
        raise ValueError(f"not a plain number: {text_number!r}")
    frac = m.group(1)
    return _tol(len(frac) if frac else 0, 0)


def _merge_ops(op: str | None, sop: str | None) -> tuple[bool, str | None]:
    if op and sop and op != sop:
        return False, None
    return True, op or sop


def _canon_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    if "/" in unit:
        a, b = unit.split("/", 1)
        return f"{_UNITS[a]}/{_UNITS[b]}"
    return _UNITS[unit]


def _number_value(raw, num: str, sign: str, op_pre, sop, pct, scale, unit, percent_ctx,
                  is_cn: bool = False) -> Value:
    ok, op = _merge_ops(_PREFIX_OPS.get(op_pre) if op_pre else None,
                        _SUFFIX_OPS.get(sop) if sop else None)
    if not ok:
        return Value(raw, "invalid")
    num = num.replace(",", "")
    if num.startswith("."):
        num = "0" + num
    if is_cn:
        decimals = 0
    elif _is_noise(num):
        # spreadsheet float noise printed as text: precision unknown -> exact at 2 decimals
        num = repr(round(float(num), 6))
        decimals = 2
    else:
        dot = num.find(".")
        decimals = len(num) - dot - 1 if dot >= 0 else 0
    neg = sign not in ("", "+")
    exp10 = 0
    is_pct = False
    if pct:
        exp10 = -2
        is_pct = True
    elif scale or unit:
        exp10 = _SCALES[scale] if scale else 0
    elif percent_ctx:
        is_pct = True
        if float(num) <= 1:
            # a fraction ("0.97", "1" = 100%): at least whole-percent precision
            decimals = max(decimals, 2)
        else:
            # typed text above 1 is percent points: "1.5" and "1.6" are 1.5 % and 1.6 % (one rule, no jump)
            exp10 = -2
    number = _shift(("-" if neg else "") + num, exp10)
    if not math.isfinite(number):
        return Value(raw, "invalid")
    return Value(raw, "number", number=number, tol=_tol(decimals, exp10), op=op,
                 unit="%" if is_pct else _canon_unit(unit), label=None, percent=is_pct)


#: digits split by white space ("90 95", "90\n95"): two numbers, never one (9095)
_SPLIT_DIGITS_RX = re.compile(r"[0-9]\s+[0-9]")
#: characters NFKC folds into digits that are not digits as typed: superscripts/subscripts ("10²" is not
#: 102), circled and parenthesised numbers, mathematical digits (full-width digits are fine)
_COMPAT_DIGIT_RX = re.compile("[" + "".join(
    ch for lo, hi in ((0xB2, 0xB3), (0xB9, 0xB9), (0xBC, 0xBE), (0x2070, 0x209F), (0x2150, 0x218F),
                      (0x2460, 0x24FF), (0x2776, 0x2793), (0x3220, 0x325F), (0x3280, 0x32BF), (0x1D7CE, 0x1D7FF))
    for ch in map(chr, range(lo, hi + 1))
    if any(c.isdigit() for c in unicodedata.normalize("NFKC", ch))) + "]")


#: parse_value's memos, by exact type (a dict takes 1, 1.0 and True for one key): text by (str, percent), and
#: spreadsheet floats and ints by (value, percent) in memos of their own. Kept across the chunks of a batch, as
#: `parse_method`'s is: a form's cells ("5", "1.5分", "90%", 2.0) repeat in every workbook, and parsing them again
#: in each chunk of 500 cost ~0.25 ms per workbook (a later chunk of the 300 generated workbooks). A `Value` is
#: frozen, so one may be shared. `batch.clear_memos` empties lru caches only; these dicts bound themselves: each
#: is emptied when it holds `VALUE_MEMO_MAX` values (~0.3 KB each: ~10 MB at most each).
_STR_MEMO: dict[tuple[str, bool], Value] = {}
_FLOAT_MEMO: dict[tuple[float, bool], Value] = {}
_INT_MEMO: dict[tuple[int, bool], Value] = {}
VALUE_MEMO_MAX = 32768


def _parse_str(raw: str, percent_ctx: bool) -> Value:
    if type(raw) is not str or type(percent_ctx) is not bool:
        return _parse_str_uncached(raw, percent_ctx)
    key = (raw, percent_ctx)
    v = _STR_MEMO.get(key)
    if v is None:
        if len(_STR_MEMO) >= VALUE_MEMO_MAX:
            _STR_MEMO.clear()
        v = _STR_MEMO[key] = _parse_str_uncached(raw, percent_ctx)
    return v


def _parse_str_uncached(raw: str, percent_ctx: bool) -> Value:
    v = _parse_text(raw, percent_ctx)
    if v.kind == "number" and (_COMPAT_DIGIT_RX.search(raw)
                               or _SPLIT_DIGITS_RX.search(unicodedata.normalize("NFKC", raw))):
        return Value(raw, "invalid")             # "10²", "⑩分", "90 95": not one number as printed
    return v


def _parse_text(raw: str, percent_ctx: bool) -> Value:
    s = _clean_str(raw)
    if not s or s.casefold() in _PLACEHOLDER_SET or _DASH_ONLY_RX.match(s):
        return Value(raw, "missing", label=s)

    m = _NUM_RX.match(s)
    if m:
        return _number_value(raw, m["num"], m["sign"] or "", m["op"], m["sop"], m["pct"],
                             m["scale"], m["unit"], percent_ctx)

    m = _CN_RX.match(s)
    if m:
        n = _cn_int(m["cn"])
        if n is not None:
            return _number_value(raw, str(n), "", m["op"], m["sop"], m["pct"], m["scale"],
                                 m["unit"], percent_ctx, is_cn=True)

    m = _CN_WAN_RX.match(s.replace("萬", "万"))
    if m:
        n = _cn_wan(m["cn"].replace("萬", "万"))
        if n is not None:
            return _number_value(raw, str(n), "", m["op"], m["sop"], m["pct"], m["scale"],
                                 m["unit"], percent_ctx, is_cn=True)
        return Value(raw, "invalid")             # a Chinese numeral that does not read as one number

    m = _PCT_WORD_RX.match(s)
    if m:
        num = m["num"]
        is_cn = not _DIGIT_RX.match(num)
        if is_cn:
            n = 100 if num == "百" else _cn_int(num)
            num = None if n is None else str(n)
        if num is not None:
            return _number_value(raw, num, "", m["op"], m["sop"], "%", None, None, False,
                                 is_cn=is_cn)

    if _OP_ONLY_RX.match(s):
        op = _PREFIX_OPS.get(s) or _SUFFIX_OPS.get(s)
        return Value(raw, "label", op=op, label=s)

    m = _UNIT_ONLY_RX.match(s)
    if m:
        if m["pct"]:
            return Value(raw, "label", unit="%", label=s, percent=True)
        if m["unit"]:
            return Value(raw, "label", unit=_canon_unit(m["unit"]), label=s)

    if _LOOSE_NUM_RX.match(s):
        return Value(raw, "invalid")  # damaged number: "88.5.1", "12..5", "1O0", "IO"
    if _CJK_RX.search(s):
        return Value(raw, "label", label=s)  # a word or a sentence ("2023年12月底前完成")
    if s.isascii() or _DIGIT_RX.search(s):
        return Value(raw, "invalid")  # "abc%", "nan", "inf", "1e5", "90%-100%"
    return Value(raw, "label", label=s)  # symbols such as "√", "×", "○"


def _parse_float(x: float, raw: str, percent_ctx: bool) -> Value:
    if x != x:
        return Value(None, "missing", label="")
    if not math.isfinite(x):
        return Value(raw, "invalid")
    r = repr(x)
    if "e" not in r and _is_noise(r):
        x = round(x, 6)
        r = repr(x)
    if percent_ctx:
        if abs(x) <= 1.5:
            return Value(raw, "number", x + 0.0, UNKNOWN_TOL, None, "%", None, True)
        return Value(raw, "number", _shift(r, -2), UNKNOWN_TOL / 100, None, "%", None, True)
    return Value(raw, "number", x + 0.0, UNKNOWN_TOL, None, None, None, False)


def _parse_float_cached(x: float, percent_ctx: bool) -> Value:
    """A float cell other than NaN and ±0.0 (the caller's): NaN never finds itself in a dict, and 0.0 == -0.0."""
    key = (x, percent_ctx)
    v = _FLOAT_MEMO.get(key)
    if v is None:
        if len(_FLOAT_MEMO) >= VALUE_MEMO_MAX:
            _FLOAT_MEMO.clear()
        v = _FLOAT_MEMO[key] = _parse_float(x, repr(x), percent_ctx)
    return v


def _parse_int_cached(x: int, percent_ctx: bool) -> Value:
    key = (x, percent_ctx)
    v = _INT_MEMO.get(key)
    if v is None:
        if len(_INT_MEMO) >= VALUE_MEMO_MAX:
            _INT_MEMO.clear()
        v = _INT_MEMO[key] = _parse_int(x, percent_ctx)
    return v


def _parse_int(x: int, percent_ctx: bool) -> Value:
    raw = str(x)
    try:
        f = float(x)
    except OverflowError:
        return Value(raw, "invalid")
    return _parse_float(f, raw, percent_ctx)


def parse_value(x: object, *, percent: bool = False) -> Value:
    """Read one cell (str | int | float | None) into a :class:`Value`; never raises.

    ``percent=True`` means the column is a rate (e.g. header 执行率(%)): bare numbers are rates,
    "97" -> 0.97, "1" -> 1.0 (100 %), 0.97 -> 0.97 (|x| <= 1.5 is a fraction, above is percent points).
    A Python int/float (spreadsheet cell) has unknown precision: tol is that of 2 decimals.
    """
    try:
        tx = type(x)
        if tx is str:
            return _parse_str(x, bool(percent))
        if tx is float:
            if x != x:
                return Value(None, "missing", label="")
            if x == 0.0:  # 0.0 and -0.0 share a cache key; keep raw exact
                return _parse_float(x, repr(x), bool(percent))
            return _parse_float_cached(x, bool(percent))
        if tx is int:
            return _parse_int_cached(x, bool(percent))
        if isinstance(x, str):
            return _parse_str(str(x), bool(percent))
        if _is_nan_like(x):
            return Value(None, "missing", label="")
        raw = str(x)
        if isinstance(x, bool):
            return Value(raw, "invalid")
        if isinstance(x, float) or isinstance(x, int) or hasattr(x, "__index__") \
                or hasattr(x, "__float__"):  # numpy scalars, Decimal ...
            try:
                f = float(x)
            except (OverflowError, TypeError, ValueError):
                return Value(raw, "invalid")
            return _parse_float(f, raw, bool(percent))
        return _parse_str(raw, bool(percent))
    except Exception:  # pragma: no cover - defensive: a reader must never stop on one cell
        try:
            raw = x if isinstance(x, str) else str(x)
        except Exception:
            raw = None
        return Value(raw, "invalid")


# ---------------------------------------------------------------------------------------------
# Units, points, codes
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _parse_unit(s: str) -> tuple[str | None, int]:
    s = _clean_str(s)
    m = _UNIT_ONLY_RX.match(s)
    if not m:
        return None, _SCALES.get(s, 0)
    if m["pct"]:
        return "%", -2
    return _canon_unit(m["unit"]), _SCALES[m["scale"]] if m["scale"] else 0


def parse_unit(text: object) -> tuple[str | None, int]:
    """A 度量单位 cell -> (canonical unit, power of ten): "万元" -> ("元", 4), "%" -> ("%", -2),
    "人次" -> ("人次", 0); unknown -> (None, 0).  Extra helper, not used by parse_value."""
    return _parse_unit(clean_text(text))


@lru_cache(maxsize=65536)
def _parse_points_str(raw: str) -> Value:
    return _points(_parse_str(raw, False))


def _points(v: Value) -> Value:
    if v.kind != "number":
        return v
    if v.percent or v.unit not in (None, "分"):
        return Value(v.raw, "invalid")
    return replace(v, unit="分")


def parse_points(x: object) -> Value:
    """Points as printed: "30", "30分", "≤5", "≤5分", "1 分", "两分" -> number (unit 分) with op."""
    if isinstance(x, str):
        try:
            return _parse_points_str(x)
        except Exception:  # pragma: no cover
            return Value(x, "invalid")
    return _points(parse_value(x))


_MARKS = "★☆*※●◆◇■□▲△▼▽○◎•·"
_CIRCLED_RX = re.compile("^[\u2460-\u2473\u2776-\u277f\u2780-\u2793]+")
_NUMBERING_RX = re.compile(
    r"^(?:\(?[一二三四五六七八九十]+[)、.]"
    r"|\([0-9]+\)|[0-9]+(?:\.[0-9]+)+[.、):]?|[0-9]+[.、):])"
)
# uppercase letter (+ digits), or lowercase letter + digits ("a11" -> "A11"); a lone lowercase
# letter is part of the name ("e政务")
_CODE_RX = re.compile(r"([A-Z](?:[0-9]+)?|[a-z][0-9]+)(?![A-Za-z0-9])[.、:\-_)]?")
# single-letter prefixes that are part of the name, not a code: "A级景区", "B类项目", "X光机"
_NOT_CODE_NEXT = frozenset("级类股型光")


def split_code_name(text: object) -> tuple[str | None, str]:
    """Split a glued indicator code from its name.

    "A11决策制度的规范性" -> ("A11", "决策制度的规范性"); "产出指标" -> (None, "产出指标").

    Strips ★-style marks and "一、" / "(一)" / "1." / "1.1" numbering (which are not codes).
    """
    if type(text) is str:           # the hot path: every indicator name of every form, memoised
        return _split_code_name_str(text)
    if _is_nan_like(text):
        return None, ""
    return _split_code_name(text)


@lru_cache(maxsize=65536)
def _split_code_name_str(text: str) -> tuple[str | None, str]:
    return _split_code_name(text)


def _split_code_name(text: object) -> tuple[str | None, str]:
    raw = text if isinstance(text, str) else str(text)
    raw = _CIRCLED_RX.sub("", raw.lstrip().lstrip(_MARKS).lstrip())
    s = clean_text(raw).lstrip(_MARKS)
    s = _NUMBERING_RX.sub("", s, count=1)
    m = _CODE_RX.match(s)
    if m:
        rest = s[m.end():]
        if not (len(m.group(1)) == 1 and rest[:1] in _NOT_CODE_NEXT):
            return m.group(1).upper(), rest
    return None, s


_POINTS_PAREN_RX = re.compile(r"(?P<label>.*?)[(\[【〔](?P<inner>[^()\[\]【】〔〕]*)[)\]】〕]?\Z")


def split_label_points(text: object) -> tuple[str, Value | None]:
    """Split declared points off a section/group label.

    "C部门履职（30分）" -> ("C部门履职", 30); "F加减分项（≤5分）" -> (.., op '<=' 5);
    "得分(20分*执行率)" -> ("得分", None); "部门决策" -> ("部门决策", None)."""
    s = clean_text(text)
    m = _POINTS_PAREN_RX.match(s)
    if not m:
        return s, None
    inner = m["inner"]
    if "分" not in inner and not _DIGIT_RX.search(inner):
        return s, None  # an ordinary parenthetical ("项目(含二级)") stays in the label
    v = parse_points(inner)
    return m["label"], (v if v.kind == "number" else None)


def is_placeholder(text: object) -> bool:
    """True for empty-cell stand-ins: "", None, NaN, "/", "-", "—", "——", "……", "无", "不适用",
    "N/A", "null" (after clean_text, case-insensitive)."""
    s = clean_text(text)
    return not s or s.casefold() in _PLACEHOLDER_SET or bool(_DASH_ONLY_RX.match(s))
