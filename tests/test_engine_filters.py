"""Engine behaviour on tiny networks: security groups (union, group references, prefix
lists), network ACLs (first match, deny before allow, stateless replies), same-subnet
traffic. Each test asserts the verdict and the deciding component / code."""

from __future__ import annotations

from strategies import Builder, egress, inbound, ingress, outbound, ports

from netcheck.api import Snapshot, Verdict
from netcheck.model import ICMP, TCP, UDP, Direction
from netcheck.model.filtering import SecurityGroupRule

VPC = "vpc-a"


def two_subnets(
    web_in=(ingress(TCP, ports(443)),),
    app_in=(ingress(TCP, ports(22)),),
    app_acl=None,
    web_acl=None,
    extra=None,
):
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    if app_acl is not None:
        b.acl("acl-app", VPC, *app_acl)
    if web_acl is not None:
        b.acl("acl-web", VPC, *web_acl)
    b.subnet("subnet-web", VPC, "10.0.1.0/24", acl="acl-web" if web_acl is not None else None)
    b.subnet("subnet-app", VPC, "10.0.2.0/24", acl="acl-app" if app_acl is not None else None)
    b.sg("sg-web", VPC, *web_in, egress())
    b.sg("sg-app", VPC, *app_in, egress())
    b.eni("eni-web", "subnet-web", "10.0.1.10", "sg-web")
    b.eni("eni-app", "subnet-app", "10.0.2.10", "sg-app")
    if extra:
        extra(b)
    return Snapshot(b.build())


def codes(answer):
    assert answer.proof is not None
    return {(b.component_id, b.code) for b in answer.proof.blockers}


def test_sg_allows_and_witness_satisfies_query():
    a = two_subnets().query("eni-web", "eni-app", protocol="tcp")
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert w.packet.protocol == TCP and w.packet.dst_port == 22
    assert str(w.packet.src_ip) == "10.0.1.10" and str(w.packet.dst_ip) == "10.0.2.10"
    assert any(h.kind == "security-group" and h.rule == "sg-app:" + _rule_id(a) for h in w.path)
    assert w.return_path, "TCP is a connection: the reply hops are part of the witness"


def _rule_id(answer):
    hop = next(
        h for h in answer.witness.path if h.kind == "security-group" and h.component_id == "eni-app"
    )
    return hop.rule.split(":", 1)[1]


def test_sg_blocks_other_port():
    a = two_subnets().query("eni-web", "eni-app", protocol="tcp", port=80)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("eni-app", "ENI_SG_RULES_MISMATCH") in codes(a)


def test_sg_union_of_groups():
    def extra(b):
        b.sg("sg-extra", VPC, ingress(TCP, ports(80)))
        b.eni("eni-two", "subnet-app", "10.0.2.20", "sg-app", "sg-extra")

    snap = two_subnets(extra=extra)
    assert snap.query("eni-web", "eni-two", protocol="tcp", port=80).verdict is Verdict.REACHABLE
    assert snap.query("eni-web", "eni-two", protocol="tcp", port=22).verdict is Verdict.REACHABLE
    assert snap.query("eni-web", "eni-two", protocol="tcp", port=443).verdict is Verdict.UNREACHABLE


def test_sg_group_reference_matches_private_addresses_of_members():
    ref = SecurityGroupRule(
        rule_id="sgr-ref",
        direction=Direction.INGRESS,
        protocol=TCP,
        port_range=ports(5432),
        group_id="sg-web",
    )
    snap = two_subnets(app_in=(ref,))
    assert snap.query("eni-web", "eni-app", protocol="tcp", port=5432).verdict is Verdict.REACHABLE

    def extra(b):
        b.sg("sg-other", VPC, egress())
        b.eni("eni-other", "subnet-web", "10.0.1.20", "sg-other")

    snap = two_subnets(app_in=(ref,), extra=extra)
    a = snap.query("eni-other", "eni-app", protocol="tcp", port=5432)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("eni-app", "ENI_SG_RULES_MISMATCH") in codes(a)


def test_sg_chained_group_references():
    """web -> app by group reference, app -> db by group reference: app can reach db, web
    cannot (references do not chain)."""
    to_app = SecurityGroupRule(
        rule_id="sgr-a",
        direction=Direction.INGRESS,
        protocol=TCP,
        port_range=ports(8080),
        group_id="sg-web",
    )
    to_db = SecurityGroupRule(
        rule_id="sgr-d",
        direction=Direction.INGRESS,
        protocol=TCP,
        port_range=ports(5432),
        group_id="sg-app",
    )

    def extra(b):
        b.sg("sg-db", VPC, to_db, egress())
        b.eni("eni-db", "subnet-app", "10.0.2.30", "sg-db")

    snap = two_subnets(app_in=(to_app,), extra=extra)
    assert snap.query("eni-web", "eni-app", protocol="tcp", port=8080).verdict is Verdict.REACHABLE
    assert snap.query("eni-app", "eni-db", protocol="tcp", port=5432).verdict is Verdict.REACHABLE
    assert snap.query("eni-web", "eni-db", protocol="tcp", port=5432).verdict is Verdict.UNREACHABLE


