"""Numbers shared by every stage: float noise, the unknown-precision tolerance, printing and JSON.

rules.md: a figure printed with d decimals stands for v ± ½·10⁻ᵈ; where the precision is unknown
(a float from a spreadsheet cell) it counts as exact at 2 decimals (±0.005); comparisons add 1e-9
for float noise.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

EPS = 1e-9                  # float noise allowed in every comparison
UNKNOWN_TOL = 0.005         # a number whose printed precision is unknown: exact at 2 decimals


def is_missing(x: Any) -> bool:
    """None, NaN or pandas NA."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or type(x).__name__ in ("NAType", "NaTType")


def fmt_value(x: Any, kind: str = "num") -> str:
    """A number as a finance officer writes it: 95.68%, 16.5, 7280.19 ("—" for nothing)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        if kind == "pct":
            return f"{x * 100:.2f}%"
        return f"{round(float(x), 4):.4f}".rstrip("0").rstrip(".") or "0"
    return str(x)


def json_scalar(x: Any, digits: int | None = 6) -> Any:
    """A value for JSON: numpy scalars become Python, NaN becomes None, floats are rounded to `digits`."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if hasattr(x, "item") and not isinstance(x, (list, tuple, dict, str)):
        try:
            return json_scalar(x.item(), digits)
        except (TypeError, ValueError):
            return x
    if isinstance(x, float) and digits is not None:
        return round(x, digits)
    if hasattr(x, "isoformat"):                 # a date/time cell or a YAML date: as printed, ISO
        return x.isoformat()
    if isinstance(x, timedelta):
        return str(x)
    return x
