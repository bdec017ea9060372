"""Scenario table for fixtures/nat-gateway (see fixtures/nat-gateway/README.md for the drawing
and the derivation of every answer from docs/semantics/forwarding.md)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import FIXTURES
from scenario_checks import (
    EPHEMERAL,
    IGW_INGRESS_CODES,
    REACHABLE,
    UNREACHABLE,
    check_answer,
    crossed,
    q,
    run,
)

import netcheck

NAME = "nat-gateway"

VPC = "vpc-0df0827181982ecfe"
IGW = "igw-03f7225ce04fa67c6"
NAT = "nat-00da2a86aa394a515"
ENI_NAT = "eni-05fdb00e805afa34c"  # 10.1.1.100
NAT_EIP = "34.231.45.12"
RTB_MAIN = "rtb-08c3c60c944cade0d"  # isolated (no explicit association)
RTB_PUBLIC = "rtb-0bc3be7a5c766879e"
RTB_PRIVATE = "rtb-0358dd46167440499"
ACL_DEFAULT = "acl-04c8efafebf49790a"  # public, isolated
ACL_PRIVATE = "acl-093b69065e5a9436a"
SG_PUBLIC = "sg-0773581bbba67ae83"
SG_PRIVATE = "sg-077eb75600dde213e"
SG_ISOLATED = "sg-0df43c93e10476994"
ENI_PUBLIC1 = "eni-055775bb3a727f2bf"  # 10.1.1.10 / 54.87.120.44
ENI_PUBLIC2 = "eni-0aa33011728b111b7"  # 10.1.1.20, no public IP
ENI_PRIVATE1 = "eni-0b28ee3bf20612a9b"  # 10.1.2.10
ENI_ISOLATED1 = "eni-01c018ab14c414455"  # 10.1.3.10

CASES = [
    pytest.param(
        q("private-1", "internet", port=443),
        REACHABLE,
        (RTB_PRIVATE, ACL_PRIVATE, NAT, RTB_PUBLIC, IGW),
        id="private1-internet-443-via-nat",
    ),
    pytest.param(
        q("private-1", "internet", port=22),
        UNREACHABLE,
        ((ACL_PRIVATE, "SUBNET_ACL_RESTRICTION"),),
        id="private1-internet-22-nacl-egress",
    ),
    pytest.param(
        q("public-1", "private-1", port=8080),
        REACHABLE,
        (ACL_DEFAULT, ACL_PRIVATE, SG_PRIVATE, ENI_PRIVATE1),
        id="public1-private1-8080",
    ),
    pytest.param(
        q("public-1", "private-1", port=22),
        UNREACHABLE,
        ((ACL_PRIVATE, "SUBNET_ACL_RESTRICTION"),),
        id="public1-private1-22-nacl-ingress",
    ),
    pytest.param(
        q("internet", "private-1", port=8080),
        UNREACHABLE,
        ((None, IGW_INGRESS_CODES),),
        id="internet-private1-no-public-ip",
    ),
    pytest.param(
        q("internet", NAT_EIP, port=443),
        UNREACHABLE,
        (((NAT, ENI_NAT), "NGW_NO_UNSOLICITED_INBOUND"),),
        id="internet-nat-eip-unsolicited",
    ),
    pytest.param(
        q("internet", "public-1", port=22),
        REACHABLE,
        (IGW, ACL_DEFAULT, SG_PUBLIC, ENI_PUBLIC1),
        id="internet-public1-22",
    ),
    pytest.param(
        q("public-1", "internet", port=443),
        REACHABLE,
        (RTB_PUBLIC, IGW),
        id="public1-internet-443-direct",
    ),
    pytest.param(
        q("public-2", "internet", port=443),
        UNREACHABLE,
        ((IGW, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"),),
        id="public2-internet-no-public-ip",
    ),
    pytest.param(
        q("isolated-1", "internet", port=443),
        UNREACHABLE,
        ((RTB_MAIN, "NO_ROUTE_TO_DESTINATION"),),
        id="isolated1-internet-no-route",
    ),
    pytest.param(
        q("public-1", "isolated-1", port=22),
        REACHABLE,
        (ACL_DEFAULT, SG_ISOLATED, ENI_ISOLATED1),
        id="public1-isolated1-22",
    ),
]


@pytest.fixture(scope="module")
def net() -> Any:
    return netcheck.load(str(FIXTURES / NAME))


@pytest.mark.parametrize(("query", "verdict", "expect"), CASES)
def test_scenario(net: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    check_answer(run(net, query), query, verdict, expect)


def test_nat_translates_the_source(net: Any) -> None:
    """The NAT hop rewrites the source to its own address (a port in 1024-65535); the reply
    needs private-nacl rule 110 (tcp 1024-65535 in), so the original port is ephemeral too."""
    answer = net.query("private-1", "internet", protocol="tcp", port=443)
    assert answer.verdict == netcheck.Verdict.REACHABLE
    nat_hops = [h for h in answer.witness.path if h.component_id in (NAT, ENI_NAT)]
    translated = [h.packet_out for h in nat_hops if h.packet_out is not None]
    assert translated, "the NAT hop shows the translated packet"
    assert str(translated[-1].src_ip) == "10.1.1.100"
    assert translated[-1].src_port in EPHEMERAL
    assert answer.witness.packet.src_port in EPHEMERAL
    assert str(answer.witness.packet.src_ip) == "10.1.2.10"


def test_public_subnet_does_not_use_the_nat(net: Any) -> None:
    answer = net.query("public-1", "internet", protocol="tcp", port=443)
    assert NAT not in crossed(answer.witness.path)