def test_sg_prefix_list_peer():
    rule = SecurityGroupRule(
        rule_id="sgr-pl",
        direction=Direction.INGRESS,
        protocol=TCP,
        port_range=ports(22),
        prefix_list_id="pl-admin",
    )

    def extra(b):
        b.prefix_list("pl-admin", "10.0.1.0/28")
        b.eni("eni-web2", "subnet-web", "10.0.1.100", "sg-web")

    snap = two_subnets(app_in=(rule,), extra=extra)
    assert snap.query("eni-web", "eni-app", protocol="tcp", port=22).verdict is Verdict.REACHABLE
    assert snap.query("eni-web2", "eni-app", protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


def test_nacl_deny_before_allow():
    acl = (
        inbound(100, "deny", "10.0.1.0/24", protocol=TCP, port_range=ports(22)),
        inbound(200),
        outbound(100),
    )
    a = two_subnets(app_acl=acl).query("eni-web", "eni-app", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    blk = next(b for b in a.proof.blockers if b.code == "SUBNET_ACL_RESTRICTION")
    assert blk.component_id == "acl-app" and blk.rule == "100"
    # The unsat core of the path names the ACL among the constraints that exclude every packet.
    assert "nacl:acl-app:ingress" in blk.core


def test_nacl_allow_before_deny():
    acl = (inbound(100, "allow", "10.0.1.0/24"), inbound(200, "deny", "0.0.0.0/0"), outbound(100))
    a = two_subnets(app_acl=acl).query("eni-web", "eni-app", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    assert any(h.component_id == "acl-app" and h.rule == "100" for h in a.witness.path)


def test_nacl_reply_needs_ephemeral_ports():
    """The app subnet's outbound ACL only allows 22: the forward packet arrives, the reply
    (to the client's ephemeral port) is denied — unreachable as a connection, reachable
    one-way."""
    acl = (inbound(100), outbound(100, protocol=TCP, port_range=ports(22)))
    snap = two_subnets(app_acl=acl)
    a = snap.query("eni-web", "eni-app", protocol="tcp", port=22, src_port="1024-65535")
    assert a.verdict is Verdict.UNREACHABLE
    assert any(
        b.direction == "return" and b.code == "SUBNET_ACL_RESTRICTION" for b in a.proof.blockers
    )
    assert (
        snap.query("eni-web", "eni-app", protocol="tcp", port=22, one_way=True).verdict
        is Verdict.REACHABLE
    )


def test_nacl_reply_on_ephemeral_range_only():
    """Outbound allows 1024-65535 only: a connection works iff the client port is ephemeral."""
    acl = (inbound(100), outbound(100, protocol=TCP, port_range=ports(1024, 65535)))
    snap = two_subnets(app_acl=acl)
    a = snap.query("eni-web", "eni-app", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.packet.src_port >= 1024
    low = snap.query("eni-web", "eni-app", protocol="tcp", port=22, src_port="1-1023")
    assert low.verdict is Verdict.UNREACHABLE


def test_same_subnet_skips_nacl():
    acl = (inbound(100, "deny"), outbound(100, "deny"))

    def extra(b):
        b.eni("eni-app2", "subnet-app", "10.0.2.11", "sg-web")

    snap = two_subnets(app_acl=acl, extra=extra)
    assert snap.query("eni-app", "eni-app2", protocol="tcp", port=443).verdict is Verdict.REACHABLE
    assert snap.query("eni-web", "eni-app", protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


def test_echo_request_and_udp_are_connections_other_icmp_is_one_way():
    snap = two_subnets(app_in=(ingress(ICMP, icmp=(8, -1)), ingress(UDP, ports(53))))
    a = snap.query("eni-web", "eni-app", protocol="icmp")
    assert a.verdict is Verdict.REACHABLE
    # An echo request (the preferred witness) is a connection: its echo reply comes back.
    assert a.witness.packet.icmp_type == 8 and a.witness.return_path
    other = two_subnets(app_in=(ingress(ICMP, icmp=(3, -1)),))
    d = other.query("eni-web", "eni-app", protocol="icmp", icmp_type=3)
    assert d.verdict is Verdict.REACHABLE and not d.witness.return_path
    u = snap.query("eni-web", "eni-app", protocol="udp", port=53)
    assert u.verdict is Verdict.REACHABLE and u.witness.return_path


def test_free_query_prefers_readable_witness():
    a = two_subnets().query("eni-web", "eni-app")
    assert a.verdict is Verdict.REACHABLE
    p = a.witness.packet
    assert p.protocol == TCP and p.dst_port == 22 and p.src_port == 49152


def test_all_blockers_lists_every_setting_to_change():
    """Four settings block web -> app:80: web's SG egress, web's outbound ACL rule 100, app's
    inbound ACL rule 90, app's SG. The default proof names the first; `all_blockers` all."""
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.acl("acl-web", VPC, inbound(100), outbound(100, "deny", "10.0.2.0/24"), outbound(200))
    b.acl("acl-app", VPC, inbound(90, "deny", "10.0.1.0/24"), inbound(100), outbound(100))
    b.subnet("subnet-web", VPC, "10.0.1.0/24", acl="acl-web")
    b.subnet("subnet-app", VPC, "10.0.2.0/24", acl="acl-app")
    b.sg("sg-web", VPC, ingress(TCP, ports(443)))
    b.sg("sg-app", VPC, ingress(TCP, ports(22)), egress())
    b.eni("eni-web", "subnet-web", "10.0.1.10", "sg-web")
    b.eni("eni-app", "subnet-app", "10.0.2.10", "sg-app")
    snap = Snapshot(b.build())
    first = snap.query("eni-web", "eni-app", protocol="tcp", port=80)
    assert [(x.component_id, x.code) for x in first.proof.blockers] == [
        ("eni-web", "ENI_SG_RULES_MISMATCH")
    ]
    every = snap.query("eni-web", "eni-app", protocol="tcp", port=80, all_blockers=True)
    found = {(x.component_id, x.code, x.rule) for x in every.proof.blockers}
    assert found == {
        ("eni-web", "ENI_SG_RULES_MISMATCH", None),
        ("acl-web", "SUBNET_ACL_RESTRICTION", "100"),
        ("acl-app", "SUBNET_ACL_RESTRICTION", "90"),
        ("eni-app", "ENI_SG_RULES_MISMATCH", None),
    }
