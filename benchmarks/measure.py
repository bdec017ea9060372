"""Measure one snapshot in this process (the runner starts one fresh process per size).

Input: a snapshot folder, a query count and a seed. Output: one JSON object (stdout, or
`--json-out`) with the timings of each phase, the verdict mix and the peak RSS.

Phases, in order, each timed with `time.perf_counter`:
  (a) `json_load_s`: plain `json.load` of every `*.json` file (median of 3 runs; run first, so
      the files are in the OS cache for every later phase too);
  (b) `load_s`: `netcheck.inputs.load_snapshot(path)` (the AWS loader, JSON to `model.Network`);
  (c) `compile_s`: an explicit `Snapshot.compile()`/`prepare()` when the API has one; else
      (netcheck today builds Z3 constraints per query) the first, cold query `cold_query_s`,
      which also builds the network's lazy lookup tables;
  (d) `query_p50_s` / `query_p95_s`: `--queries` further point queries (connection semantics,
      TCP with a port), each between two instance interfaces drawn with a seeded RNG (half in
      the same VPC, half across VPCs);
  (e) `peak_rss_mb`: `resource.getrusage(RUSAGE_SELF).ru_maxrss` at the end.

Example:
    python -m benchmarks.measure --snapshot benchmarks/out/estates/estate-100-seed1 --queries 20
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import pstats
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.estate import QUERY_PORTS


def _progress(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _json_load_all(folder: Path) -> int:
    n = 0
    for p in sorted(folder.rglob("*.json")):
        with p.open() as fh:
            json.load(fh)
        n += 1
    return n


def pick_queries(folder: Path, count: int, seed: int) -> list[tuple[str, str, int]]:
    """`count` (src ENI, dst ENI, port) triples between instance interfaces, seeded."""
    enis = json.loads((folder / "NetworkInterfaces.json").read_text())["NetworkInterfaces"]
    by_vpc: dict[str, list[str]] = {}
    for e in enis:
        if e["InterfaceType"] == "interface":
            by_vpc.setdefault(e["VpcId"], []).append(e["NetworkInterfaceId"])
    vpcs = sorted(by_vpc)
    rng = random.Random(seed)
    out = []
    for k in range(count):
        a = rng.choice(vpcs)
        b = a if k % 2 == 0 else rng.choice([v for v in vpcs if v != a] or vpcs)
        src = rng.choice(by_vpc[a])
        dst = rng.choice([e for e in by_vpc[b] if e != src] or by_vpc[b])
        out.append((src, dst, rng.choice(QUERY_PORTS)))
    return out


def _timed(fn: Callable[[], Any], profile: cProfile.Profile | None) -> tuple[float, Any]:
    if profile is not None:
        profile.enable()
    t0 = time.perf_counter()
    try:
        result = fn()
    finally:
        elapsed = time.perf_counter() - t0
        if profile is not None:
            profile.disable()
    return elapsed, result


def _severity(d: Any) -> str:
    s = getattr(d, "severity", "")
    return str(getattr(s, "value", s)).lower()


def measure(folder: Path, queries: int, seed: int, profile_dir: Path | None) -> dict[str, Any]:
    # Imported here, by name: the runner process never imports netcheck, and the benchmark
    # depends only on the two public entry points.
    load_snapshot = importlib.import_module("netcheck.inputs").load_snapshot
    api = importlib.import_module("netcheck.api")

    result: dict[str, Any] = {"snapshot": str(folder), "queries": queries, "seed": seed}
    # Other processes share the machine; the 1-minute load average says how much.
    result["loadavg_start"] = os.getloadavg()[0]
    profiles = {
        name: cProfile.Profile() if profile_dir else None for name in ("load", "compile", "query")
    }

    runs = []
    for _ in range(3):
        t, n_files = _timed(lambda: _json_load_all(folder), None)
        runs.append(t)
    result["files"] = n_files
    result["bytes"] = sum(p.stat().st_size for p in folder.rglob("*.json"))
    result["json_load_s"] = statistics.median(runs)
    result["rss_after_json_mb"] = _rss_mb()

    result["load_s"], loaded = _timed(lambda: load_snapshot(folder), profiles["load"])
    result["diagnostics"] = dict(Counter(_severity(d) for d in loaded.diagnostics))
    result["errors"] = [str(d) for d in loaded.diagnostics if _severity(d) == "error"][:10]
    result["interfaces"] = len(loaded.network.network_interfaces)
    result["rss_after_load_mb"] = _rss_mb()

    # `api.load` is `load_snapshot` plus a `Snapshot` wrapper: reuse the network just loaded.
    snapshot = api.Snapshot(loaded.network, loaded.diagnostics)
    steps = [getattr(snapshot, n, None) for n in ("compile", "prepare")]
    explicit = next((step for step in steps if callable(step)), None)
    if explicit is not None:
        result["compile_step"] = "explicit compile()"
        result["compile_s"] = _timed(explicit, profiles["compile"])[0]
    result["rss_after_compile_mb"] = _rss_mb()

    triples = pick_queries(folder, queries + 1, seed)

    def ask(src: str, dst: str, port: int) -> str:
        answer = snapshot.query(src, dst, protocol="tcp", port=port)
        verdict = answer.verdict
        return str(getattr(verdict, "value", verdict))

    _progress(f"loaded in {result['load_s']:.1f} s; first query")
    result["cold_query_s"], first = _timed(lambda: ask(*triples[0]), profiles["compile"])
    if explicit is None:
        # No separate compile step: the engine builds its constraints per query, so the first
        # (cold) query, which also builds the network's lazy lookups, stands for compile.
        result["compile_step"] = "none; first (cold) query"
        result["compile_s"] = result["cold_query_s"]
    times, verdicts = [], Counter([first])
    # Every query with its verdict and time, so runs at different commits can be diffed.
    log = [[*triples[0], first, result["cold_query_s"]]]
    for i, triple in enumerate(triples[1:], 1):
        t, verdict = _timed(lambda tr=triple: ask(*tr), profiles["query"])  # type: ignore[misc]
        times.append(t)
        verdicts[verdict] += 1
        log.append([*triple, verdict, t])
        if i % 10 == 0 or t > 1.0:
            _progress(f"query {i}/{queries}: {t * 1000:.0f} ms {verdict}")
    times.sort()
    result["query_log"] = log
    result["query_times_s"] = times
    result["query_p50_s"] = statistics.median(times) if times else None
    result["query_p95_s"] = times[min(len(times) - 1, int(0.95 * len(times)))] if times else None
    result["query_max_s"] = times[-1] if times else None
    result["verdicts"] = dict(verdicts)
    result["peak_rss_mb"] = _rss_mb()
    result["loadavg_end"] = os.getloadavg()[0]

    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        tag = f"{result['interfaces']}"
        for name, prof in profiles.items():
            if prof is None:
                continue
            prof.dump_stats(profile_dir / f"profile-{tag}-{name}.prof")
            with (profile_dir / f"profile-{tag}-{name}.txt").open("w") as fh:
                stats = pstats.Stats(prof, stream=fh)
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json-out", type=Path, default=None)
    parser.add_argument("--profile-dir", type=Path, default=None, help="write cProfile stats")
    args = parser.parse_args(argv)
    result = measure(args.snapshot, args.queries, args.seed, args.profile_dir)
    text = json.dumps(result, indent=2)
    if args.json_out is not None:
        args.json_out.write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
