"""Which evaluation template (profile) a submission follows: forced, declared, or detected — with the reason."""

from __future__ import annotations

from typing import Any

from ..parse.values import clean_text
from ..profiles import DeclaredProfileRefused, Profile, load_declared, load_profile


def detect_profile(data: dict[str, Any]) -> tuple[str, str, str]:
    """Guess the template from the table's shape: (profile name, reason zh, reason en)."""
    sections = data.get("sections") if isinstance(data.get("sections"), list) else []
    indicators = data.get("indicators") if isinstance(data.get("indicators"), list) else []
    names = {clean_text(s.get("name")) for s in sections if isinstance(s, dict)}
    names |= {clean_text(i.get("section")) for i in indicators if isinstance(i, dict)}
    codes = {clean_text(s.get("code")) for s in sections if isinstance(s, dict) and s.get("code")}
    budget = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    if codes & set("ABCDEF") and len(codes) >= 3 and any("加减分" in n for n in names):
        return ("dept-overall-105", "检测到以字母编号的一级指标（A–F）及“加减分项”，判定为部门整体 105 分模板",
                "lettered sections A–F with a 加减分项 section: department overall 105-point template")
    project_sections = {"产出指标", "效益指标"} <= names or {"产出指标", "满意度指标"} <= names
    if project_sections and _points(budget.get("weight")) == 20:
        # 预算执行情况(20分) + 年度绩效目标(80分): the provincial 20 + 80 form, not the MOF 10 + 90 one
        return ("project-20-80", "检测到产出/效益/满意度指标，且预算执行块分值为 20 分，判定为项目支出自评表（20 + 80 模板）",
                "sections 产出/效益/满意度 with a 20-point budget block: project self-evaluation form (20 + 80)")
    if {"产出指标", "效益指标"} <= names or ({"产出指标", "满意度指标"} <= names and budget.get("weight") is not None):
        return ("project-mof-100", "检测到产出/效益/满意度指标，判定为财政部项目支出自评表（100 分）",
                "sections 产出/效益/满意度 found: MOF project self-evaluation form (100 points)")
    title = clean_text(data.get("title")) if isinstance(data.get("title"), str) else ""
    if not names and "项目支出绩效自评表" in title and budget.get("weight") is not None and (
            budget.get("expenditure") is not None and budget.get("adjusted_budget") is not None):
        # the score table is cut or on another page: the title and the national form's budget block say which form
        if _points(budget.get("weight")) == 20:
            return ("project-20-80", "标题为“项目支出绩效自评表”且预算执行块分值为 20 分，判定为项目支出自评表（20 + 80 模板）",
                    "titled 项目支出绩效自评表 with a 20-point budget block: project self-evaluation form (20 + 80)")
        return ("project-mof-100", "标题为“项目支出绩效自评表”且预算执行块印有分值，判定为财政部项目支出自评表（100 分）",
                "titled 项目支出绩效自评表 with a scored budget block (分值): MOF project self-evaluation form (100 points)")
    return ("generic", "未能识别评价模板，按通用规则检查（模板相关规则不检查）",
            "template not recognised: generic checks only (template-specific rules are not checked)")


def _points(v: Any) -> float | None:
    """A printed point figure (20, "20", "20分") as a number; None for anything else."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = clean_text(v) if isinstance(v, str) else ""
    text = text.removesuffix("分").strip()
    try:
        return float(text)
    except ValueError:
        return None


def resolve_profile(data: dict[str, Any] | None, forced: Profile | None,
                    refused: list[tuple[str, str]] | None = None) -> tuple[Profile, str, str]:
    """(profile, reason zh, reason en). `--profile` always wins; a profile the file declares is taken only
    by name (built-in, or from an auditor-allowed directory: `profiles.load_declared`); a declared path is
    refused — its reason is appended to `refused` (the caller makes it a finding) — and the profile detected."""
    if forced is not None:
        return forced, "命令行指定（--profile）", "given on the command line (--profile)"
    if data is None:
        return load_profile("generic"), "文件无法读取", "file unreadable"
    declared = data.get("profile")
    if declared is not None and not isinstance(declared, str):
        declared = str(declared)
    if isinstance(declared, str) and declared.strip():
        try:
            return load_declared(declared), "文件中声明", "declared in file"
        except DeclaredProfileRefused as exc:
            if refused is not None:
                refused.append((exc.zh, exc.en))
            name, zh, en = detect_profile(data)
            return (load_profile(name), f"文件声明的模板路径不予采用；{zh}",
                    f"the profile path declared in the file is refused; {en}")
        except Exception:
            name, zh, en = detect_profile(data)
            shown = declared.strip()[:80]
            return (load_profile(name), f"文件声明的模板“{shown}”不存在；{zh}",
                    f"declared profile {shown!r} is unknown; {en}")
    name, zh, en = detect_profile(data)
    return load_profile(name), zh, en


