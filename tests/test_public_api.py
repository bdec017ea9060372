"""The public API is a deliberate, sorted list; adding or removing a name is a decision."""

import netcheck

EXPECTED = [
    "Answer",
    "Blocker",
    "Diagnostic",
    "Hop",
    "InputError",
    "NetcheckError",
    "Network",
    "Packet",
    "Proof",
    "Query",
    "QueryError",
    "Snapshot",
    "SnapshotError",
    "UnsupportedFeature",
    "Verdict",
    "Witness",
    "__version__",
    "load",
]


def test_all_is_sorted_and_deliberate():
    assert netcheck.__all__ == EXPECTED
    assert sorted(netcheck.__all__, key=str.lower) == sorted(EXPECTED, key=str.lower)


def test_every_exported_name_exists():
    for name in netcheck.__all__:
        assert getattr(netcheck, name) is not None, name
