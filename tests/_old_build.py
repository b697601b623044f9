"""A copy of `budget_audit/normalize/build.py` at 022c109 (before the perf5 cuts), for tests/test_build_rows.py to hold
the package's Builder to. Not used by the package.

Raw submissions → the rows of the four canonical tables (one pass over the batch).

- `indicators`  one row per scored indicator row (三级指标)
- `sections`    one row per submission × section (level 1, 一级指标) or group (level 2, 二级指标)
- `submissions` one row per submission: budget figures, totals, stated values, profile numbers
- `statements`  one row per submission × stated quantity (total, grade, section:X, rates …), with
  every place it is stated

Values are parsed here (cell text → number + printed tolerance); sums per section and group and the
submission totals are taken here. Judging is left to the rules (`budget_audit.rules`).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import numpy as np

from budget_audit.model import RawSubmission
from budget_audit.numeric import UNKNOWN_TOL
from budget_audit.parse.values import Value, clean_text, parse_points, parse_value
from budget_audit.profiles import Profile

CURRENCY_SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "千元": 1e3}
AMOUNT_KEYS = ("initial_budget", "initial_basic", "initial_project", "increase", "decrease",
               "adjusted_budget", "adjusted_project", "expenditure", "expenditure_basic",
               "expenditure_project", "prior_carryover", "prior_carryover_spent", "year_end_carryover")
RATE_KEYS = ("execution_rate", "project_execution_rate")
BUDGET_LABELS = {  # for messages
    "initial_budget": "年初预算数", "initial_basic": "年初基本支出", "initial_project": "年初项目支出",
    "increase": "调增", "decrease": "调减", "adjusted_budget": "调整预算数", "adjusted_project": "项目调整预算数",
    "expenditure": "支出决算数", "expenditure_basic": "基本支出决算", "expenditure_project": "项目支出决算",
    "prior_carryover": "上年结转", "prior_carryover_spent": "上年结转资金支出", "year_end_carryover": "年末结转和结余",
    "execution_rate": "预算执行率", "project_execution_rate": "项目资金执行率", "weight": "预算执行分值",
    "score": "预算执行得分",
}
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
               "差": "差", "较差": "差", "不合格": "差"}


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

def _num(v: Value) -> float:
    return v.number if v.kind == "number" and v.number is not None else math.nan


def _tol(v: Value) -> float:
    if v.kind != "number":
        return math.nan
    return v.tol if v.tol is not None else UNKNOWN_TOL


def _stated(x: Any) -> bool:
    return not parse_value(x).kind == "missing"


_TEXT_MEMO: dict[str, str | None] = {}


def _text(x: Any) -> str | None:
    """Cleaned text or None. Called for every cell of a batch: plain strings are memoised."""
    if type(x) is str:
        t = _TEXT_MEMO.get(x, False)
        if t is False:
            if len(_TEXT_MEMO) > 500_000:   # bound the memory of a huge, varied batch
                _TEXT_MEMO.clear()
            t = _TEXT_MEMO[x] = clean_text(x) or None
        return t
    if x is None:
        return None
    return clean_text(x) or None


def _texts(xs: list) -> list[str | None]:
    """`_text` over a column, the memo read inline: a form's labels repeat in every workbook."""
    memo = _TEXT_MEMO
    return [memo[x] if type(x) is str and x in memo else _text(x) for x in xs]


# Indicator rows are many: their cell locations are looked up only for rows that get a finding.
INDICATOR_LOCATIONS = {"loc_name": ("name", "code"), "loc_code": ("code", "name"), "loc_weight": ("weight",),
                       "loc_score": ("score",), "loc_actual": ("actual",)}


def indicator_location(raw: RawSubmission, row: int, key: str):
    for field_name in INDICATOR_LOCATIONS[key]:
        hit = raw.where(f"indicators[{row}].{field_name}")
        if hit is not None:
            return hit
    return None


