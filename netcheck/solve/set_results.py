"""Plain-Python results of the header-space enumeration (netcheck/solve/sets.py).

Input: nothing (data classes). Output: `BoxValue`, `SetOutcome`. No Z3 object appears here:
boxes are inclusive integer intervals per header field, packets are dicts field -> int.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netcheck.model.intervals import IntervalSet
from netcheck.model.packet import Origin

Interval = tuple[int, int]
__all__ = ["BoxValue", "Interval", "IntervalSet", "SetOutcome"]


@dataclass(frozen=True)
class BoxValue:
    """A box of packets that all get through: per dimension a union of inclusive intervals
    (dimensions not listed are fixed by the protocol class: ports 0 unless TCP/UDP, ICMP
    type/code 0 unless ICMP). `witness` is one packet inside it (header field -> int)."""

    protocol_class: str
    dims: dict[str, IntervalSet]
    witness: dict[str, int]
    origin: Origin
    nat_ports: dict[str, int]


@dataclass
class SetOutcome:
    """`status` is "complete" (the boxes are the whole set) or "unknown" (`reason`)."""

    status: str = "complete"
    boxes: list[BoxValue] = field(default_factory=list)
    unknown_reasons: list[str] = field(default_factory=list)
    reason: str | None = None
    checks: int = 0
    raw_boxes: int = 0
