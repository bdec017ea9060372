"""Walker: VPC Block Public Access at an internet gateway, both directions
(docs/semantics/forwarding.md "VPC Block Public Access").

Example: under `block-ingress` a packet from an instance's public IP to the internet is
dropped at the IGW (`VPC_BLOCK_PUBLIC_ACCESS_ENABLED`), one from a NAT gateway passes.

Input: a `Walk` in progress, the subnet / private address concerned. Output: nothing — the
walk goes on, or is dropped with the hop recorded.
"""

from __future__ import annotations

from netcheck.model import InternetGateway, Subnet
from netcheck.model.addresses import IPAddress
from netcheck.model.hops import HopKind
from netcheck.model.vpc import InternetGatewayBlock
from netcheck.walk.hops.context import Walk

CODE = "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"


def _is_nat_address(w: Walk, vpc_id: str, address: IPAddress) -> bool:
    return any(
        a.private_ip == address
        for nat in w.net.nat_gateways
        if nat.vpc_id == vpc_id
        for a in nat.addresses
    )


def check_egress(w: Walk, subnet: Subnet, igw: InternetGateway) -> None:
    """Leaving `subnet` through `igw`: block-bidirectional drops everything; block-ingress
    lets only NAT gateways' traffic out; off, excluded and `allow-egress` pass."""
    block = w.net.internet_gateway_block(subnet.id)
    if block in (InternetGatewayBlock.NONE, InternetGatewayBlock.EGRESS_ONLY):
        return
    src = w.packet.src_ip
    if block is InternetGatewayBlock.INGRESS and _is_nat_address(w, subnet.vpc_id, src):
        return
    w.hop(igw.id, HopKind.INTERNET_GATEWAY, "deny", detail=f"block public access ({block})")
    w.drop(CODE, igw.id, f"VPC Block Public Access ({block}) blocks {src} in {subnet.id}")


def check_ingress(w: Walk, vpc_id: str, private: IPAddress, igw: InternetGateway) -> None:
    """Entering through `igw` towards `private`: the block of the subnet holding it decides.
    Block-bidirectional drops; block-ingress passes only to a NAT gateway's address;
    `allow-egress` under block-bidirectional passes only a reply."""
    subnet = w.net.subnet_containing(vpc_id, private)
    if subnet is None:
        return
    block = w.net.internet_gateway_block(subnet.id)
    if block is InternetGatewayBlock.NONE:
        return
    if block is InternetGatewayBlock.INGRESS and _is_nat_address(w, vpc_id, private):
        return
    if block is InternetGatewayBlock.EGRESS_ONLY and w.is_reply:
        return
    w.hop(igw.id, HopKind.INTERNET_GATEWAY, "deny", detail=f"block public access ({block})")
    w.drop(
        CODE,
        igw.id,
        f"VPC Block Public Access ({block}) blocks internet traffic to {private} in {subnet.id}",
    )
