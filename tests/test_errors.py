"""One exception tree (netcheck/errors.py): every exception netcheck defines is a
`NetcheckError`, found by importing every module of the package (no hand-kept list), and the
CLI turns them into clear messages with the documented exit codes."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

import netcheck
from netcheck import errors
from netcheck.cli import app
from netcheck.errors import (
    Diagnostic,
    InputError,
    MissingResource,
    NetcheckError,
    QueryError,
    RuleError,
    Severity,
    SnapshotError,
    SolverGaveUp,
    TooManyChoices,
    UnsupportedFeature,
)

THREE_TIER = str(FIXTURES / "three-tier")

# Exceptions used for control flow inside one module; they never reach a caller.
INTERNAL = {
    "netcheck.walk.hops.context.Stop": "the walker's 'the packet's fate is decided' (walk())",
}


def defined_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class defined (not just imported) in a module of netcheck."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(netcheck.__path__, "netcheck."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


def test_every_exception_is_a_netcheck_error():
    found = defined_exceptions()
    assert "netcheck.errors.RuleError" in found and "netcheck.walk.hops.context.Stop" in found
    outside = {
        name
        for name, cls in found.items()
        if not issubclass(cls, NetcheckError) and name not in INTERNAL
    }
    assert not outside, f"exceptions outside the tree of netcheck/errors.py: {sorted(outside)}"


def test_the_exemptions_are_not_stale():
    found = defined_exceptions()
    for name in INTERNAL:
        assert name in found, f"{name} is gone: remove it from INTERNAL"


def test_the_tree():
    assert issubclass(InputError, NetcheckError)
    for cls in (SnapshotError, QueryError, RuleError):
        assert issubclass(cls, InputError)
    assert issubclass(UnsupportedFeature, NetcheckError)
    assert not issubclass(UnsupportedFeature, InputError)
    assert issubclass(MissingResource, UnsupportedFeature)
    assert issubclass(TooManyChoices, UnsupportedFeature)
    assert issubclass(SolverGaveUp, NetcheckError)
    assert not issubclass(SolverGaveUp, (InputError, UnsupportedFeature))


def test_the_docstring_draws_every_class_of_the_module():
    doc = errors.__doc__ or ""
    tree = doc[doc.index("NetcheckError\n") :]
    for name, cls in vars(errors).items():
        if (
            inspect.isclass(cls)
            and issubclass(cls, BaseException)
            and cls.__module__ == "netcheck.errors"
        ):
            assert name in tree, f"{name} is missing from the tree in errors.py's docstring"
    for agreed in ("MissingResource", "SolverGaveUp", "TooManyChoices"):
        assert agreed in tree


def test_rule_error_keeps_its_shape_and_old_import_paths():
    d = Diagnostic(severity=Severity.ERROR, message="bad port", file="r.yaml", line=3)
    e = RuleError("1 problem in rule files", (d,))
    assert str(e) == "1 problem in rule files" and e.diagnostics == (d,)
    assert RuleError("no rules").diagnostics == ()
    from netcheck.policy import RuleError as from_policy
    from netcheck.policy.loading import RuleError as from_loading

    assert (
        from_policy is RuleError and from_loading is RuleError and netcheck.RuleError is RuleError
    )


def test_rule_files_raise_the_tree_s_rule_error(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("- id: x\n")
    with pytest.raises(InputError) as e:
        netcheck.load_rules(bad)
    assert type(e.value) is RuleError and e.value.diagnostics


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # RuleError: names the file, exit 2
        (["check", THREE_TIER, "--no-builtin", "--rules", "{bad}"], "rules.yaml"),
        # QueryError: an unknown endpoint with suggestions
        (["query", THREE_TIER, "--from", "internet", "--to", "wbe-1"], "did you mean"),
        # SnapshotError: a missing snapshot
        (["query", "{missing}", "--from", "internet", "--to", "web-1"], "missing"),
    ],
)
def test_cli_shows_input_errors_without_traceback(tmp_path, args, expected):
    bad = tmp_path / "rules.yaml"
    bad.write_text("- id: x\n")
    argv = [a.format(bad=bad, missing=tmp_path / "missing") for a in args]
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 2, r.output
    assert expected in r.output and "Traceback" not in r.output
