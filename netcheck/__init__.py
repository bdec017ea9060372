"""netcheck: reachability and security analysis for AWS VPC networks.

    >>> import netcheck
    >>> net = netcheck.load("fixtures/three-tier")                       # doctest: +SKIP
    >>> answer = net.query("internet", "db", protocol="tcp", port=3306)  # doctest: +SKIP
    >>> answer.verdict, answer.proof.blockers[0].code                    # doctest: +SKIP

The public API is exactly `__all__` (guarded by a test); everything else is internal.
"""

from netcheck.api import (
    Answer,
    Blocker,
    Proof,
    Query,
    Snapshot,
    Verdict,
    Witness,
    check,
    load,
)
from netcheck.errors import (
    Diagnostic,
    InputError,
    NetcheckError,
    QueryError,
    RuleError,
    SnapshotError,
    UnsupportedFeature,
)
from netcheck.explain.exposure import Exposure, ResourceExposure, SnapshotDiff
from netcheck.explain.sets import PacketBox, ReachableSet
from netcheck.model import Network
from netcheck.model.packet import Hop, Packet
from netcheck.policy import CheckResult, Finding, load_rules
from netcheck.questions import diff
from netcheck.version import __version__

__all__ = [
    "Answer",
    "Blocker",
    "CheckResult",
    "Diagnostic",
    "Exposure",
    "Finding",
    "Hop",
    "InputError",
    "NetcheckError",
    "Network",
    "Packet",
    "PacketBox",
    "Proof",
    "Query",
    "QueryError",
    "ReachableSet",
    "ResourceExposure",
    "RuleError",
    "Snapshot",
    "SnapshotDiff",
    "SnapshotError",
    "UnsupportedFeature",
    "Verdict",
    "Witness",
    "__version__",
    "check",
    "diff",
    "load",
    "load_rules",
]
