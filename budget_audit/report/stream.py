"""Streamed reports: a batch's per-submission entries written as they arrive, memory bounded by a chunk.

`budget_audit.batch` hands every report entry (one submission, exactly as `build_report` makes it)
to each sink in input order, then calls `finish(summary)`. Nothing here holds the whole batch:

- `Overview`       running counts (the report's `summary`), the most frequent rules and the files with
                   the most errors: all the console overview needs;
- `JsonSink`       the JSON report, byte for byte `to_json(build_report(...))`, written incrementally;
- `ConsoleSink`    a single submission lists every finding; a batch (> 1 submission) prints the
                   overview, and every finding only with `verbose` (then the text is today's `console`);
- `CollectSink`    any other registered format (junit, xlsx …): the entries are collected and the format's
                   writer runs once at the end (memory grows with the batch for those formats). JUnit is
                   collected: `report/junit.py` builds one junitparser document and follows --fail-on.

`finish(summary, run)` gets the report's `summary` (with `headline_findings`, as `grouping.link_consequences`
adds it) and its `run` block (or None), written after `summary` as `cli.cmd_check` does.

A format can register a streaming writer with `@streaming("name")` (a factory of (output, lang,
verbose) → sink); formats without one fall back to `CollectSink`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Callable, Protocol

from .. import RULES_VERSION, __version__
from ..rules import SEVERITIES
from .outputs import emit
from .tempfiles import not_a_file, open_temp

_json_str = json.encoder.encode_basestring     # json's own (C) string writer, ensure_ascii=False

TOP = 5


def tool_info() -> dict[str, Any]:
    """The report's `tool` key (as `build_report` writes it)."""
    return {"name": "budget-audit", "version": __version__, "rules_version": RULES_VERSION}


def submission_entries(result) -> list[dict[str, Any]]:
    """The per-submission entries of one chunk's result: `build_report(result)["submissions"]`."""
    from . import build_report

    return build_report(result)["submissions"]


class Overview:
    """Running totals of a streamed batch: the `summary` dict, top rules, files with most errors."""

    def __init__(self) -> None:
        self.n = 0
        self.status = {"passed": 0, "failed": 0, "unreadable": 0, "skipped": 0}
        self.totals = {s: 0 for s in SEVERITIES}
        self.heads = {s: 0 for s in SEVERITIES}       # not a consequence of another finding (report.grouping)
        self.rules: dict[str, int] = {}
        self.worst: list[tuple[int, int, str]] = []     # (-errors, input position, source), best TOP kept

    def add(self, s: dict[str, Any]) -> None:
        self.status[s["status"]] = self.status.get(s["status"], 0) + 1
        for sev in SEVERITIES:
            self.totals[sev] += s["counts"][sev]
            self.heads[sev] += s.get("headline_counts", s["counts"])[sev]
        for f in s["findings"]:
            if f["severity"] != "info":
                self.rules[f["rule"]] = self.rules.get(f["rule"], 0) + 1
        if s["counts"]["error"]:
            self.worst.append((-s["counts"]["error"], self.n, s["source"]))
            if len(self.worst) > 4 * TOP:
                self.worst = sorted(self.worst)[:TOP]
        self.n += 1

    @property
    def failures(self) -> int:
        """Failed or unreadable so far (the progress bar's count)."""
        return self.status["failed"] + self.status["unreadable"]

    def summary(self) -> dict[str, Any]:
        st = self.status
        return {"submissions": self.n, "passed": st["passed"], "failed": st["failed"],
                "unreadable": st["unreadable"], "skipped": st["skipped"], "findings": dict(self.totals),
                "headline_findings": dict(self.heads)}

    def top_rules(self) -> list[tuple[str, int]]:
        return sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    def worst_files(self) -> list[tuple[str, int]]:
        return [(src, -e) for e, _, src in sorted(self.worst)[:TOP]]


class Sink(Protocol):
    def add(self, entry: dict[str, Any]) -> None: ...
    def finish(self, summary: dict[str, Any], run: dict[str, Any] | None = None) -> None: ...
    def abort(self) -> None: ...


