"""Facts several rules read, computed once per batch on the canonical tables.

- submissions: the execution rate computed from the budget figures the profile names (numerator ÷
  denominator) as an interval from their rounded inputs (`rate_computed`, `rate_lo`, `rate_hi`), the
  rate the score table and grade rules use (`rate_effective`: computed, else stated), and the grade
  band of the total with and without the bonus (`grade_computed`, `grade_without_bonus`);
- indicators: the profile of each row and each scored row read against its 评分办法
  (`parse.methods`): the score range the method allows, whether the actual meets the target, the
  numbers compared. The reading is cached on the distinct (method, target, actual, weight, operator,
  unit) combinations, which repeat heavily across a batch.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..numeric import fmt_value
from ..parse.methods import compare, normalize_operator, parse_method, recompute
from ..parse.values import parse_value

if TYPE_CHECKING:
    from . import Tables


def add_facts(t: "Tables") -> None:
    if not t.submissions.empty:
        _rates(t.submissions)
        _grades(t)
    # indicator facts exist even on an empty table: submission-level rules count indicator rows
    t.indicators["profile"] = t.profile_names(t.indicators)
    _method_readings(t.indicators)


# ---- submissions ---------------------------------------------------------------------------------------

def rate_interval(num: pd.Series, ntol: pd.Series, den: pd.Series, dtol: pd.Series):
    """num ÷ den and the interval its rounded inputs allow: (mid, lo, hi); NaN where not computable."""
    ok = num.notna() & den.notna() & (den - dtol > 0)
    mid = (num / den).where(ok)
    lo = ((num - ntol) / (den + dtol)).where(ok)
    hi = ((num + ntol) / (den - dtol)).where(ok)
    return mid, lo, hi


def _pick(s: pd.DataFrame, key_col: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per row, the budget figure the profile names (numerator/denominator), its tolerance and text."""
    val = pd.Series(np.nan, index=s.index)
    tol = pd.Series(np.nan, index=s.index)
    txt = pd.Series(None, index=s.index, dtype=object)
    for key in s[key_col].dropna().unique():
        m = s[key_col] == key
        val = val.where(~m, s[key])
        tol = tol.where(~m, s[f"{key}_tol"].fillna(0.0))
        txt = txt.where(~m, s[f"{key}_text"])
    return val, tol, txt


def _rates(s: pd.DataFrame) -> None:
    s["decrease"] = s["decrease"].abs()   # 调减 is often printed with a minus sign: it is subtracted either way
    num = _pick(s, "numerator_key")
    den = _pick(s, "denominator_key")
    mid, lo, hi = rate_interval(num[0], num[1], den[0], den[1])
    s["rate_computed"], s["rate_lo"], s["rate_hi"] = mid, lo, hi
    s["rate_num_text"], s["rate_den_text"] = num[2], den[2]
    s["rate_effective"] = mid.fillna(s["execution_rate"])


def _grades(t: "Tables") -> None:
    s = t.submissions
    has_rows = s["n_indicators"] > 0
    grade_total = s["score_total"].where(has_rows, s["stated_total"])
    grade_total = grade_total.where(s["counts_bonus"], s["score_total_without_bonus"])
    profiles = t.profiles
    s["grade_total"] = grade_total
    s["grade_computed"] = [profiles[p].grade_for(x) if not math.isnan(x) else None
                           for p, x in zip(s["profile"], grade_total)]
    s["grade_total_txt"] = grade_total.map(fmt_value)
    s["base_total_txt"] = s["score_total_without_bonus"].map(fmt_value)
    s["grade_without_bonus"] = [profiles[p].grade_for(x) if not math.isnan(x) else None
                                for p, x in zip(s["profile"], s["score_total_without_bonus"])]


# ---- indicators: each scored row read against its method -----------------------------------------------

class RowReading(NamedTuple):
    """One indicator row read against its method (cached: rows repeat heavily across a batch)."""
    kind: str
    low: float | None
    high: float | None
    reason: str | None
    met: bool | None
    unit_mismatch: bool
    explanation_zh: str      # without its final full stop, as explanation_en
    explanation_en: str
    copies_target: bool
    target: float
    actual: float
    actual_percent: bool
    op: str | None


#: read_row's memo, by the row's six cells. Kept across the chunks of a batch, as `parse_method`'s is: a
#: template's rows repeat (method, target, actual, weight) across workbooks, and reading them again in each
#: chunk of 500 cost ~0.8 ms per workbook (a later chunk of the 300 generated workbooks, ~15 distinct readings
#: each). `batch.clear_memos` empties lru caches only; this plain dict bounds itself: emptied when it holds
#: `ROW_MEMO_MAX` readings (one is ~1 KB with its two explanations: ~16 MB at most).
_ROW_MEMO: dict = {}
ROW_MEMO_MAX = 16384
_TEXT_OR_NONE = (str, type(None))


