"""Looks at provisioning NLBs, shared by the links of a Project VPC: a look asks AWS about
its own NLB and, in the same call, about up to 19 others of the VPC whose looks are due
(their runs are queued); those runs then take that answer instead of asking again.

An answer stands in for a run's own look only if it was taken at or after the moment that
look was due (the NLB's age at the look's point, see `provision.next_look_at_load_balancer`)
and says the NLB still provisions: anything else is observed by the run itself.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from privatelink.clouds.aws.gateway import AwsLoadBalancer, Gateway, Gone
from privatelink.engine import naming
from privatelink.models import PrivateLink

# AWS describes at most 20 load balancers by name in one call.
LOOK_BATCH = 20
# An answer is of use for one look of each NLB (looks are 5 s apart).
KEPT_SECONDS = 10


@dataclass(frozen=True)
class _Answer:
    """What one look saw of one NLB, and when."""

    arn: str
    state: str
    created: datetime
    observed_at: datetime

    def stands(self, now: datetime, every: float, margin: float) -> bool:
        """Whether it was taken at or after the latest look of the NLB due by `now`."""
        due = _latest_look_point(_age(self.created, now), every, margin)
        return _age(self.created, self.observed_at) >= due


def _key(name: str) -> str:
    return f"nlb-look:{name}"


def _age(created: datetime, at: datetime) -> float:
    return (at - created).total_seconds()


def _latest_look_point(age: float, every: float, margin: float) -> float:
    """The NLB's age at the latest look due by `age`: margin, every + margin, ..."""
    if age < margin:
        return 0.0
    return ((age - margin) // every) * every + margin


def provisioning_as_seen(
    name: str, arn: str, every: float, margin: float
) -> AwsLoadBalancer | None:
    """The NLB `arn`, as another run's look saw it still provisioning, when that look stands
    for this one; else None (the run looks itself)."""
    answer = cache.get(_key(name))
    if not isinstance(answer, _Answer) or (answer.arn, answer.state) != (arn, "provisioning"):
        return None
    if not answer.stands(timezone.now(), every, margin):
        return None
    return AwsLoadBalancer(arn, name, "provisioning", "", created=answer.created)


def look(
    link: PrivateLink, gateway: Gateway, name: str, every: float, margin: float
) -> list[AwsLoadBalancer]:
    """The load balancers called `name` (untagged), asked in one call with those of the
    VPC's other provisioning NLBs whose looks are due; every answer is kept for their runs."""
    names = [name, *_due_in_same_vpc(link, every, margin)]
    # Taken before the call: AWS saw each state at this moment or later.
    observed_at = timezone.now()
    try:
        named = gateway.load_balancers_named_many(names)
    except Gone:
        # One of the others is gone (AWS then answers for none): this look asks for its own.
        names = [name]
        named = {name: gateway.load_balancers_named(name)}
    for each in names:
        keep(each, named.get(each, []), observed_at)
    return named.get(name, [])


def keep(name: str, balancers: list[AwsLoadBalancer], observed_at: datetime) -> None:
    """What a look (or the create) saw of the load balancers called `name`, for the looks
    of other links' runs to include it when it falls due."""
    if len(balancers) != 1:
        return  # none, or namesakes: the run observes them itself
    balancer = balancers[0]
    if balancer.created is not None:
        answer = _Answer(balancer.arn, balancer.state, balancer.created, observed_at)
        cache.set(_key(name), answer, KEPT_SECONDS)


def _due_in_same_vpc(link: PrivateLink, every: float, margin: float) -> list[str]:
    """Names of the VPC's other provisioning NLBs whose latest look is due and not yet
    answered, the longest due first, as many as fit in the call."""
    others = PrivateLink.objects.filter(
        service__project_vpc_id=link.service.project_vpc_id, nlb_state="provisioning"
    ).exclude(pk=link.pk)
    names = [naming.load_balancer_name(pk) for pk in others.values_list("pk", flat=True)]
    answers = cache.get_many([_key(n) for n in names])
    now = timezone.now()
    due: list[tuple[float, str]] = []
    for other in names:
        answer = answers.get(_key(other))
        if not isinstance(answer, _Answer) or answer.state != "provisioning":
            continue
        if not answer.stands(now, every, margin):
            # How long ago its look fell due (negative: the longest due sorts first).
            age = _age(answer.created, now)
            due.append((_latest_look_point(age, every, margin) - age, other))
    due.sort()
    return [other for _, other in due[: LOOK_BATCH - 1]]
