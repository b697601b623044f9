"""The layering is a contract: `.importlinter` (read → normalize → measure → check → findings → report,
each stage importing only downward, no cycles inside any package), enforced here with import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    out = subprocess.run([exe, "--config", str(ROOT / ".importlinter")], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "2 kept, 0 broken" in out.stdout


def test_no_module_is_oversized_without_a_reason():
    """No module over ~600 lines unless its docstring says why."""
    for path in (ROOT / "budget_audit").rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 600:
            head = "\n".join(lines[:40])
            assert "Long because" in head, f"{path.relative_to(ROOT)} has {len(lines)} lines and no stated reason"
