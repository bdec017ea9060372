"""The README's collection loop collects everything the AWS reader reads (issue #9 section 3):
one `describe-*` call per recognised key, the per-table TGW wrapper and the per-list prefix
list entries (docs/formats.md). A key added to the reader without its command here fails."""

from __future__ import annotations

import re
from pathlib import Path

from netcheck.inputs.aws.keys import ID_FIELDS

README = Path(__file__).resolve().parent.parent / "README.md"

# Recognised key -> the AWS CLI call that returns it.
COMMANDS = {
    "Vpcs": "ec2 describe-vpcs",
    "Subnets": "ec2 describe-subnets",
    "RouteTables": "ec2 describe-route-tables",
    "NetworkAcls": "ec2 describe-network-acls",
    "SecurityGroups": "ec2 describe-security-groups",
    "NetworkInterfaces": "ec2 describe-network-interfaces",
    "Instances": "ec2 describe-instances",
    "InternetGateways": "ec2 describe-internet-gateways",
    "EgressOnlyInternetGateways": "ec2 describe-egress-only-internet-gateways",
    "NatGateways": "ec2 describe-nat-gateways",
    "VpcEndpoints": "ec2 describe-vpc-endpoints",
    "VpcPeeringConnections": "ec2 describe-vpc-peering-connections",
    "TransitGateways": "ec2 describe-transit-gateways",
    "TransitGatewayAttachments": "ec2 describe-transit-gateway-attachments",
    "TransitGatewayVpcAttachments": "ec2 describe-transit-gateway-vpc-attachments",
    "TransitGatewayRouteTables": "ec2 describe-transit-gateway-route-tables",
    "PrefixLists": "ec2 describe-managed-prefix-lists",
    "DBInstances": "rds describe-db-instances",
    "VpnGateways": "ec2 describe-vpn-gateways",
    "VpnConnections": "ec2 describe-vpn-connections",
    "Addresses": "ec2 describe-addresses",
    "VpcBlockPublicAccessExclusions": "ec2 describe-vpc-block-public-access-exclusions",
    "TransitGatewayMulticastDomains": "ec2 describe-transit-gateway-multicast-domains",
}


def _collection_block() -> str:
    text = README.read_text()
    section = text.split("## Snapshots", 1)[1]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def _calls(block: str) -> set[str]:
    """The calls the block makes, with the `for c in …; do aws ec2 describe-$c` loop expanded."""
    joined = block.replace("\\\n", " ")
    calls = set(re.findall(r"aws (\w+ [a-z-]+)", joined))
    loop = re.search(r"for c in ([a-z\- ]+); do\s+aws ec2 describe-\$c", joined)
    assert loop is not None
    calls |= {f"ec2 describe-{c}" for c in loop.group(1).split()}
    return calls


def test_every_recognised_key_has_a_command_in_the_table():
    assert set(ID_FIELDS) == set(COMMANDS)


def test_readme_collects_every_key_the_reader_reads():
    calls = _calls(_collection_block())
    missing = sorted(k for k, cmd in COMMANDS.items() if cmd not in calls)
    assert not missing, missing


def test_readme_collects_the_per_table_and_per_list_outputs():
    block = _collection_block()
    calls = _calls(block)
    for cmd in (
        "ec2 search-transit-gateway-routes",
        "ec2 get-transit-gateway-route-table-associations",
        "ec2 get-transit-gateway-route-table-propagations",
        "ec2 get-managed-prefix-list-entries",
        "ec2 describe-vpc-block-public-access-options",
    ):
        assert cmd in calls, cmd
    assert "TransitGatewayRouteTableDetails" in block
    assert "ManagedPrefixListEntries" in block
