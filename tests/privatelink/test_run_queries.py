"""What a reconcile run that finds nothing to do yet costs the database: while an NLB
provisions, most of a burst's runs are these (a look too early, or one that sees it still
provisioning), so each query of theirs is paid hundreds of times.

The lease is still claimed by its conditional UPDATE and released after; the link comes
with its service, project, Project VPC and the account that VPC is placed in.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from console.models import Service
from privatelink.clouds.aws import nlb_looks, provision
from privatelink.engine import reconcile
from privatelink.models import ReconcileLease

# The lease claimed, the link read with all it needs, the lease released.
WAITING_RUN_QUERIES = 3


@pytest.fixture
def provisioning(fake_aws, privatelink, service, monkeypatch):
    """The link's NLB created and provisioning, its first look due."""
    fake_aws.set_delays(nlb=600)
    reconcile.reconcile_service(service.pk)
    later = provision.timezone.now() + timedelta(seconds=provision.NLB_POLL_SECONDS + 1)
    monkeypatch.setattr(nlb_looks.timezone, "now", lambda: later)
    return privatelink


def test_a_look_at_a_provisioning_nlb_costs_three_queries(provisioning, service):
    with CaptureQueriesContext(connection) as queries:
        outcome = reconcile.reconcile_service(service.pk)

    assert len(queries) == WAITING_RUN_QUERIES, "\n".join(q["sql"] for q in queries)
    assert outcome.requeue_after is not None
    assert ReconcileLease.objects.get(key=reconcile.service_lease_key(service.pk)).holder == ""


def test_a_service_still_being_built_is_marked_running_by_its_first_run(provisioning, service):
    Service.objects.filter(pk=service.pk).update(state=Service.State.REBUILDING)

    reconcile.reconcile_service(service.pk)

    assert Service.objects.get(pk=service.pk).state == Service.State.RUNNING
