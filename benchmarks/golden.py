"""Golden answers: the JSON output of `query`, `reachable-set`, `exposure`, `diff` and `check`
on every fixture, both peer snapshots and the 1,000-interface benchmark estate, recorded so a
refactoring can prove it changed no answer (issue #8: byte-identical, timing fields aside).

Input: an output folder. Output: one file per command line in that folder (`record`), or a
report of every file that differs from a recorded folder (`compare`, exit 1 on a difference).
Each command is run in-process through the real CLI (typer's runner), so what is recorded is
exactly what a user sees with `--format json`, exit code included. Timing fields (`seconds`,
`*_s`, `*_ms`) are removed before writing.

Example:
    python -m benchmarks.golden record /tmp/golden-before
    python -m benchmarks.golden compare /tmp/golden-before
    python -m benchmarks.golden ids /tmp/unused --deterministic --only fixture-nat-gateway
    python -m benchmarks.golden record /tmp/golden-before --isolated --jobs 2

`--isolated` runs every command in its own forked process (forked after the imports), as a
user runs the CLI: no command inherits the Z3 state (term ids) an earlier one left behind.
Without it the commands run one after another in one process, and a change in how long one
command keeps its terms alive can change which (equally valid) witness Z3 returns to a later
one — an artefact of the harness, not an answer a user sees.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Paths are relative to the project root (the working directory while recording), so folders
# recorded in one checkout compare with another.
FIXTURES = Path("fixtures")
PEERS = Path("..") / "shared" / "peers" / "batfish-aws"
HEADERS: tuple[tuple[str, ...], ...] = (
    ("--protocol", "tcp", "--port", "22"),
    ("--protocol", "tcp", "--port", "443"),
    ("--protocol", "tcp", "--port", "3306"),
    ("--protocol", "udp", "--port", "53"),
    ("--protocol", "icmp"),
    ("--protocol", "any"),
)
TIMING = ("seconds",)


def _strip_timing(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip_timing(v)
            for k, v in value.items()
            if k not in TIMING and not k.endswith(("_s", "_ms"))
        }
    if isinstance(value, list):
        return [_strip_timing(v) for v in value]
    return value


def snapshots(estate_size: int) -> list[tuple[str, Path]]:
    out = [
        (f"fixture-{p.name}", p) for p in sorted(FIXTURES.iterdir()) if (p / "Vpcs.json").exists()
    ]
    out += [
        (f"policy-{p.name}", p / "snapshot.json")
        for p in sorted((FIXTURES / "policy").iterdir())
        if (p / "snapshot.json").exists()
    ]
    if PEERS.is_dir():
        out += [(f"peer-{p.name}", p) for p in sorted(PEERS.iterdir()) if p.is_dir()]
    if estate_size:
        from benchmarks.exposure import estate

        out.append((f"estate-{estate_size}", estate(Path("benchmarks") / "out", estate_size, 1)))
    return out


def endpoints(path: Path, limit: int) -> list[str]:
    """`internet`, every instance and RDS instance, then interfaces (a fixed sample when more
    than `limit`)."""
    import netcheck

    net = netcheck.load(path).network
    ids = sorted(i.id for i in net.instances) + sorted(r.id for r in net.db_instances)
    enis = sorted(e.id for e in net.network_interfaces)
    ids += [e for e in enis if e not in ids]
    if len(ids) > limit:
        ids = sorted(random.Random(7).sample(ids, limit))
    return ["internet", *ids]


def commands(estate_size: int) -> Iterator[tuple[str, list[str]]]:
    snaps = snapshots(estate_size)
    for name, path in snaps:
        big = name.startswith("estate")
        eps = endpoints(path, 6 if big else 8)
        pairs = [(a, b) for a in eps for b in eps if a != b]
        if big:
            pairs = random.Random(11).sample(pairs, 12)
        for a, b in pairs:
            for h in HEADERS[: 2 if big else len(HEADERS)]:
                yield (
                    f"{name}/query/{a}--{b}--{'-'.join(h[1:])}",
                    ["query", str(path), "--from", a, "--to", b, *h, "--format", "json"],
                )
        for a, b in pairs[: 4 if big else 12]:
            yield (
                f"{name}/reachable-set/{a}--{b}",
                ["reachable-set", str(path), "--from", a, "--to", b, "--format", "json"],
            )
        for origin in ("internet", "10.0.0.0/8"):
            yield (
                f"{name}/exposure/{origin.replace('/', '_')}",
                ["exposure", str(path), "--from", origin, "--format", "json"],
            )
        yield f"{name}/check", ["check", str(path), "--format", "json"]
    policy = {n: p for n, p in snaps if n.startswith("policy-")}
    base = policy.get("policy-clean")
    if base is not None:
        for n, p in policy.items():
            if n != "policy-clean":
                yield f"diff/clean--{n}", ["diff", str(base), str(p), "--format", "json"]
                yield f"diff/{n}--clean", ["diff", str(p), str(base), "--format", "json"]


def run(args: list[str]) -> str:
    from typer.testing import CliRunner

    from netcheck.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    text = result.stdout
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += f"\nEXCEPTION {type(result.exception).__name__}: {result.exception}"
    try:
        body = json.dumps(_strip_timing(json.loads(text)), indent=1, sort_keys=False)
    except json.JSONDecodeError:
        body = text
    return f"exit {result.exit_code}\n{body}\n"


def _without_timing_fallback() -> None:
    """The point-query solver tries each check incrementally and then falls back to a
    one-shot solver; the two may return different (equally valid) witnesses. Versions before
    the try was counted in Z3 resource units (INCREMENTAL_TRY) measured it in milliseconds
    (INCREMENTAL_TRY_MS), so which one answered depended on the machine's load. An unlimited
    try removes the choice on both kinds of version."""
    import importlib

    for name in ("netcheck.solve.engine", "netcheck.solve.solver"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "INCREMENTAL_TRY_MS"):
            module.INCREMENTAL_TRY_MS = 10**6  # type: ignore[attr-defined]
        if hasattr(module, "INCREMENTAL_TRY"):
            module.INCREMENTAL_TRY = 0  # type: ignore[attr-defined]  # 0: no unit limit


def _run_isolated(args: list[str], target: Path) -> int:
    """Fork a child that runs `args` and writes its text to `target`; the child's pid."""
    pid = os.fork()
    if pid == 0:  # the child: a fresh CLI run as far as Z3 is concerned
        code = 0
        try:
            target.write_text(f"$ netcheck {' '.join(args)}\n" + run(args))
        except BaseException:  # any failure: the parent reports the missing file
            code = 1
        os._exit(code)
    return pid


