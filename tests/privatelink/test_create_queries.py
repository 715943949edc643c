"""What creating an AWS PrivateLink costs the database, as the page and the API call it: a
service loaded with its project and Project VPC, the VPC already placed in an account.

Every check stays (the service being terminated, a link already there, the listener
budget, the project's share, the account's NLBs and target groups, each counted after its
row is locked), with the link, its audit event and the reconcile queued on commit.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from console.access import get_service_for
from console.models import AuditEvent
from privatelink import actions, placement
from privatelink.models import PrivateLink
from tests.factories import ListenerFactory, ServiceFactory

ROLE = "arn:aws:iam::012345678901:role/app"

# The transaction's savepoint and its release (the test's own transaction stands for the
# request's), the service's state with whether it has a link, its node count, the project
# locked, its links counted, the VPC's account locked, its NLBs and its target groups
# counted in one query, the link and the audit event inserted.
CREATE_QUERIES = 10


def test_creating_a_privatelink_costs_a_fixed_number_of_queries(
    service, developer, queued, django_capture_on_commit_callbacks
):
    placement.account_for(service.project_vpc)  # built before, as in production
    found = get_service_for(developer, "demo", "my-kafka", write=True)

    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        saved = actions.create_privatelink(found, [ROLE], actor=developer)

    assert len(queries) == CREATE_QUERIES, "\n".join(q["sql"] for q in queries)
    assert PrivateLink.objects.get(service=service).pk == saved.link.pk
    assert AuditEvent.objects.filter(action="privatelink.create", service=service).exists()
    assert queued == [("service", service.pk)]


def test_the_account_counts_its_nlbs_and_target_groups_in_one_query(
    project, service, developer, queued
):
    account = placement.account_for(service.project_vpc)
    link = actions.create_privatelink(service, [ROLE], actor=developer).link
    ListenerFactory(privatelink=link, component="kafka", port=10001)
    ListenerFactory(privatelink=link, component="schema_registry", port=10002)
    neighbour = ServiceFactory(project=project, project_vpc=service.project_vpc, name="other")
    actions.create_privatelink(neighbour, [ROLE], actor=developer)

    with CaptureQueriesContext(connection) as queries:
        held = placement.held_by(account)

    assert (
        held
        == (2, 2)
        == (placement.load_balancers_in(account), placement.target_groups_in(account))
    )
    assert len(queries) == 1
