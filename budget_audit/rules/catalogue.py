"""The rule catalogue: the single source of truth for every check.

A rule is ID + slug + default severity + documentation + one or more checks. A check names the
canonical table and the measure column (see `derive.py`) and says: *compliant when the column is
≤ 0; NaN = not applicable*. pandera schemas (`rules/schemas.py`), Great Expectations suites
(`gx/`), the docs (`docs/rules.md`) and the messages are all generated from this list.

Message templates are `str.format` strings over the failing row's columns plus `ind` (indicator
code + name), `sec` (section), `expected`, `actual`, `tol` (already formatted).
"""

from __future__ import annotations

from .base import SEVERITIES, SEVERITY_RANK, Check, Rule  # noqa: F401

NO_PROFILE = ("未识别评价模板，此项不检查（请用 --profile 指定模板）",
              "not checked: no profile (template unknown; pass --profile)")
RATE_INPUTS = ("缺少计算执行率所需的预算数据，无法复核", "cannot be recomputed: the budget figures it needs are missing")

_TRUNC = ("; where the profile sets `tolerance.allow_truncation`, a rate inside the truncation interval "
          "[v, v + 10^-d) but outside the rounding one is a warning, not an error")
_TOL_FIGURE = ("a stated figure printed with d decimals stands for v ± ½·10^-d; it is consistent when the "
               "computed value (itself an interval when computed from rounded figures) overlaps it, plus 1e-9")

