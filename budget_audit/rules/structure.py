"""STR — structure and input: required fields, unreadable values, codes, duplicates, unknown sections,
empty or unreadable files, the year stated differently."""

from __future__ import annotations

import pandas as pd
import numpy as np

from ..normalize import Tables
from ..numeric import is_missing
from .base import Check, flag, per_profile, rule, unchecked

#: readers of forms laid out by people: a label they do not recognise is not a missing field
FORM_READERS = frozenset({"xlsx", "text", "pdf", "docx"})
NOT_FOUND = {"单位名称": "unit", "评价年度": "year"}
NOT_FOUND_MESSAGES = {
    "unit_not_found": ("未能在文件中识别单位名称（请在表头写明“单位名称：…”），单位名称未核对",
                       "the unit name was not recognised in the file (label it \"单位名称：…\"); not checked"),
    "year_not_found": ("未能在文件中识别评价年度（标题或“（2023年度）”行），评价年度未核对",
                       "the evaluation year was not recognised in the file (title or a \"（2023年度）\" row); not checked"),
    "unit_year_not_found": ("未能在文件中识别单位名称和评价年度，未核对",
                            "neither the unit name nor the year was recognised in the file; not checked"),
}


@rule('STR001', 'missing-required-field', 'error', '缺少必填项', 'Missing required field',
      doc='A field the profile requires is absent or empty: indicator name, weight, score; unit name; year; or a required sheet/column of the workbook. Without it the row cannot be checked.',
      checks=(Check('indicators', 'str001', '{ind}：缺少{missing_fields}', '{ind}: missing {missing_fields}', location='loc_name', indicator=True),
              Check('submissions', 'str001', '缺少必填信息：{missing_fields_or_problem}', 'missing required information: {missing_fields_or_problem_en}', location='loc_problem'),),
      unchecked=NOT_FOUND_MESSAGES,
      example='C11 教学助手使用量：缺少得分')
def str001(t: Tables) -> None:
    s, ind = t.submissions, t.indicators
    if not s.empty:
        certain, not_found = [], []
        for unit, year, reader, unit_label, year_label in zip(s["unit"], s["year"], s["reader"], s["unit_label_found"],
                                                              s["year_label_found"]):
            gone = [(n, lab) for n, v, lab in (("单位名称", unit, unit_label), ("评价年度", year, year_label))
                    if is_missing(v) or str(v).strip() == ""]
            # a label printed empty, or a structured input (JSON, CSV metadata), is really missing; on a form
            # whose label this reader did not recognise, "not found" is said as info, never as an error
            sure = [n for n, lab in gone if lab or reader not in FORM_READERS]
            certain.append("、".join(sure) or None)
            not_found.append("_".join(NOT_FOUND[n] for n, lab in gone if n not in sure) or None)
        s["missing_fields"] = certain
        s["str001"] = flag(s["missing_fields"].notna() | s["reader_problems"].notna(), s["checkable"])
        s["str001_unchecked"] = pd.Series([f"{x}_not_found" if x else None for x in not_found],
                                          index=s.index).where(s["checkable"], None)
        s["missing_fields_or_problem"] = s["missing_fields"].fillna(s["reader_problems"])
        en = {"单位名称": "unit name", "评价年度": "year"}
        s["missing_fields_or_problem_en"] = s["missing_fields"].map(
            lambda m: ", ".join(en.get(x, x) for x in m.split("、")) if isinstance(m, str) else None
        ).fillna(s["reader_problems_en"])
    if not ind.empty:
        # a deduction row may leave its weight empty: it is 0
        no_name = ind["name"].isna() & ind["code"].isna()
        no_w = (ind["weight_kind"] == "missing") & (ind["kind"] != "deduction")
        no_s = ind["score_kind"] == "missing"
        # the 8 possible texts, each joined once, picked per row by its 3 flags
        texts = ["、".join(n for n, bit in (("指标名称", 4), ("权值", 2), ("得分", 1)) if k & bit) or None for k in range(8)]
        which = 4 * no_name.to_numpy(dtype=bool) + 2 * no_w.to_numpy(dtype=bool) + no_s.to_numpy(dtype=bool)
        ind["missing_fields"] = [texts[k] for k in which.tolist()]
        ind["str001"] = flag(ind["missing_fields"].notna())


@rule('STR002', 'unparseable-value', 'error', '数值无法识别', 'Unparseable value',
      doc='A numeric field holds text that cannot be read as a number (OCR damage like "IO", "88.5.1", a word where a number is due). The value is not guessed.',
      checks=(Check('indicators', 'str002', '{ind}：{unparseable_fields}“{str002_text}”不是数值', '{ind}: {unparseable_fields} {str002_text!r} is not a number', location='loc_score', indicator=True),
              Check('submissions', 'str002', '预算数据无法识别为数值：{budget_unparseable}', 'budget figures that are not numbers: {budget_unparseable}', location='loc_execution_rate'),),
      example='B11 部门预算执行率：得分“IO”不是数值')
