"""Packet-filter content for the synthetic estate: security group permissions and NACL entries.

Input: a seeded `random.Random` and the addresses of the VPC being filled.
Output: lists in the exact `describe-security-groups` (`IpPermissions`) and
`describe-network-acls` (`Entries`) shapes.

Security groups get 5-30 rules mixing group references (same VPC), the VPC CIDR, 10.0.0.0/8,
another VPC's subnet, small host ranges and the internet; AWS merges rules with the same
protocol and ports into one permission, and so does `security_group_permissions`. NACLs get
10-20 entries: deny-before-allow entries (a quarantined subnet of another VPC, telnet, SMTP out),
service ports, ICMP, the ephemeral return range 1024-65535 and the final `*` deny.

Example:
    >>> import random
    >>> ingress, egress = security_group_permissions(
    ...     random.Random(1), "10.0.0.0/16", ["10.1.0.0/22"], ["sg-1", "sg-2"], "123456789012")
    >>> sorted(ingress[0])[:3]
    ['FromPort', 'IpProtocol', 'IpRanges']
"""

from __future__ import annotations

import random
from ipaddress import IPv4Network
from typing import Any

Json = dict[str, Any]

SERVICE_PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443)
UDP_PORTS = (53, 123, 514, 1194)
EPHEMERAL = (1024, 65535)
PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "-1": "-1"}


