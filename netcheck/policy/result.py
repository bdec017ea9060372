"""What a policy check returns: findings, undecided questions, suppressions, notes.

Input: built by `netcheck.policy.evaluate`. Output: `Finding`, `Undecided`, `Suppressed`,
`CheckResult` — frozen values with `to_dict()` (the JSON contract of `netcheck check
--format json`) and `CheckResult.exit_code` (0 clean, 1 findings, 2 rule or input errors,
3 a question could not be decided).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from netcheck.errors import Diagnostic
from netcheck.model.base import Provenance
from netcheck.model.packet import Hop
from netcheck.policy.model import Rule, RuleSeverity


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class Question(_Value):
    """The reachability question a finding answers (the arguments of `Snapshot.query`)."""

    src: str
    dst: str
    protocol: str = "any"
    port: str | None = None
    one_way: bool = False

    def __str__(self) -> str:
        port = f"/{self.port}" if self.port is not None else ""
        return f"{self.src} -> {self.dst} ({self.protocol}{port})"


class BlockerInfo(_Value):
    """One blocking setting of a proof (for `reachable` rules that fail)."""

    component_id: str
    code: str
    rule: str | None = None
    message: str = ""


class Finding(_Value):
    """A rule that does not hold for one resource, with the evidence."""

    rule_id: str
    severity: RuleSeverity
    title: str
    resource_id: str
    resource_name: str | None = None
    question: Question
    verdict: str
    message: str
    fix: str = ""
    packet: str | None = None
    path: tuple[Hop, ...] = ()
    return_path: tuple[Hop, ...] = ()
    blockers: tuple[BlockerInfo, ...] = ()
    location: Provenance | None = None
    snapshot: str | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and unrelated changes (SARIF `partialFingerprints`)."""
        q = self.question
        key = "|".join((self.rule_id, self.resource_id, q.src, q.dst, q.protocol, q.port or ""))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    @property
    def path_text(self) -> str:
        """The witness path on one line: `internet -> igw-1 -> acl-2 (100) -> … -> eni-3`."""
        parts = []
        for h in self.path:
            rule = f" ({h.rule})" if h.rule else ""
            parts.append(f"{h.component_id}{rule}")
        return " -> ".join(parts)


class Suppression(_Value):
    """An accepted finding: `rule` (id or glob) on `resource` (id, Name or glob; omitted: any
    resource), with the reason it is accepted and an optional expiry date (after which it
    stops suppressing and is reported)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=1)
    resource: str | None = None
    reason: str = Field(min_length=1, pattern=r"\S")
    expires: date | None = None

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def matches(self, finding: Finding) -> bool:
        from fnmatch import fnmatchcase

        if not fnmatchcase(finding.rule_id, self.rule):
            return False
        if self.resource is None:
            return True
        names = [finding.resource_id] + ([finding.resource_name] if finding.resource_name else [])
        return any(fnmatchcase(n, self.resource) for n in names)

    def __str__(self) -> str:
        on = f" on {self.resource}" if self.resource else ""
        until = f" until {self.expires}" if self.expires else ""
        return f"{self.rule}{on}{until}: {self.reason}"


class Suppressed(_Value):
    finding: Finding
    suppression: Suppression


class Undecided(_Value):
    """A question the engine could not answer (unknown verdict, timeout, unsupported)."""

    rule_id: str
    resource_id: str
    question: Question
    reason: str


class CheckResult(_Value):
    """The outcome of checking one or more snapshots against a set of rules."""

    rules: tuple[Rule, ...] = ()
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    expired_suppressions: tuple[Suppression, ...] = ()
    unused_suppressions: tuple[Suppression, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    notes: tuple[str, ...] = ()
    questions: int = 0
    snapshots: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """2 rule/input errors; else 1 findings; else 3 undecided; else 0."""
        if self.errors:
            return 2
        if self.findings:
            return 1
        if self.undecided:
            return 3
        return 0

    def merge(self, other: CheckResult) -> CheckResult:
        """Two snapshots' results as one (rules from `self`)."""
        return CheckResult(
            rules=self.rules or other.rules,
            findings=self.findings + other.findings,
            suppressed=self.suppressed + other.suppressed,
            expired_suppressions=tuple(
                dict.fromkeys(self.expired_suppressions + other.expired_suppressions)
            ),
            unused_suppressions=tuple(
                s for s in self.unused_suppressions if s in other.unused_suppressions
            ),
            undecided=self.undecided + other.undecided,
            errors=self.errors + other.errors,
            notes=self.notes + other.notes,
            questions=self.questions + other.questions,
            snapshots=self.snapshots + other.snapshots,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `netcheck check --format json` (stable key order)."""

        def finding(f: Finding) -> dict[str, Any]:
            d = f.model_dump(mode="json", exclude_none=True)
            d["fingerprint"] = f.fingerprint
            return d

        return {
            "summary": {
                "rules": len(self.rules),
                "questions": self.questions,
                "findings": len(self.findings),
                "suppressed": len(self.suppressed),
                "undecided": len(self.undecided),
                "errors": len(self.errors),
                "exit_code": self.exit_code,
            },
            "snapshots": list(self.snapshots),
            "findings": [finding(f) for f in self.findings],
            "suppressed": [
                {
                    "finding": finding(s.finding),
                    "suppression": s.suppression.model_dump(mode="json"),
                }
                for s in self.suppressed
            ],
            "expired_suppressions": [s.model_dump(mode="json") for s in self.expired_suppressions],
            "unused_suppressions": [s.model_dump(mode="json") for s in self.unused_suppressions],
            "undecided": [u.model_dump(mode="json") for u in self.undecided],
            "errors": [d.model_dump(mode="json", exclude_none=True) for d in self.errors],
            "notes": list(self.notes),
            "rules": [
                {"id": r.id, "title": r.title, "severity": r.severity.value} for r in self.rules
            ],
        }
