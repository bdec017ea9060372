"""The input stage: snapshot documents -> `model.Network` plus load diagnostics.

Input: a folder of `aws ec2 describe-*` JSON (searched recursively; account / region folders
set `Resource.account` / `Resource.region`), one JSON file holding several describe-* keys,
netcheck's own JSON, or such a document already in memory (a dict). Output:
`LoadResult(network, diagnostics)`; an unusable snapshot raises `SnapshotError` carrying every
problem found (file, JSON path, resource id). AWS key spellings live only in this package.

The pipeline: `files` decodes the documents, `formats.FORMATS` picks the reader, the reader
builds a `draft.Draft`, `passes.PASSES` complete and check it (AWS defaulting, duplicate ids,
references), `draft.assemble` freezes the `Network`. Formats: docs/formats.md.

    >>> from netcheck.inputs import load_snapshot
    >>> net = load_snapshot("fixtures/three-tier").network   # doctest: +SKIP
"""

from netcheck.inputs.formats import FORMATS, Format
from netcheck.inputs.native import dumps_network, is_native
from netcheck.inputs.passes import PASSES
from netcheck.inputs.snapshot import LoadResult, load_snapshot

__all__ = [
    "FORMATS",
    "PASSES",
    "Format",
    "LoadResult",
    "dumps_network",
    "is_native",
    "load_snapshot",
]
