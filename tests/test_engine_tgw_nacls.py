"""Engine: network ACLs of TGW attachment subnets (docs/semantics/forwarding.md, AWS "Network
ACLs for transit gateways"), the cases of tests/test_walk_tgw_nacls.py, plus a grid on which
the engine's verdict must equal the walker's."""

from __future__ import annotations

import pytest
from strategies import from_eni, inbound, outbound, tcp
from test_engine_properties import engine, walker_verdict
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

from netcheck.api import Snapshot, Verdict
from netcheck.model.resolve import Header

DENY_SELF = (inbound(90, "deny", cidr="10.1.0.0/16"), inbound(100), outbound(100))
NO_INBOUND = (outbound(100),)


def codes(answer):
    assert answer.proof is not None, answer
    return {(b.component_id, b.code) for b in answer.proof.blockers}


def test_same_subnet_to_tgw_evaluates_inbound_rules_too():
    a = Snapshot(tgw_nacl_net(acl_1=DENY_SELF)).query(ENI_1, ENI_APP, protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert (ACL_1, "SUBNET_ACL_RESTRICTION") in codes(a)
    ok = Snapshot(tgw_nacl_net()).query(ENI_1, ENI_APP, protocol="tcp", port=22)
    assert ok.verdict is Verdict.REACHABLE
    acls = [h.component_id for h in ok.witness.path if h.kind == "network-acl"]
    assert acls[:2] == ["acl-default-vpc-1", "acl-default-vpc-1"]


def test_from_tgw_into_the_attachment_subnet_evaluates_no_rules():
    snap = Snapshot(tgw_nacl_net(acl_att=()))
    a = snap.query(ENI_1, ENI_ATT, protocol="tcp", port=22, one_way=True)
    assert a.verdict is Verdict.REACHABLE
    assert ACL_ATT not in [h.component_id for h in a.witness.path]
    # Its reply to the TGW is evaluated (outbound and inbound of that subnet): denied.
    assert snap.query(ENI_1, ENI_ATT, protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


def test_from_tgw_to_another_subnet_evaluates_attachment_outbound():
    a = Snapshot(tgw_nacl_net(acl_att=())).query(ENI_1, ENI_APP, protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert (ACL_ATT, "SUBNET_ACL_RESTRICTION") in codes(a)


def test_attachment_subnet_inbound_rules_only_for_traffic_to_the_tgw():
    snap = Snapshot(tgw_nacl_net(acl_att=NO_INBOUND))
    a = snap.query(ENI_1, ENI_APP, protocol="tcp", port=22, one_way=True)
    assert a.verdict is Verdict.REACHABLE
    b = snap.query(ENI_APP, ENI_1, protocol="tcp", port=22, one_way=True)
    assert b.verdict is Verdict.UNREACHABLE
    assert (ACL_ATT, "SUBNET_ACL_RESTRICTION") in codes(b)


NETWORKS = {
    "open": tgw_nacl_net(),
    "deny-self": tgw_nacl_net(acl_1=DENY_SELF),
    "att-deny-all": tgw_nacl_net(acl_att=()),
    "att-no-inbound": tgw_nacl_net(acl_att=NO_INBOUND),
    "both": tgw_nacl_net(acl_1=(outbound(100),), acl_att=(inbound(100),)),
}
PAIRS = [
    (ENI_1, IP_1, IP_APP),
    (ENI_1, IP_1, IP_ATT),
    (ENI_APP, IP_APP, IP_1),
    (ENI_ATT, IP_ATT, IP_1),
]


@pytest.mark.parametrize("name", sorted(NETWORKS))
@pytest.mark.parametrize(("eni", "src", "dst"), PAIRS)
def test_engine_equals_walker(name, eni, src, dst):
    network = NETWORKS[name]
    packet = tcp(src, dst)
    expected = walker_verdict(network, from_eni(eni), packet)
    got = engine(network, from_eni(eni), Header(packet=packet))
    assert got.verdict == expected, (got.reason, [b.code for b in got.blockers])
