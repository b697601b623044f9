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
    from .report.outputs import FORMATS

    pairs = _pairs(args.format, args.output)
    for fmt, out in pairs:
        if FORMATS[fmt].binary and not out:
            raise UsageError(f"--format {fmt} 需要 --output FILE{FORMATS[fmt].suffix} / "
                             f"--format {fmt} needs --output FILE{FORMATS[fmt].suffix}")
    if args.jobs is not None and args.jobs < 1 or args.chunk_size is not None and args.chunk_size < 1:
        raise UsageError("--jobs / --chunk-size 须为正整数 / --jobs and --chunk-size must be positive")
    from .batch import check_command   # streamed, in chunks, over a process pool (budget_audit/batch.py)

    return check_command(args.inputs, args.profile, pairs, lang=args.lang, fail_on=args.fail_on, jobs=args.jobs,
                         chunk_size=args.chunk_size, verbose=args.verbose, quiet=args.quiet, debug=args.debug)


def cmd_inspect(args: argparse.Namespace) -> int:
    from .readers import read_inputs
    from .report.inspect import inspect_json, inspect_text

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

    return gx_cli.main(args)


class UsageError(Exception):
    pass


def _formats() -> list[str]:
    from .report import render  # noqa: F401  (registers the built-in formats)
    from .report.outputs import FORMATS

    return list(FORMATS)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budget-audit", description="预算绩效自评价校验 / budget performance self-evaluation checks")
    p.add_argument("--version", action="version", version=f"budget-audit {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="检查填报文件 / check submissions")
    c.add_argument("inputs", nargs="+", help="files or directories (.json .xlsx .xls .csv .txt .pdf .docx, CSV folders)")
    c.add_argument("--profile", help="profile name (dept-overall-105, project-mof-100, generic) or a YAML path")
    c.add_argument("--format", action="append", choices=sorted(_formats()),
                   help="report format; repeat with one --output each to write several in one pass")
    c.add_argument("--output", "-o", action="append", help="write the report to FILE (written atomically)")
    c.add_argument("--lang", choices=("zh", "en"), default="zh")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error")
    c.add_argument("--jobs", "-j", type=int, help="worker processes (default: the number of CPUs; 1 = in this process)")
    c.add_argument("--chunk-size", type=int, help="input files per chunk (default 500: the memory bound of a worker)")
    c.add_argument("--verbose", "-v", action="store_true", help="console: list every finding of a batch too")
    c.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no closing line on stderr")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("inspect", help="显示读取到的内容 / show what the reader extracted from a file")
    i.add_argument("inputs", nargs="+")
    i.add_argument("--format", choices=("text", "json"), default="text")
    i.add_argument("--output", "-o")
    i.add_argument("--lang", choices=("zh", "en"), default="zh")
    i.set_defaults(func=cmd_inspect)

    r = sub.add_parser("rules", help="列出规则目录 / list the rule catalogue")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.add_argument("--lang", choices=("zh", "en"), default="zh")
    r.add_argument("--output", "-o")
    r.set_defaults(func=cmd_rules)

    t = sub.add_parser("template", help="生成空白填报模板 / write a blank workbook for a profile")
    t.add_argument("--profile", default="dept-overall-105")
    t.add_argument("--output", "-o", required=True)
    t.set_defaults(func=cmd_template)

    e = sub.add_parser("explain-method", help="解释评分办法 / show how a scoring method is read")
    e.add_argument("text")
    e.add_argument("--target")
    e.add_argument("--actual")
    e.add_argument("--weight", type=float)
    e.add_argument("--lang", choices=("zh", "en"), default="zh")
    e.set_defaults(func=cmd_explain)

    d = sub.add_parser("docs", help="regenerate the per-rule documentation")
    d.add_argument("--out", default="docs")
    d.set_defaults(func=cmd_docs)

    g = sub.add_parser("gx", help="Great Expectations: export suites, run checkpoints")
    gsub = g.add_subparsers(dest="gx_command", required=True)
    ge = gsub.add_parser("export", help="regenerate expectations/ and checkpoints/ from the catalogue")
    ge.add_argument("--root", default=".", help="project root holding gx/, expectations/, checkpoints/")
    gr = gsub.add_parser("run", help="run a GX checkpoint on the canonical tables")
    gr.add_argument("inputs", nargs="+")
    gr.add_argument("--checkpoint", default="batch-review", choices=("pre-submission", "batch-review", "ci-gate"))
    gr.add_argument("--root", default=None, help="GX project root (default: the bundled one)")
    gr.add_argument("--profile")
    gr.add_argument("--format", choices=("console", "json"), default="console")
    gr.add_argument("--output", "-o")
    gr.add_argument("--docs", help="build Data Docs into DIR")
    gr.add_argument("--lang", choices=("zh", "en"), default="zh")
    gr.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error")
    g.set_defaults(func=cmd_gx)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .profiles import ProfileError

    try:
        return args.func(args)
    except ProfileError as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
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
