"""How often open pages poll: fast while something settles, slower while nothing changes,
never stopping, so that a change made anywhere else shows within 10 seconds."""

from django.http import HttpRequest

# While a state is in transition the person is watching it happen.
SETTLING_SECONDS = 2
# Nothing is expected to change, but a colleague, the API or the customer's endpoint may
# change it at any time: poll + render stays well under the 10 s a page may lag behind.
SETTLED_SECONDS = 5


def poll_intervals(request: HttpRequest) -> dict[str, str]:
    """Template context: `every {{ poll_settled }}` or `every {{ poll_settling }}`."""
    return {"poll_settled": f"{SETTLED_SECONDS}s", "poll_settling": f"{SETTLING_SECONDS}s"}
