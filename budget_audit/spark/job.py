"""`spark-submit` entry point, and `budget-audit check --engine spark`.

    spark-submit --master yarn --py-files budget_audit.zip budget_audit/spark/job.py \\
        --out /mnt/audit/2026 [--profile NAME] [--chunk-size 1000] [--input-list files.txt] \\
        [--format json -o report.json …] INPUTS…

Inputs must be paths every executor can read at the same place (a shared or mounted file system:
NFS, /dbfs/…, EFS); the output directory may be any Hadoop path (hdfs://, s3a://, dbfs:/) — then
the reports named by --format are not written (rebuild them later from the Parquet with
`python -m budget_audit.spark.job --from-parquet DIR --format json -o report.json`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:    # `spark-submit …/budget_audit/spark/job.py`: run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from budget_audit.spark.job import main as _main
    sys.exit(_main())

from .engine import DEFAULT_CHUNK, get_session, run_spark
from .store import entries_from_parquet, report_from_parquet, summary_from_parquet


def write_from_parquet(out_dir: str, pairs: list[tuple[str, str | None]], lang: str, fail_on: str = "error",
                       whole_report=None, verbose: bool = False) -> dict[str, Any]:
    """Write the (format, output) pairs from a run's Parquet, as the local batch writes them, and return the
    report. With `whole_report` (waivers / baseline / --annotate) the whole report is rebuilt, passed through
    it and written, as locally; otherwise the entries stream from the Parquet into the writers
    (`report.stream`: JSON written as it comes, the console's overview, every finding only with `verbose`),
    and the returned report holds only the summary (and the `run` block)."""
    from ..report import render  # noqa: F401  (registers the built-in formats)
    from ..report import flat, html, xlsx  # noqa: F401  (as `cli._formats`: the auditor's formats)
    from ..report.outputs import emit
    from ..report.stream import open_sinks

    def write(report: dict[str, Any], fmt: str, out: str | None) -> None:
        emit(report, fmt, out, lang, fail_on=fail_on)
    if whole_report is not None:
        report = whole_report(report_from_parquet(out_dir))
        for fmt, out in pairs:
            write(report, fmt, out)
        return report
    summary, run = summary_from_parquet(out_dir)
    sinks = open_sinks(pairs, lang, verbose, write=write)
    try:
        for entry in entries_from_parquet(out_dir):
            for sink in sinks:
                sink.add(entry)
        for sink in sinks:
            sink.finish(summary, run)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    return {"summary": summary, **({"run": run} if run is not None else {})}


def check_spark(args: argparse.Namespace, pairs: list[tuple[str, str | None]], settings=None, review=None,
                whole_report=None) -> int:
    """`check --engine spark`: the run on Spark; with --format, the reports rebuilt from the Parquet.

    --parquet DIR keeps the Parquet tables (else they go to a temporary directory); without --format,
    the summary lines are printed when --parquet is given, and the console report otherwise, exactly as
    the local engine prints it (a batch: the overview; every finding with --verbose). `settings` (config.Settings: the rule selection and the report's
    `run` block) and `review` (waivers/baseline) as `cli.cmd_check` resolved them; `whole_report` (the
    local engine's hook: waivers/baseline applied, `--annotate` written) runs on the report rebuilt from the
    Parquet, so `--annotate` hands back the same annotated workbooks as a local run."""
    import time

    from ..report import exit_code

    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("budget-audit: --engine spark 需要 pyspark：pip install 'budget-audit[spark]' / "
              "--engine spark needs pyspark: pip install 'budget-audit[spark]'", file=sys.stderr)
        return 2
    keep = getattr(args, "parquet", None)
    started = time.perf_counter()
    rules = list(settings.rules) if settings is not None else None

    def run_info():
        if settings is None:
            return None
        return settings.run_info(time.perf_counter() - started if getattr(args, "timings", False) else None)
    with tempfile.TemporaryDirectory(prefix="budget-audit-spark-") as tmp:
        out_dir = keep or tmp
        doc = run_spark(args.inputs, out_dir, profile=args.profile, debug=args.debug, rules=rules,
                        chunk_size=getattr(args, "chunk_size", None) or DEFAULT_CHUNK, run=run_info())
        if getattr(args, "format", None) or not keep or whole_report is not None:
            report = write_from_parquet(out_dir, pairs, args.lang, args.fail_on, whole_report,
                                        getattr(args, "verbose", False))
            if review is not None:
                from ..report.review import gate

                return gate(report, args.fail_on, getattr(args, "fail_on_new", False))
        else:
            sys.stdout.write(doc["console"][args.lang])
            print(f"Parquet: {Path(out_dir) / 'findings'}, {Path(out_dir) / 'submissions'}", file=sys.stderr)
    return exit_code({"summary": doc["summary"]}, args.fail_on)


def build_parser() -> argparse.ArgumentParser:
    from ..report import render  # noqa: F401
    from ..report import flat, html, xlsx  # noqa: F401  (every format `check` offers)
    from ..report.outputs import FORMATS

    p = argparse.ArgumentParser(prog="budget-audit-spark", description="budget-audit check on Apache Spark")
    p.add_argument("inputs", nargs="*", help="files or directories, readable by every executor")
    p.add_argument("--out", help="output directory: submissions/ and findings/ Parquet, summary.json")
    p.add_argument("--input-list", help="a text file of inputs, one a line (for very many files)")
    p.add_argument("--from-parquet", metavar="DIR", help="no run: write the --format reports from DIR's Parquet")
    p.add_argument("--profile")
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help="files per task (default %(default)s)")
    p.add_argument("--master", help="Spark master when not given by spark-submit (default local[*,3])")
    p.add_argument("--format", action="append", choices=sorted(FORMATS))
    p.add_argument("--output", "-o", action="append")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error")
    p.add_argument("--debug", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    from ..report import exit_code

    from ..profiles import ProfileError

    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ProfileError as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ..report import exit_code

    formats, outputs = args.format or [], args.output or []
    if len(outputs) != len(formats) and not (len(formats) == 1 and not outputs):
        print("budget-audit: 每个 --format 需要一个 --output / each --format needs its own --output", file=sys.stderr)
        return 2
    pairs = [(f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)]
    if args.from_parquet:
        report = write_from_parquet(args.from_parquet, pairs, args.lang, args.fail_on)
        return exit_code(report, args.fail_on)
    inputs = list(args.inputs)
    if args.input_list:
        inputs += [ln.strip() for ln in Path(args.input_list).read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not inputs or not args.out:
        print("budget-audit: 需要 INPUTS（或 --input-list）和 --out / INPUTS (or --input-list) and --out are required",
              file=sys.stderr)
        return 2
    spark = get_session(args.master)
    doc = run_spark(inputs, args.out, profile=args.profile, spark=spark, chunk_size=args.chunk_size, debug=args.debug)
    sys.stdout.write(doc["console"][args.lang])
    if pairs and "://" not in args.out:
        write_from_parquet(args.out, pairs, args.lang, args.fail_on)
    return exit_code({"summary": doc["summary"]}, args.fail_on)


if __name__ == "__main__":
    sys.exit(main())
