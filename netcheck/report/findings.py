"""Render policy check results for people (text) and programs (JSON).

Input: a `CheckResult` from `netcheck.policy`. Output: plain text (one block per finding: the
rule, the resource, the question, the witness path or the proof, the fix) or the JSON document
of `CheckResult.to_dict()`. Rendering only: no analysis happens here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from netcheck.model.packet import Hop

if TYPE_CHECKING:
    from netcheck.policy.result import CheckResult, Finding


def findings_json(result: CheckResult) -> str:
    """The JSON document of a check (two-space indent, stable key order)."""
    return json.dumps(result.to_dict(), indent=2) + "\n"


def _hop_line(i: int, hop: Hop) -> str:
    rule = f" rule {hop.rule}" if hop.rule else ""
    detail = f" — {hop.detail}" if hop.detail else ""
    return f"      {i:>2}. {hop.kind:<24} {hop.component_id}{rule} [{hop.action}]{detail}"


def finding_text(f: Finding) -> list[str]:
    """The lines of one finding."""
    name = f" ({f.resource_name})" if f.resource_name and f.resource_name != f.resource_id else ""
    lines = [f"{f.rule_id} [{f.severity.value}] {f.resource_id}{name}: {f.title}"]
    lines.append(f"    {f.message}")
    if f.location is not None:
        lines.append(f"    at {f.location.file} {f.location.path}")
    if f.path:
        lines.append(f"    witness: {f.packet}" if f.packet else "    witness path:")
        lines.extend(_hop_line(i, h) for i, h in enumerate(f.path, 1))
        if f.return_path:
            lines.append("    reply:")
            lines.extend(_hop_line(i, h) for i, h in enumerate(f.return_path, 1))
    if f.blockers:
        lines.append("    proof (blocked by):")
        for b in f.blockers:
            rule = f" rule {b.rule}" if b.rule else ""
            lines.append(f"      - {b.component_id}{rule} {b.code}: {b.message}")
    if f.fix:
        lines.append(f"    fix: {f.fix}")
    return lines


def findings_text(result: CheckResult) -> str:
    """A readable report: findings, undecided questions, suppressions, notes, a summary."""
    out: list[str] = []
    for f in result.findings:
        out.extend(finding_text(f))
        out.append("")
    for u in result.undecided:
        out.append(f"{u.rule_id} [undecided] {u.resource_id}: {u.question}: {u.reason}")
    for s in result.suppressed:
        f = s.finding
        out.append(f"{f.rule_id} [suppressed] {f.resource_id}: {s.suppression.reason}")
    for sup in result.expired_suppressions:
        out.append(f"expired suppression (no longer applied): {sup}")
    for sup in result.unused_suppressions:
        out.append(f"unused suppression (matched no finding): {sup}")
    for d in result.errors:
        out.append(str(d))
    for note in result.notes:
        out.append(f"note: {note}")
    if out and out[-1] != "":
        out.append("")
    n = len(result.findings)
    summary = (
        f"{len(result.rules)} rules, {result.questions} questions: "
        f"{n} finding{'s' if n != 1 else ''}"
    )
    extras: list[tuple[int, str]] = [
        (len(result.suppressed), "suppressed"),
        (len(result.undecided), "undecided"),
        (len(result.errors), "errors"),
    ]
    summary += "".join(f", {k} {what}" for k, what in extras if k)
    out.append(summary)
    return "\n".join(out) + "\n"
