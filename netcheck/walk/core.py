"""The walker's core: bookkeeping, packet filters, route lookup and delivery inside a VPC.

Input: a `Network` and the packet being walked. Output: `WalkerBase`, which the gateway steps
(`netcheck.walk.gateways`) and the origins (`netcheck.walk.walker`) extend; a walk ends by
raising `Stop` with the disposition, so every step reads as straight-line code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any, NoReturn

from netcheck.model import (
    TCP,
    UDP,
    Direction,
    InterfaceOwnerKind,
    NatGateway,
    Network,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteState,
    RouteTable,
    RouteTargetKind,
    RuleAction,
    SecurityGroup,
    Subnet,
)
from netcheck.model.hops import HopKind
from netcheck.model.packet import (
    Disposition,
    DispositionKind,
    Hop,
    Packet,
)
from netcheck.walk.match import (
    longest_prefix_match,
    nacl_decide,
    sg_rule_matches,
)
from netcheck.walk.trace import Trace

MAX_HOPS = 64
DEFAULT_NAT_PORT = 1024


class Stop(Exception):
    """Raised to end a walk with its disposition (keeps every step a straight-line method)."""

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


def with_changes(packet: Packet, **changes: Any) -> Packet:
    return Packet(**{**packet.model_dump(), **changes})


def available(state: str) -> bool:
    return state.lower() == "available"


Handler = tuple[Callable[[Any, Route, Subnet], object], Callable[[Any, Subnet, object, bool], None]]


class WalkerBase:
    """One walk of one packet. Methods raise `Stop` when the packet's fate is decided."""

    def __init__(
        self,
        network: Network,
        packet: Packet,
        *,
        reply_of: Trace | None,
        nat_ports: Mapping[str, int] | None,
    ) -> None:
        self.net = network
        self.packet = packet
        self.hops: list[Hop] = []
        self.is_reply = reply_of is not None
        self.sessions = nat_sessions(reply_of) if reply_of is not None else ()
        self.nat_ports = dict(nat_ports or {})

    # -- bookkeeping ----------------------------------------------------------------------

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

    # -- filters ------------------------------------------------------------------------------

    def security_groups(self, eni: NetworkInterface, direction: Direction) -> None:
        """Union of the rules of every group of `eni` (forwarding.md "Security group
        matching"); no rule matches: `ENI_SG_RULES_MISMATCH`."""
        missing: list[str] = []
        for group_id in sorted(eni.group_ids):
            group = self.net.get(group_id)
            if not isinstance(group, SecurityGroup):
                missing.append(group_id)
                continue
            for rule in group.rules(direction):
                if sg_rule_matches(self.net, rule, self.packet):
                    self.hop(
                        group_id,
                        HopKind.SECURITY_GROUP,
                        rule=rule.rule_id,
                        detail=f"{direction.value} {rule.peer_text}",
                    )
                    return
        if missing:
            self.unknown(
                missing[0],
                f"security group {missing[0]} of {eni.id} is not in the snapshot",
                "UNKNOWN_RESOURCE",
            )
        groups = ", ".join(sorted(eni.group_ids)) or "any group"
        self.hop(
            eni.id,
            HopKind.SECURITY_GROUP,
            "deny",
            detail=f"no {direction.value} rule of {groups} matches",
        )
        self.drop(
            "ENI_SG_RULES_MISMATCH",
            eni.id,
            f"no {direction.value} security-group rule of {eni.id} allows {self.packet}",
        )

    def nacl(self, subnet: Subnet, direction: Direction) -> None:
        """First matching entry by ascending rule number; none: the `*` deny."""
        acl: NetworkAcl = self.lookup(subnet.network_acl_id, NetworkAcl, "network ACL")
        entry = nacl_decide(acl, direction, self.packet)
        detail = f"{direction.value} of {subnet.id}"
        if entry is not None and entry.action is RuleAction.ALLOW:
            self.hop(acl.id, HopKind.NETWORK_ACL, rule=entry.rule_text, detail=detail)
            return
        rule = entry.rule_text if entry is not None else "*"
        self.hop(acl.id, HopKind.NETWORK_ACL, "deny", rule=rule, detail=detail)
        self.drop(
            "SUBNET_ACL_RESTRICTION",
            acl.id,
            f"{direction.value} rule {rule} of {acl.id} ({subnet.id}) denies {self.packet}",
        )

    # -- routing (forwarding.md "Routing from a subnet") -------------------------------------

    def route_from(self, subnet: Subnet, *, egress_checked: bool = False) -> None:
        """Route from `subnet`. `egress_checked`: the subnet's outbound NACL has already
        passed this very packet, so it is not listed twice (no caller needs it since a TGW
        egress subnet is routed like a packet from inside it)."""
        table: RouteTable = self.lookup(subnet.route_table_id, RouteTable, "route table")
        match = longest_prefix_match(self.net, table.routes, self.packet.dst_ip)
        if match is None:
            self.hop(
                table.id, HopKind.ROUTE_TABLE, "deny", detail=f"no route to {self.packet.dst_ip}"
            )
            self.drop(
                "NO_ROUTE_TO_DESTINATION",
                table.id,
                f"{table.id} has no route to {self.packet.dst_ip}",
            )
        route = match.route
        if route.state is RouteState.BLACKHOLE:
            self.hop(table.id, HopKind.ROUTE_TABLE, "deny", rule=route.label, detail="blackhole")
            self.drop(
                "BAD_STATE_ROUTE", table.id, f"route {route.label} of {table.id} is a blackhole"
            )
        handler = self.handler(route.target_kind)
        if handler is None:
            self.hop(
                table.id, HopKind.ROUTE_TABLE, rule=route.label, detail=f"matched {match.prefix}"
            )
            self.unknown(
                route.target_id or table.id,
                f"route {route.label} of {table.id} targets a {route.target_kind.value}; "
                "forwarding through it is not modelled",
            )
        resolve, forward = handler
        target = resolve(self, route, subnet)
        if target is None:
            self.hop(
                table.id, HopKind.ROUTE_TABLE, "deny", rule=route.label, detail="target unavailable"
            )
            self.drop(
                "BAD_STATE_ROUTE",
                table.id,
                f"the target of route {route.label} of {table.id} is not in the snapshot or "
                "not available",
            )
        self.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail=f"matched {match.prefix}")
        forward(self, subnet, target, egress_checked)

    def leave(self, subnet: Subnet, egress_checked: bool) -> None:
        if not egress_checked:
            self.nacl(subnet, Direction.EGRESS)

    # local -----------------------------------------------------------------------------------

    def _resolve_local(self, route: Route, subnet: Subnet) -> object:
        return subnet.vpc_id

    def _to_local(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        self.deliver_in_vpc(subnet.vpc_id, subnet, egress_checked=egress_checked)

    def deliver_in_vpc(
        self, vpc_id: str, source: Subnet | None, *, egress_checked: bool = False
    ) -> None:
        """Deliver inside `vpc_id` ("local"): the subnet containing `dst_ip`, its NACLs unless
        it is the source subnet, then the ENI that owns `dst_ip`."""
        dst = self.packet.dst_ip
        dest = self.net.subnet_containing(vpc_id, dst)
        if dest is None:
            self.drop("NO_ROUTE_TO_DESTINATION", vpc_id, f"{dst} is in no subnet of {vpc_id}")
        if source is None:
            self.nacl(dest, Direction.INGRESS)
        elif dest.id != source.id:
            self.leave(source, egress_checked)
            self.nacl(dest, Direction.INGRESS)
        self.arrive(dest)

    def arrive(self, subnet: Subnet) -> None:
        """forwarding.md "Arriving at an interface"."""
        dst = self.packet.dst_ip
        nat = self.nat_with_address(subnet, dst)
        if nat is not None:
            self.at_nat(nat)
        owners = sorted(
            (e for e in self.net.interfaces_with_address(dst) if e.subnet_id == subnet.id),
            key=lambda e: e.id,
        )
        if not owners:
            self.drop(
                "NO_ROUTE_TO_DESTINATION",
                subnet.id,
                f"no interface of {subnet.id} has address {dst}",
            )
        eni = owners[0]
        if not self.is_reply:
            self.security_groups(eni, Direction.INGRESS)
        self.hop(eni.id, HopKind.ENI_INGRESS)
        self.finish(DispositionKind.DELIVERED, eni.id, None, f"delivered to {eni.id}")

    def nat_with_address(self, subnet: Subnet, address: IPv4Address) -> NatGateway | None:
        """The NAT gateway of `subnet` that owns `address` (by its addresses or its ENI)."""
        owner_ids = {
            e.owner_id
            for e in self.net.interfaces_with_address(address)
            if e.subnet_id == subnet.id and e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY
        }
        eni_ids = {e.id for e in self.net.interfaces_with_address(address)}
        for nat in sorted(self.net.nat_gateways, key=lambda n: n.id):
            if nat.subnet_id != subnet.id:
                continue
            if nat.id in owner_ids or any(
                a.private_ip == address
                or (a.interface_id is not None and a.interface_id in eni_ids)
                for a in nat.addresses
            ):
                return nat
        return None

    def at_nat(self, nat: NatGateway) -> NoReturn:
        """A packet addressed to a NAT gateway: only the reply of one of its sessions passes
        (reverse translation, then routed from the NAT's subnet)."""
        p = self.packet
        for s in self.sessions:
            if (
                s.nat_id == nat.id
                and p.protocol == s.after.protocol
                and p.dst_ip == s.after.src_ip
                and (p.protocol not in (TCP, UDP) or p.dst_port == s.after.src_port)
            ):
                new = with_changes(p, dst_ip=s.before.src_ip, dst_port=s.before.src_port)
                self.translate(
                    nat.id, HopKind.NAT_GATEWAY, new, "reverse translation of the NAT session"
                )
                self.route_from(self.lookup(nat.subnet_id, Subnet, "subnet"))
                raise AssertionError("route_from always stops")  # pragma: no cover
        self.hop(nat.id, HopKind.NAT_GATEWAY, "deny", detail="unsolicited inbound")
        self.drop(
            "NGW_NO_UNSOLICITED_INBOUND", nat.id, f"{nat.id} accepts no unsolicited inbound packets"
        )

    def handler(self, kind: RouteTargetKind) -> Handler | None:
        """(resolve, forward) for a route target kind; None: not modelled (unknown)."""
        raise NotImplementedError
