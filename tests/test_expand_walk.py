"""`readers.expand` over folders: a file that is not a link is listed from the folder listing alone (its real
path: the folder's real path and its name); links are resolved. The listing must be the one every entry
resolved gives — held to `_reference_walk`, the walk as it was (every entry resolved), on a folder with
links to files and folders, loops, dangling links, a FIFO, hard links, hidden and unsupported files."""

from __future__ import annotations

import os
from pathlib import Path

from budget_audit import readers
from budget_audit.readers import CSV_FOLDER_PARTS, SUPPORTED, _real, label


def _reference_walk(d: Path, out: list, seen: set) -> None:
    real = _real(d)
    if real is None or real in seen:
        return
    seen.add(real)
    try:
        is_csv = (d / "indicators.csv").is_file()
        children = sorted(os.scandir(d), key=lambda e: e.name) if not is_csv else []
    except OSError:
        out.append((d, label(d), "denied"))
        return
    if is_csv:
        out.append((d, label(d), "csvdir"))
        return
    for entry in children:
        child = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            _reference_walk(child, out, seen)
            continue
        target = _real(child)
        if target is None:
            out.append((child, label(child), "broken"))
        elif target in seen:
            continue
        elif not child.is_file():
            seen.add(target)
            out.append((child, label(child), "special"))
        elif child.suffix.lower() in SUPPORTED and not child.name.startswith("~$"):
            seen.add(target)
            out.append((child, label(child), "file"))
        else:
            seen.add(target)
            out.append((child, label(child), "skip"))


def _tree(root: Path) -> Path:
    top = root / "batch"
    (top / "sub").mkdir(parents=True)
    (top / "csv").mkdir()
    for name in ("b.xlsx", "a.json", "c.txt", "x.png", "~$lock.xlsx", ".hidden.json", "sub/d.json", "sub/e.csv"):
        (top / name).write_text("{}", encoding="utf-8")
    for part in CSV_FOLDER_PARTS:
        (top / "csv" / part).write_text("a\n", encoding="utf-8")
    os.link(top / "a.json", top / "hard.json")                 # a hard link: a second name, listed twice
    os.symlink("a.json", top / "link-to-a.json")               # a link to a file listed already: once only
    os.symlink("sub/d.json", top / "0-link-first.json")        # the link sorts first: the file itself is the repeat
    os.symlink("sub", top / "sublink")                         # a link to a folder walked already
    os.symlink("..", top / "sub" / "up")                       # a loop
    os.symlink("nowhere.json", top / "gone.json")              # dangling
    os.symlink("/dev/zero", top / "zero.xlsx")                 # a device behind a link
    os.mkfifo(top / "pipe.json")                               # a FIFO
    return top


def test_folder_listing_matches_every_entry_resolved(tmp_path):
    top = _tree(tmp_path)
    for inputs in ([top], [top / "sub", top], [tmp_path], [top, top / "sublink"], [top / "sublink", top]):
        want: list = []
        seen: set = set()
        for p in inputs:
            _reference_walk(Path(p), want, seen)
        got = readers.expand(inputs)
        assert got == want, inputs
    kinds = {p.name: k for p, _, k in readers.expand([top])}
    assert kinds["pipe.json"] == "special" and kinds["zero.xlsx"] == "special" and kinds["gone.json"] == "broken"
    assert kinds["hard.json"] == "file" and "link-to-a.json" not in kinds and kinds["csv"] == "csvdir"
    assert kinds["0-link-first.json"] == "file" and "d.json" not in kinds
