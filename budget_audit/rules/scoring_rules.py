"""MTH (scoring method) and PLA (plausibility) rules; their measures are derived in `scoring.py`."""
from __future__ import annotations

SCORING_RULES: tuple = ()
