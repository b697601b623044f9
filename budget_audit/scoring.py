"""MTH / PLA measures (scoring-method recomputation and plausibility) on the indicators table."""
from __future__ import annotations


def derive_scoring(ind, sub, profiles, prof) -> None:
    ind["machine_checked"] = False
