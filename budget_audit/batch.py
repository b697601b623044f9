"""Streamed, parallel batches: inputs in chunks, a process pool, reports written as results arrive.

    plan_chunks(inputs)            → [[item, …], …]   every input once, in input order
    run_chunk(items, profile)      → ChunkResult      read → normalize → measure → check of one chunk
    final_entries(results, rules)  → the run's final entries: run-wide ids, XSB over every chunk
    run_batch(inputs, profile, …)  → iterator of the report's submission entries, in input order
    check_command(…)               → what `budget-audit check` runs (sinks, progress, exit code)

Results are identical to one `pipeline.run_check` over the whole batch: every rule but XSB judges one
submission at a time; the XSB rules compare the whole run, so a chunk hands back one fingerprint row
per submission and `final_entries` matches them once after the last chunk (`report.crossrun`); ids
are made unique over the whole run here, exactly as `read_inputs` does. Memory is bounded by the
chunk: the parent holds a few chunks' entries at a time and spools the rest (`Spool`) until the XSB
findings are known, the reports are streamed (`report.stream`), and the console keeps only counts
and top lists. A worker that dies (a crash, the OOM killer, the hard time watchdog) costs only its
file: the chunk is re-run in fresh processes down to the culprit (`_rescue`), which becomes an STR007.

Long because it holds the three parts of one run that share the chunk's contract (`ChunkResult`):
planning and running chunks, isolating a dying worker, and the `check` command's sinks and progress.
"""

from __future__ import annotations

import math
import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .perf import gc_paused

#: an item of a chunk: a path as named on the command line, or [path, kind] as `readers.expand`
#: lists it (kind: file, csvdir, skip, missing, special, broken, denied), with a third element, the
#: source label, when that is not the path itself (a name that is not UTF-8). JSON-able either way.
Item = str | Sequence[str]

# A worker holds ~0.3 MB per submission of its chunk (raw values, tables, pandera's copies) over ~150 MB of
# imports; a chunk also costs ~0.3 s CPU whatever its size (frames, pandera) + ~4 ms per JSON submission.
MAX_CHUNK = 500         # items per chunk at most: the memory bound of a worker (~300 MB at 500)
MIN_CHUNK = 500         # fewer per chunk and the fixed cost per chunk shows (a batch up to this is one chunk)


@dataclass
class ChunkResult:
    """What a chunk hands back: picklable and JSON-able (`to_dict`).

    entries   the report's per-submission entries, exactly as `report.build_report` makes them
              (id, source, sha256, unit, year, profile, status, counts, checked, findings), in input order;
              their `id` is unique within the chunk only: `base_ids` lets the caller make ids unique over
              the whole run (`readers.unique_id`), as one single-process run would name them
    base_ids  each entry's id as its reader gave it, before any `~2` suffix
    items     the number of input items of the chunk; seconds: its wall time in the worker
    item_of   each entry's input item (its index in the chunk's items)
    cross     each entry's fingerprint row for the cross-submission rules (`report.crossrun.chunk_cross`);
              the entries hold no XSB finding: those are decided over the whole run (`final_entries`)
    cross_profiles  the XSB overrides of the chunk's profiles ({profile: {rule: [enabled, severity]}})
    errors    the sources of inputs whose own worker process died (`_rescue`): each has an STR007 entry
    """

    entries: list[dict[str, Any]]
    base_ids: list[str]
    items: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    item_of: list[int] = field(default_factory=list)
    cross: list[dict[str, Any]] = field(default_factory=list)
    cross_profiles: dict[str, dict[str, list]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _item(item: Item) -> tuple[Path, str, str]:
    if isinstance(item, (str, os.PathLike)):
        from .readers import expand

        got = expand([item])
        if len(got) != 1 or got[0][2] not in ("file", "missing", "csvdir", "special", "broken"):
            raise ValueError(f"a chunk item names one file or one CSV folder, not {item!r}")
        return got[0]
    path, kind = item[0], item[1]
    return Path(path), (item[2] if len(item) > 2 else str(path)), kind


def plan_chunks(inputs: Iterable[str | os.PathLike], chunk_size: int | None = None, jobs: int = 1) -> list[list[list[str]]]:
    """Inputs (files and folders, as on the command line) → chunks of [path, kind] items.

    Folders are expanded here (`readers.expand`): every file once, in input order, a CSV folder as one
    item. `chunk_size` items per chunk (default: two chunks per job, between MIN_CHUNK and MAX_CHUNK;
    a batch of up to MIN_CHUNK items is one chunk, run in this process).
    """
    from .readers import NoInputs, expand, label

    inputs = list(inputs)
    listed = expand(inputs)
    if not listed:                        # as `readers.read_inputs` says it (exit 2)
        raise NoInputs("没有找到任何文件可检查（目录为空）/ no inputs: the folder(s) hold no file "
                       f"({', '.join(label(Path(i)) for i in inputs)})")
    items = [[str(p), kind] + ([src] if src != str(p) else []) for p, src, kind in listed]
    size = chunk_size or default_chunk_size(len(items), jobs)
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def default_chunk_size(n: int, jobs: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(n / max(1, 2 * jobs))))


