"""Scenario table for fixtures/tgw-hub (see fixtures/tgw-hub/README.md for the drawing and the
derivation of every answer from docs/semantics/forwarding.md)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import FIXTURES
from scenario_checks import REACHABLE, UNREACHABLE, check_answer, q, run

import netcheck

NAME = "tgw-hub"

TGW = "tgw-01dd950b8f320766f"
TGW_RTB_SHARED = "tgw-rtb-0528b8407edff6de3"  # associated: shared; propagations: dev, prod
TGW_RTB_SPOKES = "tgw-rtb-0bfd196023d730c0b"  # associated: dev, prod; propagation: shared
ATT_SHARED = "tgw-attach-050173a85948c75d5"  # shared-a (1a), shared-b (1b)
ATT_DEV = "tgw-attach-0d3988147f59e0f75"  # dev-a (1a) only
ATT_PROD = "tgw-attach-0331892e324c14b16"  # prod-a (1a), prod-b (1b)
VPC_SHARED = "vpc-0dfb59f67a01cf961"  # 10.100.0.0/16
VPC_DEV = "vpc-0d8de5028a615d748"  # 10.101.0.0/16
VPC_PROD = "vpc-0b07d15f05a21bd34"  # 10.102.0.0/16
RTB_SHARED = "rtb-0c9a96b51a9e035d8"
RTB_DEV = "rtb-081455689d5709bdc"
RTB_PROD = "rtb-0d2067382fd642e60"
SG_SHARED = "sg-0a6eb8e9ccd445dc8"
SG_DEV = "sg-0753a99e11bc6832e"
SG_PROD = "sg-0e2d4519727ff4692"
ENI_SHARED1 = "eni-0c7557a523ee23507"  # 10.100.1.10, us-east-1a
ENI_DEV1 = "eni-03e3cdfe7725913d7"  # 10.101.1.10, us-east-1a
ENI_DEV2 = "eni-0240c7948c2182c5e"  # 10.101.2.10, us-east-1b
ENI_PROD1 = "eni-07534300465ea3c83"  # 10.102.1.10, us-east-1a
ENI_PROD2 = "eni-06ada319da88e762d"  # 10.102.2.10, us-east-1b

AZ_CODE = "TGW_ROUTE_AZ_RESTRICTION"

CASES = [
    pytest.param(
        q("dev-1", "shared-1", port=22),
        REACHABLE,
        (RTB_DEV, TGW, TGW_RTB_SPOKES, SG_SHARED, ENI_SHARED1),
        id="dev1-shared1-22",
    ),
    pytest.param(
        q("dev-1", "shared-1", protocol="udp", port=53),
        REACHABLE,
        (TGW_RTB_SPOKES, SG_SHARED, ENI_SHARED1),
        id="dev1-shared1-udp53",
    ),
    pytest.param(
        q("prod-1", "shared-1", port=22),
        REACHABLE,
        (RTB_PROD, TGW_RTB_SPOKES, SG_SHARED, ENI_SHARED1),
        id="prod1-shared1-22",
    ),
    pytest.param(
        q("prod-2", "shared-1", port=22),
        REACHABLE,
        (TGW_RTB_SPOKES, SG_SHARED, ENI_SHARED1),
        id="prod2-shared1-22-from-1b",
    ),
    pytest.param(
        q("shared-1", "prod-1", port=443),
        REACHABLE,
        (RTB_SHARED, TGW_RTB_SHARED, SG_PROD, ENI_PROD1),
        id="shared1-prod1-443",
    ),
    pytest.param(
        q("shared-1", "dev-1", port=22),
        REACHABLE,
        (TGW_RTB_SHARED, SG_DEV, ENI_DEV1),
        id="shared1-dev1-22",
    ),
    pytest.param(
        q("dev-1", "prod-1", port=22),
        UNREACHABLE,
        ((TGW_RTB_SPOKES, "TGW_RTB_CANNOT_ROUTE"),),
        id="dev1-prod1-blackhole",
    ),
    pytest.param(
        q("prod-1", "dev-1", port=22),
        UNREACHABLE,
        ((TGW_RTB_SPOKES, "TGW_RTB_CANNOT_ROUTE"),),
        id="prod1-dev1-no-tgw-route",
    ),
    pytest.param(
        q("dev-2", "shared-1", port=22),
        UNREACHABLE,
        (((RTB_DEV, ATT_DEV, TGW), AZ_CODE),),
        id="dev2-shared1-az-without-attachment",
    ),
    pytest.param(
        q("shared-1", "dev-2", port=22),
        UNREACHABLE,
        (((RTB_DEV, ATT_DEV, TGW), AZ_CODE),),
        id="shared1-dev2-reply-az-without-attachment",
    ),
]


@pytest.fixture(scope="module")
def net() -> Any:
    return netcheck.load(str(FIXTURES / NAME))


@pytest.mark.parametrize(("query", "verdict", "expect"), CASES)
def test_scenario(net: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    check_answer(run(net, query), query, verdict, expect)


def test_blackhole_is_the_deciding_route(net: Any) -> None:
    """dev->prod matches the static blackhole 10.102.0.0/16 (not a missing route)."""
    answer = net.query("dev-1", "prod-1", protocol="tcp", port=22)
    rules = [str(b.rule or "") + " " + b.message for b in answer.proof.blockers]
    assert any("10.102.0.0/16" in r or "blackhole" in r.lower() for r in rules), rules
