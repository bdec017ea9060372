"""The pre-commit hook, run by the real `pre-commit try-repo`.

The hook repository is a copy of this working tree (tracked and untracked, not ignored files)
committed in a temporary git repository, so the test checks the code on disk, not the last
commit. pre-commit installs it into its own virtualenv (`pip install` of the copy, with the
dependencies from the package index), then runs it in a temporary "infrastructure" repository
that holds a snapshot and a `.netcheck.toml`: a clean change passes, a change that opens SSH to
the internet fails with the finding in the output.

Slow (a virtualenv and two installs); needs git, pre-commit and the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

POLICY = FIXTURES / "policy"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "netcheck test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "netcheck test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def hook_repo(tmp_path: Path) -> Path:
    """A committed copy of this working tree."""
    dest = tmp_path / "hook-repo"
    files = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "hook repository under test")
    return dest


def try_repo(hook: Path, infra: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook), "netcheck", "--verbose"],
        cwd=infra,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_builtin_pack_ships_with_the_package():
    """The hook installs netcheck with pip: the rule pack must be package data."""
    import fnmatch
    import tomllib

    from netcheck.policy import builtin_rules_path

    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"].get("netcheck", [])
    pack = [p.relative_to(REPO / "netcheck").as_posix() for p in builtin_rules_path().glob("*")]
    assert pack
    missing = [f for f in pack if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not missing, (
        f'{missing} would not be installed: add "policy/rules/*.yaml" to '
        "[tool.setuptools.package-data] netcheck in pyproject.toml"
    )


def test_check_command_is_registered():
    from netcheck.cli import app

    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert {"check", "rules"} <= names, (
        "register netcheck.cli.check in netcheck/cli/__init__.py (the hook runs `netcheck check`)"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_fails_on_violation_and_passes_when_clean(tmp_path):
    pytest.importorskip("pre_commit")
    hook = hook_repo(tmp_path)
    infra = tmp_path / "infra"
    (infra / "network").mkdir(parents=True)
    snapshot = infra / "network" / "snapshot.json"
    snapshot.write_text((POLICY / "clean" / "snapshot.json").read_text())
    (infra / ".netcheck.toml").write_text('snapshots = ["network/snapshot.json"]\n')
    git(infra, "init", "-q")
    git(infra, "add", "-A")
    git(infra, "commit", "-q", "-m", "network as it is")
    home = tmp_path / "pre-commit-home"

    # A clean change (a tag edited): the hook runs and passes.
    snapshot.write_text(snapshot.read_text().replace('"Value": "policy"', '"Value": "prod"'))
    git(infra, "add", "network/snapshot.json")
    clean = try_repo(hook, infra, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "netcheck policy check" in clean.stdout and "Passed" in clean.stdout

    # A violating change: SSH opened to the world on the web server.
    snapshot.write_text((POLICY / "ssh-open" / "snapshot.json").read_text())
    git(infra, "add", "network/snapshot.json")
    bad = try_repo(hook, infra, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "NC-001 [high] i-0a00000000000web1" in bad.stdout
    assert "igw-0a0000000000000a1" in bad.stdout  # the witness path is shown
