"""The submission being built from a table: its data dict (interchange shape) and its `loc` map."""

from __future__ import annotations

import re
from typing import Any

from ...model import Problem, RawSubmission
from ...parse.values import clean_text, split_code_name
from .. import headers as H
from .cells import RATE_KEYS

# --------------------------------------------------------------------------------------------
# the submission being built
# --------------------------------------------------------------------------------------------


# a title that opens with the unit's name, then the year: "大英县总工会2020年度部门决算",
# "南县就业服务中心2023年项目支出绩效自评报告"
_TITLE_UNIT_RX = re.compile(r"^(?P<unit>[^0-9]{2,40}?)20[0-9]{2}\s*年")
_ORG_SUFFIX_RX = re.compile(r"(?:局|委员会|委|会|院|中心|办公室|办|站|所|学校|校|队|部|处|厅|馆|社|团|公司|政府|街道办事处)$")
_EVALUATION_TITLE_RX = re.compile(r"(?:绩效|评价|自评).*(?:报告|表)$")


def unit_in_title(text: Any) -> str | None:
    """The unit named at the head of a title, before the year: only when it ends like an organisation's
    name, or (4+ characters) heads a self-evaluation title. Otherwise None — never a guess."""
    t = clean_text(text) if isinstance(text, str) else ""
    m = _TITLE_UNIT_RX.match(t)
    if not m:
        return None
    unit = m["unit"].strip()
    if _ORG_SUFFIX_RX.search(unit) or (len(unit) >= 4 and _EVALUATION_TITLE_RX.search(t)):
        return unit
    return None


