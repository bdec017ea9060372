"""netcheck: reachability and security analysis for AWS VPC networks.

    >>> import netcheck
    >>> net = netcheck.load("fixtures/three-tier")                       # doctest: +SKIP
    >>> answer = net.query("internet", "db", protocol="tcp", port=3306)  # doctest: +SKIP
    >>> answer.verdict, answer.proof.blockers[0].code                    # doctest: +SKIP

The public API is exactly `__all__` (guarded by a test); everything else is internal.
"""

# The loader package `netcheck.load` shares its name with the function `netcheck.load`. Import
# the package first: Python binds a submodule on its parent when it is first imported, so doing
# it here, before the function is bound, keeps `netcheck.load` the function for good.
import netcheck.load as _loader_package  # noqa: F401  (imported for its side effect)
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
