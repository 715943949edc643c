"""Data migrations keep every existing row: Project VPCs made before public ids each get
their own UUID, and nothing else of theirs changes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("console", "0007_scrub_login_attempt_form_data")]
AFTER = [("console", "0008_projectvpc_public_id")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_existing_project_vpc_gets_a_uuid_of_its_own():
    old = _migrate(BEFORE)
    Project = old.get_model("console", "Project")
    ProjectVPC = old.get_model("console", "ProjectVPC")
    project = Project.objects.create(name="demo")
    for cloud, cidr in (("aws-eu-west-1", "10.0.0.0/16"), ("aws-us-east-1", "10.1.0.0/16")):
        ProjectVPC.objects.create(project=project, cloud=cloud, cidr=cidr, state="active")
    try:
        new = _migrate(AFTER)
        rows = list(
            new.get_model("console", "ProjectVPC")
            .objects.order_by("cloud")
            .values_list("cloud", "cidr", "state", "public_id")
        )
        assert [row[:3] for row in rows] == [
            ("aws-eu-west-1", "10.0.0.0/16", "active"),
            ("aws-us-east-1", "10.1.0.0/16", "active"),
        ]
        ids = [row[3] for row in rows]
        assert None not in ids
        assert len(set(ids)) == 2
    finally:
        # Back to the latest state for the tests that follow.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
