"""The state of one concrete walk and its bookkeeping: the hops so far, the packet as it is
now, and the ways a walk ends.

Input: a `Network`, the packet being walked, and for a reply the forward `Trace`. Output:
`Walk` (passed to every hop function of `netcheck/walk/hops/`), `Stop` (raised with the
disposition, so every hop reads as straight-line code), `NatSession`, `nat_sessions`,
`with_changes`, `available`, `Arrival`, `MAX_HOPS`, `DEFAULT_NAT_PORT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from netcheck.model import Network
from netcheck.model.hops import HopKind
from netcheck.model.packet import Disposition, DispositionKind, Hop, Packet
from netcheck.walk.trace import Trace

MAX_HOPS = 64
DEFAULT_NAT_PORT = 1024


class Stop(Exception):
    """Raised to end a walk with its disposition (keeps every hop a straight-line function)."""

    def __init__(self, disposition: Disposition) -> None:
        super().__init__(disposition.kind.value)
        self.disposition = disposition


@dataclass(frozen=True)
class NatSession:
    """A NAT gateway crossed by a forward trace: the packet as it reached the NAT and as the
    NAT sent it on."""

    nat_id: str
    before: Packet
    after: Packet


def nat_sessions(trace: Trace) -> tuple[NatSession, ...]:
    """The NAT translations of a forward trace, in path order."""
    current = trace.packet
    out: list[NatSession] = []
    for hop in trace.hops:
        if hop.packet_out is None:
            continue
        if hop.kind == HopKind.NAT_GATEWAY and hop.action == "translate":
            out.append(NatSession(hop.component_id, current, hop.packet_out))
        current = hop.packet_out
    return tuple(out)


@dataclass(frozen=True)
class Arrival:
    """How the packet last entered another VPC: over a VPC peering connection
    (`ingress_attachment` None) or out of a transit gateway (from `ingress_attachment` to
    `egress_attachment`). `source_vpc` is the VPC it left (None: not a VPC)."""

    component_id: str
    source_vpc: str | None
    ingress_attachment: str | None = None
    egress_attachment: str | None = None


def with_changes(packet: Packet, **changes: Any) -> Packet:
    return Packet(**{**packet.model_dump(), **changes})


def available(state: str) -> bool:
    return state.lower() == "available"


class Walk:
    """One walk of one packet. Hop functions raise `Stop` when the packet's fate is decided."""

    def __init__(
        self,
        network: Network,
        packet: Packet,
        *,
        reply_of: Trace | None,
        nat_ports: Mapping[str, int] | None,
        appliance_azs: Mapping[str, str] | None = None,
    ) -> None:
        self.net = network
        self.packet = packet
        self.hops: list[Hop] = []
        self.is_reply = reply_of is not None
        self.sessions = nat_sessions(reply_of) if reply_of is not None else ()
        self.nat_ports = dict(nat_ports or {})
        # The AZ the TGW hashes this flow to per appliance-mode attachment (an input, like
        # the NAT ports; default: the attachment's first AZ by name). One flow, both ways.
        self.appliance_azs = dict(appliance_azs or {})
        # Set when the packet crosses into another VPC (peering or transit gateway): a
        # security-group reference to a group of the VPC it came from may match then.
        self.arrival: Arrival | None = None

    def hop(
        self,
        component_id: str,
        kind: HopKind,
        action: str = "pass",
        rule: str | None = None,
        detail: str = "",
        packet_out: Packet | None = None,
    ) -> None:
        if len(self.hops) >= MAX_HOPS:
            self.finish(
                DispositionKind.UNKNOWN,
                component_id,
                None,
                f"routing loop: more than {MAX_HOPS} hops (next: {component_id})",
            )
        self.hops.append(
            Hop(
                component_id=component_id,
                kind=kind,
                action=action,
                rule=rule,
                detail=detail,
                packet_out=packet_out,
            )
        )

    def finish(
        self, kind: DispositionKind, component_id: str | None, code: str | None, reason: str
    ) -> NoReturn:
        raise Stop(
            Disposition(
                kind=kind,
                component_id=component_id,
                code=code,
                reason=reason,
                final_packet=self.packet,
            )
        )

    def drop(self, code: str, component_id: str, reason: str) -> NoReturn:
        self.finish(DispositionKind.DROPPED, component_id, code, reason)

    def unknown(
        self, component_id: str, reason: str, code: str = "UNSUPPORTED_COMPONENT"
    ) -> NoReturn:
        self.finish(DispositionKind.UNKNOWN, component_id, code, reason)

    def translate(self, component_id: str, kind: HopKind, new: Packet, detail: str) -> None:
        self.hop(component_id, kind, "translate", detail=detail, packet_out=new)
        self.packet = new

    def lookup(self, resource_id: str, kind: type[Any], what: str) -> Any:
        """A resource the path needs; one missing from the snapshot makes the walk unknown."""
        r = self.net.get(resource_id)
        if not isinstance(r, kind):
            self.unknown(
                resource_id, f"{what} {resource_id} is not in the snapshot", "UNKNOWN_RESOURCE"
            )
        return r
