"""Selectors -> the resources of a snapshot they pick.

Input: a `Network` and a rule side (`Selector` or an endpoint string). Output: `Target`s: the
endpoint string handed to the engine (a resource id, or `internet` / a CIDR as written), the
resource when there is one, and its VPC (for `pairs: same-vpc`). Sorted by id.

Fields of a selector are AND-ed, values within a field OR-ed (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netcheck.model import (
    DbInstance,
    Instance,
    InterfaceOwnerKind,
    NatGateway,
    Network,
    NetworkInterface,
    Resource,
    RouteTargetKind,
    Subnet,
    Vpc,
    VpcEndpoint,
    VpcEndpointType,
)
from netcheck.policy.model import ResourceType, Selector


@dataclass(frozen=True)
class Target:
    """One end of a question: `endpoint` goes to `Snapshot.query` as it is."""

    endpoint: str
    resource: Resource | None = None
    vpc_id: str | None = None

    @property
    def label(self) -> str:
        r = self.resource
        if r is not None and r.name and r.name != r.id:
            return f"{r.id} ({r.name})"
        return self.endpoint


def _interfaces_by_owner(net: Network, kinds: set[InterfaceOwnerKind]) -> list[NetworkInterface]:
    return [e for e in net.network_interfaces if e.owner_kind in kinds]


def _of_type(net: Network, t: ResourceType) -> list[Resource]:
    table: dict[ResourceType, Callable[[], Iterable[Resource]]] = {
        ResourceType.INSTANCE: lambda: net.instances,
        ResourceType.RDS: lambda: net.db_instances,
        ResourceType.INTERFACE: lambda: net.network_interfaces,
        ResourceType.SUBNET: lambda: net.subnets,
        ResourceType.VPC: lambda: net.vpcs,
        ResourceType.NAT_GATEWAY: lambda: net.nat_gateways,
        ResourceType.VPC_ENDPOINT: lambda: (
            v for v in net.vpc_endpoints if v.endpoint_type is not VpcEndpointType.GATEWAY
        ),
        ResourceType.LOAD_BALANCER: lambda: _interfaces_by_owner(
            net, {InterfaceOwnerKind.LOAD_BALANCER}
        ),
        ResourceType.LAMBDA: lambda: _interfaces_by_owner(net, {InterfaceOwnerKind.LAMBDA}),
    }
    return list(table[t]())


def _interfaces(net: Network, r: Resource) -> list[NetworkInterface]:
    if isinstance(r, NetworkInterface):
        return [r]
    if isinstance(r, Instance | DbInstance):
        ids = set(r.interface_ids)
        return [e for e in net.network_interfaces if e.id in ids or e.owner_id == r.id]
    if isinstance(r, Subnet):
        return list(net.interfaces_in_subnet(r.id))
    if isinstance(r, Vpc):
        return [e for e in net.network_interfaces if e.vpc_id == r.id]
    if isinstance(r, NatGateway | VpcEndpoint):
        return [e for e in net.network_interfaces if e.owner_id == r.id]
    return []


def vpc_of(net: Network, r: Resource) -> str | None:
    if isinstance(r, Vpc):
        return r.id
    vpc = getattr(r, "vpc_id", None)
    if isinstance(vpc, str):
        return vpc
    enis = _interfaces(net, r)
    return enis[0].vpc_id if enis else None


def _subnet_ids(net: Network, r: Resource) -> set[str]:
    if isinstance(r, Subnet):
        return {r.id}
    out = {e.subnet_id for e in _interfaces(net, r)}
    if isinstance(r, DbInstance):
        out |= set(r.subnet_ids)
    sid = getattr(r, "subnet_id", None)
    if isinstance(sid, str):
        out.add(sid)
    return out


def _group_ids(net: Network, r: Resource) -> set[str]:
    out = {g for e in _interfaces(net, r) for g in e.group_ids}
    if isinstance(r, DbInstance | VpcEndpoint):
        out |= set(r.group_ids)
    return out


def is_public_subnet(net: Network, subnet: Subnet) -> bool:
    """AWS's definition: the subnet's route table has a route to an internet gateway."""
    table = net.get(subnet.route_table_id)
    routes = getattr(table, "routes", ())
    return any(rt.target_kind is RouteTargetKind.INTERNET_GATEWAY for rt in routes)


def _names(net: Network, wanted: list[str], pool: Iterable[Resource]) -> set[str]:
    """Ids of the resources in `pool` that `wanted` names by id or Name tag."""
    keys = set(wanted)
    return {r.id for r in pool if r.id in keys or (r.name is not None and r.name in keys)}


def _tags_match(r: Resource, tags: dict[str, str | list[str]]) -> bool:
    for key, want in tags.items():
        have = r.tags.get(key)
        if have is None:
            return False
        values = [want] if isinstance(want, str) else want
        if "*" not in values and have not in values:
            return False
    return True


def select(net: Network, selector: Selector) -> list[Target]:
    """The resources `selector` picks, as query targets sorted by id."""
    if selector.type:
        pool: list[Resource] = []
        for t in selector.type:
            pool.extend(_of_type(net, t))
    else:
        pool = list(net.all_resources())
    if selector.ids:
        keys = set(selector.ids)
        pool = [r for r in pool if r.id in keys or (r.name is not None and r.name in keys)]
    if selector.tags:
        pool = [r for r in pool if _tags_match(r, selector.tags)]
    if selector.security_groups:
        keys = set(selector.security_groups)
        groups = {
            g.id
            for g in net.security_groups
            if g.id in keys or g.group_name in keys or (g.name is not None and g.name in keys)
        }
        pool = [r for r in pool if _group_ids(net, r) & groups]
    if selector.subnets:
        subnets = _names(net, selector.subnets, net.subnets)
        pool = [r for r in pool if _subnet_ids(net, r) & subnets]
    if selector.vpcs:
        vpcs = _names(net, selector.vpcs, net.vpcs)
        pool = [r for r in pool if vpc_of(net, r) in vpcs]
    if selector.public_subnet is not None:
        public = {s.id for s in net.subnets if is_public_subnet(net, s)}
        want = selector.public_subnet
        pool = [
            r for r in pool if _subnet_ids(net, r) and bool(_subnet_ids(net, r) & public) is want
        ]
    seen: set[str] = set()
    out = []
    for r in sorted(pool, key=lambda r: r.id):
        if r.id not in seen:
            seen.add(r.id)
            out.append(Target(endpoint=r.id, resource=r, vpc_id=vpc_of(net, r)))
    return out


def has_interfaces(net: Network, target: Target) -> bool:
    """Whether a selected resource has an interface in the snapshot to send from / deliver to."""
    return target.resource is None or bool(_interfaces(net, target.resource))


def resolve_side(net: Network, side: str | Selector) -> list[Target]:
    """A rule side as targets: an endpoint string is one target (the engine resolves it and
    reports unknown names); a selector is every resource it picks."""
    if isinstance(side, str):
        r = net.get(side)
        return [Target(endpoint=side, resource=r, vpc_id=vpc_of(net, r) if r else None)]
    return select(net, side)
