"""Shared state of one AWS snapshot read: raw records, built ids, deferred reference checks.

Input: records collected from the files (`Raw`). Output: helpers used by every reader:
`common` (id, tags, account, region, provenance), `leave_out` (an inactive resource, noted),
`expect` (a reference checked once everything is built).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from netcheck.errors import Severity
from netcheck.load.diagnostics import Collector, Loc
from netcheck.load.values import Json, tags


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
class Expectation:
    ref_id: str
    loc: Loc
    what: str  # "NAT gateway", "subnet"…
    severity: Severity
    consequence: str = ""
    # Severity when the reference names a resource that was left out (inactive).
    left_out_severity: Severity | None = None


@dataclass
class ReadContext:
    """The state of one AWS snapshot read, passed to every reader (`ctx`)."""

    c: Collector
    raw: dict[str, list[Raw]] = field(default_factory=lambda: defaultdict(list))
    # id -> why it was left out (e.g. "state 'deleting'")
    left_out: dict[str, str] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)

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
            self.expectations.append(
                Expectation(ref_id, loc, what, severity, consequence, left_out_severity)
            )

    def check_expectations(self, present: set[str]) -> None:
        # Ids read from the input but not built had an error of their own: no cascade.
        broken = {r.id for records in self.raw.values() for r in records} - present
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for rid in sorted(present):
            by_prefix[rid.rsplit("-", 1)[0]].append(rid)
        budget = [200]
        for e in self.expectations:
            if e.ref_id in present or (e.ref_id in broken and e.ref_id not in self.left_out):
                continue
            severity = e.severity
            if e.ref_id in self.left_out:
                msg = f"{e.what} {e.ref_id} was left out ({self.left_out[e.ref_id]})"
                severity = e.left_out_severity or severity
            else:
                msg = f"{e.what} {e.ref_id} is not in the snapshot"
                msg += _did_you_mean(e.ref_id, by_prefix, budget)
            if e.consequence:
                msg += f"; {e.consequence}"
            self.c.add(severity, msg, e.loc, analysis=severity is not Severity.ERROR)


def _did_you_mean(ref_id: str, by_prefix: dict[str, list[str]], budget: list[int]) -> str:
    """` (did you mean subnet-0a1?)` for a near miss among ids of the same kind. `budget`
    bounds the work when a snapshot has very many dangling references."""
    if budget[0] <= 0:
        return ""
    budget[0] -= 1
    candidates = by_prefix.get(ref_id.rsplit("-", 1)[0], [])
    close = difflib.get_close_matches(ref_id, candidates, n=2, cutoff=0.8)
    return f" (did you mean {' or '.join(sorted(close))}?)" if close else ""
