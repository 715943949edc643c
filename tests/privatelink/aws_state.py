"""Everything of the platform account in the fake AWS, listed type by type, for assertions."""


def aws_inventory(fake_aws):
    elb = fake_aws.client("elbv2")
    ec2 = fake_aws.client("ec2")
    route53 = fake_aws.client("route53")
    balancers = elb.describe_load_balancers()["LoadBalancers"]
    listeners = [
        listener
        for balancer in balancers
        for listener in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]
    ]
    records = {}
    for zone in route53.list_hosted_zones()["HostedZones"]:
        for record in route53.list_resource_record_sets(HostedZoneId=zone["Id"])[
            "ResourceRecordSets"
        ]:
            if record["Type"] == "CNAME":
                records[record["Name"].rstrip(".")] = record["ResourceRecords"][0]["Value"]
    return {
        "load_balancers": balancers,
        "target_groups": elb.describe_target_groups()["TargetGroups"],
        "listeners": listeners,
        "endpoint_services": ec2.describe_vpc_endpoint_service_configurations()[
            "ServiceConfigurations"
        ],
        "dns_records": records,
    }
