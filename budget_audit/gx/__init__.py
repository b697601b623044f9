"""Optional Great Expectations (GX 1.x) backend for the rule catalogue.

Nothing here imports ``great_expectations`` at import time (it costs ~2-3 s);
see :mod:`budget_audit.gx.engine` for the API and the research notes.
"""
