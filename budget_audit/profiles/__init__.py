"""Evaluation templates (评价模板) as validated data.

A profile carries every template number the rules need (totals, section weights, bonus cap and
schedule, grade bands, the execution-rate formula). Rules never hard-code them. Built-in profiles
live beside this file as YAML; users may pass a path to their own. A broken profile raises
`ProfileError` (the CLI turns it into exit code 2) — it must never yield an "all passed" run.
"""

from __future__ import annotations

import math
import os
import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

HERE = Path(__file__).parent
BUILTIN = ("dept-overall-105", "project-mof-100", "project-20-80", "generic")
GENERIC = "generic"   # the profile of an unknown template: template rules say "not checked"
SEVERITIES = ("error", "warning", "info")


class ProfileError(Exception):
    """The profile cannot be found or is invalid."""


class DeclaredProfileRefused(ProfileError):
    """A submission named a profile by path (or outside the allowed directories): the auditor decides
    the rules, never the submission. Carries the zh/en reason for the finding."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


#: directories of auditor profiles that a submission may name (by name, never by path):
#: `check --profile-dir DIR` and/or this environment variable (os.pathsep-separated)
PROFILE_DIRS_ENV = "BUDGET_AUDIT_PROFILE_DIRS"
_profile_dirs: list[Path] = []
_NAME_RX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def allow_profile_dirs(dirs: list[str | Path] | None) -> None:
    """Set the auditor's profile directories (CLI --profile-dir); the environment variable adds to them."""
    _profile_dirs[:] = [Path(d) for d in dirs or []]


def profile_dirs() -> list[Path]:
    env = [Path(d) for d in os.environ.get(PROFILE_DIRS_ENV, "").split(os.pathsep) if d.strip()]
    return [*_profile_dirs, *env]


