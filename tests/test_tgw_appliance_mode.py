"""Transit gateway Availability Zones (docs/semantics/forwarding.md "TGW routing from ingress
attachment"): without appliance mode the TGW forwards into a VPC attachment's subnet in the
AZ the packet came from (a deterministic one if that AZ has none), so forward and reply may
leave through different attachment subnets; with `ApplianceModeSupport` the TGW hashes each
flow to one of the attachment's AZs for both directions. netcheck does not model that hash
yet: a path the TGW forwards into an appliance-mode attachment with subnets in several AZs
ends unknown, naming the attachment. Each case asserts the engine's answer and that the
walker agrees."""

from __future__ import annotations

from typing import Any

from strategies import Builder, egress, from_eni, inbound, ingress, route, tcp
from test_engine_properties import walker_verdict

import netcheck
from netcheck.api import Snapshot, Verdict
from netcheck.model import Network

TGW = "tgw-1"
ENI_1A, IP_1A = "eni-1a", "10.1.1.10"  # vpc-1, us-east-1a
ENI_1B, IP_1B = "eni-1b", "10.1.2.10"  # vpc-1, us-east-1b
ENI_APP, IP_APP = "eni-app", "10.2.1.10"  # vpc-2, us-east-1a
ACL_ATT_A = "acl-att-a"
AZ_A, AZ_B = "us-east-1a", "us-east-1b"


def net(
    *,
    appliance_1: bool = False,
    appliance_2: bool = False,
    att_2_subnets: tuple[str, ...] = ("subnet-att-a", "subnet-att-b"),
) -> Network:
    """vpc-1 (10.1/16) has a subnet in each AZ, both in tgw-attach-1. vpc-2 (10.2/16) has
    attachment subnets subnet-att-a (AZ a; its NACL admits everything inbound, nothing
    outbound) and subnet-att-b (AZ b; allow all), and eni-app in subnet-app (AZ a). Both
    VPCs route 10.0.0.0/8 to tgw-1, whose one table has both attachments propagated."""
    b = Builder()
    b.tgw(TGW)
    b.sg("sg-all", None, ingress(), egress())
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("10.0.0.0/8", "transit-gateway", TGW))
    b.subnet("subnet-1a", "vpc-1", "10.1.1.0/24", AZ_A)
    b.subnet("subnet-1b", "vpc-1", "10.1.2.0/24", AZ_B)
    b.eni(ENI_1A, "subnet-1a", IP_1A, "sg-all")
    b.eni(ENI_1B, "subnet-1b", IP_1B, "sg-all")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.main_routes("vpc-2", route("10.0.0.0/8", "transit-gateway", TGW))
    b.acl(ACL_ATT_A, "vpc-2", inbound(100))
    b.subnet("subnet-att-a", "vpc-2", "10.2.255.0/28", AZ_A, acl=ACL_ATT_A)
    b.subnet("subnet-att-b", "vpc-2", "10.2.255.16/28", AZ_B)
    b.subnet("subnet-app", "vpc-2", "10.2.1.0/24", AZ_A)
    b.eni(ENI_APP, "subnet-app", IP_APP, "sg-all")
    b.tgw_vpc_attachment(
        "tgw-attach-1", TGW, "vpc-1", "subnet-1a", "subnet-1b", appliance_mode=appliance_1
    )
    b.tgw_vpc_attachment("tgw-attach-2", TGW, "vpc-2", *att_2_subnets, appliance_mode=appliance_2)
    b.tgw_route_table(
        "tgw-rtb",
        TGW,
        associations=("tgw-attach-1", "tgw-attach-2"),
        propagations=("tgw-attach-1", "tgw-attach-2"),
    )
    return b.build()


def answer(network: Network, src: str, dst: str) -> Any:
    """The engine's answer for tcp/22, after checking the walker's verdict for a concrete
    packet of the query is the same."""
    a = Snapshot(network).query(src, dst, protocol="tcp", port=22)
    ips = {ENI_1A: IP_1A, ENI_1B: IP_1B, ENI_APP: IP_APP}
    verdict = walker_verdict(network, from_eni(src), tcp(ips[src], ips[dst]))
    assert verdict == a.verdict.value, a
    return a


def test_without_appliance_mode_the_tgw_stays_in_the_source_az():
    # From AZ a the TGW leaves through subnet-att-a, whose NACL lets nothing out.
    a = answer(net(), ENI_1A, ENI_APP)
    assert a.verdict is Verdict.UNREACHABLE
    assert (ACL_ATT_A, "SUBNET_ACL_RESTRICTION") in {
        (b.component_id, b.code) for b in a.proof.blockers
    }
    # From AZ b it leaves through subnet-att-b; the reply from AZ a enters the TGW through
    # subnet-att-a (inbound allowed) and leaves through subnet-1a: a different AZ each way.
    b = answer(net(), ENI_1B, ENI_APP)
    assert b.verdict is Verdict.REACHABLE
    assert ACL_ATT_A not in [h.component_id for h in b.witness.path]
    assert ACL_ATT_A in [h.component_id for h in b.witness.return_path]


def test_appliance_mode_with_several_azs_is_unknown_naming_the_attachment():
    for src in (ENI_1A, ENI_1B):
        a = answer(net(appliance_2=True), src, ENI_APP)
        assert a.verdict is Verdict.UNKNOWN
        assert a.component_id == "tgw-attach-2"
        assert "appliance mode" in a.reason and AZ_A in a.reason and AZ_B in a.reason


def test_appliance_mode_on_the_source_attachment_makes_the_reply_unknown():
    # The forward packet enters through tgw-attach-1 (no choice there); the reply must leave
    # the TGW through it in the flow's AZ, which is not modelled.
    a = answer(net(appliance_1=True), ENI_1B, ENI_APP)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == "tgw-attach-1"
    # One way, the forward packet alone decides.
    one_way = Snapshot(net(appliance_1=True)).query(
        ENI_1B, ENI_APP, protocol="tcp", port=22, one_way=True
    )
    assert one_way.verdict is Verdict.REACHABLE


def test_appliance_mode_with_one_az_leaves_no_choice():
    a = answer(net(appliance_2=True, att_2_subnets=("subnet-att-b",)), ENI_1B, ENI_APP)
    # Forward via subnet-att-b; the reply from AZ a finds no attachment subnet in AZ a.
    assert a.verdict is Verdict.UNREACHABLE
    assert "TGW_ROUTE_AZ_RESTRICTION" in {b.code for b in a.proof.blockers}


def test_appliance_mode_read_from_describe_options():
    doc = {
        "TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Options": {}}],
        "TransitGatewayVpcAttachments": [
            {
                "TransitGatewayAttachmentId": "tgw-attach-0a",
                "TransitGatewayId": "tgw-0a",
                "VpcId": "vpc-0a",
                "SubnetIds": [],
                "State": "available",
                "Options": {"ApplianceModeSupport": "enable"},
            }
        ],
        "Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.1.0.0/16", "State": "available"}],
    }
    att = netcheck.load(doc).network.get("tgw-attach-0a")
    assert att.appliance_mode is True