_BASE: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- STR: structure and input
    Rule("STR001", "missing-required-field", "error", "缺少必填项", "Missing required field",
         "A field the profile requires is absent or empty: indicator name, weight, score; unit name; year; "
         "or a required sheet/column of the workbook. Without it the row cannot be checked.",
         (Check("indicators", "str001", "{ind}：缺少{missing_fields}", "{ind}: missing {missing_fields}",
                location="loc_name", indicator=True),
          Check("submissions", "str001", "缺少必填信息：{missing_fields_or_problem}",
                "missing required information: {missing_fields_or_problem_en}", location="loc_problem")),
         example="C11 教学助手使用量：缺少得分"),
    Rule("STR002", "unparseable-value", "error", "数值无法识别", "Unparseable value",
         "A numeric field holds text that cannot be read as a number (OCR damage like \"IO\", \"88.5.1\", "
         "a word where a number is due). The value is not guessed.",
         (Check("indicators", "str002", "{ind}：{unparseable_fields}“{str002_text}”不是数值",
                "{ind}: {unparseable_fields} {str002_text!r} is not a number", location="loc_score", indicator=True),
          Check("submissions", "str002", "预算数据无法识别为数值：{budget_unparseable}",
                "budget figures that are not numbers: {budget_unparseable}", location="loc_execution_rate")),
         example="B11 部门预算执行率：得分“IO”不是数值"),
    Rule("STR003", "invalid-indicator-code", "error", "指标编码不符合层级", "Indicator code breaks the hierarchy",
         "A level-3 code must start with its level-2 code, which starts with its section letter (A → A1 → A11).",
         (Check("indicators", "str003", "{ind}：编码“{code}”与所属一级指标“{section}”/二级指标“{group}”不符",
                "{ind}: code {code!r} does not fit section {section!r} / group {group!r}",
                location="loc_code", indicator=True),),
         profiles="profiles with lettered codes (dept-overall-105, generic when codes are present)",
         example="A21 中长期规划明确性：编码“A21”与所属一级指标“B”/二级指标“B2”不符"),
    Rule("STR004", "duplicate-indicator", "error", "指标重复", "Duplicate indicator",
         "Two rows carry the same indicator code (or, without codes, the same section + group + name); "
         "the second would be counted twice in every sum.",
         (Check("indicators", "str004", "{ind}：指标重复出现", "{ind}: the indicator appears more than once",
                location="loc_code", indicator=True),),
         example="A11 决策制度的规范性：指标重复出现"),
    Rule("STR005", "unknown-section", "error", "一级指标不属于模板", "Unknown section",
         "An indicator's section is not one the profile defines.",
         (Check("indicators", "str005", "{ind}：一级指标“{section}”不在评价模板 {profile} 中",
                "{ind}: section {section!r} is not defined by profile {profile}", location="loc_name",
                indicator=True),),
         profiles="profiles that define sections (dept-overall-105, project-mof-100)",
         example="G11 其他：一级指标“G”不在评价模板 dept-overall-105 中"),
    Rule("STR006", "empty-submission", "error", "没有评分指标", "Empty submission",
         "The submission holds no scored indicator rows.",
         (Check("submissions", "str006", "未找到任何评分指标行", "no scored indicator rows were found",
                location="loc_problem"),),
         example="未找到任何评分指标行"),
    Rule("STR007", "unreadable-input", "error", "文件无法读取", "Unreadable input",
         "The file cannot be opened or parsed at all (corrupt, encrypted, wrong encoding, not a table). "
         "The submission still appears in the report, with status `unreadable`.",
         (Check("submissions", "str007", "文件无法读取：{reader_problems}", "unreadable input: {reader_problems_en}",
                location="loc_problem"),),
         example="文件无法读取：不是有效的 Excel 工作簿"),
    Rule("STR008", "year-mismatch", "warning", "评价年度不一致", "Year mismatch",
         "The evaluation year differs between places (metadata, title).",
         (Check("submissions", "str008", "评价年度不一致：填报 {year}，标题中为 {title_year:.0f}",
                "the year differs: {year} in the metadata, {title_year:.0f} in the title", location="loc_year",
                expected="title_year", actual="year_num"),),
         example="评价年度不一致：填报 2023，标题中为 2022"),
    # ---------------------------------------------------------------- WGT: weights
    Rule("WGT001", "weight-total-mismatch", "error", "权值合计不符", "Weight total mismatch",
         "The sum of all indicator weights (plus a scored budget block) differs from the profile total "
         "(105 for dept-overall-105: 100 + 5 bonus).",
         (Check("submissions", "wgt001", "全部指标权值合计 {actual}，评价模板规定应为 {expected}",
                "indicator weights sum to {actual}; the profile requires {expected}", location="loc_total",
                expected="profile_total_weight", actual="weight_total"),),
         unchecked={"no_profile": NO_PROFILE}, profiles="profiles with a total (not generic)",
         example="全部指标权值合计 100，评价模板规定应为 105"),
    Rule("WGT002", "section-weight-mismatch", "error", "一级指标分值与权值合计不符", "Section weight mismatch",
         "The points a section declares (\"C部门履职（30分）\") differ from the sum of its indicators' weights.",
         (Check("sections", "wgt002", "一级指标“{sec}”标注 {expected} 分，其下指标权值合计 {actual} 分",
                "section {sec} declares {expected} points; its indicators weigh {actual}",
                location="loc_points", expected="declared_points", actual="weight_sum"),),
         example="一级指标“A 部门决策”标注 1 分，其下指标权值合计 15 分"),
    Rule("WGT003", "section-weight-off-template", "warning", "一级指标权值偏离模板", "Section weight off template",
         "A section's weight sum differs from the profile's standard weight for it (the MOF project form's "
         "10/50/30/10 split holds \"in principle\").",
         (Check("sections", "wgt003", "一级指标“{sec}”权值合计 {actual} 分，模板标准为 {expected} 分",
                "section {sec} weighs {actual}; the template's standard is {expected}", location="loc_points",
                expected="profile_weight", actual="weight_sum"),),
         unchecked={"no_profile": NO_PROFILE}, profiles="profiles with section weights (not generic)",
         example="一级指标“产出指标”权值合计 40 分，模板标准为 50 分"),
    Rule("WGT004", "group-weight-mismatch", "error", "二级指标分值与权值合计不符", "Group weight mismatch",
         "A level-2 group declares points that differ from the sum of its indicators' weights.",
         (Check("sections", "wgt004", "二级指标“{sec}”标注 {expected} 分，其下指标权值合计 {actual} 分",
                "group {sec} declares {expected} points; its indicators weigh {actual}", location="loc_points",
                expected="declared_points", actual="weight_sum"),),
         example="二级指标“B1 预算执行”标注 5 分，其下指标权值合计 6 分"),
    Rule("WGT005", "invalid-weight", "error", "权值无效", "Invalid weight",
         "A scored indicator's weight is ≤ 0 or not finite, or a deduction row's weight is not 0.",
         (Check("indicators", "wgt005", "{ind}：权值 {weight_text} 无效（评分指标权值须大于 0，减分项权值须为 0）",
                "{ind}: weight {weight_text} is invalid (scored rows need a weight > 0, deduction rows 0)",
                location="loc_weight", actual="weight", indicator=True),),
         example="C11 教学助手使用量：权值 0 无效（评分指标权值须大于 0，减分项权值须为 0）"),
    # ---------------------------------------------------------------- SCR: scores and totals
    Rule("SCR001", "score-exceeds-weight", "error", "得分超过权值", "Score exceeds weight",
         "A score is above the row's weight (bonus rows: above their weight).",
         (Check("indicators", "scr001", "{ind}：得分 {actual} 超过权值 {expected}",
                "{ind}: score {actual} exceeds the weight {expected}", location="loc_score",
                expected="weight", actual="score", indicator=True),),
         example="C11 教学助手使用量：得分 9 超过权值 8"),
    Rule("SCR002", "negative-score", "error", "得分为负", "Negative score",
         "A score below 0 on a row that is not a deduction.",
         (Check("indicators", "scr002", "{ind}：得分 {actual} 为负数", "{ind}: score {actual} is negative",
                location="loc_score", actual="score", indicator=True),),
         example="A11 决策制度的规范性：得分 -1 为负数"),
    Rule("SCR003", "section-score-mismatch", "error", "一级指标得分小计不符", "Section score mismatch",
         "A stated section subtotal (a table row or the narrative \"部门管理绩效评价得分为 16.5 分\") differs "
         "from the sum of that section's scores.",
         (Check("sections", "scr003", "一级指标“{sec}”得分小计写为 {stated_text}，按指标得分合计应为 {expected}",
                "section {sec}: stated subtotal {stated_text}, its scores sum to {expected}", location="loc_stated",
                expected="score_sum", actual="stated_subtotal", tolerance="scr003_tol"),),
         tolerance=_TOL_FIGURE + "; scores themselves are assigned points and count as exact",
         example="一级指标“B 部门管理”得分小计写为 17，按指标得分合计应为 16.5"),
    Rule("SCR004", "total-score-mismatch", "error", "总分不符", "Total score mismatch",
         "The stated total (\"自评得分为97.5分\", a 合计 row) differs from the sum of all scores (bonus added, "
         "deductions subtracted, a scored budget block included).",
         (Check("submissions", "scr004", "自评总分写为 {stated_total_text}，按各项得分合计应为 {expected}",
                "stated total {stated_total_text}; the scores sum to {expected}", location="loc_total",
                expected="score_total", actual="stated_total", tolerance="scr004_tol"),),
         tolerance=_TOL_FIGURE + "; scores themselves are assigned points and count as exact",
         example="自评总分写为 98，按各项得分合计应为 97.5"),
    Rule("SCR005", "total-exceeds-maximum", "error", "总分超过上限", "Total exceeds maximum",
         "The total exceeds what the profile allows (base total + bonus cap).",
         (Check("submissions", "scr005", "总分 {actual} 超过模板允许的最高分 {expected}",
                "total {actual} exceeds the profile's maximum {expected}", location="loc_total",
                expected="profile_max_total", actual="score_total"),),
         unchecked={"no_profile": NO_PROFILE}, profiles="profiles with a base total (not generic)",
         example="总分 106 超过模板允许的最高分 105"),
    Rule("SCR006", "bonus-over-cap", "error", "加分超过上限", "Bonus over cap",
         "The bonus section's scores sum above its cap (5 in dept-overall-105).",
         (Check("submissions", "scr006", "加分项合计 {actual} 分，超过上限 {expected} 分",
                "bonus points sum to {actual}, above the cap of {expected}", location="loc_total",
                expected="bonus_cap", actual="bonus_sum"),),
         unchecked={"no_profile": NO_PROFILE}, profiles="profiles with a bonus section (dept-overall-105)",
         example="加分项合计 6 分，超过上限 5 分"),
    Rule("SCR007", "deduction-sign", "error", "减分项符号错误", "Deduction sign",
         "A deduction row adds points (the profile says whether deductions are written as negative scores "
         "or as positive amounts to subtract).",
         (Check("indicators", "scr007", "{ind}：减分项得分 {actual} 的符号与模板约定不符（不得加分）",
                "{ind}: deduction score {actual} has the wrong sign (a deduction cannot add points)",
                location="loc_score", actual="score", indicator=True),),
         profiles="profiles with a deduction section (dept-overall-105)",
         example="F21 本年度违法违纪：减分项得分 2 的符号与模板约定不符（不得加分）"),
    Rule("SCR008", "bonus-off-schedule", "warning", "加分不符合加分标准", "Bonus off schedule",
         "A bonus score cannot be formed from the schedule's values (dept-overall-105: 3, 2, 1, 0.5; the same "
         "piece of work counts once).",
         (Check("indicators", "scr008", "{ind}：加分 {actual} 无法由加分标准（{schedule}）组成",
                "{ind}: bonus {actual} cannot be formed from the schedule ({schedule})", location="loc_score",
                actual="score", indicator=True),),
         profiles="profiles with a bonus schedule (dept-overall-105)",
         example="F11 本年度收到各级荣誉表彰：加分 0.7 无法由加分标准（3、2、1、0.5）组成"),
    # ---------------------------------------------------------------- GRD: grade
    Rule("GRD001", "grade-mismatch", "error", "评价等级与总分不符", "Grade mismatch",
         "The stated grade differs from the band of the total (default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60; the "
         "profile says whether the bonus counts).",
         (Check("submissions", "grd001", "评价等级写为“{stated_grade}”，总分 {grade_total_txt} 对应等级应为“{grade_computed}”",
                "stated grade {stated_grade}; a total of {grade_total_txt} is grade {grade_computed}",
                location="loc_grade", expected="grade_computed", actual="stated_grade"),),
         example="评价等级写为“优”，总分 85 对应等级应为“良”"),
    Rule("GRD002", "grade-relies-on-bonus", "warning", "等级依赖加分", "Grade relies on bonus",
         "Without the bonus points the total would fall into a lower band.",
         (Check("submissions", "grd002", "不计加分时总分 {base_total_txt} 仅为“{grade_without_bonus}”，等级“{grade_computed}”依赖加分",
                "without bonus the total {base_total_txt} is only {grade_without_bonus}; grade {grade_computed} relies on the bonus",
                location="loc_grade", expected="grade_without_bonus", actual="grade_computed"),),
         example="不计加分时总分 88 仅为“良”，等级“优”依赖加分"),
    # ---------------------------------------------------------------- BUD: budget arithmetic
    Rule("BUD001", "initial-budget-split", "error", "年初预算数与构成不符", "Initial budget split",
         "Initial budget ≠ basic + project (when all three are stated).",
         (Check("submissions", "bud001", "年初预算数 {initial_budget_text}，基本支出 {initial_basic_text} + 项目支出 {initial_project_text} = {expected}",
                "initial budget {initial_budget_text}, but basic {initial_basic_text} + project {initial_project_text} = {expected}",
                location="loc_initial_budget", expected="bud001_expected", actual="bud001_actual", tolerance="bud001_tol"),),
         tolerance=_TOL_FIGURE + "; the intervals of the summed items add up",
         example="年初预算数 2972.43，基本支出 1504.43 + 项目支出 1468 = 2972.43"),
    Rule("BUD002", "adjusted-budget-arithmetic", "error", "调整预算数计算不符", "Adjusted budget arithmetic",
         "Adjusted budget ≠ initial budget + increase − decrease (a missing increase/decrease counts as 0 when "
         "the other is stated).",
         (Check("submissions", "bud002", "调整预算数 {adjusted_budget_text}，按年初预算数 + 调增 − 调减计算应为 {expected}",
                "adjusted budget {adjusted_budget_text}; initial + increase − decrease = {expected}",
                location="loc_adjusted_budget", expected="bud002_expected", actual="bud002_actual", tolerance="bud002_tol"),),
         tolerance=_TOL_FIGURE + "; the intervals of the summed items add up",
         example="调整预算数 7280.19，按年初预算数 + 调增 − 调减计算应为 7280.19"),
    Rule("BUD003", "expenditure-split", "error", "支出决算数与构成不符", "Expenditure split",
         "Expenditure ≠ basic expenditure + project expenditure.",
         (Check("submissions", "bud003", "支出决算数 {expenditure_text}，基本支出 {expenditure_basic_text} + 项目支出 {expenditure_project_text} = {expected}",
                "expenditure {expenditure_text}, but basic {expenditure_basic_text} + project {expenditure_project_text} = {expected}",
                location="loc_expenditure", expected="bud003_expected", actual="bud003_actual", tolerance="bud003_tol"),),
         tolerance=_TOL_FIGURE + "; the intervals of the summed items add up",
         example="支出决算数 6965.62，基本支出 1542.73 + 项目支出 5422.89 = 6965.62"),
    Rule("BUD004", "execution-rate-mismatch", "error", "预算执行率计算不符", "Execution rate mismatch",
         "The stated execution rate ≠ expenditure ÷ adjusted budget (the profile may name another numerator "
         "or denominator).",
         (Check("submissions", "bud004", "预算执行率写为 {execution_rate_text}，按 {rate_num_text} ÷ {rate_den_text} 计算应为 {expected}",
                "execution rate stated {execution_rate_text}; {rate_num_text} ÷ {rate_den_text} = {expected}",
                location="loc_execution_rate", expected="bud004_expected", actual="bud004_actual",
                tolerance="bud004_tol", fmt="pct"),),
         tolerance=_TOL_FIGURE + " (\"97%\" is 96.5%..97.5%)" + _TRUNC, unchecked={"rate_inputs_missing": RATE_INPUTS},
         example="预算执行率写为 97%，按 6965.62 ÷ 7280.19 计算应为 95.68%"),
    Rule("BUD005", "project-execution-rate-mismatch", "error", "项目资金执行率计算不符", "Project execution rate mismatch",
         "The stated project execution rate ≠ project expenditure ÷ project adjusted budget (when both are stated).",
         (Check("submissions", "bud005", "项目资金执行率写为 {project_execution_rate_text}，按 {expenditure_project_text} ÷ {adjusted_project_text} 计算应为 {expected}",
                "project execution rate stated {project_execution_rate_text}; {expenditure_project_text} ÷ {adjusted_project_text} = {expected}",
                location="loc_project_execution_rate", expected="bud005_expected", actual="bud005_actual",
                tolerance="bud005_tol", fmt="pct"),),
         tolerance=_TOL_FIGURE + _TRUNC,
         unchecked={"no_adjusted_project": ("项目资金执行率无法复核：未填报项目调整预算数",
                                            "project execution rate cannot be recomputed: no project adjusted budget is stated"),
                    "rate_inputs_missing": RATE_INPUTS},
         example="项目资金执行率写为 98%，按 5422.89 ÷ 5600 计算应为 96.84%"),
    Rule("BUD006", "execution-indicator-mismatch", "error", "执行率指标完成值与预算数据不符", "Execution indicator mismatch",
         "The score table's execution-rate indicator (\"部门预算执行率\", \"预算执行率\") has an actual value that "
         "differs from the rate computed from the budget figures.",
         (Check("indicators", "bud006", "{ind}：完成值 {actual_text}，按预算数据计算应为 {expected}",
                "{ind}: actual {actual_text}, the budget figures give {expected}", location="loc_actual",
                expected="bud006_expected", actual="bud006_actual", tolerance="bud006_tol", fmt="pct", indicator=True),),
         tolerance=_TOL_FIGURE + _TRUNC, unchecked={"rate_inputs_missing": RATE_INPUTS},
         example="B11 部门预算执行率：完成值 97%，按预算数据计算应为 95.68%"),
    Rule("BUD007", "execution-score-mismatch", "error", "预算执行得分不符", "Execution score mismatch",
         "For templates that score execution as weight × min(rate, 100%), the stated budget score differs.",
         (Check("submissions", "bud007", "预算执行得分 {actual}，按分值 {budget_weight:g} × 执行率计算应为 {expected}",
                "budget execution score {actual}; weight {budget_weight:g} × rate = {expected}", location="loc_budget_score",
                expected="bud007_expected", actual="bud007_actual", tolerance="bud007_tol"),),
         tolerance=_TOL_FIGURE, unchecked={"rate_inputs_missing": RATE_INPUTS},
         profiles="profiles with a scored budget block (project-mof-100)",
         example="预算执行得分 10，按分值 10 × 执行率计算应为 9.57"),
    Rule("BUD008", "overspent", "warning", "超预算支出", "Overspent",
         "Expenditure exceeds the adjusted budget (rate > 100% beyond rounding).",
         (Check("submissions", "bud008", "支出 {rate_num_text} 超过预算 {rate_den_text}（执行率 {actual}）",
                "expenditure {rate_num_text} exceeds the budget {rate_den_text} (rate {actual})",
                location="loc_expenditure", expected="bud008_expected", actual="bud008_actual", fmt="pct"),),
         tolerance=_TOL_FIGURE, example="支出 120 超过预算 100（执行率 120%）"),
    Rule("BUD009", "negative-amount", "error", "预算金额为负", "Negative amount",
         "A budget amount is negative (调减 excepted: it may be printed with a minus sign).",
         (Check("submissions", "bud009", "预算金额为负数：{negative_amounts}", "negative budget amounts: {negative_amounts}",
                location="loc_initial_budget"),),
         example="预算金额为负数：支出决算数"),
    Rule("BUD010", "low-execution-unexplained", "warning", "执行率偏低未说明原因", "Low execution unexplained",
         "The execution rate is below the profile's threshold (90%) and no reason is given.",
         (Check("submissions", "bud010", "预算执行率 {actual} 低于 {expected}，未说明原因",
                "execution rate {actual} is below {expected} and no reason is given", location="loc_execution_rate",
                expected="low_threshold", actual="rate_effective", fmt="pct"),),
         example="预算执行率 85.00% 低于 90.00%，未说明原因"),
    Rule("BUD011", "carryover-inconsistent", "warning", "年末结转结余不符", "Carry-over inconsistent",
         "The stated year-end carry-over ≠ adjusted budget + prior carry-over − expenditure (only when all are stated).",
         (Check("submissions", "bud011", "年末结转和结余 {year_end_carryover_text}，按调整预算数 + 上年结转 − 支出决算数计算应为 {expected}",
                "year-end carry-over {year_end_carryover_text}; adjusted + prior carry-over − expenditure = {expected}",
                location="loc_year_end_carryover", expected="bud011_expected", actual="bud011_actual", tolerance="bud011_tol"),),
         tolerance=_TOL_FIGURE + "; the intervals of the summed items add up",
         example="年末结转和结余 6.77，按调整预算数 + 上年结转 − 支出决算数计算应为 314.57"),
    # ---------------------------------------------------------------- XST: statements
    Rule("XST001", "conflicting-statements", "error", "同一数据多处表述不一致", "Conflicting statements",
         "The same quantity (total, grade, a section subtotal, a budget figure, a rate) is stated in two places "
         "with different values (e.g. narrative vs table).",
         (Check("statements", "xst001", "“{quantity_zh}”多处表述不一致：{values}",
                "{quantity} is stated differently in several places: {values}", location="loc"),),
         tolerance="two numeric statements agree when their printed intervals overlap",
         example="“总分”多处表述不一致：二、评价结论：97.5；附件 合计：98"),
)

# every ID of the public catalogue (rules.md v1), including families added by later modules
ALL_IDS = (
    "STR001 STR002 STR003 STR004 STR005 STR006 STR007 STR008 WGT001 WGT002 WGT003 WGT004 WGT005 "
    "SCR001 SCR002 SCR003 SCR004 SCR005 SCR006 SCR007 SCR008 GRD001 GRD002 MTH001 MTH002 MTH003 MTH004 "
    "MTH005 MTH006 MTH007 BUD001 BUD002 BUD003 BUD004 BUD005 BUD006 BUD007 BUD008 BUD009 BUD010 BUD011 "
    "XST001 PLA001 PLA002 PLA003 PLA004 PLA005").split()
RULE_IDS = frozenset(ALL_IDS)

from .scoring_rules import SCORING_RULES  # noqa: E402  (MTH and PLA live in their own module)

CATALOGUE: tuple[Rule, ...] = tuple(sorted(_BASE + SCORING_RULES, key=lambda r: ALL_IDS.index(r.id)))
RULES: dict[str, Rule] = {r.id: r for r in CATALOGUE}
assert len(RULES) == len(CATALOGUE) and set(RULES) <= RULE_IDS