class _Out:
    """A text destination: stdout (no FILE, or `-`), or a temporary sibling of FILE renamed over it on success;
    a device or FIFO (`-o /dev/null`) is written in place (`tempfiles.not_a_file`)."""

    def __init__(self, output: str | None) -> None:
        self.output = output
        self.tmp: str | None = None
        self.own = False                   # a device or FIFO this opened: closed at the end
        if output and output != "-" and not_a_file(output):
            self.fh: IO[str] = open(output, "w", encoding="utf-8", newline="")
            self.own = True
        elif output and output != "-":
            path = Path(output)
            fd, self.tmp = open_temp(path)     # also removes a stale temp file a killed run left here
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        else:
            self.fh = sys.stdout

    def write(self, text: str) -> None:
        self.fh.write(text)

    def close(self) -> None:
        if self.tmp:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.replace(self.tmp, self.output)
            self.tmp = None
        elif self.own:
            self.fh.close()
            self.own = False
        else:
            self.fh.flush()

    def abort(self) -> None:
        if self.own:
            self.fh.close()
            self.own = False
        if self.tmp:
            self.fh.close()
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None


def _nested(obj: Any, level: int) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=1)` as it appears `level` levels deep inside the report,
    byte for byte (tests/test_json_text.py). json's C encoder takes no indent, so `dumps(indent=1)` runs its
    pure-Python encoder: after a batch's last chunk the parent wrote 10,000 entries that way (~1.6 s alone,
    while the workers stood idle). This walk joins each container's items in one call instead (~0.95 s)."""
    return _json_text(obj, "\n" + " " * level)


_INF = float("inf")


def _json_float(x: float) -> str:
    if x != x:
        return "NaN"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    return float.__repr__(x)


def _json_key(k: Any) -> str:
    """A dict key as json writes it (its order of tests: a bool key is `true`, not 1)."""
    if isinstance(k, str):
        return _json_str(k)
    if isinstance(k, float):
        return '"' + _json_float(k) + '"'
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return '"' + int.__repr__(k) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _json_text(o: Any, nl: str) -> str:
    """`o` as json.dumps(indent=1, ensure_ascii=False) writes it, `nl` the newline and indent of its line."""
    t = type(o)                     # the exact types first (nearly every value), then json's isinstance order
    if t is str:
        return _json_str(o)
    if t is dict:
        return _json_dict(o, nl)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return int.__repr__(o)
    if t is float:
        return _json_float(o)
    if t is list:
        return _json_list(o, nl)
    if isinstance(o, str):
        return _json_str(o)
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _json_float(o)
    if isinstance(o, (list, tuple)):
        return _json_list(o, nl)
    if isinstance(o, dict):
        return _json_dict(o, nl)
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _json_dict(o: dict, nl: str) -> str:
    if not o:
        return "{}"
    inner = nl + " "
    items = [_json_key(k) + ": " + _json_text(v, inner) for k, v in o.items()]
    return "{" + inner + ("," + inner).join(items) + nl + "}"


def _json_list(o: list | tuple, nl: str) -> str:
    if not o:
        return "[]"
    inner = nl + " "
    return "[" + inner + ("," + inner).join([_json_text(v, inner) for v in o]) + nl + "]"


class JsonSink:
    """The JSON report (`to_json(build_report(result))`, byte for byte), one submission at a time."""

    def __init__(self, output: str | None, lang: str = "zh", verbose: bool = False) -> None:
        self.out = _Out(output)
        self.out.write('{\n "tool": ' + _nested(tool_info(), 1) + ',\n "submissions": [')
        self.first = True

    def add(self, entry: dict[str, Any]) -> None:
        self.out.write(("\n  " if self.first else ",\n  ") + _nested(entry, 2))
        self.first = False

    def finish(self, summary: dict[str, Any], run: dict[str, Any] | None = None) -> None:
        self.out.write(("]" if self.first else "\n ]") + ',\n "summary": ' + _nested(summary, 1)
                       + (',\n "run": ' + _nested(run, 1) if run is not None else "") + "\n}\n")
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


class ConsoleSink:
    """Console text. One submission: every finding (as today). A batch: the overview (counts, most
    frequent rules, files with most errors); every finding of every file only with `verbose`."""

    def __init__(self, output: str | None, lang: str = "zh", verbose: bool = False, color: bool | None = None) -> None:
        self.out = _Out(output)
        self.lang = lang
        self.verbose = verbose
        self.color = color
        self.pending: dict[str, Any] | None = None   # the first entry, until a second one makes this a batch
        self.overview = Overview()

    def _block(self, s: dict[str, Any]) -> str:
        from .render import console

        empty = {"submissions": 1, "passed": 0, "failed": 0, "unreadable": 0, "skipped": 0,
                 "findings": {k: 0 for k in SEVERITIES}}
        text = console({"submissions": [s], "summary": empty}, self.lang, self.color)
        return text[: text.rstrip("\n").rfind("\n") + 1]    # the submission's lines, without the summary line

    def add(self, entry: dict[str, Any]) -> None:
        self.overview.add(entry)
        if self.overview.n == 1:
            self.pending = entry
            return
        if self.pending is not None:
            if self.verbose:
                self.out.write(self._block(self.pending))
            self.pending = None
        if self.verbose:
            self.out.write(self._block(entry))

    def finish(self, summary: dict[str, Any], run: dict[str, Any] | None = None) -> None:
        from .render import console

        if self.pending is not None:          # a single submission: every finding
            self.out.write(self._block(self.pending))
        zh = self.lang == "zh"
        lines = []
        if summary["submissions"] > 1:
            top = self.overview.top_rules()
            worst = self.overview.worst_files()
            if top:
                lines.append(("最常见的问题：" if zh else "most frequent: ") + ("，" if zh else ", ").join(
                    f"{r} ×{k}" for r, k in top))
            if worst:
                lines.append(("错误最多的文件：" if zh else "most errors: ") + ("，" if zh else ", ").join(
                    f"{Path(src).name} ({e})" for src, e in worst))
        tail = console({"submissions": [], "summary": summary, **({"run": run} if run is not None else {})},
                       self.lang, self.color)   # the selection note and the summary line
        text = "\n".join(lines) + ("\n" if lines else "") + tail
        if summary["submissions"] > 1 and not self.verbose and sum(summary["findings"].values()):
            text += ("（逐条问题：加 --verbose，或用 --format json / xlsx 输出）\n" if zh else
                     "(every finding: add --verbose, or write --format json / xlsx)\n")
        self.out.write(text)
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


class CollectSink:
    """A format without a streaming writer: the whole report is collected, written once at the end."""

    def __init__(self, fmt: str, output: str | None, lang: str = "zh",
                 write: Callable[[dict[str, Any], str, str | None], None] | None = None) -> None:
        self.fmt, self.output, self.lang, self.write = fmt, output, lang, write
        self.entries: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)

    def finish(self, summary: dict[str, Any], run: dict[str, Any] | None = None) -> None:
        report = {"tool": tool_info(), "submissions": self.entries, "summary": summary}
        if run is not None:
            report["run"] = run
        if self.write is not None:
            self.write(report, self.fmt, self.output)
        else:
            emit(report, self.fmt, self.output, self.lang)

    def abort(self) -> None:
        self.entries = []


SinkFactory = Callable[[str | None, str, bool], Sink]
STREAMING: dict[str, SinkFactory] = {}


def streaming(name: str) -> Callable[[SinkFactory], SinkFactory]:
    """Register a streaming writer for format `name`: factory(output, lang, verbose) → sink."""
    def deco(factory: SinkFactory) -> SinkFactory:
        STREAMING[name] = factory
        return factory
    return deco


streaming("json")(JsonSink)
streaming("console")(ConsoleSink)


def open_sink(fmt: str, output: str | None, lang: str, verbose: bool = False,
              write: Callable[[dict[str, Any], str, str | None], None] | None = None) -> Sink:
    factory = STREAMING.get(fmt)
    return factory(output, lang, verbose) if factory else CollectSink(fmt, output, lang, write=write)


def open_sinks(pairs: list[tuple[str, str | None]], lang: str, verbose: bool = False,
               write: Callable[[dict[str, Any], str, str | None], None] | None = None) -> list[Sink]:
    """One sink per (format, output) pair, streamed where the format has a streaming writer. Several formats
    on stdout are collected and written at the end, in order, never interleaved."""
    shared = sum(1 for _, out in pairs if not out or out == "-") > 1
    sinks: list[Sink] = []
    try:
        for fmt, out in pairs:
            sinks.append(CollectSink(fmt, out, lang, write=write) if shared and (not out or out == "-")
                         else open_sink(fmt, out, lang, verbose, write=write))
    except BaseException:           # one cannot be opened: those already open leave no temporary file
        for sink in sinks:
            sink.abort()
        raise
    return sinks
