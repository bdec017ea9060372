"""Query resolution: the SRC / DST strings of a query -> where packets start and what
counts as arriving.

Input: a `Network` and a string: a resource id (`i-`, `eni-`, `subnet-`, `vpc-`, `igw-`,
`nat-`, `vpce-`, `pcx-`, `tgw-attach-`, an RDS DB identifier), a `Name` tag value, an IP
address or CIDR, or the word `internet`. Output: `Source`s (an `Origin` plus the addresses
`src_ip` may take) and a `Destination` (the addresses `dst_ip` may take and the ends that
count as success). Unknown or ambiguous names raise `QueryError` with "did you mean".

    resolve_destination(net, "10.0.1.5")   # the ENI owning 10.0.1.5, dst_ip pinned to it
    resolve_sources(net, "0.0.0.0/0")      # every outside address: internet and on-prem

`parse_protocol` / `parse_ports` read the PROTOCOL and PORT strings into a `Header`'s fields
(the syntax shared by `query`, `reachable-set` and the policy rules).
"""

from __future__ import annotations

import difflib
from ipaddress import ip_network

from netcheck.errors import MissingResource, QueryError
from netcheck.model.addresses import (
    Family,
    IPPrefix,
    V4Address,
    V4Prefix,
    family_of,
    prefix_sort_key,
)
from netcheck.model.base import ICMP, NON_PUBLIC_RANGES, TCP, UDP, Frozen, PortRange, Resource
from netcheck.model.gateways import (
    InternetGateway,
    NatGateway,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnConnection,
)
from netcheck.model.interfaces import DbInstance, IdleAddress, Instance, NetworkInterface
from netcheck.model.network import Network
from netcheck.model.packet import Origin, OriginKind, Packet
from netcheck.model.transit import TransitGatewayAttachment, TransitGatewayAttachmentType
from netcheck.model.vpc import Subnet, Vpc


class Source(Frozen):
    """Packets start at `origin` with `src_ip` in `addresses` or `cidrs` (both empty: any
    address the origin allows — public for the internet, on-prem ranges for on-prem)."""

    origin: Origin
    # IPv4 until questions take IPv6 endpoints (issue #10); the types say "an address".
    addresses: tuple[V4Address, ...] = ()
    cidrs: tuple[V4Prefix, ...] = ()


class Destination(Frozen):
    """`dst_ip` (as sent) is in `addresses` or `cidrs` (both empty: any); a path succeeds when
    it is delivered to one of `interface_ids`, exits to the internet (`internet`) or to
    on-premises (`onprem`), or reaches one of `service_ids` (gateway endpoints)."""

    addresses: tuple[V4Address, ...] = ()
    cidrs: tuple[V4Prefix, ...] = ()
    interface_ids: tuple[str, ...] = ()
    internet: bool = False
    onprem: bool = False
    service_ids: tuple[str, ...] = ()
    # (resource id, reason) when the query names a resource whose interfaces the snapshot
    # lacks (an RDS instance without its interface): nothing can arrive, and the answer is
    # `unknown` with the reason, never `unreachable`.
    missing: tuple[tuple[str, str], ...] = ()


def _interfaces_of(network: Network, r: Resource) -> tuple[NetworkInterface, ...]:
    """The interfaces that stand for a resource."""
    if isinstance(r, NetworkInterface):
        return (r,)
    if isinstance(r, Instance | DbInstance):
        ids = set(r.interface_ids)
        return tuple(e for e in network.network_interfaces if e.id in ids or e.owner_id == r.id)
    if isinstance(r, Subnet):
        return network.interfaces_in_subnet(r.id)
    if isinstance(r, Vpc):
        return tuple(e for e in network.network_interfaces if e.vpc_id == r.id)
    if isinstance(r, NatGateway):
        ids = {a.interface_id for a in r.addresses if a.interface_id}
        return tuple(e for e in network.network_interfaces if e.id in ids or e.owner_id == r.id)
    if isinstance(r, VpcEndpoint):
        ids = set(r.interface_ids)
        return tuple(e for e in network.network_interfaces if e.id in ids or e.owner_id == r.id)
    if isinstance(r, VpcPeeringConnection):
        vpcs = {r.requester.vpc_id, r.accepter.vpc_id}
        return tuple(e for e in network.network_interfaces if e.vpc_id in vpcs)
    if (
        isinstance(r, TransitGatewayAttachment)
        and r.resource_type is TransitGatewayAttachmentType.VPC
    ):
        return tuple(e for e in network.network_interfaces if e.vpc_id == r.resource_id)
    return ()