@lru_cache(maxsize=8)
def _forced(profile: str | None):
    from .pipeline import load_checked_profile

    return load_checked_profile(profile) if profile else None


def read_one(item: tuple[Path, str, str], debug: bool = False) -> list:
    """Read one input item. The per-file time budget (`limits.file_budget`) is applied inside the
    readers (`readers._read_file`, `_read_csv_folder`), so it holds here too."""
    from .readers import read_items

    return read_items([item], debug=debug)


def run_chunk(items: Sequence[Item], profile: str | None = None, *, debug: bool = False,
              rules: Sequence[str] | None = None) -> ChunkResult:
    """read → normalize → measure → check → report entries of one chunk. A pure function of its
    arguments (no global state read or written besides caches), safe in any worker process
    (a process pool here; a Spark task, `mapInArrow`, elsewhere).

    items    paths as named on the command line (a file or a CSV folder each), or [path, kind] pairs
             from `plan_chunks`; order is kept
    profile  a profile name or YAML path forced on every submission (None: declared or detected)
    rules    the selected rule IDs (`config.Settings.rules`: --select/--ignore); None: every rule
    Returns a `ChunkResult`; its `to_dict()` is plain JSON (entries in `report.build_report`'s shape).
    """
    from .readers import unique_id

    t0 = time.perf_counter()
    forced = _forced(profile)
    with gc_paused():
        raws = []
        item_of: list[int] = []
        for k, it in enumerate(items):
            got = read_one(_item(it), debug)
            raws.extend(got)
            item_of.extend([k] * len(got))
            if _TICK is not None:
                _TICK()
        base_ids = [r.id for r in raws]
        seen: dict[str, int] = {}
        for r in raws:
            r.id = unique_id(r.id, seen)
        entries, cross, cross_profiles = _checked(raws, forced, rules)
    if len(cross) != len(entries):
        raise RuntimeError(f"{len(entries)} entries but {len(cross)} fingerprint rows in a chunk")
    del raws
    clear_memos()
    return ChunkResult(entries, base_ids, len(items), time.perf_counter() - t0, item_of=item_of, cross=cross,
                       cross_profiles=cross_profiles)


#: a chunk's checked part: its entries (no XSB finding), their fingerprint rows, the profiles' XSB overrides
Checked = tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, list]]]


def _entries(raws: list, forced, rules: Sequence[str] | None) -> Checked:
    from .pipeline import check_raws
    from .report.crossrun import chunk_cross, without_cross
    from .report.stream import submission_entries

    from .rules.cross import forget_pass, matched_run_wide

    forget_pass()               # chunk_cross reuses this check's XSB pass, never an earlier check's
    with matched_run_wide():    # XSB: matched over every chunk's fingerprints by final_entries
        result = check_raws(raws, forced)
    cross, cross_profiles = chunk_cross(result.tables)
    result.findings = without_cross(result.findings)       # XSB: over the whole run, by the caller
    if rules is not None:
        from .config import apply_selection

        result.findings = apply_selection(result.findings, tuple(rules))
    return submission_entries(result), cross, cross_profiles