def str002(t: Tables) -> None:
    s, ind = t.submissions, t.indicators
    if not s.empty:
        s["str002"] = flag(s["budget_unparseable"].notna(), s["checkable"])
    if not ind.empty:
        bad_w = ind["weight_kind"].isin(["invalid", "label"])
        bad_s = ind["score_kind"].isin(["invalid", "label"])
        ind["unparseable_fields"] = np.where(bad_w & bad_s, "权值、得分", np.where(bad_w, "权值", np.where(bad_s, "得分", None)))
        ind["str002"] = flag(bad_w | bad_s)
        ind["str002_text"] = np.where(bad_w, ind["weight_text"], ind["score_text"])


@rule('STR003', 'invalid-indicator-code', 'error', '指标编码不符合层级', 'Indicator code breaks the hierarchy',
      doc='A level-3 code must start with its level-2 code, which starts with its section letter (A → A1 → A11).',
      checks=(Check('indicators', 'str003', '{ind}：编码“{code}”与所属一级指标“{section}”/二级指标“{group}”不符', '{ind}: code {code!r} does not fit section {section!r} / group {group!r}', location='loc_code', indicator=True),),
      profiles='profiles with lettered codes (dept-overall-105, generic when codes are present)',
      example='A21 中长期规划明确性：编码“A21”与所属一级指标“B”/二级指标“B2”不符')
def str003(t: Tables) -> None:
    ind = t.indicators
    code, group, section = ind["code"].fillna(""), ind["group"].fillna(""), ind["section"].fillna("")
    codes_l, groups_l, sections_l = code.tolist(), group.tolist(), section.tolist()
    has_code = (code != "") & (per_profile(t, ind, lambda p: p.codes) != "none")
    group_is_code = group.str.match(r"^[A-Z][0-9]+\Z")
    section_is_code = section.str.match(r"^[A-Z]\Z")
    code_ok = code.str.match(r"^[A-Z][0-9]{2,}\Z")
    under_group = pd.Series([c.startswith(g) and len(c) > len(g) for c, g in zip(codes_l, groups_l)], index=ind.index)
    under_section = pd.Series([c.startswith(s_) for c, s_ in zip(codes_l, sections_l)], index=ind.index)
    group_under_section = pd.Series([g.startswith(s_) for g, s_ in zip(groups_l, sections_l)], index=ind.index)
    bad = ~code_ok | (group_is_code & ~under_group) | (section_is_code & ~under_section) | (
        group_is_code & section_is_code & ~group_under_section)
    ind["str003"] = flag(bad, has_code)


@rule('STR004', 'duplicate-indicator', 'error', '指标重复', 'Duplicate indicator',
      doc='Two rows carry the same indicator code (or, without codes, the same section + group + name); the second would be counted twice in every sum. Rows with neither code nor name are not compared: they are not known to be one indicator (each is a STR001, no name).',
      checks=(Check('indicators', 'str004', '{ind}：指标重复出现', '{ind}: the indicator appears more than once', location='loc_code', indicator=True),),
      example='A11 决策制度的规范性：指标重复出现')
def str004(t: Tables) -> None:
    ind = t.indicators
    named = (ind["code"].notna() | ind["name"].notna()).to_numpy()
    dup = ind.duplicated(["submission_id", "indicator_key"], keep=False).to_numpy() & named
    ind["str004"] = flag(dup, ind["indicator_key"].notna() & named)


@rule('STR005', 'unknown-section', 'error', '一级指标不属于模板', 'Unknown section',
      doc="An indicator's section is not one the profile defines.",
      checks=(Check('indicators', 'str005', '{ind}：一级指标“{section}”不在评价模板 {profile} 中', '{ind}: section {section!r} is not defined by profile {profile}', location='loc_name', indicator=True),),
      profiles='profiles that define sections (dept-overall-105, project-mof-100)',
      example='G11 其他：一级指标“G”不在评价模板 dept-overall-105 中')
def str005(t: Tables) -> None:
    ind = t.indicators
    known = {name: {k for k, _ in p.section_keys().values()} for name, p in t.profiles.items()}
    has_sections = per_profile(t, ind, lambda p: bool(p.sections))
    is_known = pd.Series([sec in known[p] for sec, p in zip(ind["section"].tolist(), ind["profile"].tolist())],
                         index=ind.index)
    ind["str005"] = flag(~is_known, has_sections & ind["section"].notna())


