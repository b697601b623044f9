"""Settings of `budget-audit check` from a config file, and rule selection (`--select` / `--ignore`).

The config is the `[tool.budget-audit]` table of a `pyproject.toml`, or the top level of a
`budget-audit.toml`, in the working directory or the nearest directory above it that has one (in
each directory `budget-audit.toml` is looked at first; a `pyproject.toml` without the table is
passed over). Keys:

    profile = "dept-overall-105"        # or a profile YAML path (relative to the config file)
    fail-on = "warning"                 # error | warning | info | never
    lang = "zh"                         # zh | en
    select = ["BUD", "SCR", "MTH00"]    # rule IDs or prefixes (families); default: every rule
    ignore = ["PLA005"]
    waivers = "waivers.yaml"            # passed on as the waivers file (relative to the config file)
    [tool.budget-audit.outputs]         # written when the command line names no --format / --output
    json = "out/report.json"
    sarif = "out/report.sarif"

Command-line flags win over the file. An unknown key, an unknown rule or family, a bad value or an
unreadable file is a usage error (exit 2) with a Chinese + English message. Rules not selected are
not reported (every rule still runs: later rules read earlier ones' columns), and the report says
which rules were selected (`run.selection`), so a filtered report never reads as a full one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    import pandas as pd

CONFIG_FILES = ("budget-audit.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A config file or a --select/--ignore value the tool cannot use (exit 2)."""


class FileSettings(BaseModel):
    """What a config file may say (an unknown key is refused, never ignored)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    profile: str | None = None
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    lang: Literal["zh", "en"] | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    waivers: str | None = None
    outputs: dict[str, str] = Field(default_factory=dict)


@dataclass
class Settings:
    """The settings in force for one run: the file's, overridden by the command line."""

    profile: str | None = None
    fail_on: str = "error"
    lang: str = "zh"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: tuple[str, ...] = ()
    waivers: str | None = None
    outputs: list[tuple[str, str]] = field(default_factory=list)
    config: str | None = None

    @property
    def all_rules(self) -> bool:
        return len(self.rules) == len(_catalogue_ids())

    def run_info(self, elapsed: float | None = None) -> dict[str, Any]:
        """The `run` block of the report: how this report was made."""
        info: dict[str, Any] = {
            "fail_on": self.fail_on,
            "selection": {"select": list(self.select) or ["ALL"], "ignore": list(self.ignore),
                          "all_rules": self.all_rules, "rules": list(self.rules)},
            "config": self.config,
        }
        if self.waivers:
            info["waivers"] = self.waivers
        if elapsed is not None:
            info["elapsed_seconds"] = round(elapsed, 3)
        return info


def _catalogue_ids() -> list[str]:
    from .rules import CATALOGUE     # imported when needed: `budget-audit --help` stays light

    return [r.id for r in CATALOGUE]


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file at or above `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        for name in CONFIG_FILES:
            p = d / name
            if p.is_file() and (name != "pyproject.toml" or _table(p) is not None):
                return p
    return None


def _table(path: Path) -> dict[str, Any] | None:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取配置文件 {path} / cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件不是有效的 TOML {path} / config file {path} is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = doc.get("tool", {}).get("budget-audit")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.budget-audit] 必须是表 / [tool.budget-audit] must be a table")
        return table
    return doc


def load_file(path: Path) -> FileSettings:
    table = _table(path) or {}
    try:
        return FileSettings.model_validate(table)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"]) or "(top level)"
            if e["type"] == "extra_forbidden":
                problems.append(f"未知的配置项 / unknown key '{where}'")
            else:
                problems.append(f"'{where}': {e['msg']}")
        raise ConfigError(f"配置文件有误 {path} / invalid config {path}: " + "; ".join(problems)) from None


def _split(values: Iterable[str] | None) -> list[str]:
    """`--select BUD,SCR --select MTH00` → ["BUD", "SCR", "MTH00"]."""
    out: list[str] = []
    for v in values or ():
        out.extend(t.strip().upper() for t in str(v).split(",") if t.strip())
    return out


def select_rules(select: Iterable[str] | None, ignore: Iterable[str] | None) -> tuple[str, ...]:
    """The rule IDs a run reports: those matching a `select` prefix (all when none), minus those
    matching an `ignore` prefix. A prefix that matches no rule is an error (a typo must not
    silently select or ignore nothing)."""
    ids = _catalogue_ids()
    sel, ign = _split(select), _split(ignore)
    unknown = [t for t in sel + ign if t != "ALL" and not any(i.startswith(t) for i in ids)]
    if unknown:
        raise ConfigError(f"未知的规则编号或规则族 / unknown rule ID or family: {', '.join(unknown)}"
                          f"（规则族 / families: {', '.join(sorted({i[:3] for i in ids}))}）")
    chosen = ids if not sel or "ALL" in sel else [i for i in ids if any(i.startswith(t) for t in sel)]
    return tuple(i for i in chosen if not any(i.startswith(t) for t in ign))


def resolve(args: Any, formats: Iterable[str], cwd: Path | None = None) -> Settings:
    """The settings for `check`: the config file (found upward from `cwd`, or `--config`), then the
    command-line flags over it."""
    path: Path | None = None
    if getattr(args, "config", None):
        path = Path(args.config)
        if not path.is_file():
            raise ConfigError(f"找不到配置文件 / config file not found: {args.config}")
    elif not getattr(args, "no_config", False):
        path = find_config(cwd)
    fs = load_file(path) if path else FileSettings()
    base = path.parent if path else Path(".")

    def rel(p: str | None) -> str | None:
        if p is None:
            return None
        q = Path(p)
        return str(q if q.is_absolute() else base / q)

    profile = fs.profile
    if profile and (profile.endswith((".yaml", ".yml")) or "/" in profile):
        profile = rel(profile)
    known = set(formats)
    bad = sorted(set(fs.outputs) - known)
    if bad:
        raise ConfigError(f"配置文件 {path} 中有未知的输出格式 / unknown output format in {path}: {', '.join(bad)}"
                          f"（可用 / available: {', '.join(sorted(known))}）")
    cli_select, cli_ignore = _split(getattr(args, "select", None)), _split(getattr(args, "ignore", None))
    select = cli_select or _split(fs.select)
    ignore = cli_ignore or _split(fs.ignore)
    try:
        rules = select_rules(select, ignore)
    except ConfigError as exc:
        raise ConfigError(f"{exc}" + (f"（配置文件 / config: {path}）" if path and not (cli_select or cli_ignore) else "")) from None
    return Settings(
        profile=getattr(args, "profile", None) or profile,
        fail_on=getattr(args, "fail_on", None) or fs.fail_on or "error",
        lang=getattr(args, "lang", None) or fs.lang or "zh",
        select=select, ignore=ignore, rules=rules,
        waivers=getattr(args, "waivers", None) or rel(fs.waivers),
        outputs=[(fmt, str(rel(out))) for fmt, out in fs.outputs.items()],
        config=str(path) if path else None,
    )


def apply_selection(findings: "pd.DataFrame", rules: tuple[str, ...]) -> "pd.DataFrame":
    """Only the findings of the selected rules."""
    if findings.empty or len(rules) == len(_catalogue_ids()):
        return findings
    return findings[findings["rule"].isin(set(rules))].reset_index(drop=True)
