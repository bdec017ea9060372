"""Shared test fixtures: paths of the bundled example networks and of the peer snapshots.

Tests that read `../shared/peers` skip with a clear reason when the folder is absent (a user's
clone has none; CI has it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests are derandomized: the same examples every run, so a red build points
# at a change, not at luck. Locally they explore new examples each run (and remember failures).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
PEERS = REPO.parent / "shared" / "peers" / "batfish-aws"
HYBRID_CLOUD = PEERS / "hybrid-cloud"
TEST_NAT_GATEWAY = PEERS / "test-nat-gateway"


def require_peers() -> Path:
    """Skip the calling test unless ../shared/peers/batfish-aws is present."""
    if not PEERS.is_dir():
        pytest.skip(
            f"peer snapshots not found at {PEERS} (../shared/peers is only present in the "
            "project's CI and development machines, not in a user's clone)"
        )
    return PEERS


@pytest.fixture
def hybrid_cloud() -> Path:
    require_peers()
    return HYBRID_CLOUD


@pytest.fixture
def test_nat_gateway() -> Path:
    require_peers()
    return TEST_NAT_GATEWAY