def _candidates(network: Network) -> list[str]:
    names = [r.id for r in network.all_resources()]
    names += [r.name for r in network.all_resources() if r.name]
    return sorted(set(names))


def _lookup(network: Network, text: str) -> Resource:
    r = network.get(text)
    if r is not None:
        return r
    named = [r for r in network.all_resources() if r.name == text]
    # An instance and its interfaces often share a Name tag: prefer the instance.
    if len(named) > 1:
        top: list[Resource] = [r for r in named if isinstance(r, Instance | DbInstance)]
        if len(top) == 1:
            named = top
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise QueryError(
            f"{text!r} is ambiguous: it names {len(named)} resources",
            tuple(sorted(r.id for r in named)),
        )
    raise QueryError(
        f"unknown endpoint {text!r}",
        tuple(difflib.get_close_matches(text, _candidates(network), n=3, cutoff=0.5)),
    )


# A CIDR inside one of the ranges the internet never carries is not an internet source.
_NOT_INTERNET = NON_PUBLIC_RANGES


def _outside(network: Network, cidr: IPPrefix) -> list[Source]:
    """Outside origins for a CIDR: the internet (unless the CIDR is all non-public) and
    on-prem (when it overlaps a declared on-prem range)."""
    out = []
    if not any(
        family_of(r) is family_of(cidr) and cidr.subnet_of(r)  # type: ignore[arg-type]
        for r in _NOT_INTERNET
    ):
        out.append(Source(origin=Origin(kind=OriginKind.INTERNET), cidrs=(cidr,)))
    if any(
        family_of(r) is family_of(cidr) and cidr.overlaps(r)
        for r in network.declared_onprem_cidrs()
    ):
        out.append(Source(origin=Origin(kind=OriginKind.ONPREM), cidrs=(cidr,)))
    return out


def _peered(network: Network, cidr: IPPrefix) -> list[Source]:
    """Peered origins for a CIDR: an active peering connection whose other VPC is not in
    the snapshot (another account or region) carries packets from that VPC's CIDR blocks
    into the snapshot's side; one source per connection whose remote blocks overlap."""
    out = []
    for pcx in network.vpc_peering_connections:
        if pcx.status.lower() != "active":
            continue
        sides = (pcx.requester, pcx.accepter)
        remote = [x for x in sides if not isinstance(network.get(x.vpc_id), Vpc)]
        if len(remote) != 1:
            continue
        parts = [c for c in remote[0].cidr_blocks if c.overlaps(cidr)]
        if parts:
            narrow = tuple(cidr if cidr.subnet_of(c) else c for c in parts)  # type: ignore[arg-type]
            out.append(
                Source(origin=Origin(kind=OriginKind.PEERING, peering_id=pcx.id), cidrs=narrow)
            )
    return out


def _parse_net(text: str) -> IPPrefix | None:
    try:
        net = ip_network(text, strict=False)
    except ValueError:
        return None
    if family_of(net) is not Family.V4:
        raise QueryError(f"{text!r}: IPv6 endpoints are not supported yet")
    return net


def resolve_sources(network: Network, text: str) -> tuple[Source, ...]:
    """Where packets of a query start (one `Source` per origin)."""
    text = text.strip()
    if text.lower() in ("internet", "0.0.0.0/0") or text.startswith("igw-"):
        if text.startswith("igw-") and not isinstance(network.get(text), InternetGateway):
            _lookup(network, text)
        srcs = _outside(network, Family.V4.everything)
        return tuple(srcs if text.lower() == "0.0.0.0/0" else srcs[:1])
    if text.lower() in ("onprem", "on-prem"):
        return (Source(origin=Origin(kind=OriginKind.ONPREM)),)
    net = _parse_net(text)
    if net is not None:
        inside = [
            Source(
                origin=Origin(kind=OriginKind.INTERFACE, interface_id=e.id),
                addresses=tuple(a for a in e.addresses if a in net),
                cidrs=_delegated_within(e, net),
            )
            for e in network.network_interfaces
            if any(a in net for a in e.addresses) or _delegated_within(e, net)
        ]
        if net.prefixlen == 32 and inside:
            return tuple(inside)
        if net.prefixlen == 32:
            pub = network.interface_with_public_ip(net.network_address)
            if pub is not None:
                return (_iface_source(pub),)
        found = tuple(inside + _outside(network, net) + _peered(network, net))
        if not found:
            raise QueryError(
                f"{text!r} is no address of the snapshot, not public, in no declared "
                "on-prem range and in no peered VPC: packets cannot start there (declare "
                "on-prem ranges?)"
            )
        return found
    idle = _idle(network, text)
    if idle:
        raise QueryError(
            f"{text!r} is {idle[0].state}: nothing sends from it (its Elastic IPs "
            f"{', '.join(str(a.public_ip) for a in idle)} answer nothing)"
        )
    r = _lookup(network, text)
    if isinstance(r, VpnConnection):
        return (Source(origin=Origin(kind=OriginKind.ONPREM), cidrs=_v4(r.onprem_cidrs)),)
    if (
        isinstance(r, TransitGatewayAttachment)
        and r.resource_type is TransitGatewayAttachmentType.VPN
    ):
        vpn = network.get(r.resource_id or "")
        cidrs = _v4(vpn.onprem_cidrs) if isinstance(vpn, VpnConnection) else ()
        return (Source(origin=Origin(kind=OriginKind.ONPREM), cidrs=cidrs),)
    enis = _interfaces_of(network, r)
    if not enis and isinstance(r, DbInstance):
        # AWS gives every DB instance an interface: the snapshot lacks it (unknown, not bad
        # input; the API turns this into an `unknown` answer).
        raise MissingResource(r.id, _missing_db_interface(r))
    if not enis:
        raise QueryError(f"{text!r} ({type(r).__name__}) has no network interface to start from")
    return tuple(_iface_source(e) for e in enis)