def _free_ids() -> list[int]:
    """The ids Z3 hands to the next new terms. Z3 reuses the ids of freed terms and its
    models depend on ids, so two versions whose lists differ after a command will from then
    on be able to pick different (equally valid) witnesses: `ids` mode prints the list after
    every command, and the first line where two versions differ names the command whose term
    lifetimes changed."""
    import z3

    probes = [z3.BitVec(f"golden-probe-{j}", 8) for j in range(3)]
    return [t.get_id() for t in probes]


def _file(out: Path, key: str) -> Path:
    digest = hashlib.sha1(key.encode()).hexdigest()[:10]
    safe = key.replace("/", "__").replace(":", "_")[:150]
    return out / f"{safe}.{digest}.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.golden", description=__doc__)
    parser.add_argument("mode", choices=("record", "compare", "ids"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--estate", type=int, default=1000, help="estate size (0: none)")
    parser.add_argument("--only", default="", help="run only keys containing this text")
    parser.add_argument("--exclude", default="", help="leave out keys containing this text")
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help="disable the solver's timing-dependent fallback (INCREMENTAL_TRY_MS), so that a "
        "busy machine cannot change which witness Z3 returns; use it for both sides",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="run each command in its own forked process, as a user runs the CLI",
    )
    parser.add_argument("--jobs", type=int, default=1, help="with --isolated: processes at once")
    opts = parser.parse_args(argv)
    opts.folder = opts.folder.resolve()
    if opts.deterministic:
        _without_timing_fallback()
    os.chdir(ROOT)
    opts.folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    differ: list[str] = []
    differ_dir: Path | None = None  # the new outputs of the keys that differ
    count = 0
    selected = [
        (key, args)
        for key, args in commands(opts.estate)
        if not (opts.only and opts.only not in key) and not (opts.exclude and opts.exclude in key)
    ]
    isolated: dict[str, Path] = {}
    if opts.isolated and opts.mode != "ids":
        import netcheck.cli  # noqa: F401 - imported once, before the forks

        scratch = Path(tempfile.mkdtemp(prefix="golden-isolated-"))
        running: set[int] = set()
        for n, (key, args) in enumerate(selected, 1):
            while len(running) >= max(1, opts.jobs):
                running.discard(os.wait()[0])
            isolated[key] = _file(scratch, key)
            running.add(_run_isolated(args, isolated[key]))
            if n % 200 == 0:
                print(f"{n} commands started, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        while running:
            running.discard(os.wait()[0])
    for key, args in selected:
        count += 1
        if key in isolated:
            done = isolated[key]
            text = done.read_text() if done.exists() else f"$ netcheck {' '.join(args)}\nCRASHED\n"
        else:
            text = f"$ netcheck {' '.join(args)}\n" + run(args)
        target = _file(opts.folder, key)
        if opts.mode == "ids":
            print(count, key, _free_ids(), flush=True)
            continue
        if opts.mode == "record":
            target.write_text(text)
        elif not target.exists() or target.read_text() != text:
            differ.append(key)
            if differ_dir is None:
                differ_dir = Path(tempfile.mkdtemp(prefix="golden-differ-"))
            _file(differ_dir, key).write_text(text)
        if count % 200 == 0:
            print(f"{count} commands, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print(f"{count} commands in {time.perf_counter() - t0:.0f} s; {len(differ)} differ")
    for key in differ:
        print(f"DIFFERS: {key}")
    if differ_dir is not None:
        print(f"their new outputs: {differ_dir} (diff them against {opts.folder})")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
