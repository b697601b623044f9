"""MTH (scoring method) and PLA (plausibility) rules; their measures are derived in `scoring.py`."""

from __future__ import annotations

from .base import Check, Rule

_SCORE_TOL = ("tier, all-or-nothing and schedule methods give exact points; proportional and per-unit methods "
              "are compared at the score's printed precision (at least ±0.005)")

SCORING_RULES: tuple[Rule, ...] = (
    Rule("MTH001", "score-contradicts-method", "error", "得分与评分办法不符", "Score contradicts method",
         "Recomputing the score from the parsed scoring method (评分办法) and the stated actual value gives a "
         "different score. Tiers by label, thresholds with proportional fallback, all-or-nothing, per-unit "
         "deductions, qualitative bands and execution-rate formulas are recomputed; see `budget-audit explain-method`.",
         (Check("indicators", "mth001", "{ind}：{recomputed_zh}，自评 {actual} 分",
                "{ind}: {recomputed_en}; self-assigned {actual}", location="loc_score",
                expected="mth001_expected", actual="score", tolerance="mth001_tol", indicator=True),),
         tolerance=_SCORE_TOL,
         example="B31 资产管理制度健全性：完成值「健全」按评分办法「制度健全得1分」应得 1 分，自评 0.5 分"),
    Rule("MTH002", "met-target-partial-score", "warning", "达标但未得满分", "Met target, partial score",
         "The actual meets the target under its operator (or equals it, for qualitative targets), the score is "
         "below the weight, and no deviation reason is given. Raised only where MTH001 could not decide.",
         (Check("indicators", "mth002", "{ind}：完成值 {actual_text} 已达到目标 {target_text}，得分 {actual} 低于权值 {expected}，且未说明原因",
                "{ind}: actual {actual_text} meets the target {target_text}, but the score {actual} is below the weight {expected} with no reason given",
                location="loc_score", expected="weight", actual="score", indicator=True),),
         example="B32 资产管理是否按制度执行：完成值 是 已达到目标 是，得分 0.5 低于权值 1，且未说明原因"),
    Rule("MTH003", "missed-target-full-score", "error", "未达标却得满分", "Missed target, full score",
         "The actual misses the target but the score equals the weight.",
         (Check("indicators", "mth003", "{ind}：完成值 {actual_text} 未达到目标 {target_text}，却得满分 {actual}",
                "{ind}: actual {actual_text} misses the target {target_text}, yet scores full marks {actual}",
                location="loc_score", expected="weight", actual="score", indicator=True),),
         example="C11 教学助手使用量：完成值 2900人 未达到目标 ≥3000人，却得满分 8"),
    Rule("MTH004", "method-not-checkable", "info", "评分无法机器复核", "Method not checkable",
         "The method text could not be parsed, or the actual value could not be compared with the target; the "
         "row is counted as not machine-checked (coverage is reported, never hidden).",
         (Check("indicators", "mth004", "{ind}：{mth004_reason}", "{ind}: not machine-checked ({mth004_reason_en})",
                location="loc_score", indicator=True),),
         example="F21 本年度违法违纪：评分办法为酌情扣分，无法机器复核"),
    Rule("MTH005", "unit-mismatch", "warning", "目标值与完成值单位不一致", "Unit mismatch",
         "Target and actual are in incompatible units (%, 人, 万元 …), or a numeric target got a word (\"完成\").",
         (Check("indicators", "mth005", "{ind}：目标值 {target_text} 与完成值 {actual_text} 单位不一致，无法比较",
                "{ind}: target {target_text} and actual {actual_text} are in incompatible units", location="loc_actual",
                indicator=True),),
         example="C11 教学助手使用量：目标值 ≥3000人 与完成值 95% 单位不一致，无法比较"),
    Rule("MTH006", "missing-deviation-reason", "warning", "未填写偏差原因", "Missing deviation reason",
         "The target is missed or the score is below the weight, and the template's deviation-reason field "
         "(偏差原因分析及改进措施) is empty.",
         (Check("indicators", "mth006", "{ind}：未达成目标或未得满分（得分 {actual}/{expected}），未填写偏差原因分析及改进措施",
                "{ind}: target missed or score below weight ({actual}/{expected}) and no deviation reason is given",
                location="loc_score", expected="weight", actual="score", indicator=True),),
         profiles="profiles whose form has a deviation-reason field (project-mof-100)",
         example="群众满意度：未达成目标或未得满分（得分 8/10），未填写偏差原因分析及改进措施"),
    Rule("MTH007", "score-above-proportional", "error", "得分高于按比例计算的分值", "Score above proportional",
         "A quantitative target was missed and, with no method text, the score exceeds the profile's default "
         "(proportional) score: weight × actual/target for ≥ targets, weight × target/actual for ≤ targets.",
         (Check("indicators", "mth007", "{ind}：{recomputed_zh}，自评 {actual} 分",
                "{ind}: {recomputed_en}; self-assigned {actual}", location="loc_score",
                expected="recomputed_high", actual="score", tolerance="mth007_tol", indicator=True),),
         tolerance=_SCORE_TOL,
         example="培训人数：完成值 80人 未达到目标 ≥100人，按比例应得不超过 8 分，自评 10 分"),
    Rule("PLA001", "all-full-marks", "warning", "全部指标满分", "All full marks",
         "Every non-bonus indicator has full marks (at least three scored rows): a reviewer should look.",
         (Check("submissions", "pla001", "全部 {n_indicators} 项指标均为满分，请复核自评是否客观",
                "all {n_indicators} indicators have full marks; check the self-assessment is objective",
                location="loc_total"),),
         example="全部 39 项指标均为满分，请复核自评是否客观"),
    Rule("PLA002", "ratio-above-100", "warning", "比率超过100%", "Ratio above 100%",
         "A rate / coverage / satisfaction indicator's actual, written as a percentage, exceeds 100%.",
         (Check("indicators", "pla002", "{ind}：完成值 {actual_text} 超过 100%", "{ind}: actual {actual_text} exceeds 100%",
                location="loc_actual", indicator=True),),
         example="D11 教育公共服务平台服务师生的数量：完成值 105% 超过 100%"),
    Rule("PLA003", "actuals-copy-targets", "warning", "完成值照抄目标值", "Actuals copy targets",
         "Every quantitative actual equals its target exactly (at least three quantitative rows).",
         (Check("submissions", "pla003", "全部 {n_quantitative:.0f} 项定量指标的完成值与目标值完全相同，疑似照抄",
                "all {n_quantitative:.0f} quantitative actuals equal their targets exactly", location="loc_total"),),
         example="全部 8 项定量指标的完成值与目标值完全相同，疑似照抄"),
    Rule("PLA004", "top-grade-low-execution", "warning", "执行率偏低却评为优", "Top grade, low execution",
         "The grade is the top band (优) while the execution rate is below the profile's threshold (90%).",
         (Check("submissions", "pla004", "评价等级为“{top_grade}”，但预算执行率仅 {actual}（低于 {expected}）",
                "grade {top_grade} while the execution rate is only {actual} (below {expected})",
                location="loc_grade", expected="low_threshold", actual="rate_effective", fmt="pct"),),
         example="评价等级为“优”，但预算执行率仅 82.00%（低于 90.00%）"),
    Rule("PLA005", "overachievement", "warning", "大幅超额完成", "Overachievement",
         "An actual beats its target by more than the profile's ratio (30%): the target was likely set too low "
         "(MOF asks to reduce such scores).",
         (Check("indicators", "pla005", "{ind}：完成值 {actual_text} 超出目标 {target_text} 逾 {pla005_ratio:.0%}，目标可能偏低",
                "{ind}: actual {actual_text} beats the target {target_text} by more than {pla005_ratio:.0%}; the target may be too low",
                location="loc_actual", indicator=True),),
         profiles="profiles that set `overachievement_ratio` (project-mof-100, generic); the department framework "
                  "dept-overall-105 does not ask for it",
         example="培训人次：完成值 1500人次 超出目标 ≥1000人次 逾 30%，目标可能偏低"),
)
