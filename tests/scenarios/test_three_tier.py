"""Scenario table for fixtures/three-tier (see fixtures/three-tier/README.md for the drawing
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
    decided_by_rule,
    q,
    run,
)

import netcheck

NAME = "three-tier"

VPC = "vpc-0a79dc03df4928e18"
IGW = "igw-0ca865bd90d48dd28"
VGW = "vgw-0f414bc9fc9785d03"
VPN = "vpn-0e38a1c1a49278b4f"
RTB_MAIN = "rtb-05854839985fb381e"  # app-a, app-b (no explicit association)
RTB_PUBLIC = "rtb-0e87ce260be7a6198"  # web-a, web-b
RTB_DB = "rtb-05e03d24d163d5680"  # db-a, db-b
ACL_DEFAULT = "acl-0419eb5334a4518f9"  # app-a, app-b
ACL_WEB = "acl-0671578b48c27ddd1"
ACL_DB = "acl-04ee5732256e0cf78"
SG_WEB = "sg-0ac485de9170fa064"
SG_BASTION = "sg-08e1efe342425e5df"
SG_APP = "sg-063a0bd446205c1e7"
SG_DB = "sg-01137d1176d151594"
ENI_WEB1 = "eni-0ef82673bed0eeff8"  # 10.0.1.10 / 54.210.17.33
ENI_WEB2 = "eni-06fd1632f35c342a6"  # 10.0.2.10 / 54.210.88.141
ENI_BASTION = "eni-028811f38306ea855"  # 10.0.1.20 / 3.94.211.7
ENI_APP1 = "eni-0128c492c974254fc"  # 10.0.11.10
ENI_DB = "eni-06afd26b13458a599"  # 10.0.21.50 (RDS `db`)
CORP_HOST = "192.168.50.10"
BRANCH_HOST = "192.168.60.10"

# Where the forwarding model allows either the interface or its group as "the" component.
AT_WEB1 = (ENI_WEB1, SG_WEB)
AT_DB = (ENI_DB, SG_DB)

CASES = [
    pytest.param(
        q("internet", "web-1", port=443),
        REACHABLE,
        (IGW, ACL_WEB, SG_WEB, ENI_WEB1),
        id="internet-web1-443",
    ),
    pytest.param(
        q("internet", "web-1", port=22),
        UNREACHABLE,
        ((AT_WEB1, "ENI_SG_RULES_MISMATCH"),),
        id="internet-web1-22-sg-group-ref-only",
    ),
    pytest.param(
        q("internet", "bastion", port=22),
        REACHABLE,
        (IGW, ACL_WEB, SG_BASTION, ENI_BASTION),
        id="internet-bastion-22",
    ),
    pytest.param(
        q("internet", "db", port=3306),
        UNREACHABLE,
        ((None, IGW_INGRESS_CODES),),
        id="internet-db-3306-no-public-ip",
    ),
    pytest.param(
        q("web-1", "app-1", port=8080),
        REACHABLE,
        (RTB_PUBLIC, ACL_WEB, ACL_DEFAULT, SG_APP, ENI_APP1),
        id="web1-app1-8080-group-chaining",
    ),
    pytest.param(
        q("web-2", "db", port=3306),
        UNREACHABLE,
        ((AT_DB, "ENI_SG_RULES_MISMATCH"),),
        id="web2-db-3306-sg",
    ),
    pytest.param(
        q("app-1", "db", port=3306),
        REACHABLE,
        (RTB_MAIN, ACL_DEFAULT, ACL_DB, SG_DB, ENI_DB),
        id="app1-db-3306",
    ),
    pytest.param(
        q("bastion", "db", port=3306),
        UNREACHABLE,
        ((ACL_DB, "SUBNET_ACL_RESTRICTION"),),
        id="bastion-db-3306-nacl-deny-90-before-allow-100",
    ),
    pytest.param(
        q("bastion", "app-1", port=22),
        REACHABLE,
        (ACL_WEB, ACL_DEFAULT, SG_APP, ENI_APP1),
        id="bastion-app1-22",
    ),
    pytest.param(
        q(CORP_HOST, "db", port=3306),
        REACHABLE,
        (VGW, ACL_DB, SG_DB, ENI_DB),
        id="corp-db-3306-over-vpn",
    ),
    pytest.param(
        q(CORP_HOST, "db", port=22),
        REACHABLE,
        (VGW, ACL_DB, SG_DB, ENI_DB),
        id="corp-db-22-over-vpn",
    ),
    pytest.param(
        q(BRANCH_HOST, "db", port=3306),
        UNREACHABLE,
        ((ACL_DB, "SUBNET_ACL_RESTRICTION"),),
        id="branch-db-3306-reply-blocked-by-nacl-egress",
    ),
    pytest.param(
        q(CORP_HOST, "web-1", port=443),
        UNREACHABLE,
        ((None, IGW_INGRESS_CODES),),
        id="corp-web1-443-reply-leaves-by-igw",
    ),
    pytest.param(
        q("app-1", "internet", port=443),
        UNREACHABLE,
        ((RTB_MAIN, "NO_ROUTE_TO_DESTINATION"),),
        id="app1-internet-no-route",
    ),
    pytest.param(
        q("web-1", "internet", port=443),
        REACHABLE,
        (RTB_PUBLIC, ACL_WEB, IGW),
        id="web1-internet-443",
    ),
]


@pytest.fixture(scope="module")
def net() -> Any:
    return netcheck.load(str(FIXTURES / NAME))


@pytest.mark.parametrize(("query", "verdict", "expect"), CASES)
def test_scenario(net: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    check_answer(run(net, query), query, verdict, expect)


def test_db_nacl_rule_90_decides_before_rule_100(net: Any) -> None:
    """bastion (10.0.1.20) is in the VPC range that rule 100 allows, but rule 90 comes first."""
    answer = net.query("bastion", "db", protocol="tcp", port=3306)
    assert decided_by_rule(answer.proof.blockers, ACL_DB, 90)


@pytest.mark.parametrize("src", ["app-1", CORP_HOST])
def test_db_replies_need_an_ephemeral_client_port(net: Any, src: str) -> None:
    """db-nacl egress only allows tcp 1024-65535 back to the VPC and corp HQ, so any
    connection that works has a client port in that range."""
    answer = net.query(src, "db", protocol="tcp", port=3306)
    assert answer.verdict == netcheck.Verdict.REACHABLE
    assert answer.witness.packet.src_port in EPHEMERAL
    assert answer.witness.return_path, "a TCP connection's witness has a return path"


def test_branch_forward_packet_passes(net: Any) -> None:
    """The branch's packets reach db; only the reply fails (the NACL is stateless)."""
    answer = net.query(BRANCH_HOST, "db", protocol="tcp", port=3306)
    assert answer.verdict == netcheck.Verdict.UNREACHABLE
    assert all(b.code != "ENI_SG_RULES_MISMATCH" for b in answer.proof.blockers)
