"""Whose cloud a service runs in, which decides which PrivateLink page it gets: AWS's, with
IAM principals; Azure's, with subscriptions; or Google's, with projects accepted one
connection at a time."""

from console import catalog
from console.models import Service


def provider_of(service: Service) -> str:
    return catalog.get_cloud(service.cloud).provider


def is_azure(service: Service) -> bool:
    return provider_of(service) == "azure"


def is_google(service: Service) -> bool:
    return provider_of(service) == "google"