def load_declared(name: str) -> Profile:
    """The profile a submission names: a built-in name, or `<name>.yaml` in an auditor-allowed directory.

    A path (or anything that is not a plain name) raises `DeclaredProfileRefused`; an unknown name
    raises ProfileError. The submission never chooses a file."""
    name = name.strip()
    if not _NAME_RX.fullmatch(name) or ".." in name or name.lower().endswith((".yaml", ".yml")):
        raise DeclaredProfileRefused(
            f"文件中声明的评价模板“{name[:80]}”是文件路径或不是模板名称，不予采用（评价规则由审核方决定：只接受内置模板名称，"
            f"或审核方用 --profile-dir 允许的目录中的模板名称）",
            f"the profile declared in the file ({name[:80]!r}) is a path or not a profile name and is refused (the auditor "
            f"decides the rules: only a built-in profile name, or the name of one in a --profile-dir the auditor allows)")
    if name in BUILTIN:
        return load_profile(name)
    for d in profile_dirs():
        for ext in (".yaml", ".yml"):
            p = d / f"{name}{ext}"
            if p.is_file():
                return load_profile(p)
    raise ProfileError(f"unknown profile {name!r}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Model):
    code: str | None = None
    names: list[str]
    kind: Literal["normal", "bonus", "deduction"] = "normal"
    weight: float | None = Field(default=None, ge=0)


class Section(_Model):
    code: str | None = None
    names: list[str] = Field(min_length=1)
    weight: float = Field(ge=0)
    kind: Literal["normal", "bonus", "deduction"] = "normal"
    groups: list[Group] = []


class Bonus(_Model):
    cap: float = Field(gt=0)
    schedule: list[float] = []
    counts_toward_grade: bool = True


class Deductions(_Model):
    written_as: Literal["negative", "positive"] = "negative"


class GradeBand(_Model):
    grade: str
    min: float


class ExecutionRate(_Model):
    numerator: str = "expenditure"
    denominator: str = "adjusted_budget"
    indicator_names: list[str] = []
    low_threshold: float = Field(default=0.9, gt=0, le=1)
    score_formula: Literal["weight_times_rate"] | None = None


class BudgetBlock(_Model):
    name: str
    weight: float = Field(gt=0)


class Tolerance(_Model):
    allow_truncation: bool = False


class Detect(_Model):
    lettered_sections: bool = False
    section_names: list[str] = []
    budget_block: bool = False


class RuleOverride(_Model):
    enabled: bool = True
    severity: Literal["error", "warning", "info"] | None = None


class Profile(_Model):
    name: str = Field(min_length=1)
    title: dict[str, str] = {}
    version: int = 1
    total_weight: float | None = Field(default=None, gt=0)
    base_total: float | None = Field(default=None, gt=0)
    sections: list[Section] = []
    section_weights_are_guidance: bool = False
    budget_block: BudgetBlock | None = None
    bonus: Bonus | None = None
    deductions: Deductions | None = None
    grade_bands: list[GradeBand] = Field(min_length=1)
    execution_rate: ExecutionRate = ExecutionRate()
    codes: Literal["lettered", "none", "any"] = "any"
    default_method: Literal["mof"] = "mof"
    tolerance: Tolerance = Tolerance()
    deviation_reason_field: bool = False         # the form has 偏差原因分析及改进措施 (MTH006 applies)
    overachievement_ratio: float | None = Field(default=None, gt=0)   # PLA005: actual beats target by more
    detect: Detect = Detect()
    rules: dict[str, RuleOverride] = {}
    source: str = ""  # where it was loaded from (set by the loader)

    @field_validator("grade_bands")
    @classmethod
    def _bands_descending(cls, bands: list[GradeBand]) -> list[GradeBand]:
        mins = [b.min for b in bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grade_bands must be listed from the highest band down, with distinct minimums")
        return bands

    @model_validator(mode="after")
    def _consistent(self) -> "Profile":
        if self.sections:
            total = sum(s.weight for s in self.sections) + (self.budget_block.weight if self.budget_block else 0)
            if self.total_weight is not None and abs(total - self.total_weight) > 1e-9:
                raise ValueError(f"section weights sum to {total:g}, but total_weight is {self.total_weight:g}")
            keys = [k for s in self.sections for k in [s.code, *s.names] if k]
            if len(keys) != len(set(keys)):
                raise ValueError("section codes/names must be unique")
        has_bonus_group = any(g.kind == "bonus" for s in self.sections for g in s.groups) or any(
            s.kind == "bonus" for s in self.sections)
        if has_bonus_group and self.bonus is None:
            raise ValueError("a bonus section/group is defined but no `bonus:` block (cap) is given")
        if self.base_total is not None and self.total_weight is not None and self.base_total > self.total_weight:
            raise ValueError("base_total cannot exceed total_weight")
        return self   # rule IDs under `rules:` are checked against the catalogue by `rules.check_profile`

    # ---- lookups used by normalize -------------------------------------------------------
    @property
    def deduction_sign(self) -> float:
        """+1 when deduction rows carry negative scores (added as they are); −1 when they are written as
        positive amounts to subtract."""
        return -1.0 if self.deductions is not None and self.deductions.written_as == "positive" else 1.0

    def section_keys(self) -> dict[str, tuple[str, str]]:
        """Every accepted spelling (code or name) → (canonical section key, kind)."""
        out: dict[str, tuple[str, str]] = {}
        for s in self.sections:
            key = s.code or s.names[0]
            for k in [s.code, *s.names, *[(s.code or "") + n for n in s.names]]:
                if k:
                    out[k] = (key, s.kind)
        return out

    def group_kinds(self) -> dict[str, str]:
        """Group code or name → kind (bonus/deduction) for groups the profile marks."""
        out: dict[str, str] = {}
        for s in self.sections:
            for g in s.groups:
                for k in [g.code, *g.names, *[(g.code or "") + n for n in g.names]]:
                    if k:
                        out[k] = g.kind
        return out

    def grade_for(self, total: float) -> str:
        for band in self.grade_bands:
            if total >= band.min - 1e-9:
                return band.grade
        return self.grade_bands[-1].grade

    def band_min(self, grade: str) -> float | None:
        for band in self.grade_bands:
            if band.grade == grade:
                return band.min
        return None


def _format_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a built-in profile by name, or a user profile from a YAML path."""
    key = str(name_or_path)
    return _load_cached(key)


@cache
def _load_cached(key: str) -> Profile:
    path = HERE / f"{key}.yaml" if key in BUILTIN else Path(key)
    if not path.is_file():
        raise ProfileError(
            f"未知的评价模板（profile）：{key}；内置模板为 {', '.join(BUILTIN)}，或给出 YAML 文件路径 / "
            f"unknown profile {key!r}: built-ins are {', '.join(BUILTIN)}, or pass a YAML file path")
    try:
        text = path.read_text(encoding="utf-8")
        refuse_alias_bomb(text, str(path))
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProfileError(f"评价模板文件无法解析 / profile file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"评价模板文件内容必须是映射 / profile file {path} must contain a mapping")
    data.setdefault("source", str(path))
    bad = _non_finite(data)
    if bad:
        raise ProfileError(f"评价模板中有非有限数值（inf/NaN）/ invalid profile {path}: {bad}: numbers must be finite")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"评价模板无效 / invalid profile {path}: {_format_error(exc)}") from exc


def _non_finite(x, where: str = "") -> str | None:
    """The path of the first inf/NaN number in a loaded YAML document (None when all are finite)."""
    if isinstance(x, float) and not math.isfinite(x):
        return where or "(top level)"
    if isinstance(x, dict):
        for k, v in x.items():
            hit = _non_finite(v, f"{where}.{k}" if where else str(k))
            if hit:
                return hit
    elif isinstance(x, list):
        for i, v in enumerate(x):
            hit = _non_finite(v, f"{where}[{i}]")
            if hit:
                return hit
    return None


class AliasBomb(yaml.YAMLError):
    pass


def refuse_alias_bomb(text: str, name: str, limit: int | None = None) -> None:
    """Raise AliasBomb when a YAML text uses more aliases (*ref) than the `yaml_aliases` limit, or when its
    aliases would expand it to more than `yaml_nodes` values: a "billion laughs" document (nine aliases per
    level, nine levels) is refused before anything is built or walked. The node graph is composed once
    (aliases stay shared) and its expanded size counted with memoisation."""
    from ..limits import current

    lim = current()
    limit = lim.yaml_aliases if limit is None else limit
    if "*" not in text:
        return
    n = 0
    for tok in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(tok, yaml.AliasToken):
            n += 1
            if n > limit:
                raise AliasBomb(f"{name}: more than {limit} YAML aliases (limit yaml_aliases)")
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    sizes: dict[int, int] = {}

    def size(node) -> int:          # iterative post-order over the DAG, memoised by node identity
        stack = [(node, False)]
        while stack:
            nd, done = stack.pop()
            if id(nd) in sizes:
                continue
            kids = []
            if isinstance(nd, yaml.SequenceNode):
                kids = list(nd.value)
            elif isinstance(nd, yaml.MappingNode):
                kids = [x for kv in nd.value for x in kv]
            if done or not kids:
                total = 1 + sum(sizes.get(id(k), 0) for k in kids)
                sizes[id(nd)] = total
                if total > lim.yaml_nodes:
                    raise AliasBomb(f"{name}: its aliases expand it to more than {lim.yaml_nodes} values "
                                    f"(limit yaml_nodes)")
            else:
                stack.append((nd, True))
                stack.extend((k, False) for k in kids if id(k) not in sizes)
        return sizes[id(node)]

    if root is not None:
        size(root)
