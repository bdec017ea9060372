"""Labelled constraints: the vocabulary compile/ hands to solve/.

Input: Z3 formulas built by the encoders. Output: `Rule` (one labelled rule that may decide a
check), `Step` (one hop of a path: a component, the guard a packet must meet to take it, the
translation it applies, the explanation code when it blocks) and `Path` (the steps of one
candidate path and how it ends).

Labels point back at the model object and rule, e.g. `nacl:acl-0a1b:ingress:rule=100`, and
every rule carries a one-line human text, so explanations are attached when constraints are
built, never reverse-engineered from a raw model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from netcheck.compile.packet import SymPacket
from netcheck.model.hops import FILTER_KINDS, HopKind
from netcheck.model.packet import DispositionKind


@dataclass(frozen=True)
class Rule:
    """One rule of a check. `cond` holds exactly when this rule decides the check."""

    label: str
    rule: str
    text: str
    cond: z3.BoolRef
    allows: bool


@dataclass(frozen=True)
class Step:
    """One hop of a candidate path.

    `guard` is what the packet `pkt_in` must satisfy for this path to go on through the
    component; `code` explains a failure of the guard. `link` relates `pkt_in` to `pkt_out`
    when the component translates the packet (NAT, IGW); `pkt_out` is then a fresh copy.
    `rules` are the deciding rules (for witnesses and blocker explanations).
    """

    component_id: str
    kind: HopKind
    label: str
    text: str
    guard: z3.BoolRef
    pkt_in: SymPacket
    code: str | None = None
    rules: tuple[Rule, ...] = ()
    link: z3.BoolRef | None = None
    pkt_out: SymPacket | None = None
    # Existential choices made here (e.g. the NAT gateway's source port), by name.
    choices: tuple[tuple[str, z3.BitVecRef], ...] = ()
    # The action of this hop when it ends the path ("pass" on the way).
    action: str = "pass"

    @property
    def is_filter(self) -> bool:
        """A packet filter (NACL, SG, source/destination check): decides whether a packet
        passes, never where it goes (exploration ignores it when pruning branches)."""
        return self.kind in FILTER_KINDS

    @property
    def out(self) -> SymPacket:
        return self.pkt_out if self.pkt_out is not None else self.pkt_in

    def formula(self) -> z3.BoolRef:
        return self.guard if self.link is None else z3.And(self.guard, self.link)


@dataclass(frozen=True)
class NatSession:
    """A translation made by a NAT gateway on the forward path, reversed for the reply."""

    nat_id: str
    subnet_id: str
    nat_ip: int
    port: z3.BitVecRef
    orig_src_ip: z3.BitVecRef
    orig_src_port: z3.BitVecRef


@dataclass(frozen=True)
class End:
    """How a path ends (see `netcheck.model.packet.Disposition`)."""

    kind: DispositionKind
    component_id: str | None
    code: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Path:
    """A candidate path: its steps in order and its end. `packet` is the starting copy."""

    packet: SymPacket
    steps: tuple[Step, ...]
    end: End
    sessions: tuple[NatSession, ...] = field(default=())
    # (attachment id, AZ) the TGW picked for this connection's flow at each appliance-mode
    # attachment, the forward path's included for a reply (forwarding.md "appliance mode").
    appliance: tuple[tuple[str, str], ...] = field(default=())

    @property
    def final(self) -> SymPacket:
        return self.steps[-1].out if self.steps else self.packet

    def formulas(self) -> list[z3.BoolRef]:
        return [s.formula() for s in self.steps]
