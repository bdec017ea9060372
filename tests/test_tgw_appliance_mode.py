"""Transit gateway Availability Zones (docs/semantics/forwarding.md "TGW routing from ingress
attachment"): without appliance mode the TGW forwards into a VPC attachment's subnet in the
AZ the packet came from (a deterministic one if that AZ has none), so forward and reply may
leave through different attachment subnets; with `ApplianceModeSupport` the TGW hashes each
flow to one of the attachment's AZs and uses it for both directions. netcheck does not know
the hash: the answer is existential over the AZ (some flow hashes there), the witness names
the AZ (`Witness.appliance_azs` and the attachment's hop), and a reply crossing the same
attachment keeps the forward packet's AZ. Each case asserts the engine's answer and that the
walker agrees (every AZ choice walked; the witness's choice replayed)."""

from __future__ import annotations

from typing import Any

from strategies import Builder, egress, from_eni, inbound, ingress, route, tcp, tgw_route
from test_engine_properties import walker_verdict

import netcheck
from netcheck.api import Snapshot, Verdict
from netcheck.model import Network
from netcheck.walk import walk_connection

TGW = "tgw-1"
ENI_1A, IP_1A = "eni-1a", "10.1.1.10"  # vpc-1, us-east-1a
ENI_1B, IP_1B = "eni-1b", "10.1.2.10"  # vpc-1, us-east-1b
ENI_APP, IP_APP = "eni-app", "10.2.1.10"  # vpc-2, us-east-1a
ACL_ATT_A, ACL_ATT_B = "acl-att-a", "acl-att-b"
AZ_A, AZ_B = "us-east-1a", "us-east-1b"


def net(
    *,
    appliance_1: bool = False,
    appliance_2: bool = False,
    att_2_subnets: tuple[str, ...] = ("subnet-att-a", "subnet-att-b"),
    closed_b: bool = False,
) -> Network:
    """vpc-1 (10.1/16) has a subnet in each AZ, both in tgw-attach-1. vpc-2 (10.2/16) has
    attachment subnets subnet-att-a (AZ a; its NACL admits everything inbound, nothing
    outbound) and subnet-att-b (AZ b; allow all, or like subnet-att-a when `closed_b`), and
    eni-app in subnet-app (AZ a). Both VPCs route 10.0.0.0/8 to tgw-1, whose one table has
    both attachments propagated."""
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
    b.acl(ACL_ATT_B, "vpc-2", inbound(100))
    b.subnet("subnet-att-b", "vpc-2", "10.2.255.16/28", AZ_B, acl=ACL_ATT_B if closed_b else None)
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


def test_appliance_mode_open_in_one_az_is_reachable_naming_that_az():
    # From AZ a, the flow hashed to AZ a leaves through subnet-att-a (no outbound rule: drop);
    # one hashed to AZ b gets through: reachable, and the witness says which AZ.
    network = net(appliance_2=True)
    a = answer(network, ENI_1A, ENI_APP)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.appliance_azs == {"tgw-attach-2": AZ_B}
    crossing = [h for h in a.witness.path if h.component_id == "tgw-attach-2"]
    assert len(crossing) == 1
    assert AZ_B in crossing[0].detail and "subnet-att-b" in crossing[0].detail
    assert ACL_ATT_A not in [h.component_id for h in a.witness.path]
    # The walker replays the witness's choice; the other AZ fails at subnet-att-a's NACL.
    sent = tcp(IP_1A, IP_APP)
    chosen = walk_connection(network, sent, from_eni(ENI_1A), appliance_azs=a.witness.appliance_azs)
    assert chosen.success
    other = walk_connection(network, sent, from_eni(ENI_1A), appliance_azs={"tgw-attach-2": AZ_A})
    assert other.forward.disposition.component_id == ACL_ATT_A
    # Without appliance mode the same source is unreachable (it stays in AZ a): the flag
    # decides the answer.
    assert answer(net(), ENI_1A, ENI_APP).verdict is Verdict.UNREACHABLE


def test_appliance_mode_open_in_no_az_is_unreachable_naming_each_blocker():
    a = answer(net(appliance_2=True, closed_b=True), ENI_1A, ENI_APP)
    assert a.verdict is Verdict.UNREACHABLE
    blockers = {(b.component_id, b.code) for b in a.proof.blockers}
    assert (ACL_ATT_A, "SUBNET_ACL_RESTRICTION") in blockers
    assert (ACL_ATT_B, "SUBNET_ACL_RESTRICTION") in blockers


def test_appliance_mode_on_the_source_attachment_chooses_the_reply_az():
    # The forward packet enters through tgw-attach-1 (the VPC picks the AZ); the reply leaves
    # the TGW through it in the flow's AZ: one choice per AZ, the witness names it.
    a = answer(net(appliance_1=True), ENI_1B, ENI_APP)
    assert a.verdict is Verdict.REACHABLE
    assert set(a.witness.appliance_azs) == {"tgw-attach-1"}
    az = a.witness.appliance_azs["tgw-attach-1"]
    assert any(h.component_id == "tgw-attach-1" and az in h.detail for h in a.witness.return_path)


# The reply forced through the forward packet's AZ: vpc-1 (eni-1a) -> TGW -> inspection VPC
# vpc-2 (appliance mode; its attachment subnets route onwards back to the TGW) -> TGW ->
# vpc-3 (eni-3), and the reply back the same way. subnet-insp-a (AZ a) routes only towards
# vpc-1 and subnet-insp-b (AZ b) only towards vpc-3.
ENI_3, IP_3 = "eni-3", "10.3.1.10"