def _permission(protocol: str, ports: tuple[int, int] | None) -> Json:
    perm: Json = {"IpProtocol": protocol}
    if ports is not None:
        perm["FromPort"], perm["ToPort"] = ports
    perm.update({"IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []})
    return perm


def _pick_protocol(rng: random.Random) -> tuple[str, tuple[int, int] | None]:
    r = rng.random()
    if r < 0.72:
        port = rng.choice(SERVICE_PORTS)
        if rng.random() < 0.1:
            return "tcp", (port, port + rng.randint(1, 100))
        return "tcp", (port, port)
    if r < 0.84:
        port = rng.choice(UDP_PORTS)
        return "udp", (port, port)
    if r < 0.92:
        return "icmp", (-1, -1)
    return "-1", None


def security_group_permissions(
    rng: random.Random,
    vpc_cidr: str,
    other_cidrs: list[str],
    group_ids: list[str],
    account: str,
) -> tuple[list[Json], list[Json]]:
    """Ingress and egress permissions of one application security group.

    `other_cidrs` are subnets elsewhere in the estate; `group_ids` are the groups of the same
    VPC that a rule may reference (the group itself included)."""
    total = rng.randint(5, 30)
    default_egress = rng.random() < 0.6
    n_egress = 1 if default_egress else rng.randint(2, 5)
    ingress: dict[tuple[str, tuple[int, int] | None], Json] = {}
    seen: set[tuple[Any, ...]] = set()

    def add(
        table: dict[tuple[str, tuple[int, int] | None], Json],
        proto: str,
        ports: tuple[int, int] | None,
        cidr: str | None = None,
        group: str | None = None,
    ) -> None:
        key = (id(table), proto, ports, cidr, group)
        if key in seen:
            return
        seen.add(key)
        perm = table.setdefault((proto, ports), _permission(proto, ports))
        if cidr is not None:
            entry: Json = {"CidrIp": cidr}
            if rng.random() < 0.3:
                entry["Description"] = f"bench rule {len(seen)}"
            perm["IpRanges"].append(entry)
        else:
            perm["UserIdGroupPairs"].append({"GroupId": group, "UserId": account})

    vpc_net = IPv4Network(vpc_cidr)
    for _ in range(max(1, total - n_egress)):
        proto, ports = _pick_protocol(rng)
        s = rng.random()
        if s < 0.35 or proto == "-1":
            add(ingress, proto, ports, group=rng.choice(group_ids))
        elif s < 0.55:
            add(ingress, proto, ports, cidr=vpc_cidr)
        elif s < 0.70:
            add(ingress, proto, ports, cidr="10.0.0.0/8")
        elif s < 0.80:
            add(ingress, proto, ports, cidr=rng.choice(other_cidrs))
        elif s < 0.90:
            # A small host range inside the VPC (e.g. a bastion pool).
            host = vpc_net.network_address + rng.randrange(0, vpc_net.num_addresses, 16)
            add(ingress, proto, ports, cidr=f"{host}/28")
        else:
            add(ingress, proto, ports, cidr="0.0.0.0/0")

    egress: dict[tuple[str, tuple[int, int] | None], Json] = {}
    if default_egress:
        add(egress, "-1", None, cidr="0.0.0.0/0")
    else:
        choices: list[tuple[str, tuple[int, int] | None, str | None, str | None]] = [
            ("tcp", (443, 443), "0.0.0.0/0", None),
            ("tcp", (80, 80), "0.0.0.0/0", None),
            ("-1", None, vpc_cidr, None),
            ("udp", (53, 53), vpc_cidr, None),
            ("tcp", (5432, 5432), None, rng.choice(group_ids)),
            ("-1", None, "10.0.0.0/8", None),
        ]
        for proto, ports, cidr, group in rng.sample(choices, n_egress):
            add(egress, proto, ports, cidr=cidr, group=group)
    return list(ingress.values()), list(egress.values())


def default_security_group_permissions(group_id: str, account: str) -> tuple[Json, Json]:
    """A VPC's default group: all traffic from itself in, everything out."""
    ingress = _permission("-1", None)
    ingress["UserIdGroupPairs"].append({"GroupId": group_id, "UserId": account})
    egress = _permission("-1", None)
    egress["IpRanges"].append({"CidrIp": "0.0.0.0/0"})
    return ingress, egress


def _entry(
    number: int,
    egress: bool,
    action: str,
    cidr: str,
    protocol: str = "-1",
    ports: tuple[int, int] | None = None,
) -> Json:
    entry: Json = {"CidrBlock": cidr, "Egress": egress}
    if protocol == "icmp":
        entry["IcmpTypeCode"] = {"Code": -1, "Type": -1}
    if ports is not None:
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    entry.update(
        {"Protocol": PROTOCOL_NUMBERS[protocol], "RuleAction": action, "RuleNumber": number}
    )
    return entry


def allow_all_nacl_entries() -> list[Json]:
    """The entries of a default NACL: allow everything both ways, then the `*` deny."""
    return [
        _entry(100, True, "allow", "0.0.0.0/0"),
        _entry(32767, True, "deny", "0.0.0.0/0"),
        _entry(100, False, "allow", "0.0.0.0/0"),
        _entry(32767, False, "deny", "0.0.0.0/0"),
    ]


def nacl_entries(
    rng: random.Random, public: bool, vpc_cidr: str, other_cidrs: list[str]
) -> list[Json]:
    """Entries of a custom NACL for the public or private tier of a VPC (10-20 entries)."""
    internet, corp = "0.0.0.0/0", "10.0.0.0/8"
    inbound = [
        _entry(80, False, "deny", internet, "tcp", (23, 23)),
        _entry(100, False, "allow", internet if public else corp, "tcp", (443, 443)),
        _entry(110, False, "allow", corp, "tcp", (22, 22)),
        _entry(120, False, "allow", vpc_cidr, "tcp", (8080, 8080)),
        _entry(130, False, "allow", corp, "icmp"),
        _entry(200, False, "allow", internet, "tcp", EPHEMERAL),
        _entry(210, False, "allow", internet, "udp", EPHEMERAL),
    ]
    if public:
        inbound.append(_entry(105, False, "allow", internet, "tcp", (80, 80)))
    else:
        inbound.append(_entry(140, False, "allow", corp, "tcp", (3306, 6379)))
    if rng.random() < 0.5:
        # Deny before allow: a quarantined subnet elsewhere loses everything, replies included.
        inbound.append(_entry(90, False, "deny", rng.choice(other_cidrs)))
    outbound = [
        _entry(90, True, "deny", internet, "tcp", (25, 25)),
        _entry(100, True, "allow", internet, "tcp", (443, 443)),
        _entry(110, True, "allow", internet, "tcp", (80, 80)),
        _entry(120, True, "allow", corp),
        _entry(200, True, "allow", internet, "tcp", EPHEMERAL),
    ]
    for k in range(rng.randint(0, 4)):
        port = rng.choice(SERVICE_PORTS)
        action = "deny" if rng.random() < 0.3 else "allow"
        inbound.append(
            _entry(300 + 10 * k, False, action, rng.choice(other_cidrs), "tcp", (port, port))
        )
    entries = [*outbound, _entry(32767, True, "deny", internet)]
    entries += [*inbound, _entry(32767, False, "deny", internet)]
    # AWS lists egress entries first, each direction by rule number.
    return sorted(entries, key=lambda e: (not e["Egress"], e["RuleNumber"]))