def _delegated_within(e: NetworkInterface, net: IPPrefix) -> tuple[IPPrefix, ...]:
    """The part of each prefix delegated to `e` that lies in `net` (aligned prefixes
    overlap only by one containing the other)."""
    out: list[IPPrefix] = []
    for p in e.ipv4_prefixes:
        if p.version == net.version and p.overlaps(net):
            out.append(p if p.subnet_of(net) else net)  # type: ignore[arg-type]
    return tuple(out)


def _idle(network: Network, text: str) -> list[IdleAddress]:
    """The idle addresses of an instance (or its interface) that is not running."""
    return [a for a in network.idle_addresses if text in (a.owner_id, a.interface_id)]


def _v4(cidrs: tuple) -> tuple[IPPrefix, ...]:
    return tuple(c for c in cidrs if family_of(c) is Family.V4)


def _iface_source(e: NetworkInterface) -> Source:
    return Source(
        origin=Origin(kind=OriginKind.INTERFACE, interface_id=e.id),
        addresses=e.addresses,
        cidrs=e.ipv4_prefixes,
    )


def resolve_destination(network: Network, text: str) -> Destination:
    """What counts as arriving, and which addresses the packet may be sent to."""
    text = text.strip()
    if text.lower() == "internet" or text.startswith("igw-"):
        if text.startswith("igw-") and not isinstance(network.get(text), InternetGateway):
            _lookup(network, text)
        return Destination(internet=True)
    if text.lower() in ("onprem", "on-prem"):
        return Destination(onprem=True, cidrs=_v4(network.declared_onprem_cidrs()))
    net = _parse_net(text)
    if net is not None:
        if net.prefixlen == 32:
            addr = net.network_address
            owners = network.interfaces_with_address(addr)
            pub = network.interface_with_public_ip(addr)
            if owners or pub is not None:
                ids = tuple(sorted({e.id for e in owners} | ({pub.id} if pub else set())))
                return Destination(addresses=(addr,), interface_ids=ids)
        inside = sorted(
            e.id
            for e in network.network_interfaces
            if any(a in net for a in e.addresses)
            or any(a in net for a in e.public_ips)
            or _delegated_within(e, net)
        )
        # An outside address may also be a service behind a gateway endpoint (S3, DynamoDB).
        services = tuple(
            e.id for e in network.vpc_endpoints if e.endpoint_type is VpcEndpointType.GATEWAY
        )
        return Destination(
            cidrs=(net,),
            interface_ids=tuple(inside),
            internet=True,
            onprem=True,
            service_ids=services,
        )
    idle = _idle(network, text)
    if idle:
        # An instance that is not running keeps its Elastic IPs: packets for them reach
        # nobody, and the answer says so (forwarding.md "On the internet").
        return Destination(addresses=tuple(sorted(a.public_ip for a in idle)))
    r = _lookup(network, text)
    if isinstance(r, VpcEndpoint) and r.endpoint_type is VpcEndpointType.GATEWAY:
        return Destination(service_ids=(r.id,))
    if isinstance(r, VpnConnection):
        return Destination(onprem=True, cidrs=_v4(r.onprem_cidrs))
    if (
        isinstance(r, TransitGatewayAttachment)
        and r.resource_type is TransitGatewayAttachmentType.VPN
    ):
        vpn = network.get(r.resource_id or "")
        return Destination(
            onprem=True, cidrs=_v4(vpn.onprem_cidrs) if isinstance(vpn, VpnConnection) else ()
        )
    enis = _interfaces_of(network, r)
    if not enis and isinstance(r, DbInstance):
        # AWS gives every DB instance an interface in its subnets (describe-network-interfaces
        # lists it with the description RDSNetworkInterface): the snapshot lacks it.
        return Destination(missing=((r.id, _missing_db_interface(r)),))
    if not enis:
        raise QueryError(f"{text!r} ({type(r).__name__}) has no network interface to reach")
    # Private addresses first: witnesses prefer the first address that works.
    private = sorted({a for e in enis for a in e.addresses})
    public = sorted({a for e in enis for a in e.public_ips} - set(private))
    addrs = private + public
    # Prefixes delegated to the interfaces are their addresses too (prefix delegation).
    delegated = tuple(sorted({p for e in enis for p in e.ipv4_prefixes}, key=prefix_sort_key))
    return Destination(
        addresses=tuple(addrs),
        cidrs=delegated,
        interface_ids=tuple(sorted(e.id for e in enis)),
    )


