"""Shared state of one AWS snapshot read: raw records, left-out ids, references seen.

Input: records collected from the files (`Raw`). Output: helpers used by every reader:
`common` (id, tags, account, region, provenance), `leave_out` (an inactive resource, noted),
`expect` (a reference, checked by `passes.check_references` once everything is built).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from netcheck.errors import Severity
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import Reference
from netcheck.inputs.values import Json, tags
from netcheck.model import IdleAddress


@dataclass
class Raw:
    """One resource as it appears in a file, with where it is."""

    data: Json
    loc: Loc
    account: str | None = None
    region: str | None = None

    @property
    def id(self) -> str:
        return self.loc.resource_id or ""


@dataclass
class ReadContext:
    c: Collector
    raw: dict[str, list[Raw]] = field(default_factory=lambda: defaultdict(list))
    # id -> why it was left out (e.g. "state 'deleting'")
    left_out: dict[str, str] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    # Instances that are not running: id -> state (their public IPs answer nothing).
    not_running: dict[str, str] = field(default_factory=dict)
    # Public IPs kept by interfaces of instances that are not running.
    idle: list[IdleAddress] = field(default_factory=list)

    def records(self, key: str) -> list[Raw]:
        return self.raw.get(key, [])

    def common(self, r: Raw, tags_key: str = "Tags") -> dict[str, Any]:
        """The `Resource` fields every model object shares."""
        return {
            "id": r.id,
            "tags": tags(r.data, r.loc, self.c, tags_key),
            "region": r.region,
            "account": r.account,
            "provenance": r.loc.provenance(),
        }

    def leave_out(self, r: Raw, kind: str, state: object, why: str = "") -> None:
        self.left_out[r.id] = f"state {state!r}"
        tail = f"; {why}" if why else ""
        self.c.note(
            f"{kind} {r.id} left out: state {state!r} carries no traffic{tail}",
            r.loc,
            analysis=True,
        )

    def expect(
        self,
        ref_id: str | None,
        loc: Loc,
        what: str,
        severity: Severity = Severity.WARNING,
        consequence: str = "",
        left_out_severity: Severity | None = None,
    ) -> None:
        """Record that `ref_id` (read at `loc`) must name a resource of the snapshot."""
        if ref_id:
            self.references.append(
                Reference(ref_id, loc, what, severity, consequence, left_out_severity)
            )
