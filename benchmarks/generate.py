"""Write a synthetic AWS estate as a snapshot folder of `aws ec2 describe-*` JSON files.

Input: the number of network interfaces (100, 1,000, 10,000 …), a seed and optional shape
overrides. Output: a folder with `Vpcs.json`, `Subnets.json`, `RouteTables.json`,
`NetworkAcls.json`, `SecurityGroups.json`, `NetworkInterfaces.json`, `Reservations.json`,
`InternetGateways.json`, `NatGateways.json`, `VpcPeeringConnections.json`, `TransitGateways.json`,
`TransitGatewayAttachments.json`, `TransitGatewayVpcAttachments.json`,
`TransitGatewayRouteTables.json`, `TransitGatewayPropagations.json` and
`TransitGatewayStaticRoutes.json`. The same arguments always write byte-identical files; what
the estate contains is described in `benchmarks.estate`.

Example:
    python -m benchmarks.generate --interfaces 1000 --out /tmp/estate-1000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.estate import FILES, Estate, EstateParams, Json
from benchmarks.instances import add_instances
from benchmarks.tables import add_network_acls, add_route_tables, add_security_groups

__all__ = ["FILES", "EstateParams", "generate", "main", "write_estate"]


def generate(params: EstateParams) -> dict[str, Json]:
    """The estate as `{file stem: document}`; each document is `{file stem: [items]}`."""
    estate = Estate(params)
    estate.build()
    for vpc in estate.vpcs:
        add_security_groups(estate, vpc)
        add_route_tables(estate, vpc)
        add_network_acls(estate, vpc)
    add_instances(estate)
    return {name: {name: items} for name, items in estate.out.items()}


def write_estate(params: EstateParams, out: Path) -> Path:
    """Write the estate's files into `out` (created if needed) and return `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for name, document in generate(params).items():
        # indent=4 and insertion key order, as `aws ec2 describe-* --output json` writes them.
        (out / f"{name}.json").write_text(json.dumps(document, indent=4) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a synthetic AWS estate (describe-* JSON) into a folder.",
    )
    parser.add_argument("--interfaces", type=int, required=True, help="number of ENIs")
    parser.add_argument("--out", type=Path, required=True, help="snapshot folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vpcs", type=int, default=None, help="default: max(2, N // 250)")
    parser.add_argument("--subnets-per-vpc", type=int, default=4)
    args = parser.parse_args(argv)
    params = EstateParams(
        interfaces=args.interfaces,
        seed=args.seed,
        vpcs=args.vpcs,
        subnets_per_vpc=args.subnets_per_vpc,
    )
    try:
        write_estate(params, args.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.interfaces} interfaces in {params.vpc_count()} VPCs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
