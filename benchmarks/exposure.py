"""Benchmark the exposure audit (issue #4): `exposure(snapshot, "internet")` over synthetic
estates of 1,000 and 10,000 interfaces (benchmarks/generate.py), on the 2-core machine.

Input: sizes, a seed and an output folder (estates are cached in `<out>/estates/`).
Output: one Markdown table on stdout (load seconds, exposure seconds, interfaces, interface
classes and subnet placements solved, reachable resources), and `<out>/exposure.json`.
Target: 10,000 interfaces in under 60 s (the exposure audit itself, after loading).

Example:
    python -m benchmarks.exposure --sizes 1000,10000 --out benchmarks/out
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.estate import EstateParams
from benchmarks.generate import write_estate

TARGET_S = 60.0


def estate(out: Path, size: int, seed: int) -> Path:
    folder = out / "estates" / f"estate-{size}-seed{seed}"
    stamp = folder.with_suffix(".done")
    if not stamp.exists():
        write_estate(EstateParams(interfaces=size, seed=seed), folder)
        stamp.write_text(json.dumps({"interfaces": size, "seed": seed}) + "\n")
    return folder


def measure(folder: Path) -> dict[str, Any]:
    import netcheck
    from netcheck.questions import exposure

    t0 = time.perf_counter()
    snap = netcheck.load(folder)
    t1 = time.perf_counter()
    ex = exposure(snap, "internet")
    t2 = time.perf_counter()
    s = ex.summary()
    return {
        "interfaces": len(snap.network.network_interfaces),
        "load_s": round(t1 - t0, 2),
        "exposure_s": round(t2 - t1, 2),
        "classes_solved": ex.stats.get("classes_solved"),
        "placements_solved": ex.stats.get("placements_solved"),
        "resources": s["resources"],
        "reachable": s["reachable"],
        "unknown": s["unknown"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exposure")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args(argv)
    rows = []
    for size in [int(x) for x in args.sizes.split(",")]:
        folder = estate(args.out, size, args.seed)
        print(f"measuring {size} interfaces …", file=sys.stderr, flush=True)
        rows.append({"size": size, **measure(folder)})
    (args.out / "exposure.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(
        "| interfaces | load s | exposure s | classes | placements | reachable / resources "
        "| unknown | target (< 60 s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ok = "met" if r["exposure_s"] < TARGET_S else "missed"
        print(
            f"| {r['interfaces']:,} | {r['load_s']} | {r['exposure_s']} | {r['classes_solved']} "
            f"| {r['placements_solved']} | {r['reachable']} / {r['resources']} | {r['unknown']} "
            f"| {ok if r['interfaces'] >= 10000 else '-'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
