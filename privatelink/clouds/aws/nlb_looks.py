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
from privatelink.models import PrivateLink

# AWS describes at most 20 load balancers by name in one call.
LOOK_BATCH = 20
# An answer is of use for one look of each NLB (looks are 5 s apart); a VPC's answers go
# with its last look.
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


def _key(link: PrivateLink) -> str:
    # One entry per Project VPC, by NLB name: a look reads and writes the whole of it. Two
    # runs writing at once may lose one's answers: those links then look themselves.
    return f"nlb-looks:{link.service.project_vpc_id}"


def _latest_look_point(age: float, every: float, margin: float) -> float:
    """The NLB's age at the latest look due by `age`: margin, every + margin, ..."""
    if age < margin:
        return 0.0
    return ((age - margin) // every) * every + margin


def _age(created: datetime, at: datetime) -> float:
    return (at - created).total_seconds()


def provisioning_as_seen(
    link: PrivateLink, name: str, every: float, margin: float
) -> AwsLoadBalancer | None:
    """The link's NLB as another run's look saw it still provisioning, when that look
    stands for this one; else None (the run looks itself)."""
    answer = (cache.get(_key(link)) or {}).get(name)
    if not isinstance(answer, _Answer) or (answer.arn, answer.state) != (
        link.aws_details.nlb_arn,
        "provisioning",
    ):
        return None
    if not answer.stands(timezone.now(), every, margin):
        return None
    return AwsLoadBalancer(answer.arn, name, "provisioning", "", created=answer.created)


def look(
    link: PrivateLink, gateway: Gateway, name: str, every: float, margin: float
) -> list[AwsLoadBalancer]:
    """The load balancers called `name` (untagged), asked in one call with those of the
    VPC's other provisioning NLBs whose looks are due; every answer is kept for their runs."""
    answers: dict[str, _Answer] = cache.get(_key(link)) or {}
    # Taken before the call: AWS saw each state at this moment or later.
    observed_at = timezone.now()
    names = [name, *_due(answers, name, observed_at, every, margin)]
    try:
        named = gateway.load_balancers_named_many(names)
    except Gone:
        # One of the others is gone (AWS then answers for none): this look asks for its own.
        names = [name]
        named = {name: gateway.load_balancers_named(name)}
    for each in names:
        _put(answers, each, named.get(each, []), observed_at)
    cache.set(_key(link), answers, KEPT_SECONDS)
    return named.get(name, [])


def keep_created(link: PrivateLink, balancer: AwsLoadBalancer) -> None:
    """What the create saw: it stands for the NLB's looks until the first falls due, and
    puts the NLB among those other links' looks ask for."""
    answers: dict[str, _Answer] = cache.get(_key(link)) or {}
    _put(answers, balancer.name, [balancer], timezone.now())
    cache.set(_key(link), answers, KEPT_SECONDS)


def _put(
    answers: dict[str, _Answer], name: str, balancers: list[AwsLoadBalancer], at: datetime
) -> None:
    balancer = balancers[0] if len(balancers) == 1 else None
    if balancer is None or balancer.created is None or balancer.state != "provisioning":
        # None, or namesakes: the run observes them itself; an active one needs no looks.
        answers.pop(name, None)
        return
    answers[name] = _Answer(balancer.arn, balancer.state, balancer.created, at)


def _due(
    answers: dict[str, _Answer], own: str, now: datetime, every: float, margin: float
) -> list[str]:
    """Names of the VPC's other provisioning NLBs whose latest look is due and not yet
    answered, the longest due first, as many as fit in the call."""
    due: list[tuple[float, str]] = []
    for name, answer in answers.items():
        if name != own and not answer.stands(now, every, margin):
            age = _age(answer.created, now)
            # How long ago its look fell due (negative: the longest due sorts first).
            due.append((_latest_look_point(age, every, margin) - age, name))
    due.sort()
    return [name for _, name in due[: LOOK_BATCH - 1]]
