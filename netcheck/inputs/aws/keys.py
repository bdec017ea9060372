"""What the AWS reader recognises: top-level keys, id fields, and per resource type the fields
it reads or knowingly ignores (anything else is reported as an unknown field).

Input: nothing. Output: constant tables used by the readers.
The ignored sets cover the fields `aws ec2 describe-*` / boto3 return today, so a real
snapshot loads without noise; fields that matter for reachability are read, never ignored.
"""

from __future__ import annotations

from typing import Final

# Top-level key -> field holding the resource id (one resource per list element).
ID_FIELDS: Final[dict[str, str]] = {
    "Vpcs": "VpcId",
    "Subnets": "SubnetId",
    "RouteTables": "RouteTableId",
    "NetworkAcls": "NetworkAclId",
    "SecurityGroups": "GroupId",
    "NetworkInterfaces": "NetworkInterfaceId",
    "Instances": "InstanceId",  # flattened from Reservations[].Instances[]
    "InternetGateways": "InternetGatewayId",
    "EgressOnlyInternetGateways": "EgressOnlyInternetGatewayId",
    "NatGateways": "NatGatewayId",
    "VpcEndpoints": "VpcEndpointId",
    "VpcPeeringConnections": "VpcPeeringConnectionId",
    "TransitGateways": "TransitGatewayId",
    "TransitGatewayAttachments": "TransitGatewayAttachmentId",
    "TransitGatewayVpcAttachments": "TransitGatewayAttachmentId",
    "TransitGatewayRouteTables": "TransitGatewayRouteTableId",
    "PrefixLists": "PrefixListId",
    "DBInstances": "DBInstanceIdentifier",
    "VpnGateways": "VpnGatewayId",
    "VpnConnections": "VpnConnectionId",
    "Addresses": "PublicIp",
    "VpcBlockPublicAccessExclusions": "ExclusionId",
    "TransitGatewayMulticastDomains": "TransitGatewayMulticastDomainId",
}

# Top-level keys holding one object rather than a list (`describe-vpc-block-public-access-
# options`); read as one record with this id.
SINGLE_KEYS: Final[dict[str, str]] = {
    "VpcBlockPublicAccessOptions": "vpc-block-public-access-options",
}

# Wrappers whose elements are keyed by a route table or prefix list id (several per id allowed).
WRAPPER_KEYS: Final[dict[str, str]] = {
    "TransitGatewayPropagations": "TransitGatewayRouteTableId",
    "TransitGatewayStaticRoutes": "TransitGatewayRouteTableId",
    "TransitGatewayRouteTableDetails": "TransitGatewayRouteTableId",
    "ManagedPrefixListEntries": "PrefixListId",
}

# Recognised but not modelled (noted, never an error).
NOT_MODELLED: Final[frozenset[str]] = frozenset(
    {
        "AvailabilityZones",
        "CustomerGateways",
        "DomainStatusList",
        "ServiceNames",
        "ServiceDetails",
        "DhcpOptions",
        "KeyPairs",
        "Volumes",
        "LoadBalancers",
        "LoadBalancerDescriptions",
        "TargetGroups",
        "Regions",
        "FlowLogs",
        "CarrierGateways",
        "LocalGatewayRouteTables",
        "TransitGatewayPeeringAttachments",
        "TransitGatewayConnects",
        "SecurityGroupRules",
    }
)

# Keys of pagination / envelopes; `NextToken` means the output was truncated.
ENVELOPE: Final[frozenset[str]] = frozenset({"NextToken", "ResponseMetadata"})

# Identifiers of netcheck's own JSON.
NATIVE_MARKERS: Final[tuple[str, str]] = ("schema_version", "vpcs")

_TAGS = {"Tags"}