def _as_amount(v: Value, cu: str) -> tuple[Value, bool]:
    """An amount in the submission's currency unit: "2972.43万元" (folded to 元 by the parser) is put
    back into 万元; a number with a non-money unit, or text, is not an amount (ok=False)."""
    if v.kind == "number" and v.unit is None and isinstance(v.raw, str) and clean_text(v.raw)[-1:] in ("万", "亿"):
        v = replace(v, unit="元")          # an amount written "10万" is 10 万元 (the parser folded 万 into the number)
    if v.kind == "number" and v.unit == "元":
        scale = CURRENCY_SCALE.get(cu, 1.0)
        return replace(v, number=v.number / scale, tol=(v.tol if v.tol is not None else UNKNOWN_TOL * scale) / scale,
                       unit=cu), True
    if v.kind == "number" and v.unit is not None:
        return replace(v, kind="invalid", number=None), False
    return v, v.kind not in ("invalid", "label")


def _row_kind(section_kind: str, group_keys: tuple, group_kinds: dict[str, str]) -> str:
    """normal / bonus / deduction: the profile's marking first, else the group's own name (加分项 / 减分项),
    so a template-free run still treats a 减分项 row as a deduction."""
    if section_kind != "normal":
        return section_kind
    for k in group_keys:
        if k and group_kinds.get(k, "normal") != "normal":
            return group_kinds[k]
    for k in group_keys:
        if k and "减分" in k and "加减" not in k:
            return "deduction"
        if k and "加分" in k and "加减" not in k:
            return "bonus"
    return "normal"


# --------------------------------------------------------------------------------------------
# per-submission extraction
# --------------------------------------------------------------------------------------------

