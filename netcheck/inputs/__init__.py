"""The load stage: snapshot files -> `model.Network` plus load diagnostics.

Input: a folder of `aws ec2 describe-*` JSON (searched recursively; account / region folders
set `Resource.account` / `Resource.region`), one JSON file holding several describe-* keys,
or netcheck's own JSON. Output: `LoadResult(network, diagnostics)`; an unusable snapshot
raises `SnapshotError` carrying every problem found (file, JSON path, resource id).
AWS key spellings live only in this package. Formats: docs/formats.md.

    >>> from netcheck.inputs import load_snapshot
    >>> net = load_snapshot("fixtures/three-tier").network   # doctest: +SKIP
"""

from netcheck.inputs.native import dumps_network, is_native
from netcheck.inputs.snapshot import LoadResult, load_snapshot

__all__ = ["LoadResult", "dumps_network", "is_native", "load_snapshot"]