def read_row(method: str | None, target: str | None, actual: str | None, weight: float, operator: str | None,
             unit: str | None) -> RowReading:
    """One indicator row read against its method. Pure: memoised only when the texts are str or None and the
    weight a float (a dict takes 1, 1.0 and True for one key)."""
    if not (type(weight) is float and type(method) in _TEXT_OR_NONE and type(target) in _TEXT_OR_NONE
            and type(actual) in _TEXT_OR_NONE and type(operator) in _TEXT_OR_NONE and type(unit) in _TEXT_OR_NONE):
        return _read_row(method, target, actual, weight, operator, unit)
    key = (method, target, actual, weight, operator, unit)
    r = _ROW_MEMO.get(key)
    if r is None:
        if len(_ROW_MEMO) >= ROW_MEMO_MAX:
            _ROW_MEMO.clear()
        r = _ROW_MEMO[key] = _read_row(method, target, actual, weight, operator, unit)
    return r


def _read_row(method: str | None, target: str | None, actual: str | None, weight: float, operator: str | None,
              unit: str | None) -> RowReading:
    m = parse_method(method)
    tv = parse_value(target)
    av = parse_value(actual, percent=bool(tv.percent))
    r = recompute(m, tv, av, weight, operator=operator, unit=unit)
    c = compare(tv, av, operator, unit=unit)
    return RowReading(
        kind=m.kind, low=r.low, high=r.high, reason=r.reason, met=c.met, unit_mismatch=c.unit_mismatch,
        # explanations end a sentence; the message templates continue it (stripped once per distinct reading)
        explanation_zh=_open_sentence(r.explanation_zh), explanation_en=_open_sentence(r.explanation_en),
        copies_target=(tv.kind == "number" and av.kind == "number" and tv.number is not None
                       and av.number is not None and av.number == tv.number),
        target=tv.number if tv.kind == "number" else math.nan, actual=av.number if av.kind == "number" else math.nan,
        actual_percent=bool(av.percent), op=c.op or normalize_operator(operator))


def _open_sentence(t: str | None) -> str | None:
    """An explanation without its final full stop (a message template continues the sentence)."""
    return t.rstrip("。. ") if isinstance(t, str) else t


# the reading of a row that is not read (not a scored row): no method, no numbers, nothing met
_NOT_READ = RowReading(kind=None, low=np.nan, high=np.nan, reason=None, met=None, unit_mismatch=False,  # type: ignore[arg-type]
                       explanation_zh=None, explanation_en=None, copies_target=False, target=np.nan,   # type: ignore[arg-type]
                       actual=np.nan, actual_percent=False, op=None)


def _plain(col: pd.Series) -> list:
    """Column values as Python objects, missing text as None (NaN keys would defeat the cache)."""
    if col.dtype.kind == "f":
        return col.tolist()
    return [None if v is None or v != v else v for v in col.tolist()]


def _method_readings(ind: pd.DataFrame) -> None:
    scored = ind["kind"] == "normal"
    # rows without a printed weight are read too (targets, actuals, units: PLA and MTH005 need no weight);
    # the rules that recompute a score require the weight themselves
    res = [read_row(m, t, a, 0.0 if math.isnan(w) else w, o, u) if s else None
           for m, t, a, w, o, u, s in zip(*(_plain(ind[c]) for c in ("method", "target_text", "actual_text", "weight",
                                                                     "operator", "unit")), scored.tolist())]

    # the readings as columns, once (a row not read gets each column's default)
    columns = dict(zip(RowReading._fields, zip(*[r if r is not None else _NOT_READ for r in res]))) if res else {}

    def col(name: str) -> pd.Series:
        return pd.Series(list(columns.get(name, ())), index=ind.index)

    ind["method_kind"] = col("kind")
    ind["recomputed_low"], ind["recomputed_high"] = col("low").astype(float), col("high").astype(float)
    ind["recomputed_zh"], ind["recomputed_en"] = col("explanation_zh"), col("explanation_en")
    ind["method_reason"] = col("reason")
    ind["target_met"] = col("met")                       # True / False / None (not comparable)
    ind["unit_mismatch"] = col("unit_mismatch").astype(bool)
    ind["copies_target"] = col("copies_target").astype(bool)
    ind["target_num"], ind["actual_num"] = col("target").astype(float), col("actual").astype(float)
    ind["actual_percent"] = col("actual_percent").astype(bool)
    ind["compare_op"] = col("op")