class Builder:
    def __init__(self) -> None:
        self.ind: dict[str, list[Any]] = {c: [] for c in IND_COLUMNS}   # by column: no dict per indicator row
        self.sec: list[dict[str, Any]] = []
        self.sub: list[dict[str, Any]] = []
        self.stm: list[dict[str, Any]] = []

    # ---- indicators -----------------------------------------------------------------------
    def add_submission(self, raw: RawSubmission, profile: Profile, reason: tuple[str, str]) -> None:
        sid = raw.id
        data = raw.data or {}
        sec_keys = profile.section_keys()
        group_kinds = profile.group_kinds()

        def section_key(x: Any) -> str | None:
            t = _text(x)
            if t is None:
                return None
            if t in sec_keys:
                return sec_keys[t][0]
            return t

        sec_kind = {key: kind for key, kind in sec_keys.values()}
        budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
        cu = _text(budget.get("currency_unit")) or "万元"

        # declared sections / groups
        declared_sections: dict[str, dict[str, Any]] = {}
        for j, s in enumerate(_list(data.get("sections"))):
            if not isinstance(s, dict):
                continue
            key = section_key(s.get("code")) or section_key(s.get("name"))
            if key is None:
                continue
            pts = parse_points(s.get("points"))
            declared_sections[key] = {"name": _text(s.get("name")) or key, "points": pts,
                                      "loc": raw.where(f"sections[{j}].points") or raw.where(f"sections[{j}].name")}
        declared_groups: dict[tuple[str, str], dict[str, Any]] = {}
        for j, g in enumerate(_list(data.get("groups"))):
            if not isinstance(g, dict):
                continue
            gkey = _text(g.get("code")) or _text(g.get("name"))
            if gkey is None:
                continue
            declared_groups[(section_key(g.get("section")) or "", gkey)] = {
                "name": _text(g.get("name")) or gkey, "points": parse_points(g.get("points")),
                "loc": raw.where(f"groups[{j}].points") or raw.where(f"groups[{j}].name")}

        exec_names = {clean_text(n) for n in profile.execution_rate.indicator_names}
        # fields the form has no column for (STR009): their sums are not applicable, the rows not "missing" them
        not_printed = set(data.get("not_printed") or ())
        indicators = data.get("indicators") if isinstance(data.get("indicators"), list) else []
        rows = _indicator_columns(sid, indicators, profile, section_key, declared_groups, sec_kind, group_kinds,
                                  exec_names, not_printed)
        for c, vals in rows.items():
            self.ind[c].extend(vals)

        # ---- sections (level 1) and groups (level 2): sums and declared points ----------------
        # a group is known by (section, group): "数量指标" may stand under several sections
        sum_w: dict[tuple, float] = {}
        sum_s: dict[tuple, float] = {}
        ded_sign = profile.deduction_sign
        for r_sec, r_grp, r_kind, r_w, r_s in zip(rows["section"], rows["group"], rows["kind"], rows["weight"],
                                                  rows["score"]):
            sign = ded_sign if r_kind == "deduction" else 1.0
            w0 = 0.0 if math.isnan(r_w) else r_w
            s0 = sign * (0.0 if math.isnan(r_s) else r_s)
            if r_sec is not None:
                sum_w[1, r_sec] = sum_w.get((1, r_sec), 0.0) + w0
                sum_s[1, r_sec] = sum_s.get((1, r_sec), 0.0) + s0
            if r_grp is not None:
                key = (2, (r_sec or "", r_grp))
                sum_w[key] = sum_w.get(key, 0.0) + w0
                sum_s[key] = sum_s.get(key, 0.0) + s0

        if "weight" in not_printed:
            sum_w = {}
        if "score" in not_printed:
            sum_s = {}
        stated = self._statements(raw, profile, section_key, rows, budget)
        profile_weights = {(s.code or s.names[0]): s for s in profile.sections}
        group_weights = {(g.code or g.names[0]): g for s in profile.sections for g in s.groups}
        seen_sections = list(dict.fromkeys([x for x in rows["section"] if x] + list(declared_sections)))
        for k in seen_sections:
            d = declared_sections.get(k, {})
            pts: Value | None = d.get("points")
            ps = profile_weights.get(k)
            st = stated.get(f"section:{k}")
            self.sec.append({
                "submission_id": sid, "level": 1, "section": k, "parent": None, "name": d.get("name", k),
                "kind": sec_kind.get(k, "normal"), "known": (k in profile_weights) if profile.sections else None,
                "declared_points": _num(pts) if pts else math.nan, "declared_text": pts.raw if pts else None,
                "weight_sum": sum_w.get((1, k), math.nan), "score_sum": sum_s.get((1, k), math.nan),
                "profile_weight": ps.weight if ps else math.nan,
                "stated_subtotal": st["number"] if st else math.nan, "stated_tol": st["tol"] if st else math.nan,
                "stated_text": st["text"] if st else None,
                "loc_points": d.get("loc"), "loc_stated": st["loc"] if st else None,
            })
        seen_groups = list(dict.fromkeys([(x or "", g) for x, g in zip(rows["section"], rows["group"]) if g]
                                         + list(declared_groups)))
        for sk, gk in seen_groups:
            d = declared_groups.get((sk, gk), {})
            pts = d.get("points")
            gw = group_weights.get(gk)
            self.sec.append({
                "submission_id": sid, "level": 2, "section": gk, "parent": sk or None, "name": d.get("name", gk),
                "kind": gw.kind if gw else "normal", "known": None,
                "declared_points": _num(pts) if pts else math.nan, "declared_text": pts.raw if pts else None,
                "weight_sum": sum_w.get((2, (sk, gk)), math.nan), "score_sum": sum_s.get((2, (sk, gk)), math.nan),
                "profile_weight": gw.weight if gw and gw.weight is not None else math.nan,
                "stated_subtotal": math.nan, "stated_tol": math.nan, "stated_text": None,
                "loc_points": d.get("loc"), "loc_stated": None,
            })

        self._submission_row(raw, profile, reason, rows, budget, cu, stated, not_printed)

    # ---- statements ------------------------------------------------------------------------
    def _statements(self, raw: RawSubmission, profile: Profile, section_key, rows, budget) -> dict[str, dict]:
        """Collect every place a quantity is stated; one statements row per quantity."""
        places: dict[str, list[dict[str, Any]]] = {}

        def add(q: str, value: Any, where: str, loc: dict | None) -> None:
            if not _stated(value):
                return
            places.setdefault(q, []).append({"value": value, "where": where, "loc": loc})

        for key in (*AMOUNT_KEYS, *RATE_KEYS, "score"):
            if key in budget:
                q = key if key in RATE_KEYS else f"budget:{key}"
                add(q, budget.get(key), BUDGET_LABELS.get(key, key), raw.where(f"budget.{key}"))
        for j, st in enumerate(_list(raw.data.get("statements")) if raw.data else []):
            if not isinstance(st, dict) or not isinstance(st.get("quantity"), str):
                continue
            q = clean_text(st["quantity"])
            if q.startswith("section:"):
                q = "section:" + (section_key(q[len("section:"):]) or "")
            elif q.startswith("budget:") and q[7:] in RATE_KEYS:
                q = q[7:]
            add(q, st.get("value"), _text(st.get("where")) or f"statements[{j}]",
                raw.where(f"statements[{j}].value") or raw.where(f"statements[{j}]"))
        for is_exec, actual, ind, name, row, code in zip(rows["is_execution_indicator"], rows["actual_text"],
                                                          rows["indicator"], rows["name"], rows["row"], rows["code"]):
            if not actual:
                continue
            if is_exec:
                add("execution_rate", actual, f"{ind} {name or ''}".strip(), indicator_location(raw, row, "loc_actual"))
            if code and f"indicator:{code}" in places:
                add(f"indicator:{code}", actual, f"{ind} 完成值", indicator_location(raw, row, "loc_actual"))

        out: dict[str, dict] = {}
        cu = _text(budget.get("currency_unit")) or "万元"
        for q, ps in places.items():
            vals = [parse_value(p["value"], percent=q in RATE_KEYS) for p in ps]
            if q.startswith("budget:") and q[7:] in AMOUNT_KEYS:   # "6965.62万元" and "6965.62" agree
                vals = [_as_amount(v, cu)[0] for v in vals]
            first = vals[0]
            if q == "grade":
                number, tol = math.nan, math.nan
                words = [GRADE_WORDS.get(v.label or "", v.label) for v in vals]
            else:
                number, tol = _num(first), _tol(first)
                words = [v.label or v.raw for v in vals]
            text_all = "；".join(f"{p['where']}：{p['value']}" for p in ps)
            self.stm.append({
                "submission_id": raw.id, "quantity": q, "n_places": len(ps), "values": text_all,
                "first_text": _shown(ps[0]["value"]), "loc": ps[0]["loc"],
                # every place as (number or NaN, tolerance, word): XST001 compares them
                "places": tuple((v.number if v.kind == "number" and v.number is not None else math.nan,
                                 _tol(v), w) for v, w in zip(vals, words)),
            })
            out[q] = {"number": number, "tol": tol, "text": _shown(ps[0]["value"]), "loc": ps[0]["loc"],
                      "label": first.label}
        return out

    # ---- submissions -----------------------------------------------------------------------
    def _submission_row(self, raw, profile: Profile, reason, rows, budget, cu, stated, not_printed) -> None:
        data = raw.data or {}
        row: dict[str, Any] = {
            "submission_id": raw.id, "source": raw.source, "sha256": raw.sha256, "reader": raw.reader,
            "unreadable": raw.unreadable, "unit": _text(data.get("unit")), "year": _year_field(data.get("year")),
            "profile": profile.name, "profile_reason_zh": reason[0], "profile_reason_en": reason[1],
            "currency_unit": cu, "n_indicators": len(rows["row"]),
            "skipped": raw.skipped,
        }
        # reader-level findings by rule: STR001/STR007 (sheet, column, file), STR011 (scans), STR012 (skipped)
        for col, rules in (("reader_problems", ("STR001", "STR007")), ("scan_problems", ("STR011",)),
                           ("skip_reason", ("STR012",)), ("layout_notes", ("STR009",)),
                           ("duplicate_keys", ("STR010",))):
            ps = raw.problems_of(*rules)
            row[col] = "；".join(p.detail_zh for p in ps) or None
            row[f"{col}_en"] = "; ".join(p.detail_en for p in ps) or None
            row[f"loc_{col}"] = ps[0].location if ps else None
        row["loc_problem"] = row["loc_reader_problems"]
        # a document that is only a scan has nothing else to check: no "missing unit" noise on top of STR011
        row["checkable"] = not raw.unreadable and not raw.skipped and not (row["scan_problems"] and not rows["row"])
        row["loc_unit"], row["loc_year"] = raw.where("unit"), raw.where("year")
        # a form whose reader could not find a unit/year label cannot say it is missing (only that it was not found)
        found = set(data.get("labels_found") or ())
        row["unit_label_found"], row["year_label_found"] = "unit" in found, "year" in found
        row["narrative_only"] = data.get("score_table") == "none"
        bad_amounts: list[str] = []
        for key in AMOUNT_KEYS:
            v, ok = _as_amount(parse_value(budget.get(key)), cu)
            if not ok:
                bad_amounts.append(BUDGET_LABELS[key])
            row[key], row[f"{key}_tol"] = _num(v), _tol(v)
            row[f"{key}_text"] = None if v.kind == "missing" else str(budget.get(key))
            row[f"loc_{key}"] = raw.where(f"budget.{key}")
        for key in RATE_KEYS:
            st = stated.get(key)
            v = parse_value(budget.get(key), percent=True) if _stated(budget.get(key)) else None
            if v is not None and v.kind in ("invalid", "label"):
                bad_amounts.append(BUDGET_LABELS[key])
            row[key] = st["number"] if st else math.nan
            row[f"{key}_tol"] = st["tol"] if st else math.nan
            row[f"{key}_text"] = st["text"] if st else None
            row[f"loc_{key}"] = st["loc"] if st else None
        for key in ("weight", "score"):
            v = parse_value(budget.get(key))
            if v.kind in ("invalid", "label"):
                bad_amounts.append(BUDGET_LABELS[key])
            row[f"budget_{key}"], row[f"budget_{key}_tol"] = _num(v), _tol(v)
            row[f"loc_budget_{key}"] = raw.where(f"budget.{key}")
        row["budget_reason"] = _text(budget.get("reason"))
        bad_amounts += [f"{u.get('label')}“{u.get('value')}”" for u in _list(data.get("unreadable_figures"))
                        if isinstance(u, dict)]    # figures beside the budget block printed as no number ("7.50.")
        row["budget_unparseable"] = "、".join(bad_amounts) or None

        # totals
        if not rows["row"]:     # no indicator rows, no totals (a batch of empty submissions skips the arrays)
            row["weight_total"] = row["bonus_sum"] = row["score_total"] = row["score_total_without_bonus"] = math.nan
        else:
            w = np.array(rows["weight"], dtype=float)
            s = np.array(rows["score"], dtype=float)
            kinds = rows["kind"]
            is_bonus = np.array([k == "bonus" for k in kinds], dtype=bool)
            is_ded = np.array([k == "deduction" for k in kinds], dtype=bool)
            ded_sign = profile.deduction_sign
            sw = np.nan_to_num(w)
            ss = np.nan_to_num(s)
            bw = row["budget_weight"]
            bs = row["budget_score"]
            row["weight_total"] = float(sw.sum()) + (0.0 if math.isnan(bw) else bw)
            row["bonus_sum"] = float(ss[is_bonus].sum()) if is_bonus.any() else math.nan
            deduction = float(ss[is_ded].sum()) * ded_sign
            base = float(ss[~is_bonus & ~is_ded].sum()) + (0.0 if math.isnan(bs) else bs)
            row["score_total"] = base + (0.0 if math.isnan(row["bonus_sum"]) else row["bonus_sum"]) + deduction
            row["score_total_without_bonus"] = base + deduction
        if "weight" in not_printed:
            row["weight_total"] = math.nan
        if "score" in not_printed:
            row["score_total"] = row["score_total_without_bonus"] = row["bonus_sum"] = math.nan
        tot = stated.get("total")
        row["stated_total"] = tot["number"] if tot else math.nan
        row["stated_total_tol"] = tot["tol"] if tot else math.nan
        row["stated_total_text"] = tot["text"] if tot else None
        row["loc_total"] = tot["loc"] if tot else None
        grade = stated.get("grade")
        row["stated_grade"] = GRADE_WORDS.get(grade["label"] or "", grade["label"]) if grade else None
        row["loc_grade"] = grade["loc"] if grade else None
        ex_ind = [f"{i} {n}" for i, n, e in zip(rows["indicator"], rows["name"], rows["is_execution_indicator"]) if e]
        row["execution_indicator"] = ex_ind[0] if ex_ind else None
        # profile numbers travel with the row: rules stay template-free
        row["profile_total_weight"] = profile.total_weight if profile.total_weight is not None else math.nan
        row["profile_max_total"] = (profile.base_total + (profile.bonus.cap if profile.bonus else 0.0)
                                    if profile.base_total is not None else math.nan)
        row["bonus_cap"] = profile.bonus.cap if profile.bonus else math.nan
        row["low_threshold"] = profile.execution_rate.low_threshold
        row["allow_truncation"] = profile.tolerance.allow_truncation
        row["templated"] = bool(profile.sections)   # false: template unknown, template rules say "not checked"
        row["score_formula"] = profile.execution_rate.score_formula
        row["numerator_key"] = profile.execution_rate.numerator
        # the form's own header may say which figure the rate is over ("执行率(B/A)" over 年初预算数(A))
        declared = _text(budget.get("rate_denominator"))
        row["denominator_key"] = declared if declared in ("initial_budget", "adjusted_budget") \
            else profile.execution_rate.denominator
        row["counts_bonus"] = bool(profile.bonus.counts_toward_grade) if profile.bonus else True
        row["title_year"] = _year_in(data.get("title"))
        if not _stated(row["year"]) and not math.isnan(row["title_year"]):   # "…自评表（2023年度）"
            row["year"] = int(row["title_year"])
        self.sub.append(row)


