"""The PrivateLink an API path of a cloud with its own details row names (Azure, Google):
the service's, when the service runs in that cloud; 404 otherwise, as for a service
without one."""

from django.http import Http404

from console import catalog
from console.models import Service
from privatelink.models import PrivateLink

# How the 404 names each cloud's PrivateLink.
_NAMES = {"azure": "Azure", "google": "Google"}


def link_in(service: Service, provider: str) -> PrivateLink:
    """The service's link with its cloud's details loaded (`link.azure`, `link.google`)."""
    link = None
    if catalog.get_cloud(service.cloud).provider == provider:
        link = (
            PrivateLink.objects.filter(service=service).select_related("service", provider).first()
        )
    if link is None:
        raise Http404(f"Service {service.name} has no {_NAMES[provider]} PrivateLink.")
    return link