class Builder:
    """Collects one submission's data dict and its `loc` map."""

    def __init__(self) -> None:
        self.top: dict[str, Any] = {}
        self.budget: dict[str, Any] | None = None
        self.sections: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.indicators: list[dict[str, Any]] = []
        self.statements: list[dict[str, Any]] = []
        self.breakdowns: list[dict[str, Any]] = []  # stated breakdowns of budget figures (BUD012)
        self.unreadable: list[dict[str, Any]] = []  # budget figures that are no number as printed (STR002)
        self.loc: dict[str, dict[str, Any]] = {}
        self.problems: list[Problem] = []
        self.not_printed: set[str] = set()          # indicator fields the form has no column for (STR009)
        self.seen: set[str] = set()                 # top-level fields whose label the file has
        self.ranks: dict[str, int] = {}
        self._sec_index: dict[str, int] = {}
        self._grp_index: dict[tuple[str | None, str], int] = {}

    # ---- top-level fields ------------------------------------------------------------------
    def set_top(self, key: str, val: Any, loc: dict[str, Any] | None, rank: int = 0) -> None:
        """A top-level field; the first one found wins, unless a better-ranked label (lower rank) comes later."""
        if val is None:
            return
        if self.top.get(key) is not None and rank >= self.ranks.get(key, 0):
            return
        self.top[key] = val
        self.ranks[key] = rank
        if loc:
            self.loc[key] = loc

    def saw(self, key: str) -> None:
        """The file has a label for `key` (filled or not): an empty one is really missing (STR001)."""
        self.seen.add(key)

    # ---- budget ----------------------------------------------------------------------------
    def ensure_budget(self) -> dict[str, Any]:
        if self.budget is None:
            self.budget = {k: None for k in H.BUDGET_KEYS}
        return self.budget

    def set_budget(self, key: str, val: Any, loc: dict[str, Any] | None, label: str) -> None:
        budget = self.ensure_budget()
        if val is None:
            budget.setdefault(key, None)
            return
        if budget.get(key) is None:
            budget[key] = val
            if loc:
                self.loc[f"budget.{key}"] = loc
        elif key not in ("currency_unit", "reason", "rate_denominator"):
            # the same figure printed twice: keep both, so conflicts surface as XST001
            q = key if key in RATE_KEYS else f"budget:{key}"
            self.add_statement(q, val, label, loc)

    # ---- sections / groups -----------------------------------------------------------------
    def section(self, code: str | None, name: str | None, points: Any, loc: dict | None,
                points_loc: dict | None = None) -> str | None:
        key = code or name
        if not key:
            return None
        if key in self._sec_index:
            s = self.sections[self._sec_index[key]]
            i = self._sec_index[key]
            if s.get("points") is None and points is not None:
                s["points"] = points
                if points_loc or loc:
                    self.loc[f"sections[{i}].points"] = points_loc or loc
            if s.get("name") is None and name:
                s["name"] = name
                if loc:
                    self.loc[f"sections[{i}].name"] = loc
            return key
        i = len(self.sections)
        self.sections.append({"code": code, "name": name or None, "points": points})
        self._sec_index[key] = i
        if loc:
            for f, v in (("code", code), ("name", name)):
                if v:
                    self.loc[f"sections[{i}].{f}"] = loc
        if points is not None and (points_loc or loc):
            self.loc[f"sections[{i}].points"] = points_loc or loc
        return key

    def section_points(self, key: str, points: Any, loc: dict | None) -> None:
        i = self._sec_index.get(key)
        if i is not None and self.sections[i].get("points") is None and points is not None:
            self.sections[i]["points"] = points
            if loc:
                self.loc[f"sections[{i}].points"] = loc

    def group(self, section: str | None, code: str | None, name: str | None, points: Any,
              loc: dict | None, points_loc: dict | None = None) -> str | None:
        key = code or name
        if not key:
            return None
        k = (section, key)
        if k in self._grp_index:
            i = self._grp_index[k]
            g = self.groups[i]
            if g.get("points") is None and points is not None:
                g["points"] = points
                if points_loc or loc:
                    self.loc[f"groups[{i}].points"] = points_loc or loc
            return key
        i = len(self.groups)
        self.groups.append({"section": section, "code": code, "name": name or None, "points": points})
        self._grp_index[k] = i
        if loc:
            for f, v in (("code", code), ("name", name)):
                if v:
                    self.loc[f"groups[{i}].{f}"] = loc
            if section:
                self.loc[f"groups[{i}].section"] = loc
        if points is not None and (points_loc or loc):
            self.loc[f"groups[{i}].points"] = points_loc or loc
        return key

    def group_points(self, section: str | None, key: str, points: Any, loc: dict | None) -> None:
        i = self._grp_index.get((section, key))
        if i is not None and self.groups[i].get("points") is None and points is not None:
            self.groups[i]["points"] = points
            if loc:
                self.loc[f"groups[{i}].points"] = loc

    def section_key_for(self, text: str) -> str | None:
        """A section named in a statement label ("部门管理", "B部门管理", "B") → its key."""
        code, name = split_code_name(text)
        if code and len(code) == 1:
            return code
        name = name or text
        for s in self.sections:
            if s.get("name") and clean_text(s["name"]) == name:
                return s.get("code") or s["name"]
        return name or None

    # ---- indicators / statements -----------------------------------------------------------
    def add_indicator(self, ind: dict[str, Any], locs: dict[str, dict | None]) -> int:
        j = len(self.indicators)
        self.indicators.append(ind)
        at, key = self.loc, f"indicators[{j}]."     # the index formatted once per indicator, not per field
        for f, loc in locs.items():
            if loc is not None and ind.get(f) is not None:
                at[key + f] = loc
        return j

    def add_statement(self, quantity: str, val: Any, where: str | None, loc: dict | None,
                      label_loc: dict | None = None) -> None:
        if val is None:
            return
        k = len(self.statements)
        self.statements.append({"quantity": quantity, "value": val, "where": where})
        if loc:
            self.loc[f"statements[{k}].value"] = loc
        if label_loc or loc:
            self.loc[f"statements[{k}].quantity"] = label_loc or loc

    def add_breakdown(self, e: dict[str, Any]) -> None:
        """A stated breakdown (`breakdowns.parse_breakdowns`); the same total cell read twice is kept once."""
        if any(x["label"] == e["label"] and self.loc.get(f"breakdowns[{i}].total") == e["total_loc"]
               for i, x in enumerate(self.breakdowns)):
            return
        i = len(self.breakdowns)
        self.breakdowns.append({"label": e["label"], "column": e["column"], "total": e["total"],
                                "parts": [{"label": p["label"], "value": p["value"]} for p in e["parts"]],
                                "exhaustive": e["exhaustive"]})
        if e["total_loc"]:
            self.loc[f"breakdowns[{i}].total"] = e["total_loc"]
        for j, p in enumerate(e["parts"]):
            if p["loc"] and p["value"] is not None:
                self.loc[f"breakdowns[{i}].parts[{j}]"] = p["loc"]

    def add_unreadable_figure(self, label: str, val: Any, loc: dict | None) -> None:
        """A budget figure printed so that it is no number ("7.50."), as printed (STR002); once per cell."""
        if any(self.loc.get(f"unreadable_figures[{i}]") == loc for i in range(len(self.unreadable))):
            return
        self.loc[f"unreadable_figures[{len(self.unreadable)}]"] = loc
        self.unreadable.append({"label": label, "value": val})

    def problem(self, zh: str, en: str, location: dict | None, rule: str = "STR001") -> None:
        self.problems.append(Problem(rule, zh, en, location))

    # ---- result ----------------------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.top.get("unit") is None and "unit" not in self.seen:   # "南县民政局2022年项目支出…计分表"
            unit = unit_in_title(self.top.get("title"))
            if unit is not None:
                self.top["unit"] = unit
                if "title" in self.loc:
                    self.loc["unit"] = self.loc["title"]
        for k in ("unit", "year", "profile", "project", "title", "score_table", "indicator_points"):
            if k in self.top:
                out[k] = self.top[k]
        if self.budget is not None:
            out["budget"] = self.budget
        out["sections"] = self.sections
        out["groups"] = self.groups
        out["indicators"] = self.indicators
        out["statements"] = self.statements
        if self.breakdowns:
            out["breakdowns"] = self.breakdowns
        if self.unreadable:
            out["unreadable_figures"] = self.unreadable
        if self.not_printed:
            out["not_printed"] = sorted(self.not_printed)
        out["labels_found"] = sorted(self.seen)
        return out

    def submission(self, source: str, sid: str, sha256: str | None, reader: str) -> RawSubmission:
        return RawSubmission(source=source, id=sid, data=self.data(), loc=self.loc, problems=self.problems,
                             sha256=sha256, reader=reader)


