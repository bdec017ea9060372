"""Tiny hand-built networks for the on-prem rules of docs/semantics/forwarding.md ("TGW
routing": BGP VPNs whose routes are not in the snapshot, declared on-prem ranges), shared by
the walker and engine tests (test data only; the implementations share nothing)."""

from __future__ import annotations

from strategies import Builder, egress, ingress, route, tgw_route

from netcheck.model import Network

VPC_A, VPC_B = "vpc-a", "vpc-b"
ENI_A, ENI_B = "eni-a", "eni-b"
IP_A, IP_B = "10.0.1.10", "10.1.1.10"
TGW, TGW_RTB = "tgw-1", "tgw-rtb-1"
ATT_A, ATT_B, ATT_VPN = "tgw-attach-a", "tgw-attach-b", "tgw-attach-vpn"
VPN = "vpn-1"
VGW, VGW_VPN = "vgw-1", "vpn-vgw"


def tgw_vpn_net(
    *vpn_ranges: str,
    declared: tuple[str, ...] = (),
    propagate_vpn: bool = True,
    statics: tuple[str, ...] = (),
) -> Network:
    """vpc-a (10.0/16) and vpc-b (10.1/16) send everything to tgw-1; one TGW route table
    associated with both VPC attachments and the VPN attachment, into which both VPCs (and,
    with `propagate_vpn`, the VPN) propagate. `vpn_ranges` empty: a BGP VPN. `statics`:
    blackhole static routes in the TGW table."""
    b = Builder()
    for vpc, n, eni, ip in ((VPC_A, 0, ENI_A, IP_A), (VPC_B, 1, ENI_B, IP_B)):
        b.vpc(vpc, f"10.{n}.0.0/16")
        b.route_table(f"rtb-{vpc}", vpc, route("0.0.0.0/0", "transit-gateway", TGW))
        b.subnet(f"subnet-{vpc}", vpc, f"10.{n}.1.0/24", "us-east-1a", rtb=f"rtb-{vpc}")
        b.sg(f"sg-{vpc}", vpc, ingress(), egress())
        b.eni(eni, f"subnet-{vpc}", ip, f"sg-{vpc}")
    b.tgw(TGW)
    b.tgw_vpc_attachment(ATT_A, TGW, VPC_A, f"subnet-{VPC_A}")
    b.tgw_vpc_attachment(ATT_B, TGW, VPC_B, f"subnet-{VPC_B}")
    b.vpn(VPN, *vpn_ranges, tgw=TGW)
    b.tgw_vpn_attachment(ATT_VPN, TGW, VPN)
    b.tgw_route_table(
        TGW_RTB,
        TGW,
        *(tgw_route(d, state="blackhole") for d in statics),
        associations=(ATT_A, ATT_B, ATT_VPN),
        propagations=(ATT_A, ATT_B, *((ATT_VPN,) if propagate_vpn else ())),
    )
    return b.build(onprem=declared)


def vgw_vpn_net(*vpn_ranges: str, declared: tuple[str, ...] = ()) -> Network:
    """vpc-a sends 0.0.0.0/0 to vgw-1, which has one VPN (`vpn_ranges` empty: BGP)."""
    b = Builder()
    b.vpc(VPC_A, "10.0.0.0/16")
    b.route_table("rtb-a", VPC_A, route("0.0.0.0/0", "virtual-private-gateway", VGW))
    b.subnet("subnet-a", VPC_A, "10.0.1.0/24", "us-east-1a", rtb="rtb-a")
    b.sg("sg-a", VPC_A, ingress(), egress())
    b.eni(ENI_A, "subnet-a", IP_A, "sg-a")
    b.vgw(VGW, VPC_A)
    b.vpn(VGW_VPN, *vpn_ranges, vgw=VGW)
    return b.build(onprem=declared)
