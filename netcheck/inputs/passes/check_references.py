"""Pass: every reference a reader saw must name a resource of the snapshot.

Input: a `Draft` (its `references`, built ids, `read_ids`, `left_out`). Output: one diagnostic
per dangling reference — `"<what> <id> is not in the snapshot"` plus a "did you mean" among
ids of the same kind, or `"… was left out (state 'deleting')"` — and its consequence. Warnings
and notes also go to `Network.notes` (the analysis ran without that resource).

    >>> from netcheck.inputs.diagnostics import Collector, Loc
    >>> from netcheck.inputs.draft import Draft, Reference
    >>> from netcheck.model import Vpc
    >>> vpc = Vpc(id="vpc-0a1", cidr_blocks=("10.0.0.0/16",))
    >>> ref = Reference("vpc-0a2", Loc("s.json", "$.Subnets[0].VpcId"), "VPC")
    >>> draft = Draft({"vpcs": [vpc]}, [ref])
    >>> c = Collector()
    >>> check_references(draft, c)
    >>> print(c.items[0])
    warning: s.json $.Subnets[0].VpcId: VPC vpc-0a2 is not in the snapshot (did you mean vpc-0a1?)
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from netcheck.errors import Severity
from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft

# Suggestions cost a fuzzy match each: bounded when a snapshot has very many dangling ids.
_SUGGESTION_BUDGET = 200


def check_references(draft: Draft, c: Collector) -> None:
    present = draft.ids()
    # Ids read from the input but not built had an error of their own: no cascade.
    broken = draft.read_ids - present
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for rid in sorted(present):
        by_prefix[rid.rsplit("-", 1)[0]].append(rid)
    budget = [_SUGGESTION_BUDGET]
    for e in draft.references:
        if e.ref_id in present or (e.ref_id in broken and e.ref_id not in draft.left_out):
            continue
        severity = e.severity
        if e.ref_id in draft.left_out:
            msg = f"{e.what} {e.ref_id} was left out ({draft.left_out[e.ref_id]})"
            severity = e.left_out_severity or severity
        else:
            msg = f"{e.what} {e.ref_id} is not in the snapshot"
            if e.suggest:
                msg += _did_you_mean(e.ref_id, by_prefix, budget)
        if e.consequence:
            msg += f"; {e.consequence}"
        c.add(severity, msg, e.loc, analysis=severity is not Severity.ERROR)


def _did_you_mean(ref_id: str, by_prefix: dict[str, list[str]], budget: list[int]) -> str:
    """` (did you mean subnet-0a1?)` for a near miss among ids of the same kind. `budget`
    bounds the work when a snapshot has very many dangling references."""
    if budget[0] <= 0:
        return ""
    budget[0] -= 1
    candidates = by_prefix.get(ref_id.rsplit("-", 1)[0], [])
    close = difflib.get_close_matches(ref_id, candidates, n=2, cutoff=0.8)
    return f" (did you mean {' or '.join(sorted(close))}?)" if close else ""
