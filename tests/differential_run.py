"""A differential run (issue #9 "Evidence required"): the Z3 engine against the concrete walker
on generated estates, every query with a concrete packet (each header field pinned, NAT ports
pinned to the walker's default), half on `networks()` and half on `asymmetric_networks()`.

Not collected by pytest (it takes minutes): run it as

    PYTHONPATH=. python tests/differential_run.py --per-strategy 1000

It prints the number of queries, the verdict counts and every disagreement, and exits 1 if
there is one. The examples are derandomized (the same queries every run).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from hypothesis import HealthCheck, Phase, given, settings
from strategies import Case, asymmetric_network_and_packet, network_and_packet
from test_engine_properties import engine, walker_verdict

from netcheck.inputs import dumps_network
from netcheck.model.resolve import Header


def run(
    strategy: object,
    n: int,
    verdicts: Counter,
    disagreements: list[str],
    name: str,
    dump: Path | None = None,
) -> None:
    @settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(case: Case) -> None:
        expected = walker_verdict(case.network, case.origin, case.packet)
        got = engine(case.network, case.origin, Header(packet=case.packet)).verdict.value
        verdicts[(name, expected)] += 1
        if got != expected:
            if dump is not None:
                # The network (netcheck JSON) and the query, to replay the disagreement.
                k = len(disagreements)
                dump.mkdir(parents=True, exist_ok=True)
                (dump / f"{name}-{k}.json").write_text(dumps_network(case.network))
                (dump / f"{name}-{k}.query.json").write_text(
                    json.dumps(
                        {
                            "origin": case.origin.model_dump(mode="json"),
                            "packet": case.packet.model_dump(mode="json"),
                        }
                    )
                )
            disagreements.append(
                f"{name}: engine {got}, walker {expected}: {case.packet} from {case.origin}"
            )

    one()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-strategy", type=int, default=1000)
    ap.add_argument("--only", choices=("networks", "asymmetric"))
    ap.add_argument("--dump", type=Path, help="write each disagreement's network and query here")
    args = ap.parse_args()
    verdicts: Counter = Counter()
    disagreements: list[str] = []
    t0 = time.perf_counter()
    for name, strategy in (
        ("networks", network_and_packet()),
        ("asymmetric", asymmetric_network_and_packet()),
    ):
        if args.only in (None, name):
            run(strategy, args.per_strategy, verdicts, disagreements, name, args.dump)
    total = sum(verdicts.values())
    print(f"{total} queries in {time.perf_counter() - t0:.0f} s")
    for key, count in sorted(verdicts.items()):
        print(f"  {key[0]:<11} walker {key[1]:<12} {count}")
    print(f"{len(disagreements)} disagreements")
    for d in disagreements:
        print("  " + d)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