VPC: Final = frozenset(
    {"VpcId", "CidrBlock", "CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet", "IsDefault"}
    | {"BlockPublicAccessStates", "State", "OwnerId", "DhcpOptionsId", "InstanceTenancy"}
    | {"EncryptionControl"}
    | _TAGS
)
SUBNET: Final = frozenset(
    {"SubnetId", "VpcId", "AvailabilityZone", "CidrBlock", "Ipv6CidrBlockAssociationSet"}
    | {"AvailabilityZoneId", "AvailableIpAddressCount", "DefaultForAz", "MapPublicIpOnLaunch"}
    | {"MapCustomerOwnedIpOnLaunch", "CustomerOwnedIpv4Pool", "State", "OwnerId", "SubnetArn"}
    | {"AssignIpv6AddressOnCreation", "OutpostArn", "EnableDns64", "Ipv6Native", "Type"}
    | {"PrivateDnsNameOptionsOnLaunch", "BlockPublicAccessStates", "EnableLniAtDeviceIndex"}
    | _TAGS
)
ROUTE_TABLE: Final = frozenset(
    {"RouteTableId", "VpcId", "Routes", "Associations", "PropagatingVgws", "OwnerId"} | _TAGS
)
ROUTE: Final = frozenset(
    {"DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"}
    | {"GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId"}
    | {"NetworkInterfaceId", "InstanceId", "InstanceOwnerId", "EgressOnlyInternetGatewayId"}
    | {"CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn", "OdbNetworkArn"}
    | {"Origin", "State"}
)
ROUTE_TABLE_ASSOCIATION: Final = frozenset(
    {"Main", "RouteTableAssociationId", "RouteTableId", "SubnetId", "GatewayId"}
    | {"AssociationState"}
)
NETWORK_ACL: Final = frozenset(
    {"NetworkAclId", "VpcId", "IsDefault", "Entries", "Associations", "OwnerId"} | _TAGS
)
NACL_ENTRY: Final = frozenset(
    {"RuleNumber", "Egress", "Protocol", "RuleAction", "CidrBlock", "Ipv6CidrBlock"}
    | {"PortRange", "IcmpTypeCode"}
)
NACL_ASSOCIATION: Final = frozenset({"NetworkAclAssociationId", "NetworkAclId", "SubnetId"})
SECURITY_GROUP: Final = frozenset(
    {"GroupId", "GroupName", "Description", "VpcId", "IpPermissions", "IpPermissionsEgress"}
    | {"OwnerId", "SecurityGroupArn"}
    | _TAGS
)
IP_PERMISSION: Final = frozenset(
    {"IpProtocol", "FromPort", "ToPort", "IpRanges", "Ipv6Ranges", "PrefixListIds"}
    | {"UserIdGroupPairs"}
)
NETWORK_INTERFACE: Final = frozenset(
    {"NetworkInterfaceId", "SubnetId", "VpcId", "AvailabilityZone", "PrivateIpAddress"}
    | {"PrivateIpAddresses", "Association", "Ipv6Addresses", "Groups", "SourceDestCheck"}
    | {"InterfaceType", "Attachment", "RequesterId", "RequesterManaged", "Description"}
    | {"Status", "TagSet", "OwnerId", "MacAddress", "PrivateDnsName", "PublicDnsName"}
    | {"OutpostArn", "Ipv4Prefixes", "Ipv6Prefixes", "DenyAllIgwTraffic", "Ipv6Native"}
    | {"Ipv6Address", "ConnectionTrackingConfiguration", "PublicIpDnsNameOptions", "Operator"}
    | {"AssociatedSubnets", "AvailabilityZoneId", "AvailabilityZoneName"}
)
INSTANCE: Final = frozenset(
    {"InstanceId", "State", "SubnetId", "VpcId", "NetworkInterfaces", "SourceDestCheck"}
    | {"SecurityGroups", "Placement", "PrivateIpAddress", "PublicIpAddress", "Tags"}
    | {"AmiLaunchIndex", "ImageId", "InstanceType", "KernelId", "KeyName", "LaunchTime"}
    | {"Monitoring", "Platform", "PrivateDnsName", "ProductCodes", "PublicDnsName"}
    | {"RamdiskId", "StateTransitionReason", "Architecture", "BlockDeviceMappings"}
    | {"ClientToken", "EbsOptimized", "EnaSupport", "Hypervisor", "IamInstanceProfile"}
    | {"InstanceLifecycle", "ElasticGpuAssociations", "ElasticInferenceAcceleratorAssociations"}
    | {"OutpostArn", "RootDeviceName", "RootDeviceType", "SpotInstanceRequestId"}
    | {"SriovNetSupport", "StateReason", "VirtualizationType", "CpuOptions"}
    | {"CapacityReservationId", "CapacityReservationSpecification", "HibernationOptions"}
    | {"Licenses", "MetadataOptions", "EnclaveOptions", "BootMode", "PlatformDetails"}
    | {"UsageOperation", "UsageOperationUpdateTime", "PrivateDnsNameOptions", "Ipv6Address"}
    | {"TpmSupport", "MaintenanceOptions", "CurrentInstanceBootMode"}
    | {"NetworkPerformanceOptions", "Operator", "InstanceLifecycle"}
)
VPC_BPA_OPTIONS: Final = frozenset(
    {"AwsAccountId", "AwsRegion", "State", "InternetGatewayBlockMode", "Reason"}
    | {"LastUpdateTimestamp", "ManagedBy", "ExclusionsAllowed"}
)
VPC_BPA_EXCLUSION: Final = frozenset(
    {"ExclusionId", "InternetGatewayExclusionMode", "ResourceArn", "State", "Reason"}
    | {"CreationTimestamp", "LastUpdateTimestamp", "DeletionTimestamp"}
    | _TAGS
)
TRANSIT_GATEWAY_MULTICAST_DOMAIN: Final = frozenset(
    {"TransitGatewayMulticastDomainId", "TransitGatewayId", "TransitGatewayMulticastDomainArn"}
    | {"OwnerId", "Options", "State", "CreationTime"}
    | _TAGS
)
RESERVATION: Final = frozenset({"Groups", "Instances", "OwnerId", "RequesterId", "ReservationId"})
INTERNET_GATEWAY: Final = frozenset({"InternetGatewayId", "Attachments", "OwnerId"} | _TAGS)
EGRESS_ONLY_INTERNET_GATEWAY: Final = frozenset(
    {"EgressOnlyInternetGatewayId", "Attachments", "OwnerId"} | _TAGS
)
NAT_GATEWAY: Final = frozenset(
    {"NatGatewayId", "VpcId", "SubnetId", "State", "ConnectivityType", "NatGatewayAddresses"}
    | {"CreateTime", "DeleteTime", "FailureCode", "FailureMessage", "ProvisionedBandwidth"}
    | {"AvailabilityMode", "AutoScalingIps", "AutoProvisionZones", "AttachedAppliances"}
    | {"RouteTableId"}
    | _TAGS
)
VPC_ENDPOINT: Final = frozenset(
    {"VpcEndpointId", "VpcEndpointType", "VpcId", "ServiceName", "State", "RouteTableIds"}
    | {"SubnetIds", "NetworkInterfaceIds", "Groups", "PolicyDocument", "IpAddressType"}
    | {"DnsOptions", "PrivateDnsEnabled", "RequesterManaged", "DnsEntries", "OwnerId"}
    | {"CreationTimestamp", "LastError", "Ipv4Prefixes", "Ipv6Prefixes", "FailureReason"}
    | {"ServiceNetworkArn", "ResourceConfigurationArn", "ServiceRegion"}
    | _TAGS
)
VPC_PEERING_CONNECTION: Final = frozenset(
    {"VpcPeeringConnectionId", "RequesterVpcInfo", "AccepterVpcInfo", "Status"}
    | {"ExpirationTime"}
    | _TAGS
)
TRANSIT_GATEWAY: Final = frozenset(
    {"TransitGatewayId", "State", "OwnerId", "Options", "TransitGatewayArn", "Description"}
    | {"CreationTime"}
    | _TAGS
)
TRANSIT_GATEWAY_ATTACHMENT: Final = frozenset(
    {"TransitGatewayAttachmentId", "TransitGatewayId", "ResourceType", "ResourceId", "State"}
    | {"Association", "TransitGatewayOwnerId", "ResourceOwnerId", "CreationTime"}
    | _TAGS
)
TRANSIT_GATEWAY_VPC_ATTACHMENT: Final = frozenset(
    {"TransitGatewayAttachmentId", "TransitGatewayId", "VpcId", "SubnetIds", "State"}
    | {"Options", "VpcOwnerId", "CreationTime"}
    | _TAGS
)
TRANSIT_GATEWAY_ROUTE_TABLE: Final = frozenset(
    {"TransitGatewayRouteTableId", "TransitGatewayId", "State"}
    | {"DefaultAssociationRouteTable", "DefaultPropagationRouteTable", "CreationTime"}
    | _TAGS
)
TRANSIT_GATEWAY_ROUTE: Final = frozenset(
    {"DestinationCidrBlock", "PrefixListId", "TransitGatewayAttachments", "Type", "State"}
    | {"TransitGatewayRouteTableAnnouncementId"}
)
TRANSIT_GATEWAY_ROUTE_TABLE_LINK: Final = frozenset(
    {"TransitGatewayAttachmentId", "ResourceId", "ResourceType", "State"}
    | {"TransitGatewayRouteTableAnnouncementId"}
)
PREFIX_LIST: Final = frozenset(
    {"PrefixListId", "PrefixListName", "Cidrs", "AddressFamily", "State", "StateMessage"}
    | {"PrefixListArn", "MaxEntries", "Version", "OwnerId"}
    | {"IpamPrefixListResolverSyncEnabled", "IpamPrefixListResolverTargetId"}
    | _TAGS
)
VPN_GATEWAY: Final = frozenset(
    {"VpnGatewayId", "State", "Type", "VpcAttachments", "AmazonSideAsn", "AvailabilityZone"} | _TAGS
)
VPN_CONNECTION: Final = frozenset(
    {"VpnConnectionId", "CustomerGatewayId", "VpnGatewayId", "TransitGatewayId", "State"}
    | {"Options", "Routes", "Type", "Category", "CustomerGatewayConfiguration"}
    | {"CoreNetworkArn", "CoreNetworkAttachmentArn", "GatewayAssociationState"}
    | {"VgwTelemetry", "PreSharedKeyArn", "VpnConcentratorId"}
    | _TAGS
)
ADDRESS: Final = frozenset(
    {"PublicIp", "AllocationId", "AssociationId", "Domain", "NetworkInterfaceId"}
    | {"NetworkInterfaceOwnerId", "PrivateIpAddress", "InstanceId", "PublicIpv4Pool"}
    | {"NetworkBorderGroup", "CustomerOwnedIp", "CustomerOwnedIpv4Pool", "CarrierIp"}
    | {"SubnetId", "ServiceManaged"}
    | _TAGS
)
DB_INSTANCE: Final = frozenset(
    {"DBInstanceIdentifier", "Engine", "Endpoint", "DBSubnetGroup", "VpcSecurityGroups"}
    | {"PubliclyAccessible", "DBInstanceStatus", "TagList", "DBInstanceClass", "MasterUsername"}
    | {"DBName", "AllocatedStorage", "InstanceCreateTime", "PreferredBackupWindow"}
    | {"BackupRetentionPeriod", "DBSecurityGroups", "DBParameterGroups", "AvailabilityZone"}
    | {"PreferredMaintenanceWindow", "PendingModifiedValues", "LatestRestorableTime"}
    | {
        "MultiAZ",
        "EngineVersion",
        "AutoMinorVersionUpgrade",
        "ReadReplicaSourceDBInstanceIdentifier",
    }
    | {"ReadReplicaDBInstanceIdentifiers", "ReadReplicaDBClusterIdentifiers", "ReplicaMode"}
    | {
        "LicenseModel",
        "Iops",
        "OptionGroupMemberships",
        "CharacterSetName",
        "NcharCharacterSetName",
    }
    | {
        "SecondaryAvailabilityZone",
        "StatusInfos",
        "StorageType",
        "TdeCredentialArn",
        "DbInstancePort",
    }
    | {
        "DBClusterIdentifier",
        "StorageEncrypted",
        "KmsKeyId",
        "DbiResourceId",
        "CACertificateIdentifier",
    }
    | {
        "DomainMemberships",
        "CopyTagsToSnapshot",
        "MonitoringInterval",
        "EnhancedMonitoringResourceArn",
    }
    | {"MonitoringRoleArn", "PromotionTier", "DBInstanceArn", "Timezone"}
    | {"IAMDatabaseAuthenticationEnabled", "DatabaseInsightsMode", "PerformanceInsightsEnabled"}
    | {"PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod"}
    | {"EnabledCloudwatchLogsExports", "ProcessorFeatures", "DeletionProtection"}
    | {
        "AssociatedRoles",
        "ListenerEndpoint",
        "MaxAllocatedStorage",
        "DBInstanceAutomatedBackupsReplications",
    }
    | {"CustomerOwnedIpEnabled", "AwsBackupRecoveryPointArn", "ActivityStreamStatus"}
    | {"ActivityStreamKmsKeyId", "ActivityStreamKinesisStreamName", "ActivityStreamMode"}
    | {
        "ActivityStreamEngineNativeAuditFieldsIncluded",
        "AutomationMode",
        "ResumeFullAutomationModeTime",
    }
    | {"CustomIamInstanceProfile", "BackupTarget", "NetworkType", "ActivityStreamPolicyStatus"}
    | {"StorageThroughput", "DBSystemId", "MasterUserSecret", "CertificateDetails"}
    | {"ReadReplicaSourceDBClusterIdentifier", "PercentProgress", "DedicatedLogVolume"}
    | {"IsStorageConfigUpgradeAvailable", "MultiTenant", "EngineLifecycleSupport"}
    | {"StorageVolumeStatus", "AdditionalStorageVolumes", "UpgradeRolloutOrder"}
)
