"""Scenario table for fixtures/vpc-endpoints (see fixtures/vpc-endpoints/README.md for the
drawing and the derivation of every answer from docs/semantics/forwarding.md)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import FIXTURES
from scenario_checks import REACHABLE, UNREACHABLE, check_answer, q, run

import netcheck

NAME = "vpc-endpoints"

VPC = "vpc-0376c701350412e33"  # 10.50.0.0/16, no internet gateway
VPCE_S3 = "vpce-0110b4c4cbb76b286"  # gateway endpoint, route table private-a-rt only
VPCE_SSM = "vpce-0574bd49f40bced51"  # interface endpoint, ENIs in private-a and private-b
PL_S3 = "pl-63a5400a"
RTB_MAIN = "rtb-07a7abead3ab3fe82"  # private-b (no explicit association)
RTB_PRIVATE_A = "rtb-06020bbd78626640e"
ACL_PRIVATE = "acl-0b898aa03a5712884"  # private-a, private-b
SG_WORKER = "sg-09011a13dfdc669c1"
SG_BATCH = "sg-0212c4c1d20de6b58"  # egress tcp 443 to pl-63a5400a only
SG_VPCE = "sg-02c02be2d8eebdedf"  # ingress tcp 443 from 10.50.0.0/16
ENI_WORKER1 = "eni-09a01789f918b74b6"  # 10.50.1.10
ENI_WORKER2 = "eni-07cd7938ef9c54b70"  # 10.50.2.10
ENI_BATCH1 = "eni-0697e569436ba438e"  # 10.50.1.20
ENI_SSM_A = "eni-0801d1dc7d8c8d86b"  # 10.50.1.50
ENI_SSM_B = "eni-01169cc9ba3e2d7ec"  # 10.50.2.50
S3_HOST = "52.216.100.20"  # inside 52.216.0.0/15, an entry of pl-63a5400a
OTHER_HOST = "1.1.1.1"  # public, not in any AWS-managed prefix list here

AT_SSM = (SG_VPCE, ENI_SSM_A, ENI_SSM_B)

CASES = [
    pytest.param(
        q("worker-1", S3_HOST, port=443),
        REACHABLE,
        (RTB_PRIVATE_A, ACL_PRIVATE, VPCE_S3),
        id="worker1-s3-443-gateway-endpoint",
    ),
    pytest.param(
        q("worker-2", S3_HOST, port=443),
        UNREACHABLE,
        ((RTB_MAIN, "NO_ROUTE_TO_DESTINATION"),),
        id="worker2-s3-443-table-without-endpoint",
    ),
    pytest.param(
        q("worker-1", OTHER_HOST, port=443),
        UNREACHABLE,
        ((RTB_PRIVATE_A, "NO_ROUTE_TO_DESTINATION"),),
        id="worker1-public-host-no-route",
    ),
    pytest.param(
        q("worker-1", S3_HOST, port=80),
        UNREACHABLE,
        ((ACL_PRIVATE, "SUBNET_ACL_RESTRICTION"),),
        id="worker1-s3-80-nacl-egress",
    ),
    pytest.param(
        q("worker-1", VPCE_SSM, port=443),
        REACHABLE,
        (SG_VPCE,),
        id="worker1-ssm-443-interface-endpoint",
    ),
    pytest.param(
        q("worker-2", VPCE_SSM, port=443),
        REACHABLE,
        (SG_VPCE,),
        id="worker2-ssm-443",
    ),
    pytest.param(
        q("worker-1", VPCE_SSM, port=80),
        UNREACHABLE,
        ((AT_SSM, "ENI_SG_RULES_MISMATCH"),),
        id="worker1-ssm-80-endpoint-sg",
    ),
    pytest.param(
        q("batch-1", VPCE_SSM, port=443),
        UNREACHABLE,
        (((SG_BATCH, ENI_BATCH1), "ENI_SG_RULES_MISMATCH"),),
        id="batch1-ssm-443-egress-only-to-s3",
    ),
    pytest.param(
        q("batch-1", S3_HOST, port=443),
        REACHABLE,
        (SG_BATCH, RTB_PRIVATE_A, VPCE_S3),
        id="batch1-s3-443-prefix-list-egress",
    ),
]


@pytest.fixture(scope="module")
def net() -> Any:
    return netcheck.load(str(FIXTURES / NAME))


@pytest.mark.parametrize(("query", "verdict", "expect"), CASES)
def test_scenario(net: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    check_answer(run(net, query), query, verdict, expect)


def test_interface_endpoint_is_delivered_to_one_of_its_interfaces(net: Any) -> None:
    answer = net.query("worker-1", VPCE_SSM, protocol="tcp", port=443)
    assert answer.verdict == netcheck.Verdict.REACHABLE
    assert str(answer.witness.packet.dst_ip) in ("10.50.1.50", "10.50.2.50")
