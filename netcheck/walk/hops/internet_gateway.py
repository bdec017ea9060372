"""Walker hop: an internet gateway on the way out: the private source maps to its public IP
(`IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS` when it has none), then the internet.

Example: 10.0.1.5 with public IP 54.1.2.3 leaves igw-1 as 54.1.2.3.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import InternetGateway, Route, Subnet
from netcheck.model.addresses import IPAddress
from netcheck.model.hops import HopKind
from netcheck.walk.hops import block_public_access, internet
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Walk, with_changes


def resolve_igw(w: Walk, route: Route, subnet: Subnet) -> object:
    igw = w.net.get(route.target_id or "")
    if isinstance(igw, InternetGateway) and subnet.vpc_id in igw.vpc_ids:
        return igw
    return None


def to_igw(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    assert isinstance(target, InternetGateway)
    subnet_hops.leave(w, subnet, egress_checked)
    block_public_access.check_egress(w, subnet, target)
    src = w.packet.src_ip
    public = public_ip_for(w, subnet.vpc_id, src)
    if public is None:
        w.hop(target.id, HopKind.INTERNET_GATEWAY, "deny", detail=f"{src} has no public IP")
        w.drop(
            "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
            target.id,
            f"{src} has no public IP for {target.id} to map it to",
        )
    w.translate(
        target.id,
        HopKind.INTERNET_GATEWAY,
        with_changes(w.packet, src_ip=public),
        f"{src} -> {public}",
    )
    internet.on_internet(w)


def public_ip_for(w: Walk, vpc_id: str, private: IPAddress) -> IPAddress | None:
    for eni in sorted(w.net.interfaces_with_address(private), key=lambda e: e.id):
        if eni.vpc_id != vpc_id:
            continue
        for pa in eni.private_addresses:
            if pa.address == private and pa.public_ip is not None:
                return pa.public_ip
    for nat in sorted(w.net.nat_gateways, key=lambda n: n.id):
        for a in nat.addresses:
            if nat.vpc_id == vpc_id and a.private_ip == private and a.public_ip is not None:
                return a.public_ip
    return None
