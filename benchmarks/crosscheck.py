"""Cross-check the benchmark's query verdicts against netcheck's concrete packet walker.

Input: a snapshot folder, a query count and a seed (the same queries `benchmarks.measure`
asks). Output: one line per disagreement and a summary; exit code 1 if any.

For each query the engine's verdict is compared with a walk of concrete connections from
every private address of the source to every private and public address of the destination,
for a handful of source ports (22, 80, 443, 1023, 1024, 5000, 32768, 65535): "reachable" if
any of them succeeds. A sampled check, not a proof: an engine "reachable" whose only witnesses
use other source ports would show up as a (false) disagreement. Timing is not measured here.

Example:
    python -m benchmarks.crosscheck --snapshot benchmarks/out/estates/estate-1000-seed1
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from benchmarks.measure import pick_queries

SOURCE_PORTS = (22, 80, 443, 1023, 1024, 5000, 32768, 65535)
TCP = 6


def crosscheck(folder: Path, queries: int, seed: int) -> list[str]:
    """Disagreements between `Snapshot.query` and the walker, one text line each."""
    api = importlib.import_module("netcheck.api")
    packet = importlib.import_module("netcheck.model.packet")
    walk = importlib.import_module("netcheck.walk")
    snapshot = api.load(folder)
    net = snapshot.network
    out = []
    for src, dst, port in pick_queries(folder, queries, seed):
        verdict = snapshot.query(src, dst, protocol="tcp", port=port).verdict
        engine = str(getattr(verdict, "value", verdict))
        s, d = net.interface(src), net.interface(dst)
        origin = packet.Origin(kind=packet.OriginKind.INTERFACE, interface_id=src)
        walked = any(
            walk.walk_connection(
                net,
                packet.Packet(src_ip=sa, dst_ip=da, protocol=TCP, src_port=sp, dst_port=port),
                origin,
            ).success
            for sa in s.addresses
            for da in (*d.addresses, *d.public_ips)
            for sp in SOURCE_PORTS
        )
        walker = "reachable" if walked else "unreachable"
        if engine != walker:
            out.append(f"{src} -> {dst} tcp/{port}: engine {engine}, walker {walker}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crosscheck")
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=51)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    problems = crosscheck(args.snapshot, args.queries, args.seed)
    for line in problems:
        print(line)
    print(f"{args.queries} queries, {len(problems)} disagreements", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
