"""The whole network: every resource of a snapshot, with lookups.

Input: resources from a loader (or netcheck's own JSON). Output: `Network`, the one object
every later stage reads. Collections are tuples sorted by id so that output is
deterministic; lookups (`by_id`, `interfaces_with_address`, …) are built once on first use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pydantic import Field

from netcheck.model.addresses import IPAddress, IPPrefix, prefix_sort_key
from netcheck.model.base import Frozen, Resource
from netcheck.model.filtering import NetworkAcl, SecurityGroup
from netcheck.model.gateways import (
    EgressOnlyInternetGateway,
    InternetGateway,
    NatGateway,
    PrefixList,
    RegionalNatGateway,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.interfaces import DbInstance, IdleAddress, Instance, NetworkInterface
from netcheck.model.intervals import IntervalSet
from netcheck.model.routing import RouteTable
from netcheck.model.transit import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    TransitGatewayMulticastDomain,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from netcheck.model.vpc import (
    BlockPublicAccessExclusion,
    BlockPublicAccessExclusionMode,
    BlockPublicAccessMode,
    InternetGatewayBlock,
    Subnet,
    Vpc,
)

SCHEMA_VERSION = "1"


class Network(Frozen):
    """A snapshot of an AWS network in netcheck's vendor-independent model."""

    schema_version: str = SCHEMA_VERSION
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    network_acls: tuple[NetworkAcl, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    network_interfaces: tuple[NetworkInterface, ...] = ()
    instances: tuple[Instance, ...] = ()
    db_instances: tuple[DbInstance, ...] = ()
    internet_gateways: tuple[InternetGateway, ...] = ()
    egress_only_internet_gateways: tuple[EgressOnlyInternetGateway, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    regional_nat_gateways: tuple[RegionalNatGateway, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    vpc_peering_connections: tuple[VpcPeeringConnection, ...] = ()
    transit_gateways: tuple[TransitGateway, ...] = ()
    transit_gateway_attachments: tuple[TransitGatewayAttachment, ...] = ()
    transit_gateway_route_tables: tuple[TransitGatewayRouteTable, ...] = ()
    transit_gateway_multicast_domains: tuple[TransitGatewayMulticastDomain, ...] = ()
    vpn_gateways: tuple[VpnGateway, ...] = ()
    vpn_connections: tuple[VpnConnection, ...] = ()
    prefix_lists: tuple[PrefixList, ...] = ()
    block_public_access_exclusions: tuple[BlockPublicAccessExclusion, ...] = ()
    # Public IPs kept by interfaces of instances that are not running (nothing answers).
    idle_addresses: tuple[IdleAddress, ...] = ()
    # Address ranges of on-premises networks declared by the user (beyond VPN static routes).
    onprem_cidrs: tuple[IPPrefix, ...] = ()
    # Where the snapshot came from (a folder or file path), for messages.
    source: str | None = None
    # Analysis-relevant notes the loader made (resources left out, assumptions).
    notes: tuple[str, ...] = Field(default=())

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Network:
        """A copy with `update` applied, without the lookups cached on this instance (they
        describe the old resources; pydantic would otherwise copy them along)."""
        copied = super().model_copy(update=update, deep=deep)
        for name in _CACHED_LOOKUPS:
            copied.__dict__.pop(name, None)
        return copied

    # -- lookups -----------------------------------------------------------------------------

    def all_resources(self) -> tuple[Resource, ...]:
        """Every resource, in a fixed order (collection by collection, sorted by id)."""
        out: list[Resource] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, tuple) and value and isinstance(value[0], Resource):
                out.extend(value)
        return tuple(out)

    @cached_property
    def by_id(self) -> dict[str, Resource]:
        """Every resource by id. Ids are unique per snapshot (the loader checks)."""
        return {r.id: r for r in self.all_resources()}

    def get(self, resource_id: str) -> Resource | None:
        return self.by_id.get(resource_id)

    def _typed(self, resource_id: str, kind: type[Resource]) -> Resource:
        r = self.by_id.get(resource_id)
        if not isinstance(r, kind):
            raise KeyError(f"{kind.__name__} {resource_id!r} is not in the network")
        return r

    def vpc(self, vpc_id: str) -> Vpc:
        return self._typed(vpc_id, Vpc)  # type: ignore[return-value]

    def subnet(self, subnet_id: str) -> Subnet:
        return self._typed(subnet_id, Subnet)  # type: ignore[return-value]

    def route_table(self, table_id: str) -> RouteTable:
        return self._typed(table_id, RouteTable)  # type: ignore[return-value]

    def network_acl(self, acl_id: str) -> NetworkAcl:
        return self._typed(acl_id, NetworkAcl)  # type: ignore[return-value]

    def security_group(self, group_id: str) -> SecurityGroup:
        return self._typed(group_id, SecurityGroup)  # type: ignore[return-value]

    def interface(self, eni_id: str) -> NetworkInterface:
        return self._typed(eni_id, NetworkInterface)  # type: ignore[return-value]

    def prefix_list(self, pl_id: str) -> PrefixList:
        return self._typed(pl_id, PrefixList)  # type: ignore[return-value]

    @cached_property
    def _interfaces_by_subnet(self) -> dict[str, tuple[NetworkInterface, ...]]:
        acc: dict[str, list[NetworkInterface]] = defaultdict(list)
        for eni in self.network_interfaces:
            acc[eni.subnet_id].append(eni)
        return {k: tuple(v) for k, v in acc.items()}

    def interfaces_in_subnet(self, subnet_id: str) -> tuple[NetworkInterface, ...]:
        return self._interfaces_by_subnet.get(subnet_id, ())

    @cached_property
    def _interfaces_by_address(self) -> dict[IPAddress, tuple[NetworkInterface, ...]]:
        acc: dict[IPAddress, list[NetworkInterface]] = defaultdict(list)
        for eni in self.network_interfaces:
            for a in eni.addresses:
                acc[a].append(eni)
        return {k: tuple(v) for k, v in acc.items()}

    @cached_property
    def _delegated_prefixes(self) -> tuple[tuple[IPPrefix, NetworkInterface], ...]:
        return tuple(
            (prefix, eni)
            for eni in self.network_interfaces
            for prefix in (*eni.ipv4_prefixes, *eni.ipv6_prefixes)
        )

    def interfaces_with_address(self, address: IPAddress) -> tuple[NetworkInterface, ...]:
        """Interfaces whose private addresses or delegated prefixes include `address`
        (several VPCs may reuse an address)."""
        exact = self._interfaces_by_address.get(address, ())
        delegated = tuple(
            eni
            for prefix, eni in self._delegated_prefixes
            if address in prefix and eni not in exact
        )
        return exact + delegated if delegated else exact

    @cached_property
    def _interfaces_by_public_ip(self) -> dict[IPAddress, NetworkInterface]:
        return {ip: eni for eni in self.network_interfaces for ip in eni.public_ips}

    def interface_with_public_ip(self, address: IPAddress) -> NetworkInterface | None:
        return self._interfaces_by_public_ip.get(address)

    @cached_property
    def _interfaces_by_group(self) -> dict[str, tuple[NetworkInterface, ...]]:
        acc: dict[str, list[NetworkInterface]] = defaultdict(list)
        for eni in self.network_interfaces:
            for g in eni.group_ids:
                acc[g].append(eni)
        return {k: tuple(v) for k, v in acc.items()}

    def interfaces_in_group(self, group_id: str) -> tuple[NetworkInterface, ...]:
        """Interfaces that carry security group `group_id` (whose private addresses a group
        reference matches)."""
        return self._interfaces_by_group.get(group_id, ())

    @cached_property
    def _group_member_vpcs(self) -> dict[str, frozenset[str]]:
        return {
            g: frozenset(e.vpc_id for e in enis) for g, enis in self._interfaces_by_group.items()
        }

    def group_member_vpcs(self, group_id: str) -> frozenset[str]:
        """The VPCs of the interfaces carrying `group_id` (a group reference's reach depends
        on them: docs/semantics/forwarding.md "Security group references")."""
        return self._group_member_vpcs.get(group_id, frozenset())

    @cached_property
    def _group_address_runs(self) -> dict[str, IntervalSet]:
        return {}  # filled per group by `group_address_runs`

    def group_address_runs(self, group_id: str) -> IntervalSet:
        """`member_address_runs` of every member (built once per group and network)."""
        cache = self._group_address_runs
        if group_id not in cache:
            cache[group_id] = self.member_address_runs(group_id)
        return cache[group_id]

    def member_address_runs(
        self, group_id: str, vpc_ids: frozenset[str] | None = None
    ) -> IntervalSet:
        """The addresses a reference to `group_id` can match: the private addresses and the
        delegated IPv4 prefixes (prefix delegation: the interface's own addresses too) of
        the interfaces carrying it — in `vpc_ids` if given — as integer runs. A group not in
        the snapshot has none. Private addresses are IPv4 (`PrivateAddress.address`), so the
        integers are IPv4 values."""
        if self.get(group_id) is None:
            return IntervalSet()
        members = [
            e for e in self.interfaces_in_group(group_id) if vpc_ids is None or e.vpc_id in vpc_ids
        ]
        addresses = IntervalSet.of_values(int(a) for e in members for a in e.addresses)
        return addresses | IntervalSet(
            (int(p.network_address), int(p.broadcast_address))
            for e in members
            for p in e.ipv4_prefixes
        )

    @cached_property
    def _subnets_by_vpc(self) -> dict[str, tuple[Subnet, ...]]:
        acc: dict[str, list[Subnet]] = defaultdict(list)
        for s in self.subnets:
            acc[s.vpc_id].append(s)
        return {k: tuple(v) for k, v in acc.items()}

    def subnets_in_vpc(self, vpc_id: str) -> tuple[Subnet, ...]:
        return self._subnets_by_vpc.get(vpc_id, ())

    def subnet_containing(self, vpc_id: str, address: IPAddress) -> Subnet | None:
        """The subnet of `vpc_id` whose CIDR contains `address` (subnets never overlap)."""
        for s in self.subnets_in_vpc(vpc_id):
            if address in s.cidr_block:
                return s
        return None

    def internet_gateway_block(self, subnet_id: str) -> InternetGatewayBlock:
        """The VPC Block Public Access rule for internet gateway traffic of `subnet_id`
        (forwarding.md "VPC Block Public Access"): the subnet's reported mode, else its
        VPC's; then an exclusion of the subnet or its VPC (the most permissive applies):
        `allow-bidirectional` lifts the block, `allow-egress` turns `block-bidirectional`
        into egress-only (it does not apply to `block-ingress`)."""
        s = self.by_id.get(subnet_id)
        if not isinstance(s, Subnet):
            return InternetGatewayBlock.NONE
        vpc = self.by_id.get(s.vpc_id)
        mode = s.block_public_access or (vpc.block_public_access if isinstance(vpc, Vpc) else None)
        if mode is None or mode is BlockPublicAccessMode.OFF:
            return InternetGatewayBlock.NONE
        excluded = {
            x.mode for x in self.block_public_access_exclusions if x.resource_id in (s.id, s.vpc_id)
        }
        if BlockPublicAccessExclusionMode.ALLOW_BIDIRECTIONAL in excluded:
            return InternetGatewayBlock.NONE
        if mode is BlockPublicAccessMode.BLOCK_INGRESS:
            return InternetGatewayBlock.INGRESS
        if BlockPublicAccessExclusionMode.ALLOW_EGRESS in excluded:
            return InternetGatewayBlock.EGRESS_ONLY
        return InternetGatewayBlock.BIDIRECTIONAL

    def idle_address(self, public_ip: IPAddress) -> IdleAddress | None:
        """The idle address record of `public_ip` (a public IP whose owner is not running)."""
        for a in self.idle_addresses:
            if a.public_ip == public_ip:
                return a
        return None

    def multicast_domains_of_vpc(self, vpc_id: str) -> tuple[str, ...]:
        """Ids of the multicast domains of the transit gateways `vpc_id` is attached to
        (sorted): multicast packets from the VPC may be carried by them."""
        tgws = {a.transit_gateway_id for a in self.transit_gateway_attachments_of_vpc(vpc_id)}
        return tuple(
            sorted(
                d.id for d in self.transit_gateway_multicast_domains if d.transit_gateway_id in tgws
            )
        )

    def internet_gateway_of(self, vpc_id: str) -> InternetGateway | None:
        for igw in self.internet_gateways:
            if vpc_id in igw.vpc_ids:
                return igw
        return None

    def transit_gateway_attachments_of_vpc(
        self, vpc_id: str, transit_gateway_id: str | None = None
    ) -> tuple[TransitGatewayAttachment, ...]:
        return tuple(
            a
            for a in self.transit_gateway_attachments
            if a.resource_type is TransitGatewayAttachmentType.VPC
            and a.resource_id == vpc_id
            and (transit_gateway_id is None or a.transit_gateway_id == transit_gateway_id)
        )

    def transit_gateway_route_table_of(self, attachment_id: str) -> TransitGatewayRouteTable | None:
        """The TGW route table an attachment is associated with (at most one)."""
        att = self.by_id.get(attachment_id)
        if isinstance(att, TransitGatewayAttachment) and att.association_route_table_id:
            rt = self.by_id.get(att.association_route_table_id)
            if isinstance(rt, TransitGatewayRouteTable):
                return rt
        for rt in self.transit_gateway_route_tables:
            if attachment_id in rt.association_attachment_ids:
                return rt
        return None

    def transit_gateway_routes(self, table_id: str) -> tuple[TransitGatewayRoute, ...]:
        """The effective routes of a TGW route table: the snapshot's routes plus a
        propagated route per CIDR block of every propagating VPC attachment (and per
        on-prem range of a propagating VPN attachment, `vpn_onprem_cidrs`) that the snapshot
        does not already list. Sorted by destination for determinism."""
        table = self._typed(table_id, TransitGatewayRouteTable)
        assert isinstance(table, TransitGatewayRouteTable)
        routes = list(table.routes)
        known = {(str(r.destination), r.attachment_ids, r.route_type) for r in routes}
        for att_id in table.propagation_attachment_ids:
            att = self.by_id.get(att_id)
            if not isinstance(att, TransitGatewayAttachment):
                continue
            cidrs: tuple[IPPrefix, ...] = ()
            if att.resource_type is TransitGatewayAttachmentType.VPC and att.resource_id:
                vpc = self.by_id.get(att.resource_id)
                if isinstance(vpc, Vpc):
                    cidrs = vpc.cidr_blocks
            elif att.resource_type is TransitGatewayAttachmentType.VPN:
                cidrs = self.vpn_onprem_cidrs(att.resource_id)
            for cidr in cidrs:
                key = (str(cidr), (att_id,), "propagated")
                if key not in known:
                    known.add(key)
                    routes.append(
                        TransitGatewayRoute(
                            destination=cidr, route_type="propagated", attachment_ids=(att_id,)
                        )
                    )
        return tuple(
            sorted(
                routes,
                key=lambda r: (
                    *prefix_sort_key(r.destination),
                    r.route_type,
                    r.attachment_ids,
                ),
            )
        )

    def vpn_onprem_cidrs(self, vpn_id: str | None) -> tuple[IPPrefix, ...]:
        """The on-prem ranges of a VPN connection (forwarding.md "TGW routing"): its own
        ranges (static routes) when the snapshot knows them, else the user-declared ranges
        (a BGP VPN, or a VPN connection missing from the snapshot). Empty: unknown."""
        vpn = self.by_id.get(vpn_id or "")
        if isinstance(vpn, VpnConnection) and vpn.onprem_cidrs:
            return vpn.onprem_cidrs
        return self.onprem_cidrs

    def vpn_gateway_onprem_cidrs(self, vgw_id: str) -> tuple[IPPrefix, ...]:
        """The on-prem ranges behind a VGW: `vpn_onprem_cidrs` of each of its available VPN
        connections; with no VPN connection in the snapshot, the user-declared ranges (its
        connections are unknown, like a BGP VPN's routes). Empty: unknown."""
        vpns = [
            v
            for v in self.vpn_connections
            if v.vpn_gateway_id == vgw_id and v.state.lower() == "available"
        ]
        if not vpns:
            return self.onprem_cidrs
        seen: dict[str, IPPrefix] = {}
        for v in sorted(vpns, key=lambda v: v.id):
            for c in self.vpn_onprem_cidrs(v.id):
                seen.setdefault(str(c), c)
        return tuple(seen.values())

    def transit_gateway_unknown_propagations(self, table_id: str) -> tuple[str, ...]:
        """Ids of the VPN attachments propagating into a TGW route table whose ranges are
        unknown (`vpn_onprem_cidrs` empty: BGP routes not in the snapshot, nothing declared).
        A destination no known route of such a table matches is `unknown`, not dropped."""
        table = self._typed(table_id, TransitGatewayRouteTable)
        assert isinstance(table, TransitGatewayRouteTable)
        out = []
        for att_id in table.propagation_attachment_ids:
            att = self.by_id.get(att_id)
            if (
                isinstance(att, TransitGatewayAttachment)
                and att.resource_type is TransitGatewayAttachmentType.VPN
                and not self.vpn_onprem_cidrs(att.resource_id)
            ):
                out.append(att_id)
        return tuple(sorted(out))

    def declared_onprem_cidrs(self) -> tuple[IPPrefix, ...]:
        """On-prem ranges: user-declared plus every VPN connection's known ranges."""
        seen: dict[str, IPPrefix] = {str(c): c for c in self.onprem_cidrs}
        for vpn in self.vpn_connections:
            for c in vpn.onprem_cidrs:
                seen.setdefault(str(c), c)
        # Sorted by family, address and length: prefixes of both families compare.
        return tuple(sorted(seen.values(), key=prefix_sort_key))


# Every lookup cached on a Network instance (dropped again by `Network.model_copy`).
_CACHED_LOOKUPS = tuple(
    name for name, value in vars(Network).items() if isinstance(value, cached_property)
)