def _missing_db_interface(db: DbInstance) -> str:
    vpc = f" in {db.vpc_id}" if db.vpc_id else ""
    return (
        f"the network interface of DB instance {db.id}{vpc} is not in the snapshot (aws ec2 "
        "describe-network-interfaces lists it with the description RDSNetworkInterface)"
    )


class Header(Frozen):
    """Header constraints of a query (fields are AND-ed; an omitted field is free).
    `dst_ports` / `src_ports` constrain TCP/UDP packets and then require TCP or UDP.
    `packet` pins every field (the concrete-packet form used to compare with the walker)."""

    protocol: int | None = None
    dst_ports: PortRange | None = None
    src_ports: PortRange | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    packet: Packet | None = None


_PROTOCOLS = {"tcp": TCP, "udp": UDP, "icmp": ICMP}


def parse_protocol(text: str | int | None) -> int | None:
    """The PROTOCOL of a query: `tcp`/`udp`/`icmp`/`any` or an IP protocol number 0-255
    (None = any). Raises `QueryError`."""
    if text is None:
        return None
    if isinstance(text, int):
        number = text
    else:
        t = text.strip().lower()
        if t in ("any", "all", "-1", ""):
            return None
        if t in _PROTOCOLS:
            return _PROTOCOLS[t]
        try:
            number = int(t)
        except ValueError:
            raise QueryError(
                f"unknown protocol {text!r}", ("tcp", "udp", "icmp", "any", "a number 0-255")
            ) from None
    if not 0 <= number <= 255:
        raise QueryError(f"protocol number {number} is outside 0-255")
    return number


def parse_icmp(
    protocol: int | None, icmp_type: int | str | None, icmp_code: int | str | None
) -> tuple[int | None, int | None, int | None]:
    """The ICMP TYPE / CODE of a query (0-255; None = any) with the protocol they imply:
    a type or code given with protocol `any` means ICMP; with another protocol it is a
    `QueryError`. Returns (protocol, type, code). Type 8 (echo request) is a connection:
    the echo reply (type 0) must come back (forwarding.md "Connections (default) and
    replies")."""
    if icmp_type is None and icmp_code is None:
        return protocol, None, None
    if protocol not in (None, ICMP):
        raise QueryError("--icmp-type / --icmp-code only apply to ICMP (protocol icmp)")
    values: list[int | None] = []
    for what, v in (("ICMP type", icmp_type), ("ICMP code", icmp_code)):
        if v is None:
            values.append(None)
            continue
        try:
            number = int(str(v).strip())
        except ValueError:
            raise QueryError(f"bad {what} {v!r}: expected a number 0-255") from None
        if not 0 <= number <= 255:
            raise QueryError(f"bad {what} {v!r}: expected a number 0-255")
        values.append(number)
    return ICMP, values[0], values[1]


def parse_ports(value: int | str | None, what: str = "port") -> PortRange | None:
    """The PORT / SRC_PORT of a query: `N` or `N-M` (inclusive, 0-65535); None = any. Raises
    `QueryError`."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = end = int(text)
    except ValueError:
        raise QueryError(f"bad {what} {value!r}: expected N or N-M") from None
    if not (0 <= start <= end <= 65535):
        raise QueryError(f"bad {what} {value!r}: expected 0 <= N <= M <= 65535")
    return PortRange(start=start, end=end)
