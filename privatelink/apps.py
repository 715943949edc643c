from django.apps import AppConfig


class PrivateLinkConfig(AppConfig):
    name = "privatelink"
    verbose_name = "PrivateLink"
