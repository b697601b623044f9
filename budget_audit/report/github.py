"""`--format github`: GitHub Actions workflow commands, one annotation line per finding.

    ::error file=datasets/a.xlsx,title=BUD004 execution-rate-mismatch::预算执行!B15: 预算执行率写为 97%…

error → `::error`, warning → `::warning`, info → `::notice`. `line=` is given only where the finding is
on a line of a text or CSV file; a workbook cell, PDF page or Word paragraph leads the message instead.
Values are escaped as GitHub's workflow-command rules say: `%`, CR and LF everywhere, and also `:` and
`,` inside the properties, so a message from a unit's file cannot end the command or start another one.
"""

from __future__ import annotations

from typing import Any

from .locate import place
from .outputs import register

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: dict[str, Any], lang: str = "zh") -> str:
    key = "zh" if lang == "zh" else "en"
    lines = []
    for s in report["submissions"]:
        for f in s["findings"]:
            pl = place(s, f)
            props = [f"file={escape_property(pl.path)}"]
            if pl.line:
                props.append(f"line={pl.line}")
            props.append(f"title={escape_property(f['rule'] + ' ' + f['slug'])}")
            message = f["message"][key]
            if pl.position and not pl.line:
                message = f"{pl.position}: {message}"
            lines.append(f"::{COMMAND[f['severity']]} {','.join(props)}::{escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


@register("github")
def _github_bytes(report: dict[str, Any], lang: str) -> bytes:
    return to_github(report, lang).encode("utf-8")
