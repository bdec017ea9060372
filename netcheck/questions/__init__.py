"""Questions: plain typed functions over loaded snapshots, each with a pydantic parameter model.

Input: snapshots (a `Network`, or anything with `.network` such as the API's `Snapshot`) and
parameters. Output: typed results
with `to_dict()`. `QUESTIONS` lists them explicitly (nothing registers itself on import).

- `diff(old, new, src=…, dst=…)`: packets reachable in NEW but not OLD, and the reverse.
- `exposure(snapshot, origin=…)`: per resource, everything the origin reaches.
- `reachable_set(snapshot, src, dst, …)`: every packet from SRC to DST, as boxes.
"""

from __future__ import annotations

from netcheck.questions.diff import DiffParams, diff
from netcheck.questions.exposure import ExposureParams, exposure
from netcheck.questions.reachable_set import ReachableSetParams, reachable_set

QUESTIONS = (diff, exposure, reachable_set)

__all__ = [
    "QUESTIONS",
    "DiffParams",
    "ExposureParams",
    "ReachableSetParams",
    "diff",
    "exposure",
    "reachable_set",
]
