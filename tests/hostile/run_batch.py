"""`python -m tests.hostile.run_batch ARGS…`: `budget-audit check ARGS…`, then the peak memory, printed to
stderr: `peak_rss_mb=N` (this process, resource.getrusage ru_maxrss) and `peak_tree_rss_mb=N` (this process
and every descendant, the pool workers included: their resident sizes summed, sampled from /proc every
0.2 s; shared pages counted once per process, so it is an upper bound). Used by the corpus batch test."""

from __future__ import annotations

import os
import resource
import sys
import threading

from budget_audit.cli import main

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and its descendants (Linux /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parent[int(d)] = int(stat[1])
        rss[int(d)] = int(stat[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return total


class TreeSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, tree_rss(os.getpid()))


if __name__ == "__main__":
    sampler = TreeSampler()
    sampler.start()
    rc = main(sys.argv[1:])
    sampler.stop.set()
    sampler.peak = max(sampler.peak, tree_rss(os.getpid()))
    print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
    print(f"peak_tree_rss_mb={sampler.peak / 2**20:.0f}", file=sys.stderr)
    sys.exit(rc)