def _indicator_columns(sid: str, indicators: list, profile: Profile, section_key, declared_groups: dict,
                       sec_kind: dict[str, str], group_kinds: dict[str, str], exec_names: set[str],
                       not_printed: set) -> dict[str, list[Any]]:
    """One submission's indicator rows as columns (IND_COLUMNS order): each field is read down its column,
    with no dict per row; a row that is not an object is skipped (shape.py reports it)."""
    js = [j for j, it in enumerate(indicators) if isinstance(it, dict)]
    items = [indicators[j] for j in js]

    def raw(name: str) -> list:
        return [it.get(name) for it in items]

    code, name, grp = _texts(raw("code")), _texts(raw("name")), _texts(raw("group"))
    sec = [section_key(x) for x in raw("section")]
    if profile.codes == "lettered":    # A12 stands under section A, group A1
        sec = [section_key(c[0]) if x is None and c else x for x, c in zip(sec, code)]
        grp = [c[:2] if g is None and c and len(c) >= 3 else g for g, c in zip(grp, code)]
    kinds_of: dict[tuple, str] = {}     # (section, group) → row kind: the same few on every row
    kind = []
    for x, g in zip(sec, grp):
        k = kinds_of.get((x, g))
        if k is None:
            gname = declared_groups.get((x or "", g or ""), {}).get("name")
            k = kinds_of[x, g] = _row_kind(sec_kind.get(x or "", "normal"), (g, gname), group_kinds)
        kind.append(k)
    w_raw, s_raw = raw("weight"), raw("score")
    wv = [parse_value(x) for x in w_raw]
    sv = [parse_value(x) for x in s_raw]
    wk = [v.kind for v in wv]
    sk = [v.kind for v in sv]
    for i, (a, b) in enumerate(zip(wk, sk)):
        if a == "missing" or b == "missing":      # only then can a field be "not printed"
            row_np = not_printed | set(items[i].get("not_printed") or ())
            wk[i] = "not_printed" if a == "missing" and "weight" in row_np else a
            sk[i] = "not_printed" if b == "missing" and "score" in row_np else b
    name_line = raw("name_line")
    nan = math.nan
    return {
        "submission_id": [sid] * len(js), "row": js, "section": sec, "group": grp, "code": code, "name": name,
        "indicator": [c or n or f"#{j + 1}" for c, n, j in zip(code, name, js)],
        "indicator_key": [c or f"{x or ''}|{g or ''}|{n or ''}" + (f"#{nl}" if nl else "")
                          for c, x, g, n, nl in zip(code, sec, grp, name, name_line)],
        "kind": kind,
        "weight": [v.number if v.kind == "number" and v.number is not None else nan for v in wv],
        "weight_text": [None if v.raw is None else str(x) for v, x in zip(wv, w_raw)],
        "weight_kind": wk,
        "score": [v.number if v.kind == "number" and v.number is not None else nan for v in sv],
        "score_tol": [_tol(v) for v in sv],
        "score_text": [None if v.raw is None else str(x) for v, x in zip(sv, s_raw)],
        "score_kind": sk,
        "operator": _texts(raw("operator")), "target_text": _texts(raw("target")), "unit": _texts(raw("unit")),
        "actual_text": _texts(raw("actual")), "method": _texts(raw("method")),
        "deviation_reason": _texts(raw("deviation_reason")),
        "is_execution_indicator": ([bool(n and clean_text(n) in exec_names) for n in name] if exec_names
                                   else [False] * len(js)),
    }


