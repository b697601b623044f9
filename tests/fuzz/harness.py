"""Long fuzz harness (outside the default test run): random and mutated inputs through the value parser,
the method parser (+ recompute/compare/explain), the JSON reader and the workbook reader; any exception
is a bug (printed with its input, exit 1).

    python -m tests.fuzz.harness --target value --runs 1000000
    python -m tests.fuzz.harness --target method --runs 1000000
    python -m tests.fuzz.harness --target json --runs 20000
    python -m tests.fuzz.harness --target workbook --runs 2000

Inputs are seeded (`--seed`) so a run can be repeated: a mix of random text over the alphabet real cells
use, random Unicode, and byte-level mutations (insert / delete / replace / splice) of a seed corpus (the
method corpus, the bundled submissions, the example workbook). atheris is not required; when installed,
`--atheris` runs the same targets under it (coverage-guided) instead.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fuzz.targets import (  # noqa: E402
    json_target,
    method_target,
    mutate_zip,
    tmpdir,
    value_target,
    workbook_target,
)

ALPHABET = list("0123456789.,%％-+−—/ ≥≤<>=＝万亿千百十一二三四五六七八九零两元人次分得扣每少于以上下内达到不低于超过含"
                "（）()：:；;，、“”\"'\n\t\u3000²①⑩\u200b\ufeff个百分点满合格率完成") + ["\x00", "\x1b", "\ud800"]


def seeds_text() -> list[str]:
    corpus = yaml.safe_load((ROOT / "tests" / "method_corpus.yaml").read_text(encoding="utf-8"))
    out = [c["text"] for c in corpus if isinstance(c, dict) and isinstance(c.get("text"), str)]
    out += ["97%", "≥3000人", "6965.62万元", "三千五", "90 95", "10²", "1.5", "≤5%", "百分之九十五", "一万二"]
    return out


def random_text(rng: random.Random, seeds: list[str]) -> str:
    r = rng.random()
    if r < 0.35:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
    if r < 0.45:
        return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 12)))
    s = list(rng.choice(seeds))
    for _ in range(rng.randint(1, 4)):
        op = rng.randint(0, 3)
        k = rng.randint(0, len(s))
        if op == 0:
            s.insert(k, rng.choice(ALPHABET))
        elif op == 1 and s:
            del s[min(k, len(s) - 1)]
        elif op == 2 and s:
            s[min(k, len(s) - 1)] = rng.choice(ALPHABET)
        else:
            other = rng.choice(seeds)
            s[k:k] = list(other[: rng.randint(0, len(other))])
    return "".join(s)


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        k = rng.randrange(len(b)) if b else 0
        op = rng.randint(0, 3)
        if op == 0:
            b[k:k] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 1 and b:
            del b[k:k + rng.randint(1, 16)]
        elif op == 2 and b:
            b[k] = rng.randrange(256)
        else:
            b[k:k] = rng.choice([b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\ud800", b"1e999", b"null", b'"a":1,'])
    return bytes(b)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", choices=("value", "method", "json", "workbook"), required=True)
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--atheris", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    seeds = seeds_text()
    d = tmpdir()
    json_seed = (ROOT / "datasets" / "examples" / "dept-overall-105-clean.json").read_bytes()
    xlsx_seed = (ROOT / "datasets" / "examples" / "dept-overall-105-clean.xlsx").read_bytes()
    members = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
               "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]

    def one(data: bytes | None = None) -> None:
        if args.target == "value":
            value_target(data.decode("utf-8", "surrogatepass") if data is not None else random_text(rng, seeds))
        elif args.target == "method":
            if data is not None:
                t = data.decode("utf-8", "replace")
                method_target(t, t[:8], t[-8:], 10.0)
            else:
                method_target(random_text(rng, seeds), random_text(rng, seeds), random_text(rng, seeds),
                              rng.choice([0.0, 1.0, 5.0, 10.0, 20.0, 105.0]))
        elif args.target == "json":
            json_target(data if data is not None else mutate_bytes(rng, json_seed), d)
        else:
            if data is None:
                data = (mutate_zip(xlsx_seed, rng.choice(members), rng.randrange(10**6),
                                   bytes(rng.randrange(256) for _ in range(rng.randint(1, 48))))
                        if rng.random() < 0.7 else mutate_bytes(rng, xlsx_seed))
            workbook_target(data, d)

    if args.atheris:
        import atheris  # type: ignore[import-not-found]

        atheris.Setup([sys.argv[0], f"-runs={args.runs}"], lambda b: one(b))
        atheris.Fuzz()
        return 0
    t0 = time.time()
    for i in range(args.runs):
        state = rng.getstate()
        try:
            one()
        except Exception:                          # a bug: show how to replay it
            rng.setstate(state)
            print(f"exception at run {i} (seed {args.seed}):", file=sys.stderr)
            traceback.print_exc()
            return 1
        if i and i % 100_000 == 0:
            print(f"{i} runs, {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    print(json.dumps({"target": args.target, "runs": args.runs, "seed": args.seed, "exceptions": 0,
                      "seconds": round(time.time() - t0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
