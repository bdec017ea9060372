"""Concrete walker: network ACLs of TGW attachment subnets (docs/semantics/forwarding.md,
AWS "Network ACLs for transit gateways"). To the TGW: outbound rules of the source subnet and
inbound rules of the attachment subnet, also when they are the same subnet. From the TGW:
outbound rules of the attachment subnet and inbound rules of the destination subnet, and no
rules at all for a destination inside the attachment subnet."""

from __future__ import annotations

from strategies import from_eni, inbound, outbound, tcp
from tgw_nacl_nets import (
    ACL_1,
    ACL_ATT,
    ENI_1,
    ENI_APP,
    ENI_ATT,
    IP_1,
    IP_APP,
    IP_ATT,
    tgw_nacl_net,
)

from netcheck.model.packet import DispositionKind
from netcheck.walk import walk

DENY_ALL: tuple = ()


def acl_hops(t):
    return [(h.component_id, h.detail) for h in t.hops if h.kind == "network-acl"]


def test_same_subnet_to_tgw_evaluates_outbound_and_inbound():
    t = walk(tgw_nacl_net(), tcp(IP_1, IP_APP), from_eni(ENI_1))
    assert t.success
    assert acl_hops(t)[:2] == [
        ("acl-default-vpc-1", "egress of subnet-1"),
        ("acl-default-vpc-1", "ingress of subnet-1"),
    ]
    # The inbound rules see the instance's own address as the source.
    acl = (inbound(90, "deny", cidr="10.1.0.0/16"), inbound(100), outbound(100))
    t = walk(tgw_nacl_net(acl_1=acl), tcp(IP_1, IP_APP), from_eni(ENI_1))
    assert (t.disposition.code, t.disposition.component_id) == ("SUBNET_ACL_RESTRICTION", ACL_1)
    assert t.hops[-1].detail == "ingress of subnet-1"


def test_from_tgw_into_the_attachment_subnet_evaluates_no_rules():
    t = walk(tgw_nacl_net(acl_att=DENY_ALL), tcp(IP_1, IP_ATT), from_eni(ENI_1))
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.DELIVERED, ENI_ATT)
    assert [c for c, _ in acl_hops(t)] == ["acl-default-vpc-1", "acl-default-vpc-1"]


def test_from_tgw_to_another_subnet_evaluates_attachment_outbound_then_destination_inbound():
    t = walk(tgw_nacl_net(), tcp(IP_1, IP_APP), from_eni(ENI_1))
    assert acl_hops(t)[2:] == [
        ("acl-default-vpc-2", "egress of subnet-att-2"),
        ("acl-default-vpc-2", "ingress of subnet-app-2"),
    ]
    t = walk(tgw_nacl_net(acl_att=DENY_ALL), tcp(IP_1, IP_APP), from_eni(ENI_1))
    assert (t.disposition.code, t.disposition.component_id) == ("SUBNET_ACL_RESTRICTION", ACL_ATT)
    assert t.hops[-1].detail == "egress of subnet-att-2"


def test_attachment_subnet_inbound_rules_only_for_traffic_to_the_tgw():
    acl = (outbound(100),)  # inbound: nothing allowed
    t = walk(tgw_nacl_net(acl_att=acl), tcp(IP_1, IP_APP), from_eni(ENI_1))
    assert t.success  # from the TGW: the attachment subnet's inbound rules are not used
    t = walk(tgw_nacl_net(acl_att=acl), tcp(IP_APP, IP_1), from_eni(ENI_APP))
    assert (t.disposition.code, t.disposition.component_id) == ("SUBNET_ACL_RESTRICTION", ACL_ATT)
    assert t.hops[-1].detail == "ingress of subnet-att-2"
