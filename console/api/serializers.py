"""Projects, services and service types as the platform's API shapes them for `avn`."""

from datetime import datetime
from typing import Any

from console import catalog
from console.api.service_components import service_components
from console.credentials import Credentials, credentials_of
from console.models import Project, ProjectVPC, Service


def timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def project_json(project: Project) -> dict[str, Any]:
    # The platform requires its billing and organisation fields (avn's `project list` and
    # `project details` index some of them); this console bills nothing and has no
    # organisations, so they are empty rather than missing.
    return {
        "project_name": project.name,
        "default_cloud": catalog.CLOUDS[0],
        "account_id": "",
        "organization_id": "",
        "billing_group_id": "",
        "billing_group_name": "",
        "billing_currency": "USD",
        "billing_address": "",
        "billing_emails": [],
        "billing_extra_text": None,
        "country": "",
        "country_code": "",
        "vat_id": "",
        "card_info": None,
        "estimated_balance": "0.00",
        "payment_method": "no_payment_expected",
    }


def user_json(user: Credentials) -> dict[str, Any]:
    """A service user as the platform shows it; the password only to those who may see it."""
    shown: dict[str, Any] = {"username": user.username, "type": user.type}
    if user.password is not None:
        shown["password"] = user.password
    # Kafka's users also carry their client certificate and key (writers only, like the
    # password): what `avn service user-creds-download` writes to service.cert/service.key.
    if user.access_cert is not None and user.access_key is not None:
        shown["access_cert"] = user.access_cert
        shown["access_key"] = user.access_key
        shown["access_cert_not_valid_after_time"] = timestamp(user.access_cert_not_valid_after)
    return shown


def service_json(service: Service, *, with_passwords: bool) -> dict[str, Any]:
    """The service as the platform shows it. Every URI uses the one stored password, so the
    dynamic and each privatelink route carry the same credentials."""
    components = service_components(service)
    primary = next(c for c in components if c["route"] == "dynamic")
    kind = service.type.component(primary["component"])
    assert kind is not None
    nodes = list(service.nodes.all())
    users = credentials_of(service, with_passwords=with_passwords)
    # Without the password the URI names the user alone, rather than a fake password.
    userinfo = ""
    if users:
        userinfo = users[0].userinfo if with_passwords else catalog.userinfo(users[0].username)
    return {
        "service_name": service.name,
        "service_type": service.service_type,
        "service_type_description": service.type.label,
        "state": API_SERVICE_STATES[Service.State(service.state)],
        "plan": service.plan,
        "cloud_name": service.cloud,
        "project_vpc_id": str(service.project_vpc.public_id) if service.project_vpc else None,
        "create_time": timestamp(service.created),
        "update_time": timestamp(service.updated),
        "user_config": service.user_config,
        "node_count": len(nodes),
        "node_states": [
            {"name": node.name, "state": "running", "progress_updates": []} for node in nodes
        ],
        "disk_space_mb": catalog.PLAN_CATALOG[service.plan].disk_space_mb,
        # Deprecated on the platform, and always this one group.
        "group_list": ["default"],
        "service_uri": kind.uri(primary["host"], primary["port"], userinfo),
        "service_uri_params": {"host": primary["host"], "port": str(primary["port"])},
        "components": components,
        "connection_info": {},
        "users": [user_json(user) for user in users],
        "databases": [],
        "termination_protection": False,
        "service_integrations": [],
        "tags": {},
    }


def plan_json(service_type: catalog.ServiceType, plan: catalog.Plan) -> dict[str, Any]:
    """A plan as `avn service plans` reads it: per cloud, the price and each node's size."""
    per_cloud = {
        "price_usd": plan.price_usd,
        "node_cpu_count": plan.node_cpu_count,
        "node_memory_mb": plan.node_memory_mb,
        "disk_space_mb": plan.disk_space_mb,
    }
    return {
        "service_plan": plan.name,
        "service_type": service_type.name,
        "node_count": service_type.node_count(plan.name),
        # Backups are not a feature of this console; the platform's field is required.
        "backup_config": {},
        "regions": {cloud: dict(per_cloud) for cloud in catalog.CLOUDS},
    }


def service_type_json(
    service_type: catalog.ServiceType, *, with_plans: bool = True
) -> dict[str, Any]:
    """A type as the list shows it; the platform's answer for one type has no plans."""
    shown: dict[str, Any] = {
        "description": service_type.label,
        "user_config_schema": catalog.user_config_schema(service_type),
    }
    if with_plans:
        shown["service_plans"] = [plan_json(service_type, p) for p in catalog.PLAN_CATALOG.values()]
    return shown


def cloud_json(cloud: catalog.Cloud) -> dict[str, Any]:
    return {
        "cloud_name": cloud.name,
        "cloud_description": cloud.description,
        "geo_region": cloud.geo_region,
        "geo_latitude": cloud.geo_latitude,
        "geo_longitude": cloud.geo_longitude,
        "provider": cloud.provider,
        "provider_description": cloud.provider_description,
    }


# The platform's service states; a service being terminated is powered off while its
# PrivateLink is torn down (the platform's enum has no state of its own for that).
API_SERVICE_STATES = {
    Service.State.REBUILDING: "REBUILDING",
    Service.State.RUNNING: "RUNNING",
    Service.State.POWEROFF: "POWEROFF",
    Service.State.DELETING: "POWEROFF",
}

# The platform names a Project VPC's states in capitals; "creating" is its APPROVED.
VPC_STATES = {
    ProjectVPC.State.CREATING: "APPROVED",
    ProjectVPC.State.ACTIVE: "ACTIVE",
    ProjectVPC.State.DELETING: "DELETING",
}


def project_vpc_json(vpc: ProjectVPC, *, listed: bool = False) -> dict[str, Any]:
    """A Project VPC; the list's entries carry no peering connections, as the platform's."""
    shown: dict[str, Any] = {
        "project_vpc_id": str(vpc.public_id),
        "cloud_name": vpc.cloud,
        "network_cidr": vpc.cidr,
        "state": VPC_STATES[ProjectVPC.State(vpc.state)],
        "create_time": timestamp(vpc.created),
        "update_time": timestamp(vpc.updated),
    }
    if not listed:
        shown["peering_connections"] = []
    return shown
