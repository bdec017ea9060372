"""VPC Block Public Access at an internet gateway: which packets it lets through, in both
directions (docs/semantics/forwarding.md "VPC Block Public Access").

Input: the subnet the packet leaves through the IGW (egress) or the private address it is
delivered to (ingress), the packet copy, the path state. Output: the guard a packet must meet
(egress) or whether the path goes on (ingress); a drop carries `BPA_CODE`.

Example: under `block-bidirectional` nothing passes igw-1 to or from subnet-a; under
`block-ingress` only a NAT gateway's traffic does (`egress_allowed` is "the source is a NAT
gateway address"); with an `allow-egress` exclusion of subnet-a its outbound traffic and the
replies pass, internet-initiated packets do not.
"""

from __future__ import annotations

import z3

from netcheck.compile.hops.context import HopContext, PathState
from netcheck.compile.packet import SymPacket, ip_is_any
from netcheck.model.addresses import IPAddress
from netcheck.model.vpc import InternetGatewayBlock, Subnet

# Reachability Analyzer's code for a drop by VPC Block Public Access.
BPA_CODE = "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"


def nat_addresses(hc: HopContext, vpc_id: str) -> list[IPAddress]:
    """The private addresses of the NAT gateways of `vpc_id` (sorted)."""
    return sorted(
        {
            a.private_ip
            for n in hc.net.nat_gateways
            if n.vpc_id == vpc_id
            for a in n.addresses
            if a.private_ip is not None
        }
    )


def egress_allowed(hc: HopContext, s: Subnet, p: SymPacket) -> z3.BoolRef | None:
    """VPC Block Public Access on the way out of subnet `s` through its IGW
    (forwarding.md "VPC Block Public Access"): None when nothing is blocked (off, excluded,
    or `allow-egress` under block-bidirectional); False under block-bidirectional; under
    block-ingress only NAT gateway traffic (the source is a NAT gateway's address)."""
    block = hc.net.internet_gateway_block(s.id)
    if block in (InternetGatewayBlock.NONE, InternetGatewayBlock.EGRESS_ONLY):
        return None
    if block is InternetGatewayBlock.BIDIRECTIONAL:
        return z3.BoolVal(False)
    return ip_is_any(p.src_ip, nat_addresses(hc, s.vpc_id))


def ingress_allowed(hc: HopContext, vpc_id: str, private: IPAddress, ps: PathState) -> bool:
    """VPC Block Public Access on the way in through the IGW to `private` (an address of
    `vpc_id`), decided by the block of the subnet holding it: off/excluded passes,
    block-bidirectional drops, block-ingress passes only to a NAT gateway (whose replies
    come back this way; it accepts nothing unsolicited), egress-only (`allow-egress`)
    passes only a reply."""
    s = hc.net.subnet_containing(vpc_id, private)
    if s is None:
        return True
    block = hc.net.internet_gateway_block(s.id)
    if block is InternetGatewayBlock.NONE:
        return True
    if block is InternetGatewayBlock.INGRESS:
        return private in nat_addresses(hc, vpc_id)
    if block is InternetGatewayBlock.EGRESS_ONLY:
        return ps.reply
    return False
