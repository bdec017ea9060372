"""Concrete packets, path origins, hops and dispositions: the vocabulary shared by the
concrete walker and the explanations of the Z3 engine.

Input: nothing above the model. Output: `Packet`, `Origin`, `OriginKind`, `Hop`,
`Disposition`, `DispositionKind`.

Conventions (docs/semantics/forwarding.md): ports are 0 unless the protocol is TCP/UDP, ICMP
type/code are 0 unless the protocol is ICMP.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPAddress
from netcheck.model.base import ICMP, TCP, UDP, Frozen, protocol_name
from netcheck.model.hops import HopKind


class Packet(Frozen):
    """One concrete packet header (addresses of either family; IPv6 semantics: issue #10)."""

    src_ip: IPAddress
    dst_ip: IPAddress
    protocol: int
    src_port: int = 0
    dst_port: int = 0
    icmp_type: int = 0
    icmp_code: int = 0

    def reply(self) -> Packet:
        """The reply header: addresses and ports swapped (ICMP echo 8 -> reply 0)."""
        icmp_type = 0 if self.protocol == ICMP and self.icmp_type == 8 else self.icmp_type
        return Packet(
            src_ip=self.dst_ip,
            dst_ip=self.src_ip,
            protocol=self.protocol,
            src_port=self.dst_port,
            dst_port=self.src_port,
            icmp_type=icmp_type,
            icmp_code=self.icmp_code,
        )

    @property
    def has_ports(self) -> bool:
        return self.protocol in (TCP, UDP)

    def __str__(self) -> str:
        proto = protocol_name(self.protocol)
        if self.has_ports:
            return f"{proto} {self.src_ip}:{self.src_port} -> {self.dst_ip}:{self.dst_port}"
        if self.protocol == ICMP:
            return (
                f"icmp {self.src_ip} -> {self.dst_ip} type {self.icmp_type} code {self.icmp_code}"
            )
        return f"{proto} {self.src_ip} -> {self.dst_ip}"


class OriginKind(StrEnum):
    INTERFACE = "interface"
    INTERNET = "internet"
    ONPREM = "onprem"
    PEERING = "peering"


class Origin(Frozen):
    """Where a packet starts: an ENI of the snapshot, the internet, on-premises, or a peered
    VPC outside the snapshot (another account or region) entering over `peering_id`."""

    kind: OriginKind
    interface_id: str | None = None
    peering_id: str | None = None

    def __str__(self) -> str:
        if self.kind is OriginKind.INTERFACE and self.interface_id:
            return self.interface_id
        if self.kind is OriginKind.PEERING and self.peering_id:
            return f"{_PEERED}{self.peering_id}"
        return self.kind.value

    @classmethod
    def parse(cls, text: str) -> Origin:
        """The origin `str(origin)` wrote (a witness's `origin` field), for a replay.

        >>> Origin.parse("peered VPC over pcx-1").peering_id
        'pcx-1'
        """
        if text in (OriginKind.INTERNET.value, OriginKind.ONPREM.value):
            return cls(kind=OriginKind(text))
        if text.startswith(_PEERED):
            return cls(kind=OriginKind.PEERING, peering_id=text.removeprefix(_PEERED))
        return cls(kind=OriginKind.INTERFACE, interface_id=text)


_PEERED = "peered VPC over "


class Hop(Frozen):
    """One step of a path: a component, what it did, and the rule that decided.

    `kind` names the component type (`HopKind`: `eni-egress`, `security-group`,
    `route-table`, `network-acl`, `internet-gateway`, `nat-gateway`, …).
    `packet_out` is set when the component changed the packet (NAT, IGW).
    """

    component_id: str
    kind: HopKind
    action: str = "pass"
    rule: str | None = None
    detail: str = ""
    packet_out: Packet | None = None


class DispositionKind(StrEnum):
    DELIVERED = "delivered"
    EXITS_INTERNET = "exits-internet"
    EXITS_ONPREM = "exits-onprem"
    # A reply leaving over a peering connection into a peered VPC outside the snapshot.
    EXITS_PEERING = "exits-peering"
    DELIVERED_SERVICE = "delivered-service"
    DROPPED = "dropped"
    UNKNOWN = "unknown"


SUCCESS_DISPOSITIONS = frozenset(
    {
        DispositionKind.DELIVERED,
        DispositionKind.EXITS_INTERNET,
        DispositionKind.EXITS_ONPREM,
        DispositionKind.EXITS_PEERING,
        DispositionKind.DELIVERED_SERVICE,
    }
)


class Disposition(Frozen):
    """How a path ends. `component_id` is where (the ENI delivered to, or the dropping
    component); `code` is the AWS Reachability Analyzer explanation code of a drop."""

    kind: DispositionKind
    component_id: str | None = None
    code: str | None = None
    reason: str = ""
    # The packet as it arrived (after every translation).
    final_packet: Packet | None = None

    @property
    def success(self) -> bool:
        return self.kind in SUCCESS_DISPOSITIONS
