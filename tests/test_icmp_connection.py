"""Ping is a connection (issue #9 §2, forwarding.md "Connections (default) and replies"): an
ICMP echo request (type 8) must arrive and its echo reply (type 0) must come back through the
stateless network ACLs. ICMP without a type stays one-way and existential. `--icmp-type` /
`--icmp-code` on `query` and `reachable-set`, `icmp_type` / `icmp_code` in the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from strategies import (
    Builder,
    egress,
    from_eni,
    icmp,
    inbound,
    ingress,
    outbound,
    route,
)
from typer.testing import CliRunner

from netcheck.api import Snapshot
from netcheck.cli import app
from netcheck.errors import QueryError
from netcheck.inputs import dumps_network
from netcheck.model import ICMP, TCP
from netcheck.model.network import Network
from netcheck.walk import walk_connection

A, B = "eni-a", "eni-b"
A_IP, B_IP = "10.1.1.10", "10.1.2.10"


def two_subnets(*b_entries: object) -> Network:
    """eni-a in subnet-a (open ACL) pings eni-b in subnet-b, whose ACL has `b_entries`."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.acl("acl-b", "vpc-1", *b_entries)  # type: ignore[arg-type]
    b.subnet("subnet-a", "vpc-1", "10.1.1.0/24")
    b.subnet("subnet-b", "vpc-1", "10.1.2.0/24", acl="acl-b")
    b.sg("sg-1", "vpc-1", ingress(), egress())
    b.eni(A, "subnet-a", A_IP, "sg-1")
    b.eni(B, "subnet-b", B_IP, "sg-1")
    return b.build()


# Admits echo replies (type 0) only: the forward echo request is denied.
REPLIES_ONLY = (inbound(100, protocol=ICMP, icmp=(0, -1)), outbound(100))
# Admits echo requests in, but lets only TCP out: the echo reply is denied.
REQUESTS_IN_TCP_OUT = (inbound(100, protocol=ICMP, icmp=(8, -1)), outbound(100, protocol=TCP))
OPEN = (inbound(100), outbound(100))


def test_a_nacl_admitting_only_echo_replies_does_not_make_ping_reachable():
    net = two_subnets(*REPLIES_ONLY)
    snap = Snapshot(net)
    assert snap.query(A, B, icmp_type=8).verdict == "unreachable"
    assert not walk_connection(net, icmp(A_IP, B_IP, 8), from_eni(A)).success
    # ICMP without a type is existential and one-way: an echo reply itself gets there.
    any_icmp = snap.query(A, B, protocol="icmp")
    assert any_icmp.verdict == "reachable"
    assert any_icmp.witness is not None and any_icmp.witness.packet.icmp_type == 0
    assert any_icmp.witness.return_path == ()


def test_the_echo_reply_must_come_back_through_the_nacls():
    net = two_subnets(*REQUESTS_IN_TCP_OUT)
    snap = Snapshot(net)
    ping = snap.query(A, B, protocol="icmp", icmp_type=8)
    assert ping.verdict == "unreachable"
    assert ping.proof is not None
    assert any(
        b.direction == "return" and b.code == "SUBNET_ACL_RESTRICTION" for b in ping.proof.blockers
    )
    trace = walk_connection(net, icmp(A_IP, B_IP, 8), from_eni(A))
    assert trace.forward.success and not trace.success
    assert trace.reply is not None and trace.reply.packet.icmp_type == 0
    assert snap.query(A, B, icmp_type=8, one_way=True).verdict == "reachable"
    assert not snap.reachable_set(A, B, icmp_type=8).boxes
    assert snap.reachable_set(A, B, icmp_type=8, one_way=True).boxes


def test_ping_through_open_nacls_shows_the_echo_reply():
    net = two_subnets(*OPEN)
    ping = Snapshot(net).query(A, B, icmp_type=8, icmp_code=0)
    assert ping.verdict == "reachable"
    assert ping.witness is not None
    assert (ping.witness.packet.icmp_type, ping.witness.packet.icmp_code) == (8, 0)
    assert ping.witness.return_path
    assert walk_connection(net, icmp(A_IP, B_IP, 8), from_eni(A)).success
    assert ping.to_dict()["query"]["protocol"] == "icmp"
    assert ping.to_dict()["query"]["icmp_type"] == 8


def test_ping_through_a_nat_gateway_comes_back():
    """The echo reply is reverse-translated by the NAT gateway's session (by its address:
    ICMP has no port) in both implementations."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.subnet("subnet-pub", "vpc-1", "10.1.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-1", "10.1.2.0/24", rtb="rtb-app")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.nat("nat-1", "subnet-pub", "10.1.1.100", "3.0.0.100")
    b.route_table("rtb-app", "vpc-1", route("0.0.0.0/0", "nat-gateway", "nat-1"))
    b.sg("sg-1", "vpc-1", egress())
    b.eni(A, "subnet-app", B_IP, "sg-1")
    net = b.build()
    assert walk_connection(net, icmp(B_IP, "8.8.8.8", 8), from_eni(A)).success
    assert Snapshot(net).query(A, "8.8.8.8", icmp_type=8).verdict == "reachable"


def test_icmp_options_are_checked():
    snap = Snapshot(two_subnets(*OPEN))
    with pytest.raises(QueryError, match="only apply to ICMP"):
        snap.query(A, B, protocol="tcp", icmp_type=8)
    with pytest.raises(QueryError, match="0-255"):
        snap.query(A, B, icmp_type=300)


def test_cli_icmp_type(tmp_path: Path):
    path = tmp_path / "net.json"
    path.write_text(dumps_network(two_subnets(*REPLIES_ONLY)))
    runner = CliRunner()
    r = runner.invoke(
        app, ["query", str(path), "--from", A, "--to", B, "--icmp-type", "8", "-f", "json"]
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdict"] == "unreachable"
    r = runner.invoke(app, ["query", str(path), "--from", A, "--to", B, "-p", "icmp", "-f", "json"])
    assert json.loads(r.stdout)["verdict"] == "reachable"
    r = runner.invoke(
        app, ["reachable-set", str(path), "--from", A, "--to", B, "--icmp-type", "8", "-f", "json"]
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["boxes"] == []
    r = runner.invoke(app, ["query", "--help"])
    assert "--icmp-type" in r.stdout and "--icmp-code" in r.stdout
