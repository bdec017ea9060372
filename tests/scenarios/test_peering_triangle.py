"""Scenario table for fixtures/peering-triangle (see fixtures/peering-triangle/README.md for
the drawing and the derivation of every answer from docs/semantics/forwarding.md)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import FIXTURES
from scenario_checks import REACHABLE, UNREACHABLE, check_answer, q, run

import netcheck

NAME = "peering-triangle"

VPC_A = "vpc-02e0d7a9e407bc2f2"  # 10.10.0.0/16
VPC_B = "vpc-04d6b2b72252571e1"  # 10.20.0.0/16
VPC_C = "vpc-03d4088f971387f00"  # 10.30.0.0/16
VPC_D = "vpc-09e47602217ad55e4"  # 10.40.0.0/16
PCX_AB = "pcx-0850e0c1fd9aa148d"  # active, routes on both sides
PCX_BC = "pcx-0198e4e5e7ab43f48"  # active, routes on both sides
PCX_BD = "pcx-05033c98a3b46fa7f"  # active, route on B's side only
PCX_AD = "pcx-036580a0854d0768a"  # pending-acceptance, A's route is a blackhole
RTB_A = "rtb-0e3afb9265f3c46f0"
RTB_B = "rtb-030f436d3fe58a6be"
RTB_C = "rtb-085d93d9becd7abce"
RTB_D = "rtb-090e3030b56e51a8e"
ACL_A = "acl-00c152eab2aa5207a"
ACL_B = "acl-00db947787dbab0e6"
ACL_C = "acl-00d9fbe27fd6d18f6"
ACL_D = "acl-09ba85914bbf693b0"
SG_A = "sg-013628c5533e5fe2b"
SG_B = "sg-0d3e73888bdae95c0"
SG_C = "sg-0a39b57cdfeb0123a"
SG_D = "sg-00e4b0fb087347be6"
ENI_A1 = "eni-04decba043d6c39a3"  # 10.10.1.10
ENI_B1 = "eni-092b197f35aed40c2"  # 10.20.1.10
ENI_C1 = "eni-0e393d7253c02d374"  # 10.30.1.10
ENI_D1 = "eni-095f9a91d266d264f"  # 10.40.1.10

CASES = [
    pytest.param(
        q("a-1", "b-1", port=22),
        REACHABLE,
        (RTB_A, PCX_AB, ACL_B, SG_B, ENI_B1),
        id="a-b-22",
    ),
    pytest.param(
        q("b-1", "c-1", port=22),
        REACHABLE,
        (RTB_B, PCX_BC, ACL_C, SG_C, ENI_C1),
        id="b-c-22",
    ),
    pytest.param(
        q("a-1", "c-1", port=22),
        UNREACHABLE,
        (((PCX_AB, RTB_A), "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"),),
        id="a-c-22-not-transitive",
    ),
    pytest.param(
        q("c-1", "a-1", port=22),
        UNREACHABLE,
        ((RTB_C, "NO_ROUTE_TO_DESTINATION"),),
        id="c-a-22-no-route",
    ),
    pytest.param(
        q("a-1", "b-1", port=5432),
        REACHABLE,
        (PCX_AB, SG_B, ENI_B1),
        id="a-b-5432-group-ref-across-peering",
    ),
    pytest.param(
        q("c-1", "b-1", port=5432),
        UNREACHABLE,
        (((ENI_B1, SG_B), "ENI_SG_RULES_MISMATCH"),),
        id="c-b-5432-sg",
    ),
    pytest.param(
        q("b-1", "d-1", port=22),
        UNREACHABLE,
        ((RTB_D, "NO_ROUTE_TO_DESTINATION"),),
        id="b-d-22-no-return-route",
    ),
    pytest.param(
        q("d-1", "b-1", port=22),
        UNREACHABLE,
        ((RTB_D, "NO_ROUTE_TO_DESTINATION"),),
        id="d-b-22-no-route",
    ),
    pytest.param(
        q("a-1", "d-1", port=22),
        UNREACHABLE,
        (((RTB_A, PCX_AD), "BAD_STATE_ROUTE"),),
        id="a-d-22-pending-peering",
    ),
    pytest.param(
        q("a-1", "b-1", protocol="icmp"),
        REACHABLE,
        (PCX_AB, SG_B, ENI_B1),
        id="a-b-icmp",
    ),
]


@pytest.fixture(scope="module")
def net() -> Any:
    return netcheck.load(str(FIXTURES / NAME))


@pytest.mark.parametrize(("query", "verdict", "expect"), CASES)
def test_scenario(net: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    check_answer(run(net, query), query, verdict, expect)


def test_b_to_d_forward_packet_arrives(net: Any) -> None:
    """Only the reply fails: D has no route back to B."""
    answer = net.query("b-1", "d-1", protocol="tcp", port=22)
    assert answer.verdict == netcheck.Verdict.UNREACHABLE
    assert not any(b.component_id == RTB_B for b in answer.proof.blockers)
