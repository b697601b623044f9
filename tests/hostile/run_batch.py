"""`python -m tests.hostile.run_batch ARGS…`: `budget-audit check ARGS…`, then the process's peak memory
(resource.getrusage ru_maxrss, in MB) printed to stderr as `peak_rss_mb=N`. Used by the corpus batch test."""

from __future__ import annotations

import resource
import sys

from budget_audit.cli import main

if __name__ == "__main__":
    rc = main(sys.argv[1:])
    print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
    sys.exit(rc)
