"""Instances and their interfaces for the synthetic estate (`describe-instances` and the
instance part of `describe-network-interfaces`).

Input: an `Estate` whose VPCs, subnets, gateways and security groups are built.
Output: the `Reservations` and instance `NetworkInterfaces` items, appended to `estate.out`.

Instances fill what is left of the interface budget after NAT gateway and TGW attachment
interfaces, round-robin over VPCs and subnets, in reservations of 1-4 instances.

Example (security groups must exist first, so go through `generate`):
    >>> from benchmarks.generate import EstateParams, generate
    >>> docs = generate(EstateParams(interfaces=100))
    >>> len(docs["NetworkInterfaces"]["NetworkInterfaces"])
    100
"""

from __future__ import annotations

from benchmarks.estate import ACCOUNT, AZS, CREATED, Estate, Json, Subnet, Vpc, dns, tags


def add_instances(estate: Estate) -> None:
    """Instances fill the remaining interface budget round-robin over VPCs and subnets;
    every 20th instance has a second interface, every 10th interface a second address,
    and 60% of the interfaces in public subnets a public IP."""
    budget = estate.p.interfaces - len(estate.out["NetworkInterfaces"])
    if budget < 1:
        raise ValueError(
            f"{estate.p.interfaces} interfaces is too few for {len(estate.vpcs)} VPCs "
            "(NAT gateway and TGW attachment interfaces count too)"
        )
    n_vpcs, n_subnets = len(estate.vpcs), estate.p.subnets_per_vpc
    reservation: Json | None = None
    index = 0
    while budget > 0:
        vpc = estate.vpcs[index % n_vpcs]
        subnet = vpc.subnets[(index // n_vpcs) % n_subnets]
        n_enis = 2 if index % 20 == 19 and budget >= 2 else 1
        budget -= n_enis
        instance_id = estate.new_id("i")
        apps = vpc.groups[1:]
        groups = estate.rng.sample(apps, estate.rng.randint(1, min(2, len(apps))))
        if estate.rng.random() < 0.25:
            groups.insert(0, vpc.groups[0])
        enis: list[Json] = []
        for device in range(n_enis):
            addresses: list[tuple[str, Json | None]] = []
            for k in range(2 if estate.rng.random() < 0.1 else 1):
                association = None
                if subnet.public and k == 0 and device == 0 and estate.rng.random() < 0.6:
                    public = estate.public_ip()
                    association = {
                        "IpOwnerId": "amazon",
                        "PublicDnsName": (
                            f"ec2-{public.replace('.', '-')}.compute-1.amazonaws.com"
                        ),
                        "PublicIp": public,
                    }
                addresses.append((subnet.allocate(), association))
            enis.append(
                estate.eni_json(
                    estate.new_id("eni"),
                    vpc,
                    subnet,
                    addresses,
                    groups=groups,
                    attachment={
                        "AttachTime": CREATED,
                        "AttachmentId": estate.new_id("eni-attach"),
                        "DeleteOnTermination": True,
                        "DeviceIndex": device,
                        "InstanceId": instance_id,
                        "InstanceOwnerId": ACCOUNT,
                        "Status": "attached",
                    },
                    description="Primary network interface" if device == 0 else "",
                    interface_type="interface",
                    requester_managed=False,
                )
            )
        estate.out["NetworkInterfaces"].extend(enis)
        if reservation is None or len(reservation["Instances"]) >= estate.rng.randint(1, 4):
            reservation = {
                "Groups": [],
                "Instances": [],
                "OwnerId": ACCOUNT,
                "ReservationId": estate.new_id("r"),
            }
            estate.out["Reservations"].append(reservation)
        reservation["Instances"].append(
            _instance_json(estate, instance_id, vpc, subnet, enis, groups, index)
        )
        index += 1


def _instance_json(
    estate: Estate,
    instance_id: str,
    vpc: Vpc,
    subnet: Subnet,
    enis: list[Json],
    groups: list[tuple[str, str]],
    index: int,
) -> Json:
    primary = enis[0]
    public = primary.get("Association", {}).get("PublicIp")
    nested = []
    for eni in enis:
        copy = {k: v for k, v in eni.items() if k not in _NOT_NESTED}
        copy["Attachment"] = {
            k: v for k, v in eni["Attachment"].items() if not k.startswith("Instance")
        }
        nested.append(copy)
    instance: Json = {
        "AmiLaunchIndex": 0,
        "Architecture": "x86_64",
        "ImageId": "ami-0c02fb55956c7d316",
        "InstanceId": instance_id,
        "InstanceType": estate.rng.choice(("t3.micro", "t3.large", "m5.xlarge", "c5.2xlarge")),
        "LaunchTime": CREATED,
        "Monitoring": {"State": "disabled"},
        "Placement": {"AvailabilityZone": AZS[subnet.az], "GroupName": "", "Tenancy": "default"},
        "PrivateDnsName": dns(primary["PrivateIpAddress"]),
        "PrivateIpAddress": primary["PrivateIpAddress"],
        "ProductCodes": [],
        "PublicDnsName": primary.get("Association", {}).get("PublicDnsName", ""),
        "State": {"Code": 16, "Name": "running"},
        "StateTransitionReason": "",
        "SubnetId": subnet.id,
        "VpcId": vpc.id,
        "EbsOptimized": False,
        "EnaSupport": True,
        "Hypervisor": "xen",
        "NetworkInterfaces": nested,
        "RootDeviceName": "/dev/xvda",
        "RootDeviceType": "ebs",
        "SecurityGroups": [{"GroupId": g, "GroupName": n} for g, n in groups],
        "SourceDestCheck": True,
        "Tags": tags(f"bench-{vpc.index}-{index}"),
        "VirtualizationType": "hvm",
    }
    if public is not None:
        instance["PublicIpAddress"] = public
    return instance


# Keys of a describe-network-interfaces item that describe-instances does not repeat.
_NOT_NESTED = frozenset({"AvailabilityZone", "RequesterManaged", "TagSet"})
