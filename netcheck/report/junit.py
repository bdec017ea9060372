"""JUnit XML for CI systems without SARIF support (GitLab, Jenkins, Azure DevOps, …).

Input: a `CheckResult`. Output: a `<testsuites>` document with one test case per rule: passed,
`<failure>` listing its findings (witness path and fix), `<error>` when a question could not be
decided, `<skipped>` when every finding is suppressed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from netcheck.report.findings import finding_text

if TYPE_CHECKING:
    from netcheck.policy.result import CheckResult


def junit_xml(result: CheckResult) -> str:
    """The JUnit XML document of a check (deterministic: rules in id order)."""
    suite_name = "netcheck check" + (f" {', '.join(result.snapshots)}" if result.snapshots else "")
    suites = ET.Element("testsuites", name="netcheck")
    suite = ET.SubElement(suites, "testsuite", name=suite_name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for rule in sorted(result.rules, key=lambda r: r.id):
        counts["tests"] += 1
        case = ET.SubElement(
            suite, "testcase", classname=f"netcheck.{rule.id}", name=f"{rule.id} {rule.title}"
        )
        findings = [f for f in result.findings if f.rule_id == rule.id]
        undecided = [u for u in result.undecided if u.rule_id == rule.id]
        suppressed = [s for s in result.suppressed if s.finding.rule_id == rule.id]
        if findings:
            counts["failures"] += 1
            n = len(findings)
            fail = ET.SubElement(
                case,
                "failure",
                type=rule.severity.value,
                message=f"{n} finding{'s' if n != 1 else ''}: "
                + ", ".join(sorted({f.resource_id for f in findings})),
            )
            fail.text = "\n".join(line for f in findings for line in [*finding_text(f), ""])
        elif undecided:
            counts["errors"] += 1
            err = ET.SubElement(
                case, "error", type="undecided", message=f"{len(undecided)} undecided"
            )
            err.text = "\n".join(f"{u.resource_id}: {u.question}: {u.reason}" for u in undecided)
        elif suppressed:
            counts["skipped"] += 1
            ET.SubElement(
                case,
                "skipped",
                message="suppressed: "
                + "; ".join(f"{s.finding.resource_id}: {s.suppression.reason}" for s in suppressed),
            )
    for key, value in counts.items():
        suite.set(key, str(value))
        suites.set(key, str(value))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
