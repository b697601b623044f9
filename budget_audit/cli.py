"""Command line: `budget-audit check | inspect | rules | template | explain-method | docs | gx`.

Exit codes (interchange.md): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error or a broken profile/rule file (never 0 when the rules could not be loaded).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__


def _write(text: str, output: str | None) -> None:
    if output:
        from .report.outputs import atomic_write

        _check_paths([], [output])
        atomic_write(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _pairs(formats: list[str] | None, outputs: list[str] | None) -> list[tuple[str, str | None]]:
    """`--format A -o a --format B -o b`: the n-th format goes to the n-th output; a single format
    without -o goes to stdout; -o without --format writes the console text."""
    formats = formats or ["console"]
    outputs = outputs or []
    if len(outputs) > len(formats) or (len(formats) > 1 and len(outputs) != len(formats)):
        raise UsageError("每个 --format 需要一个 --output / each --format needs its own --output")
    return [(f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)]


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from .config import resolve
    from .report.outputs import FORMATS, emit

    started = time.perf_counter()
    settings = resolve(args, _formats())       # the config file, then the command line over it
    args.profile, args.fail_on, args.lang, args.waivers = (settings.profile, settings.fail_on, settings.lang,
                                                           settings.waivers)
    if args.format or args.output or not settings.outputs:
        pairs = _pairs(args.format, args.output)
    else:
        pairs = [("console", None), *settings.outputs]
    for fmt, out in pairs:
        if FORMATS[fmt].binary and not out:
            raise UsageError(f"--format {fmt} 需要 --output FILE{FORMATS[fmt].suffix} / "
                             f"--format {fmt} needs --output FILE{FORMATS[fmt].suffix}")
    _check_paths(args.inputs, [out for _, out in pairs if out and out != "-"])
    if args.jobs is not None and args.jobs < 1 or args.chunk_size is not None and args.chunk_size < 1:
        raise UsageError("--jobs / --chunk-size 须为正整数 / --jobs and --chunk-size must be positive")
    from . import limits
    from .profiles import allow_profile_dirs
    limits.configure(limits.parse_settings(args.limit, limits.current()) if args.limit else None)
    allow_profile_dirs(args.profile_dir)
    review = _review(args)

    def whole(report):                  # waivers/baseline and --annotate need the whole report
        if review is not None:
            report = review.apply(report)
        if args.annotate:
            _annotate(report, args.annotate, args.lang)
        return report

    if args.engine == "spark":
        from .spark.job import check_spark

        return check_spark(args, pairs, settings, review,
                           whole_report=whole if review is not None or args.annotate else None)
    from .batch import check_command   # streamed, in chunks, over a process pool (budget_audit/batch.py)

    def write(report, fmt, out):
        try:
            emit(report, fmt, out, args.lang, fail_on=args.fail_on)
        except OSError as exc:
            raise UsageError(f"无法写入输出文件 / cannot write output {out}: {exc.strerror or exc}") from None

    def gate(report):
        from .report.review import gate

        return gate(report, args.fail_on, args.fail_on_new)

    try:
        return check_command(
            args.inputs, args.profile, pairs, lang=args.lang, fail_on=args.fail_on, jobs=args.jobs,
            chunk_size=args.chunk_size, verbose=args.verbose, quiet=args.quiet, debug=args.debug,
            rules=settings.rules, write=write,
            # the elapsed time only when asked: a rerun must give byte-identical reports
            run_info=lambda: settings.run_info(time.perf_counter() - started if args.timings else None),
            whole_report=whole if review is not None or args.annotate else None,
            exit_fn=gate if review is not None else None)
    except OSError as exc:              # a streamed output that cannot be written (the readers catch their own)
        where = exc.filename or ", ".join(out for _, out in pairs if out and out != "-")
        raise UsageError(f"无法写入输出文件 / cannot write output {where}: {exc.strerror or exc}") from None


def _annotate(report, target: str, lang: str) -> None:
    """`--annotate`: the unit's workbook(s) back with the findings on their cells (report/annotate.py)."""
    from .report.annotate import AnnotateError, write_annotations

    try:
        written, problems = write_annotations(report, target, lang)
    except AnnotateError as exc:
        raise UsageError(str(exc)) from exc
    for _, out in written:
        print(f"已写入标注副本 / annotated copy written: {out}", file=sys.stderr)
    for path, why in problems.items():
        print(f"budget-audit: {path}: {why}", file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.app import serve

    return serve(args.host, args.port, max_upload_mb=args.max_upload_mb)


def _check_paths(inputs: list[str], outputs: list[str]) -> None:
    """A missing input or an output that cannot be written is a usage error (exit 2), found before
    any work is done."""
    import os

    for p in inputs:
        if not os.path.lexists(p):
            raise UsageError(f"找不到输入文件或目录 / input not found: {p}")
    for out in outputs:
        path = Path(out)
        parent = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise UsageError(f"输出路径是目录 / output is a directory: {out}")
        if not parent.is_dir():
            raise UsageError(f"输出目录不存在 / output directory does not exist: {parent}")
        if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise UsageError(f"无法写入输出文件 / cannot write output: {out}")


def _review(args: argparse.Namespace):
    """Waivers and/or a baseline (report.review), read and validated before the (long) check runs."""
    if args.fail_on_new and not args.baseline:
        raise UsageError("--fail-on-new 需要 --baseline / --fail-on-new needs --baseline")
    if not args.waivers and not args.baseline:
        return None
    from .report.review import Review, WaiverError, load_baseline, load_waivers

    try:
        waivers = load_waivers(args.waivers) if args.waivers else []
        baseline = load_baseline(args.baseline) if args.baseline else None
    except WaiverError as exc:
        raise UsageError(str(exc)) from exc
    return Review(waivers, baseline, waivers_file=args.waivers)


def cmd_inspect(args: argparse.Namespace) -> int:
    from .readers import read_inputs
    from .report.inspect import inspect_json, inspect_text

    _check_paths(args.inputs, [args.output] if args.output else [])
    raws = read_inputs(args.inputs, debug=args.debug)
    _write(inspect_json(raws) if args.format == "json" else inspect_text(raws, args.lang), args.output)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .rules import CATALOGUE

    if args.format == "json":
        rows = [{"id": r.id, "slug": r.slug, "severity": r.severity, "family": r.family,
                 "title": {"zh": r.title_zh, "en": r.title_en}, "description": r.doc, "tolerance": r.tolerance,
                 "profiles": r.profiles, "tables": sorted({c.table for c in r.checks})} for r in CATALOGUE]
        _write(json.dumps({"rules_version": __import__("budget_audit").RULES_VERSION, "rules": rows},
                          ensure_ascii=False, indent=1) + "\n", args.output)
    else:
        zh = args.lang == "zh"
        lines = [f"{r.id}  {r.severity:<7}  {r.slug:<34} {r.title_zh if zh else r.title_en}" for r in CATALOGUE]
        _write("\n".join(lines) + "\n", args.output)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .pipeline import load_checked_profile
    from .writers.template import write_template

    profile = load_checked_profile(args.profile)
    _check_paths([], [args.output])
    write_template(profile, Path(args.output))
    print(f"已生成模板 / template written: {args.output}（{profile.name}）")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .parse.methods import explain

    print(explain(args.text, target=args.target, actual=args.actual, weight=args.weight, lang=args.lang))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import write_docs

    for path in write_docs(Path(args.out)):
        print(path)
    return 0


def cmd_gx(args: argparse.Namespace) -> int:
    from . import gx_cli

    if args.gx_command == "run":
        _check_paths(args.inputs, [args.output] if args.output else [])
    return gx_cli.main(args)


class UsageError(Exception):
    pass


def _formats() -> list[str]:
    from .report import render  # noqa: F401  (registers the built-in formats)
    from .report import flat, html, xlsx  # noqa: F401  (html, csv, parquet; the auditor's xlsx replaces render's)
    from .report.outputs import FORMATS

    return list(FORMATS)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budget-audit", description="预算绩效自评价校验 / budget performance self-evaluation checks")
    p.add_argument("--version", action="version", version=f"budget-audit {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="检查填报文件 / check submissions")
    c.add_argument("inputs", nargs="+", help="files or directories (.json .xlsx .xls .csv .txt .pdf .docx, CSV folders)")
    c.add_argument("--profile", help="profile name (dept-overall-105, project-mof-100, project-20-80, generic) or a YAML path")
    c.add_argument("--format", action="append", choices=sorted(_formats()),
                   help="report format; repeat with one --output each to write several in one pass")
    c.add_argument("--output", "-o", action="append",
                   help="write the report to FILE (written atomically); - is standard output")
    c.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (default zh)")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default=None,
                   help="exit 1 when a finding is at or above this level (default error)")
    c.add_argument("--select", action="append", metavar="RULES",
                   help="report only these rules: IDs or prefixes, comma-separated or repeated (BUD, MTH00, SCR001)")
    c.add_argument("--ignore", action="append", metavar="RULES", help="do not report these rules (IDs or prefixes)")
    c.add_argument("--config", metavar="FILE",
                   help="config file (default: budget-audit.toml or [tool.budget-audit] in pyproject.toml, found upward)")
    c.add_argument("--no-config", action="store_true", help="read no config file")
    c.add_argument("--annotate", metavar="OUT.xlsx|DIR",
                   help="write the workbook back with each finding on its cell (fill + comment) and a first sheet "
                        "校验结果; several input workbooks need a directory (one <name>-标注.xlsx each)")
    c.add_argument("--waivers", metavar="FILE", help="豁免清单 / YAML waivers: matching findings are shown but never fail")
    c.add_argument("--baseline", metavar="REPORT", help="上次的 JSON 报告 / a previous --format json report: "
                   "marks findings new / persisting, lists resolved ones")
    c.add_argument("--fail-on-new", action="store_true", help="只按新增问题判定退出码 / gate on new findings only")
    c.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="spark: one chunk of files per Spark task (needs the [spark] extra; see README)")
    c.add_argument("--parquet", metavar="DIR", help="--engine spark: keep the findings/submissions Parquet in DIR")
    c.add_argument("--timings", action="store_true",
                   help="record the run's elapsed time (JSON run.elapsed_seconds, JUnit time); off by default so that "
                        "a rerun gives byte-identical reports")
    c.add_argument("--limit", action="append", metavar="NAME=VALUE",
                   help="change a resource limit (README: Limits), e.g. --limit sheet_rows=500000")
    c.add_argument("--profile-dir", action="append", metavar="DIR",
                   help="a directory of auditor profiles that a submission may name (by name, never by path)")
    c.add_argument("--jobs", "-j", type=int, help="worker processes (default: the number of CPUs; 1 = in this process)")
    c.add_argument("--chunk-size", type=int, help="input files per chunk (default 500: the memory bound of a worker)")
    c.add_argument("--verbose", "-v", action="store_true", help="console: list every finding of a batch too")
    c.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no closing line on stderr")
    c.set_defaults(func=cmd_check)

    w = sub.add_parser("serve", help="本地网页：上传文件查看校验结果 / local web page: upload a file, see the findings")
    w.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this computer only)")
    w.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    w.add_argument("--max-upload-mb", type=int, default=20, help="largest upload accepted, in MB (default 20)")
    w.set_defaults(func=cmd_serve)

    i = sub.add_parser("inspect", help="显示读取到的内容 / show what the reader extracted from a file")
    i.add_argument("inputs", nargs="+", help="files or directories to read")
    i.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    i.add_argument("--output", "-o", help="write to FILE instead of stdout")
    i.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language (default zh)")
    i.set_defaults(func=cmd_inspect)

    r = sub.add_parser("rules", help="列出规则目录 / list the rule catalogue")
    r.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="title language (default zh)")
    r.add_argument("--output", "-o", help="write to FILE instead of stdout")
    r.set_defaults(func=cmd_rules)

    t = sub.add_parser("template", help="生成空白填报模板 / write a blank workbook for a profile")
    t.add_argument("--profile", default="dept-overall-105", help="profile name or YAML path (default dept-overall-105)")
    t.add_argument("--output", "-o", required=True, help="the .xlsx file to write")
    t.set_defaults(func=cmd_template)

    e = sub.add_parser("explain-method", help="解释评分办法 / show how a scoring method is read")
    e.add_argument("text", help="the scoring method text (评分办法)")
    e.add_argument("--target", help="the target value (标准值), e.g. 90%%")
    e.add_argument("--actual", help="the actual value (完成值), e.g. 85%%")
    e.add_argument("--weight", type=float, help="the indicator's points (权值)")
    e.add_argument("--lang", choices=("zh", "en"), default="zh", help="explanation language (default zh)")
    e.set_defaults(func=cmd_explain)

    d = sub.add_parser("docs", help="regenerate the per-rule documentation")
    d.add_argument("--out", default="docs", help="documentation folder (default docs)")
    d.set_defaults(func=cmd_docs)

    g = sub.add_parser("gx", help="Great Expectations: export suites, run checkpoints")
    gsub = g.add_subparsers(dest="gx_command", required=True)
    ge = gsub.add_parser("export", help="regenerate expectations/ and checkpoints/ from the catalogue")
    ge.add_argument("--root", default=".", help="project root holding gx/, expectations/, checkpoints/")
    gr = gsub.add_parser("run", help="run a GX checkpoint on the canonical tables")
    gr.add_argument("inputs", nargs="+", help="files or directories to check")
    gr.add_argument("--checkpoint", default="batch-review", choices=("pre-submission", "batch-review", "ci-gate"),
                    help="which checkpoint to run (default batch-review)")
    gr.add_argument("--root", default=None, help="GX project root (default: the bundled one)")
    gr.add_argument("--profile", help="profile name or YAML path")
    gr.add_argument("--format", choices=("console", "json"), default="console", help="report format (default console)")
    gr.add_argument("--output", "-o", help="write the report to FILE")
    gr.add_argument("--docs", help="build Data Docs into DIR")
    gr.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language (default zh)")
    gr.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error",
                    help="exit 1 when a finding is at or above this level (default error)")
    g.set_defaults(func=cmd_gx)
    _with_exit_codes(p)
    return p


EXIT_CODES = """exit codes / 退出码:
  0  nothing at or above --fail-on (check), or the command succeeded / 无达到 --fail-on 级别的问题，或命令成功
  1  findings at or above --fail-on (check, gx run) / 存在达到 --fail-on 级别的问题
  2  usage error: bad option or config, missing input, unwritable output, broken profile or rule file
     / 用法错误：参数或配置有误、输入不存在、输出无法写入、模板或规则文件有误"""


def _with_exit_codes(parser: argparse.ArgumentParser) -> None:
    """Every command's --help ends with the exit codes."""
    parser.epilog = EXIT_CODES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _with_exit_codes(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .config import ConfigError
    from .limits import LimitError
    from .profiles import ProfileError
    from .readers import NoInputs

    try:
        return args.func(args)
    except (LimitError, NoInputs) as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    except ProfileError as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    except (UsageError, ConfigError) as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a bare traceback for a user; never exit 0 on an internal error
        if args.debug:
            traceback.print_exc()
        print(f"budget-audit: 内部错误 / internal error: {type(exc).__name__}: {exc}（--debug 查看详情）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
