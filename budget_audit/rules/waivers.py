"""WVR — waivers: findings about the waivers file itself.

A waiver ("known, accepted, with reason, until <date>") is applied after the check, as a pass over
the report (`budget_audit.report.review`): only there are the findings a waiver matches known, and
that pass works on streamed per-submission report entries too. The rule is still declared here, like
every rule, so that its ID, slug, severity, titles, documentation and message templates have one
definition (the review pass renders its messages from this declaration), and a profile can switch it
off or re-grade it.

Its measure therefore only prepares the columns its messages read: at measure time no waiver has been
matched, so `wvr001` is "not applicable" (NaN) on every submission; the review pass decides.
"""

from __future__ import annotations

import numpy as np

from ..normalize import Tables
from .base import Check, rule

WVR001_FIELDS = ("wvr001_rule", "wvr001_expires", "wvr001_reason", "wvr001_entry")


@rule("WVR001", "expired-waiver", "warning", "豁免已过期", "Expired waiver",
      doc="A waiver of the `--waivers` file matched a finding but is past its `expires` date: the finding is "
          "no longer waived (it counts and can fail the gate again), and this warning says the waiver needs a "
          "decision (renew it with a new date and reason, or fix the submission). Evaluated by the review pass "
          "over the report (`budget_audit/report/review.py`), after the check.",
      checks=(Check("submissions", "wvr001",
                    "豁免（第 {wvr001_entry} 条，规则 {wvr001_rule}，理由：{wvr001_reason}）已于 {wvr001_expires} 过期，"
                    "所匹配的问题不再豁免",
                    "waiver #{wvr001_entry} (rule {wvr001_rule}, reason: {wvr001_reason}) expired on {wvr001_expires}; "
                    "the findings it matches are no longer waived",
                    location="wvr001_loc"),),
      profiles="all profiles; runs only with `check --waivers FILE`",
      example="豁免（第 1 条，规则 SCR001，理由：已与财政局确认）已于 2025-12-31 过期，所匹配的问题不再豁免")
def wvr001(t: Tables) -> None:
    s = t.submissions
    s["wvr001"] = np.nan            # decided by report.review once findings exist
    for col in (*WVR001_FIELDS, "wvr001_loc"):
        s[col] = None