def _joined(parts: Iterable[Checked]) -> Checked:
    entries: list[dict[str, Any]] = []
    cross: list[dict[str, Any]] = []
    profiles: dict[str, dict[str, list]] = {}
    for e, c, p in parts:
        entries += e
        cross += c
        for name, over in p.items():
            profiles.setdefault(name, over)
    return entries, cross, profiles


def _checked(raws: list, forced, rules: Sequence[str] | None) -> Checked:
    """normalize → measure → check → entries of a chunk's submissions within the per-file time budget
    (`limits.file_budget`, time_budget for the whole chunk: a normal chunk needs a few seconds). Over it,
    each submission is checked on its own within the budget, and one still over it becomes its STR007:
    the same entries, in the same order, as the chunk would give, except the pathological one."""
    from .limits import BudgetExceeded, file_budget
    from .model import unreadable

    kept = [list(r.problems) for r in raws]     # normalizing adds to a raw's problems: undone before a retry
    try:
        with file_budget():
            return _entries(raws, forced, rules)
    except BudgetExceeded as exc:
        over = exc
    out: list[Checked] = []
    for r, problems in zip(raws, kept):
        r.problems = list(problems)
        if len(raws) > 1:
            try:
                with file_budget():
                    out.append(_entries([r], forced, rules))
                continue
            except BudgetExceeded as exc:
                over = exc
        lost = unreadable(r.source, r.id, over.zh + "：文件已读取，但规范化与规则检查未能在时限内完成",
                          over.en + " (the file was read, but normalising and checking it did not finish in time)",
                          sha256=r.sha256, reader=r.reader)
        out.append(_entries([lost], forced, rules))
    return _joined(out)


#: the modules whose memos (lru caches of parsed values, methods, row readings, header texts) a chunk fills
MEMO_MODULES = ("budget_audit.parse", "budget_audit.normalize", "budget_audit.readers")


def clear_memos() -> None:
    """Empty the value memos after a chunk. Bounded as they are (64–128k entries each), full they hold
    ~15 MB more per chunk of 500 until ~600 MB a worker; emptied, a worker stays flat (~300 MB), and
    the next chunk refills what it needs at no measurable cost (measured: same CPU time)."""
    for name, mod in list(sys.modules.items()):
        if mod is None or not name.startswith(MEMO_MODULES):
            continue
        for obj in list(vars(mod).values()):
            if callable(getattr(obj, "cache_clear", None)) and hasattr(obj, "cache_info"):
                obj.cache_clear()


#: called after each file a chunk has read (progress only; never changes a result): set in pool workers by
#: `_init_worker`, in this process by `check_command`
_TICK: Callable[[], None] | None = None