@rule('STR006', 'empty-submission', 'error', '没有评分指标', 'Empty submission',
      doc='The submission holds no scored indicator rows.',
      checks=(Check('submissions', 'str006', '未找到任何评分指标行', 'no scored indicator rows were found', location='loc_problem'),),
      unchecked={"no_table": ("报告中没有指标得分表：只核对了正文中的数字", "the report holds no score table: only the figures of its text were checked")},
      example='未找到任何评分指标行')
def str006(t: Tables) -> None:
    s = t.submissions
    narrative_only = s["narrative_only"].fillna(False).astype(bool)   # a report without its score table
    s["str006"] = flag(s["n_indicators"] == 0, s["checkable"] & ~narrative_only)
    s["str006_unchecked"] = unchecked(s["checkable"] & narrative_only & (s["n_indicators"] == 0), "no_table")


@rule('STR007', 'unreadable-input', 'error', '文件无法读取', 'Unreadable input',
      doc='The file cannot be opened or parsed at all (corrupt, encrypted, wrong encoding, not a table). The submission still appears in the report, with status `unreadable`.',
      checks=(Check('submissions', 'str007', '文件无法读取：{reader_problems}', 'unreadable input: {reader_problems_en}', location='loc_problem'),),
      example='文件无法读取：不是有效的 Excel 工作簿')
def str007(t: Tables) -> None:
    s = t.submissions
    s["str007"] = flag(s["unreadable"])


@rule('STR008', 'year-mismatch', 'warning', '评价年度不一致', 'Year mismatch',
      doc='The evaluation year differs between places (metadata, title).',
      checks=(Check('submissions', 'str008', '评价年度不一致：填报 {year}，标题中为 {title_year:.0f}', 'the year differs: {year} in the metadata, {title_year:.0f} in the title', location='loc_year', expected='title_year', actual='year_num'),),
      example='评价年度不一致：填报 2023，标题中为 2022')
def str008(t: Tables) -> None:
    s = t.submissions
    s["year_num"] = pd.to_numeric(s["year"].astype(str).str.extract(r"(20[0-9]{2})")[0], errors="coerce")
    s["str008"] = flag(s["year_num"] != s["title_year"], s["year_num"].notna() & s["title_year"].notna())


@rule('STR010', 'duplicate-key', 'error', 'JSON 键重复', 'Duplicate key',
      doc='A JSON object repeats a key: a JSON parser keeps only the later value, so the earlier one would '
          'silently vanish. The finding names the key and the object it is repeated in; which value is meant '
          'is for the submitter to say.',
      checks=(Check('submissions', 'str010', 'JSON 键重复：{duplicate_keys}', 'duplicate JSON key: {duplicate_keys_en}',
                    location='loc_duplicate_keys'),),
      example='JSON 键重复：键“score”在 indicators[3] 中出现多次（只保留了最后一个值）')
def str010(t: Tables) -> None:
    s = t.submissions
    s["str010"] = flag(s["duplicate_keys"].notna())


@rule('STR011', 'scanned-document', 'error', '扫描件无法检查', 'Scanned document',
      doc='A PDF page has no text layer (a scan or a photo of the report): nothing on it can be checked until the '
          'source file is given or the page is OCR\'d. A document that is all scan is never "passed".',
      checks=(Check('submissions', 'str011', '{scan_problems}', '{scan_problems_en}', location='loc_scan_problems'),),
      example='第 1、2 页没有文字层（扫描件），无法检查；请提供原始文件或先做文字识别（OCR）')
def str011(t: Tables) -> None:
    s = t.submissions
    s["str011"] = flag(s["scan_problems"].notna())


@rule('STR012', 'skipped-file', 'info', '文件未检查（类型不支持）', 'Skipped file',
      doc='A file in a folder is not of a kind the suite reads (an image, an archive, a WPS file, an Office lock '
          'file). It is listed with the reason, so that nothing in a folder silently vanishes.',
      checks=(Check('submissions', 'str012', '未检查：{skip_reason}', 'not checked: {skip_reason_en}',
                    location='loc_skip_reason'),),
      example='未检查：图片文件，不是报告或表格（扫描件请先做文字识别）')
def str012(t: Tables) -> None:
    s = t.submissions
    s["str012"] = flag(s["skipped"])


@rule('STR009', 'no-weight-column', 'info', '表中没有权值列', 'No weight column',
      doc='The form prints no weights (or no scores): e.g. 20 + 80 project forms where the section points are in '
          'header labels and only scores are printed. Rules that need the missing figures are not applicable; '
          'this is said once for the form, not as an error on every row.',
      checks=(Check('submissions', 'str009', '{layout_notes}', '{layout_notes_en}', location='loc_layout_notes'),),
      example='工作表“Sheet1”没有权值（分值）列：需要权值（分值）的规则不适用')
def str009(t: Tables) -> None:
    s = t.submissions
    s["str009"] = flag(s["layout_notes"].notna(), s["checkable"])
