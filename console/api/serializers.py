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
    # avn's `project list` and `project details` index the billing fields; this console
    # bills nothing, so they are empty rather than missing.
    return {
        "project_name": project.name,
        "default_cloud": catalog.CLOUDS[0],
        "billing_currency": "USD",
        "billing_address": "",
        "billing_extra_text": None,
        "country_code": "",
        "vat_id": "",
        "card_info": None,
        "vpc_peering_connections": [],
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
        userinfo = users[0].userinfo if with_passwords else users[0].username
    return {
        "service_name": service.name,
        "service_type": service.service_type,
        "service_type_description": service.type.label,
        "state": service.state,
        "plan": service.plan,
        "cloud_name": service.cloud,
        "project_vpc_id": str(service.project_vpc_id) if service.project_vpc_id else None,
        "create_time": timestamp(service.created),
        "update_time": timestamp(service.updated),
        "user_config": service.user_config,
        "node_count": len(nodes),
        "node_states": [
            {"name": node.name, "state": "running", "progress_updates": []} for node in nodes
        ],
        "disk_space_mb": None,
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


def service_type_json(service_type: catalog.ServiceType) -> dict[str, Any]:
    return {
        "service_type": service_type.name,
        "description": service_type.label,
        "service_plans": [
            {
                "service_plan": plan,
                "service_type": service_type.name,
                "node_count": service_type.node_count(plan),
            }
            for plan in catalog.PLANS
        ],
        "user_config_schema": catalog.user_config_schema(service_type),
    }


# The platform names a Project VPC's states in capitals; "creating" is its APPROVED.
VPC_STATES = {
    ProjectVPC.State.CREATING: "APPROVED",
    ProjectVPC.State.ACTIVE: "ACTIVE",
    ProjectVPC.State.DELETING: "DELETING",
}


def project_vpc_json(vpc: ProjectVPC) -> dict[str, Any]:
    return {
        "project_vpc_id": str(vpc.pk),
        "cloud_name": vpc.cloud,
        "network_cidr": vpc.cidr,
        "state": VPC_STATES[ProjectVPC.State(vpc.state)],
        "create_time": timestamp(vpc.created),
        "update_time": timestamp(vpc.updated),
        "peering_connections": [],
    }