def _list(v: Any) -> list:
    """A field the contract makes an array: anything else is read as empty (shape.py reports it)."""
    return v if isinstance(v, list) else []


def _year_field(v: Any) -> Any:
    """The year as given; a date (an Excel date cell, a YAML date) as its ISO text, anything that is not a
    number or text (a list, an object) as its text: never an object the report cannot carry."""
    if v is None or isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _year_in(text: Any) -> float:
    m = re.search(r"(20[0-9]{2})", clean_text(text)) if text else None
    return float(m.group(1)) if m else math.nan


# --------------------------------------------------------------------------------------------
# batch assembly and derived measures
# --------------------------------------------------------------------------------------------

IND_COLUMNS = ["submission_id", "row", "section", "group", "code", "name", "indicator", "indicator_key", "kind",
               "weight", "weight_text", "weight_kind", "score", "score_tol", "score_text", "score_kind",
               "operator", "target_text", "unit", "actual_text", "method", "deviation_reason",
               "is_execution_indicator"]
SEC_COLUMNS = ["submission_id", "level", "section", "parent", "name", "kind", "known", "declared_points",
               "declared_text", "weight_sum", "score_sum", "profile_weight", "stated_subtotal", "stated_tol",
               "stated_text", "loc_points", "loc_stated"]
STM_COLUMNS = ["submission_id", "quantity", "n_places", "values", "first_text", "loc", "places"]


def _shown(x):
    """A stated value as its cell shows it (the one change since this copy: a workbook's 98.0 prints "98")."""
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)
