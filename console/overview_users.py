"""The Service users card of the Overview page, read in the page's one access query.

The card shows each user's name and type, never a secret, so the access query carries them
as one string (`type name` per line) instead of a query of its own. Names are
`[a-z][a-z0-9_-]*` (console.actions.USERNAME) and types are words, so neither holds the
space or the newline that separate them.
"""

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.aggregates import StringAgg
from django.db.models.functions import Concat

from console.credentials import Credentials
from console.models import Service, ServiceUser

ANNOTATION = "overview_service_users"


def with_service_users(services: QuerySet[Service]) -> QuerySet[Service]:
    users = (
        ServiceUser.objects.filter(service=OuterRef("pk"))
        .order_by()
        .values("service")
        .annotate(shown=StringAgg(Concat("type", Value(" "), "username"), Value("\n")))
        .values("shown")
    )
    return services.annotate(**{ANNOTATION: Subquery(users)})


def service_users(service: Service) -> list[Credentials]:
    """The users the access query carried, primary first, without their secrets."""
    lines = (getattr(service, ANNOTATION) or "").splitlines()
    users = [Credentials(name, kind, None) for kind, name in (line.split(" ", 1) for line in lines)]
    return sorted(users, key=lambda u: (u.type != ServiceUser.Type.PRIMARY, u.username))
