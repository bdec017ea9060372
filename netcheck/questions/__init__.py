"""Questions: plain typed functions over loaded snapshots, each with a pydantic parameter model.

Input: snapshots (`netcheck.api.Snapshot` or `Network`) and parameters. Output: typed results
with `to_dict()`. `QUESTIONS` lists them explicitly (nothing registers itself on import).

- `reachable_set(snapshot, src, dst, …)`: every packet from SRC to DST, as boxes.
"""

from __future__ import annotations

from netcheck.questions.reachable_set import ReachableSetParams, reachable_set

QUESTIONS = (reachable_set,)

__all__ = ["QUESTIONS", "ReachableSetParams", "reachable_set"]
