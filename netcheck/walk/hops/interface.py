"""Walker hops at an interface: leaving it (source/destination check, SG egress; forwarding.md
"Leaving an interface") and arriving at it (a NAT gateway owning the address first, then the
interface owning it, SG ingress unless a reply; forwarding.md "Arriving at an interface").

Example: an interface sending from a foreign address with its check enabled is dropped
`ENI_SOURCE_DEST_CHECK_RESTRICTION`.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from typing import NoReturn

from netcheck.model import Direction, InterfaceOwnerKind, NetworkInterface, Subnet
from netcheck.model.addresses import IPAddress
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.walk.hops import nat_gateway, security_group
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import in_cidr


def start_interface(w: Walk, eni: NetworkInterface) -> None:
    subnet: Subnet = w.lookup(eni.subnet_id, Subnet, "subnet")
    if eni.owner_kind is InterfaceOwnerKind.UNATTACHED:
        _not_attached(w, eni, HopKind.ENI_EGRESS)
    if eni.source_dest_check and not _own_address(eni, w.packet.src_ip):
        w.hop(eni.id, HopKind.ENI_EGRESS, "deny", rule="source/destination check")
        w.drop(
            "ENI_SOURCE_DEST_CHECK_RESTRICTION",
            eni.id,
            f"{w.packet.src_ip} is not an address of {eni.id} and its "
            "source/destination check is enabled",
        )
    check = "source/destination check" if eni.source_dest_check else "check disabled"
    w.hop(eni.id, HopKind.ENI_EGRESS, rule=check)
    if not w.is_reply:
        security_group.security_groups(w, eni, Direction.EGRESS)
    subnet_hops.route_from(w, subnet)


def _own_address(eni: NetworkInterface, address: IPAddress) -> bool:
    """One of `eni`'s private addresses, or in a prefix delegated to it."""
    if address in eni.addresses:
        return True
    return any(in_cidr(address, prefix) for prefix in eni.ipv4_prefixes)


def _not_attached(w: Walk, eni: NetworkInterface, kind: HopKind) -> NoReturn:
    """forwarding.md "Interfaces that are not attached": nothing sends or answers there."""
    w.hop(eni.id, kind, "deny", detail="not attached")
    w.drop("ENI_NOT_ATTACHED", eni.id, f"{eni.id} is not attached: nothing sends or answers there")


def arrive(w: Walk, subnet: Subnet) -> None:
    """forwarding.md "Arriving at an interface"."""
    dst = w.packet.dst_ip
    nat = nat_gateway.nat_with_address(w, subnet, dst)
    if nat is not None:
        nat_gateway.at_nat(w, nat)
    owners = sorted(
        (e for e in w.net.interfaces_with_address(dst) if e.subnet_id == subnet.id),
        key=lambda e: e.id,
    )
    if not owners:
        w.drop(
            "NO_ROUTE_TO_DESTINATION",
            subnet.id,
            f"no interface of {subnet.id} has address {dst}",
        )
    eni = owners[0]
    if eni.owner_kind is InterfaceOwnerKind.UNATTACHED:
        _not_attached(w, eni, HopKind.ENI_INGRESS)
    if not w.is_reply:
        security_group.security_groups(w, eni, Direction.INGRESS)
    w.hop(eni.id, HopKind.ENI_INGRESS)
    w.finish(DispositionKind.DELIVERED, eni.id, None, f"delivered to {eni.id}")
