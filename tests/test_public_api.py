"""The public API is a deliberate, sorted list; adding or removing a name is a decision."""

import pytest

import netcheck

EXPECTED = [
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


def test_all_is_sorted_and_deliberate():
    assert netcheck.__all__ == EXPECTED
    assert sorted(netcheck.__all__, key=str.lower) == sorted(EXPECTED, key=str.lower)


def test_every_exported_name_exists():
    for name in netcheck.__all__:
        assert getattr(netcheck, name) is not None, name


def test_load_stays_the_function_after_the_loader_package_is_used(tmp_path):
    # Regression: the loader package used to be called `netcheck.load` and importing it
    # replaced `netcheck.load` (the function). It is `netcheck.inputs` now: no clash left.
    import importlib

    from netcheck.inputs import load_snapshot  # noqa: F401

    assert callable(netcheck.load)
    importlib.import_module("netcheck.inputs")
    assert callable(netcheck.load)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("netcheck.load")


def test_version_is_the_one_of_pyproject():
    # netcheck/version.py holds the version so that reporters need not import the package
    # root; it must not drift from the packaging metadata.
    import tomllib
    from pathlib import Path

    from netcheck.version import __version__

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text())["project"]["version"] == __version__
    assert netcheck.__version__ == __version__
