"""Pass: one resource per id across the whole network.

Input: a `Draft`. Output: an error at every resource whose id an earlier one (in collection
order, then reading order) already has, naming where that one is. The resources stay: the
error makes the snapshot unusable anyway, and every other problem is still reported.

(A reader may merge records of one id before this — the AWS reader keeps the first copy of a
peering listed by both accounts — this pass sees what the readers built.)

    >>> from netcheck.inputs.diagnostics import Collector, Loc
    >>> from netcheck.inputs.draft import Draft
    >>> from netcheck.model import Vpc
    >>> a = Vpc(id="vpc-0a", cidr_blocks=("10.0.0.0/16",))
    >>> draft = Draft({"vpcs": [a, a]}, locate=lambda f, i, r: Loc("n.json", f"$.{f}[{i}]", r.id))
    >>> draft.cite_file = False
    >>> c = Collector()
    >>> find_duplicates(draft, c)
    >>> print(c.items[0])
    error: n.json $.vpcs[1] [vpc-0a]: duplicate id vpc-0a: also defined at $.vpcs[0]
"""

from __future__ import annotations

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.model import Resource


def find_duplicates(draft: Draft, c: Collector) -> None:
    first: dict[str, tuple[str, int, Resource]] = {}
    for name, items in draft.collections.items():
        for i, res in enumerate(items):
            seen = first.setdefault(res.id, (name, i, res))
            if seen[:2] != (name, i):
                c.error(
                    f"duplicate id {res.id}: also defined at {draft.where(draft.locate(*seen))}",
                    draft.locate(name, i, res),
                )
