"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def deployment(request: HttpRequest) -> dict[str, object]:
    # A console talking to the fake AWS says so on every page, so that it is never
    # mistaken for production.
    return {"aws_endpoint_url": settings.AWS_ENDPOINT_URL, "deployment_id": settings.DEPLOYMENT_ID}
