"""What a project or service name must be to become part of a DNS host name.

A service's hosts start with one label, `<service>-<project>` (its host label): the
dynamic host is `<label>.<domain>`, and a route of another access path puts a prefix such
as `privatelink-999-` before it, in the same 63-character DNS label. Names that would give
a longer label, or one DNS refuses, are refused when the project or service is created.
"""

DNS_LABEL_MAX = 63
DNS_NAME_MAX = 253
# Room kept in the first label for a route prefix: `privatelink-999-` is 16 characters.
ROUTE_PREFIX_MAX = 16
HOST_LABEL_MAX = DNS_LABEL_MAX - ROUTE_PREFIX_MAX
# Hosts of other access routes start so; a service name of this form would read as one.
RESERVED_PREFIX = "privatelink-"
# A project leaves room for a one-letter service and its hyphen.
PROJECT_NAME_MAX = HOST_LABEL_MAX - 2


def _label_problem(what: str, name: str) -> str:
    if name.endswith("-"):
        return f"{what} may not end with a hyphen: a DNS label cannot."
    if "--" in name:
        return (
            f"{what} may not contain two hyphens in a row: DNS keeps such labels "
            "(xn--...) for international names."
        )
    return ""


def project_name_problem(name: str) -> str:
    """Why `name` cannot name a new project, or '' if it can."""
    if len(name) > PROJECT_NAME_MAX:
        return (
            f"A project name may have at most {PROJECT_NAME_MAX} characters, so that its "
            f"services' host names fit in one DNS label; {name[:80]!r} has {len(name)}."
        )
    return _label_problem("A project name", name)


def service_name_problem(service: str, project: str) -> str:
    """Why `service` cannot name a new service of `project`, or '' if it can."""
    if service.startswith(RESERVED_PREFIX) or service == RESERVED_PREFIX.rstrip("-"):
        return (
            f"A service name may not start with {RESERVED_PREFIX.rstrip('-')}: "
            "PrivateLink host names start that way."
        )
    problem = _label_problem("A service name", service)
    if problem:
        return problem
    label_length = len(service) + 1 + len(project)
    if label_length > HOST_LABEL_MAX:
        room = max(0, HOST_LABEL_MAX - 1 - len(project))
        return (
            f"The host label <service>-<project> may have at most {HOST_LABEL_MAX} characters "
            f"(a DNS label has at most {DNS_LABEL_MAX}, and PrivateLink hosts add "
            f"privatelink-N- before it); {service[:80]}-{project} would have {label_length}. "
            f"In project {project}, use a service name of at most {room} characters."
        )
    return ""


def domain_problem(domain: str) -> str:
    """Why `domain` cannot hold the platform's hosts, or '' if it can: every label LDH and at
    most 63 characters, and room for the longest host and its ownership record."""
    labels = domain.rstrip(".").split(".")
    for label in labels:
        if not label or len(label) > DNS_LABEL_MAX:
            return f"Each label of {domain!r} must have 1 to {DNS_LABEL_MAX} characters."
        if not all(c.isascii() and (c.isalnum() or c == "-") for c in label) or (
            label.startswith("-") or label.endswith("-")
        ):
            return f"{domain!r} may hold only letters, digits and inner hyphens in each label."
    # The longest host (a full first label) and its ownership record (`_owner.` before it).
    longest = len("_owner.") + DNS_LABEL_MAX + 1 + len(domain.rstrip("."))
    if longest > DNS_NAME_MAX:
        return (
            f"{domain!r} is too long: host names in it would exceed {DNS_NAME_MAX} characters; "
            f"use at most {DNS_NAME_MAX - len('_owner.') - DNS_LABEL_MAX - 1}."
        )
    return ""
