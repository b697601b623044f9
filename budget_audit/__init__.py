"""budget-audit: checks for budget performance self-evaluations (预算绩效自评价)."""

__version__ = "0.1.0"
RULES_VERSION = "1.0"
