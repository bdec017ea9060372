"""The shared passes: what every input format needs after its reader ran.

Input: a `Draft` from any reader in `netcheck.inputs.formats.FORMATS`. Output: the same draft,
completed (AWS defaulting) and checked (duplicates, references), diagnostics in the collector.

`PASSES` is the whole pipeline, run in this order by `run_passes`: the defaulting passes first
(they build the last ids and links), then the checks (they look at the finished network).
Each pass is a plain function `(draft, collector) -> None` in its own verb-named module with a
runnable example; add one by writing the module and placing it in the tuple.
"""

from __future__ import annotations

from collections.abc import Callable

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.inputs.passes.check_nacl_entries import check_nacl_entries
from netcheck.inputs.passes.check_references import check_references
from netcheck.inputs.passes.classify_endpoint_routes import classify_endpoint_routes
from netcheck.inputs.passes.fill_transit_associations import fill_transit_associations
from netcheck.inputs.passes.find_duplicates import find_duplicates
from netcheck.inputs.passes.link_instance_interfaces import link_instance_interfaces
from netcheck.inputs.passes.resolve_subnet_associations import resolve_subnet_associations

Pass = Callable[[Draft, Collector], None]

PASSES: tuple[Pass, ...] = (
    resolve_subnet_associations,
    fill_transit_associations,
    classify_endpoint_routes,
    link_instance_interfaces,
    find_duplicates,
    check_nacl_entries,
    check_references,
)


def run_passes(draft: Draft, c: Collector, passes: tuple[Pass, ...] = PASSES) -> Draft:
    for run in passes:
        run(draft, c)
    return draft


__all__ = [
    "PASSES",
    "Pass",
    "check_nacl_entries",
    "check_references",
    "classify_endpoint_routes",
    "fill_transit_associations",
    "find_duplicates",
    "link_instance_interfaces",
    "resolve_subnet_associations",
    "run_passes",
]
