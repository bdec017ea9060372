"""Walker hops on the internet (forwarding.md "On the internet"): a packet entering from it
needs a public source; non-public destinations drop (`IGW_DESTINATION_RFC1918`); a public IP
of the snapshot enters its VPC through the VPC's IGW; any other destination exits.

Example: a packet to 8.8.8.8 ends `exits-internet`.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from typing import NoReturn

from netcheck.model.addresses import IPAddress
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.walk.hops import block_public_access, gateway_route_table
from netcheck.walk.hops.context import Walk, with_changes
from netcheck.walk.match import is_public


def start_internet(w: Walk) -> None:
    if not is_public(w.packet.src_ip):
        w.hop("internet", HopKind.INTERNET, "deny", detail="source address is not public")
        w.drop(
            "SOURCE_NOT_PUBLIC",
            "internet",
            f"a packet from the internet needs a public source; {w.packet.src_ip} is not",
        )
    on_internet(w)


def on_internet(w: Walk) -> NoReturn:
    """forwarding.md "On the internet"."""
    dst = w.packet.dst_ip
    if not is_public(dst):
        w.hop("internet", HopKind.INTERNET, "deny", detail=f"{dst} is not a public address")
        w.drop("IGW_DESTINATION_RFC1918", "internet", f"the internet does not route to {dst}")
    owner = owner_of_public_ip(w, dst)
    if owner is None:
        _nobody_behind(w, dst)
        w.hop("internet", HopKind.INTERNET)
        w.finish(DispositionKind.EXITS_INTERNET, "internet", None, f"{dst} is on the internet")
    vpc_id, private = owner
    igw = w.net.internet_gateway_of(vpc_id)
    if igw is None:
        w.hop("internet", HopKind.INTERNET, "deny", detail=f"{vpc_id} has no internet gateway")
        w.drop(
            "NO_ROUTE_TO_DESTINATION",
            vpc_id,
            f"{dst} belongs to {vpc_id}, which has no internet gateway",
        )
    w.hop("internet", HopKind.INTERNET)
    block_public_access.check_ingress(w, vpc_id, private, igw)
    w.translate(
        igw.id,
        HopKind.INTERNET_GATEWAY,
        with_changes(w.packet, dst_ip=private),
        f"{dst} -> {private}",
    )
    gateway_route_table.enter_vpc_via_gateway(w, igw.id, vpc_id)
    raise AssertionError("enter_vpc_via_gateway always stops")  # pragma: no cover


def _nobody_behind(w: Walk, dst: IPAddress) -> None:
    """forwarding.md "On the internet": an Elastic IP kept by a stopped instance's
    interface, or an address of a regional NAT gateway, is no internet host: dropped."""
    idle = w.net.idle_address(dst)
    if idle is not None:
        owner = idle.owner_id or idle.interface_id or str(dst)
        w.hop("internet", HopKind.INTERNET, "deny", detail=f"{dst} belongs to {owner}")
        w.drop("INSTANCE_NOT_RUNNING", owner, f"{dst} belongs to {owner}, which is {idle.state}")
    for nat in sorted(w.net.regional_nat_gateways, key=lambda n: n.id):
        if dst in nat.public_ips:
            w.hop("internet", HopKind.INTERNET, "deny", detail=f"{dst} belongs to {nat.id}")
            w.drop(
                "NGW_NO_UNSOLICITED_INBOUND",
                nat.id,
                f"{dst} is an address of {nat.id}, which accepts no unsolicited inbound traffic",
            )


def owner_of_public_ip(w: Walk, public: IPAddress) -> tuple[str, IPAddress] | None:
    """(VPC id, private address) that a public IP of the snapshot maps to."""
    eni = w.net.interface_with_public_ip(public)
    if eni is not None:
        for pa in eni.private_addresses:
            if pa.public_ip == public:
                return eni.vpc_id, pa.address
    for nat in sorted(w.net.nat_gateways, key=lambda n: n.id):
        for a in nat.addresses:
            if a.public_ip == public and a.private_ip is not None:
                return nat.vpc_id, a.private_ip
    return None