def _die_with_parent(parent: int) -> None:
    """Linux: this worker gets SIGKILL when the process that started it dies (a SIGKILLed `check` would
    otherwise leave its workers waiting on the task queue forever, holding their memory)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))    # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:            # the parent died before the line above
        os._exit(1)


def _init_worker(counter, parent: int | None = None) -> None:
    global _TICK
    from . import limits

    if parent is not None:
        _die_with_parent(parent)
    limits.HARD_EXIT = True           # a block over its budget that no signal can stop ends this worker

    def tick() -> None:
        lock = counter.get_lock()
        if lock.acquire(timeout=0.05):       # held forever by a worker killed inside it: a tick lost, no hang
            try:
                counter.get_obj().value += 1
            finally:
                lock.release()
    _TICK = tick


def _files_counted(counter) -> int:
    """The workers' file count, read without its lock (an aligned 8-byte int; progress only): a worker killed
    while holding that lock must not stop the parent."""
    return counter.get_obj().value


def _warm() -> None:
    """Import and build what every chunk needs once, before the pool forks (children share it)."""
    from . import pipeline  # noqa: F401
    from .report import stream  # noqa: F401
    from .rules.schemas import TABLES, schema_for

    for t in TABLES:
        schema_for(t)


def _pool(jobs: int, counter) -> ProcessPoolExecutor:
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context(method), initializer=_init_worker,
                               initargs=(counter, os.getpid()))


def run_chunks(chunks: list[list[Item]], profile: str | None = None, *, jobs: int = 1, debug: bool = False,
               rules: Sequence[str] | None = None,
               started: Callable[[], None] | None = None,
               files_read: Callable[[int], None] | None = None,
               forking: Callable[[], AbstractContextManager] | None = None) -> Iterator[ChunkResult]:
    """Chunk results in chunk order. jobs == 1 (or one chunk): in this process; else a process pool
    with at most 2 × jobs chunks in flight (the parent's memory bound). `files_read(n)` is told, a few
    times a second, how many files the chunks have read so far (for a progress bar). `started()` is called
    once the pool's workers are forked; a fork after it (the rescue of a chunk whose worker died, and the new
    pool) runs inside `forking()`, which must stop any thread the caller started meanwhile (`check_command`:
    the progress bar's): a thread holding a lock at the fork (stderr's buffer, rich's console) would leave
    the child that lock held forever."""
    global _TICK
    if jobs <= 1 or len(chunks) <= 1:
        if started:
            started()
        done = [0]

        def tick() -> None:
            done[0] += 1
            if files_read:
                files_read(done[0])
        saved, _TICK = _TICK, tick
        try:
            for c in chunks:
                yield run_chunk(c, profile, debug=debug, rules=rules)
        finally:
            _TICK = saved
        return
    import multiprocessing as mp
    from concurrent.futures import wait

    _warm()
    _forced(profile)                      # a broken profile fails here, once, not in every worker
    counter = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn").Value("q", 0)
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(jobs, counter)

    def submit(j: int) -> Future:
        try:
            return pool.submit(run_chunk, chunks[j], profile, debug=debug, rules=rules)
        except BrokenProcessPool as exc:      # a worker died since the last result: handled at its turn
            fut: Future = Future()
            fut.set_exception(exc)
            return fut
    try:
        pending: list[tuple[int, Future]] = []
        nxt = 0
        while nxt < len(chunks) and len(pending) < 2 * jobs:
            pending.append((nxt, submit(nxt)))
            nxt += 1
        if started:
            started()                     # after the workers are forked: no threads copied into them
        while pending:
            while not wait([pending[0][1]], timeout=0.25).done:
                if files_read:
                    files_read(_files_counted(counter))
            k, fut = pending.pop(0)
            try:
                res = fut.result()
            except BrokenProcessPool:
                # a worker died (a crash, os._exit, SIGKILL, the OOM killer, the hard time watchdog): the whole
                # pool is gone. This chunk is re-run in fresh processes, split until the culprit is one file
                # (its entry: a finding); the chunks in flight are resubmitted to a new pool.
                pool.shutdown(wait=True, cancel_futures=True)
                with (forking or nullcontext)():
                    res = _rescue(chunks[k], profile, debug=debug, rules=rules)
                    pool = _pool(jobs, counter)
                    pending = [(j, submit(j)) for j, _ in pending]     # the new pool forks its workers here
                    if not pending and nxt < len(chunks):
                        pending.append((nxt, submit(nxt)))
                        nxt += 1
            if nxt < len(chunks):
                pending.append((nxt, submit(nxt)))
                nxt += 1
            yield res
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolated(items: Sequence[Item], profile: str | None, debug: bool, rules: Sequence[str] | None,
              ) -> ChunkResult | None:
    """`run_chunk(items)` in a fresh forked process (hard watchdog armed, as in a pool worker); None when
    that process dies before handing back its result."""
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_isolated_main, args=(send, list(items), profile, debug, rules, os.getpid()),
                       daemon=True)
    proc.start()
    send.close()
    try:
        res = recv.recv()
    except (EOFError, OSError):
        res = None
    finally:
        recv.close()
        proc.join()
    return res if isinstance(res, ChunkResult) else None


def _isolated_main(send, items, profile, debug, rules, parent: int) -> None:
    from . import limits

    _die_with_parent(parent)
    limits.HARD_EXIT = True
    send.send(run_chunk(items, profile, debug=debug, rules=rules))
    send.close()


def _rescue(items: Sequence[Item], profile: str | None = None, *, debug: bool = False,
            rules: Sequence[str] | None = None) -> ChunkResult:
    """The result of a chunk whose worker died: the chunk re-run alone in a fresh process (it may only have
    shared the pool with the culprit); if that dies too, each half, down to the one file whose process
    dies, which becomes an unreadable entry (STR007) saying so. Entries stay in input order."""
    res = _isolated(items, profile, debug, rules)
    if res is not None:
        return res
    if len(items) == 1:
        return _lost(items[0], profile, rules)
    mid = len(items) // 2
    a = _rescue(items[:mid], profile, debug=debug, rules=rules)
    b = _rescue(items[mid:], profile, debug=debug, rules=rules)
    entries, cross, profiles = _joined([(a.entries, a.cross, a.cross_profiles), (b.entries, b.cross, b.cross_profiles)])
    return ChunkResult(entries, a.base_ids + b.base_ids, a.items + b.items, a.seconds + b.seconds,
                       a.errors + b.errors, item_of=a.item_of + [mid + k for k in b.item_of], cross=cross,
                       cross_profiles=profiles)


LOST = ("检查该文件的工作进程意外终止（程序崩溃、内存不足被系统终止，或超过单文件时间限制 time_budget），"
        "该文件未能检查；批次中的其他文件不受影响",
        "the worker process checking this file died (a crash, killed by the system for memory, or over the per-file "
        "time budget time_budget): the file was not checked; the rest of the batch is unaffected")


def _lost(item: Item, profile: str | None, rules: Sequence[str] | None) -> ChunkResult:
    """The entry of an input whose own process died: STR007 naming the file, as an unreadable file has."""
    from .model import unreadable

    path, source, kind = _item(item)
    raw = unreadable(source, (path.name if kind == "csvdir" else path.stem) or source, *LOST)
    entries, cross, profiles = _entries([raw], _forced(profile), rules)
    return ChunkResult(entries, [raw.id], 1, 0.0, [source], item_of=[0], cross=cross, cross_profiles=profiles)


class Spool:
    """The entries of a run until its XSB findings are known (after the last chunk): the first chunk's in
    memory; from a second chunk on, all of them pickled to an anonymous temporary file (in `where`, e.g. the
    output's folder; else the system's), read back in order. Memory stays bounded by the chunk."""

    def __init__(self, where: str | os.PathLike | None = None) -> None:
        self.where = where
        self.first: list[dict[str, Any]] | None = None
        self.fh = None

    def add_chunk(self, entries: list[dict[str, Any]]) -> None:
        import pickle
        import tempfile

        if self.fh is None and self.first is None:
            self.first = entries
            return
        if self.fh is None:
            self.fh = tempfile.TemporaryFile(dir=self.where, prefix=".budget-audit-spool-")
            for e in self.first or ():
                pickle.dump(e, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.first = None
        for e in entries:
            pickle.dump(e, self.fh, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        import pickle

        if self.fh is None:
            yield from self.first or ()
            return
        self.fh.flush()
        self.fh.seek(0)
        while True:
            try:
                yield pickle.load(self.fh)
            except EOFError:
                return

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        self.first = None


def _spool_dir(pairs: Sequence[tuple[str, str | None]]) -> str | None:
    for _, out in pairs:
        if out and out != "-":
            return str(Path(out).resolve().parent)
    return None


def final_entries(results: Iterable[ChunkResult], rules: Sequence[str] | None = None, *,
                  spool_dir: str | os.PathLike | None = None,
                  each_chunk: Callable[[ChunkResult], None] | None = None) -> Iterator[dict[str, Any]]:
    """Chunk results (in chunk order) → the report's submission entries, final and in input order: ids made
    unique over the run (as `read_inputs` does), and the cross-submission (XSB) findings computed once over
    every chunk's fingerprints (`report.crossrun`) and merged into their entries — the single-pass report,
    whatever the chunking. The entries are spooled (`Spool`) until the last chunk is in."""
    from .readers import unique_id
    from .report.crossrun import CrossRun, merge

    cross = CrossRun(rules)
    seen: dict[str, int] = {}
    spool = Spool(spool_dir)
    try:
        for res in results:
            ids = []
            for entry, base in zip(res.entries, res.base_ids):
                entry["id"] = unique_id(base, seen)
                ids.append(entry["id"])
            cross.add(res.cross, ids, res.cross_profiles)
            spool.add_chunk(res.entries)
            if each_chunk is not None:
                each_chunk(res)
        extra = cross.findings()
        del cross
        for entry in spool:
            yield merge(entry, extra.get(entry["id"], []))
    finally:
        spool.close()


def run_batch(inputs: Iterable[str], profile: str | None = None, *, jobs: int | None = None,
              chunk_size: int | None = None, debug: bool = False,
              rules: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """The report's submission entries for `inputs`, in input order, streamed chunk by chunk."""
    jobs = jobs or os.cpu_count() or 1
    chunks = plan_chunks(inputs, chunk_size, jobs)
    yield from final_entries(run_chunks(chunks, profile, jobs=jobs, debug=debug, rules=rules), rules)


# ============================================================================================
# the `check` command: sinks, progress bar, the closing line
# ============================================================================================

class _Progress:
    """A rich progress bar on stderr (files/s, ETA, failures so far); nothing when stderr is no terminal."""

    def __init__(self, total: int, lang: str, enabled: bool, console=None) -> None:
        self.bar = None
        self.last = 0.0
        self.total = total
        self.lang = lang
        if not enabled:
            return
        try:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                       TimeRemainingColumn)
        except ImportError:       # rich is a dependency; a broken install just loses the bar
            return
        zh = lang == "zh"
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                            TextColumn(("剩余" if zh else "ETA")), TimeRemainingColumn(),
                            TextColumn("{task.fields[fails]}"),
                            console=console or Console(stderr=True), transient=True)
        self.task = self.bar.add_task("检查" if zh else "checking", total=total, rate="", fails="")
        self.t0 = time.perf_counter()

    def start(self) -> None:
        if self.bar is not None:
            self.t0 = time.perf_counter()
            self.bar.start()

    def update(self, done: int, failures: int) -> None:
        """`done` files of `total` so far (read, or checked), `failures` failed or unreadable so far."""
        if self.bar is None:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and done < self.total:
            return                        # a few redraws a second are enough
        self.last = now
        zh = self.lang == "zh"
        rate = done / max(now - self.t0, 1e-9)
        self.bar.update(self.task, completed=min(done, self.total), rate=f"{rate:.1f} {'个/秒' if zh else 'files/s'}",
                        fails=(f"未通过/无法读取 {failures}" if zh else f"failed/unreadable {failures}"))

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The bar stopped, its refresh thread ended (joined), for a block that forks; then redrawn."""
        live = getattr(self.bar, "live", None)
        if live is None or not live.is_started:
            yield
            return
        thread = getattr(live, "_refresh_thread", None)
        self.bar.stop()
        if thread is not None:
            thread.join()
        try:
            yield
        finally:
            self.bar.start()


def closing_line(summary: dict[str, Any], seconds: float, outputs: list[str], lang: str) -> str:
    """The one line after a run that wrote files: counts, time, where the reports went."""
    n = summary["submissions"]
    f = summary["findings"]
    rate = n / seconds if seconds > 0 else 0.0
    where = ", ".join(outputs)
    if lang == "zh":
        return (f"budget-audit：{n} 份，通过 {summary['passed']}，未通过 {summary['failed']}，无法读取 {summary['unreadable']}"
                + (f"，未检查 {summary['skipped']}" if summary.get("skipped") else "")
                + f"；错误 {f['error']}，警告 {f['warning']}，提示 {f['info']}；用时 {seconds:.1f} 秒（{rate:.1f} 份/秒）"
                f"；报告：{where}")
    return (f"budget-audit: {n} submissions, {summary['passed']} passed, {summary['failed']} failed, "
            f"{summary['unreadable']} unreadable" + (f", {summary['skipped']} skipped" if summary.get("skipped") else "")
            + f"; {f['error']} errors, {f['warning']} warnings, {f['info']} info; {seconds:.1f} s ({rate:.1f}/s)"
            f"; report: {where}")


def check_command(inputs: list[str], profile: str | None, pairs: list[tuple[str, str | None]], *, lang: str = "zh",
                  fail_on: str = "error", jobs: int | None = None, chunk_size: int | None = None,
                  verbose: bool = False, quiet: bool = False, debug: bool = False,
                  rules: Sequence[str] | None = None,
                  run_info: Callable[[], dict[str, Any]] | None = None,
                  write: Callable[[dict[str, Any], str, str | None], None] | None = None,
                  whole_report: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
                  exit_fn: Callable[[dict[str, Any]], int] | None = None) -> int:
    """`budget-audit check`: stream every (format, output) pair; return the exit code.

    rules         the selected rule IDs (--select/--ignore), applied to every chunk's findings
    run_info()    the report's `run` block, asked for once the entries are in (after `summary`)
    write(report, fmt, output)   how a collected format is written (default `report.outputs.emit`)
    whole_report(report) → report or None: for consumers of the whole report (waivers/baseline, --annotate):
                  then every format is collected (memory grows with the batch), the report passes
                  through `whole_report`, each pair is written with `write`, and `exit_fn(report)`
                  (default `report.exit_code`) gives the exit code."""
    from .report import exit_code
    from .report.outputs import emit
    from .report.stream import CollectSink, Overview, open_sinks, tool_info

    if write is None:
        def write(report: dict[str, Any], fmt: str, out: str | None) -> None:
            emit(report, fmt, out, lang, fail_on=fail_on)
    t0 = time.perf_counter()
    if profile:
        _forced(profile)                  # ProfileError (exit 2) before any output is opened
    jobs = jobs or os.cpu_count() or 1
    chunks = plan_chunks(inputs, chunk_size, jobs)
    total = sum(len(c) for c in chunks)
    progress = _Progress(total, lang, enabled=total > 1 and not quiet and sys.stderr.isatty())
    if whole_report is not None:
        sinks: list = []
        collected = CollectSink("", None, lang, write=write)
    else:
        sinks = open_sinks(pairs, lang, verbose, write=write)
        collected = None
    if collected is not None:
        sinks.append(collected)
    overview = Overview()
    done = 0
    failures = 0                          # failed or unreadable so far, before the run-wide XSB findings

    def chunk_done(res: ChunkResult) -> None:
        nonlocal done, failures
        done += res.items
        failures += sum(1 for e in res.entries if e["status"] in ("failed", "unreadable"))
        progress.update(done, failures)
    try:
        results = run_chunks(chunks, profile, jobs=jobs, debug=debug, rules=rules, started=progress.start,
                             files_read=lambda n: progress.update(max(n, done), failures),
                             forking=progress.paused)
        for k, entry in enumerate(final_entries(results, rules, spool_dir=_spool_dir(pairs), each_chunk=chunk_done)):
            if not k:
                progress.stop()           # the last chunk is in: the entries are final
            overview.add(entry)
            for s in sinks:
                s.add(entry)
        progress.stop()
        summary = overview.summary()
        run = run_info() if run_info is not None else None
        for s in sinks:
            if s is not collected:
                s.finish(summary, run)
    except BaseException:
        progress.stop()
        for s in sinks:
            s.abort()
        raise
    if collected is not None:
        report: dict[str, Any] = {"tool": tool_info(), "submissions": collected.entries, "summary": summary}
        if run is not None:
            report["run"] = run
        report = whole_report(report) or report      # None: the consumer only reads it
        for fmt, out in pairs:
            write(report, fmt, out)
        code = exit_fn(report) if exit_fn is not None else exit_code(report, fail_on)
    else:
        code = exit_code({"summary": summary}, fail_on)
    written = [out for _, out in pairs if out and out != "-"]
    if written and not quiet:
        print(closing_line(summary, time.perf_counter() - t0, written, lang), file=sys.stderr)
    return code
