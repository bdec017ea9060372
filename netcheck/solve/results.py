"""Plain-Python results of the solver: what explain/ turns into witnesses and proofs.

Input: nothing (data classes). Output: `Verdict`, `HopValue`, `Found`, `BlockerValue`,
`Outcome`.
No Z3 object ever appears here: packets are dicts of header field -> int.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from netcheck.model.packet import Origin


class Verdict(StrEnum):
    """The answer to a reachability question; the values are the JSON contract (`verdict`).
    `netcheck.Verdict` (explain/answer.py) is this same class."""

    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HopValue:
    component_id: str
    kind: str
    action: str = "pass"
    rule: str | None = None
    detail: str = ""
    packet_out: dict[str, int] | None = None


@dataclass(frozen=True)
class Found:
    """A concrete packet that gets through, with its forward and return hops."""

    origin: Origin
    packet: dict[str, int]
    forward: tuple[HopValue, ...]
    reply: tuple[HopValue, ...]
    final: dict[str, int]
    nat_ports: dict[str, int]
    end_kind: str
    end_component: str | None
    one_way: bool
    # The AZ the TGW picked for the flow per appliance-mode attachment it crossed.
    appliance_azs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BlockerValue:
    component_id: str
    code: str
    rule: str | None
    message: str
    path: int | None = None
    direction: str = "forward"
    # True when packets of the query really end here (a satisfiable drop); False when this is
    # the first hop of a candidate path that no packet of the query gets past.
    observed: bool = False
    # Labels of the path's steps that together leave no packet (an unsat core).
    core: tuple[str, ...] = ()


@dataclass
class Outcome:
    verdict: Verdict
    found: Found | None = None
    blockers: list[BlockerValue] = field(default_factory=list)
    paths_checked: int = 0
    reason: str | None = None
    unknown_component: str | None = None
    # (name, SMT-LIB 2 declarations and assertions) of each failed candidate, when asked for;
    # report/smt2.py writes them and records the files in `smt2_files`.
    smt2: list[tuple[str, str]] = field(default_factory=list)
    smt2_files: list[str] = field(default_factory=list)
