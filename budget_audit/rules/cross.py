"""XSB — cross-submission checks: what only a batch can see (warnings for reviewers).

Every other rule reads one submission; these compare the submissions of a run with each other
through three fingerprints per submission (`fingerprints`):

- ``content``    the file's sha256 plus the entry's position inside the file (``<sha256>#<n>`` for the
  n-th submission of a multi-submission file): equal only for byte-identical files (XSB001);
- ``indicators`` a hash of the indicator table in row order — section, group, code, name, operator,
  target, unit, actual, weight and score as printed (XSB002);
- ``figures``    a hash of the figures — the budget amounts and rates, the stated total, and each
  indicator's actual and score (XSB003).

A fingerprint is None where it means nothing (an unreadable or skipped file; an indicator table
with fewer than `MIN_ROWS` rows or with no actual/score at all, e.g. a blank template; fewer than
`MIN_FIGURES` figures), and such a submission is never matched.

Chunked runs: the hashes are deterministic (pandas' fixed-key row hash, then sha256), so a run that
checks its inputs in chunks can compute `fingerprints(tables)` per chunk, concatenate the frames
(they are small: one row per submission) and call `cross_matches(all_fingerprints)` once to get,
for every submission of the whole run, the other submissions it matches under each rule — exactly
what the measures below compute over the canonical tables of a single-pass run.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from ..normalize import AMOUNT_KEYS, RATE_KEYS, Tables
from .base import Check, rule

MIN_ROWS = 3        # an indicator table this short matches by coincidence too easily
MIN_FIGURES = 3     # a submission stating fewer figures than this has nothing to be "unchanged"
MAX_NAMED = 3       # a message names at most this many other submissions

IND_FIELDS = ("section", "group", "code", "name", "operator", "target_text", "unit", "actual_text",
              "weight_text", "score_text")
FIGURE_FIELDS = ("name", "actual_text", "score_text")
FP_COLUMNS = ["submission_id", "source", "source_file", "unit_key", "year", "content", "indicators", "figures"]

_WS = re.compile(r"\s+")


def _row_hashes(df: pd.DataFrame, cols: tuple[str, ...]) -> np.ndarray:
    """A uint64 per row over the columns as whitespace-free text ('' for missing, so 2 and ' 2' hash alike).
    Each distinct value is cleaned and hashed once (pandas' fixed-key hash: the same in every process),
    then the columns are combined per row in numpy."""
    h = np.zeros(len(df), dtype=np.uint64)
    # categorize=False: the values are distinct texts already (no missing), and hash_array's default
    # factorizes them again first (~1 ms a call: ~13 calls of every chunk); the hashes are the same
    empty = pd.util.hash_array(np.array([""], dtype=object), categorize=False)[0]
    for c in cols:
        if c in df.columns:
            codes, uniques = pd.factorize(df[c], use_na_sentinel=True)
            clean = np.array([_WS.sub("", str(u)) for u in uniques] + [""], dtype=object)
            col = pd.util.hash_array(clean, categorize=False)[codes]          # code -1 (missing) → the trailing ""
        else:
            col = np.full(len(df), empty, dtype=np.uint64)
        h = (h * np.uint64(1_000_003)) ^ col
    return h


def _table_hash(df: pd.DataFrame, cols: tuple[str, ...]) -> pd.Series:
    """submission_id → sha256 over the row hashes of its rows, in table order."""
    if df.empty:
        return pd.Series(dtype=object)
    rows = _row_hashes(df, cols)
    codes, names = pd.factorize(df["submission_id"])
    order = np.argsort(codes, kind="stable")
    codes, rows = codes[order], rows[order]
    cuts = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(codes)]
    return pd.Series([hashlib.sha256(rows[a:b].tobytes()).hexdigest() for a, b in zip(starts, ends)],
                     index=np.asarray(names, dtype=object)[codes[starts]], dtype=object)


def _unit_key(unit: Any) -> str | None:
    if unit is None or (isinstance(unit, float) and np.isnan(unit)):
        return None
    key = _WS.sub("", str(unit))
    return key or None


def fingerprints(t: Tables) -> pd.DataFrame:
    """One row per submission of `t`: submission_id, source, source_file, unit_key, year and the three
    fingerprints (content, indicators, figures), None where a fingerprint means nothing. Combinable
    across the chunks of a run (see the module docstring)."""
    s, ind = t.submissions, t.indicators
    if s.empty:
        return pd.DataFrame(columns=FP_COLUMNS)
    ok = s["checkable"].astype(bool) if "checkable" in s else pd.Series(True, index=s.index)
    source = s["source"].astype(str)
    source_file = source.str.replace(r"#[0-9]+$", "", regex=True)
    entry = source.str.extract(r"#([0-9]+)$")[0].fillna("0")
    content = pd.Series([f"{h}#{e}" if isinstance(h, str) and h and not bad else None
                         for h, e, bad in zip(s["sha256"], entry, s["unreadable"].astype(bool))],
                        index=s.index, dtype=object)

    # indicator table: enough rows, and something filled in (a blank template is not a copy)
    if len(ind):
        filled = (ind["actual_text"].notna() | ind["score_text"].notna()).groupby(ind["submission_id"]).sum()
        n_rows = ind.groupby("submission_id").size()
        ind_hash = _table_hash(ind, IND_FIELDS)
        fig_rows = _table_hash(ind, FIGURE_FIELDS)
        n_fig_rows = (ind["actual_text"].notna().astype(int) + ind["score_text"].notna().astype(int)
                      ).groupby(ind["submission_id"]).sum()
    else:
        filled = n_rows = n_fig_rows = pd.Series(dtype=float)
        ind_hash = fig_rows = pd.Series(dtype=object)
    sid = s["submission_id"]
    has_table = (sid.map(n_rows).fillna(0) >= MIN_ROWS) & (sid.map(filled).fillna(0) > 0)
    indicators = sid.map(ind_hash).where(has_table & ok)

    keys = [k for k in (*AMOUNT_KEYS, *RATE_KEYS, "stated_total") if k in s.columns]
    nums = s[keys].apply(pd.to_numeric, errors="coerce").round(6) if keys else pd.DataFrame(index=s.index)
    n_figures = nums.notna().sum(axis=1) + sid.map(n_fig_rows).fillna(0)
    budget_hash = pd.util.hash_pandas_object(nums.astype(str), index=False).astype(str) if keys else ""
    figures = pd.Series([hashlib.sha256(f"{b}|{r if isinstance(r, str) else ''}".encode()).hexdigest() for b, r in
                         zip(budget_hash, sid.map(fig_rows))], index=s.index, dtype=object)
    figures = figures.where((n_figures >= MIN_FIGURES) & ok)
    year = pd.to_numeric(s["year"].astype(str).str.extract(r"(20[0-9]{2})")[0], errors="coerce")
    return pd.DataFrame({"submission_id": sid, "source": source, "source_file": source_file,
                         "unit_key": s["unit"].map(_unit_key), "year": year, "content": content.where(ok),
                         "indicators": indicators, "figures": figures}).reset_index(drop=True)


class Match(list):
    """The other submissions a submission matches: the first `MAX_NAMED` positions (a list) and `n`, how many."""

    n: int = 0


def _matches(fp: pd.DataFrame, key: pd.Series, differs: str) -> list[Match]:
    """For each row: the other rows with the same key whose `differs` column differs (both known).
    Linear in the group sizes: a template many units hand in unchanged makes one big group."""
    out = [Match() for _ in range(len(fp))]
    k = key.reset_index(drop=True)
    dup = k.notna() & k.duplicated(keep=False)
    if not dup.any():
        return out
    other = fp[differs].tolist()       # element by element below: a list, not Series lookups
    for _, pos in k[dup].groupby(k[dup]).groups.items():
        firsts: dict[Any, list[int]] = {}          # value → its first MAX_NAMED positions
        sizes: dict[Any, int] = {}
        for i in pos:
            v = other[i]
            if pd.isna(v):
                continue
            sizes[v] = sizes.get(v, 0) + 1
            if len(firsts.setdefault(v, [])) < MAX_NAMED:
                firsts[v].append(i)
        if len(sizes) < 2:
            continue
        known = sum(sizes.values())
        for i in pos:
            v = other[i]
            if pd.isna(v):
                continue
            m = Match()
            for w, ps in firsts.items():
                if w != v:
                    m.extend(ps[:MAX_NAMED - len(m)])
                    if len(m) >= MAX_NAMED:
                        break
            m.n = known - sizes[v]
            out[i] = m
    return out


def cross_matches(fp: pd.DataFrame) -> pd.DataFrame:
    """Over the fingerprints of a whole run: per submission, whom it matches under each XSB rule
    (columns ``xsb001``/``xsb002``/``xsb003``: a `Match` each — the first positions in `fp` of the
    submissions it matches, and `.n`, how many there are; empty when none)."""
    fp = fp.reset_index(drop=True)
    return pd.DataFrame({
        "submission_id": fp["submission_id"],
        "xsb001": _matches(fp, fp["content"], "source_file"),               # byte-identical, another file
        "xsb002": _matches(fp, fp["indicators"], "unit_key"),               # identical table, another unit
        "xsb003": _matches(fp, pd.Series([f"{u}|{h}" if isinstance(u, str) and isinstance(h, str) else None
                                          for u, h in zip(fp["unit_key"], fp["figures"])], dtype=object), "year"),
    })


def _who(cols: tuple, positions: list[int], with_unit: bool) -> str:
    """The submissions at `positions` as a message names them; `cols`: the submission_id, unit_key and year
    columns of the fingerprints, as lists (`tolist()`: read element by element, a Series or array is slow)."""
    ids, units, years = cols
    names = []
    total = getattr(positions, "n", 0) or len(positions)
    for j in positions[:MAX_NAMED]:
        bits = [str(ids[j])]
        if with_unit and units[j]:
            bits.append(str(units[j]))
        if not with_unit and pd.notna(years[j]):
            bits.append(f"{int(years[j])}")
        names.append(" ".join(bits))
    return "、".join(names) + (f" (+{total - len(names)})" if total > len(names) else "")


_LAST: list = []   # [weakref to the submissions frame, fingerprints, matches or None]: the three rules share one pass
_RUN_WIDE: list[bool] = []   # non-empty inside `matched_run_wide()`


def measure_columns(fp: pd.DataFrame, m: pd.DataFrame, rid: str, rows: Sequence[int] | None = None) -> dict[str, Any]:
    """The columns rule `rid` writes on the submissions whose fingerprints are `fp` (rows in `fp` order), given
    the run's matches `m` (`cross_matches`): `<rid>` (1.0 matched, 0.0 not, NaN no fingerprint), `<rid>_with`
    (whom) and `xsb_loc`. The one definition for a single-pass run (below) and a chunked one (report.crossrun,
    which asks only for the matched `rows`: a run's other submissions need no message text)."""
    col = {"xsb001": "content", "xsb002": "indicators", "xsb003": "figures"}[rid]
    with_unit = rid != "xsb003"
    known = fp[col].notna().to_numpy().copy()
    if rid == "xsb002":
        known &= fp["unit_key"].notna().to_numpy()
    if rid == "xsb003":
        known &= fp["unit_key"].notna().to_numpy() & fp["year"].notna().to_numpy()
    matches = m[rid].to_numpy()
    idx = np.arange(len(fp)) if rows is None else np.asarray(rows, dtype=int)
    hit = np.array([bool(matches[i]) for i in idx], dtype=bool)
    files = fp["source_file"].to_numpy()
    who_cols = (fp["submission_id"].tolist(), fp["unit_key"].tolist(), fp["year"].tolist())
    out = {rid: np.where(known[idx], hit.astype(float), np.nan),
           f"{rid}_with": [_who(who_cols, matches[i], with_unit) if matches[i] else None for i in idx],
           "xsb_loc": [{"file": files[i]} for i in idx]}
    if rid == "xsb003":     # the year as the messages print it (as `_who` names the other's): 2023, whatever the column's dtype
        years = fp["year"].to_numpy()
        out["xsb_year"] = [f"{int(years[i])}" if pd.notna(years[i]) else None for i in idx]
    return out


def run_fingerprints(t: Tables) -> pd.DataFrame:
    """`fingerprints(t)`, from the pass the three rules shared when they measured `t` (else computed)."""
    s = t.submissions
    if not (_LAST and _LAST[0]() is s and len(_LAST[1]) == len(s)):
        _LAST[:] = [weakref.ref(s), fingerprints(t), None]
    return _LAST[1]


@contextmanager
def matched_run_wide() -> Iterator[None]:
    """Inside, the XSB measures only fingerprint the submissions (kept for `last_pass`) and leave their
    columns NaN: for a chunk of a batch, whose caller matches the fingerprints of the whole run once
    (`report.crossrun`) and drops the chunk's own XSB findings. Matching the chunk within itself and
    rendering those findings (every copy of a file named in a message) was work thrown away."""
    _RUN_WIDE.append(True)
    try:
        yield
    finally:
        _RUN_WIDE.pop()


def forget_pass() -> None:
    """Drop the kept pass: a later `last_pass()` can then only return one measured after this call."""
    _LAST.clear()


def last_pass() -> pd.DataFrame | None:
    """The fingerprints of the last pass the XSB rules measured (None if none since `forget_pass`)."""
    return _LAST[1] if _LAST else None


def _measure(t: Tables, rid: str, with_unit: bool) -> None:
    """Write `<rid>` (1.0 matched, 0.0 not, NaN no fingerprint), `<rid>_with` (whom) and `xsb_loc`."""
    s = t.submissions
    fp = run_fingerprints(t)
    if _RUN_WIDE:              # matched over the whole run by the caller (`matched_run_wide`)
        s[rid] = np.nan
        return
    if _LAST[2] is None:
        _LAST[2] = cross_matches(fp)
    for name, values in measure_columns(fp, _LAST[2], rid).items():
        s[name] = values


@rule("XSB001", "duplicate-submission", "warning", "重复提交", "Duplicate submission",
      doc="The same file content (byte-identical, same sha256) is submitted as two submissions of one batch, "
          "from two different files (under two units or ids). The n-th entry of a multi-submission file is "
          "compared with the n-th entry of the other file; entries of one file are not compared by content "
          "(XSB002 and XSB003 compare their tables).",
      checks=(Check("submissions", "xsb001", "文件内容与 {xsb001_with} 完全相同（同一 sha256），疑似重复提交",
                    "the file content is identical to {xsb001_with} (same sha256): a duplicate submission?",
                    location="xsb_loc"),),
      profiles="all profiles; compares the submissions of one run",
      example="文件内容与 unit-b 完全相同（同一 sha256），疑似重复提交")
def xsb001(t: Tables) -> None:
    _measure(t, "xsb001", with_unit=True)


@rule("XSB002", "copied-indicator-table", "warning", "指标表雷同", "Copied indicator table",
      doc=f"Two units' indicator tables are identical row for row — names, targets, actuals, weights and scores "
          f"as printed. Shared names and targets are normal (a common template); identical actuals and scores "
          f"across units suggest a copied table. Needs at least {MIN_ROWS} rows with something filled in "
          f"(blank templates are not compared).",
      checks=(Check("submissions", "xsb002", "指标表（名称、目标值、完成值、得分）与其他单位 {xsb002_with} 完全相同，疑似照抄",
                    "the indicator table (names, targets, actuals, scores) is identical to another unit's: "
                    "{xsb002_with}", location="xsb_loc"),),
      profiles="all profiles; compares the submissions of one run",
      example="指标表（名称、目标值、完成值、得分）与其他单位 b 某县乙单位 完全相同，疑似照抄")
def xsb002(t: Tables) -> None:
    _measure(t, "xsb002", with_unit=True)


@rule("XSB003", "unchanged-across-years", "warning", "跨年度数据未变", "Unchanged across years",
      doc=f"One unit's figures for two different years in the batch are identical: every budget amount and rate, "
          f"the stated total, and each indicator's actual and score (at least {MIN_FIGURES} figures). A report "
          f"re-used from the year before with only the year changed.",
      checks=(Check("submissions", "xsb003", "本单位 {xsb_year} 年度的各项数据与 {xsb003_with} 年度完全相同，疑似沿用往年报告",
                    "this unit's figures for {xsb_year} are identical to those of {xsb003_with}: last year's report re-used?",
                    location="xsb_loc"),),
      profiles="all profiles; compares the submissions of one run",
      example="本单位 2023 年度的各项数据与 b 2022 年度完全相同，疑似沿用往年报告")
def xsb003(t: Tables) -> None:
    _measure(t, "xsb003", with_unit=False)