def inspection(*, to_1: tuple[str, ...] = (AZ_A,), to_3: tuple[str, ...] = (AZ_B,)) -> Network:
    """`to_1` / `to_3`: the AZs whose inspection subnet routes to vpc-1 / vpc-3."""
    b = Builder()
    b.tgw(TGW)
    b.sg("sg-all", None, ingress(), egress())
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("10.0.0.0/8", "transit-gateway", TGW))
    b.subnet("subnet-1a", "vpc-1", "10.1.1.0/24", AZ_A)
    b.eni(ENI_1A, "subnet-1a", IP_1A, "sg-all")
    b.vpc("vpc-3", "10.3.0.0/16")
    b.main_routes("vpc-3", route("10.0.0.0/8", "transit-gateway", TGW))
    b.subnet("subnet-3a", "vpc-3", "10.3.1.0/24", AZ_A)
    b.eni(ENI_3, "subnet-3a", IP_3, "sg-all")
    b.vpc("vpc-2", "10.2.0.0/16")
    for az, cidr in ((AZ_A, "10.2.255.0/28"), (AZ_B, "10.2.255.16/28")):
        routes = [route("10.1.0.0/16", "transit-gateway", TGW)] if az in to_1 else []
        routes += [route("10.3.0.0/16", "transit-gateway", TGW)] if az in to_3 else []
        b.route_table(f"rtb-insp-{az[-1]}", "vpc-2", *routes)
        b.subnet(f"subnet-insp-{az[-1]}", "vpc-2", cidr, az, rtb=f"rtb-insp-{az[-1]}")
    b.tgw_vpc_attachment("tgw-attach-1", TGW, "vpc-1", "subnet-1a")
    b.tgw_vpc_attachment(
        "tgw-attach-2", TGW, "vpc-2", "subnet-insp-a", "subnet-insp-b", appliance_mode=True
    )
    b.tgw_vpc_attachment("tgw-attach-3", TGW, "vpc-3", "subnet-3a")
    b.tgw_route_table(
        "tgw-rtb-spokes",
        TGW,
        tgw_route("10.0.0.0/8", "tgw-attach-2"),
        associations=("tgw-attach-1", "tgw-attach-3"),
    )
    b.tgw_route_table(
        "tgw-rtb-inspection",
        TGW,
        associations=("tgw-attach-2",),
        propagations=("tgw-attach-1", "tgw-attach-3"),
    )
    return b.build()


def _connects(network: Network, azs: dict[str, str]) -> bool:
    return walk_connection(network, tcp(IP_1A, IP_3), from_eni(ENI_1A), appliance_azs=azs).success


def test_the_reply_crosses_the_appliance_attachment_in_the_forward_packets_az():
    # The forward packet gets through only in AZ b, its reply only in AZ a: one flow uses
    # one AZ both ways, so no flow connects (forward in b and reply in a would be two AZs).
    network = inspection()
    a = Snapshot(network).query(ENI_1A, ENI_3, protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert "NO_ROUTE_TO_DESTINATION" in {b.code for b in a.proof.blockers}
    assert walker_verdict(network, from_eni(ENI_1A), tcp(IP_1A, IP_3)) == "unreachable"
    assert not _connects(network, {"tgw-attach-2": AZ_A})
    assert not _connects(network, {"tgw-attach-2": AZ_B})
    # The forward packet alone gets through (in AZ b).
    one_way = Snapshot(network).query(ENI_1A, ENI_3, protocol="tcp", port=22, one_way=True)
    assert one_way.verdict is Verdict.REACHABLE
    assert one_way.witness.appliance_azs == {"tgw-attach-2": AZ_B}


def test_a_connection_through_the_inspection_vpc_names_the_same_az_both_ways():
    network = inspection(to_1=(AZ_B,), to_3=(AZ_B,))
    a = Snapshot(network).query(ENI_1A, ENI_3, protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.appliance_azs == {"tgw-attach-2": AZ_B}
    for hops in (a.witness.path, a.witness.return_path):
        crossing = [h.detail for h in hops if h.component_id == "tgw-attach-2"]
        assert len(crossing) == 1 and AZ_B in crossing[0], crossing
    assert walker_verdict(network, from_eni(ENI_1A), tcp(IP_1A, IP_3)) == "reachable"
    assert _connects(network, {"tgw-attach-2": AZ_B})
    assert not _connects(network, {"tgw-attach-2": AZ_A})


def test_reachable_sets_quantify_over_the_az_and_their_witness_names_it():
    # The set holds the packets some flow gets through with; its witness is confirmed by
    # the walker with the AZ that works (the first assignment, AZ a, does not).
    rs = Snapshot(net(appliance_2=True)).reachable_set(ENI_1A, ENI_APP, protocol="tcp")
    assert rs.status == "complete", rs.reason
    assert [b.witness.appliance_azs for b in rs.boxes] == [{"tgw-attach-2": AZ_B}]
    # Forward only in AZ b, reply only in AZ a: no packet of the set.
    rs = Snapshot(inspection()).reachable_set(ENI_1A, ENI_3, protocol="tcp")
    assert rs.status == "complete" and not rs.boxes


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
