"""Run the netcheck benchmark (issue #3) over several estate sizes and report against targets.

Input: sizes (interface counts), a query count, a seed and an output folder. Output: a Markdown
table on stdout and in `<out>/results.md`, the raw numbers in `<out>/results.json`.

For each size the estate is generated once (cached in `<out>/estates/`), then measured by
`benchmarks.measure` in a fresh Python process, so that the peak RSS belongs to that size only
and no cache survives from a smaller size. Progress goes to stderr.

Targets (issue #3, on a 2-core machine): load + compile of 10,000 interfaces within 10x a plain
`json.load` of the same files; warm point query p50 < 100 ms at 10,000 interfaces; peak memory
< 2 GB.

Example:
    python -m benchmarks.run --sizes 100,1000 --queries 50 --out benchmarks/out
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.estate import EstateParams
from benchmarks.generate import write_estate

REPO = Path(__file__).resolve().parent.parent
RATIO_TARGET = 10.0
P50_TARGET_S = 0.100
RSS_TARGET_MB = 2048.0


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def estate_folder(out: Path, size: int, seed: int) -> Path:
    """The cached estate for `size`; generated when its completion stamp is missing."""
    folder = out / "estates" / f"estate-{size}-seed{seed}"
    stamp = folder.with_suffix(".done")
    if not stamp.exists():
        _log(f"generating {size} interfaces -> {folder}")
        t0 = time.perf_counter()
        write_estate(EstateParams(interfaces=size, seed=seed), folder)
        stamp.write_text(json.dumps({"interfaces": size, "seed": seed}) + "\n")
        _log(f"generated in {time.perf_counter() - t0:.1f} s")
    return folder


def measure_in_subprocess(
    folder: Path, queries: int, seed: int, timeout: float, profile_dir: Path | None
) -> dict[str, Any]:
    folder = folder.resolve()
    json_out = folder.with_suffix(".measure.json")
    json_out.unlink(missing_ok=True)
    cmd = [
        sys.executable, "-m", "benchmarks.measure", "--snapshot", str(folder),
        "--queries", str(queries), "--seed", str(seed), "--json-out", str(json_out),
    ]  # fmt: skip
    if profile_dir is not None:
        cmd += ["--profile-dir", str(profile_dir.resolve())]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=REPO, timeout=timeout, stdout=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0 or not json_out.exists():
        return {"status": f"failed (exit {proc.returncode})"}
    result: dict[str, Any] = json.loads(json_out.read_text())
    result["status"] = "ok"
    result["wall_s"] = time.perf_counter() - t0
    return result


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def ratio(r: dict[str, Any]) -> float | None:
    """(load + compile) / json.load, both measured in the same process."""
    if r.get("status") != "ok" or not r.get("json_load_s"):
        return None
    return float((r["load_s"] + r["compile_s"]) / r["json_load_s"])


def table(results: dict[int, dict[str, Any]]) -> str:
    head = (
        "| interfaces | MB of JSON | json.load (a) | load_snapshot (b) | compile (c) | "
        "(b+c)/(a) | cold query | warm p50 | warm p95 | verdicts | peak RSS | load avg | status |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n"
    )
    rows = []
    for size, r in sorted(results.items()):
        if r.get("status") != "ok":
            rows.append(f"| {size:,} |" + " - |" * 11 + f" {r.get('status')} |")
            continue
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(r["verdicts"].items()))
        rows.append(
            f"| {size:,} | {r['bytes'] / 1e6:.1f} | {_fmt_s(r['json_load_s'])} | "
            f"{_fmt_s(r['load_s'])} | {_fmt_s(r['compile_s'])} | {ratio(r):.1f}x | "
            f"{_fmt_s(r['cold_query_s'])} | {_fmt_s(r['query_p50_s'])} | "
            f"{_fmt_s(r['query_p95_s'])} | {verdicts} | {r['peak_rss_mb']:.0f} MB | "
            f"{r['loadavg_start']:.1f}-{r['loadavg_end']:.1f} | ok |"
        )
    return head + "\n".join(rows) + "\n"


def verdict_on_targets(results: dict[int, dict[str, Any]]) -> list[str]:
    """One line per issue #3 target, judged on the largest size that finished."""
    done = [s for s, r in results.items() if r.get("status") == "ok"]
    if not done:
        return ["no size finished: no target can be judged"]
    size = max(done)
    r = results[size]
    q = f"at {size:,} interfaces" + ("" if size >= 10_000 else " (10,000 not measured)")
    rr = ratio(r) or 0.0
    return [
        f"load+compile within {RATIO_TARGET:.0f}x json.load {q}: "
        f"{'MET' if rr <= RATIO_TARGET else 'MISSED'} ({rr:.1f}x)",
        f"warm query p50 < {P50_TARGET_S * 1000:.0f} ms {q}: "
        f"{'MET' if r['query_p50_s'] < P50_TARGET_S else 'MISSED'} "
        f"({_fmt_s(r['query_p50_s'])})",
        f"peak memory < 2 GB {q}: "
        f"{'MET' if r['peak_rss_mb'] < RSS_TARGET_MB else 'MISSED'} ({r['peak_rss_mb']:.0f} MB)",
    ]


def machine() -> str:
    return (
        f"nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )


def revision() -> str:
    """The netcheck commit measured (`+dirty` when netcheck/ has uncommitted changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "netcheck"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated ENI counts")
    parser.add_argument("--queries", type=int, default=50, help="warm queries per size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per size")
    parser.add_argument("--profile", action="store_true", help="cProfile each phase")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)

    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        folder = estate_folder(args.out, size, args.seed)
        _log(f"measuring {size} interfaces ({args.queries} warm queries) in a fresh process")
        profile_dir = args.out / "profiles" if args.profile else None
        r = measure_in_subprocess(folder, args.queries, args.seed, args.timeout, profile_dir)
        results[size] = r
        _log(f"{size}: {r['status']}" + (f" in {r['wall_s']:.1f} s" if "wall_s" in r else ""))

    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rev = revision()
    lines = [
        f"Measured {now} on {machine()}, netcheck at commit {rev}.",
        f"Command: `{command.strip()}`",
        "",
        table(results),
        *(f"- {line}" for line in verdict_on_targets(results)),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (args.out / "results.md").write_text(text)
    raw: dict[str, Any] = {"date": now, "machine": machine(), "revision": rev}
    raw.update(command=command, results=results)
    (args.out / "results.json").write_text(json.dumps(raw, indent=2, default=str) + "\n")
    return 0 if all(r.get("status") == "ok" for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
